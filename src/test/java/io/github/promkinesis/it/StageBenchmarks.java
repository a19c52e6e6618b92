package io.github.promkinesis.it;

import io.github.promkinesis.ShippedDefaults;
import io.github.promkinesis.kinesis.KinesisRecord;
import io.github.promkinesis.kinesis.KinesisRecords;
import io.github.promkinesis.kinesis.RecordBatch;
import io.github.promkinesis.kinesis.RecordBatches;
import io.github.promkinesis.kinesis.streams.KinesisBatch;
import io.github.promkinesis.lines.JsonLineWriter;
import io.github.promkinesis.lines.JsonLines;
import io.github.promkinesis.protocol.SnappyDataFormat;
import io.github.promkinesis.protocol.prompb.WriteRequest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The floor of each stage of the hot path, one Prometheus-shaped request (2,000 samples, one per series, 10
 * labels) per operation: divide by 2,000 for the cost per sample. The load benchmark measures the whole path;
 * the gap between the two is Camel, HTTP and the AWS SDK. Commands in docs/benchmarks.md.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class StageBenchmarks {

    private final SnappyDataFormat snappy = ShippedDefaults.snappy();
    private final JsonLineWriter encoder = ShippedDefaults.encoder();
    private final KinesisRecords perSample = ShippedDefaults.kinesisRecords();
    private final KinesisRecords packed = ShippedDefaults.kinesisRecords();
    private final KinesisRecords packedGzip = ShippedDefaults.kinesisRecords();
    private final RecordBatches batches = KinesisBatch.batches();

    private byte[] body;
    private byte[] decompressed;
    private WriteRequest request;
    private JsonLines lines;
    private List<KinesisRecord> records;

    @Setup
    public void setUp() {
        packed.setMode("packed");
        packedGzip.setMode("packed");
        packedGzip.setGzip(true);
        request = LoadGenerator.request(new Random(1), 0, 2000, 1, 10);
        body = RemoteWriteBodies.snappy(request);
        decompressed = snappy.uncompress(body);
        lines = encoder.toJsonLines(request);
        records = perSample.of(lines);
    }

    @Benchmark
    public byte[] snappyDecode() {
        return snappy.uncompress(body);
    }

    /** As camel-protobuf does it: a builder merged from a stream. */
    @Benchmark
    public WriteRequest protobufDecodeAsCamel() throws IOException {
        return (WriteRequest) WriteRequest.getDefaultInstance().newBuilderForType()
                .mergeFrom(new ByteArrayInputStream(decompressed)).build();
    }

    /** The parser straight from the bytes: the floor of decoding into objects. */
    @Benchmark
    public WriteRequest protobufDecodeFromBytes() throws IOException {
        return WriteRequest.parseFrom(decompressed);
    }

    @Benchmark
    public JsonLines toJsonLines() {
        return encoder.toJsonLines(request);
    }

    @Benchmark
    public List<KinesisRecord> recordsPerSample() {
        return perSample.of(lines);
    }

    @Benchmark
    public List<KinesisRecord> recordsPacked() {
        return packed.of(lines);
    }

    @Benchmark
    public List<KinesisRecord> recordsPackedGzip() {
        return packedGzip.of(lines);
    }

    @Benchmark
    public List<RecordBatch> batchesPerSample() {
        return batches.split(records);
    }

    /** Every stage of ours, body to batches, packed: what the adapter adds before the SDK. */
    @Benchmark
    public List<RecordBatch> allStagesPacked() throws IOException {
        return batches.split(packed.of(encoder.toJsonLines(WriteRequest.parseFrom(snappy.uncompress(body)))));
    }
}
