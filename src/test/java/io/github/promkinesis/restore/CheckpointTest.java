package io.github.promkinesis.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --checkpoint}: what an answered request reaches is saved and read back; a rerun sends exactly what the
 * receiver did not take, whatever --max-samples-per-send; a file of another selection or --concurrency, or one
 * that is no checkpoint, is refused with a message saying so.
 */
class CheckpointTest {

    @TempDir
    Path tmp;

    @Test
    void anAnsweredRequestIsReadBackByTheNextRun() {
        Path file = tmp.resolve("checkpoint");
        Checkpoint first = new Checkpoint(file, "selection", 3);
        first.answered(1, 5_000, 4);
        first.answered(2, -7_000, 1);
        first.answered(2, -6_000, 2); // a shard's next request: the one before it no longer counts

        Checkpoint rerun = new Checkpoint(file, "selection", 3);
        assertEquals(List.of(false, false), List.of(rerun.done(0, Long.MIN_VALUE + 1, 0), rerun.done(0, 0, 0)),
                "shard 0 answered nothing");
        assertEquals(List.of(true, true, true, false, false),
                List.of(rerun.done(1, 4_999, 100), rerun.done(1, 5_000, 0), rerun.done(1, 5_000, 3),
                        rerun.done(1, 5_000, 4), rerun.done(1, 5_001, 0)), "shard 1: before 5000, and 4 lines at it");
        assertEquals(List.of(true, true, false, false),
                List.of(rerun.done(2, -6_001, 5), rerun.done(2, -6_000, 1), rerun.done(2, -6_000, 2),
                        rerun.done(2, -5_999, 0)), "shard 2: its last request");
        assertFalse(Files.exists(tmp.resolve("checkpoint.new")), "written aside, then moved in place");
    }

    @Test
    void aRerunSendsExactlyWhatTheFirstRunDidNotDeliver() throws Exception {
        List<TimedLine> lines = new ArrayList<>();
        for (int step = 0; step < 20; step++) {
            for (int series = 0; series < 12; series++) {
                for (int nth = 0; nth < (series % 4 == 0 ? 2 : 1); nth++) { // some series twice at a time
                    lines.add(TimedLine.of("s" + series, 1_700_000_000_000L + step * 30_000L, nth));
                }
            }
        }
        List<TimedLine> sent = TimedLine.merged(lines);
        List<Integer> cuts = new ArrayList<>(List.of(0, 1, 6, 7, 8, sent.size() - 1, sent.size()));
        new Random(1).ints(4, 0, sent.size()).forEach(cuts::add);
        for (int cut : cuts) {
            Path file = tmp.resolve("checkpoint-" + cut);
            // the first run stopped after the merge handed on `cut` lines, every request sent answered
            List<TimedLine> delivered = sent.subList(0, cut);
            ShardedReceiver first = new ShardedReceiver(sent);
            first.send(delivered, 7, 3, new Checkpoint(file, "selection", 3), new RestoreStats());
            first.assertReceived(delivered, 7, 3);

            ShardedReceiver second = new ShardedReceiver(sent);
            RestoreStats stats = new RestoreStats();
            second.send(sent, 13, 3, new Checkpoint(file, "selection", 3), stats);
            second.assertReceived(sent.subList(cut, sent.size()), 13, 3);
            assertEquals(cut, stats.alreadyRestored.sum(), "skipped after " + cut);
        }
    }

    @Test
    void aRunWhoseReceiverWentAwayResumesAfterItsLastAnswer() throws Exception {
        List<TimedLine> sent = fiveSeriesFor30Seconds();
        Path file = tmp.resolve("checkpoint");
        ShardedReceiver gone = new ShardedReceiver(sent).failAfter(5);
        assertThrows(IllegalStateException.class,
                () -> gone.send(sent, 7, 1, new Checkpoint(file, "selection", 1), new RestoreStats()));
        List<TimedLine> taken = gone.received();
        assertEquals(sent.subList(0, 5 * 7), taken, "five requests of 7 lines answered");

        ShardedReceiver back = new ShardedReceiver(sent);
        back.send(sent, 7, 1, new Checkpoint(file, "selection", 1), new RestoreStats());
        assertEquals(sent.subList(taken.size(), sent.size()), back.received());
    }

