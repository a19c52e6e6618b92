package io.github.promkinesis.restore;

import io.github.promkinesis.parquet.ParquetFile;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.promkinesis.ShippedDefaults;
import io.github.promkinesis.config.RestoreSettings;
import io.github.promkinesis.config.SettingsSource;
import io.github.promkinesis.it.FirehoseParquet.Conversion;
import io.github.promkinesis.it.FirehoseParquet;
import io.github.promkinesis.lines.ArchivedLine;
import io.github.promkinesis.lines.JsonLineReader;
import io.github.promkinesis.lines.JsonLineWriter;
import io.github.promkinesis.lines.JsonLines;
import io.github.promkinesis.protocol.prompb.BucketSpan;
import io.github.promkinesis.protocol.prompb.Exemplar;
import io.github.promkinesis.protocol.prompb.Histogram;
import io.github.promkinesis.protocol.prompb.Label;
import io.github.promkinesis.protocol.prompb.MetricMetadata;
import io.github.promkinesis.protocol.prompb.Sample;
import io.github.promkinesis.protocol.prompb.TimeSeries;
import io.github.promkinesis.protocol.prompb.WriteRequest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;
import org.apache.parquet.column.ParquetProperties.WriterVersion;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Lines of every kind, written by the adapter's own writer, through Firehose's Parquet conversion and back: the
 * same bytes, which the restore's reader reads to the same samples.
 */
class ParquetLinesTest {

    private static final double STALE = Double.longBitsToDouble(JsonLineWriter.STALE_NAN_BITS);

    @TempDir
    Path directory;

    @Test
    void everyKindOfLineComesBackByteForByte() throws IOException {
        List<String> lines = everyKind();
        Path file = directory.resolve("archive.parquet");
        FirehoseParquet.write(lines, file);

        byte[] restored = read(ParquetLines.open(file));

        assertEquals(String.join("", lines), new String(restored, StandardCharsets.UTF_8));
        JsonLineReader reader = new JsonLineReader();
        List<String> restoredLines = split(restored);
        for (int i = 0; i < lines.size(); i++) {
            ArchivedLine written = read(reader, lines.get(i));
            ArchivedLine read = read(reader, restoredLines.get(i));
            assertEquals(written, read, lines.get(i));
            assertEquals(Double.doubleToRawLongBits(written.value()), Double.doubleToRawLongBits(read.value()));
        }
    }

    static Stream<Conversion> conversions() {
        return Stream.of(
                Conversion.FIREHOSE.withRowGroupBytes(16 << 10),
                new Conversion(16 << 10, CompressionCodecName.GZIP, false, WriterVersion.PARQUET_1_0, true),
                new Conversion(16 << 10, CompressionCodecName.UNCOMPRESSED, true, WriterVersion.PARQUET_2_0, false));
    }

    @ParameterizedTest
    @MethodSource("conversions")
    void aLargeFileComesBackRowGroupByRowGroup(Conversion conversion) throws IOException {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            lines.addAll(everyKind());
        }
        Path file = directory.resolve("large.parquet");
        FirehoseParquet.write(lines, file, conversion);

