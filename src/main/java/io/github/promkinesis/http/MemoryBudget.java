package io.github.promkinesis.http;

import java.io.IOException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.xerial.snappy.Snappy;

/**
 * Admits requests by the memory they will take, not only by their number: a budget of bytes in flight
 * (MAX_INFLIGHT_BYTES), charged before decompressing with the body plus EXPANSION times the decompressed size
 * the snappy header declares, and given back when the request ends. A request that does not fit waits up to
 * WAIT_MILLIS for others to finish, then is refused 503 (resent later); one that could never fit is refused
 * 413. A header Snappy cannot read, or one over MAX_DECOMPRESSED_BYTES, is charged its body only and left to
 * snappy-decode to refuse.
 */
public class MemoryBudget implements Processor {

    /**
     * Heap a request holds at its peak per decompressed byte (protobuf bytes, the parsed request, its lines and
     * records): docs/benchmarks.md measured about 250 MB for 33 MB decompressed.
     */
    static final int EXPANSION = 8;
    static final long WAIT_MILLIS = 500;
    private static final int UNIT = 1024; // permits are KiB: a Semaphore counts in ints

    private long maxInflightBytes;
    private long maxDecompressedBytes;
    private Semaphore kibibytes;

    /** 0: half of the JVM's maximum heap. */
    public void setMaxInflightBytes(long bytes) {
        maxInflightBytes = bytes > 0 ? bytes : Runtime.getRuntime().maxMemory() / 2;
        kibibytes = new Semaphore((int) Math.min(Integer.MAX_VALUE, maxInflightBytes / UNIT));
    }

    public void setMaxDecompressedBytes(long bytes) {
        maxDecompressedBytes = bytes;
    }

    @Override
    public void process(Exchange exchange) throws InterruptedException {
        // read once, and kept as the body: snappy-decode then takes these bytes instead of copying the stream again
        byte[] read = exchange.getMessage().getBody(byte[].class);
        byte[] body = read == null ? new byte[0] : read; // an empty request has no body at all: snappy refuses it
        exchange.getMessage().setBody(body);
        long charge = body.length + EXPANSION * declaredSize(body);
        if (charge > maxInflightBytes) {
            throw new InflightBytesExceededException("the request would take about " + charge / (1 << 20)
                    + " MiB of memory once decoded, more than MAX_INFLIGHT_BYTES (" + maxInflightBytes / (1 << 20)
                    + " MiB): send smaller requests (remote_write max_samples_per_send) or raise it");
        }
        int permits = (int) Math.max(1, (charge + UNIT - 1) / UNIT);
        if (!kibibytes.tryAcquire(permits, WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
            throw new OverloadedException("requests in flight hold the memory budget (MAX_INFLIGHT_BYTES, "
                    + maxInflightBytes / (1 << 20) + " MiB): retry later");
        }
        RequestEnd.then(exchange, () -> kibibytes.release(permits));
    }

    private long declaredSize(byte[] body) {
        try {
            long declared = Integer.toUnsignedLong(Snappy.uncompressedLength(body));
            return declared <= maxDecompressedBytes ? declared : 0;
        } catch (IOException | RuntimeException unreadable) {
            return 0;
        }
    }
}
