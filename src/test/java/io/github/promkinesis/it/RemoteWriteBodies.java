package io.github.promkinesis.it;

import com.google.protobuf.MessageLite;
import io.github.promkinesis.protocol.prompb.Label;
import io.github.promkinesis.protocol.prompb.Sample;
import io.github.promkinesis.protocol.prompb.TimeSeries;
import io.github.promkinesis.protocol.prompb.WriteRequest;
import io.github.promkinesis.protocol.writev2.Request;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.xerial.snappy.Snappy;

/** Request bodies for the tests: the fixture Prometheus sent, and generated ones of a chosen shape. */
public final class RemoteWriteBodies {

    /** The headers Prometheus sends with a 2.0 body. */
    public static final Map<String, String> V2_HEADERS = Map.of("Content-Encoding", "snappy",
            "Content-Type", "application/x-protobuf;proto=io.prometheus.write.v2.Request",
            "X-Prometheus-Remote-Write-Version", "2.0.0");

    static final Path FIXTURE = Path.of("src/test/resources/fixtures/prometheus-2.42-self-scrape.snappy");

    private RemoteWriteBodies() {
    }

    public static byte[] fixture() throws IOException {
        return Files.readAllBytes(FIXTURE);
    }

    public static WriteRequest parse(byte[] body) throws IOException {
        return WriteRequest.parseFrom(Snappy.uncompress(body));
    }

    public static byte[] snappy(MessageLite request) {
        try {
            return Snappy.compress(request.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code series} series of {@code samples} samples each, with a few realistic labels and varied values. */
    public static WriteRequest generated(String test, int series, int samples, long seed) {
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

    public static Label label(String name, String value) {
        return Label.newBuilder().setName(name).setValue(value).build();
    }

    public static Sample sample(double value, long timestamp) {
        return Sample.newBuilder().setValue(value).setTimestamp(timestamp).build();
    }

    /** One series {name, instance} with one sample at a fixed time. */
    public static TimeSeries series(String name, String instance, double value) {
        return TimeSeries.newBuilder().addLabels(label("__name__", name)).addLabels(label("instance", instance))
                .addSamples(sample(value, 1_795_000_000_000L)).build();
    }

    public static WriteRequest request(TimeSeries... series) {
        return WriteRequest.newBuilder().addAllTimeseries(List.of(series)).build();
    }

    /** The same series and float samples as a 2.0 request, with its own symbol table. */
    public static Request toV2(WriteRequest request) {
        List<String> symbols = new ArrayList<>(List.of(""));
        Map<String, Integer> refs = new HashMap<>(Map.of("", 0));
        Request.Builder v2 = Request.newBuilder();
        for (TimeSeries series : request.getTimeseriesList()) {
            io.github.promkinesis.protocol.writev2.TimeSeries.Builder out =
                    io.github.promkinesis.protocol.writev2.TimeSeries.newBuilder();
            for (Label label : series.getLabelsList()) {
                for (String text : List.of(label.getName(), label.getValue())) {
                    out.addLabelsRefs(refs.computeIfAbsent(text, t -> {
                        symbols.add(t);
                        return symbols.size() - 1;
                    }));
                }
            }
            series.getSamplesList().forEach(s -> out.addSamples(io.github.promkinesis.protocol.writev2.Sample.newBuilder()
                    .setValue(s.getValue()).setTimestamp(s.getTimestamp())));
            v2.addTimeseries(out);
        }
        return v2.addAllSymbols(symbols).build();
    }
}
