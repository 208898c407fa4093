package org.itsmhub.runtime;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.apache.camel.component.micrometer.MicrometerConstants;
import org.apache.camel.component.micrometer.routepolicy.MicrometerRoutePolicyFactory;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.RouteTemplateDefinition;
import org.itsmhub.runtime.assets.AssetsToCmdbFlow;
import org.itsmhub.runtime.config.HubConfig;
import org.itsmhub.runtime.config.SyncConfig;
import org.itsmhub.runtime.connection.ConnectionRegistry;
import org.itsmhub.runtime.flow.ConnectionCheckFlow;
import org.itsmhub.runtime.flow.LeaseSettings;
import org.itsmhub.runtime.flow.SyncRunner;
import org.itsmhub.runtime.flow.finding.FindingsToTicketsFlow;
import org.itsmhub.runtime.flow.ticket.TicketSyncFlow;
import org.itsmhub.runtime.connection.ConnectorCalls;
import org.itsmhub.runtime.http.AdminApiRoutes;
import org.itsmhub.runtime.http.HealthRoutes;
import org.itsmhub.runtime.http.HubHttpServer;
import org.itsmhub.runtime.http.HttpSurface;
import org.itsmhub.runtime.http.WebhookRoutes;
import org.itsmhub.runtime.plugin.PluginHost;
import org.itsmhub.runtime.store.HubStore;
import org.itsmhub.runtime.store.NodeIdentity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The running hub: a camel-main application that loads the route templates from the routes
 * directory, instantiates one route per configured sync, schedules it with Quartz and serves
 * {@code /health}, {@code /metrics}, {@code /webhooks} and the admin API on platform-http.
 *
 * <p>Plugins and the store are opened by the caller and handed in; the runtime closes neither.
 */
