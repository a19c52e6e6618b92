package io.github.promkinesis.restore;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import io.github.promkinesis.config.RestoreSettings;
import io.github.promkinesis.kinesis.AwsClients;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The objects of an archive as Amazon Data Firehose lays them out in S3: each the concatenation of record
 * payloads, plain JSON lines or gzip (one stream, or one member per packed gzip record), or Parquet from its record
 * format conversion. Gzip and Parquet are told by their magic bytes, never by the name. The archive is a directory
 * (every regular file below it), one file, {@code s3://bucket/prefix} (the SDK's credentials; S3_ENDPOINT for
 * MinIO, s3rver or a VPC endpoint), or the stream itself, {@code kinesis://STREAM}, each shard an object
 * (KINESIS_ENDPOINT as for the adapter).
 */
public final class ArchiveObjects {

    private final Path directory;
    private final S3Client s3;
    private final String bucket;
    private final String prefix;
    private final KinesisClient kinesis;
    private final String stream;
    private final Instant start;
    private final LongAdder bytesRead;
    /** Where a Parquet object that is no local file is copied to be read. */
    private final Path tmpDir;
    private long bytesListed;

    private ArchiveObjects(Path directory, S3Client s3, String bucket, String prefix, KinesisClient kinesis,
                           String stream, Instant start, LongAdder bytesRead, Path tmpDir) {
        this.directory = directory;
        this.s3 = s3;
        this.bucket = bucket;
        this.prefix = prefix;
        this.kinesis = kinesis;
        this.stream = stream;
        this.start = start;
        this.bytesRead = bytesRead;
        this.tmpDir = tmpDir;
    }

    /**
     * The archive at SOURCE; an unusable one is an {@link IllegalArgumentException} saying why. A Kinesis stream
     * is read from its oldest record, or from {@code start} (milliseconds) when given. The bytes read are added to
     * {@code bytesRead} as they are, before gunzip. A Parquet object from S3 or the stream is copied into
     * {@code tmpDir} to be read.
     */
    public static ArchiveObjects at(String source, RestoreSettings settings, Long start, LongAdder bytesRead, Path tmpDir) {
        if (source.startsWith("kinesis://")) {
            String stream = source.substring("kinesis://".length());
            if (stream.isEmpty() || stream.contains("/")) {
                throw new IllegalArgumentException("--from " + source + ": kinesis://STREAM");
            }
            String endpoint = settings.kinesisEndpoint;
            KinesisClient kinesis = new AwsClients(settings.region(endpoint), Duration.ofSeconds(30)).kinesis(endpoint);
            return new ArchiveObjects(null, null, null, null, kinesis, stream,
                    start == null ? null : Instant.ofEpochMilli(start), bytesRead, tmpDir);
        }
        if (source.startsWith("s3://")) {
            String path = source.substring("s3://".length());
            int slash = path.indexOf('/');
            String bucket = slash < 0 ? path : path.substring(0, slash);
            if (bucket.isEmpty()) {
                throw new IllegalArgumentException("--from " + source + ": s3://BUCKET/PREFIX");
            }
            return new ArchiveObjects(null, s3(settings), bucket, slash < 0 ? "" : path.substring(slash + 1),
                    null, null, null, bytesRead, tmpDir);
        }
        Path path = Path.of(source);
        if (!Files.exists(path)) {
            throw new IllegalArgumentException("--from " + source + ": no such file or directory");
        }
        return new ArchiveObjects(path, null, null, null, null, null, null, bytesRead, tmpDir);
    }

    /**
     * Every object's name, sorted (Firehose's keys sort by time): files under the directory, S3 keys, or the
     * stream's shards. Their bytes add up to {@link #bytesListed()}. Names starting with '.' or '_' are left out,
     * as Hive, Athena and Spark leave them out: a compaction's file being written.
     */
    public List<String> list() {
        if (kinesis != null) {
            return kinesis.listShards(r -> r.streamName(stream)).shards().stream().map(Shard::shardId).toList();
        }
        return list(List.of(""));
    }

    /**
     * The objects under these prefixes of the directory or S3 prefix (such as Firehose's hours, "2026/11/27/08/"),
     * as {@link #list()} lists them; a prefix with nothing under it adds nothing.
     */
    public List<String> list(List<String> under) {
        List<String> names = new ArrayList<>();
        bytesListed = 0;
        for (String part : under) {
            if (s3 != null) {
                String full = prefix.isEmpty() || prefix.endsWith("/") || part.isEmpty() ? prefix + part
                        : prefix + "/" + part;
                List<S3Object> objects = s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(full)).contents()
                        .stream().filter(o -> visible(o.key())).sorted(Comparator.comparing(S3Object::key)).toList();
                bytesListed += objects.stream().mapToLong(S3Object::size).sum();
                objects.forEach(o -> names.add(o.key()));
                continue;
            }
            Path root = part.isEmpty() ? directory : directory.resolve(part);
            if (!Files.exists(root)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(root)) {
                List<Path> regular = files.filter(f -> Files.isRegularFile(f) && visible(f.getFileName().toString()))
                        .sorted().toList();
                for (Path file : regular) {
                    bytesListed += Files.size(file);
                    names.add(file.toString());
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return names;
    }

    private static boolean visible(String name) {
        String last = name.substring(name.lastIndexOf('/') + 1);
        return !last.startsWith(".") && !last.startsWith("_");
    }

    /** The bytes of the objects listed; 0 for a stream, whose size nothing tells in advance. */
    public long bytesListed() {
        return bytesListed;
    }

    /**
     * The object's JSON lines: unzipped when it starts with gzip's magic bytes 1f 8b; made from its rows when it
     * starts with Parquet's, PAR1 (a local file read in place, any other object from a temporary copy).
     */
    public InputStream open(String name) throws IOException {
        InputStream raw = kinesis != null ? new ShardRecords(kinesis, kinesis.getShardIterator(r -> r.streamName(stream)
                .shardId(name).shardIteratorType(start == null ? ShardIteratorType.TRIM_HORIZON
                        : ShardIteratorType.AT_TIMESTAMP).timestamp(start)).shardIterator())
                : s3 != null ? s3.getObject(r -> r.bucket(bucket).key(name)) : Files.newInputStream(Path.of(name));
        BufferedInputStream in = new BufferedInputStream(new Counted(raw), 1 << 16);
        in.mark(4);
        byte[] head = in.readNBytes(4);
        in.reset();
        if (ParquetLines.isParquet(head)) {
            if (directory == null) {
                return ParquetLines.open(in, tmpDir);
            }
            in.close();
            bytesRead.add(Files.size(Path.of(name)) - head.length); // read in place, past the counting stream
            return ParquetLines.open(Path.of(name));
        }
        return head.length >= 2 && head[0] == 0x1f && head[1] == (byte) 0x8b
                ? new GZIPInputStream(new UntilEnd(in), 1 << 16) : in;
    }

    /** Counts the bytes as they are read. */
    private final class Counted extends FilterInputStream {
        Counted(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                bytesRead.increment();
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                bytesRead.add(n);
            }
            return n;
        }
    }

    /** Whether an empty object is normal: a shard of the stream may hold no record; a file or S3 object may not. */
    boolean mayBeEmpty() {
        return kinesis != null;
    }

    /** Where an object's problems are reported: its file, or s3://bucket/key. */
    public String where(String name) {
        return kinesis != null ? "kinesis://" + stream + "/" + name : s3 != null ? "s3://" + bucket + "/" + name : name;
    }

    /** The S3 client of the settings. */
    public static S3Client s3(RestoreSettings settings) {
        return s3(settings.s3Endpoint, settings.region(settings.s3Endpoint));
    }

    /**
     * An S3 client in this region; with an endpoint override (MinIO, s3rver), path-style and without aws-chunked
     * uploads, which s3rver cannot read.
     */
    public static S3Client s3(String endpoint, String region) {
        S3ClientBuilder builder = S3Client.builder();
        if (!endpoint.isEmpty()) {
            builder.endpointOverride(URI.create(endpoint)).forcePathStyle(true)
                    .serviceConfiguration(S3Configuration.builder().chunkedEncodingEnabled(false).build());
        }
        return builder.region(Region.of(region)).build();
    }
}
