package io.github.promkinesis.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.LongAdder;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code lines} step: an object's bytes, however they arrive (a few bytes a read, a line cut anywhere, in a
 * UTF-8 character or at its newline, longer than a chunk; gzip members), come out as the lines that went in; a
 * last line without its newline and an empty or truncated object are reported. And the newline search, eight bytes
 * a step, finds what a byte-by-byte search finds.
 */
class ArchiveLinesTest {

    /** Lines with two-, three- and four-byte characters, an empty one, and bytes whose low bits are a newline's. */
    private static final List<String> LINES = List.of(
            "{\"name\":\"up\",\"time\":1,\"value\":1}", "", "température é", "中文标签", "emoji 😀 and ʊ (ca 8a)", "x");

    @TempDir
    Path tmp;

    @Test
    void aLineCutAtEveryPlaceComesOutWhole() throws IOException {
        byte[] object = object(LINES);
        for (int cut = 1; cut < object.length; cut++) {
            int at = cut;
            RestoreStats stats = new RestoreStats();
            assertEquals(LINES, read(new Reads(object, length -> at), stats), "cut at byte " + cut);
            assertEquals(0, stats.badLines.sum() + stats.badObjects.sum());
        }
    }

    @Test
    void aFewBytesAReadOrWholeChunksGiveTheLinesThatWentIn() throws IOException {
        Random random = new Random(17);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            lines.add(LINES.get(i % LINES.size()) + " #" + i);
            if (i % 1000 == 500) {
                lines.add("long ".repeat(2000) + "é".repeat(10_000)); // past the partial line's first buffer
                lines.add("中".repeat(40_000)); // past a chunk
            }
        }
        byte[] object = object(lines);
        RestoreStats stats = new RestoreStats();
        assertEquals(lines, read(new Reads(object, length -> 1 + random.nextInt(7)), stats), "1 to 7 bytes a read");
        assertEquals(lines, read(new ByteArrayInputStream(object), stats), "chunks of 64 KiB");
        assertEquals(2L * lines.size(), stats.lines.sum());
        assertEquals(0, stats.badLines.sum() + stats.badObjects.sum());
    }

    @Test
    void aLastLineWithoutItsNewlineIsReportedNotPassedOn() throws IOException {
        byte[] object = Arrays.copyOf(object(LINES), object(LINES).length - 1);
        RestoreStats stats = new RestoreStats();
        assertEquals(LINES.subList(0, LINES.size() - 1), read(new Reads(object, length -> 3), stats));
        assertEquals(List.of(1L, 0L, (long) LINES.size() - 1),
                List.of(stats.badLines.sum(), stats.badObjects.sum(), stats.lines.sum()));
    }

    @Test
    void anEmptyObjectIsReported() throws IOException {
        RestoreStats stats = new RestoreStats();
        assertEquals(List.of(), read(new ByteArrayInputStream(new byte[0]), stats));
        assertEquals(List.of(1L, 0L), List.of(stats.badObjects.sum(), stats.badLines.sum()));
    }

    @Test
    void gzipMembersAreReadOnAsOneObject() throws IOException {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            lines.add(LINES.get(i % LINES.size()) + " #" + i);
        }
        byte[] plain = object(lines);
        ByteArrayOutputStream members = new ByteArrayOutputStream();
        int[] cuts = {0, 1000, 1001, 5000, plain.length - 1, plain.length, plain.length}; // mid-line, an empty member
        for (int i = 0; i + 1 < cuts.length; i++) {
            try (GZIPOutputStream member = new GZIPOutputStream(members)) {
                member.write(plain, cuts[i], cuts[i + 1] - cuts[i]);
            }
        }
        Path file = Files.write(tmp.resolve("object.gz"), members.toByteArray());
        RestoreStats stats = new RestoreStats();
        assertEquals(lines, read(archive().open(file.toString()), stats), "opened as the restore opens it");
        assertEquals(lines, read(new GZIPInputStream(new UntilEnd(new Reads(members.toByteArray(),
                length -> 1 + length % 5))), stats), "a few bytes a read, none ever available");
        assertEquals(0, stats.badLines.sum() + stats.badObjects.sum());
    }

    @Test
    void untilEndSaysWhetherBytesAreLeftWhenTheStreamUnderItCannot() throws IOException {
        byte[] bytes = "abc".getBytes(StandardCharsets.UTF_8);
        UntilEnd in = new UntilEnd(new Reads(bytes, length -> 1));
        ByteArrayOutputStream read = new ByteArrayOutputStream();
        List<Integer> available = new ArrayList<>();
        for (int b = 0; b >= 0; ) {
            available.add(in.available());
            b = in.read();
            if (b >= 0) {
                read.write(b);
            }
        }
        assertEquals("abc", read.toString(StandardCharsets.UTF_8));
        assertEquals(List.of(1, 1, 1, 0), available);
    }

    @Test
    void aTruncatedGzipObjectGivesTheLinesBeforeTheBreakAndIsReported() throws IOException {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            lines.add("line " + i + " " + Integer.toHexString(new Random(i).nextInt()));
        }
        ByteArrayOutputStream gzip = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gzip)) {
            out.write(object(lines));
        }
        byte[] whole = gzip.toByteArray();
        Path file = Files.write(tmp.resolve("object.gz"), Arrays.copyOf(whole, whole.length * 2 / 3));
        RestoreStats stats = new RestoreStats();
        List<String> read = read(archive().open(file.toString()), stats);
        assertTrue(read.size() > lines.size() / 2 && read.size() < lines.size(), "lines before the break: " + read.size());
        assertEquals(lines.subList(0, read.size()), read);
        assertEquals(1, stats.badObjects.sum());
    }

    @Test
    void theFirstNewlineIsFoundAtEveryPlaceAndAmongEveryByte() {
        Random random = new Random(5);
        for (int trial = 0; trial < 20_000; trial++) {
            byte[] bytes = new byte[1 + random.nextInt(40)];
            random.nextBytes(bytes);
            for (int i = 0; i < bytes.length; i++) {
                if (bytes[i] == '\n' && random.nextBoolean()) {
                    bytes[i] = (byte) 0x8a; // a byte whose low bits are a newline's
                }
            }
            int from = random.nextInt(bytes.length);
            int to = from + random.nextInt(bytes.length - from + 1);
            int expected = -1;
            for (int i = from; i < to && expected < 0; i++) {
                expected = bytes[i] == '\n' ? i : -1;
            }
            assertEquals(expected, ArchiveLines.indexOf(bytes, from, to));
        }
    }

    private static byte[] object(List<String> lines) {
        return (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /** A directory archive (its objects are files; an empty one is a bad object). */
    private ArchiveObjects archive() {
        return ArchiveObjects.at(tmp.toString(), null, null, new LongAdder(), tmp);
    }

    /** The lines of the object, read by the lines step, each checked to carry its number. */
    private List<String> read(InputStream object, RestoreStats stats) throws IOException {
        Exchange exchange = (Exchange) Proxy.newProxyInstance(Exchange.class.getClassLoader(),
                new Class<?>[] {Exchange.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getProperty") && RestoreCommand.OBJECT.equals(args[0])) {
                        return "test-object";
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        LineCursor lines = new ArchiveLines(archive(), stats).read(object, exchange);
        List<String> read = new ArrayList<>();
        while (lines.next()) {
            read.add(new String(lines.bytes, lines.offset, lines.length, StandardCharsets.UTF_8));
            assertEquals(read.size(), lines.number, "the line's number");
        }
        assertEquals("test-object", lines.object());
        return read;
    }

    /** A stream giving at most {@code most.applyAsInt(asked)} bytes a read, and never saying any are available. */
    private static final class Reads extends InputStream {

        private final byte[] bytes;
        private final java.util.function.IntUnaryOperator most;
        private int at;

        Reads(byte[] bytes, java.util.function.IntUnaryOperator most) {
            this.bytes = bytes;
            this.most = most;
        }

        @Override
        public int read() {
            return at < bytes.length ? bytes[at++] & 0xff : -1;
        }

        @Override
        public int read(byte[] to, int offset, int length) {
            if (at == bytes.length) {
                return -1;
            }
            int n = Math.min(Math.min(length, Math.max(1, most.applyAsInt(length))), bytes.length - at);
            System.arraycopy(bytes, at, to, offset, n);
            at += n;
            return n;
        }

        @Override
        public int available() {
            return 0;
        }
    }
}
