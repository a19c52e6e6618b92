package io.github.promkinesis.it;

import com.google.protobuf.MessageLite;
import io.github.promkinesis.protocol.prompb.Label;
import io.github.promkinesis.protocol.prompb.Sample;
import io.github.promkinesis.protocol.prompb.TimeSeries;
import io.github.promkinesis.protocol.prompb.WriteRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.xerial.snappy.Snappy;

/** Request bodies for the tests: the fixture Prometheus sent, and generated ones of a chosen shape. */
final class RemoteWriteBodies {

    static final Path FIXTURE = Path.of("src/test/resources/fixtures/prometheus-2.42-self-scrape.snappy");

    private RemoteWriteBodies() {
    }

    static byte[] fixture() throws IOException {
        return Files.readAllBytes(FIXTURE);
    }

    static WriteRequest parse(byte[] body) throws IOException {
        return WriteRequest.parseFrom(Snappy.uncompress(body));
    }

    static byte[] snappy(MessageLite request) {
        try {
            return Snappy.compress(request.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code series} series of {@code samples} samples each, with a few realistic labels and varied values. */
    static WriteRequest generated(String test, int series, int samples, long seed) {
        Random random = new Random(seed);
        long start = 1_795_000_000_000L;
        WriteRequest.Builder request = WriteRequest.newBuilder();
        for (int s = 0; s < series; s++) {
            TimeSeries.Builder builder = TimeSeries.newBuilder()
                    .addLabels(label("__name__", "generated_metric_" + (s % 17)))
                    .addLabels(label("instance", "host-" + s + ".example:9100"))
                    .addLabels(label("job", "node"))
                    .addLabels(label("series", Integer.toString(s)))
                    .addLabels(label("test", test));
            for (int i = 0; i < samples; i++) {
                builder.addSamples(sample(random.nextDouble() * Math.pow(10, random.nextInt(20) - 10),
                        start + i * 15_000L + s));
            }
            request.addTimeseries(builder);
        }
        return request.build();
    }

    static Label label(String name, String value) {
        return Label.newBuilder().setName(name).setValue(value).build();
    }

    static Sample sample(double value, long timestamp) {
        return Sample.newBuilder().setValue(value).setTimestamp(timestamp).build();
    }
}
