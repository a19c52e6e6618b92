package io.github.promkinesis.restore;

import java.io.IOException;
import java.util.List;
import java.util.PriorityQueue;

/** Sorted runs merged into one order (see {@link Entries#compare}). */
final class MergedEntries implements Entries {

    private final Entries[] runs;
    private final PriorityQueue<Integer> heap;
    private Entries current;
    private int currentIndex = -1;

    MergedEntries(List<Entries> runs) throws IOException {
        this.runs = runs.toArray(Entries[]::new);
        this.heap = new PriorityQueue<>(Math.max(1, this.runs.length), (a, b) -> {
            int byKey = Entries.compare(this.runs[a], this.runs[b]);
            return byKey != 0 ? byKey : Integer.compare(a, b);
        });
        for (int i = 0; i < this.runs.length; i++) {
            if (this.runs[i].next()) {
                heap.add(i);
            }
        }
    }

    @Override
    public boolean next() throws IOException {
        if (currentIndex >= 0 && current.next()) {
            heap.add(currentIndex);
        }
        Integer least = heap.poll();
        if (least == null) {
            current = null;
            currentIndex = -1;
            return false;
        }
        currentIndex = least;
        current = runs[least];
        return true;
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
