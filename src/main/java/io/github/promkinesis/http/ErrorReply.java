package io.github.promkinesis.http;

import io.github.promkinesis.kinesis.WrittenCounts;
import io.github.promkinesis.protocol.RemoteWriteStatus;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.RuntimeCamelException;
import org.slf4j.LoggerFactory;

/**
 * Turns a failed request into its answer: the status code the route chose, a one-line reason as plain text,
 * none of the request's headers but the written counts, and one log line. 4xx tells Prometheus to drop the data, 5xx to resend it.
 */
public class ErrorReply implements Processor {

    private static final ThrottledLog LOG = new ThrottledLog(LoggerFactory.getLogger(ErrorReply.class));

    private int retryAfterSeconds;
    private boolean remoteRead;

    public void setRetryAfterSeconds(int retryAfterSeconds) {
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** Answers to remote read (serve-archive): nothing is resent or dropped, so the log line says neither. */
    public void setRemoteRead(boolean remoteRead) {
        this.remoteRead = remoteRead;
    }

    @Override
    public void process(Exchange exchange) {
        Message message = exchange.getMessage();
        int status = message.getHeader(Exchange.HTTP_RESPONSE_CODE, 500, Integer.class);
        Throwable caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String reason = reason(caught);
        String uri = message.getHeader(Exchange.HTTP_URI, String.class);
        if (remoteRead) {
            LOG.log(status >= 500, status + " " + uri + " " + kind(reason), "answered " + status + " to " + uri + ": "
                    + reason);
        } else {
            log(status, uri, reason, RemoteWriteStatus.resend(status) && !(caught instanceof OverloadedException));
        }
        message.removeHeaders("*");
        WrittenCounts.answer(exchange);
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        message.setHeader(Exchange.CONTENT_TYPE, "text/plain; charset=utf-8");
        if (RemoteWriteStatus.resend(status) && !remoteRead) {
            message.setHeader("Retry-After", retryAfterSeconds);
        }
        message.setBody(reason + "\n");
    }

    /**
     * The log line of a refused or failed request, wherever it was answered: ERROR for the adapter's own faults
     * (Kinesis not taking the records in time, a bug), WARN for the client's and for overload, starting and
     * stopping; at most one line per status, path and kind of reason every few seconds, with how many were left
     * out.
     */
    public static void log(int status, String uri, String reason, boolean ourFault) {
        String kind = status + " " + uri + " " + kind(reason);
        if (RemoteWriteStatus.resend(status)) {
            LOG.log(ourFault, kind, "answered " + status + " to " + uri + ": " + reason + " (Prometheus will resend)");
        } else {
            LOG.log(false, kind, "refused with " + status + " " + uri + ": " + reason + " (Prometheus drops it)");
        }
    }

    /** What the reason is about, for throttling alike lines together. */
    private static String kind(String reason) {
        return reason.contains(":") ? reason.substring(0, reason.indexOf(':')) : reason;
    }

    /** The exception's kind and message, on one line. */
    static String reason(Throwable failure) {
        if (failure == null) {
            return "unknown failure";
        }
        // Camel's wrapper says only which exchange failed: the reason is what it wraps
        while (failure instanceof RuntimeCamelException && failure.getCause() != null) {
            failure = failure.getCause();
        }
        String reason = failure.getClass().getSimpleName() + ": " + failure.getMessage();
        return reason.replaceAll("\\s+", " ").trim();
    }
}
