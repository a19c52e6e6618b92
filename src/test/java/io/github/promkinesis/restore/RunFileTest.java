package io.github.promkinesis.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunFileTest {

    @TempDir
    Path tmp;

    /**
     * Entries as a run holds them: a series' lines differing in the time and value only, lines of other series,
     * lines longer and shorter than the one before, one that begins another, twins, empty keys, one over a block.
     */
    @Test
    void everyEntryComesBackByteForByteInBlocksOfAllSizes() throws IOException {
        Random random = new Random(3);
        List<byte[][]> written = new ArrayList<>();
        for (int series = 0; series < 40; series++) {
            String labels = ",\"labels\":{\"__name__\":\"m\",\"instance\":\"10.0.0." + series + ":9100\"}}";
            for (int i = 0; i < 300; i++) {
                long time = 1_795_823_286_448L + 15_000L * i;
                String value = random.nextInt(5) == 0 ? "\"NaN\"" : Double.toString(random.nextDouble() * 1e6);
                byte[] key = ("m\0\0" + series + "|" + time).getBytes(StandardCharsets.UTF_8);
                byte[] line = ("{\"name\":\"m\",\"time\":" + time + ",\"value\":" + value + labels)
                        .getBytes(StandardCharsets.UTF_8);
                written.add(new byte[][] {key, line});
                if (random.nextInt(50) == 0) {
                    written.add(new byte[][] {key, line.clone()});
                }
            }
        }
        written.add(new byte[][] {new byte[0], "{\"name\":\"m\"}".getBytes(StandardCharsets.UTF_8)});
        written.add(new byte[][] {new byte[0], "{\"name\":\"m\"}, and more".getBytes(StandardCharsets.UTF_8)});
        written.add(new byte[][] {"k".getBytes(StandardCharsets.UTF_8), "{\"name\":\"m\"}".getBytes(StandardCharsets.UTF_8)});
        byte[] huge = new byte[200_000];
        random.nextBytes(huge);
        written.add(new byte[][] {"k".getBytes(StandardCharsets.UTF_8), huge});
        written.add(new byte[][] {"k".getBytes(StandardCharsets.UTF_8), huge.clone()});
        written.add(new byte[][] {"z".getBytes(StandardCharsets.UTF_8), "x".getBytes(StandardCharsets.UTF_8)});

        Path file = tmp.resolve("run");
        assertEquals(written.size(), RunFile.write(listed(written), file));
        long raw = written.stream().mapToLong(entry -> entry[0].length + entry[1].length).sum();
        assertTrue(Files.size(file) < (raw - 2 * huge.length) / 4 + 2 * huge.length,
                Files.size(file) + " bytes on disk for " + raw);
        try (Entries read = RunFile.read(file)) {
            for (byte[][] entry : written) {
                assertTrue(read.next());
                assertEquals(new String(entry[0], StandardCharsets.ISO_8859_1), new String(read.array(),
                        read.keyOffset(), read.keyLength(), StandardCharsets.ISO_8859_1));
                assertEquals(new String(entry[1], StandardCharsets.ISO_8859_1), new String(read.array(),
                        read.lineOffset(), read.lineLength(), StandardCharsets.ISO_8859_1));
            }
            assertTrue(!read.next());
        }
    }

    /** Entries whose bytes are valid until the next one only, as merged runs give them. */
    private static Entries listed(List<byte[][]> entries) {
        return new Entries.InBuffer() {
            private int index = -1;

            @Override
            public boolean next() {
                if (++index >= entries.size()) {
                    return false;
                }
                if (buffer != null) {
                    java.util.Arrays.fill(buffer, (byte) '?');
                }
                byte[][] entry = entries.get(index);
                buffer = new byte[Entries.HEADER + entry[0].length + entry[1].length];
                at = 0;
                Entries.put(buffer, 0, entry[0], 0, entry[0].length, entry[1], 0, entry[1].length);
                return true;
            }
        };
    }
}
