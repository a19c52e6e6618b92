package io.github.promkinesis.restore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A request's lines, copied into blocks, come back as they went in: short, empty, block-filling and huge. */
class LineBatchTest {

    @Test
    void linesOfEverySizeComeBackAsTheyWentIn() {
        Random random = new Random(11);
        List<byte[]> lines = new ArrayList<>();
        int fill = 0;
        for (int i = 0; i < 3000; i++) {
            int length = switch (i % 500) {
                case 7 -> 0;
                case 100 -> (1 << 16) - fill % (1 << 16); // exactly what is left of a block
                case 200 -> (1 << 16) + 1; // more than a block
                case 300 -> 150_000;
                default -> random.nextInt(300);
            };
            byte[] line = new byte[length];
            random.nextBytes(line);
            lines.add(line);
            fill += length;
        }
        byte[] source = new byte[200_000];
        LineBatch batch = new LineBatch();
        for (byte[] line : lines) {
            int offset = random.nextInt(source.length - line.length + 1);
            System.arraycopy(line, 0, source, offset, line.length);
            batch.add(source, offset, line.length);
            Arrays.fill(source, offset, offset + line.length, (byte) offset); // the merge's buffer: the next line's
        }

        List<byte[]> back = new ArrayList<>();
        batch.forEach((bytes, offset, length) -> back.add(Arrays.copyOfRange(bytes, offset, offset + length)));
        assertEquals(lines.size(), batch.size());
        assertEquals(lines.size(), back.size());
        for (int i = 0; i < lines.size(); i++) {
            assertArrayEquals(lines.get(i), back.get(i), "line " + i);
        }
    }
}
