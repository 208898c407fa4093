package org.itsmhub.e2e.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.itsmhub.e2e.SandboxConfig;
import org.itsmhub.sandbox.SandboxCommand;
import org.itsmhub.sandbox.SandboxOptions;
import org.itsmhub.sandbox.VendorSandbox;

import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

/**
 * Initial sync Freshdesk → ServiceNow against a Freshdesk sandbox limited to L requests a minute
 * (a sliding minute, answered with Freshdesk's own 429 and {@code Retry-After} beyond it): how much
 * of that budget the sync uses and how many 429s it provokes. The sync is bound by the limit (it
 * makes 140 tickets/s without one), so its call rate is what the rate limiting lets through. Not a
 * test; run by hand from the repository root (numbers in docs/performance.md):
 *
 * <pre>
 * ./mvnw -q -o -f e2e/pom.xml test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=org.itsmhub.e2e.bench.FreshdeskRateLimitBenchmark -Dexec.args="450 200 200"
 * </pre>
 * Arguments: tickets (default 450, about 2.5 minutes at 200/min), the sandbox's limit per minute
 * (default 200), the connection's {@code rate.limit.per.minute} (default: the same).
 */
public final class FreshdeskRateLimitBenchmark {

    private FreshdeskRateLimitBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int tickets = args.length > 0 ? Integer.parseInt(args[0]) : 450;
        int limit = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        int budget = args.length > 2 ? Integer.parseInt(args[2]) : limit;
        BenchHub hub = new BenchHub();
        Path seed = hub.freshdeskSeed(tickets);
        try (VendorSandbox freshdesk = SandboxCommand.providers().get("freshdesk").create(SandboxOptions.defaults()
                .withSeeds(List.of(new SandboxOptions.Seed(null, seed))).withRateLimit(limit, Duration.ofMinutes(1)));
                VendorSandbox servicenow = SandboxCommand.providers().get("servicenow").create(SandboxOptions.defaults())) {
            freshdesk.start();
            servicenow.start();
            Path config = hub.config(SandboxConfig.tenant("acme", SandboxConfig.servicenow("acme-snow", servicenow)
                            + SandboxConfig.freshdesk("acme-freshdesk", freshdesk,
                                    "initial.since: \"2000-01-01T00:00:00Z\"", "rate.limit.per.minute: " + budget),
                    SandboxConfig.ticketSync("acme-tickets", "acme-snow", "acme-freshdesk",
                            "direction: right-to-left", "page-size: \"100\"")), 0);
            System.out.printf("Freshdesk -> ServiceNow, %d tickets, Freshdesk sandbox limit %d/min, "
                    + "connection rate.limit.per.minute %d%n", tickets, limit, budget);
            Instant start = Instant.now();
            String out = BenchHub.runOnce(config);
            Duration took = Duration.between(start, Instant.now());
            System.out.printf("%n== run --once: %.1f s wall%n", took.toMillis() / 1000.0);
            out.lines().filter(l -> !l.isBlank()).forEach(l -> System.out.println("   " + l));
            report(freshdesk, limit);
            System.out.printf("   ServiceNow: %d calls, %d incidents created%n",
                    servicenow.wiremock().getAllServeEvents().size(),
                    servicenow.wiremock().getAllServeEvents().stream().filter(e -> e.getRequest().getMethod()
                            .getName().equals("POST")).count());
        }
    }

    private static void report(VendorSandbox freshdesk, int limit) {
        List<ServeEvent> events = freshdesk.wiremock().getAllServeEvents().stream()
                .sorted(Comparator.comparing(e -> e.getRequest().getLoggedDate())).toList();
        List<Long> okTimes = events.stream().filter(e -> e.getResponse().getStatus() != 429)
                .map(e -> e.getRequest().getLoggedDate().getTime()).toList();
        long tooMany = events.size() - okTimes.size();
        long first = okTimes.get(0);
        long last = okTimes.get(okTimes.size() - 1);
        double minutes = (last - first) / 60_000.0;
        // the most requests the sandbox let through in any sliding minute
        int busiest = 0;
        int from = 0;
        for (int to = 0; to < okTimes.size(); to++) {
            while (okTimes.get(to) - okTimes.get(from) >= 60_000) {
                from++;
            }
            busiest = Math.max(busiest, to - from + 1);
        }
        // the share of the budget used: calls answered in each complete minute from the first call
        // (the last, partial minute only finishes the work), averaged
        Map<Long, Long> perMinute = okTimes.stream().collect(Collectors.groupingBy(t -> (t - first) / 60_000,
                TreeMap::new, Collectors.counting()));
        long complete = (last - first) / 60_000;
        double used = complete == 0 ? Double.NaN : perMinute.entrySet().stream().filter(e -> e.getKey() < complete)
                .mapToLong(Map.Entry::getValue).sum() / (double) (limit * complete);
        System.out.printf("   Freshdesk: %d calls answered, %d answered 429, first to last answered call %.2f min%n",
                okTimes.size(), tooMany, minutes);
        System.out.printf("   Freshdesk: busiest sliding minute %d of %d (%.1f%%); "
                + "%.1f%% of the budget in the complete minutes%n", busiest, limit, 100.0 * busiest / limit, 100.0 * used);
        perMinute.forEach((m, n) -> System.out.printf("     minute %d after the first call: %d calls%s%n", m + 1, n,
                m >= complete ? " (last, partial)" : ""));
    }
}
