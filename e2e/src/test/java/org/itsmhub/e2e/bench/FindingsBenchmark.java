package org.itsmhub.e2e.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.itsmhub.e2e.SandboxConfig;
import org.itsmhub.runtime.cli.ItsmHubCli;
import org.itsmhub.sandbox.SandboxCommand;
import org.itsmhub.sandbox.SandboxOptions;
import org.itsmhub.sandbox.VendorSandbox;

import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

/**
 * A scan of {@code N} findings (default 100,000: 1,000 hosts x 100 report items, one in ten at
 * medium or above) into a tenant's ServiceNow through findings-to-tickets, on the sandboxes: the
 * first import opens a ticket per qualifying finding (10,000), then a second scan in which 1% of
 * those findings are fixed and as many are new is imported twice (the second time the fixed ones
 * are verified gone). Reports time, HTTP calls to the ticket system by kind and the hub's peak heap;
 * the hub runs in a child JVM ({@code -Xmx} as given, default 512m) so the sandboxes' memory is not
 * counted. Not a test; run by hand (numbers in docs/performance.md):
 *
 * <pre>
 * ./mvnw -q -pl e2e test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=org.itsmhub.e2e.bench.FindingsBenchmark -Dexec.args="100000 512m"
 * </pre>
 * (after {@code ./mvnw -q install -DskipTests}, from the repository root)
 */
public final class FindingsBenchmark {

    private static final int ITEMS_PER_HOST = 100;

