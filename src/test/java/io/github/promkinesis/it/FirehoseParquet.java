package io.github.promkinesis.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.column.ParquetProperties.WriterVersion;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.apache.parquet.schema.Type;
import org.xerial.snappy.Snappy;

/**
 * Writes the Parquet file Amazon Data Firehose's record format conversion makes of JSON lines
 * (deploy/aws/cloudformation.yaml with ParquetConversion=true): each line read into the Glue table's columns
 * (docs/format.md) as its OpenX JSON SerDe reads it (numbers into string columns as their text, fields the table
 * lacks dropped), written with parquet-mr in the layout of Hive's Parquet SerDe (maps a MAP group of repeated
 * key_value, lists a LIST group of bag/array_element), by default as Firehose's ParquetSerDe does: Snappy, v1
 * pages, dictionaries, row groups of 256 MiB. A map keeps no order: labels are written in reverse.
 */
public final class FirehoseParquet {

    /** The ParquetSerDe's choices, and the newer Hive layout of lists (list/element). */
    public record Conversion(long rowGroupBytes, CompressionCodecName compression, boolean dictionary,
                             WriterVersion pages, boolean elementLists) {

        public static final Conversion FIREHOSE = new Conversion(256L << 20, CompressionCodecName.SNAPPY, true,
                WriterVersion.PARQUET_1_0, false);

        public Conversion withRowGroupBytes(long bytes) {
            return new Conversion(bytes, compression, dictionary, pages, elementLists);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private FirehoseParquet() {
    }

    /** Lines with or without their newline. */
    public static void write(List<String> jsonLines, Path file) throws IOException {
        write(jsonLines, file, Conversion.FIREHOSE);
    }

    public static void write(List<String> jsonLines, Path file, Conversion conversion) throws IOException {
        MessageType table = table(conversion.elementLists());
        SimpleGroupFactory rows = new SimpleGroupFactory(table);
        try (ParquetWriter<Group> writer = ExampleParquetWriter.builder(new LocalOutputFile(file))
                .withConf(new PlainParquetConfiguration()).withType(table)
                .withWriteMode(ParquetFileWriter.Mode.OVERWRITE).withCodecFactory(new Compressors())
                .withCompressionCodec(conversion.compression()).withRowGroupSize(conversion.rowGroupBytes())
                .withPageSize(1 << 20).withDictionaryEncoding(conversion.dictionary())
                .withWriterVersion(conversion.pages()).build()) {
            for (String line : jsonLines) {
                Group row = rows.newGroup();
                fill(row, JSON.readTree(line));
                writer.write(row);
            }
        }
    }

    /** The Glue table's columns as Hive's Parquet SerDe lays them out. */
    private static MessageType table(boolean elementLists) {
        String map = "(MAP) { repeated group key_value (MAP_KEY_VALUE) { required binary key (UTF8);"
                + " optional binary value (UTF8); } }";
        return MessageTypeParser.parseMessageType("message hive_schema {"
                + " optional binary name (UTF8); optional int64 time; optional binary value (UTF8);"
                + " optional boolean stale; optional int64 created;"
                + " optional group histogram { optional double count; optional binary sum (UTF8);"
                + " optional int32 schema; optional double zero_threshold; optional double zero_count;"
                + " optional binary reset_hint (UTF8); optional int64 created;"
                + " optional group buckets (LIST) { repeated group " + (elementLists ? "list" : "bag")
                + " { optional group " + (elementLists ? "element" : "array_element") + " { optional int32 index;"
                + " optional binary lower (UTF8); optional binary upper (UTF8); optional double count; } } } }"
                + " optional group exemplar { optional binary value (UTF8); optional group labels " + map + " }"
                + " optional group metadata { optional binary type (UTF8); optional binary help (UTF8);"
                + " optional binary unit (UTF8); }"
                + " optional group labels " + map + " }");
    }

    /** The group's fields from the JSON object's members of the same names. */
    private static void fill(Group group, JsonNode object) {
        for (Type field : group.getType().getFields()) {
            JsonNode value = object.get(field.getName());
            if (value == null || value.isNull()) {
                continue;
            }
            if (field.isPrimitive()) {
                switch (field.asPrimitiveType().getPrimitiveTypeName()) {
                    case BINARY -> group.add(field.getName(), value.asText());
                    case INT64 -> group.add(field.getName(), value.asLong());
                    case INT32 -> group.add(field.getName(), value.asInt());
                    case DOUBLE -> group.add(field.getName(), value.asDouble());
                    case BOOLEAN -> group.add(field.getName(), value.asBoolean());
                    default -> throw new IllegalArgumentException("no column of the table is " + field);
                }
            } else if (field.getLogicalTypeAnnotation() instanceof LogicalTypeAnnotation.MapLogicalTypeAnnotation) {
                Group map = group.addGroup(field.getName());
                List<Map.Entry<String, JsonNode>> entries = new ArrayList<>();
                value.fields().forEachRemaining(entries::add);
                Collections.reverse(entries);
                for (Map.Entry<String, JsonNode> entry : entries) {
                    map.addGroup(0).append("key", entry.getKey()).append("value", entry.getValue().asText());
                }
            } else if (field.getLogicalTypeAnnotation() instanceof LogicalTypeAnnotation.ListLogicalTypeAnnotation) {
                Group list = group.addGroup(field.getName());
                for (Iterator<JsonNode> elements = value.elements(); elements.hasNext(); ) {
                    fill(list.addGroup(0).addGroup(0), elements.next());
                }
            } else {
                fill(group.addGroup(field.getName()), value);
            }
        }
    }

    /** The codecs Firehose's ParquetSerDe offers, without Hadoop's codec classes (its Configuration with them). */
    private static final class Compressors implements CompressionCodecFactory {
        @Override
        public BytesInputCompressor getCompressor(CompressionCodecName codec) {
            return new BytesInputCompressor() {
                @Override
                public BytesInput compress(BytesInput bytes) throws IOException {
                    return switch (codec) {
                        case UNCOMPRESSED -> bytes;
                        case SNAPPY -> BytesInput.from(Snappy.compress(bytes.toByteArray()));
                        case GZIP -> {
                            ByteArrayOutputStream zipped = new ByteArrayOutputStream();
                            try (GZIPOutputStream out = new GZIPOutputStream(zipped)) {
                                bytes.writeAllTo(out);
                            }
                            yield BytesInput.from(zipped.toByteArray());
                        }
                        default -> throw new IllegalArgumentException("Firehose does not write " + codec);
                    };
                }

                @Override
                public CompressionCodecName getCodecName() {
                    return codec;
                }

                @Override
                public void release() {
                }
            };
        }

        @Override
        public BytesInputDecompressor getDecompressor(CompressionCodecName codec) {
            throw new UnsupportedOperationException("this factory only writes");
        }

        @Override
        public void release() {
        }
    }
}
