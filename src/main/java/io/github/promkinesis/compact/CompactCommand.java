package io.github.promkinesis.compact;

import io.github.promkinesis.config.CommandOptions;
import io.github.promkinesis.config.Durations;
import io.github.promkinesis.config.InvalidSettingException;
import io.github.promkinesis.config.RestoreSettings;
import io.github.promkinesis.restore.ArchiveFilter;
import io.github.promkinesis.restore.ArchiveObjects;
import io.github.promkinesis.restore.ArchiveReading;
import io.github.promkinesis.restore.RestoreStats;
import io.github.promkinesis.restore.SortOrder;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.main.Main;
import org.apache.camel.main.SimpleMainShutdownStrategy;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * {@code compact --from SOURCE --to DEST --day YYYY-MM-DD[..YYYY-MM-DD] [--grace DURATION] [--tmp-dir DIR]}
 * turns each day of Firehose objects into one sorted Parquet file, {@code DEST/dt=YYYY-MM-DD/part-0.parquet}
 * (docs/format.md, "Compacted days"). A day is read from its hours' prefixes (YYYY/MM/DD/HH/, as Firehose names
 * them), the hour before it (clocks differ) and the grace period after it (late data), through the restore's
 * reading route, keeping the lines whose time is in the day; then routes/compact/ writes it. Days one after the
 * other, each on its own: a day with a bad object or an unreadable line is not published (what is there stays),
 * and the exit code is 1.
 */
public final class CompactCommand {

    static final String USAGE = "usage: compact --from DIR|s3://BUCKET/PREFIX --to DIR|s3://BUCKET/PREFIX"
            + " --day YYYY-MM-DD[..YYYY-MM-DD] [--grace DURATION] [--tmp-dir DIR]";
    private static final DateTimeFormatter HOUR_PREFIX = DateTimeFormatter.ofPattern("yyyy/MM/dd/HH/");
    /** How long SIGTERM or Ctrl-C lets the day being compacted go on: Camel Main's 45 s to stop and 15 s more. */
    private static final long DAY_END_ON_SHUTDOWN_SECONDS = 60;

    private CompactCommand() {
    }

