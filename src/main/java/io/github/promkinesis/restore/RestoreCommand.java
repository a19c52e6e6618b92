package io.github.promkinesis.restore;

import io.github.promkinesis.encoding.SnappyDataFormat;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.camel.ProducerTemplate;
import software.amazon.awssdk.core.exception.SdkException;
import org.apache.camel.main.Main;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;

/**
 * {@code restore --from SOURCE --to URL [--start TIME] [--end TIME] [--match SELECTOR]...
 * [--max-samples-per-send N] [--concurrency N] [--checkpoint FILE]} brings the archive back into a remote-write receiver;
 * {@code export --from SOURCE --out FILE [...]} writes it as OpenMetrics for promtool's backfill. The flow is the
 * YAML routes of routes/restore/ (the write path's mirror: object → gunzip → JSON lines → filter → requests →
 * protobuf → snappy → HTTP); this class lists the objects, feeds them to the routes one by one, reports
 * progress on stderr and sets the exit code: 0 only when everything was read and accepted (or written).
 */
public final class RestoreCommand {

    /** The exchange property with the archive object being read. */
    public static final String OBJECT = "restoreObject";
    static final String USAGE = "usage: restore --from DIR|FILE|s3://BUCKET/PREFIX|kinesis://STREAM --to URL [--start TIME] [--end TIME]"
            + " [--match SELECTOR]... [--max-samples-per-send N] [--concurrency N] [--checkpoint FILE]\n"
            + "       export --from DIR|FILE|s3://BUCKET/PREFIX|kinesis://STREAM --out FILE [--start TIME] [--end TIME] [--match SELECTOR]...";

    private RestoreCommand() {
    }

    /** Runs {@code restore} or {@code export}; its exit code (2 for bad usage). */
    public static int run(String command, List<String> args, Map<String, String> environment) throws Exception {
        boolean export = command.equals("export");
        Options options;
        try {
            options = Options.parse(args, export);
        } catch (IllegalArgumentException e) {
            System.err.println(command + ": " + e.getMessage());
            System.err.println(USAGE);
            return 2;
        }
        Configurator.setLevel("org.apache.camel", Level.WARN);
        RestoreStats stats = new RestoreStats();
        ArchiveObjects archive;
        List<String> objects;
        ReceiverAccess access;
        try {
            access = export ? null : ReceiverAccess.from(environment);
            archive = ArchiveObjects.at(options.from, environment, options.filter.start());
            objects = archive.list();
        } catch (IllegalArgumentException | SdkException e) {
            System.err.println(command + ": " + e.getMessage());
            return e instanceof IllegalArgumentException ? 2 : 1;
        }
        stats.objectsTotal.set(objects.size());

        Main main = new Main();
        // not the adapter's application.properties: a restore serves no HTTP, has no stream, exports no metrics
        main.setDefaultPropertyPlaceholderLocation("false");
        // objects are read line by line as they stream in: Camel must not cache a whole object in memory first
        main.configure().setStreamCachingEnabled(false);
        main.configure().withRoutesIncludePattern(routes("read-archive.yaml")
                + (export ? "" : "," + routes("send-remote-write.yaml")));
        main.bind("archiveObjects", archive);
        if (!export) {
            main.bind("snappy", new SnappyDataFormat());
            main.bind("remoteWriteSender", new RemoteWriteSender(options.to, access, stats));
        }
        main.init();
        ProducerTemplate template = main.getCamelContext().createProducerTemplate();
        OpenMetricsExport file = export ? new OpenMetricsExport(options.out, new LineDecoder(options.filter, stats),
                stats) : null;
        RestoreRequests requests = export ? null : new RestoreRequests(template, "direct:restore-send",
                options.maxSamplesPerSend, options.concurrency, () -> new LineDecoder(options.filter, stats));
        main.bind("archiveLines", new ArchiveLines(archive, export ? file : requests, stats));
        main.start();
        ScheduledExecutorService progress = Executors.newSingleThreadScheduledExecutor();
        progress.scheduleAtFixedRate(() -> System.err.println(command + ": " + stats.progress()), 5, 5, TimeUnit.SECONDS);
        Checkpoint checkpoint = new Checkpoint(options.checkpoint);
        try {
            for (String object : objects) {
                if (checkpoint.finished(object)) {
                    stats.objectsDone.increment();
                    continue;
                }
                Exception failed = template.send("direct:restore-object", exchange -> {
                    exchange.getMessage().setBody(object);
                    exchange.setProperty(OBJECT, object);
                }).getException();
                if (failed != null) {
                    stats.badObjects.increment();
                    System.err.println(command + ": " + archive.where(object) + ": " + failed);
                } else {
                    checkpoint.done(object);
                }
            }
            if (export) {
                file.write();
            }
        } finally {
            progress.shutdownNow();
            if (requests != null) {
                requests.close();
            }
            main.stop();
        }
        System.err.println(command + ": " + stats.summary());
        return stats.complete() ? 0 : 1;
    }

    /** A route file of the working directory's routes/restore when it has one, else the jar's. */
    private static String routes(String file) {
        Path local = Path.of("routes", "restore", file);
        return Files.isRegularFile(local) ? "file:" + local.toAbsolutePath() : "classpath:routes/restore/" + file;
    }

    /** The command line, checked. */
    record Options(String from, URI to, Path out, ArchiveFilter filter, int maxSamplesPerSend, int concurrency,
                   Path checkpoint) {

        static Options parse(List<String> args, boolean export) {
            String from = null;
            String to = null;
            String out = null;
            String checkpoint = null;
            String start = null;
            String end = null;
            List<String> matches = new ArrayList<>();
            int maxSamples = 2000;
            int concurrency = 4;
            for (int i = 0; i < args.size(); i++) {
                String option = args.get(i);
                if (i + 1 >= args.size()) {
                    throw new IllegalArgumentException(option + " needs a value");
                }
                String value = args.get(++i);
                switch (option) {
                    case "--from" -> from = value;
                    case "--to" -> to = export ? unknown(option) : value;
                    case "--out" -> out = export ? value : unknown(option);
                    case "--start" -> start = value;
                    case "--end" -> end = value;
                    case "--match" -> matches.add(value);
                    case "--max-samples-per-send" -> maxSamples = positive(option, value);
                    case "--concurrency" -> concurrency = positive(option, value);
                    case "--checkpoint" -> checkpoint = export ? unknown(option) : value;
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
            return new Options(from, receiver, out == null ? null : Path.of(out),
                    new ArchiveFilter(start, end, matches), maxSamples, concurrency,
                    checkpoint == null ? null : Path.of(checkpoint));
        }

        private static String unknown(String option) {
            throw new IllegalArgumentException("unknown option " + option);
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
