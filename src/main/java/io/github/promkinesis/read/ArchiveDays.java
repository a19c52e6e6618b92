package io.github.promkinesis.read;

import io.github.promkinesis.config.ReadSettings;
import io.github.promkinesis.parquet.ByteRanges;
import io.github.promkinesis.parquet.ByteRanges.ReplacedException;
import io.github.promkinesis.restore.ArchiveObjects;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Stream;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The source of serve-archive: the compacted days under {@code --from}, a directory or an {@code s3://} prefix,
 * each {@code dt=YYYY-MM-DD/} as compact writes it. A day is opened when a query first needs it (its index and
 * footer, two reads) and kept while it is among the {@code READ_CACHED_DAYS} used last; a day not compacted is no
 * data. The day's file is read by ranges: only the pages of the series asked for; from S3 through a
 * {@link DiskCache} when READ_CACHE_DIR is set.
 */
public final class ArchiveDays {

    private static final Duration LISTING_AGE = Duration.ofMinutes(1);

    private final Store store;
    private final Map<LocalDate, CompactedDay> cache;
    private NavigableSet<LocalDate> listed;
    private long listedAt;

    private ArchiveDays(Store store, int cachedDays) {
        this.store = store;
        this.cache = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<LocalDate, CompactedDay> eldest) {
                return size() > cachedDays;
            }
        };
    }

    /** The days under {@code from}; a source that cannot be one is an IllegalArgumentException saying why. */
    public static ArchiveDays at(String from, ReadSettings settings) {
        if (from.startsWith("s3://")) {
            URI uri = URI.create(from);
            String prefix = uri.getPath().replaceFirst("^/", "");
            if (uri.getHost() == null || uri.getHost().isEmpty()) {
                throw new IllegalArgumentException("--from " + from + ": no bucket (s3://BUCKET/PREFIX)");
            }
            return new ArchiveDays(new S3Store(ArchiveObjects.s3(settings.s3Endpoint, settings.s3Region()), uri.getHost(),
                    prefix.isEmpty() || prefix.endsWith("/") ? prefix : prefix + "/", diskCache(settings)),
                    settings.cachedDays);
        }
        Path directory = Path.of(from);
        if (!Files.isDirectory(directory)) {
            throw new IllegalArgumentException("--from " + from + ": no such directory (a directory or s3://BUCKET/PREFIX"
                    + " of compacted days, dt=YYYY-MM-DD/)");
        }
        return new ArchiveDays(new LocalStore(directory, settings.cacheDir != null), settings.cachedDays);
    }

    /**
     * READ_CACHE_DIR's cache, or null. What it serves is confirmed to be the objects' current version as often as
     * the days are listed: a day compacted again is seen within {@link #LISTING_AGE}, as a new one is.
     */
    private static DiskCache diskCache(ReadSettings settings) {
        if (settings.cacheDir == null) {
            return null;
        }
        try {
            return DiskCache.open(settings.cacheDir, settings.cacheBytes, LISTING_AGE);
        } catch (IOException e) {
            throw new IllegalArgumentException("READ_CACHE_DIR=" + settings.cacheDir + " cannot hold the disk cache: "
                    + e, e);
        }
    }

    /** The disk cache of S3's objects, when READ_CACHE_DIR is set and the days are in S3. */
    public Optional<DiskCache> diskCache() {
        return store instanceof S3Store s3 ? Optional.ofNullable(s3.cache()) : Optional.empty();
    }

    /** The compacted day, or null when it has none; an IOException when it is there but cannot be read. */
    CompactedDay day(LocalDate day) throws IOException {
        synchronized (cache) {
            CompactedDay known = cache.get(day);
            if (known != null) {
                return known;
            }
        }
        String where = store.where("dt=" + day + "/");
        InputStream index = store.open("dt=" + day + "/" + CompactedDay.INDEX);
        if (index == null) {
            return null;
        }
        CompactedDay read;
        try (index) {
            read = CompactedDay.read(day, index, forgotten(day, store.ranges("dt=" + day + "/" + CompactedDay.FILE)),
                    where);
        }
        synchronized (cache) {
            cache.put(day, read);
        }
        return read;
    }

    /**
     * The day's file, which drops the day from the cache once it was compacted again: the request that finds out
     * fails (503), the next reads the day anew.
     */
    private ByteRanges forgotten(LocalDate day, ByteRanges file) {
        return new ByteRanges() {
            @Override
            public long size() throws IOException {
                return file.size();
            }

            @Override
            public byte[] read(long position, int length) throws IOException {
                try {
                    return file.read(position, length);
                } catch (ReplacedException e) {
                    synchronized (cache) {
                        cache.remove(day);
                    }
                    throw e;
                }
            }

            @Override
            public void close() throws IOException {
                file.close();
            }
        };
    }

    /**
     * The compacted days between these (inclusive), from a listing at most {@link #LISTING_AGE} old: a query over
     * years asks only for days that exist, and a day compacted since is seen within a minute.
     */
    NavigableSet<LocalDate> between(LocalDate first, LocalDate last) throws IOException {
        synchronized (this) {
            if (listed == null || System.nanoTime() - listedAt > LISTING_AGE.toNanos()) {
                TreeSet<LocalDate> found = new TreeSet<>();
                for (String name : store.days()) {
                    if (name.matches("dt=\\d{4}-\\d{2}-\\d{2}")) {
                        try {
                            found.add(LocalDate.parse(name.substring(3)));
                        } catch (DateTimeParseException e) {
                            // not a day: not compact's
                        }
                    }
                }
                listed = found;
                listedAt = System.nanoTime();
            }
            return listed.subSet(first, true, last, true);
        }
    }

    /** What serve-archive reads, and through what, said in its first log line. */
    public String describe() {
        return store.describe();
    }

    private interface Store {
        /** The object's bytes, or null when there is none. */
        InputStream open(String name) throws IOException;

        ByteRanges ranges(String name) throws IOException;

        String where(String name);

        /** The names directly under the source: the days' directories among them. */
        List<String> days() throws IOException;

        String describe();
    }

    /** {@code cacheAsked}: READ_CACHE_DIR is set, for nothing: the days are on a local disk already. */
    private record LocalStore(Path directory, boolean cacheAsked) implements Store {
        @Override
        public InputStream open(String name) throws IOException {
            try {
                return Files.newInputStream(directory.resolve(name));
            } catch (NoSuchFileException e) {
                return null;
            }
        }

        @Override
        public ByteRanges ranges(String name) throws IOException {
            return ByteRanges.reopening(directory.resolve(name));
        }

        @Override
        public List<String> days() throws IOException {
            try (Stream<Path> names = Files.list(directory)) {
                return names.map(path -> path.getFileName().toString()).toList();
            }
        }

        @Override
        public String where(String name) {
            return directory.resolve(name).toString() + (name.isEmpty() || name.endsWith("/") ? "/" : "");
        }

        @Override
        public String describe() {
            return where("") + (cacheAsked ? " (READ_CACHE_DIR unused: the days are local)" : "");
        }
    }

    /** {@code cache}: READ_CACHE_DIR's, or null. */
    private record S3Store(S3Client s3, String bucket, String prefix, DiskCache cache) implements Store {
        @Override
        public InputStream open(String name) throws IOException {
            try {
                return s3.getObject(get -> get.bucket(bucket).key(prefix + name));
            } catch (NoSuchKeyException e) {
                return null;
            } catch (SdkException e) {
                throw new IOException(where(name) + ": " + e.getMessage(), e);
            }
        }

        @Override
        public ByteRanges ranges(String name) throws IOException {
            String key = prefix + name;
            HeadObjectResponse head = head(name);
            long size = head.contentLength();
            // pinned to this version: another PUT (the day compacted again) fails the reads, 412, not mixes files
            String etag = head.eTag();
            ByteRanges pinned = new ByteRanges() {
                @Override
                public long size() {
                    return size;
                }

                @Override
                public byte[] read(long position, int length) throws IOException {
                    if (length == 0) {
                        return new byte[0];
                    }
                    try (ResponseInputStream<GetObjectResponse> in = s3.getObject(get -> get.bucket(bucket).key(key)
                            .ifMatch(etag).range("bytes=" + position + "-" + (position + length - 1)))) {
                        byte[] bytes = in.readNBytes(length);
                        if (bytes.length != length) {
                            throw new IOException(where(name) + ": " + bytes.length + " bytes from " + position
                                    + ", not " + length);
                        }
                        return bytes;
                    } catch (S3Exception e) {
                        if (e.statusCode() == 412) {
                            throw new ReplacedException(where(name) + " was replaced since it was opened");
                        }
                        throw new IOException(where(name) + ": " + e.getMessage(), e);
                    } catch (SdkException e) {
                        throw new IOException(where(name) + ": " + e.getMessage(), e);
                    }
                }

                @Override
                public void close() {
                    // no connection is held between reads
                }
            };
            return cache == null ? pinned : cache.ranges(where(name), etag, size, pinned, () -> head(name).eTag());
        }

        private HeadObjectResponse head(String name) throws IOException {
            try {
                return s3.headObject(request -> request.bucket(bucket).key(prefix + name));
            } catch (SdkException e) {
                throw new IOException(where(name) + ": " + e.getMessage(), e);
            }
        }

        @Override
        public String where(String name) {
            return "s3://" + bucket + "/" + prefix + name;
        }

        @Override
        public String describe() {
            return where("") + (cache == null ? "" : ", through the " + cache.describe());
        }

        @Override
        public List<String> days() throws IOException {
            try {
                return s3.listObjectsV2Paginator(list -> list.bucket(bucket).prefix(prefix + "dt=").delimiter("/"))
                        .commonPrefixes().stream()
                        .map(common -> common.prefix().substring(prefix.length()).replaceFirst("/$", "")).toList();
            } catch (SdkException e) {
                throw new IOException(where("") + ": " + e.getMessage(), e);
            }
        }
    }
}