    private FindingsBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int findings = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        String heap = args.length > 1 ? args[1] : "512m";
        int hosts = Math.max(1, findings / ITEMS_PER_HOST);
        int changed = Math.max(1, hosts / 100); // 1% of the hosts: one fixed and one new qualifying item each...
        Path home = Files.createTempDirectory("itsmhub-findings-bench-");
        Path scanA = home.resolve("scan-a.nessus");
        Path scanB = home.resolve("scan-b.nessus");
        writeScan(scanA, hosts, -1);
        writeScan(scanB, hosts, changed * 10); // ...on every tenth qualifying item of the first hosts
        System.out.printf("Scan A: %d hosts x %d items = %d findings (%.1f MB), %d at medium or above%n", hosts,
                ITEMS_PER_HOST, hosts * ITEMS_PER_HOST, Files.size(scanA) / 1e6, hosts * ITEMS_PER_HOST / 10);
        try (VendorSandbox nessus = SandboxCommand.providers().get("nessus").create(SandboxOptions.defaults()
                .withSeeds(List.of(new SandboxOptions.Seed(null, scanA))));
                VendorSandbox servicenow = SandboxCommand.providers().get("servicenow").create(SandboxOptions.defaults())) {
            nessus.start();
            servicenow.start();
            Path plugins = Files.createDirectories(home.resolve("plugins"));
            try (Stream<Path> zips = Files.list(Path.of("e2e/target/plugins"))) {
                for (Path z : zips.toList()) {
                    Files.copy(z, plugins.resolve(z.getFileName()));
                }
            }
            Path config = Files.writeString(home.resolve("hub.yaml"), """
                    hub:
                      store: { url: "jdbc:h2:file:%s/data/hub" }
                      plugins-dir: %s
                      routes-dir: %s
                    """.formatted(home, plugins, Path.of("routes").toAbsolutePath())
                    + SandboxConfig.tenant("acme", SandboxConfig.nessus("acme-nessus", nessus)
                            + SandboxConfig.servicenow("acme-snow", servicenow),
                            SandboxConfig.findingsToTickets("acme-vulns", "acme-nessus", "acme-snow",
                                    "min-severity: vulnerability=medium")));
            cycle("scan A, first import", config, heap, servicenow);
            cycle("quiet cycle (no new scan)", config, heap, servicenow);
            String id = newScan(nessus, scanB);
            cycle("scan B, " + changed * 10 + " fixed and as many new qualifying findings", config, heap, servicenow);
            post(nessus, "/__sandbox/scans/" + id + "/complete");
            cycle("scan B again: the fixed ones verified gone", config, heap, servicenow);
        }
    }

    /** Runs one {@code run --once} in a child JVM and reports what it cost. */
    private static void cycle(String name, Path config, String heap, VendorSandbox servicenow) throws Exception {
        servicenow.wiremock().resetRequests();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heap, "-cp", classPath(), Child.class.getName(), "run", "--config",
                config.toString(), "--once"));
        if (System.getenv("BENCH_JFR") != null && !System.getenv("BENCH_JFR").isBlank()) { // BENCH_JFR=/tmp/prefix
            command.add(1, "-XX:StartFlightRecording=filename=" + System.getenv("BENCH_JFR") + "-"
                    + name.replaceAll("\\W+", "-") + ".jfr,settings=profile");
        }
        Instant start = Instant.now();
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(child.getInputStream().readAllBytes());
        int code = child.waitFor();
        Duration took = Duration.between(start, Instant.now());
        System.out.printf("%n== %s: exit %d, %.1f s wall (child JVM start included), -Xmx%s%n", name, code,
                took.toMillis() / 1000.0, heap);
        out.lines().filter(l -> code != 0 || l.contains("acme-vulns") || l.startsWith("SYNC") || l.startsWith("peak"))
                .forEach(l -> System.out.println("   " + l)); // everything the hub said when it failed
        List<ServeEvent> events = servicenow.wiremock().getAllServeEvents();
        Map<String, Long> byKind = events.stream().collect(Collectors.groupingBy(e -> kind(e.getRequest().getMethod()
                .getName(), e.getRequest().getUrl()), TreeMap::new, Collectors.counting()));
        System.out.printf("   ServiceNow: %d calls%n", events.size());
        byKind.forEach((k, n) -> System.out.printf("     %-58s %7d%n", k, n));
    }

    /** The hub in its own JVM: runs the CLI, then prints the heap pools' peak usage. */
    public static final class Child {
        public static void main(String[] args) {
            StringWriter out = new StringWriter();
            var cli = ItsmHubCli.newCommandLine();
            cli.setOut(new PrintWriter(out, true));
            int code = cli.execute(args);
            System.out.print(out);
            long peak = 0;
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getType() == MemoryType.HEAP) {
                    peak += pool.getPeakUsage().getUsed();
                }
            }
            System.out.printf("peak heap (sum of pool peaks, garbage included): %d MB%n", peak / (1024 * 1024));
            System.exit(code);
        }
    }

    /** The class path this benchmark runs with, also under {@code exec:java}'s own class loader. */
    private static String classPath() throws Exception {
        List<String> entries = new ArrayList<>();
        for (ClassLoader l = Thread.currentThread().getContextClassLoader(); l != null; l = l.getParent()) {
            if (l instanceof java.net.URLClassLoader urls) {
                for (java.net.URL url : urls.getURLs()) {
                    entries.add(Path.of(url.toURI()).toString());
                }
            }
        }
        return entries.isEmpty() ? System.getProperty("java.class.path")
                : String.join(java.io.File.pathSeparator, entries);
    }

    private static String kind(String method, String url) {
        String path = url.contains("?") ? url.substring(0, url.indexOf('?')) : url;
        return method + " " + path.replaceAll("/[0-9a-f]{32}", "/{sys_id}");
    }

    /**
     * Writes a scan: host {@code h} is 10.x.y.z with a MAC and FQDN, items 0..99 of plugins 20000+i;
     * every tenth item is medium or above (so it opens a ticket), the rest info or low. With
     * {@code changedItems >= 0}, the first {@code changedItems} qualifying items (counted across hosts)
     * move to another plugin id: the old finding is fixed, a new one appears.
     */
    private static void writeScan(Path file, int hosts, int changedItems) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(file)) {
            w.write("<?xml version=\"1.0\" ?>\n<NessusClientData_v2>\n<Report name=\"Benchmark\">\n");
            int qualifying = 0;
            for (int h = 0; h < hosts; h++) {
                String ip = "10." + (h / 65536) % 256 + "." + (h / 256) % 256 + "." + h % 256;
                w.write("<ReportHost name=\"" + ip + "\"><HostProperties>\n");
                w.write("<tag name=\"HOST_END\">Thu Nov 26 10:00:00 2026</tag>\n");
                w.write("<tag name=\"host-ip\">" + ip + "</tag>\n");
                w.write(String.format("<tag name=\"mac-address\">02:00:%02x:%02x:%02x:%02x</tag>\n", (h >> 24) & 255,
                        (h >> 16) & 255, (h >> 8) & 255, h & 255));
                w.write("<tag name=\"host-fqdn\">host" + h + ".bench.example</tag>\n</HostProperties>\n");
                for (int i = 0; i < ITEMS_PER_HOST; i++) {
                    boolean qualifies = i % 10 == 0;
                    int plugin = 20000 + i;
                    if (qualifies && changedItems >= 0 && qualifying++ < changedItems) {
                        plugin = 90000 + i;
                    }
                    int severity = qualifies ? 2 + (i / 10) % 3 : i % 2;
                    w.write("<ReportItem port=\"" + (1000 + i) + "\" svc_name=\"svc" + i + "\" protocol=\"tcp\" severity=\""
                            + severity + "\" pluginID=\"" + plugin + "\" pluginName=\"Benchmark check " + plugin
                            + "\" pluginFamily=\"General\">\n<description>Generated finding " + plugin
                            + " for the findings-to-tickets benchmark.</description>\n<solution>Apply the fix for "
                            + plugin + ".</solution>\n<synopsis>Benchmark synopsis.</synopsis>\n<risk_factor>"
                            + new String[] {"None", "Low", "Medium", "High", "Critical"}[severity]
                            + "</risk_factor>\n<plugin_output>Observed on port " + (1000 + i)
                            + ".</plugin_output>\n</ReportItem>\n");
                }
                w.write("</ReportHost>\n");
            }
            w.write("</Report>\n</NessusClientData_v2>\n");
        }
    }

    private static String newScan(VendorSandbox nessus, Path file) throws Exception {
        String body = post(nessus, "/__sandbox/scans", "{\"file\":\"" + file.toString().replace("\\", "\\\\") + "\"}");
        return com.fasterxml.jackson.databind.json.JsonMapper.builder().build().readTree(body).get("id").asText();
    }

    private static String post(VendorSandbox sandbox, String path) throws Exception {
        return post(sandbox, path, "{}");
    }

    private static String post(VendorSandbox sandbox, String path, String json) throws Exception {
        var client = java.net.http.HttpClient.newHttpClient();
        var response = client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(sandbox.baseUrl() + path))
                .header("Content-Type", "application/json").POST(java.net.http.HttpRequest.BodyPublishers.ofString(json))
                .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 300) {
            throw new IllegalStateException(path + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }
}