    public static int run(List<String> args, RestoreSettings settings, PrintStream err) throws Exception {
        Options options;
        DayDestination destination;
        try {
            options = Options.parse(args, settings.compactGrace);
            destination = destination(options.to, settings);
        } catch (IllegalArgumentException e) {
            err.println("compact: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
        Configurator.setLevel("org.apache.camel", Level.WARN);
        // SIGTERM or Ctrl-C: the day being compacted ends (published or not, its temporary files deleted) and no
        // other starts, as Camel Main's hangup hook had it. One hook for the run: Main adds its own a day and
        // nothing removes it, each keeping its day's context and sort buffers (a quarter of the heap) to the end
        ReentrantLock dayInProgress = new ReentrantLock(true);
        Thread hook = new Thread(() -> {
            try {
                dayInProgress.tryLock(DAY_END_ON_SHUTDOWN_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "compact-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            boolean allPublished = true;
            for (LocalDate day = options.first; !day.isAfter(options.last); day = day.plusDays(1)) {
                int exit;
                dayInProgress.lock();
                try {
                    exit = compact(day, options, settings, destination, err);
                } finally {
                    dayInProgress.unlock();
                }
                if (exit == 2) {
                    return 2;
                }
                allPublished &= exit == 0;
            }
            return allPublished ? 0 : 1;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // shutting down: the hook takes the lock now, and the JVM ends
            }
        }
    }

    /** One day: 0 when published, 1 when not (said why), 2 for a source that cannot be read at all. */
    private static int compact(LocalDate day, Options options, RestoreSettings settings, DayDestination destination,
                               PrintStream err) throws Exception {
        String command = "compact " + day;
        RestoreStats stats = new RestoreStats();
        CompactStats written = new CompactStats();
        ZonedDateTime start = day.atStartOfDay(ZoneOffset.UTC);
        ArchiveObjects archive;
        List<String> objects;
        ArchiveFilter filter;
        try {
            filter = new ArchiveFilter(String.valueOf(start.toInstant().toEpochMilli()),
                    String.valueOf(start.plusDays(1).toInstant().toEpochMilli() - 1), List.of(), stats);
            archive = ArchiveObjects.at(options.from, settings, null, stats.bytesRead(), options.tmpDir);
            objects = archive.list(hours(start, options.grace));
        } catch (IllegalArgumentException | InvalidSettingException | SdkException e) {
            err.println("compact: " + e.getMessage());
            return e instanceof SdkException ? 1 : 2;
        }
        if (objects.isEmpty()) {
            err.println(command + ": no objects under " + options.from + " for the day (its hours' prefixes"
                    + " YYYY/MM/DD/HH/, the hour before and " + options.grace + " after): nothing published");
            return 1;
        }
        String failed;
        try (ArchiveReading reading = new ArchiveReading(archive, objects, filter, SortOrder.NAME, options.tmpDir,
                stats)) {
            Main main = new Main();
            // without Main's hangup hook (added even when disabled, in Camel 4.17): run's one waits for the day
            main.setShutdownStrategy(new SimpleMainShutdownStrategy());
            main.setDefaultPropertyPlaceholderLocation("false");
            main.configure().setStreamCachingEnabled(false);
            main.configure().withRoutesIncludePattern(ArchiveReading.routes("restore", "read-archive.yaml") + ","
                    + ArchiveReading.routes("compact", "write-parquet.yaml"));
            reading.bind(main);
            main.bind("tableRows", new TableRows(written));
            main.bind("dayParquet", new DayParquet(options.tmpDir, written));
            main.bind("dayDestination", destination);
            main.start();
            ScheduledExecutorService progress = Executors.newSingleThreadScheduledExecutor();
            progress.scheduleAtFixedRate(() -> err.println(command + ": " + stats.progress()), 5, 5,
                    TimeUnit.SECONDS);
            try {
                ProducerTemplate template = main.getCamelContext().createProducerTemplate();
                failed = reading.readAll(template, command, err);
                if (failed == null && !stats.complete()) {
                    failed = "objects or lines could not be read (above): the day is not published, what "
                            + destination.where(day) + " held is unchanged";
                }
                if (failed == null) {
                    stats.writing(written::lines);
                    Exception writing = template.send("direct:compact-day", exchange ->
                            exchange.setProperty(DayDestination.DAY, day)).getException();
                    if (writing != null) {
                        failed = ArchiveReading.failure(writing);
                    }
                }
            } finally {
                progress.shutdownNow();
                main.stop();
            }
        }
        if (failed != null) {
            err.println(command + ": " + failed);
        } else {
            err.println(command + ": published " + destination.where(day));
        }
        err.println(command + ": " + stats.summary());
        err.println(command + ": " + written.summary());
        return failed == null ? 0 : 1;
    }

    /** The hour prefixes a day's lines may be under: the hour before, the day's 24, and the grace after. */
    static List<String> hours(ZonedDateTime dayStart, Duration grace) {
        List<String> prefixes = new ArrayList<>();
        ZonedDateTime end = dayStart.plusDays(1).plus(grace);
        for (ZonedDateTime hour = dayStart.minusHours(1); hour.isBefore(end); hour = hour.plusHours(1)) {
            prefixes.add(HOUR_PREFIX.format(hour));
        }
        return prefixes;
    }

    private static DayDestination destination(String to, RestoreSettings settings) {
        if (to.startsWith("s3://")) {
            String path = to.substring("s3://".length());
            int slash = path.indexOf('/');
            String bucket = slash < 0 ? path : path.substring(0, slash);
            if (bucket.isEmpty()) {
                throw new IllegalArgumentException("--to " + to + ": s3://BUCKET/PREFIX");
            }
            return DayDestination.s3(ArchiveObjects.s3(settings), bucket, slash < 0 ? "" : path.substring(slash + 1));
        }
        Path directory = Path.of(to);
        if (Files.exists(directory) && !Files.isDirectory(directory)) {
            throw new IllegalArgumentException("--to " + to + ": a directory or s3://BUCKET/PREFIX");
        }
        return DayDestination.directory(directory);
    }

    /** The command line, checked. */
    record Options(String from, String to, LocalDate first, LocalDate last, Duration grace, Path tmpDir) {

        static Options parse(List<String> args, Duration defaultGrace) {
            String from = null;
            String to = null;
            String days = null;
            Duration grace = defaultGrace;
            String tmpDir = System.getProperty("java.io.tmpdir");
            for (Map.Entry<String, String> pair : CommandOptions.pairs(args)) {
                String option = pair.getKey();
                String value = pair.getValue();
                switch (option) {
                    case "--from" -> from = value;
                    case "--to" -> to = value;
                    case "--day" -> days = value;
                    case "--grace" -> {
                        grace = Durations.parse(value);
                        if (grace == null) {
                            throw new IllegalArgumentException("--grace " + value + ": a duration such as 3h, 90m or 0");
                        }
                    }
                    case "--tmp-dir" -> tmpDir = value;
                    default -> throw new IllegalArgumentException("unknown option " + option);
                }
            }
            if (from == null || to == null || days == null) {
                throw new IllegalArgumentException("--from, --to and --day are required");
            }
            if (from.startsWith("kinesis://")) {
                throw new IllegalArgumentException("--from " + from + ": compact reads Firehose's objects (a"
                        + " directory or s3://), laid out by hour");
            }
            String[] range = days.split("\\.\\.", -1);
            LocalDate first;
            LocalDate last;
            try {
                first = LocalDate.parse(range[0]);
                last = range.length == 2 ? LocalDate.parse(range[1]) : first;
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("--day " + days + ": YYYY-MM-DD or YYYY-MM-DD..YYYY-MM-DD");
            }
            if (range.length > 2 || last.isBefore(first)) {
                throw new IllegalArgumentException("--day " + days + ": YYYY-MM-DD or FIRST..LAST, FIRST not after LAST");
            }
            return new Options(from, to, first, last, grace, CommandOptions.tmpDir(tmpDir));
        }
    }
}
