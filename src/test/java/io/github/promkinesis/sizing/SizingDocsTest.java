package io.github.promkinesis.sizing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/format.md's "What records cost" tables are what {@code size --series 1000000 --interval 15s} computes, at
 * the precision each cell shows, so the docs and the command cannot drift.
 */
class SizingDocsTest {

    private static final double SAMPLES_PER_SECOND = 1_000_000 / 15.0;
    private static final Pattern NUMBER = Pattern.compile("\\$?([0-9][0-9,]*(?:\\.([0-9]+))?)( billion)?");

    @Test
    void perThousandSamplesTableHoldsTheMeasuredFigures() throws IOException {
        List<List<String>> rows = table("| records | records / 1,000 samples | bytes / 1,000 samples | PUT units");
        List<List<Object>> expected = new ArrayList<>();
        for (Sizing.Measured m : Sizing.measured(Sizing.Sink.KINESIS, null)) {
            expected.add(List.of(m.records(), m.bytes(), m.units()));
        }
        // its last row, partition keys by metric, shows a key's effect, which size does not size
        assertEquals(expected.size() + 1, rows.size());
        assertEquals(List.of(), mismatches(rows.subList(0, expected.size()), expected));
    }

    @Test
    void kinesisCostTableIsWhatSizeComputes() throws IOException {
        List<List<String>> rows = table("| records | records/s | MiB/s | shards |");
        assertEquals(List.of(), mismatches(rows, kinesisCosts()));
    }

    @Test
    void firehoseTableIsWhatSizeComputes() throws IOException {
        List<List<String>> rows = table("| records | records / 1,000 samples | bytes / 1,000 samples | 5 KB units");
        assertEquals(List.of(), mismatches(rows, firehoseCosts()));
    }

    @Test
    void aChangedFigureIsRefused() throws IOException {
        List<List<String>> rows = new ArrayList<>(table("| records | records/s | MiB/s | shards |"));
        List<String> packed = new ArrayList<>(rows.get(1));
        packed.set(7, "**$314**");
        rows.set(1, packed);
        List<String> gzip = new ArrayList<>(rows.get(2));
        gzip.set(3, "4 (records)");
        rows.set(2, gzip);
        assertEquals(List.of("row 2 (`packed`), column 7: docs **$314**, computed 312.9948",
                "row 3 (`packed` + gzip), column 3: docs 4 (records), computed 4 (bytes)"),
                mismatches(rows, kinesisCosts()));
    }

    private static List<List<Object>> kinesisCosts() {
        List<List<Object>> expected = new ArrayList<>();
        for (Sizing.Measured m : Sizing.measured(Sizing.Sink.KINESIS, null)) {
            Sizing.StreamCost cost = new Sizing.StreamCost(m, SAMPLES_PER_SECOND);
            expected.add(List.of(cost.recordsPerSecond(), cost.mibPerSecond(),
                    cost.shards() + (cost.recordBound() ? " (records)" : " (bytes)"), cost.putUnitsAMonth(),
                    cost.shardCost(), cost.putCost(), cost.total()));
        }
        return expected;
    }

    private static List<List<Object>> firehoseCosts() {
        List<List<Object>> expected = new ArrayList<>();
        for (Sizing.Measured m : Sizing.measured(Sizing.Sink.FIREHOSE, null)) {
            Sizing.FirehoseCost cost = new Sizing.FirehoseCost(m, SAMPLES_PER_SECOND);
            expected.add(List.of(m.records(), m.bytes(), m.units(), cost.recordsPerSecond(), cost.mibPerSecond(),
                    cost.billedGbAMonth(), cost.total()));
        }
        return expected;
    }

    /**
     * Where a table's rows differ from the expected cells (from the second column on): a number must be the
     * computed one rounded as the cell shows it ("24.5", "175.2 billion", "$3,186"; in a cell with a bold part,
     * that part), a text must be the cell.
     */
    static List<String> mismatches(List<List<String>> rows, List<List<Object>> expected) {
        List<String> found = new ArrayList<>();
        if (rows.size() != expected.size()) {
            found.add("docs have " + rows.size() + " rows, size computes " + expected.size());
        }
        for (int r = 0; r < Math.min(rows.size(), expected.size()); r++) {
            List<String> row = rows.get(r);
            for (int c = 0; c < expected.get(r).size(); c++) {
                Object want = expected.get(r).get(c);
                String cell = row.size() > c + 1 ? row.get(c + 1) : "";
                if (!(want instanceof Double number ? shows(cell, number) : cell.equals(want))) {
                    found.add("row " + (r + 1) + " (" + row.get(0) + "), column " + (c + 1) + ": docs " + cell
                            + ", computed " + want);
                }
            }
        }
        return found;
    }

    private static boolean shows(String cell, double computed) {
        Matcher bold = Pattern.compile("\\*\\*(.*?)\\*\\*").matcher(cell);
        Matcher number = NUMBER.matcher(bold.find() ? bold.group(1) : cell);
        if (!number.lookingAt()) {
            return false;
        }
        int decimals = number.group(2) == null ? 0 : number.group(2).length();
        double scaled = number.group(3) == null ? computed : computed / 1e9;
        return new BigDecimal(number.group(1).replace(",", ""))
                .compareTo(BigDecimal.valueOf(scaled).setScale(decimals, RoundingMode.HALF_UP)) == 0;
    }

    /** The rows of the table of "What records cost" whose header starts so, each its cells. */
    private static List<List<String>> table(String header) throws IOException {
        String doc = Files.readString(Path.of("docs/format.md"));
        String section = doc.substring(doc.indexOf("## What records cost"));
        section = section.substring(0, section.indexOf("\n## ", 1));
        List<String> lines = section.lines().toList();
        int start = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(header)) {
                start = i;
            }
        }
        if (start < 0) {
            throw new AssertionError("no table headed " + header + " in docs/format.md, What records cost");
        }
        List<List<String>> rows = new ArrayList<>();
        for (int i = start + 2; i < lines.size() && lines.get(i).startsWith("|"); i++) {
            String line = lines.get(i);
            List<String> cells = new ArrayList<>();
            for (String cell : line.substring(1, line.length() - 1).split("\\|")) {
                cells.add(cell.strip());
            }
            rows.add(cells);
        }
        return rows;
    }
}
