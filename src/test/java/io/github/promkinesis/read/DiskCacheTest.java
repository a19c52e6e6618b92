package io.github.promkinesis.read;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.promkinesis.parquet.ByteRanges;
import io.github.promkinesis.parquet.ByteRanges.ReplacedException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The disk cache on its own, a local file standing in for the S3 object (its reads counted): what it answers is
 * the file's bytes whatever the range, read once; a new version reads anew; the directory stays under its bound; a
 * damaged or cut block is read again; a restart reuses what is whole; readers of one block at once wait for one read.
 */
class DiskCacheTest {

    private static final int BLOCK = DiskCache.BLOCK;
    private static final Duration NEVER = Duration.ofDays(1);

    @TempDir
    Path work;

    @Test
    void anyRangeIsTheObjectsBytesAndASecondReadIsFromDisk() throws IOException {
        byte[] object = object(10 * BLOCK + 12_345, 1);
        Remote remote = new Remote(object);
        DiskCache cache = DiskCache.open(work.resolve("cache"), 1L << 30, NEVER);
        ByteRanges cached = cache.ranges("s3://b/dt=2026-11-27/part-0.parquet", "\"v1\"", object.length, remote,
                () -> "\"v1\"");
        List<long[]> ranges = ranges(object.length);

        for (long[] range : ranges) {
            assertArrayEquals(slice(object, range), cached.read(range[0], (int) range[1]), Arrays.toString(range));
        }
        int firstPass = remote.reads.get();
        assertTrue(firstPass > 0 && firstPass <= ranges.size(), "at most one GET a read: " + firstPass);
        assertEquals(11, cache.misses(), "each block read from S3 once");
        assertEquals(object.length + 11L * 4, cache.bytes(), "the blocks and their checksums");

        for (long[] range : ranges) {
            assertArrayEquals(slice(object, range), cached.read(range[0], (int) range[1]), Arrays.toString(range));
        }
        assertEquals(firstPass, remote.reads.get(), "the second pass reads nothing from S3");
        assertEquals(11, cache.misses());
        assertTrue(cache.hits() > ranges.size(), "hits " + cache.hits());
    }

    @Test
    void aNewVersionOfTheObjectIsNeverAnsweredFromTheOldOnesBlocks() throws IOException {
        byte[] old = object(3 * BLOCK, 1);
        byte[] recompacted = object(3 * BLOCK, 2);
        DiskCache cache = DiskCache.open(work, 1L << 30, NEVER);
        String where = "s3://b/dt=2026-11-27/part-0.parquet";
        assertArrayEquals(old, cache.ranges(where, "\"v1\"", old.length, new Remote(old), () -> "\"v1\"")
                .read(0, old.length));

        Remote remote = new Remote(recompacted);
        assertArrayEquals(recompacted, cache.ranges(where, "\"v2\"", recompacted.length, remote, () -> "\"v2\"")
                .read(0, recompacted.length));
        assertEquals(1, remote.reads.get());
    }

    @Test
    void blocksFromDiskAreConfirmedToBeOfTheVersionThereNow() throws IOException {
        byte[] object = object(BLOCK, 1);
        AtomicInteger heads = new AtomicInteger();
        String[] current = {"\"v1\""};
        DiskCache cache = DiskCache.open(work, 1L << 30, Duration.ZERO);
        ByteRanges cached = cache.ranges("s3://b/k", "\"v1\"", object.length, new Remote(object), () -> {
            heads.incrementAndGet();
            return current[0];
        });
        cached.read(0, 100);
        assertEquals(0, heads.get(), "the GET pinned to v1 confirmed it");
        cached.read(100, 100);
        assertEquals(1, heads.get(), "a block from disk, confirmed by a HEAD");

        current[0] = "\"v2\"";
        assertThrows(ReplacedException.class, () -> cached.read(0, 100));
    }

    @Test
    void theDirectoryStaysUnderItsBoundAndTheAnswersRight() throws IOException {
        byte[] object = object(10 * BLOCK + 999, 1);
        long bound = 3L * (BLOCK + 4);
        Path directory = work.resolve("cache");
        DiskCache cache = DiskCache.open(directory, bound, NEVER);
        ByteRanges cached = cache.ranges("s3://b/k", "\"v1\"", object.length, new Remote(object), () -> "\"v1\"");
        for (int pass = 0; pass < 2; pass++) {
            for (long[] range : ranges(object.length)) {
                assertArrayEquals(slice(object, range), cached.read(range[0], (int) range[1]));
                assertTrue(CacheDirectory.bytes(directory) <= bound, CacheDirectory.bytes(directory) + " bytes on disk");
            }
        }
        assertEquals(CacheDirectory.bytes(directory), cache.bytes());
        assertEquals(3, CacheDirectory.files(directory).size());
    }

