package io.github.promkinesis.read;

import io.github.promkinesis.http.ThrottledLog;
import io.github.promkinesis.parquet.ByteRanges;
import io.github.promkinesis.parquet.ByteRanges.ReplacedException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * serve-archive's optional cache on local disk of what it reads of S3 objects ({@code READ_CACHE_DIR}, at most
 * {@code READ_CACHE_BYTES}), so that a dashboard asked again makes no GETs. An object is cut into blocks of
 * {@link #BLOCK} bytes from its start, each kept in a file of its own named by the object's version (a hash of where
 * it is, its ETag and size) and the block's number: ranges that overlap share blocks, a read of several missing
 * blocks is one GET, and a day compacted again (a new ETag) finds none of the old one's blocks. The least recently
 * used blocks are deleted first.
 *
 * <p>A block's file is written whole under a temporary name, then renamed, and ends with the CRC32C of its bytes: a
 * file cut off, damaged or deleted is read from S3 again, never answered, and a disk that fails costs GETs, not
 * queries. Requests that need the same block at once wait for one GET. At start the directory's blocks are kept
 * when their name and size agree (their CRC is checked when they are read) and the temporary files a kill left are
 * deleted; other files are left alone, so the directory is best the cache's own.
 */
public final class DiskCache {

    /**
     * Why 256 KiB: a query reads a column's pages a run at a time, often tens of KiB; S3 takes 20-50 ms to a GET's
     * first byte and a few more for 256 KiB, so a block costs about what its range alone would, and a GiB is 4,096
     * files, few enough to list at start.
     */
    static final int BLOCK = 256 * 1024;
    private static final int CHECKSUM = Integer.BYTES;
    private static final Pattern NAME = Pattern.compile("([0-9a-f]{32})-(\\d{1,15})-(\\d{1,7})\\.block");
    private static final Pattern TEMPORARY = Pattern.compile("[0-9a-f]{32}-\\d+-\\d+\\.block\\.\\d+\\.tmp");
    private static final Logger LOG = LoggerFactory.getLogger(DiskCache.class);

    private final Path directory;
    private final long maxBytes;
    private final long confirmNanos;
    /** Each block's file name to its size, least recently used first; it and {@link #bytes} guarded by it. */
    private final LinkedHashMap<String, Long> blocks = new LinkedHashMap<>(1024, 0.75f, true);
    private long bytes;
    /** The blocks being read from S3 now, for other requests to wait for. */
    private final Map<String, CompletableFuture<byte[]>> loading = new ConcurrentHashMap<>();
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final ThrottledLog problems = new ThrottledLog(LOG);
    private final String found;

    private DiskCache(Path directory, long maxBytes, Duration confirmAge) throws IOException {
        this.directory = directory;
        this.maxBytes = maxBytes;
        this.confirmNanos = confirmAge.toNanos();
        this.found = reuse();
    }

    /**
     * The cache in this directory (made when missing), its blocks there reused; an IOException when it cannot be
     * written. A block served from disk is confirmed to be of the object's current version once {@code confirmAge}
     * passed since the last confirmation (a HEAD, or a GET pinned to the version).
     */
    public static DiskCache open(Path directory, long maxBytes, Duration confirmAge) throws IOException {
        Files.createDirectories(directory);
        // a read-only mount is found now, not at the first query
        Files.delete(Files.createTempFile(directory, "probe", ".write"));
        return new DiskCache(directory, maxBytes, confirmAge);
    }

    /** The object's current version (ETag), asked of S3. */
    @FunctionalInterface
    public interface CurrentVersion {
        String get() throws IOException;
    }

    /**
     * The object read through the cache: {@code remote} reads it pinned to {@code version} (a replaced object is
     * a {@link ReplacedException}), {@code current} says which version is there now.
     */
    public ByteRanges ranges(String location, String version, long size, ByteRanges remote, CurrentVersion current) {
        return new CachedObject(location, version, size, remote, current);
    }

    /** Blocks read from the disk. */
    public long hits() {
        return hits.sum();
    }

    /** Blocks read from S3: not on the disk, or damaged there. */
    public long misses() {
        return misses.sum();
    }

    /** The blocks' files' size. */
    public long bytes() {
        synchronized (blocks) {
            return bytes;
        }
    }

    /** Where it is and what start found there, for the first log line. */
    public String describe() {
        return "disk cache " + directory + " of at most " + maxBytes / (1 << 20) + " MiB (" + found + ")";
    }

