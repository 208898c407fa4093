package org.itsmhub.e2e.bench;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import org.itsmhub.e2e.SandboxConfig;
import org.itsmhub.runtime.HubBootstrap;
import org.itsmhub.runtime.HubRuntime;
import org.itsmhub.runtime.store.HubStore;
import org.itsmhub.runtime.store.StoreSettings;
import org.itsmhub.sandbox.SandboxCommand;
import org.itsmhub.sandbox.SandboxOptions;
import org.itsmhub.sandbox.VendorSandbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

/**
 * Webhook-to-target-write latency: the hub runs as a service (in-process, real plugin zips, H2),
 * a Freshdesk ticket is raised or changed on the Freshdesk sandbox, its automation webhook is
 * posted to the hub, and the time from posting the webhook to the ServiceNow sandbox receiving the
 * hub's write (the create, or the update) is taken from the sandbox's request journal. One webhook
 * at a time; the next one after the previous write arrived. Not a test; run by hand from the
 * repository root (numbers in docs/performance.md):
 *
 * <pre>
 * ./mvnw -q -o -f e2e/pom.xml test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=org.itsmhub.e2e.bench.WebhookLatencyBenchmark -Dexec.args="200"
 * </pre>
 * Argument: webhooks per kind (default 200): that many creates, then that many updates.
 */
public final class WebhookLatencyBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECRET = "bench-webhook-secret";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private WebhookLatencyBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        BenchHub hub = new BenchHub();
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        try (VendorSandbox freshdesk = SandboxCommand.providers().get("freshdesk").create(SandboxOptions.defaults());
                VendorSandbox servicenow = SandboxCommand.providers().get("servicenow").create(SandboxOptions.defaults())) {
            freshdesk.start();
            servicenow.start();
            Path config = hub.config(SandboxConfig.tenant("acme", SandboxConfig.servicenow("acme-snow", servicenow)
                            + SandboxConfig.freshdesk("acme-freshdesk", freshdesk, "webhook.secret: " + SECRET,
                                    "rate.limit.per.minute: 0"),
                    SandboxConfig.ticketSync("acme-tickets", "acme-snow", "acme-freshdesk")), port);
            try (HubBootstrap boot = HubBootstrap.load(config, name -> null);
                    HubStore store = HubStore.open(new StoreSettings("jdbc:h2:file:" + hub.home + "/data/hub", "", ""));
                    HubRuntime runtime = new HubRuntime(boot.result().config(), boot.plugins(), store,
                            Clock.systemUTC(), HubRuntime.Mode.SERVE)) {
                runtime.start();
                String fd = freshdesk.baseUrl();
                System.out.printf("Freshdesk webhook -> ServiceNow write, %d creates then %d updates, one at a time%n",
                        n, n);
                List<Long> ids = new ArrayList<>();
                for (int i = 0; i < 5; i++) { // warm-up: class loading, first connections
                    long id = raise(fd, "Warm-up ticket " + i);
                    measure(port, id, servicenow, "POST");
                }
                List<Long> creates = new ArrayList<>();
                for (int i = 1; i <= n; i++) {
                    long id = raise(fd, "Latency ticket " + i);
                    ids.add(id);
                    creates.add(measure(port, id, servicenow, "POST"));
                }
                List<Long> updates = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    long id = ids.get(i);
                    send(fd + "/api/v2/tickets/" + id, "PUT", "{\"subject\":\"Latency ticket " + (i + 1) + " (edited)\"}");
                    updates.add(measure(port, id, servicenow, "PATCH"));
                }
                print("create (new ticket -> ServiceNow POST)", creates);
                print("update (changed title -> ServiceNow PATCH)", updates);
            }
        }
    }

    /** Posts the webhook for ticket {@code id}; returns the ms until ServiceNow got the expected write. */
    private static long measure(int port, long id, VendorSandbox servicenow, String method) throws Exception {
        servicenow.wiremock().resetRequests();
        long sent = System.currentTimeMillis();
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + "/webhooks/acme/acme-freshdesk")).header("Content-Type", "application/json")
                .header("X-ITSMHub-Webhook-Secret", SECRET)
                .POST(HttpRequest.BodyPublishers.ofString("{\"ticket_id\": " + id + "}")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 202) {
            throw new IllegalStateException("webhook answered " + response.statusCode() + ": " + response.body());
        }
        long deadline = sent + 30_000;
        while (System.currentTimeMillis() < deadline) {
            Optional<ServeEvent> write = servicenow.wiremock().getAllServeEvents().stream()
                    .filter(e -> e.getRequest().getMethod().getName().equals(method)
                            && e.getRequest().getUrl().startsWith("/api/now/table/incident"))
                    .min((a, b) -> a.getRequest().getLoggedDate().compareTo(b.getRequest().getLoggedDate()));
            if (write.isPresent()) {
                return write.get().getRequest().getLoggedDate().getTime() - sent;
            }
            Thread.sleep(2);
        }
        throw new IllegalStateException("no " + method + " reached ServiceNow within 30 s for ticket " + id);
    }

    private static long raise(String fd, String subject) throws Exception {
        String body = send(fd + "/api/v2/tickets", "POST", "{\"subject\":\"" + subject + "\",\"description\":\"x\","
                + "\"email\":\"anna@customer.example\",\"priority\":2,\"status\":2}");
        return JSON.readTree(body).get("id").asLong();
    }

    private static String send(String url, String method, String json) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        "sandbox-api-key:X".getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() >= 300) {
            throw new IllegalStateException(method + " " + url + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }

    private static void print(String kind, List<Long> latencies) {
        List<Long> sorted = latencies.stream().sorted().toList();
        System.out.printf("%n== %s: %d webhooks%n", kind, sorted.size());
        System.out.printf("   median %d ms, p95 %d ms, p99 %d ms, max %d ms, min %d ms%n", percentile(sorted, 50),
                percentile(sorted, 95), percentile(sorted, 99), sorted.get(sorted.size() - 1), sorted.get(0));
    }

    private static long percentile(List<Long> sorted, int p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }
}
