package org.itsmhub.e2e.bench;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.itsmhub.e2e.SandboxConfig;
import org.itsmhub.runtime.cli.ItsmHubCli;
import org.itsmhub.sandbox.SandboxCommand;
import org.itsmhub.sandbox.SandboxOptions;
import org.itsmhub.sandbox.VendorSandbox;

import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

/**
 * Initial and quiet sync of N Freshdesk tickets to ServiceNow through the real plugin zips and the
 * sandboxes (no artificial latency), in-process, then a cycle after the store was deleted: total
 * time, HTTP calls per ticket by kind, hub CPU time per ticket. Not a test; run by hand (numbers in docs/performance.md):
 *
 * <pre>
 * ./mvnw -q -o -f e2e/pom.xml test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=org.itsmhub.e2e.bench.TicketSyncBenchmark -Dexec.args="10000"
 * </pre>
 * (from the repository root, with the modules installed)
 */
public final class TicketSyncBenchmark {

    private TicketSyncBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int tickets = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        BenchHub hub = new BenchHub();
        Path seed = hub.freshdeskSeed(tickets);
        try (VendorSandbox freshdesk = SandboxCommand.providers().get("freshdesk").create(SandboxOptions.defaults()
                .withSeeds(List.of(new SandboxOptions.Seed(null, seed))));
                VendorSandbox servicenow = SandboxCommand.providers().get("servicenow").create(SandboxOptions.defaults())) {
            freshdesk.start();
            servicenow.start();
            Path config = hub.config(SandboxConfig.tenant("acme", SandboxConfig.servicenow("acme-snow", servicenow)
                            + SandboxConfig.freshdesk("acme-freshdesk", freshdesk,
                                    "initial.since: \"2000-01-01T00:00:00Z\"", "rate.limit.per.minute: 0"),
                    SandboxConfig.ticketSync("acme-tickets", "acme-snow", "acme-freshdesk",
                            "direction: right-to-left", "page-size: \"100\"")), 0);
            System.out.printf("Freshdesk -> ServiceNow, %d tickets without comments, sandboxes on loopback%n", tickets);
            cycle("initial sync", config, tickets, freshdesk, servicenow);
            cycle("quiet cycle", config, tickets, freshdesk, servicenow);
            // every ticket is read again with no link: each twin must be found, none created
            Files.delete(hub.home.resolve("data/hub.mv.db"));
            cycle("store lost (data/hub.mv.db deleted)", config, tickets, freshdesk, servicenow);
        }
    }

    private static void cycle(String name, Path config, int tickets, VendorSandbox freshdesk,
            VendorSandbox servicenow) {
        freshdesk.wiremock().resetRequests();
        servicenow.wiremock().resetRequests();
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpuBefore = os.getProcessCpuTime();
        Instant start = Instant.now();
        StringWriter out = new StringWriter();
        var cli = ItsmHubCli.newCommandLine();
        cli.setOut(new PrintWriter(out, true));
        int code = cli.execute("run", "--config", config.toString(), "--once");
        Duration took = Duration.between(start, Instant.now());
        long cpu = os.getProcessCpuTime() - cpuBefore;
        System.out.printf("%n== %s: exit %d, %.1f s wall, %.2f ms process CPU per ticket (hub + sandboxes)%n", name, code,
                took.toMillis() / 1000.0, cpu / 1e6 / tickets);
        out.toString().lines().forEach(l -> System.out.println("   " + l));
        report("Freshdesk", freshdesk, tickets);
        report("ServiceNow", servicenow, tickets);
    }

    private static void report(String vendor, VendorSandbox sandbox, int tickets) {
        List<ServeEvent> events = sandbox.wiremock().getAllServeEvents();
        Map<String, Long> byKind = events.stream().collect(Collectors.groupingBy(e -> kind(e.getRequest().getMethod()
                .getName(), e.getRequest().getUrl()), TreeMap::new, Collectors.counting()));
        System.out.printf("   %s: %d calls (%.2f per ticket)%n", vendor, events.size(), events.size() / (double) tickets);
        byKind.forEach((k, n) -> System.out.printf("     %-58s %7d  %.3f/ticket%n", k, n, n / (double) tickets));
    }

    private static String kind(String method, String url) {
        String path = url.contains("?") ? url.substring(0, url.indexOf('?')) : url;
        String table = path.replaceAll("/[0-9a-f]{32}", "/{sys_id}").replaceAll("/\\d+", "/{id}");
        boolean find = url.contains("sysparm_query=correlation_id") || url.contains("sysparm_query=correlation_id%3D");
        return method + " " + table + (find ? " (find by correlation id)" : "");
    }
}
