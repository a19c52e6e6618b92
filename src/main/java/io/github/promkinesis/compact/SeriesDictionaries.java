package io.github.promkinesis.compact;

import java.util.Arrays;
import java.util.Set;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.column.values.ValuesWriter;
import org.apache.parquet.column.values.deltastrings.DeltaByteArrayWriter;
import org.apache.parquet.column.values.dictionary.DictionaryValuesWriter;
import org.apache.parquet.column.values.factory.DefaultValuesWriterFactory;
import org.apache.parquet.column.values.factory.ValuesWriterFactory;
import org.apache.parquet.column.values.fallback.FallbackValuesWriter;
import org.apache.parquet.io.api.Binary;

/**
 * parquet-column's values writers, the same encodings as its own factory gives a version 2 writer, except that the
 * dictionary of a series' string columns (name, label names and values, kind) remembers the id of each value object
 * it saw last. A series' rows hand it the same objects over and over (TableRows makes them once per series), so a
 * row's dozen label lookups, each a hash and a comparison of the label's bytes, become a dozen array reads: that
 * was most of the encoding thread's time (docs/journal.md, "Compact"). The bytes written are the same.
 */
final class SeriesDictionaries implements ValuesWriterFactory {

    /** Columns whose values are constant binaries ({@link Binary#isBackingBytesReused()} false). */
    private static final Set<String> SERIES_COLUMNS = Set.of("name", "labels.key_value.key", "labels.key_value.value",
            "kind");

    private final ValuesWriterFactory parquets = new DefaultValuesWriterFactory();
    private ParquetProperties properties;

    @Override
    public void initialize(ParquetProperties properties) {
        this.properties = properties;
        parquets.initialize(properties);
    }

    @Override
    public ValuesWriter newValuesWriter(ColumnDescriptor column) {
        if (!SERIES_COLUMNS.contains(String.join(".", column.getPath())) || !properties.isDictionaryEnabled(column)) {
            return parquets.newValuesWriter(column);
        }
        // what parquet-column's DefaultV2ValuesWriterFactory makes for a BINARY column with a dictionary
        return FallbackValuesWriter.of(
                new Remembering(properties.getDictionaryPageSizeThreshold(), Encoding.RLE_DICTIONARY, Encoding.PLAIN,
                        properties),
                new DeltaByteArrayWriter(properties.getInitialSlabSize(), properties.getPageSizeThreshold(),
                        properties.getAllocator()));
    }

    /** parquet-column's binary dictionary, asked only for values not seen last as the same object. */
    static final class Remembering extends DictionaryValuesWriter.PlainBinaryDictionaryValuesWriter {
        private static final int SLOTS = 1 << 12;

        private final Binary[] seen = new Binary[SLOTS];
        private final int[] ids = new int[SLOTS];

        Remembering(int maxDictionaryBytes, Encoding dataPages, Encoding dictionaryPage, ParquetProperties properties) {
            super(maxDictionaryBytes, dataPages, dictionaryPage, properties.getAllocator());
        }

        @Override
        public void writeBytes(Binary value) {
            int slot = System.identityHashCode(value) & (SLOTS - 1);
            if (seen[slot] == value) {
                encodedValues.add(ids[slot]);
                return;
            }
            super.writeBytes(value);
            // a reused value's bytes may change under the same object: never remembered
            if (!value.isBackingBytesReused()) {
                seen[slot] = value;
                ids[slot] = binaryDictionaryContent.getInt(value);
            }
        }

        /** The ids are the dictionary's: cleared with it (a row group's end, a fall back to plain). */
        @Override
        protected void clearDictionaryContent() {
            super.clearDictionaryContent();
            Arrays.fill(seen, null);
        }
    }
}
