package io.github.promkinesis.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The route's step on a real exchange: the headers pick the version, or the request is refused 415. */
class RemoteWriteContentCheckTest {

    private final RemoteWriteContentCheck check = new RemoteWriteContentCheck();

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "application/x-protobuf | 1.0",
        "Application/X-Protobuf | 1.0",
        "application/x-protobuf;proto=prometheus.WriteRequest | 1.0",
        "application/x-protobuf; proto=\"prometheus.WriteRequest\" | 1.0",
        "application/x-protobuf; charset=utf-8 | 1.0",
        "application/x-protobuf;proto=io.prometheus.write.v2.Request | 2.0",
        "application/x-protobuf; proto=\"io.prometheus.write.v2.Request\" | 2.0"})
    void theContentTypeNamesTheVersion(String contentType, String version) {
        Exchange exchange = request("snappy", contentType);

        check.process(exchange);

        assertEquals(version, exchange.getProperty(RemoteWriteContentCheck.VERSION_PROPERTY));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "null", value = {
        "snappy | application/x-protobuf;proto=io.prometheus.write.v3.Request | Content-Type",
        "snappy | application/x-protobuf;proto= | Content-Type",
        "snappy | application/json | Content-Type",
        "snappy | '' | Content-Type",
        "snappy | null | Content-Type",
        "gzip | application/x-protobuf | Content-Encoding",
        "null | application/x-protobuf | Content-Encoding"})
    void anythingElseIsRefusedNamingTheHeader(String encoding, String contentType, String header) {
        Exchange exchange = request(encoding, contentType);

        String reason = assertThrows(UnsupportedMediaTypeException.class, () -> check.process(exchange)).getMessage();

        assertTrue(reason.startsWith(header + " must be"), reason);
        assertEquals(null, exchange.getProperty(RemoteWriteContentCheck.VERSION_PROPERTY));
    }

    private static Exchange request(String encoding, String contentType) {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.getMessage().setHeader("Content-Encoding", encoding);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, contentType);
        return exchange;
    }
}
