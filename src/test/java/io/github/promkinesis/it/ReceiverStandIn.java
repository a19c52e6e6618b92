package io.github.promkinesis.it;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import io.github.promkinesis.protocol.prompb.Exemplar;
import io.github.promkinesis.protocol.prompb.Histogram;
import io.github.promkinesis.protocol.prompb.MetricMetadata;
import io.github.promkinesis.protocol.prompb.Sample;
import io.github.promkinesis.protocol.prompb.TimeSeries;
import io.github.promkinesis.protocol.prompb.WriteRequest;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import org.xerial.snappy.Snappy;

/**
 * A remote-write receiver for restore tests: decodes each request exactly (snappy, then prometheus.WriteRequest)
 * and keeps every sample with its exact bits (or, for millions, a fingerprint of each) and each request's span of
 * data time in arrival order; can answer a scripted series of statuses before accepting, and refuses (400) a
 * body it cannot decode and requests holding a series chosen to be refused, as a receiver refuses invalid data.
 */
public final class ReceiverStandIn implements AutoCloseable {

    /** One sample as received: the series' labels, the time, the value's raw bits. */
    public record Received(String labels, long time, long valueBits) {

        /** 64 bits standing for the sample, for runs of millions: 10 million samples collide once in ~370,000 runs. */
        long fingerprint() {
            long labelsHash = 0xcbf29ce484222325L; // FNV-1a
            for (int i = 0; i < labels.length(); i++) {
                labelsHash = (labelsHash ^ labels.charAt(i)) * 0x100000001b3L;
            }
            return mix(mix(mix(labelsHash) ^ time) ^ valueBits);
        }

        /** SplitMix64's finalizer: every input bit moves every output bit. */
        private static long mix(long z) {
            z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
            z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
            return z ^ (z >>> 31);
        }
    }

    /** The data times one accepted request held, its samples' earliest and latest. */
    record RequestSpan(long minTime, long maxTime, int samples) {
    }

    public final List<Received> accepted = new ArrayList<>();
    /** Every accepted request holding samples, in the order they arrived (the server handles one at a time). */
    final List<RequestSpan> requestSpans = new ArrayList<>();
    /** False: samples are not kept in {@link #accepted}, only their fingerprints, so millions stay small. */
    volatile boolean keepSamples = true;
    private long[] fingerprints = new long[1 << 16];
    private int fingerprintCount;
    /** Exemplars as "series labels | exemplar labels | time | value bits", and the metadata entries, as received. */
    final List<String> exemplars = new ArrayList<>();
    final List<MetricMetadata> metadata = new ArrayList<>();
    /** Histograms as received, keyed by their series' labels. */
    final List<Map.Entry<String, Histogram>> histograms = new ArrayList<>();
    /** Statuses to answer in turn, one a request, before it takes any. */
    public final Deque<Integer> answersFirst = new ConcurrentLinkedDeque<>();
    volatile String refuseSeriesWith = null;
    /** After this many accepted requests, every answer is 503: a receiver gone bad while a restore runs. */
    volatile int acceptRequests = Integer.MAX_VALUE;
    /** The Authorization header every request must carry (401 otherwise), or null. */
    volatile String authorization = null;
    private final HttpServer server;

