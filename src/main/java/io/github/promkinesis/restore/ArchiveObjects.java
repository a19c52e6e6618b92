package io.github.promkinesis.restore;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The objects of an archive as Amazon Data Firehose lays them out in S3: each the concatenation of record
 * payloads, plain JSON lines or gzip (one stream, or one member per packed gzip record). Gzip is told by its
 * magic bytes, never by the name. The archive is a directory (every regular file below it), one file, or
 * {@code s3://bucket/prefix} (the SDK's credentials; S3_ENDPOINT for MinIO, s3rver or a VPC endpoint).
 */
public final class ArchiveObjects {

    private final Path directory;
    private final S3Client s3;
    private final String bucket;
    private final String prefix;

    private ArchiveObjects(Path directory, S3Client s3, String bucket, String prefix) {
        this.directory = directory;
        this.s3 = s3;
        this.bucket = bucket;
        this.prefix = prefix;
    }

    /** The archive at SOURCE; an unusable one is an {@link IllegalArgumentException} saying why. */
    static ArchiveObjects at(String source, String s3Endpoint, String region) {
        if (source.startsWith("s3://")) {
            String path = source.substring("s3://".length());
            int slash = path.indexOf('/');
            String bucket = slash < 0 ? path : path.substring(0, slash);
            if (bucket.isEmpty()) {
                throw new IllegalArgumentException("--from " + source + ": s3://BUCKET/PREFIX");
            }
            return new ArchiveObjects(null, s3(s3Endpoint, region), bucket, slash < 0 ? "" : path.substring(slash + 1));
        }
        Path path = Path.of(source);
        if (!Files.exists(path)) {
            throw new IllegalArgumentException("--from " + source + ": no such file or directory");
        }
        return new ArchiveObjects(path, null, null, null);
    }

    /** Every object's name, sorted (Firehose's keys sort by time): files under the directory, or S3 keys. */
    public List<String> list() {
        if (s3 != null) {
            return s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(prefix)).contents().stream()
                    .map(S3Object::key).sorted().toList();
        }
        if (Files.isRegularFile(directory)) {
            return List.of(directory.toString());
        }
        try (Stream<Path> files = Files.walk(directory)) {
            return files.filter(Files::isRegularFile).map(Path::toString).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The object's JSON lines: unzipped when it starts with gzip's magic bytes 1f 8b. */
    public InputStream open(String name) throws IOException {
        InputStream raw = s3 != null ? s3.getObject(r -> r.bucket(bucket).key(name)) : Files.newInputStream(Path.of(name));
        BufferedInputStream in = new BufferedInputStream(raw, 1 << 16);
        in.mark(2);
        int first = in.read();
        int second = in.read();
        in.reset();
        return first == 0x1f && second == 0x8b ? new GZIPInputStream(in, 1 << 16) : in;
    }

    /** Where an object's problems are reported: its file, or s3://bucket/key. */
    String where(String name) {
        return s3 != null ? "s3://" + bucket + "/" + name : name;
    }

    private static S3Client s3(String endpoint, String region) {
        S3ClientBuilder builder = S3Client.builder();
        if (endpoint != null && !endpoint.isEmpty()) {
            builder.endpointOverride(URI.create(endpoint)).forcePathStyle(true);
        }
        builder.region(region != null && !region.isEmpty() ? Region.of(region) : regionFromChain(endpoint));
        return builder.build();
    }

    /** The SDK's region; an endpoint override (s3rver, MinIO) needs none, so any will do there. */
    private static Region regionFromChain(String endpoint) {
        try {
            return DefaultAwsRegionProviderChain.builder().build().getRegion();
        } catch (SdkClientException e) {
            if (endpoint != null && !endpoint.isEmpty()) {
                return Region.US_EAST_1;
            }
            throw new IllegalArgumentException("AWS_REGION is needed to read S3: no region is set and the AWS SDK"
                    + " found none in its profile or instance metadata");
        }
    }
}
