package io.github.promkinesis.lines;

/** More samples in one request than the adapter delivers at once (MAX_SAMPLES_PER_REQUEST). */
public class TooManySamplesException extends IllegalArgumentException {
    public TooManySamplesException(int samples, int limit) {
        super("the request holds " + samples + " samples, over the limit of " + limit
                + " (MAX_SAMPLES_PER_REQUEST); lower max_samples_per_send in Prometheus' queue_config");
    }
}
