package io.github.promkinesis.it;

import static io.github.promkinesis.it.RemoteWriteBodies.label;
import static io.github.promkinesis.it.RemoteWriteBodies.sample;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.promkinesis.protocol.prompb.TimeSeries;
import io.github.promkinesis.protocol.prompb.WriteRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * ROUTES_RELOAD against the released jar under a steady load: transform.yaml replaced by an example (new lines
 * carry its label), then by a broken file (twice: bad YAML, an unknown bean; the running routes stay, the log
 * names the file), then by the shipped one again. Throughout, only 204 or 503 with Retry-After, and every
 * sample answered 204 is in the stream.
 */
class LiveRoutesIT {

    @Test
    void editedRoutesAreTakenWhileRunningAndBrokenOnesNever() throws Exception {
        Path routes = Files.createTempDirectory("routes");
        Deployment.copyShippedRoutes(routes);
        Path transform = routes.resolve("transform.yaml");
        try (Deployment it = Deployment.direct("LiveRoutesIT", 1, Map.of("ROUTES_DIR", routes.toString(),
                "ROUTES_RELOAD", "true", "CLUSTER", "eu-live"))) {
            List<String> mark = it.mark();
            Map<Integer, Integer> answers = new ConcurrentHashMap<>();
            Set<String> answered204 = ConcurrentHashMap.newKeySet();
            AtomicBoolean running = new AtomicBoolean(true);
            Thread load = new Thread(() -> {
                for (int i = 0; running.get(); i++) {
                    WriteRequest request = WriteRequest.newBuilder().addTimeseries(TimeSeries.newBuilder()
                            .addLabels(label("__name__", "live_routes")).addLabels(label("seq", Integer.toString(i)))
                            .addSamples(sample(i, 1_795_000_000_000L + i))).build();
                    try {
                        var answer = it.adapter.remoteWrite("/receive", RemoteWriteBodies.snappy(request));
                        answers.merge(answer.statusCode(), 1, Integer::sum);
                        if (answer.statusCode() == 204) {
                            answered204.add("seq=" + i);
                        } else {
                            assertTrue(answer.headers().firstValue("Retry-After").isPresent(), answer.toString());
                        }
                        Thread.sleep(50);
                    } catch (Exception e) {
                        answers.merge(-1, 1, Integer::sum);
                    }
                }
            });
            load.start();
            try {
                List<String> arrived = new ArrayList<>();
                Files.copy(Path.of("routes/examples/add-cluster-label.yaml"), transform,
                        StandardCopyOption.REPLACE_EXISTING);
                awaitLine(it, mark, arrived, line -> line.contains("cluster=eu-live"), "the example's label");

                Files.writeString(transform, "- route: [this is: not, a route\n");
                awaitLog(it, "transform.yaml not reloaded, the running routes stay");
                Files.writeString(transform, Files.readString(Path.of("routes/examples/add-cluster-label.yaml"))
                        .replace("ref: clusterLabel", "ref: noSuchBean"));
                awaitLog(it, "noSuchBean");
                int before = arrived.size();
                Thread.sleep(3_000);
                awaitLine(it, mark, arrived, line -> true, "lines still flowing");
                assertTrue(arrived.subList(before, arrived.size()).stream().allMatch(l -> l.contains("cluster=eu-live")),
                        "the running routes stayed in charge: " + arrived.subList(before, arrived.size()));

                Files.copy(Path.of("routes/transform.yaml"), transform, StandardCopyOption.REPLACE_EXISTING);
                int shipped = arrived.size();
                awaitLine(it, mark, arrived, line -> !line.contains("cluster="), "lines without the label again");
                assertTrue(shipped < arrived.size());
            } finally {
                running.set(false);
                load.join();
            }
            Thread.sleep(1_000);
            Set<String> stored = new TreeSet<>();
            for (String line : it.arrivedSince(mark)) {
                int seq = line.indexOf("seq=");
                stored.add(line.substring(seq, line.indexOf('}', seq)).replaceAll("[^0-9a-z=].*", ""));
            }
            Set<String> lost = new TreeSet<>(answered204);
            lost.removeAll(stored);
            assertEquals(Set.of(), lost, "answered 204 but not in the stream");
            assertTrue(answers.keySet().stream().allMatch(code -> code == 204 || code == 503),
                    "only 204 or 503: " + answers);
            assertTrue(it.adapter.log().contains("routes reloaded from " + transform), it.adapter.log());
        }
    }

