package org.itsmhub.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.itsmhub.runtime.HubBootstrap;
import org.itsmhub.runtime.HubRuntime;
import org.itsmhub.runtime.cli.ItsmHubCli;
import org.itsmhub.runtime.config.HubConfig;
import org.itsmhub.runtime.config.SyncConfig;
import org.itsmhub.runtime.flow.SyncResult;
import org.itsmhub.runtime.flow.SyncRunner;
import org.itsmhub.runtime.store.HubStore;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code itsm-hub demo}: starts the vendor sandboxes with a generated MSP scenario
 * ({@link DemoScenario}), writes the hub config from the bundled {@code config/demo.yaml} and runs the
 * hub on it, exactly as {@code itsm-hub run} would. With {@code --once} every sync runs one cycle and
 * the summary is printed; otherwise the hub serves and schedules its syncs while the demo prints each
 * cycle and changes something in the sandboxes after each one.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Start the vendor sandboxes with a demo MSP (customers contoso and fabrikam) and the hub "
                + "running every flow against them from config/demo.yaml.",
                "With --once: run every sync one cycle, print the summary and exit (0 if nothing failed, 1 otherwise)."})
public final class DemoCommand implements Callable<Integer> {

    /** The template's references the demo fills in itself. */
    private static final Pattern DEMO_REFERENCE = Pattern.compile("\\$\\{env:(ITSMHUB_DEMO_[A-Z_]+)}");

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

    @Spec
    CommandSpec spec;

    @Option(names = "--once", description = "Run every sync one cycle, print the summary and exit.")
    boolean once;

    @Option(names = "--config-out", paramLabel = "FILE",
            description = "Also write the hub config the demo runs to FILE (it is always written to the work dir).")
    Path configOut;

    @Option(names = "--port", paramLabel = "P", defaultValue = "8080",
            description = "The hub's HTTP port on 127.0.0.1 (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--work-dir", paramLabel = "DIR",
            description = "Folder of the demo's store, seed files and hub.yaml; emptied of them at start "
                    + "(default: data/demo in the hub's folder).")
    Path workDir;

    @Option(names = "--plugins-dir", paramLabel = "DIR", description = "Plugin zips (default: the hub's plugins/).")
    Path pluginsDir;

