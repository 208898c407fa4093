package org.itsmhub.demo;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.itsmhub.runtime.HubBootstrap;
import org.itsmhub.runtime.HubRuntime;
import org.itsmhub.runtime.store.HubStore;

/**
 * The soak benchmark: the demo scenario served for hours, every sync every 15 s, on a store whose
 * connection pool retires each connection after one minute, so that the pool replaces every
 * connection (the one that ran the migrations first) about a hundred times an hour. It starts on an
 * empty store, as a first start does. Once a minute it forces a GC and prints one CSV line: the heap
 * used after GC, the runs by outcome, the failed runs whose message names the store, the HTTP status
 * of {@code /health/ready} and the live thread count.
 *
 * <p>Not a test: run it from the repository root after building the demo module's plugin zips
 * (docs/performance.md, "Soak"). Environment: {@code SOAK_DURATION} (ISO-8601, default PT2H),
 * {@code SOAK_STORE_URL}/{@code SOAK_STORE_USER}/{@code SOAK_STORE_PASSWORD} (default: an H2 file in a
 * new temporary folder), {@code SOAK_POOL_MAX_LIFETIME_MS} (default 60000, Hikari's minimum is 30000).
 */
public final class DemoSoakBenchmark {

    private static final Pattern DEMO_REFERENCE = Pattern.compile("\\$\\{env:(ITSMHUB_DEMO_[A-Z_]+)}");
    private static final String H2_STORE_LINE = "    url: \"jdbc:h2:file:${env:ITSMHUB_DEMO_DATA}/hub\"\n";
    private static final Pattern STORE_FAILURE = Pattern.compile(
            "(?i)store|database|jdbc|sql|hikari|connection is not available|constraint");

    private DemoSoakBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Duration duration = Duration.parse(env("SOAK_DURATION", "PT2H"));
        String lifetime = env("SOAK_POOL_MAX_LIFETIME_MS", "60000");
        Path work = Files.createTempDirectory("itsmhub-soak-");
        // Hikari reads this file in every HikariConfig's constructor: the hub's pool gets the short
        // lifetime without a setting of its own
        Path hikari = Files.writeString(work.resolve("hikari.properties"),
                "maxLifetime=" + lifetime + "\nkeepaliveTime=0\n");
        System.setProperty("hikaricp.configurationFile", hikari.toString());
        DemoCommand.quietCycleLog();

