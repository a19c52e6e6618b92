package io.github.promkinesis.it;

import io.github.promkinesis.tools.StreamReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/**
 * What most integration tests run: kinesalite, a stream in it, optionally the fault proxy in front of it, and the
 * adapter delivering to that stream, configured like a user would configure it: the released jar, or for tests
 * of the route's logic the same wiring in the test's JVM.
 */
public final class Deployment implements AutoCloseable {

    final Kinesalite kinesis;
    final StreamReader stream;
    final FaultProxy proxy;
    final Endpoint adapter;

    private static final Set<String> STREAMS = ConcurrentHashMap.newKeySet();

    private Deployment(String name, int shards, Long proxySeed, Map<String, String> settings, boolean inProcess,
                       boolean ownKinesalite) throws Exception {
        kinesis = ownKinesalite ? new Kinesalite() : Kinesalite.shared();
        try {
            // the shared kinesalite keeps every test's streams: a name used before gets a number
            String streamName = name.toLowerCase();
            for (int n = 2; !STREAMS.add(streamName); n++) {
                streamName = name.toLowerCase() + "-" + n;
            }
            stream = kinesis.createStream(streamName, shards);
            proxy = proxySeed == null ? null : new FaultProxy(kinesis.endpoint(), proxySeed);
            Map<String, String> all = new HashMap<>(Map.of("STREAM_NAME", streamName, "AWS_REGION", Kinesalite.REGION,
                    "KINESIS_ENDPOINT", proxy == null ? kinesis.endpoint() : proxy.endpoint()));
            all.putAll(settings);
            if (inProcess) {
                adapter = new InProcessAdapter(name, all);
            } else {
                Adapter jar = new Adapter(name, all);
                adapter = jar;
                jar.awaitReady(Duration.ofSeconds(60));
            }
        } catch (Exception | AssertionError e) {
            close();
            throw e;
        }
    }

    /** The adapter writing straight to kinesalite. */
    static Deployment direct(String name, int shards, Map<String, String> settings) throws Exception {
        return new Deployment(name, shards, null, settings, false, false);
    }

    /** The adapter's routes and beans in the test's JVM, writing straight to kinesalite. */
    static Deployment inProcess(String name, int shards, Map<String, String> settings) throws Exception {
        return new Deployment(name, shards, null, settings, true, false);
    }

    /** The released jar's process, for what only a process has (its container health probe). */
    Adapter jar() {
        return (Adapter) adapter;
    }

    /** The adapter writing through a fault proxy seeded with {@code seed}. */
    static Deployment behindProxy(String name, int shards, long seed, Map<String, String> settings) throws Exception {
        return new Deployment(name, shards, seed, settings, false, false);
    }

    /** As {@link #behindProxy}, or direct without a seed, with a kinesalite of its own, for tests that stop it. */
    static Deployment withOwnKinesalite(String name, int shards, Long seed, Map<String, String> settings)
            throws Exception {
        return new Deployment(name, shards, seed, settings, false, true);
    }

    /** Copies the shipped routes/*.yaml (the flow, its answers, the extension point) into {@code directory}. */
    public static void copyShippedRoutes(Path directory) throws IOException {
        try (Stream<Path> routes = Files.list(Path.of("routes"))) {
            for (Path route : routes.filter(f -> f.toString().endsWith(".yaml")).toList()) {
                Files.copy(route, directory.resolve(route.getFileName()));
            }
        }
    }

    /** A copy of routes/ whose transform.yaml is {@code example} of routes/examples/, as a user installs one. */
    public static Path routesWith(String example) throws IOException {
        Path directory = Files.createTempDirectory("routes");
        copyShippedRoutes(directory);
        Files.copy(Path.of("routes/examples", example), directory.resolve("transform.yaml"),
                StandardCopyOption.REPLACE_EXISTING);
        return directory;
    }

    /** Marks "now" in every shard, for {@link #arrivedSince}. */
    List<String> mark() {
        return stream.iteratorsAt(ShardIteratorType.LATEST);
    }

    /** The samples that reached the stream after the mark, in canonical form. */
    List<String> arrivedSince(List<String> mark) {
        return SampleLines.received(stream.read(mark));
    }

    @Override
    public void close() throws Exception {
        if (adapter != null) {
            adapter.close();
        }
        if (proxy != null) {
            proxy.close();
        }
        kinesis.close();
    }
}