        try (ParquetFile parquet = ParquetFile.open(file)) {
            assertTrue(parquet.rowGroups() > 3, "row groups: " + parquet.rowGroups());
        }
        assertEquals(String.join("", lines), new String(read(ParquetLines.open(file)), StandardCharsets.UTF_8));
    }

    @Test
    void aFloatHistogramOfWholeCountsComesBackAsAnIntegerOne() throws IOException {
        Histogram whole = Histogram.newBuilder().setCountFloat(3).setSum(2.5).setSchema(0)
                .addPositiveSpans(span(1, 1)).addPositiveCounts(3).setTimestamp(1).build();
        String line = lines(request(series(List.of(label("__name__", "h")), whole))).get(0);
        Path file = directory.resolve("whole.parquet");
        FirehoseParquet.write(List.of(line), file);

        String restored = new String(read(ParquetLines.open(file)), StandardCharsets.UTF_8);

        assertEquals(line.replace("\"count\":3.0", "\"count\":3").replace("\"zero_count\":0.0", "\"zero_count\":0"),
                restored);
    }

    @Test
    void aCutOffFileIsAnIOExceptionSayingSo() throws IOException {
        Path file = directory.resolve("cut.parquet");
        FirehoseParquet.write(everyKind(), file);
        byte[] whole = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(whole, whole.length - 100));

        IOException cut = assertThrows(IOException.class, () -> ParquetLines.open(file));
        assertTrue(cut.getMessage().contains("cut off"), cut.getMessage());

        Files.write(file, Arrays.copyOf(whole, 3));
        assertThrows(IOException.class, () -> ParquetLines.open(file));
    }

    @Test
    void damagedPagesAreAnIOExceptionWhenRead() throws IOException {
        Path file = directory.resolve("damaged.parquet");
        FirehoseParquet.write(everyKind(), file);
        byte[] bytes = Files.readAllBytes(file);
        int footer = ByteBuffer.wrap(bytes, bytes.length - 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        for (int i = 4; i < bytes.length - 8 - footer; i++) {
            bytes[i] = (byte) (bytes[i] * 31 + 7);
        }
        Files.write(file, bytes);

        InputStream lines = ParquetLines.open(file);
        IOException damaged = assertThrows(IOException.class, () -> read(lines));
        assertTrue(damaged.getMessage().startsWith("Parquet row group 1, column "), damaged.getMessage());
    }

    @Test
    void archiveObjectsTellParquetByItsBytesNotItsName() throws IOException {
        List<String> lines = everyKind();
        Path file = directory.resolve("x.json.gz");
        FirehoseParquet.write(lines, file);

        ArchiveObjects archive = ArchiveObjects.at(directory.toString(),
                RestoreSettings.read(SettingsSource.environmentOnly(Map.of())), null, new LongAdder(), directory);

        assertEquals(String.join("", lines), new String(read(archive.open(file.toString())), StandardCharsets.UTF_8));
    }

    @Test
    void anObjectThatIsNoLocalFileIsReadFromATemporaryCopyDeletedOnClose() throws IOException {
        List<String> lines = everyKind();
        Path file = directory.resolve("object");
        FirehoseParquet.write(lines, file);
        Path tmpDir = Files.createDirectory(directory.resolve("tmp"));

        InputStream restored = ParquetLines.open(new ByteArrayInputStream(Files.readAllBytes(file)), tmpDir);
        List<Path> copies = copies(tmpDir);
        assertFalse(copies.isEmpty(), "a temporary copy in the directory given (--tmp-dir)");

        assertEquals(String.join("", lines), new String(read(restored), StandardCharsets.UTF_8));
        assertTrue(copies.stream().noneMatch(Files::exists), "the copy deleted on close");
    }

    /** One line of each kind and value the writer writes, as Prometheus sends them. */
    private static List<String> everyKind() {
        List<Label> scrape = List.of(label("__name__", "scrape_duration_seconds"), label("instance", "localhost:9090"),
                label("job", "prometheus"));
        TimeSeries.Builder floats = series(scrape);
        double[] values = {0.004345524, 1.5268E-5, -0.0, 1.7976931348623157E308, 1.0, Double.NaN,
            Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, STALE, 42, 1e7, -3.25};
        for (int i = 0; i < values.length; i++) {
            floats.addSamples(Sample.newBuilder().setValue(values[i]).setTimestamp(1513264725773L + i));
        }
        TimeSeries escaped = series(List.of(label("__name__", "odd"), label("path", "a\"b\\c"),
                label("text", "日本 🦊 ünï\n\t\u0001"), label("zone", "")))
                .addSamples(Sample.newBuilder().setValue(2).setTimestamp(5)).build();
        TimeSeries created = series(List.of(label("__name__", "requests_total")))
                .addSamples(Sample.newBuilder().setValue(7).setTimestamp(9).setStartTimestamp(3)).build();
        Histogram integer = Histogram.newBuilder().setCountInt(9).setSum(10.5).setSchema(0).setZeroThreshold(0.001)
                .setZeroCountInt(1).addNegativeSpans(span(1, 1)).addNegativeDeltas(1)
                .addPositiveSpans(span(1, 2)).addAllPositiveDeltas(List.of(3L, 1L))
                .setResetHint(Histogram.ResetHint.NO).setTimestamp(5).build();
        Histogram custom = Histogram.newBuilder().setCountFloat(6.5).setSum(2.5).setSchema(-53)
                .addAllCustomValues(List.of(0.1, 1.0, 5.0)).addPositiveSpans(span(0, 1)).addPositiveSpans(span(1, 2))
                .addAllPositiveCounts(List.of(1.5, 2.0, 3.0)).setResetHint(Histogram.ResetHint.GAUGE)
                .setTimestamp(7).build();
        Histogram stale = Histogram.newBuilder().setSum(STALE).setTimestamp(8).build();
        TimeSeries histograms = series(List.of(label("__name__", "rpc_seconds"), label("job", "api")),
                integer, custom, stale).toBuilder().setCreatedTimestamp(2)
                .addExemplars(Exemplar.newBuilder().addLabels(label("span", "s\"2")).addLabels(label("trace_id", "t-1"))
                        .setValue(0.3).setTimestamp(11))
                .build();
        WriteRequest request = WriteRequest.newBuilder().addTimeseries(floats).addTimeseries(escaped)
                .addTimeseries(created).addTimeseries(histograms)
                .addMetadata(MetricMetadata.newBuilder().setType(MetricMetadata.MetricType.GAUGEHISTOGRAM)
                        .setMetricFamilyName("rpc_seconds").setHelp("RPC \"latency\".\n").setUnit("seconds"))
                .addMetadata(MetricMetadata.newBuilder().setType(MetricMetadata.MetricType.COUNTER)
                        .setMetricFamilyName("requests_total"))
                .build();
        return lines(request);
    }

    private static List<String> lines(WriteRequest request) {
        JsonLineWriter encoder = ShippedDefaults.encoder();
        encoder.setMetadataLines(true);
        JsonLines lines = encoder.toJsonLines(request);
        List<String> text = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            ByteBuffer line = lines.slice(i, i + 1);
            text.add(StandardCharsets.UTF_8.decode(line).toString());
        }
        return text;
    }

    private static WriteRequest request(TimeSeries series) {
        return WriteRequest.newBuilder().addTimeseries(series).build();
    }

    private static TimeSeries.Builder series(List<Label> labels) {
        return TimeSeries.newBuilder().addAllLabels(labels);
    }

    private static TimeSeries series(List<Label> labels, Histogram... histograms) {
        return series(labels).addAllHistograms(List.of(histograms)).build();
    }

    private static Label label(String name, String value) {
        return Label.newBuilder().setName(name).setValue(value).build();
    }

    private static BucketSpan span(int offset, int length) {
        return BucketSpan.newBuilder().setOffset(offset).setLength(length).build();
    }

    private static ArchivedLine read(JsonLineReader reader, String line) {
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        return reader.read(bytes, 0, bytes.length - 1);
    }

    private static List<String> split(byte[] lines) {
        return Arrays.stream(new String(lines, StandardCharsets.UTF_8).split("(?<=\n)")).toList();
    }

    private static byte[] read(InputStream lines) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (lines) {
            lines.transferTo(bytes);
        }
        return bytes.toByteArray();
    }

    /** The temporary copies of objects in a directory. */
    private static List<Path> copies(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(file -> file.getFileName().toString().matches("restore-.*\\.parquet")).toList();
        }
    }
}
