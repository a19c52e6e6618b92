package io.github.promkinesis.read;

import io.github.promkinesis.http.UnsupportedMediaTypeException;
import io.github.promkinesis.protocol.InvalidRequestException;
import io.github.promkinesis.protocol.prompb.Query;
import io.github.promkinesis.protocol.prompb.ReadRequest;
import java.util.List;
import java.util.Locale;
import org.apache.camel.Exchange;

/**
 * The {@code check-request} step: the decoded {@link ReadRequest}'s answer type chosen (the first the client
 * accepts: STREAMED_XOR_CHUNKS or SAMPLES; none named means SAMPLES, which is what Prometheus 2.x asks for by
 * naming none) and its deadline set. A request without queries, or a query without matchers, is a 400.
 */
public final class ReadRequests {

    /** Exchange properties: the answer type chosen, the request's deadline (System.nanoTime). */
    static final String ANSWER = "readAnswerType";
    static final String DEADLINE = "readDeadline";

    private static final String PROTOBUF = "application/x-protobuf";

    private final ReadLimits limits;

    public ReadRequests(ReadLimits limits) {
        this.limits = limits;
    }

    /**
     * The {@code check-content-type} step: Prometheus sends {@code application/x-protobuf}; a form or JSON body is
     * a client talking to the wrong endpoint, answered 415 before its body is read as anything.
     */
    public void contentType(Exchange exchange) {
        String type = exchange.getMessage().getHeader(Exchange.CONTENT_TYPE, "", String.class);
        if (!type.toLowerCase(Locale.ROOT).startsWith(PROTOBUF)) {
            throw new UnsupportedMediaTypeException("Content-Type " + (type.isEmpty() ? "missing" : type)
                    + ": remote read is " + PROTOBUF);
        }
    }

    public void check(Exchange exchange) {
        exchange.setProperty(DEADLINE, limits.deadline());
        ReadRequest request = exchange.getMessage().getBody(ReadRequest.class);
        if (request.getQueriesCount() == 0) {
            throw new InvalidRequestException("a read request without queries");
        }
        for (Query query : request.getQueriesList()) {
            if (query.getMatchersCount() == 0) {
                throw new InvalidRequestException("a query without matchers (Prometheus sends at least one)");
            }
        }
        exchange.setProperty(ANSWER, answerType(request.getAcceptedResponseTypesValueList()));
    }

    private static ReadRequest.ResponseType answerType(List<Integer> accepted) {
        if (accepted.isEmpty()) {
            return ReadRequest.ResponseType.SAMPLES;
        }
        for (int type : accepted) {
            ReadRequest.ResponseType known = ReadRequest.ResponseType.forNumber(type);
            if (known != null) {
                return known;
            }
        }
        throw new InvalidRequestException("none of the answer types accepted (" + accepted + ") is SAMPLES (0) or"
                + " STREAMED_XOR_CHUNKS (1)");
    }
}