    @Test
    void aConfigMapUpdateIsTakenAsTheKubeletSwapsIt() throws Exception {
        Path routes = Files.createTempDirectory("configmap");
        swapIn(routes, "..2026_11_28_10_00_00.1", Path.of("routes/transform.yaml"));
        try (Deployment it = Deployment.direct("LiveRoutesIT-configmap", 1, Map.of("ROUTES_DIR", routes.toString(),
                "ROUTES_RELOAD", "true", "CLUSTER", "eu-configmap"))) {
            List<String> mark = it.mark();
            WriteRequest request = WriteRequest.newBuilder().addTimeseries(TimeSeries.newBuilder()
                    .addLabels(label("__name__", "configmap")).addSamples(sample(1, 1_795_000_000_000L))).build();
            assertEquals(204, it.adapter.remoteWrite("/receive", RemoteWriteBodies.snappy(request)).statusCode());

            swapIn(routes, "..2026_11_28_10_01_00.2", Path.of("routes/examples/add-cluster-label.yaml"));
            List<String> arrived = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (arrived.stream().noneMatch(line -> line.contains("cluster=eu-configmap"))) {
                assertTrue(System.nanoTime() < deadline, "the swapped ConfigMap taken within 20 s: " + arrived);
                HttpResponse<String> answer = it.adapter.remoteWrite("/receive", RemoteWriteBodies.snappy(request));
                // during the swap itself: 503 + Retry-After, which Prometheus resends
                assertTrue(answer.statusCode() == 204 || answer.statusCode() == 503
                        && answer.headers().firstValue("Retry-After").isPresent(), answer.statusCode() + " " + answer.body());
                Thread.sleep(300);
                arrived = it.arrivedSince(mark);
            }
        }
    }

    /**
     * The files as the kubelet lays out a ConfigMap volume and updates it: a new timestamped directory, the
     * ..data link switched to it at once, the files themselves links through ..data.
     */
    private static void swapIn(Path volume, String version, Path transform) throws Exception {
        Path data = Files.createDirectory(volume.resolve(version));
        Deployment.copyShippedRoutes(data);
        Files.copy(transform, data.resolve("transform.yaml"), StandardCopyOption.REPLACE_EXISTING);
        Path link = volume.resolve("..data_tmp");
        Files.createSymbolicLink(link, Path.of(version));
        Files.move(link, volume.resolve("..data"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        try (Stream<Path> files = Files.list(data)) {
            for (Path file : files.toList()) {
                Path name = file.getFileName();
                if (!Files.exists(volume.resolve(name), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    Files.createSymbolicLink(volume.resolve(name), Path.of("..data").resolve(name));
                }
            }
        }
    }

    private static void awaitLine(Deployment it, List<String> mark, List<String> arrived, Predicate<String> wanted,
                                  String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        int from = arrived.size();
        while (System.nanoTime() < deadline) {
            arrived.clear();
            arrived.addAll(it.arrivedSince(mark));
            if (arrived.subList(Math.min(from, arrived.size()), arrived.size()).stream().anyMatch(wanted)) {
                return;
            }
            Thread.sleep(300);
        }
        throw new AssertionError("no line with " + what + " within 20 s");
    }

    private static void awaitLog(Deployment it, String text) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!it.adapter.log().contains(text)) {
            assertTrue(System.nanoTime() < deadline, "the log names it within 20 s: " + text + "\n" + it.adapter.log());
            Thread.sleep(300);
        }
    }
}