    @Test
    void aFailedRequestIsSentAgainByTheRerunThoughLaterOnesOfItsShardWereQueued() throws Exception {
        List<TimedLine> sent = fiveSeriesFor30Seconds();
        Path file = tmp.resolve("checkpoint");
        ShardedReceiver hiccup = new ShardedReceiver(sent).failRequest(6);
        assertThrows(IllegalStateException.class,
                () -> hiccup.send(sent, 7, 1, new Checkpoint(file, "selection", 1), new RestoreStats()));
        List<TimedLine> delivered = new ArrayList<>(hiccup.received());
        assertEquals(sent.subList(0, 5 * 7), delivered, "nothing after the failed request sent");

        ShardedReceiver back = new ShardedReceiver(sent);
        back.send(sent, 7, 1, new Checkpoint(file, "selection", 1), new RestoreStats());
        delivered.addAll(back.received());
        assertEquals(sent, delivered, "every line once over both runs");
    }

    @Test
    void aFileOfAnotherSelectionOrConcurrencyIsRefusedByTheCommand() throws Exception {
        Path archive = Files.createDirectory(tmp.resolve("archive"));
        Path file = tmp.resolve("checkpoint");
        List<String> restore = List.of("--from", archive.toString(), "--to", "http://127.0.0.1:9/api/v1/write",
                "--start", "2024-05-01T00:00:00Z", "--checkpoint", file.toString(), "--concurrency", "3");
        String selection = RestoreCommand.Options.parse(restore, false).selection();
        new Checkpoint(file, selection, 3).answered(0, 1, 1);

        List<String> otherStart = new ArrayList<>(restore);
        otherStart.set(5, "2024-05-02T00:00:00Z");
        assertEquals("restore: --checkpoint " + file + " is of another restore (" + selection + "): use the same"
                + " --from, --start, --end and --match, or another file", refusal(otherStart));
        List<String> withMatch = new ArrayList<>(restore);
        withMatch.addAll(List.of("--match", "up"));
        assertTrue(refusal(withMatch).contains(" is of another restore ("), "another --match");
        List<String> otherConcurrency = new ArrayList<>(restore);
        otherConcurrency.set(9, "4");
        assertEquals("restore: --checkpoint " + file + " was written with --concurrency 3: rerun with the same",
                refusal(otherConcurrency));
    }

    @Test
    void aFileThatIsNoCheckpointIsRefusedSayingSo() throws Exception {
        Path file = tmp.resolve("checkpoint");
        String valid = "selection=s\nshards=2\nshard.1.last-time=5000\nshard.1.lines-at-last-time=3\n";
        byte[] garbage = new byte[300];
        new Random(3).nextBytes(garbage);
        List<byte[]> garbled = List.of(new byte[0], garbage,
                valid.replace("=5000", "=5000x").getBytes(StandardCharsets.UTF_8),
                valid.replace("shard.1.lines-at-last-time=3\n", "").getBytes(StandardCharsets.UTF_8),
                valid.replace("selection=s", "selection=\\u00zz").getBytes(StandardCharsets.UTF_8));
        List<String> said = new ArrayList<>();
        for (byte[] bytes : garbled) {
            Files.write(file, bytes);
            said.add(assertThrows(IllegalArgumentException.class, () -> new Checkpoint(file, "s", 2)).getMessage());
        }
        String it = "--checkpoint " + file;
        assertEquals(it + " is of another restore (not a restore checkpoint): use the same --from, --start, --end and"
                + " --match, or another file", said.get(0), "empty");
        assertTrue(said.get(1).startsWith(it + " is of another restore (not a restore checkpoint)")
                || said.get(1).startsWith(it + ": cannot read it"), "garbage: " + said.get(1));
        assertEquals(it + ": not a restore checkpoint (For input string: \"5000x\")", said.get(2));
        assertTrue(said.get(3).startsWith(it + ": not a restore checkpoint ("), said.get(3));
        assertTrue(said.get(4).startsWith(it + ": cannot read it ("), said.get(4));

        Files.writeString(file, valid);
        assertTrue(new Checkpoint(file, "s", 2).done(1, 5000, 2), "the valid file read");
    }

    /** What the restore command says, refusing to start (exit code 2). */
    private static String refusal(List<String> args) throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        int exit;
        try {
            // no settings: refused before they are read
            exit = RestoreCommand.run("restore", args, null, new PrintStream(printed, true, StandardCharsets.UTF_8));
        } catch (RuntimeException wentOn) {
            throw new AssertionError("the command did not refuse the checkpoint: it went on to " + wentOn, wentOn);
        }
        assertEquals(2, exit, printed.toString(StandardCharsets.UTF_8));
        return printed.toString(StandardCharsets.UTF_8).strip();
    }

    /** Five series, a line each every second for 30 s, in the merge's order. */
    private static List<TimedLine> fiveSeriesFor30Seconds() {
        List<TimedLine> lines = new ArrayList<>();
        for (int step = 0; step < 30; step++) {
            for (int series = 0; series < 5; series++) {
                lines.add(TimedLine.of("s" + series, step * 1_000L, 0));
            }
        }
        return TimedLine.merged(lines);
    }
}