    public ReceiverStandIn() throws IOException {
        this(HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16));
    }

    private ReceiverStandIn(HttpServer server) {
        this.server = server;
        server.createContext("/api/v1/write", this::handle);
        server.start();
    }

    /** Over HTTPS with this server certificate, refusing clients without a certificate its CAs signed. */
    static ReceiverStandIn https(SSLContext tls) throws IOException {
        HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        server.setHttpsConfigurator(new HttpsConfigurator(tls) {
            @Override
            public void configure(HttpsParameters parameters) {
                SSLParameters ssl = tls.getDefaultSSLParameters();
                ssl.setNeedClientAuth(true);
                parameters.setSSLParameters(ssl);
            }
        });
        return new ReceiverStandIn(server);
    }

    public URI uri() {
        return URI.create((server instanceof HttpsServer ? "https" : "http") + "://127.0.0.1:"
                + server.getAddress().getPort() + "/api/v1/write");
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        if (authorization != null && !authorization.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            answer(exchange, 401, "who are you");
            return;
        }
        Integer scripted = acceptRequests <= 0 ? Integer.valueOf(503) : answersFirst.poll();
        if (scripted != null) {
            if (scripted == 429 || scripted == 503) {
                exchange.getResponseHeaders().add("Retry-After", "1");
            }
            answer(exchange, scripted, "scripted");
            return;
        }
        if (!"snappy".equals(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
            answer(exchange, 415, "not snappy");
            return;
        }
        WriteRequest request;
        try {
            request = WriteRequest.parseFrom(Snappy.uncompress(body));
        } catch (IOException undecodable) {
            // as Prometheus answers: refused for good, where a dropped connection would be retried for ever
            answer(exchange, 400, "cannot decode the body: " + undecodable.getMessage());
            return;
        }
        List<Received> samples = new ArrayList<>();
        List<String> exemplarsOfRequest = new ArrayList<>();
        List<Map.Entry<String, Histogram>> histogramsOfRequest = new ArrayList<>();
        for (TimeSeries series : request.getTimeseriesList()) {
            String labels = series.getLabelsList().stream().map(l -> l.getName() + "=" + l.getValue())
                    .reduce((x, y) -> x + "," + y).orElse("");
            if (refuseSeriesWith != null && labels.contains(refuseSeriesWith)) {
                answer(exchange, 400, "invalid series " + labels);
                return;
            }
            long previous = Long.MIN_VALUE;
            for (Sample sample : series.getSamplesList()) {
                if (sample.getTimestamp() < previous) {
                    answer(exchange, 400, "out of order in " + labels);
                    return;
                }
                previous = sample.getTimestamp();
                samples.add(new Received(labels, sample.getTimestamp(), Double.doubleToRawLongBits(sample.getValue())));
            }
            for (Exemplar exemplar : series.getExemplarsList()) {
                exemplarsOfRequest.add(exemplar(labels, exemplar));
            }
            for (Histogram histogram : series.getHistogramsList()) {
                histogramsOfRequest.add(Map.entry(labels, histogram));
            }
        }
        synchronized (accepted) {
            if (keepSamples) {
                accepted.addAll(samples);
            } else {
                keepFingerprints(samples);
            }
            if (!samples.isEmpty()) {
                requestSpans.add(new RequestSpan(samples.stream().mapToLong(Received::time).min().getAsLong(),
                        samples.stream().mapToLong(Received::time).max().getAsLong(), samples.size()));
            }
            exemplars.addAll(exemplarsOfRequest);
            histograms.addAll(histogramsOfRequest);
            metadata.addAll(request.getMetadataList());
            acceptRequests--;
        }
        answer(exchange, 204, null);
    }

    private void keepFingerprints(List<Received> samples) {
        if (fingerprintCount + samples.size() > fingerprints.length) {
            fingerprints = Arrays.copyOf(fingerprints, Math.max(fingerprints.length * 2,
                    fingerprintCount + samples.size()));
        }
        for (Received sample : samples) {
            fingerprints[fingerprintCount++] = sample.fingerprint();
        }
    }

    /** The fingerprints of every sample accepted while {@link #keepSamples} was false, sorted. */
    long[] fingerprints() {
        synchronized (accepted) {
            long[] sorted = Arrays.copyOf(fingerprints, fingerprintCount);
            Arrays.sort(sorted);
            return sorted;
        }
    }

    static String exemplar(String seriesLabels, Exemplar exemplar) {
        return seriesLabels + " | " + exemplar.getLabelsList().stream().map(l -> l.getName() + "=" + l.getValue())
                .reduce((x, y) -> x + "," + y).orElse("") + " | " + exemplar.getTimestamp() + " | "
                + Double.doubleToRawLongBits(exemplar.getValue());
    }

    private static void answer(HttpExchange exchange, int status, String text) throws IOException {
        if (text == null) {
            exchange.sendResponseHeaders(status, -1);
        } else {
            byte[] bytes = text.getBytes();
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
        }
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
