package io.github.promkinesis.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.promkinesis.config.RestoreSettings;
import io.github.promkinesis.config.SettingsSource;
import io.github.promkinesis.it.RemoteWriteBodies;
import io.github.promkinesis.protocol.prompb.Label;
import io.github.promkinesis.protocol.prompb.Sample;
import io.github.promkinesis.protocol.prompb.TimeSeries;
import io.github.promkinesis.protocol.prompb.WriteRequest;
import io.github.promkinesis.restore.RestoreCommand;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The restore's routes (routes/restore/read-archive.yaml, write-openmetrics.yaml) in the JVM, as `export` runs
 * them: an archive directory of the write route's JSON lines, one object plain and one gzipped, holding some
 * lines twice, comes out as OpenMetrics with every sample once, each family together, and # EOF last.
 */
class ExportRoutesTest {

    private static final Pattern SAMPLE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{.*})? (\\S+) (\\S+)");

    @Test
    void anArchiveIsExportedAsTheSameSamplesOnce(@TempDir Path work) throws Exception {
        WriteRequest sent = RemoteWriteBodies.generated("export", 40, 5, 17);
        Path archive = ArchiveDirectory.of(sent, work);
        Path out = work.resolve("export.om");

        int exit = RestoreCommand.run("export", List.of("--from", archive.toString(), "--out", out.toString(),
                "--tmp-dir", work.toString()), RestoreSettings.read(SettingsSource.environmentOnly(Map.of())),
                System.err);

        assertEquals(0, exit);
        List<String> written = Files.readAllLines(out);
        assertEquals("# EOF", written.get(written.size() - 1));
        List<String> samples = new ArrayList<>();
        Set<String> families = new HashSet<>();
        for (String line : written.subList(0, written.size() - 1)) {
            if (line.startsWith("# TYPE ")) {
                assertTrue(families.add(line.split(" ")[2]), "each family together, once: " + line);
                continue;
            }
            Matcher sample = SAMPLE.matcher(line);
            assertTrue(sample.matches(), line);
            samples.add(sample.group(1) + (sample.group(2) == null ? "" : sample.group(2)) + " @"
                    + new BigDecimal(sample.group(4)).movePointRight(3).longValueExact() + " = "
                    + Double.parseDouble(sample.group(3)));
        }
        assertEquals(expected(sent), samples.stream().sorted().toList());
        assertEquals(samples.size(), new TreeSet<>(samples).size(), "every sample once");
    }

    /** Each float sample as name{labels} @millis = value, sorted. */
    private static List<String> expected(WriteRequest sent) {
        List<String> samples = new ArrayList<>();
        for (TimeSeries series : sent.getTimeseriesList()) {
            List<String> labels = new ArrayList<>();
            String name = "";
            for (Label label : series.getLabelsList()) {
                if (label.getName().equals("__name__")) {
                    name = label.getValue();
                } else {
                    labels.add(label.getName() + "=\"" + label.getValue() + "\"");
                }
            }
            for (Sample sample : series.getSamplesList()) {
                samples.add(name + "{" + String.join(",", labels) + "} @" + sample.getTimestamp() + " = "
                        + sample.getValue());
            }
        }
        samples.sort(null);
        return samples;
    }
}