public final class HubRuntime implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HubRuntime.class);

    /** The Camel context name; also part of the Quartz scheduler name, so equal on every node. */
    public static final String CAMEL_NAME = "itsm-hub";

    /** How the runtime is started. */
    public enum Mode {
        /** Schedule every sync and serve HTTP until stopped. */
        SERVE,
        /** No schedules and no HTTP: cycles are run on demand (used by {@code run --once}). */
        ON_DEMAND
    }

    private final HubConfig config;
    private final PluginHost plugins;
    private final HubStore store;
    private final Clock clock;
    private final Mode mode;
    private final ConnectorCalls calls;
    private final PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicBoolean closing = new AtomicBoolean();
    private Main main;
    private ConnectionRegistry connections;
    private SyncRunner runner;
    private HubHttpServer httpServer;

    public HubRuntime(HubConfig config, PluginHost plugins, HubStore store, Clock clock, Mode mode) {
        this(config, plugins, store, clock, mode, ConnectorCalls.Policy.defaults());
    }

    /** With a given retry policy for connector calls (tests use short waits). */
    public HubRuntime(HubConfig config, PluginHost plugins, HubStore store, Clock clock, Mode mode,
            ConnectorCalls.Policy retryPolicy) {
        this.calls = new ConnectorCalls(retryPolicy);
        this.config = config;
        this.plugins = plugins;
        this.store = store;
        this.clock = clock;
        this.mode = mode;
    }

    /** Starts Camel, instantiates the sync routes and, in {@link Mode#SERVE}, schedules them and serves HTTP. */
    public void start() throws Exception {
        if (mode == Mode.SERVE) {
            ensureHttpPortFree(config.hub().http().bind(), config.hub().http().port());
        }
        main = new Main();
        main.configure().withName(CAMEL_NAME);
        main.configure().withJmxEnabled(false);
        main.configure().withShutdownTimeout(15);
        main.configure().withRoutesIncludePattern(routesPattern(config.hub().routesDir()));
        main.bind(MicrometerConstants.METRICS_REGISTRY_NAME, meters);
        main.bind(ConnectionCheckFlow.BEAN_NAME, new ConnectionCheckFlow());
        main.bind(TicketSyncFlow.BEAN_NAME, new TicketSyncFlow(calls));
        main.bind(AssetsToCmdbFlow.BEAN_NAME, new AssetsToCmdbFlow(calls));
        main.bind(FindingsToTicketsFlow.BEAN_NAME, new FindingsToTicketsFlow(calls));
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void afterConfigure(BaseMainSupport support) {
                try {
                    wire(support.getCamelContext());
                } catch (Exception e) {
                    throw new IllegalStateException("cannot set up the hub's routes: " + e.getMessage(), e);
                }
            }
        });
        main.start();
        LOG.info("ITSM Hub started: {} sync(s), {} plugin(s){}", runner.syncs().size(), plugins.plugins().size(),
                mode == Mode.SERVE ? ", HTTP on " + config.hub().http().bind() + ":" + config.hub().http().port() : "");
    }

    /**
     * Vert.x only logs a port it cannot bind and the hub would run without HTTP (no health, no
     * webhooks), so the port is tried first and a taken one stops the start with a clear message.
     */
    private void ensureHttpPortFree(String host, int port) {
        if (port == 0) {
            return;
        }
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(host, port));
        } catch (IOException e) {
            throw new HubStartException("cannot listen on " + host + ":" + port + " (hub.http.bind / hub.http.port in "
                    + config.file() + "): " + e.getMessage(), e);
        }
    }

    private void wire(CamelContext camel) throws Exception {
        camel.addRoutePolicyFactory(new MicrometerRoutePolicyFactory());
        connections = new ConnectionRegistry(config, plugins::factory, clock, new ConnectionRegistry.HostServices() {
            @Override
            public <T> Optional<T> find(Class<T> type) {
                if (type.isInstance(camel)) {
                    return Optional.of(type.cast(camel));
                }
                return type.isInstance(meters) ? Optional.of(type.cast(meters)) : Optional.empty();
            }
        });
        List<SyncConfig> syncs = config.syncs();
        runner = new SyncRunner(syncs, camel, connections, store, clock, meters, new LeaseSettings(
                NodeIdentity.current(), config.hub().cluster().lease(), config.hub().cluster().leaseWait()), null);
        for (SyncConfig sync : syncs) {
            instantiate(camel, sync);
        }
        if (mode == Mode.SERVE) {
            // in place of camel-main's HTTP server, which cannot be given timeouts or a connection cap
            httpServer = new HubHttpServer(config.hub().http().bind(), config.hub().http().port(), config.hub().http().limits());
            camel.getRegistry().bind("hub-http-server", httpServer); // Camel's engine finds it by type
            camel.addService(httpServer);
            HttpSurface.install(camel);
            QuartzSetup.configure(camel, store);
            camel.addRoutes(new SyncScheduleRoutes(syncs, runner));
            camel.addRoutes(new HealthRoutes(store, plugins, runner, meters));
            camel.addRoutes(new WebhookRoutes(config, connections, runner, store));
            if (config.hub().http().adminApiEnabled()) {
                camel.addRoutes(new AdminApiRoutes(config.hub().http().adminToken(), runner, store, plugins));
            } else {
                LOG.info("Admin API is off: hub.http.admin-token is not set");
            }
        }
    }

    private void logStopped(Map<String, Instant> runningAtStop, Duration took) {
        Set<String> stillRunning = runner == null ? Set.of() : runner.running().keySet();
        List<String> finished = runningAtStop.keySet().stream().filter(id -> !stillRunning.contains(id)).sorted()
                .toList();
        List<String> cutOff = runningAtStop.keySet().stream().filter(stillRunning::contains).sorted().toList();
        LOG.info("ITSM Hub stopped after {} ms; finished while stopping: {}{}", took.toMillis(),
                finished.isEmpty() ? "none" : String.join(", ", finished), cutOff.isEmpty() ? ""
                        : "; cut off, to run again at the next start: " + String.join(", ", cutOff));
    }

    private String describe(Map<String, Instant> cycles) {
        Instant now = clock.instant();
        return cycles.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + " for " + Duration.between(e.getValue(), now).toMillis() + " ms")
                .collect(Collectors.joining(", "));
    }

    private static void instantiate(CamelContext camel, SyncConfig sync) throws Exception {
        ModelCamelContext model = (ModelCamelContext) camel;
        RouteTemplateDefinition template = model.getRouteTemplateDefinition(sync.flow());
        if (template == null) {
            throw new IllegalStateException("sync " + sync.id() + " uses flow '" + sync.flow()
                    + "', but no route template has that id");
        }
        TemplatedRouteBuilder builder = TemplatedRouteBuilder.builder(camel, sync.flow()).routeId(sync.id());
        sync.templateParameters().forEach(builder::parameter);
        builder.add();
    }

    private static String routesPattern(Path routesDir) {
        if (!Files.isDirectory(routesDir)) {
            throw new IllegalStateException("routes directory " + routesDir.toAbsolutePath() + " does not exist");
        }
        String dir;
        try {
            // the real path: Camel's file scan does not follow a symbolic link at its root
            dir = routesDir.toRealPath().toString();
        } catch (java.io.IOException e) {
            throw new IllegalStateException("routes directory " + routesDir.toAbsolutePath() + " cannot be read: "
                    + e.getMessage(), e);
        }
        return "file:" + dir + "/*.yaml,file:" + dir + "/*.yml";
    }

    /** Runs one cycle of every sync. */
    public SyncRunner syncs() {
        return runner;
    }

    /** The connections of every tenant, opened on first use. */
    public ConnectionRegistry connections() {
        return connections;
    }

    public CamelContext camel() {
        return main.getCamelContext();
    }

    /** The HTTP server in {@link Mode#SERVE}, else null. */
    public HubHttpServer httpServer() {
        return httpServer;
    }

    public PrometheusMeterRegistry meters() {
        return meters;
    }

    /** Blocks until {@link #close()} is called (e.g. by the shutdown hook). */
    public void awaitStop() throws InterruptedException {
        stopped.await();
    }

    public boolean awaitStop(long timeout, TimeUnit unit) throws InterruptedException {
        return stopped.await(timeout, unit);
    }

    /**
     * Stops the hub: lets running cycles finish (up to Camel's shutdown timeout of 15 s) and logs what
     * was running and what finished. Called by the shutdown hook on SIGTERM or Ctrl-C and again by
     * the command that started it; only the first call does anything.
     */
    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        long begun = System.nanoTime();
        Map<String, Instant> runningAtStop = runner == null ? Map.of() : runner.running();
        if (mode == Mode.SERVE) {
            LOG.info("Stopping ITSM Hub: {} sync cycle(s) running{}", runningAtStop.size(), runningAtStop.isEmpty() ? ""
                    : " (" + describe(runningAtStop) + "), waiting up to 15 s for them to finish");
        }
        try {
            if (main != null) {
                main.stop();
            }
        } catch (Exception e) {
            LOG.warn("Stopping Camel failed: {}", e.toString());
        } finally {
            if (mode == Mode.SERVE) {
                logStopped(runningAtStop, Duration.ofNanos(System.nanoTime() - begun));
            }
            if (connections != null) {
                connections.close();
            }
            meters.close();
            stopped.countDown();
        }
    }
}