    private final class CachedObject implements ByteRanges {
        private final String location;
        private final String version;
        private final long size;
        private final ByteRanges remote;
        private final CurrentVersion current;
        private final String id;
        private volatile long confirmedAt = System.nanoTime();

        CachedObject(String location, String version, long size, ByteRanges remote, CurrentVersion current) {
            this.location = location;
            this.version = version;
            this.size = size;
            this.remote = remote;
            this.current = current;
            this.id = id(location + "\n" + version + "\n" + size);
        }

        @Override
        public long size() {
            return size;
        }

        @Override
        public byte[] read(long position, int length) throws IOException {
            if (length <= 0 || position < 0 || position + length > size) {
                return remote.read(position, length); // which says what is wrong with it, as without the cache
            }
            long first = position / BLOCK;
            byte[][] read = new byte[(int) ((position + length - 1) / BLOCK - first + 1)][];
            boolean fromDisk = false;
            TreeMap<Integer, CompletableFuture<byte[]>> mine = new TreeMap<>();
            Map<Integer, CompletableFuture<byte[]>> others = new TreeMap<>();
            for (int i = 0; i < read.length; i++) {
                read[i] = stored(first + i);
                if (read[i] == null) {
                    CompletableFuture<byte[]> claim = new CompletableFuture<>();
                    CompletableFuture<byte[]> other = loading.putIfAbsent(name(first + i), claim);
                    if (other != null) {
                        others.put(i, other);
                        continue;
                    }
                    // another request may have kept it since it was looked for
                    read[i] = stored(first + i);
                    if (read[i] == null) {
                        mine.put(i, claim);
                        continue;
                    }
                    loading.remove(name(first + i), claim);
                    claim.complete(read[i]);
                }
                hits.increment();
                fromDisk = true;
            }
            if (!mine.isEmpty()) {
                fetch(first, mine, read);
            }
            if (fromDisk) {
                confirm();
            }
            for (Map.Entry<Integer, CompletableFuture<byte[]>> other : others.entrySet()) {
                if (read[other.getKey()] == null) {
                    read[other.getKey()] = awaited(first + other.getKey(), other.getValue());
                }
            }
            byte[] answer = new byte[length];
            for (int i = 0; i < read.length; i++) {
                long start = (first + i) * BLOCK;
                long from = Math.max(position, start);
                long to = Math.min(position + length, start + blockLength(first + i));
                System.arraycopy(read[i], (int) (from - start), answer, (int) (from - position), (int) (to - from));
            }
            return answer;
        }

        /** One GET from the first block claimed to the last, the blocks between included; each claimed kept. */
        private void fetch(long first, TreeMap<Integer, CompletableFuture<byte[]>> mine, byte[][] read)
                throws IOException {
            int low = mine.firstKey();
            int high = mine.lastKey();
            long from = (first + low) * BLOCK;
            try {
                byte[] span = remote.read(from, Math.toIntExact((first + high) * BLOCK + blockLength(first + high)
                        - from));
                confirmedAt = System.nanoTime();
                for (int i = low; i <= high; i++) {
                    int offset = (i - low) * BLOCK;
                    if (read[i] == null) {
                        read[i] = Arrays.copyOfRange(span, offset, offset + blockLength(first + i));
                    }
                    CompletableFuture<byte[]> claim = mine.get(i);
                    if (claim != null) {
                        misses.increment();
                        claim.complete(read[i]);
                        store(name(first + i), read[i]);
                    }
                }
            } catch (IOException | RuntimeException e) {
                mine.values().forEach(claim -> claim.completeExceptionally(e));
                throw e;
            } finally {
                mine.forEach((i, claim) -> loading.remove(name(first + i), claim));
            }
        }

        /** The block another request is reading; should it fail, read here again (and fail alike, or not). */
        private byte[] awaited(long block, CompletableFuture<byte[]> other) throws IOException {
            try {
                return other.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException(location + ": interrupted waiting for a block");
            } catch (ExecutionException e) {
                misses.increment();
                return remote.read(block * BLOCK, blockLength(block));
            }
        }

        /** Blocks from disk are of the version still there, as a GET pinned to it would find out. */
        private void confirm() throws IOException {
            if (System.nanoTime() - confirmedAt > confirmNanos) {
                if (!version.equals(current.get())) {
                    throw new ReplacedException(location + " was replaced since it was opened");
                }
                confirmedAt = System.nanoTime();
            }
        }

