package io.github.promkinesis.kinesis;

import io.github.promkinesis.lines.ByteSink;
import io.github.promkinesis.lines.JsonLines;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntUnaryOperator;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * Cuts a request's JSON lines into Kinesis records. Mode {@code sample} (the original adapter's format): one line
 * per record. Mode {@code packed}: many whole lines per record, up to maxBytes (KINESIS_RECORD_MAX_BYTES) and
 * maxLines (KINESIS_RECORD_MAX_LINES); every record ends on a line
 * boundary, so Firehose can concatenate records into valid JSON lines. Optionally each packed record is one gzip
 * member; concatenated members are a valid .gz file. Lines share a record only when they share a partition key.
 */
public final class KinesisRecords {

    private boolean packed;
    private int maxBytes;
    private int maxLines;
    private boolean gzip;
    private PartitionKeyStrategy partitionKey;

    public void setMode(String mode) {
        packed = switch (mode) {
            case "sample" -> false;
            case "packed" -> true;
            default -> throw new IllegalArgumentException("record mode must be sample or packed, not '" + mode + "'");
        };
    }

    public void setMaxBytes(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    public void setMaxLines(int maxLines) {
        this.maxLines = maxLines;
    }

    public void setGzip(boolean gzip) {
        this.gzip = gzip;
    }

    public void setPartitionKey(String strategy) {
        partitionKey = PartitionKeyStrategy.of(strategy);
    }

    /** The settings together, once they are all set: the route declares this as the bean's init method. */
    public List<KinesisRecord> of(JsonLines lines) {
        String[] groups = groupOfEachLine(lines);
        if (!packed) {
            List<KinesisRecord> records = new ArrayList<>(lines.size());
            for (int line = 0; line < lines.size(); line++) {
                records.add(record(partitionKey.key(groups[line]), lines.slice(line, line + 1), lines, i -> i,
                        line, line + 1));
            }
            return records;
        }
        Map<String, LineList> byGroup = new LinkedHashMap<>(); // in order of first appearance
        for (int line = 0; line < lines.size(); line++) {
            byGroup.computeIfAbsent(groups[line], k -> new LineList()).add(line);
        }
        List<KinesisRecord> records = new ArrayList<>();
        for (Map.Entry<String, LineList> group : byGroup.entrySet()) {
            pack(lines, group.getValue(), group.getKey(), records);
        }
        return records;
    }

    /** Each line's group, worked out once per series (a series' lines are adjacent), not once per line. */
    private String[] groupOfEachLine(JsonLines lines) {
        String[] groups = new String[lines.size()];
        for (int line = 0; line < lines.size(); line++) {
            boolean sameSeries = line > 0 && lines.series(line) == lines.series(line - 1);
            groups[line] = sameSeries ? groups[line - 1] : partitionKey.group(lines, line);
        }
        return groups;
    }

    private void pack(JsonLines lines, LineList group, String groupKey, List<KinesisRecord> records) {
        int first = 0;
        int bytes = 0;
        for (int i = 0; i < group.size; i++) {
            int length = lines.end(group.lines[i]) - lines.start(group.lines[i]);
            if (i > first && (i - first == maxLines || bytes + length > maxBytes)) {
                records.add(record(partitionKey.key(groupKey), data(lines, group, first, i), lines,
                        n -> group.lines[n], first, i));
                first = i;
                bytes = 0;
            }
            bytes += length;
        }
        if (group.size > first) {
            records.add(record(partitionKey.key(groupKey), data(lines, group, first, group.size), lines,
                    n -> group.lines[n], first, group.size));
        }
    }

    /** Lines group[from..to) as one record: a view of the buffer when they are adjacent there, else a copy. */
    private ByteBuffer data(JsonLines lines, LineList group, int from, int to) {
        int firstLine = group.lines[from];
        int lastLine = group.lines[to - 1];
        ByteBuffer record;
        if (lastLine - firstLine == to - 1 - from) {
            record = lines.slice(firstLine, lastLine + 1);
        } else {
            ByteSink sink = new ByteSink(maxBytes);
            for (int i = from; i < to; i++) {
                lines.copyTo(group.lines[i], sink);
            }
            record = ByteBuffer.wrap(sink.array(), 0, sink.length());
        }
        return gzip ? gzip(record) : record;
    }

    /** A record of the lines lineAt(from..to-1), counted by kind for the written-count headers. */
    private static KinesisRecord record(String key, ByteBuffer data, JsonLines lines, IntUnaryOperator lineAt,
                                        int from, int to) {
        int[] counts = new int[4];
        for (int i = from; i < to; i++) {
            counts[lines.kind(lineAt.applyAsInt(i))]++;
        }
        return new KinesisRecord(key, data, counts[JsonLines.SAMPLE], counts[JsonLines.HISTOGRAM],
                counts[JsonLines.EXEMPLAR]);
    }

    /** Level 1: JSON lines shrink most of the way at the fastest level, and CPU is the adapter's cost. */
    private static ByteBuffer gzip(ByteBuffer record) {
        ByteSinkStream out = new ByteSinkStream(record.remaining() / 4);
        try (GZIPOutputStream gzip = new GZIPOutputStream(out, 8192) {
            {
                def.setLevel(Deflater.BEST_SPEED);
            }
        }) {
            gzip.write(record.array(), record.arrayOffset() + record.position(), record.remaining());
        } catch (IOException e) {
            throw new UncheckedIOException(e); // in memory: cannot happen
        }
        return ByteBuffer.wrap(out.sink.array(), 0, out.sink.length());
    }

    /** Line numbers in arrival order, without boxing. */
    private static final class LineList {
        private int[] lines = new int[8];
        private int size;

        void add(int line) {
            if (size == lines.length) {
                lines = Arrays.copyOf(lines, size * 2);
            }
            lines[size++] = line;
        }
    }

    private static final class ByteSinkStream extends java.io.OutputStream {
        private final ByteSink sink;

        ByteSinkStream(int capacity) {
            sink = new ByteSink(capacity);
        }

        @Override
        public void write(int b) {
            sink.write(b);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            sink.write(bytes, offset, length);
        }
    }
}