    @Test
    void aCutOrDamagedBlockIsReadAgainAndARestartReusesTheWholeOnes() throws IOException {
        byte[] object = object(4 * BLOCK, 1);
        Path directory = work.resolve("cache");
        DiskCache cache = DiskCache.open(directory, 1L << 30, NEVER);
        cache.ranges("s3://b/k", "\"v1\"", object.length, new Remote(object), () -> "\"v1\"").read(0, object.length);
        List<Path> blocks = CacheDirectory.files(directory);
        assertEquals(4, blocks.size());
        try (RandomAccessFile cut = new RandomAccessFile(blocks.get(0).toFile(), "rw")) {
            cut.setLength(1000);
        }
        byte[] damaged = Files.readAllBytes(blocks.get(1));
        damaged[12] ^= 1;
        Files.write(blocks.get(1), damaged);
        Files.write(directory.resolve(blocks.get(2).getFileName() + ".123.tmp"), new byte[7]);
        Files.writeString(directory.resolve("notes.txt"), "not the cache's");

        DiskCache restarted = DiskCache.open(directory, 1L << 30, NEVER);
        assertTrue(restarted.describe().contains("3 blocks of 0 MiB reused, 2 deleted, 1 other files left alone"),
                restarted.describe());
        Remote remote = new Remote(object);
        ByteRanges cached = restarted.ranges("s3://b/k", "\"v1\"", object.length, remote, () -> "\"v1\"");
        assertArrayEquals(Arrays.copyOfRange(object, 2 * BLOCK, 4 * BLOCK), cached.read(2 * BLOCK, 2 * BLOCK));
        assertEquals(0, remote.reads.get(), "whole blocks reused");
        assertArrayEquals(object, cached.read(0, object.length));
        assertEquals(1, remote.reads.get(), "the cut block (deleted at start) and the damaged one, in one GET");
        assertEquals(2, restarted.misses());
        assertArrayEquals(object, cached.read(0, object.length));
        assertEquals(1, remote.reads.get());
        assertTrue(Files.exists(directory.resolve("notes.txt")));
    }

    @Test
    void readersOfOneBlockAtOnceWaitForOneRead() throws Exception {
        byte[] object = object(2 * BLOCK, 1);
        CountDownLatch release = new CountDownLatch(1);
        Remote slow = new Remote(object) {
            @Override
            public byte[] read(long position, int length) throws IOException {
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    throw new IOException(e);
                }
                return super.read(position, length);
            }
        };
        DiskCache cache = DiskCache.open(work, 1L << 30, NEVER);
        ByteRanges cached = cache.ranges("s3://b/k", "\"v1\"", object.length, slow, () -> "\"v1\"");
        ExecutorService readers = Executors.newFixedThreadPool(8);
        try {
            List<Future<byte[]>> answers = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                int offset = i * 1000;
                answers.add(readers.submit(() -> cached.read(offset, 5000)));
            }
            Thread.sleep(200);
            release.countDown();
            for (int i = 0; i < answers.size(); i++) {
                assertArrayEquals(Arrays.copyOfRange(object, i * 1000, i * 1000 + 5000),
                        answers.get(i).get(10, TimeUnit.SECONDS));
            }
        } finally {
            readers.shutdownNow();
        }
        assertEquals(1, slow.reads.get());
        assertEquals(1, cache.misses());
        assertFalse(CacheDirectory.files(work).isEmpty());
    }

    /** Reads of every shape: within a block, across blocks, whole blocks, the object's tail, the whole object. */
    private static List<long[]> ranges(long size) {
        List<long[]> ranges = new ArrayList<>(List.of(new long[] {0, 100}, new long[] {BLOCK - 10, 20},
                new long[] {BLOCK, BLOCK}, new long[] {size - 65_536, 65_536}, new long[] {size - 8, 8},
                new long[] {0, size}, new long[] {3L * BLOCK - 1, 2L * BLOCK + 2}));
        Random random = new Random(7);
        for (int i = 0; i < 40; i++) {
            long from = (long) (random.nextDouble() * (size - 1));
            ranges.add(new long[] {from, 1 + random.nextInt((int) Math.min(size - from, 3L * BLOCK))});
        }
        return ranges;
    }

    private static byte[] object(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static byte[] slice(byte[] object, long[] range) {
        return Arrays.copyOfRange(object, (int) range[0], (int) (range[0] + range[1]));
    }

    /** The "S3 object": bytes in memory, its reads counted. */
    private static class Remote implements ByteRanges {
        final AtomicInteger reads = new AtomicInteger();
        private final byte[] object;

        Remote(byte[] object) {
            this.object = object;
        }

        @Override
        public long size() {
            return object.length;
        }

        @Override
        public byte[] read(long position, int length) throws IOException {
            reads.incrementAndGet();
            if (position < 0 || position + length > object.length) {
                throw new IOException("outside the object");
            }
            return Arrays.copyOfRange(object, (int) position, (int) position + length);
        }

        @Override
        public void close() {
        }
    }
}
