package io.github.promkinesis.it;

import io.github.promkinesis.protocol.prompb.WriteRequest;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What was sent, how it was answered, and what the stream holds: the no-loss accounting of the fault tests.
 * Lost means answered 2xx but absent from the stream; duplicates are extra copies, which at-least-once allows.
 */
final class DeliveryLedger {

    private final List<String> sent = new ArrayList<>();
    private final List<String> answered2xx = new ArrayList<>();
    private int requests;
    private int requests2xx;
    private int requests5xx;

    synchronized void record(WriteRequest request, int status) {
        List<String> samples = SampleLines.sent(request);
        requests++;
        sent.addAll(samples);
        if (status / 100 == 2) {
            requests2xx++;
            answered2xx.addAll(samples);
        } else if (status >= 500 || status == 429) {
            requests5xx++;
        } else {
            throw new AssertionError("a valid request was refused with " + status);
        }
    }

    /** Also counts samples answered 2xx by a sender that is not this test (Prometheus). */
    synchronized void recordAnswered(Collection<String> samples) {
        sent.addAll(samples);
        answered2xx.addAll(samples);
    }

    synchronized Result reconcile(List<String> inStream) {
        Map<String, Integer> found = new HashMap<>();
        inStream.forEach(sample -> found.merge(sample, 1, Integer::sum));
        long duplicates = found.values().stream().mapToLong(count -> count - 1).sum();
        long lost = answered2xx.stream().filter(sample -> !found.containsKey(sample)).count();
        return new Result(sent.size(), requests, requests2xx, requests5xx, answered2xx.size(), inStream.size(),
                duplicates, lost);
    }

    record Result(long sent, int requests, int requests2xx, int requests5xx, long answered2xx, long foundInStream,
                  long duplicates, long lost) {
        @Override
        public String toString() {
            return "sent " + sent + ", answered 2xx " + answered2xx + ", found in stream " + foundInStream
                    + ", duplicates " + duplicates + ", lost " + lost + " (requests " + requests + ": 2xx "
                    + requests2xx + ", 5xx " + requests5xx + ")";
        }
    }
}
