package io.github.promkinesis.protocol;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.camel.Exchange;
import org.apache.camel.spi.DataFormat;
import org.apache.camel.spi.DataFormatName;
import org.apache.camel.support.service.ServiceSupport;
import org.xerial.snappy.Snappy;

/**
 * Snappy block format, the compression of Prometheus remote write (not the framed stream format).
 * Camel has no snappy data format; routes use this one as {@code unmarshal: {custom: {ref: snappy}}}.
 * The declared size is read from the block header and checked before any memory is allocated for it.
 */
public class SnappyDataFormat extends ServiceSupport implements DataFormat, DataFormatName {

    private long maxDecompressedBytes;

    @Override
    public String getDataFormatName() {
        return "snappy";
    }

    public void setMaxDecompressedBytes(long maxDecompressedBytes) {
        this.maxDecompressedBytes = maxDecompressedBytes;
    }

    @Override
    public void marshal(Exchange exchange, Object graph, OutputStream stream) throws Exception {
        byte[] raw = exchange.getContext().getTypeConverter().mandatoryConvertTo(byte[].class, exchange, graph);
        stream.write(Snappy.compress(raw));
    }

    @Override
    public Object unmarshal(Exchange exchange, Object body) throws Exception {
        // an empty request arrives as no body at all: it is an invalid block, not a conversion failure
        byte[] compressed = body == null ? new byte[0]
                : exchange.getContext().getTypeConverter().mandatoryConvertTo(byte[].class, exchange, body);
        return uncompress(compressed);
    }

    @Override
    public Object unmarshal(Exchange exchange, InputStream stream) throws Exception {
        return uncompress(stream.readAllBytes());
    }

    /** Decompresses one snappy block, refusing corrupt blocks and blocks that declare more than the limit. */
    public byte[] uncompress(byte[] compressed) {
        int declared;
        try {
            declared = Snappy.uncompressedLength(compressed);
        } catch (IOException | RuntimeException e) {
            throw new InvalidSnappyException("the body is not a snappy block: " + e.getMessage(), e);
        }
        if (declared < 0 || declared > maxDecompressedBytes) {
            throw new DecompressedSizeLimitException(Integer.toUnsignedLong(declared), maxDecompressedBytes);
        }
        try {
            return Snappy.uncompress(compressed);
        } catch (IOException | RuntimeException e) {
            throw new InvalidSnappyException("the body is not a valid snappy block: " + e.getMessage(), e);
        }
    }
}
