package io.github.promkinesis.restore;

import io.github.promkinesis.lines.JsonLinesToWriteRequest;

/**
 * The {@code protobuf-encode} step: a request's lines as the protobuf bytes of a {@code prometheus.WriteRequest}
 * ({@link JsonLinesToWriteRequest}), on the shard's own thread.
 */
public final class WriteRequestEncoder {

    private final ThreadLocal<JsonLinesToWriteRequest> encoders = ThreadLocal.withInitial(JsonLinesToWriteRequest::new);

    public byte[] encode(LineBatch lines) {
        JsonLinesToWriteRequest request = encoders.get();
        request.clear();
        lines.forEach(request::add);
        return request.request();
    }
}
