package io.github.promkinesis.read;

import com.google.protobuf.CodedOutputStream;
import io.github.promkinesis.protocol.prompb.Histogram;
import io.github.promkinesis.protocol.prompb.Label;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * The exact size of a SAMPLES answer, before it is written: a snappy block starts with its length. Most days need
 * no reading: a series' day of float samples only, all inside the query's range, is its rows by the index, each
 * sample 18 bytes (times from 1971 to 2109 are varints of 6 bytes). The days at the range's ends, or holding
 * histograms, are read to be counted. READ_MAX_BYTES is checked here, before anything is sent.
 */
record SamplesPlan(long[] queries, long total) {

    /** Times whose varint takes 6 bytes: [2^35, 2^42) milliseconds. */
    private static final long SIX_BYTES_FROM = 1L << 35;
    private static final long SIX_BYTES_TO = 1L << 42;
    private static final int KNOWN_SAMPLE = 1 + 1 + 1 + 8 + 1 + 6;

    long query(int index) {
        return queries[index];
    }

    static SamplesPlan of(List<SelectedQuery> selected, ReadLimits limits, long deadline, Executor readAhead)
            throws IOException {
        long[] sizes = new long[selected.size()];
        long total = 0;
        for (int q = 0; q < selected.size(); q++) {
            SelectedQuery query = selected.get(q);
            List<SelectedSeries> toRead = new ArrayList<>();
            List<Long> known = new ArrayList<>(); // per series to read: its samples known from the index
            long size = 0;
            for (SelectedSeries series : query.series()) {
                long count = 0;
                List<SelectedSeries.Day> read = new ArrayList<>();
                for (SelectedSeries.Day day : series.days()) {
                    DaySeries rows = day.rows();
                    if (rows.minTime() >= query.start() && rows.maxTime() <= query.end()
                            && rows.minTime() >= SIX_BYTES_FROM && rows.maxTime() < SIX_BYTES_TO
                            && day.day().floatsOnly(rows)) {
                        count += rows.rows();
                    } else {
                        read.add(day);
                    }
                }
                if (read.isEmpty()) {
                    size += count == 0 ? 0 : field(seriesContent(SamplesStream.labels(series), null, count));
                } else {
                    toRead.add(new SelectedSeries(series.labelNames(), series.labelValues(), read));
                    known.add(count);
                }
            }
            try (SeriesBatches batches = new SeriesBatches(new SelectedQuery(query.start(), query.end(), toRead),
                    readAhead, limits, deadline)) {
                while (batches.next()) {
                    for (int i = 0; i < batches.size(); i++) {
                        limits.checkTime(deadline);
                        SeriesSamples samples = batches.samples(i);
                        long count = known.get(batches.index(i));
                        if (count + samples.count > 0 || !samples.histograms.isEmpty()) {
                            size += field(seriesContent(SamplesStream.labels(batches.series(i)), samples, count));
                        }
                    }
                }
            }
            sizes[q] = size;
            total += field(size);
            limits.checkBytes(total);
        }
        // past its time before the answer began: refused with a status, not cut off
        limits.checkTime(deadline);
        return new SamplesPlan(sizes, total);
    }

    /** A TimeSeries' bytes: its labels, {@code samples}' samples and histograms, and {@code known} more samples. */
    static long seriesContent(List<Label> labels, SeriesSamples samples, long known) {
        long size = known * KNOWN_SAMPLE;
        for (Label label : labels) {
            size += CodedOutputStream.computeMessageSize(1, label);
        }
        if (samples != null) {
            for (int i = 0; i < samples.count; i++) {
                int sample = sampleSize(samples.times[i]);
                size += 1 + CodedOutputStream.computeUInt32SizeNoTag(sample) + sample;
            }
            for (Histogram histogram : samples.histograms) {
                size += CodedOutputStream.computeMessageSize(4, histogram);
            }
        }
        return size;
    }

    /** A Sample's size: value (field 1, fixed 64 bits) and timestamp (field 2, varint). */
    static int sampleSize(long time) {
        return 1 + 8 + 1 + CodedOutputStream.computeInt64SizeNoTag(time);
    }

    /** A length-delimited field 1 of this content: tag, length, content. */
    private static long field(long content) {
        return 1 + CodedOutputStream.computeUInt64SizeNoTag(content) + content;
    }
}
