package io.github.promkinesis.http;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;

/**
 * At most one log line per kind of event every few seconds, the next one saying how many were left out: a
 * client sending the same fault a thousand times a second cannot flood the log (the metrics count them all).
 */
public final class ThrottledLog {

    private static final long INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final Logger logger;
    /** Per kind: when its last line was written, and how many were left out since. */
    private final Map<String, long[]> kinds = new ConcurrentHashMap<>();

    public ThrottledLog(Logger logger) {
        this.logger = logger;
    }

    /** WARN, or ERROR for the adapter's own faults; {@code kind} groups the events one line stands for. */
    public void log(boolean error, String kind, String line) {
        long now = System.nanoTime();
        long[] state = kinds.computeIfAbsent(kind, k -> new long[] {now - INTERVAL_NANOS, 0});
        long leftOut;
        synchronized (state) {
            if (now - state[0] < INTERVAL_NANOS) {
                state[1]++;
                return;
            }
            leftOut = state[1];
            state[0] = now;
            state[1] = 0;
        }
        String text = leftOut == 0 ? line : line + " (and " + leftOut + " more like it in the last "
                + TimeUnit.NANOSECONDS.toSeconds(INTERVAL_NANOS) + " s)";
        if (error) {
            logger.error(text);
        } else {
            logger.warn(text);
        }
    }
}
