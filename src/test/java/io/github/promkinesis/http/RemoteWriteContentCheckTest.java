package io.github.promkinesis.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RemoteWriteContentCheckTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "null", value = {
        "application/x-protobuf | 1.0",
        "Application/X-Protobuf | 1.0",
        "application/x-protobuf;proto=prometheus.WriteRequest | 1.0",
        "application/x-protobuf; proto=\"prometheus.WriteRequest\" | 1.0",
        "application/x-protobuf; charset=utf-8 | 1.0",
        "application/x-protobuf;proto=io.prometheus.write.v2.Request | 2.0",
        "application/x-protobuf; proto=\"io.prometheus.write.v2.Request\" | 2.0",
        "application/x-protobuf;proto=io.prometheus.write.v3.Request | null",
        "application/x-protobuf;proto= | null",
        "application/json | null",
        "text/plain | null",
        "'' | null",
        "null | null"})
    void theContentTypeNamesTheVersion(String contentType, String version) {
        assertEquals(version, RemoteWriteContentCheck.version(contentType));
    }
}
