package io.github.promkinesis.restore;

import io.github.promkinesis.lines.ArchivedLine;
import io.github.promkinesis.transform.SeriesSelector;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * The {@code select} step: which lines a restore brings back: a time range (both ends inclusive, RFC 3339 or
 * Unix milliseconds) and series selectors, several OR-ed. Without any, everything. A metadata line, which
 * describes a metric and has no series labels, is kept when a selector's metric name matchers accept its metric
 * (a selector without one may select series of any metric, so it keeps all metadata).
 */
public final class ArchiveFilter {

    private final long start;
    private final long end;
    private final List<SeriesSelector> selectors;
    private final RestoreStats stats;

    public ArchiveFilter(String start, String end, List<String> selectors, RestoreStats stats) {
        this.start = start == null ? Long.MIN_VALUE : time(start, "--start");
        this.end = end == null ? Long.MAX_VALUE : time(end, "--end");
        this.selectors = selectors.stream().map(SeriesSelector::parse).toList();
        this.stats = stats;
        if (this.start > this.end) {
            throw new IllegalArgumentException("--start is after --end");
        }
    }

    /** The first time kept, or null when --start was not given. */
    Long start() {
        return start == Long.MIN_VALUE ? null : start;
    }

    public LineCursor select(LineCursor lines) {
        return new LineCursor.Step(lines) {
            @Override
            public boolean next() throws IOException {
                while (from.next()) {
                    if (keeps(from)) {
                        take();
                        return true;
                    }
                    stats.filteredOut.increment();
                }
                return false;
            }
        };
    }

    /** Decodes the whole line only when a selector needs its labels. */
    private boolean keeps(LineCursor line) {
        if (line.time < start || line.time > end) {
            return false;
        }
        return selectors.isEmpty() || keeps(line.line());
    }

    boolean keeps(ArchivedLine line) {
        if (line.time() < start || line.time() > end) {
            return false;
        }
        for (SeriesSelector selector : selectors) {
            if (line.kind() == ArchivedLine.Kind.METADATA ? selector.matchesName(line.name())
                    : selector.matches(line.labels())) {
                return true;
            }
        }
        return selectors.isEmpty();
    }

    /** RFC 3339 (2026-11-28T08:00:00.000Z) or Unix milliseconds. */
    static long time(String text, String option) {
        if (text.matches("-?\\d+")) {
            return Long.parseLong(text);
        }
        try {
            return Instant.parse(text).toEpochMilli();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(option + " " + text + ": use RFC 3339 (2026-11-28T08:00:00Z) or Unix milliseconds");
        }
    }
}
