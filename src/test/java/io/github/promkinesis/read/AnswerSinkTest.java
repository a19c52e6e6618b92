package io.github.promkinesis.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.promkinesis.it.RemoteRead;
import io.github.promkinesis.protocol.prompb.LabelMatcher;
import io.github.promkinesis.protocol.prompb.ReadRequest;
import io.github.promkinesis.protocol.prompb.ReadResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xerial.snappy.Snappy;

/**
 * send-answer, the read path's sink, with clients as networks make them, over a day of 100 gauges at 15 s (answers
 * of about 10 MB that hardly compress: more than the sockets' buffers hold): a client that stops reading keeps its request's place among
 * READ_MAX_CONCURRENT (the next request is 429) until READ_TIMEOUT, then gets an answer its decoder refuses, never
 * one that reads as whole, whichever the answer type; a client that goes away gives the place back; a client that
 * reads is answered whole.
 */
class AnswerSinkTest {

    private static final long START = Instant.parse("2026-11-20T00:00:00Z").toEpochMilli();
    private static final long END = START + 86_400_000L;
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @TempDir
    static Path work;
    private static Main server;
    private static int port;
    private static URI read;

    @BeforeAll
    static void compactAndServe() throws Exception {
        Path raw = work.resolve("raw");
        writeGauges(raw);
        ServedArchive.compact(raw, work.resolve("compacted"), work, "2026-11-20");
        ServedArchive.Served served = ServedArchive.serve(work.resolve("compacted"), Map.of("READ_MAX_CONCURRENT", "1",
                "READ_TIMEOUT", "3s"));
        server = served.main();
        port = served.port();
        read = served.read();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void aClientThatStopsReadingHoldsItsPlaceUntilReadTimeoutThenGetsAnAnswerItRefuses() throws Exception {
        for (ReadRequest.ResponseType type : List.of(ReadRequest.ResponseType.SAMPLES,
                ReadRequest.ResponseType.STREAMED_XOR_CHUNKS)) {
            try (Socket stalled = send(request(type))) {
                Thread.sleep(500);
                HttpResponse<byte[]> meanwhile = RemoteRead.post(HTTP, read, request(type), Map.of());
                assertEquals(429, meanwhile.statusCode(), "its place is still taken while its answer is sent");
                Thread.sleep(3_500); // past READ_TIMEOUT
                byte[] body = chunkedBody(stalled.getInputStream());
                if (type == ReadRequest.ResponseType.SAMPLES) {
                    assertThrows(IOException.class, () -> Snappy.uncompress(body), "a SAMPLES answer cut off");
                } else {
                    // cut within a frame, or between two and then a frame of a wrong checksum
                    Throwable refused = assertThrows(Throwable.class, () -> RemoteRead.streamed(body, 1));
                    assertTrue(refused instanceof IOException || refused instanceof AssertionError, refused.toString());
                }
            }
            assertWhole(type);
        }
    }

    @Test
    void framesCutOffBetweenTwoAreRefusedByTheChecksumOfTheLast() throws Exception {
        byte[] whole = RemoteRead.post(HTTP, read, request(ReadRequest.ResponseType.STREAMED_XOR_CHUNKS), Map.of())
                .body();
        RemoteRead.streamed(whole, 1);
        byte[] cutOff = new ChunkFrames(List.of(), null, 0, null, null).cutOff();
        byte[] refused = Arrays.copyOf(whole, whole.length + cutOff.length);
        System.arraycopy(cutOff, 0, refused, whole.length, cutOff.length);
        // the tests' reader checks each frame's checksum, as Prometheus' ChunkedReader does
        AssertionError mismatch = assertThrows(AssertionError.class, () -> RemoteRead.streamed(refused, 1));
        assertTrue(mismatch.getMessage().contains("CRC32C"), mismatch.getMessage());
    }

    @Test
    void aClientThatGoesAwayGivesItsPlaceBack() throws Exception {
        try (Socket leaving = send(request(ReadRequest.ResponseType.SAMPLES))) {
            String status = line(leaving.getInputStream());
            assertTrue(status.startsWith("HTTP/1.1 200"), status);
        }
        long until = System.nanoTime() + 2_000_000_000L;
        HttpResponse<byte[]> next;
        do {
            next = RemoteRead.post(HTTP, read, request(ReadRequest.ResponseType.SAMPLES), Map.of());
        } while (next.statusCode() == 429 && System.nanoTime() < until);
        assertEquals(200, next.statusCode(), "the place given back once the client went away");
    }

    /** An hour's object of Firehose for each hour of the day: gauges of random values, every 15 s. */
    private static void writeGauges(Path raw) throws IOException {
        Random random = new Random(20261120);
        DateTimeFormatter hourPrefix = DateTimeFormatter.ofPattern("yyyy/MM/dd/HH").withZone(ZoneOffset.UTC);
        for (long hour = START; hour < END; hour += 3_600_000) {
            Path object = raw.resolve(hourPrefix.format(Instant.ofEpochMilli(hour))).resolve("part-1.gz");
            Files.createDirectories(object.getParent());
            try (Writer out = new OutputStreamWriter(new GZIPOutputStream(Files.newOutputStream(object)),
                    StandardCharsets.UTF_8)) {
                for (long time = hour; time < hour + 3_600_000; time += 15_000) {
                    for (int series = 0; series < 100; series++) {
                        out.write("{\"name\":\"temperature\",\"time\":" + time + ",\"value\":"
                                + random.nextDouble() * 100 + ",\"labels\":{\"__name__\":\"temperature\","
                                + "\"sensor\":\"s" + series + "\"}}\n");
                    }
                }
            }
        }
    }

    /** A client that reads is answered every sample of the day. */
    private static void assertWhole(ReadRequest.ResponseType type) throws Exception {
        HttpResponse<byte[]> answer = RemoteRead.post(HTTP, read, request(type), Map.of());
        long samples = type == ReadRequest.ResponseType.SAMPLES
                ? ReadResponse.parseFrom(Snappy.uncompress(answer.body())).getResults(0).getTimeseriesList().stream()
                        .mapToLong(series -> series.getSamplesCount()).sum()
                : RemoteRead.streamed(answer, 1).queries().get(0).values().stream().mapToLong(Map::size).sum();
        assertEquals(100 * 5760, samples);
    }

    private static ReadRequest request(ReadRequest.ResponseType type) {
        return RemoteRead.request(List.of(type), RemoteRead.query(START, END,
                RemoteRead.matcher(LabelMatcher.Type.EQ, "__name__", "temperature")));
    }

    /** The request on a socket of a small receive buffer, read by the caller as slowly as it likes. */
    private static Socket send(ReadRequest request) throws IOException {
        byte[] body = Snappy.compress(request.toByteArray());
        Socket socket = new Socket();
        socket.setReceiveBufferSize(4096);
        socket.connect(new InetSocketAddress("127.0.0.1", port));
        OutputStream out = socket.getOutputStream();
        out.write(("POST /api/v1/read HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-protobuf\r\n"
                + "Content-Encoding: snappy\r\nX-Prometheus-Remote-Read-Version: 0.1.0\r\nContent-Length: "
                + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
        return socket;
    }

    /** A 200 answer's chunked body, to its last chunk. */
    private static byte[] chunkedBody(InputStream in) throws IOException {
        String status = line(in);
        assertTrue(status.startsWith("HTTP/1.1 200"), status);
        while (!line(in).isEmpty()) {
            // the headers
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (int size = Integer.parseInt(line(in), 16); size > 0; size = Integer.parseInt(line(in), 16)) {
            body.write(in.readNBytes(size));
            line(in);
        }
        return body.toByteArray();
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new IOException("the answer ended mid-way");
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }
}
