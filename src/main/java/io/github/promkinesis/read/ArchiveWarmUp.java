package io.github.promkinesis.read;

import io.github.promkinesis.metrics.ReadMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NavigableSet;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Before serve-archive answers: the newest compacted day opened (its index and footer, kept as a query would keep
 * them) and up to {@link #ROWS} of its samples made into both answer types that no one reads. The first query
 * then finds the reading classes and native libraries loaded and their loops compiled, which otherwise cost it
 * seconds (docs/benchmarks.md, "Remote read"). It never fails the start: an empty or unreadable archive is said in
 * one line, and the first query meets it as it would have; and it never holds the start past {@link #WAIT}, so a
 * slow S3 cannot keep the health check down until a liveness probe restarts the server: it goes on meanwhile.
 */
public final class ArchiveWarmUp {

    static final long ROWS = 500_000;
    static final Duration WAIT = Duration.ofSeconds(15);
    private static final Logger LOG = LoggerFactory.getLogger(ArchiveWarmUp.class);

    private ArchiveWarmUp() {
    }

    public static void run(ArchiveDays days) {
        Thread warmUp = new Thread(() -> warm(days), "warm-up");
        warmUp.setDaemon(true);
        warmUp.start();
        try {
            warmUp.join(WAIT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (warmUp.isAlive()) {
            LOG.info("Warm-up: still reading after {} s; answering meanwhile", WAIT.toSeconds());
        }
    }

    private static void warm(ArchiveDays days) {
        long started = System.nanoTime();
        try {
            NavigableSet<LocalDate> all = days.between(LocalDate.of(1970, 1, 1), LocalDate.of(9999, 12, 31));
            if (all.isEmpty()) {
                LOG.info("Warm-up: no compacted day yet");
                return;
            }
            CompactedDay day = days.day(all.last());
            if (day == null) {
                LOG.info("Warm-up skipped: {} was listed, then had no compacted day", all.last());
                return;
            }
            SelectedQuery query = firstSeries(day, all.last());
            ReadLimits limits = new ReadLimits(Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE, Duration.ofMinutes(1));
            long deadline = limits.deadline();
            ReadMetrics uncounted = new ReadMetrics(new SimpleMeterRegistry());
            Executor here = Runnable::run;
            long bytes = drain(new SamplesStream(List.of(query), SamplesPlan.of(List.of(query), limits, deadline, here),
                    limits, deadline, here, uncounted))
                    + drain(new ChunkFrames(List.of(query), limits, deadline, here, uncounted));
            LOG.info("Warm-up: {} series of {} read into {} bytes of answers in {} ms", query.series().size(),
                    all.last(), bytes, (System.nanoTime() - started) / 1_000_000);
        } catch (Exception e) {
            LOG.warn("Warm-up skipped: {}", e.toString());
        }
    }

    /** The day's series in its index's order, as many as hold about {@link #ROWS} samples, in label order. */
    private static SelectedQuery firstSeries(CompactedDay day, LocalDate date) {
        List<SelectedSeries> series = new ArrayList<>();
        long rows = 0;
        for (Iterator<DaySeries> all = day.candidates(null); all.hasNext() && rows < ROWS; ) {
            DaySeries one = all.next();
            SelectedSeries selected = new SelectedSeries(one.labelNames(), one.labelValues());
            selected.days().add(new SelectedSeries.Day(day, one));
            series.add(selected);
            rows += one.rows();
        }
        series.sort(SelectedSeries::compare);
        long start = date.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        return new SelectedQuery(start, start + Duration.ofDays(1).toMillis() - 1, series);
    }

    private static long drain(InputStream answer) throws java.io.IOException {
        try (answer) {
            return answer.transferTo(OutputStream.nullOutputStream());
        }
    }
}
