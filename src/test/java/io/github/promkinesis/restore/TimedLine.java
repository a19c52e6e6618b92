package io.github.promkinesis.restore;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;

/**
 * A merged line as the send step sees it, for the tests of {@link RestoreRequests}: its series (and the series'
 * hash, which picks the shard), its time and its text, unique, so what a receiver got can be matched with what
 * went in.
 */
record TimedLine(String series, int hash, long time, String text) {

    static TimedLine of(String series, long time, int nth) {
        return of(series, series.hashCode(), time, nth);
    }

    static TimedLine of(String series, int hash, long time, int nth) {
        return new TimedLine(series, hash, time, series + "@" + time + "#" + nth);
    }

    /** The lines in the merge's order: by key (time, then series hash unsigned), equal keys by line. */
    static List<TimedLine> merged(Collection<TimedLine> lines) {
        List<TimedLine> sorted = new ArrayList<>(lines);
        sorted.sort(Comparator.comparingLong(TimedLine::time)
                .thenComparing(TimedLine::hash, Integer::compareUnsigned)
                .thenComparing((a, b) -> Arrays.compareUnsigned(a.bytes(), b.bytes())));
        return sorted;
    }

    byte[] bytes() {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** The lines as the merge hands them on: each a key of {@link SortOrder#TIME} and the line's bytes, as in a run. */
    static Entries entries(List<TimedLine> lines) {
        return entries(lines, line -> { });
    }

    /** The same, telling {@code before} of each line before handing it on. */
    static Entries entries(List<TimedLine> lines, Consumer<TimedLine> before) {
        LineCursor keyed = new LineCursor("test") {
            @Override
            public boolean next() {
                return false;
            }
        };
        return new Entries.InBuffer() {
            private final byte[] key = new byte[64];
            private int index = -1;

            @Override
            public boolean next() {
                if (++index >= lines.size()) {
                    return false;
                }
                TimedLine line = lines.get(index);
                before.accept(line);
                keyed.time = line.time();
                keyed.seriesHash = line.hash();
                int keyLength = SortOrder.TIME.key(keyed, key);
                byte[] text = line.bytes();
                buffer = new byte[Entries.HEADER + keyLength + text.length];
                Entries.put(buffer, 0, key, 0, keyLength, text, 0, text.length);
                return true;
            }
        };
    }
}