        /** The block's bytes from disk (its checksum after them), or null when it has none whole. */
        private byte[] stored(long block) {
            String name = name(block);
            Path file = directory.resolve(name);
            byte[] bytes;
            try {
                bytes = Files.readAllBytes(file);
            } catch (NoSuchFileException e) {
                return null;
            } catch (IOException e) {
                drop(name, e.toString());
                return null;
            }
            int length = blockLength(block);
            if (bytes.length != length + CHECKSUM || ByteBuffer.wrap(bytes).getInt(length) != checksum(bytes, length)) {
                drop(name, bytes.length != length + CHECKSUM ? bytes.length + " bytes, not " + (length + CHECKSUM)
                        : "its checksum does not match");
                return null;
            }
            synchronized (blocks) {
                blocks.get(name);
            }
            try {
                // the order of use, for the next start
                Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis()));
            } catch (IOException gone) {
                // evicted since: the bytes are read
            }
            return bytes;
        }

        private String name(long block) {
            return id + "-" + block + "-" + blockLength(block) + ".block";
        }

        private int blockLength(long block) {
            return (int) Math.min(BLOCK, size - block * BLOCK);
        }

        @Override
        public void close() throws IOException {
            remote.close();
        }
    }

    /** The block written to a file of its own and renamed into place, then counted; older blocks deleted to fit. */
    private void store(String name, byte[] block) {
        long size = block.length + CHECKSUM;
        if (size > maxBytes) {
            return;
        }
        Path temporary = null;
        try {
            temporary = Files.createTempFile(directory, name + ".", ".tmp");
            try (OutputStream out = Files.newOutputStream(temporary)) {
                out.write(block);
                out.write(ByteBuffer.allocate(CHECKSUM).putInt(checksum(block, block.length)).array());
            }
            synchronized (blocks) {
                Long replaced = blocks.remove(name);
                bytes -= replaced == null ? 0 : replaced;
                evict(size);
                Files.move(temporary, directory.resolve(name), StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
                blocks.put(name, size);
                bytes += size;
            }
        } catch (IOException e) {
            problems.log(false, "disk-cache-write", "The disk cache " + directory + " could not keep a block, read"
                    + " from S3 again when asked for: " + e);
            deleteQuietly(temporary);
        }
    }

    /** Least recently used blocks deleted until {@code incoming} more bytes fit; called holding {@link #blocks}. */
    private int evict(long incoming) {
        int evicted = 0;
        for (Iterator<Map.Entry<String, Long>> eldest = blocks.entrySet().iterator();
                bytes + incoming > maxBytes && eldest.hasNext(); evicted++) {
            Map.Entry<String, Long> block = eldest.next();
            eldest.remove();
            bytes -= block.getValue();
            deleteQuietly(directory.resolve(block.getKey()));
        }
        return evicted;
    }

    private void drop(String name, String why) {
        synchronized (blocks) {
            Long size = blocks.remove(name);
            bytes -= size == null ? 0 : size;
            deleteQuietly(directory.resolve(name));
        }
        problems.log(false, "disk-cache-damaged", "A block of the disk cache " + directory + " is damaged (" + why
                + "): deleted, read from S3 again");
    }

    private void deleteQuietly(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            problems.log(false, "disk-cache-delete", "The disk cache could not delete " + file + ": " + e);
        }
    }

    /** The blocks a previous run left, whose name and size agree, in their order of use; leftovers deleted. */
    private String reuse() throws IOException {
        record Found(String name, long size, FileTime used) {
        }
        List<Found> kept = new ArrayList<>();
        int deleted = 0;
        int foreign = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                Matcher block = NAME.matcher(name);
                if (!block.matches() && !TEMPORARY.matcher(name).matches()) {
                    foreign++;
                    continue;
                }
                BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
                if (block.matches() && attributes.isRegularFile()
                        && attributes.size() == Long.parseLong(block.group(3)) + CHECKSUM) {
                    kept.add(new Found(name, attributes.size(), attributes.lastModifiedTime()));
                } else {
                    Files.deleteIfExists(file);
                    deleted++;
                }
            }
        }
        kept.sort(Comparator.comparing(Found::used));
        synchronized (blocks) {
            for (Found block : kept) {
                blocks.put(block.name(), block.size());
                bytes += block.size();
            }
            int evicted = evict(0);
            return blocks.size() + " blocks of " + bytes / (1 << 20) + " MiB reused, " + (deleted + evicted)
                    + " deleted" + (foreign == 0 ? "" : ", " + foreign + " other files left alone");
        }
    }

    private static int checksum(byte[] bytes, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, length);
        return (int) crc.getValue();
    }

    private static String id(String version) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(version.getBytes(StandardCharsets.UTF_8)), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
