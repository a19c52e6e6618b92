package io.github.promkinesis.http;

import java.util.Locale;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Accepts only what remote write 1.0 sends: Content-Encoding snappy and Content-Type application/x-protobuf,
 * bare or with proto=prometheus.WriteRequest. The schema is chosen from the header, never guessed from the bytes,
 * so anything else (remote write 2.0 included, until it is supported) is 415.
 */
public class RemoteWriteContentCheck implements Processor {

    private static final String MEDIA_TYPE = "application/x-protobuf";
    private static final String PROTO_V1 = "prometheus.WriteRequest";

    @Override
    public void process(Exchange exchange) {
        String encoding = exchange.getMessage().getHeader("Content-Encoding", String.class);
        if (encoding == null || !encoding.trim().equalsIgnoreCase("snappy")) {
            throw new UnsupportedMediaTypeException("Content-Encoding must be snappy, got " + quoted(encoding));
        }
        String contentType = exchange.getMessage().getHeader(Exchange.CONTENT_TYPE, String.class);
        if (!isRemoteWriteV1(contentType)) {
            throw new UnsupportedMediaTypeException("Content-Type must be " + MEDIA_TYPE + " (proto=" + PROTO_V1
                    + "), got " + quoted(contentType));
        }
    }

    static boolean isRemoteWriteV1(String contentType) {
        if (contentType == null) {
            return false;
        }
        String[] parts = contentType.split(";");
        if (!parts[0].trim().toLowerCase(Locale.ROOT).equals(MEDIA_TYPE)) {
            return false;
        }
        for (int i = 1; i < parts.length; i++) {
            String[] parameter = parts[i].split("=", 2);
            if (parameter[0].trim().equalsIgnoreCase("proto")
                    && (parameter.length < 2 || !unquote(parameter[1].trim()).equals(PROTO_V1))) {
                return false;
            }
        }
        return true;
    }

    private static String unquote(String value) {
        return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
                ? value.substring(1, value.length() - 1) : value;
    }

    private static String quoted(String header) {
        return header == null ? "none" : "\"" + header + "\"";
    }
}
