package io.github.promkinesis.compact;

import io.github.promkinesis.lines.ByteSink;
import io.github.promkinesis.lines.JsonLineWriter;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.zip.GZIPOutputStream;
import org.apache.parquet.io.api.Binary;

/**
 * The day's series index, {@code dt=YYYY-MM-DD/_series.json.gz} beside the day's file: a reader finds a series'
 * rows without scanning the day. One JSON line per series, in the file's order, as its rows were written:
 * {"series_id":..,"name":..,"labels":{..},"first_row":..,"rows":..,"min_time":..,"max_time":..} (its float
 * samples and its other lines alike; metadata, which has no labels, under its name alone). The last line names the
 * file it describes, {"file":"part-0.parquet","bytes":..,"sha256":..,"rows":..,"series":..}: an index that does not
 * match the file beside it (a run killed between the two) is to be ignored. Written as the rows go, so memory does
 * not grow with the day.
 */
final class SeriesIndex implements AutoCloseable {

    static final String FILE = "_series.json.gz";

    private final OutputStream out;
    private long rows;
    private long series;
    private boolean open;
    private long seriesId;
    private Binary name;
    private Binary[] labelNames = new Binary[0];
    private Binary[] labelValues = new Binary[0];
    private long firstRow;
    private long minTime;
    private long maxTime;

    SeriesIndex(Path file) throws IOException {
        out = new GZIPOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16), 1 << 16);
    }

    /** The next row written to the day's file. */
    void row(CompactedRow row) throws IOException {
        if (!open || !sameSeries(row)) {
            endSeries();
            open = true;
            seriesId = row.seriesId;
            name = row.name;
            labelNames = Arrays.copyOf(row.labelNames, row.labelCount);
            labelValues = Arrays.copyOf(row.labelValues, row.labelCount);
            firstRow = rows;
            minTime = row.time;
            maxTime = row.time;
        }
        minTime = Math.min(minTime, row.time);
        maxTime = Math.max(maxTime, row.time);
        rows++;
    }

    /** Ends the index with the file it describes. */
    void finish(long bytes, byte[] sha256) throws IOException {
        endSeries();
        ByteSink line = new ByteSink(256);
        line.writeLatin1("{\"file\":\"" + DayDestination.FILE + "\",\"bytes\":" + bytes + ",\"sha256\":\""
                + HexFormat.of().formatHex(sha256) + "\",\"rows\":" + rows + ",\"series\":" + series + "}\n");
        out.write(line.array(), 0, line.length());
    }

    @Override
    public void close() throws IOException {
        out.close();
    }

    /** Rows of one series reuse its Binary objects, so most rows are decided by identity alone. */
    private boolean sameSeries(CompactedRow row) {
        if (row.seriesId != seriesId || row.labelCount != labelNames.length || !same(row.name, name)) {
            return false;
        }
        for (int i = 0; i < labelNames.length; i++) {
            if (!same(row.labelNames[i], labelNames[i]) || !same(row.labelValues[i], labelValues[i])) {
                return false;
            }
        }
        return true;
    }

    private static boolean same(Binary a, Binary b) {
        return a == b || (a != null && a.equals(b));
    }

    private void endSeries() throws IOException {
        if (!open) {
            return;
        }
        ByteSink line = new ByteSink(512);
        line.writeLatin1("{\"series_id\":");
        line.writeLong(seriesId);
        line.writeLatin1(",\"name\":");
        JsonLineWriter.writeString(name == null ? "" : name.toStringUsingUTF8(), line);
        line.writeLatin1(",\"labels\":{");
        for (int i = 0; i < labelNames.length; i++) {
            if (i > 0) {
                line.write(',');
            }
            JsonLineWriter.writeLabel(labelNames[i].toStringUsingUTF8(), labelValues[i].toStringUsingUTF8(), line);
        }
        line.writeLatin1("},\"first_row\":");
        line.writeLong(firstRow);
        line.writeLatin1(",\"rows\":");
        line.writeLong(rows - firstRow);
        line.writeLatin1(",\"min_time\":");
        line.writeLong(minTime);
        line.writeLatin1(",\"max_time\":");
        line.writeLong(maxTime);
        line.writeLatin1("}\n");
        out.write(line.array(), 0, line.length());
        series++;
        open = false;
    }
}
