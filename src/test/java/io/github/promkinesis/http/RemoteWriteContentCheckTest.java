package io.github.promkinesis.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RemoteWriteContentCheckTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "null", value = {
        "application/x-protobuf | true",
        "Application/X-Protobuf | true",
        "application/x-protobuf;proto=prometheus.WriteRequest | true",
        "application/x-protobuf; proto=\"prometheus.WriteRequest\" | true",
        "application/x-protobuf; charset=utf-8 | true",
        "application/x-protobuf;proto=io.prometheus.write.v2.Request | false",
        "application/x-protobuf;proto= | false",
        "application/json | false",
        "text/plain | false",
        "'' | false",
        "null | false"})
    void acceptsOnlyRemoteWriteOne(String contentType, boolean accepted) {
        assertEquals(accepted, RemoteWriteContentCheck.isRemoteWriteV1(contentType));
    }
}
