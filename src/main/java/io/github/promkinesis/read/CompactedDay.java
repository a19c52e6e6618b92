package io.github.promkinesis.read;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.promkinesis.parquet.ByteRanges;
import io.github.promkinesis.parquet.ParquetFile;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * A compacted day as serve-archive reads it: its series index ({@code _series.json.gz}) in memory, by metric
 * name, and its Parquet file's footer. The index's last line names the file it describes; a file of another size
 * (a compaction rewriting the day, or killed between the file and its index) makes the day unreadable until the
 * compaction is run again, rather than answered from rows the index does not describe.
 */
final class CompactedDay {

    static final String INDEX = "_series.json.gz";
    static final String FILE = "part-0.parquet";
    private static final ObjectMapper JSON = new ObjectMapper();

    final LocalDate day;
    private final Map<String, List<DaySeries>> byName;
    /** Row groups' first rows, and whether each holds float samples only (its kind column all null). */
    private final long[] groupStarts;
    private final boolean[] floatsOnly;
    private final List<DaySeries> all;
    final ParquetFile file;

    private CompactedDay(LocalDate day, List<DaySeries> all, ParquetFile file) {
        this.day = day;
        this.all = all;
        this.file = file;
        this.groupStarts = new long[file.rowGroups() + 1];
        this.floatsOnly = new boolean[file.rowGroups()];
        for (int g = 0; g < file.rowGroups(); g++) {
            groupStarts[g + 1] = groupStarts[g] + file.rowGroupRows(g);
            floatsOnly[g] = file.onlyNulls(g, "kind");
        }
        this.byName = new HashMap<>();
        for (DaySeries series : all) {
            byName.computeIfAbsent(name(series), n -> new ArrayList<>()).add(series);
        }
    }

    /** The day from its index's stream and its file; the index is read whole, the file's footer only. */
    static CompactedDay read(LocalDate day, InputStream index, ByteRanges file, String where) throws IOException {
        List<DaySeries> series = new ArrayList<>();
        JsonNode described = null;
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(new GZIPInputStream(index, 1 << 16),
                StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                JsonNode node = JSON.readTree(line);
                if (node.has("file")) {
                    described = node;
                } else if (node.path("labels").size() > 0) { // metadata rows have no labels: no series to read
                    series.add(series(node));
                }
            }
        } catch (IOException | RuntimeException e) {
            file.close();
            throw new IOException(where + INDEX + ": unreadable (" + e.getMessage() + ")", e);
        }
        long size = file.size();
        if (described == null || described.path("bytes").asLong(-1) != size) {
            file.close();
            throw new IOException(where + INDEX + " does not describe the " + size + "-byte " + FILE
                    + " beside it (a compaction of " + day + " running, or killed: run it again)");
        }
        series.sort(Comparator.comparingLong(DaySeries::firstRow));
        return new CompactedDay(day, series, ParquetFile.open(file));
    }

    private static DaySeries series(JsonNode node) {
        JsonNode labels = node.get("labels");
        List<String> names = new ArrayList<>();
        labels.fieldNames().forEachRemaining(names::add);
        names.sort(null);
        // interned: a series' labels are the same strings in every day cached, not a copy a day
        String[] labelNames = new String[names.size()];
        String[] labelValues = new String[labelNames.length];
        for (int i = 0; i < labelNames.length; i++) {
            labelNames[i] = names.get(i).intern();
            labelValues[i] = labels.get(names.get(i)).asText().intern();
        }
        return new DaySeries(labelNames, labelValues, node.get("first_row").asLong(), node.get("rows").asLong(),
                node.get("min_time").asLong(), node.get("max_time").asLong());
    }

    /** The day's series a query may select: those of its metric name when it names one, else all. */
    Iterator<DaySeries> candidates(String metricName) {
        if (metricName == null) {
            return all.iterator();
        }
        return byName.getOrDefault(metricName, List.of()).iterator();
    }

    /** Whether the series' rows of the day are all float samples: every row group they are in has no other kind. */
    boolean floatsOnly(DaySeries series) {
        for (int g = 0; g < floatsOnly.length; g++) {
            boolean overlaps = groupStarts[g] < series.firstRow() + series.rows()
                    && series.firstRow() < groupStarts[g + 1];
            if (overlaps && !floatsOnly[g]) {
                return false;
            }
        }
        return true;
    }

    int rowGroups() {
        return floatsOnly.length;
    }

    /** Row group g's first row in the file; g = rowGroups() gives the row after the last. */
    long groupStart(int g) {
        return groupStarts[g];
    }

    /** Whether row group g holds float samples only (no histogram, exemplar or metadata row). */
    boolean floatsOnly(int g) {
        return floatsOnly[g];
    }

    private static String name(DaySeries series) {
        for (int i = 0; i < series.labelNames().length; i++) {
            if (series.labelNames()[i].equals("__name__")) {
                return series.labelValues()[i];
            }
        }
        return "";
    }
}
