package io.github.promkinesis.http;

import java.util.Locale;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Chooses the schema from the headers, never from the bytes: Content-Encoding must be snappy, Content-Type
 * application/x-protobuf, bare or with proto=prometheus.WriteRequest (remote write 1.0) or
 * proto=io.prometheus.write.v2.Request (2.0). Anything else is 415. The version is left in the exchange property
 * remoteWriteVersion ("1.0" or "2.0") for the route's branch.
 */
public class RemoteWriteContentCheck implements Processor {

    public static final String VERSION_PROPERTY = "remoteWriteVersion";

    private static final String MEDIA_TYPE = "application/x-protobuf";
    private static final String PROTO_V1 = "prometheus.WriteRequest";
    private static final String PROTO_V2 = "io.prometheus.write.v2.Request";

    @Override
    public void process(Exchange exchange) {
        String encoding = exchange.getMessage().getHeader("Content-Encoding", String.class);
        if (encoding == null || !encoding.trim().equalsIgnoreCase("snappy")) {
            throw new UnsupportedMediaTypeException("Content-Encoding must be snappy, got " + quoted(encoding));
        }
        String contentType = exchange.getMessage().getHeader(Exchange.CONTENT_TYPE, String.class);
        String version = version(contentType);
        if (version == null) {
            throw new UnsupportedMediaTypeException("Content-Type must be " + MEDIA_TYPE + " with proto=" + PROTO_V1
                    + " or proto=" + PROTO_V2 + ", got " + quoted(contentType));
        }
        exchange.setProperty(VERSION_PROPERTY, version);
    }

    /** "1.0", "2.0", or null for a content type that is neither. */
    private static String version(String contentType) {
        if (contentType == null) {
            return null;
        }
        String[] parts = contentType.split(";");
        if (!parts[0].trim().toLowerCase(Locale.ROOT).equals(MEDIA_TYPE)) {
            return null;
        }
        String version = "1.0";
        for (int i = 1; i < parts.length; i++) {
            String[] parameter = parts[i].split("=", 2);
            if (parameter[0].trim().equalsIgnoreCase("proto")) {
                String proto = parameter.length < 2 ? "" : unquote(parameter[1].trim());
                if (proto.equals(PROTO_V2)) {
                    version = "2.0";
                } else if (!proto.equals(PROTO_V1)) {
                    return null;
                }
            }
        }
        return version;
    }

    private static String unquote(String value) {
        return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
                ? value.substring(1, value.length() - 1) : value;
    }

    private static String quoted(String header) {
        return header == null ? "none" : "\"" + header + "\"";
    }
}
