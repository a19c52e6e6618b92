package io.github.promkinesis.it;

import io.github.promkinesis.protocol.prompb.Label;
import io.github.promkinesis.protocol.prompb.Sample;
import io.github.promkinesis.protocol.prompb.TimeSeries;
import io.github.promkinesis.protocol.prompb.WriteRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import org.xerial.snappy.Snappy;

/**
 * A remote-write body of SERIES series of 10 labels, one sample each, snappy-compressed into FILE: the requests at
 * the limits of docs/benchmarks.md ("Memory with requests at the limits"), 88,000 series being 33 MB decompressed.
 * Run by hand: {@code java -cp target/test-classes:target/prometheus-remote-kinesis.jar io.github.promkinesis.it.LimitBody 88000 big.snappy}
 */
public final class LimitBody {

    private LimitBody() {
    }

    public static void main(String[] args) throws Exception {
        int series = Integer.parseInt(args[0]);
        WriteRequest.Builder request = WriteRequest.newBuilder();
        for (int s = 0; s < series; s++) {
            TimeSeries.Builder one = TimeSeries.newBuilder().addLabels(Label.newBuilder().setName("__name__")
                    .setValue("node_metric_with_a_long_name_" + (s % 50)));
            for (int l = 0; l < 9; l++) {
                one.addLabels(Label.newBuilder().setName("label_" + l)
                        .setValue("value-" + l + "-" + Integer.toHexString(s * 31 + l) + "-padding"));
            }
            one.addSamples(Sample.newBuilder().setValue(s * 1.5).setTimestamp(1795000000000L + s));
            request.addTimeseries(one);
        }
        Files.write(Path.of(args[1]), Snappy.compress(request.build().toByteArray()));
    }
}
