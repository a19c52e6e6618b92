package io.github.promkinesis.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.promkinesis.ShippedDefaults;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.xerial.snappy.Snappy;

class SnappyDataFormatTest {

    private final SnappyDataFormat snappy = ShippedDefaults.snappy();

    @Test
    void decodesPrometheusBlocks() throws Exception {
        byte[] raw = "remote write body ".repeat(1000).getBytes();

        assertArrayEquals(raw, snappy.uncompress(Snappy.compress(raw)));
    }

    @Test
    void decodesTheFixturePrometheusSent() throws Exception {
        byte[] body = Files.readAllBytes(Path.of("src/test/resources/fixtures/prometheus-2.42-self-scrape.snappy"));

        assertArrayEquals(Snappy.uncompress(body), snappy.uncompress(body));
    }

    @Test
    void refusesBytesThatAreNotSnappy() {
        assertThrows(InvalidSnappyException.class, () -> snappy.uncompress("not snappy at all".getBytes()));
        assertThrows(InvalidSnappyException.class, () -> snappy.uncompress(new byte[0]));
    }

    @Test
    void refusesTruncatedBlocks() throws Exception {
        byte[] block = Snappy.compress(new byte[10_000]);

        assertThrows(InvalidSnappyException.class, () -> snappy.uncompress(Arrays.copyOf(block, block.length / 2)));
    }

    @Test
    void refusesADeclaredSizeOverTheLimitBeforeDecompressing() throws Exception {
        snappy.setMaxDecompressedBytes(1000);

        assertThrows(DecompressedSizeLimitException.class, () -> snappy.uncompress(Snappy.compress(new byte[1001])));
        assertArrayEquals(new byte[1000], snappy.uncompress(Snappy.compress(new byte[1000])));
        // a header claiming ~4 GiB followed by nothing: refused by size, no allocation attempted
        byte[] claimsGigabytes = {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x0f, 0, 0};
        assertThrows(DecompressedSizeLimitException.class, () -> snappy.uncompress(claimsGigabytes));
    }
}