    @Option(names = "--routes-dir", paramLabel = "DIR", description = "Route templates (default: the hub's routes/).")
    Path routesDir;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path work = (workDir == null ? Path.of("data", "demo") : workDir).toAbsolutePath().normalize();
        Path plugins = (pluginsDir == null ? Path.of("plugins") : pluginsDir).toAbsolutePath().normalize();
        Path routes = (routesDir == null ? Path.of("routes") : routesDir).toAbsolutePath().normalize();
        if (!once && !portFree(port)) {
            err.printf("itsm-hub demo: port %d on 127.0.0.1 is in use; choose another with --port%n", port);
            err.flush();
            return ItsmHubCli.INVALID;
        }
        freshStart(work);
        out.println("Starting the vendor sandboxes and putting in the demo MSP ...");
        out.flush();
        try (DemoScenario scenario = DemoScenario.start(work.resolve("seeds"))) {
            String adminToken = once ? "" : token();
            Map<String, String> values = new LinkedHashMap<>(scenario.configValues());
            values.put("ITSMHUB_DEMO_DATA", slashes(work));
            values.put("ITSMHUB_DEMO_HTTP_PORT", String.valueOf(port));
            values.put("ITSMHUB_DEMO_ADMIN_TOKEN", adminToken);
            values.put("ITSMHUB_DEMO_PLUGINS_DIR", slashes(plugins));
            values.put("ITSMHUB_DEMO_ROUTES_DIR", slashes(routes));
            String yaml = fill(template(), values);
            Path config = Files.writeString(work.resolve("hub.yaml"), yaml);
            if (configOut != null) {
                Files.createDirectories(configOut.toAbsolutePath().getParent());
                Files.writeString(configOut, yaml);
            }
            return runHub(config, scenario, adminToken, out, err);
        }
    }

    private int runHub(Path config, DemoScenario scenario, String adminToken, PrintWriter out, PrintWriter err)
            throws Exception {
        try (HubBootstrap boot = HubBootstrap.load(config, System::getenv)) {
            if (!boot.result().isValid()) {
                boot.result().issues().forEach(err::println);
                err.printf("itsm-hub demo: the demo config %s has %d problem(s)%n", config,
                        boot.result().issues().size());
                return ItsmHubCli.INVALID;
            }
            HubConfig hubConfig = boot.result().config();
            try (HubStore store = boot.openStore();
                    HubRuntime runtime = new HubRuntime(hubConfig, boot.plugins(), store, Clock.systemUTC(),
                            once ? HubRuntime.Mode.ON_DEMAND : HubRuntime.Mode.SERVE)) {
                runtime.start();
                quietCycleLog();
                printWhere(out, scenario, config, adminToken);
                if (once) {
                    out.println("Running every sync one cycle ...");
                    out.flush();
                    List<SyncResult> results = runtime.syncs().runAllOnce();
                    DemoSummary.print(out, results, scenario);
                    boolean clean = DemoSummary.clean(results);
                    out.println(clean ? "Demo cycle completed: nothing failed." : "Demo cycle had failures (see above).");
                    out.flush();
                    return clean ? ItsmHubCli.OK : ItsmHubCli.FAILED;
                }
                return serve(runtime, scenario, out, err);
            }
        }
    }

    /** Until Ctrl-C: the scheduler runs the syncs; the demo prints each cycle and changes something after it. */
    private static int serve(HubRuntime runtime, DemoScenario scenario, PrintWriter out, PrintWriter err)
            throws Exception {
        CountDownLatch closed = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            runtime.close();
            try {
                closed.await(15, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "itsm-hub-demo-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            List<String> order = runtime.syncs().syncs().stream().map(SyncConfig::id).toList();
            out.println("First cycle now; then every sync runs every 30 s (Ctrl-C stops).");
            out.flush();
            // the demo's first cycle runs alone: a scheduled one beside it would take its records
            // and the first summary would show them as unchanged
            // and the first change is made before the scheduler goes on, so that the next cycle shows it
            schedules(runtime, order, false);
            int cycles = 1;
            try {
                printCycle(out, cycles, runtime.syncs().runAllOnce(), scenario);
                change(scenario, out, err);
            } finally {
                schedules(runtime, order, true);
            }
            Map<String, SyncResult> seen = new HashMap<>(runtime.syncs().lastResults());
            Set<String> sinceSummary = new HashSet<>();
            while (!runtime.awaitStop(1, TimeUnit.SECONDS)) {
                Map<String, SyncResult> latest = runtime.syncs().lastResults();
                for (String id : order) {
                    SyncResult r = latest.get(id);
                    if (r != null && r != seen.get(id)) {
                        seen.put(id, r);
                        sinceSummary.add(id);
                    }
                }
                if (sinceSummary.containsAll(order)) { // each sync once per cycle, in the table only
                    sinceSummary.clear();
                    List<SyncResult> cycle = new ArrayList<>();
                    order.forEach(id -> cycle.add(latest.get(id)));
                    printCycle(out, ++cycles, cycle, scenario);
                    change(scenario, out, err);
                }
                out.flush();
            }
            out.println("Demo stopped.");
            out.flush();
            return ItsmHubCli.OK;
        } finally {
            closed.countDown();
        }
    }

    private static void printCycle(PrintWriter out, int cycle, List<SyncResult> results, DemoScenario scenario) {
        out.printf("%s  cycle %d%n", LocalTime.now().format(CLOCK), cycle);
        DemoSummary.print(out, results, scenario);
    }

    /** Pauses or resumes the hub's Quartz schedules (their routes are {@code schedule-<sync id>}). */
    private static void schedules(HubRuntime runtime, List<String> syncs, boolean on) throws Exception {
        for (String id : syncs) {
            if (on) {
                runtime.camel().getRouteController().resumeRoute("schedule-" + id);
            } else {
                runtime.camel().getRouteController().suspendRoute("schedule-" + id);
            }
        }
    }

    /**
     * The summary table is the demo's one line per sync and cycle; the hub's own INFO line per cycle
     * (on stderr) would print each sync twice, interleaved. Failures still log. Kept when the user
     * asked for more with ITSMHUB_LOG_LEVEL.
     */
    static void quietCycleLog() {
        if (System.getenv("ITSMHUB_LOG_LEVEL") == null
                && org.slf4j.LoggerFactory.getLogger(SyncRunner.class) instanceof ch.qos.logback.classic.Logger l) {
            l.setLevel(ch.qos.logback.classic.Level.WARN);
        }
    }

    private static void change(DemoScenario scenario, PrintWriter out, PrintWriter err) {
        try {
            out.println();
            out.println("Change: " + scenario.nextChange());
            out.println();
        } catch (RuntimeException e) {
            err.println("itsm-hub demo: could not change the sandboxes: " + e.getMessage());
        }
        out.flush();
    }

    private void printWhere(PrintWriter out, DemoScenario scenario, Path config, String adminToken) {
        out.println();
        out.println("Vendor sandboxes (fakes of the vendors' APIs on this machine):");
        scenario.endpoints().forEach((k, v) -> out.printf("  %-21s %s%n", k, v));
        out.println("Hub config: " + config + " (from config/demo.yaml)");
        if (!once) {
            String base = "http://127.0.0.1:" + port;
            out.println("Hub:        " + base + "/health   " + base + "/metrics");
            out.println("Admin API:  " + base + "/api/syncs   with header  Authorization: Bearer " + adminToken);
        }
        out.println();
        out.flush();
    }

    /** Whether the hub can listen on this port (Camel's HTTP server only logs a failure to bind). */
    private static boolean portFree(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Removes what an earlier demo left in the work dir: the store, the seed files, the config. */
    private static void freshStart(Path work) throws IOException {
        Files.createDirectories(work);
        try (Stream<Path> files = Files.list(work)) {
            for (Path f : files.toList()) {
                String name = f.getFileName().toString();
                if (name.startsWith("hub.") && (name.endsWith(".db") || name.equals("hub.yaml"))) {
                    Files.delete(f);
                } else if (name.equals("seeds") && Files.isDirectory(f)) {
                    try (Stream<Path> seeds = Files.walk(f)) {
                        for (Path p : seeds.sorted(Comparator.reverseOrder()).toList()) {
                            Files.delete(p);
                        }
                    }
                }
            }
        }
    }

    static String template() throws IOException {
        try (InputStream in = DemoCommand.class.getResourceAsStream("demo.yaml")) {
            if (in == null) {
                throw new IllegalStateException("demo.yaml is missing from the demo jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Replaces every {@code ${env:ITSMHUB_DEMO_...}} reference of the template by its value. */
    static String fill(String template, Map<String, String> values) {
        Matcher m = DEMO_REFERENCE.matcher(template);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String value = values.get(m.group(1));
            if (value == null) {
                throw new IllegalStateException("config/demo.yaml uses " + m.group(1) + ", which the demo does not set");
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(value));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    private static String slashes(Path path) {
        return path.toString().replace('\\', '/');
    }

    private static String token() {
        byte[] bytes = new byte[18];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Registers {@code itsm-hub demo}. */
    public static final class Extension implements org.itsmhub.runtime.cli.CliExtension {
        @Override
        public Object command() {
            return new DemoCommand();
        }
    }
}
