package io.github.promkinesis.encoding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.promkinesis.ShippedDefaults;
import io.github.promkinesis.protocol.prompb.Label;
import io.github.promkinesis.protocol.prompb.Sample;
import io.github.promkinesis.protocol.prompb.TimeSeries;
import io.github.promkinesis.protocol.prompb.WriteRequest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The reader reads back what the writer writes, bit for bit, and names what it cannot read. */
class JsonLineReaderTest {

    private final JsonLineReader reader = new JsonLineReader();

    @Test
    void everyValueTheWriterWritesComesBackWithItsBits() {
        double[] values = {0.0, -0.0, 0.1 + 0.2, Double.MIN_VALUE, -Double.MAX_VALUE, 1e-310, Double.NaN,
            Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
            Double.longBitsToDouble(WriteRequestToJsonLines.STALE_NAN_BITS)};
        TimeSeries.Builder series = TimeSeries.newBuilder()
                .addLabels(Label.newBuilder().setName("z").setValue("last \"q\" \\ \n 日本"))
                .addLabels(Label.newBuilder().setName("__name__").setValue("m"));
        for (int i = 0; i < values.length; i++) {
            series.addSamples(Sample.newBuilder().setValue(values[i]).setTimestamp(-5 + i));
        }
        JsonLines lines = ShippedDefaults.encoder().toJsonLines(WriteRequest.newBuilder().addTimeseries(series).build());

        for (int i = 0; i < values.length; i++) {
            ByteBuffer line = lines.slice(i, i + 1);
            ArchivedLine read = reader.read(line.array(), line.arrayOffset() + line.position(), line.remaining() - 1);
            assertEquals(ArchivedLine.Kind.SAMPLE, read.kind());
            assertEquals("m", read.name());
            assertEquals(-5 + i, read.time());
            assertEquals(Double.doubleToRawLongBits(values[i]), Double.doubleToRawLongBits(read.value()), "value " + i);
            assertEquals("__name__", read.labels().get(0).getName(), "labels sorted by name");
            assertEquals("last \"q\" \\ \n 日本", read.labels().get(1).getValue());
        }
    }

    @Test
    void otherKindsAreToldByTheirMarker() {
        assertEquals(ArchivedLine.Kind.HISTOGRAM, read("{\"name\":\"h\",\"time\":1,\"histogram\":{\"count\":1,"
                + "\"buckets\":[{\"index\":1}]},\"labels\":{\"__name__\":\"h\"}}").kind());
        assertEquals(ArchivedLine.Kind.EXEMPLAR, read("{\"name\":\"h\",\"time\":1,\"exemplar\":{\"value\":1,"
                + "\"labels\":{}},\"labels\":{}}").kind());
        assertEquals(ArchivedLine.Kind.METADATA, read("{\"name\":\"h\",\"time\":1,\"metadata\":{\"type\":\"gauge\"}}")
                .kind());
    }

    @Test
    void whatCannotBeReadIsNamed() {
        assertTrue(refused("not json").startsWith("not JSON"));
        assertEquals("not a JSON object", refused("[1]"));
        assertEquals("unknown field \"colour\"", refused("{\"name\":\"m\",\"time\":1,\"value\":1,\"colour\":1}"));
        assertTrue(refused("{\"name\":\"m\",\"time\":1,\"labels\":{}}").startsWith("not a line of the archive"));
        assertEquals("value \"many\" is no number", refused("{\"name\":\"m\",\"time\":1,\"value\":\"many\"}"));
        assertEquals("time is no whole number", refused("{\"name\":\"m\",\"time\":1.5,\"value\":1}"));
    }

    private ArchivedLine read(String line) {
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        return reader.read(bytes, 0, bytes.length);
    }

    private String refused(String line) {
        return assertThrows(IllegalArgumentException.class, () -> read(line)).getMessage();
    }
}
