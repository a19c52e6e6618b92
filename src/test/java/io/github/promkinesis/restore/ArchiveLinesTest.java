package io.github.promkinesis.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The newline search, eight bytes a step, finds what a byte-by-byte search finds, wherever the newline is. */
class ArchiveLinesTest {

    @Test
    void theFirstNewlineIsFoundAtEveryPlaceAndAmongEveryByte() {
        Random random = new Random(5);
        for (int trial = 0; trial < 20_000; trial++) {
            byte[] bytes = new byte[1 + random.nextInt(40)];
            random.nextBytes(bytes);
            for (int i = 0; i < bytes.length; i++) {
                if (bytes[i] == '\n' && random.nextBoolean()) {
                    bytes[i] = (byte) 0x8a; // a byte whose low bits are a newline's
                }
            }
            int from = random.nextInt(bytes.length);
            int to = from + random.nextInt(bytes.length - from + 1);
            int expected = -1;
            for (int i = from; i < to && expected < 0; i++) {
                expected = bytes[i] == '\n' ? i : -1;
            }
            assertEquals(expected, ArchiveLines.indexOf(bytes, from, to));
        }
    }
}
