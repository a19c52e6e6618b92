package io.github.promkinesis.compact;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.column.page.PageWriteStore;
import org.apache.parquet.column.page.PageWriter;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.MessageType;
import org.junit.jupiter.api.Test;

/**
 * The labels' thread failing (here its pages cannot be written) fails the row group's end with the cause (as
 * parquet-column wraps it), and a caller handing over more rows than the thread takes ahead is not left waiting.
 */
class LabelColumnsTest {

    @Test
    void aFailureOnTheLabelsThreadReachesTheCaller() {
        MessageType labels = new MessageType("t", ParquetDayWriter.SCHEMA.getType("labels"));
        PageWriter failing = (PageWriter) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {PageWriter.class}, (proxy, method, args) -> {
                    if (method.getName().startsWith("write")) {
                        throw new IOException("disk full");
                    }
                    return method.getReturnType() == long.class ? 0L : null;
                });
        PageWriteStore pages = descriptor -> failing;
        ParquetProperties properties = ParquetProperties.builder().withPageRowCountLimit(100).build();
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            try (LabelColumns columns = new LabelColumns(labels, properties)) {
                columns.startRowGroup(pages);
                Exception failure = assertThrows(Exception.class, () -> {
                    for (int row = 0; row < 1_000_000; row++) { // more runs than it takes ahead
                        Binary value = Binary.fromString("pod-" + row);
                        columns.row(new Binary[] {Binary.fromString("pod")}, new Binary[] {value}, 1);
                    }
                    columns.endRowGroup();
                });
                assertEquals("disk full", rootCause(failure).getMessage());
            }
        });
    }

    private static Throwable rootCause(Throwable failure) {
        return failure.getCause() == null ? failure : rootCause(failure.getCause());
    }
}
