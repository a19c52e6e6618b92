package io.github.promkinesis.compact;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.column.page.DictionaryPage;
import org.apache.parquet.column.values.ValuesWriter;
import org.apache.parquet.column.values.factory.DefaultValuesWriterFactory;
import org.apache.parquet.column.values.fallback.FallbackValuesWriter;
import org.apache.parquet.io.api.Binary;
import org.junit.jupiter.api.Test;

/**
 * The series columns' dictionary, which remembers the ids of the value objects it saw, writes the pages and
 * dictionaries parquet-column's own writer writes for the same values: the same objects again and again, equal
 * values in other objects, a reused buffer whose bytes change under the same object, more values than it has
 * slots, a dictionary reset at a row group's end and one grown too big for a dictionary.
 */
class SeriesDictionariesTest {

    private static final ColumnDescriptor LABEL_VALUE = ParquetDayWriter.SCHEMA.getColumnDescription(
            new String[] {"labels", "key_value", "value"});

    @Test
    void writesWhatParquetColumnsOwnWriterWrites() throws IOException {
        ParquetProperties properties = ParquetProperties.builder()
                .withWriterVersion(ParquetProperties.WriterVersion.PARQUET_2_0)
                .withDictionaryPageSize(64 << 10)
                .build();
        SeriesDictionaries ours = new SeriesDictionaries();
        ours.initialize(properties);
        DefaultValuesWriterFactory parquets = new DefaultValuesWriterFactory();
        parquets.initialize(properties);
        ValuesWriter remembering = ours.newValuesWriter(LABEL_VALUE);
        ValuesWriter plain = parquets.newValuesWriter(LABEL_VALUE);
        assertInstanceOf(SeriesDictionaries.Remembering.class, ((FallbackValuesWriter<?, ?>) remembering).initialWriter);

        Random random = new Random(7);
        List<Binary[]> series = new ArrayList<>();
        for (int s = 0; s < 9000; s++) { // more values than slots: ids evicted and looked up again
            series.add(new Binary[] {constant("eu-west-1" + (s % 3)), constant("pod-" + s), constant("api")});
        }
        byte[] reused = "aaaa".getBytes(StandardCharsets.US_ASCII);
        Binary reusedBinary = Binary.fromReusedByteArray(reused, 0, reused.length);
        Set<Encoding> encodings = EnumSet.noneOf(Encoding.class);
        for (int page = 0; page < 12; page++) {
            for (int row = 0; row < 5000; row++) {
                Binary[] labels = series.get(random.nextInt(page < 6 ? 50 : series.size()));
                for (Binary label : labels) {
                    remembering.writeBytes(label);
                    plain.writeBytes(label);
                }
                // the same bytes in another object, and the reused buffer with new bytes each time
                Binary copy = constant(labels[1].toStringUsingUTF8());
                remembering.writeBytes(copy);
                plain.writeBytes(copy);
                reused[random.nextInt(4)] = (byte) ('a' + random.nextInt(26));
                remembering.writeBytes(reusedBinary);
                plain.writeBytes(reusedBinary);
            }
            assertArrayEquals(plain.getBytes().toByteArray(), remembering.getBytes().toByteArray(), "page " + page);
            assertEquals(plain.getEncoding(), remembering.getEncoding(), "page " + page);
            encodings.add(plain.getEncoding());
            plain.reset();
            remembering.reset();
            if (page % 4 == 3) { // a row group's end
                DictionaryPage ownDictionary = plain.toDictPageAndClose();
                DictionaryPage dictionary = remembering.toDictPageAndClose();
                assertEquals(ownDictionary == null, dictionary == null, "page " + page);
                if (dictionary != null) {
                    assertArrayEquals(ownDictionary.getBytes().toByteArray(), dictionary.getBytes().toByteArray());
                    assertEquals(ownDictionary.getDictionarySize(), dictionary.getDictionarySize());
                }
                plain.resetDictionary();
                remembering.resetDictionary();
            }
        }
        // the pages of 50 series were dictionary pages; those of 9,000 fell back, as parquet-column's did
        assertEquals(EnumSet.of(Encoding.RLE_DICTIONARY, Encoding.DELTA_BYTE_ARRAY), encodings);
    }

    private static Binary constant(String text) {
        return Binary.fromConstantByteArray(text.getBytes(StandardCharsets.UTF_8));
    }
}
