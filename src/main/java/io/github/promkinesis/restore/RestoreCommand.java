package io.github.promkinesis.restore;

import io.github.promkinesis.config.CommandOptions;
import io.github.promkinesis.config.InvalidSettingException;
import io.github.promkinesis.config.RestoreSettings;
import io.github.promkinesis.protocol.SnappyDataFormat;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.main.Main;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * {@code restore --from SOURCE --to URL [--start TIME] [--end TIME] [--match SELECTOR]... [--max-samples-per-send N]
 * [--concurrency N] [--checkpoint FILE] [--tmp-dir DIR]} brings the archive back into a remote-write receiver;
 * {@code export --from SOURCE --out FILE [...]} writes it as OpenMetrics for promtool's backfill. The flow is the
 * YAML routes of routes/restore/ (the write path's mirror): every object is read, its lines decoded, selected and
 * sorted into runs on local disk; then the runs are merged, each line once, and sent with every series advancing
 * together in time (or written by metric family). This class lists the objects, feeds them to the routes,
 * reports progress, problems and a summary on the stream it is given (stderr from the command line) and sets the
 * exit code: 0 only when everything was read and accepted (or written).
 */
public final class RestoreCommand {

    /** The exchange property with the archive object being read. */
    public static final String OBJECT = "restoreObject";
    static final String USAGE = "usage: restore --from DIR|FILE|s3://BUCKET/PREFIX|kinesis://STREAM --to URL [--start TIME] [--end TIME]"
            + " [--match SELECTOR]... [--max-samples-per-send N] [--concurrency N] [--checkpoint FILE] [--tmp-dir DIR]\n"
            + "       export --from DIR|FILE|s3://BUCKET/PREFIX|kinesis://STREAM --out FILE [--start TIME] [--end TIME]"
            + " [--match SELECTOR]... [--tmp-dir DIR]";

    private RestoreCommand() {
    }

    /**
     * Runs {@code restore} or {@code export} with its checked settings, saying on {@code err} what it does; its exit
     * code (2 for bad usage).
     */
    public static int run(String command, List<String> args, RestoreSettings settings, PrintStream err)
            throws Exception {
        boolean export = command.equals("export");
        RestoreStats stats = new RestoreStats();
        Options options;
        ArchiveFilter filter;
        Checkpoint checkpoint;
        ArchiveObjects archive;
        List<String> objects;
        ReceiverAccess access;
        try {
            options = Options.parse(args, export);
        } catch (IllegalArgumentException e) {
            err.println(command + ": " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
        try {
            filter = new ArchiveFilter(options.start, options.end, options.matches, stats);
            checkpoint = new Checkpoint(options.checkpoint, options.selection(), options.concurrency);
            access = export ? null : ReceiverAccess.from(settings);
            archive = ArchiveObjects.at(options.from, settings, filter.start(), stats.bytes, options.tmpDir);
            objects = archive.list();
        } catch (IllegalArgumentException | InvalidSettingException | SdkException e) {
            err.println(command + ": " + e.getMessage());
            return e instanceof SdkException ? 1 : 2;
        }
        Configurator.setLevel("org.apache.camel", Level.WARN);
        ArchiveReading reading = new ArchiveReading(archive, objects, filter,
                export ? SortOrder.FAMILY : SortOrder.TIME, options.tmpDir, stats);

        Main main = new Main();
        // not the adapter's application.properties: a restore serves no HTTP, has no stream, exports no metrics
        main.setDefaultPropertyPlaceholderLocation("false");
        // objects are read line by line as they stream in: Camel must not cache a whole object in memory first
        main.configure().setStreamCachingEnabled(false);
        main.configure().withRoutesIncludePattern(ArchiveReading.routes("restore", "read-archive.yaml") + ","
                + ArchiveReading.routes("restore", export ? "write-openmetrics.yaml" : "send-remote-write.yaml"));
        reading.bind(main);
        if (export) {
            main.bind("openMetricsExport", new OpenMetricsExport(options.out, stats));
        } else {
            main.bind("writeRequestEncoder", new WriteRequestEncoder());
            main.bind("snappy", new SnappyDataFormat());
            main.bind("remoteWriteSender", new RemoteWriteSender(options.to, access, stats));
        }
        main.init();
        ProducerTemplate template = main.getCamelContext().createProducerTemplate();
        RestoreRequests requests = export ? null : new RestoreRequests(template, "direct:restore-send",
                options.maxSamplesPerSend, options.concurrency, checkpoint, stats);
        if (!export) {
            main.bind("restoreRequests", requests);
        }
        main.start();
        ScheduledExecutorService progress = Executors.newSingleThreadScheduledExecutor();
        progress.scheduleAtFixedRate(() -> err.println(command + ": " + stats.progress()), 5, 5, TimeUnit.SECONDS);
        String failed;
        try {
            failed = reading.readAll(template, command, err);
            if (failed == null) {
                stats.sending();
                Exception sending = template.send("direct:restore-replay", exchange -> { }).getException();
                if (sending != null) {
                    failed = ArchiveReading.failure(sending);
                }
            }
        } finally {
            progress.shutdownNow();
            if (requests != null) {
                requests.close();
            }
            main.stop();
            reading.close();
        }
        if (failed != null) {
            err.println(command + ": " + failed);
        }
        err.println(command + ": " + stats.summary());
        return failed == null && stats.complete() ? 0 : 1;
    }

    /** The command line, checked. */
    record Options(String from, URI to, Path out, String start, String end, List<String> matches,
                   int maxSamplesPerSend, int concurrency, Path checkpoint, Path tmpDir) {

        static Options parse(List<String> args, boolean export) {
            String from = null;
            String to = null;
            String out = null;
            String checkpoint = null;
            String start = null;
            String end = null;
            String tmpDir = System.getProperty("java.io.tmpdir");
            List<String> matches = new ArrayList<>();
            int maxSamples = 2000;
            int concurrency = 4;
            for (Map.Entry<String, String> pair : CommandOptions.pairs(args)) {
                String option = pair.getKey();
                String value = pair.getValue();
                switch (option) {
                    case "--from" -> from = value;
                    case "--to" -> to = export ? unknown(option) : value;
                    case "--out" -> out = export ? value : unknown(option);
                    case "--start" -> start = value;
                    case "--end" -> end = value;
                    case "--match" -> matches.add(value);
                    case "--max-samples-per-send" -> maxSamples = export ? unknownInt(option) : positive(option, value);
                    case "--concurrency" -> concurrency = export ? unknownInt(option) : positive(option, value);
                    case "--checkpoint" -> checkpoint = export ? unknown(option) : value;
                    case "--tmp-dir" -> tmpDir = value;
                    default -> unknown(option);
                }
            }
            if (from == null || (export ? out : to) == null) {
                throw new IllegalArgumentException("--from and " + (export ? "--out" : "--to") + " are required");
            }
            URI receiver = export ? null : URI.create(to);
            if (!export && !"http".equals(receiver.getScheme()) && !"https".equals(receiver.getScheme())) {
                throw new IllegalArgumentException("--to " + to + ": an http:// or https:// URL");
            }
            return new Options(from, receiver, out == null ? null : Path.of(out), start, end, List.copyOf(matches),
                    maxSamples, concurrency, checkpoint == null ? null : Path.of(checkpoint), CommandOptions.tmpDir(tmpDir));
        }

        /** What a checkpoint belongs to: the same restore of the same data. */
        String selection() {
            return "--from " + from + " --start " + start + " --end " + end + " --match " + matches;
        }

        private static String unknown(String option) {
            throw new IllegalArgumentException("unknown option " + option);
        }

        private static int unknownInt(String option) {
            unknown(option);
            return 0;
        }

        private static int positive(String option, String value) {
            try {
                int number = Integer.parseInt(value);
                if (number > 0) {
                    return number;
                }
            } catch (NumberFormatException e) {
                // below
            }
            throw new IllegalArgumentException(option + " " + value + ": a whole number above 0");
        }
    }
}
