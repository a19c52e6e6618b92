package io.github.promkinesis.reload;

import io.github.promkinesis.metrics.AdapterMetrics;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.StartupSummaryLevel;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.Resource;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.DefaultRegistry;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.apache.camel.support.SimpleRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.firehose.FirehoseClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * ROUTES_RELOAD: the routes directory's *.yaml files, read again when they change while the adapter runs (an
 * edit, or a ConfigMap's symlink swap: contents are compared, every second, and taken once they held still for
 * a second). All or nothing: the whole new set is first built in a scratch Camel context that shares the
 * adapter's beans and settings but starts no consumer (YAML, beans, classes, endpoints); anything wrong and the
 * running routes stay, with one WARN line naming the file. Then only the changed files' routes are replaced (every
 * file's when one holds a routeConfiguration, which routes take as they are built),
 * Camel stopping each after its requests in flight; meanwhile new requests wait for the direct consumer or get
 * 503 + Retry-After from the HTTP gate. Should the swap still fail, the previous files are put back.
 */
public final class RoutesReload implements StartupListener {

    private static final Logger LOG = LoggerFactory.getLogger(RoutesReload.class);
    private static final Pattern ROUTE_CONFIGURATION = Pattern.compile("(?m)^-\\s+routeConfiguration:");

    private final CamelContext context;
    private final Path directory;
    private final Properties settings;
    private final AdapterMetrics metrics;
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "routes-reload");
        thread.setDaemon(true);
        return thread;
    });
    /** The files the running routes came from, by name; those last seen, to wait until they hold still; the
     * last set refused, not tried again until something changes. */
    private Map<String, String> running;
    private Map<String, String> seen;
    private Map<String, String> refused;
    private volatile boolean swapping;

    /** {@code settings}: the checked settings, as the routes' placeholders see them. */
    public RoutesReload(CamelContext context, Path directory, Properties settings, AdapterMetrics metrics) {
        this.context = context;
        this.directory = directory;
        this.settings = settings;
        this.metrics = metrics;
    }

    /** While routes are being replaced: the HTTP gate answers 503 + Retry-After then. */
    public boolean swapping() {
        return swapping;
    }

    @Override
    public void onCamelContextStarted(CamelContext started, boolean alreadyStarted) throws IOException {
        running = files();
        seen = running;
        poller.scheduleWithFixedDelay(this::check, 1, 1, TimeUnit.SECONDS);
    }

    private void check() {
        try {
            Map<String, String> now = files();
            boolean settled = now.equals(seen);
            seen = now;
            if (settled && !now.equals(running) && !now.equals(refused)) {
                reload(now);
            }
        } catch (Exception | LinkageError e) { // the poller must outlive any one failure
            LOG.warn("routes in {} not reloaded: {}", directory, oneLine(e));
        }
    }

    private void reload(Map<String, String> now) {
        List<String> changed = new ArrayList<>();
        now.forEach((name, content) -> {
            if (!content.equals(running.get(name))) {
                changed.add(name);
            }
        });
        for (String gone : running.keySet()) {
            if (!now.containsKey(gone)) {
                LOG.warn("{} was removed: its routes keep running until a restart", directory.resolve(gone));
            }
        }
        if (changed.isEmpty()) {
            refused = now;
            return;
        }
        // a route takes its configuration (answers.yaml's onException) when it is built: then every file again
        List<String> replaced = changed.stream().anyMatch(name -> hasRouteConfiguration(running.get(name))
                || hasRouteConfiguration(now.get(name))) ? new ArrayList<>(now.keySet()) : changed;
        Map<String, String> next = new TreeMap<>(running);
        changed.forEach(name -> next.put(name, now.get(name)));
        String problem = problemBuilding(next);
        if (problem != null) {
            LOG.warn("{} not reloaded, the running routes stay: {}", describe(changed), problem);
            metrics.routesReloaded(false);
            refused = now;
            return;
        }
        swapping = true;
        try {
            PluginHelper.getRoutesLoader(context).updateRoutes(resources(replaced, next));
            LOG.info("routes reloaded from {}", describe(changed));
            metrics.routesReloaded(true);
            running = next;
            refused = null;
        } catch (Exception e) {
            LOG.warn("{} not reloaded, the previous routes put back: {}", describe(changed), oneLine(e));
            metrics.routesReloaded(false);
            putBack(replaced);
            refused = now;
        } finally {
            swapping = false;
        }
    }

    /**
     * Null when the set of files builds in a scratch context: the adapter's beans and settings, YAML beans of
     * its own, every route created (endpoints, beans, classes resolved) and none started.
     */
    private String problemBuilding(Map<String, String> files) {
        DefaultRegistry registry = new DefaultRegistry();
        // binds and unbinds stay in the scratch registry: as the fallback itself, the adapter's would take the
        // scratch's beans and unused clients, and lose those the check unbinds (a file's beans, the HTTP router)
        registry.setFallbackRegistry(new ScratchRegistry(context.getRegistry()));
        // stopping the scratch context closes the SDK clients its endpoints use: never the adapter's own
        registry.bind("kinesisClient", KinesisClient.class, unusedClient(KinesisClient.class, KinesisClient.SERVICE_NAME));
        registry.bind("firehoseClient", FirehoseClient.class,
                unusedClient(FirehoseClient.class, FirehoseClient.SERVICE_NAME));
        DefaultCamelContext scratch = new DefaultCamelContext(false);
        scratch.getCamelContextExtension().setRegistry(registry);
        scratch.getPropertiesComponent().setOverrideProperties(settings);
        scratch.setAutoStartup(false);
        scratch.setStartupSummaryLevel(StartupSummaryLevel.Off);
        try {
            scratch.build();
            PluginHelper.getRoutesLoader(scratch).loadRoutes(resources(new ArrayList<>(files.keySet()), files));
            scratch.start();
            return null;
        } catch (Exception | LinkageError e) {
            return oneLine(e);
        } finally {
            scratch.stop();
        }
    }

    /** The scratch context's own beans, and for any other name or type the adapter's, never changed. */
    private static final class ScratchRegistry extends SimpleRegistry {

        private final transient Registry adapter;

        ScratchRegistry(Registry adapter) {
            this.adapter = adapter;
        }

        @Override
        public Object lookupByName(String name) {
            Object own = super.lookupByName(name);
            return own != null ? own : adapter.lookupByName(name);
        }

        @Override
        public <T> T lookupByNameAndType(String name, Class<T> type) {
            T own = super.lookupByNameAndType(name, type);
            return own != null ? own : adapter.lookupByNameAndType(name, type);
        }

        @Override
        public <T> Map<String, T> findByTypeWithName(Class<T> type) {
            Map<String, T> found = new LinkedHashMap<>(adapter.findByTypeWithName(type));
            found.putAll(super.findByTypeWithName(type));
            return found;
        }

        @Override
        public <T> Set<T> findByType(Class<T> type) {
            return new LinkedHashSet<>(findByTypeWithName(type).values());
        }
    }

    /** An SDK client for routes that are built and never started: it closes, and refuses everything else. */
    private static <T> T unusedClient(Class<T> type, String serviceName) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(),
                new Class<?>[] {type}, (proxy, method, arguments) -> switch (method.getName()) {
                    case "close" -> null;
                    case "serviceName" -> serviceName;
                    case "toString" -> "the reload check's unused " + serviceName + " client";
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == arguments[0];
                    default -> throw new UnsupportedOperationException("routes are only being checked");
                }));
    }

    private void putBack(List<String> changed) {
        try {
            PluginHelper.getRoutesLoader(context).updateRoutes(resources(changed, running));
        } catch (Exception e) {
            LOG.error("the previous routes of {} could not be put back: {}", describe(changed), oneLine(e));
        }
    }

    private List<Resource> resources(List<String> names, Map<String, String> contents) {
        List<Resource> resources = new ArrayList<>();
        for (String name : names) {
            String content = contents.get(name);
            if (content != null) {
                resources.add(ResourceHelper.fromString("file:" + directory.resolve(name), content));
            }
        }
        return resources;
    }

    private static boolean hasRouteConfiguration(String content) {
        return content != null && ROUTE_CONFIGURATION.matcher(content).find();
    }

    private Map<String, String> files() throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> listing = Files.list(directory)) {
            for (Path file : listing.filter(f -> f.getFileName().toString().endsWith(".yaml")
                    && Files.isRegularFile(f)).toList()) {
                files.put(file.getFileName().toString(), Files.readString(file, StandardCharsets.UTF_8));
            }
        }
        return files;
    }

    private String describe(List<String> names) {
        return String.join(", ", names.stream().map(name -> directory.resolve(name).toString()).toList());
    }

    private static String oneLine(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + root.getMessage() + ")";
        return message.replaceAll("\\s+", " ");
    }
}
