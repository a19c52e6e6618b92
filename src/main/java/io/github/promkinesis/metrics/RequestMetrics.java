package io.github.promkinesis.metrics;

import io.github.promkinesis.lines.JsonLines;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.CamelContextHelper;
import org.apache.camel.support.SynchronizationAdapter;

/**
 * The first step of a request: counts it in flight, and when it is answered records its status code, duration
 * and samples; its {@link #countSamples} step notes the samples once the request is decoded.
 */
public class RequestMetrics implements Processor {

    private static final String SAMPLES = "samples";
    private volatile AdapterMetrics metrics;

    /** The route's count-samples step: the decoded request's lines, which its answer's metrics count. */
    public void countSamples(JsonLines lines, Exchange exchange) {
        exchange.setProperty(SAMPLES, lines.size());
    }

    @Override
    public void process(Exchange exchange) {
        long started = System.nanoTime();
        if (metrics == null) {
            // bound by the adapter's configuration, after the route's beans are made: looked up at first use
            metrics = CamelContextHelper.mandatoryLookup(exchange.getContext(), AdapterMetrics.BEAN, AdapterMetrics.class);
        }
        AdapterMetrics metrics = this.metrics;
        metrics.requestStarted();
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                int status = done.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 500, Integer.class);
                metrics.requestAnswered(status, System.nanoTime() - started,
                        done.getProperty(SAMPLES, 0, Integer.class));
            }
        });
    }
}