        int port = freePort();
        String token = "soak-admin-token";
        try (DemoScenario scenario = DemoScenario.start(work.resolve("seeds"))) {
            Map<String, String> values = new LinkedHashMap<>(scenario.configValues());
            values.put("ITSMHUB_DEMO_DATA", work.toString().replace('\\', '/'));
            values.put("ITSMHUB_DEMO_HTTP_PORT", String.valueOf(port));
            values.put("ITSMHUB_DEMO_ADMIN_TOKEN", token);
            values.put("ITSMHUB_DEMO_PLUGINS_DIR", Path.of("demo/target/plugins").toAbsolutePath().toString());
            values.put("ITSMHUB_DEMO_ROUTES_DIR", Path.of("routes").toAbsolutePath().toString());
            Path config = Files.writeString(work.resolve("hub.yaml"), config(values));
            System.out.printf("# soak: %s on %s, pool maxLifetime %s ms, config %s%n", duration,
                    storeDescription(), lifetime, config);
            try (HubBootstrap boot = HubBootstrap.load(config, System::getenv)) {
                if (!boot.result().isValid()) {
                    boot.result().issues().forEach(System.out::println);
                    throw new IllegalStateException("the soak config is invalid");
                }
                try (HubStore store = boot.openStore();
                        HubRuntime runtime = new HubRuntime(boot.result().config(), boot.plugins(), store,
                                Clock.systemUTC(), HubRuntime.Mode.SERVE)) {
                    runtime.start();
                    soak(duration, scenario, store, port);
                }
            }
        }
        System.exit(0); // the sandboxes' and Camel's non-daemon threads are closed, but do not wait on stragglers
    }

    private static void soak(Duration duration, DemoScenario scenario, HubStore store, int port) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        Instant start = Instant.now();
        Instant end = start.plus(duration);
        int changes = 0;
        int changeFailures = 0;
        System.out.println("minute,heap_used_after_gc_mb,runs_succeeded,runs_partial,runs_failed,"
                + "failed_by_store,health_ready,threads,changes");
        for (int minute = 1; Instant.now().isBefore(end); minute++) {
            Instant next = start.plus(minute, ChronoUnit.MINUTES);
            for (int half = 0; half < 2; half++) {
                sleepUntil(half == 0 ? next.minusSeconds(30) : next);
                try {
                    scenario.nextChange();
                    changes++;
                } catch (RuntimeException e) {
                    changeFailures++;
                }
            }
            System.gc();
            System.gc();
            long heapMb = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() >> 20;
            Map<String, Integer> outcomes = outcomes(store);
            System.out.printf("%d,%d,%d,%d,%d,%d,%d,%d,%d%n", minute, heapMb, outcomes.getOrDefault("SUCCEEDED", 0),
                    outcomes.getOrDefault("PARTIAL", 0), outcomes.getOrDefault("FAILED", 0),
                    failedByStore(store), ready(http, port), Thread.activeCount(), changes);
            System.out.flush();
        }
        System.out.printf("# done: %d sandbox changes, %d failed to apply%n", changes, changeFailures);
        try (Connection c = store.dataSource().getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT message, COUNT(*) FROM sync_runs WHERE outcome = 'FAILED' "
                        + "GROUP BY message ORDER BY COUNT(*) DESC")) {
            while (rs.next()) {
                System.out.printf("# failed %d x: %s%n", rs.getInt(2), rs.getString(1));
            }
        }
    }

    private static Map<String, Integer> outcomes(HubStore store) {
        Map<String, Integer> counts = new TreeMap<>();
        try (Connection c = store.dataSource().getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT outcome, COUNT(*) FROM sync_runs GROUP BY outcome")) {
            while (rs.next()) {
                counts.put(rs.getString(1), rs.getInt(2));
            }
        } catch (Exception e) {
            counts.put("QUERY_FAILED", 1);
            System.out.println("# reading sync_runs failed: " + e);
        }
        return counts;
    }

    private static int failedByStore(HubStore store) {
        int count = 0;
        try (Connection c = store.dataSource().getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT message FROM sync_runs WHERE outcome = 'FAILED'")) {
            while (rs.next()) {
                String message = rs.getString(1);
                if (message != null && STORE_FAILURE.matcher(message).find()) {
                    count++;
                }
            }
        } catch (Exception e) {
            return -1;
        }
        return count;
    }

    private static int ready(HttpClient http, int port) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** The demo's template, every sync every 15 s, on the soak's store. */
    private static String config(Map<String, String> values) throws IOException {
        String template = Files.readString(Path.of("config/demo.yaml"))
                .replace("\"0/30 * * * * ?\"", "\"0/15 * * * * ?\"");
        String url = System.getenv("SOAK_STORE_URL");
        if (url != null) {
            if (!template.contains(H2_STORE_LINE)) {
                throw new IllegalStateException("config/demo.yaml's store line changed; update the soak");
            }
            template = template.replace(H2_STORE_LINE, "    url: \"" + url + "\"\n"
                    + "    user: \"" + env("SOAK_STORE_USER", "") + "\"\n"
                    + "    password: \"${env:SOAK_STORE_PASSWORD}\"\n");
        }
        Matcher m = DEMO_REFERENCE.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = values.get(m.group(1));
            if (value == null) {
                throw new IllegalStateException("the soak does not fill " + m.group());
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String storeDescription() {
        String url = System.getenv("SOAK_STORE_URL");
        return url == null ? "H2 (a new file)" : url;
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void sleepUntil(Instant when) throws InterruptedException {
        long ms = Duration.between(Instant.now(), when).toMillis();
        if (ms > 0) {
            TimeUnit.MILLISECONDS.sleep(ms);
        }
    }
}
