package io.github.promkinesis.restore;

import java.io.IOException;
import java.util.List;

/**
 * Sorted runs merged into one order (see {@link Entries#compare}): a binary heap of the runs by their current
 * entries, compared by their keys' first 12 bytes as numbers, and by their bytes only when those are equal.
 */
final class MergedEntries implements Entries {

    private final Entries[] runs;
    private final long[] first8;
    private final int[] next4;
    /** Run numbers, the one with the least entry first. */
    private final int[] heap;
    private int size;
    private Entries current;
    private int currentRun = -1;

    MergedEntries(List<Entries> runs) throws IOException {
        this.runs = runs.toArray(Entries[]::new);
        this.first8 = new long[this.runs.length];
        this.next4 = new int[this.runs.length];
        this.heap = new int[this.runs.length];
        for (int run = 0; run < this.runs.length; run++) {
            if (advance(run)) {
                heap[size++] = run;
                up(size - 1);
            }
        }
    }

    @Override
    public boolean next() throws IOException {
        if (currentRun >= 0) {
            if (advance(currentRun)) {
                down(0); // the run stays at the top, with its next entry
            } else {
                heap[0] = heap[--size];
                down(0);
            }
        }
        if (size == 0) {
            current = null;
            currentRun = -1;
            return false;
        }
        currentRun = heap[0];
        current = runs[currentRun];
        return true;
    }

    /** Moves a run to its next entry, noting its key's numbers; false at its end. */
    private boolean advance(int run) throws IOException {
        Entries entries = runs[run];
        if (!entries.next()) {
            return false;
        }
        first8[run] = Entries.first8(entries.array(), entries.keyOffset(), entries.keyLength());
        next4[run] = Entries.next4(entries.array(), entries.keyOffset(), entries.keyLength());
        return true;
    }

    private int compare(int a, int b) {
        int order = Long.compareUnsigned(first8[a], first8[b]);
        if (order == 0) {
            order = Integer.compareUnsigned(next4[a], next4[b]);
        }
        if (order == 0) {
            order = Entries.compare(runs[a], runs[b]);
        }
        return order != 0 ? order : Integer.compare(a, b);
    }

    private void up(int at) {
        while (at > 0) {
            int parent = (at - 1) / 2;
            if (compare(heap[at], heap[parent]) >= 0) {
                return;
            }
            swap(at, parent);
            at = parent;
        }
    }

    private void down(int at) {
        while (true) {
            int least = at;
            for (int child = 2 * at + 1; child <= 2 * at + 2 && child < size; child++) {
                if (compare(heap[child], heap[least]) < 0) {
                    least = child;
                }
            }
            if (least == at) {
                return;
            }
            swap(at, least);
            at = least;
        }
    }

    private void swap(int a, int b) {
        int run = heap[a];
        heap[a] = heap[b];
        heap[b] = run;
    }

    @Override
    public byte[] array() {
        return current.array();
    }

    @Override
    public int keyOffset() {
        return current.keyOffset();
    }

    @Override
    public int keyLength() {
        return current.keyLength();
    }

    @Override
    public int lineOffset() {
        return current.lineOffset();
    }

    @Override
    public int lineLength() {
        return current.lineLength();
    }

    @Override
    public void close() throws IOException {
        for (Entries run : runs) {
            run.close();
        }
    }
}
