package org.itsmhub.runtime.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.itsmhub.runtime.flow.SyncResult;
import org.itsmhub.runtime.flow.SyncRunner;
import org.itsmhub.runtime.plugin.PluginHost;
import org.itsmhub.runtime.store.HubStore;
import org.itsmhub.runtime.store.StoreHealth;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * {@code /health} (readiness: store reachable, plugin state, latest outcome per sync; 503 when the
 * store is down), {@code /health/live} (liveness: the process answers) and {@code /metrics}
 * (Prometheus text format).
 */
public final class HealthRoutes extends RouteBuilder {

    /** A sync that failed this many cycles in a row makes the hub DEGRADED. */
    static final int FAILING_AFTER_CYCLES = 3;

    private final HubStore store;
    private final PluginHost plugins;
    private final SyncRunner runner;
    private final PrometheusMeterRegistry meters;

    public HealthRoutes(HubStore store, PluginHost plugins, SyncRunner runner, PrometheusMeterRegistry meters) {
        this.store = store;
        this.plugins = plugins;
        this.runner = runner;
        this.meters = meters;
    }

    @Override
    public void configure() {
        from("platform-http:/health?httpMethodRestrict=GET").routeId("http-health").process(this::health);
        from("platform-http:/health/ready?httpMethodRestrict=GET").routeId("http-health-ready").process(this::health);
        from("platform-http:/health/live?httpMethodRestrict=GET").routeId("http-health-live")
                .process(e -> Json.respond(e, 200, Map.of("status", "UP")));
        from("platform-http:/metrics?httpMethodRestrict=GET").routeId("http-metrics").process(e -> {
            e.getMessage().setBody(meters.scrape());
            e.getMessage().setHeader(Exchange.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
            e.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        });
    }

    private void health(Exchange exchange) {
        Map<String, Object> body = new LinkedHashMap<>();
        StoreHealth storeHealth = store.health();
        List<String> pluginProblems = plugins.problems().stream().map(Object::toString).toList();
        Map<String, Integer> failures = runner.consecutiveFailures();
        List<String> failing = failures.entrySet().stream().filter(f -> f.getValue() >= FAILING_AFTER_CYCLES)
                .map(Map.Entry::getKey).toList();
        List<String> reasons = new ArrayList<>();
        if (!storeHealth.ok()) {
            reasons.add(storeHealth.message());
        }
        pluginProblems.forEach(p -> reasons.add("plugin: " + p));
        if (!failing.isEmpty()) {
            reasons.add((failing.size() == failures.size() ? "every sync" : failing.size() + " of " + failures.size()
                    + " syncs") + " failed its last " + FAILING_AFTER_CYCLES + " or more cycles: " + String.join(", ", failing));
        }
        String status = !storeHealth.ok() ? "DOWN" : reasons.isEmpty() ? "UP" : "DEGRADED";
        body.put("status", status);
        body.put("reasons", reasons);
        body.put("store", storeHealth.ok() ? Map.of("status", "UP")
                : Map.of("status", "DOWN", "error", storeHealth.message()));
        body.put("plugins", Map.of(
                "loaded", plugins.plugins().stream().map(p -> p.connectorId() + " " + p.version()).toList(),
                "problems", pluginProblems));
        Map<String, Object> syncs = new LinkedHashMap<>();
        Map<String, SyncResult> last = runner.lastResults();
        runner.syncs().forEach(s -> {
            SyncResult r = last.get(s.id());
            Map<String, Object> sync = new LinkedHashMap<>();
            sync.put("tenant", s.tenant());
            sync.put("lastOutcome", r == null ? (failures.get(s.id()) > 0 ? "FAILED" : "NOT_RUN_YET") : r.outcome().name());
            sync.put("consecutiveFailures", failures.get(s.id()));
            if (r != null) {
                sync.put("summary", r.summary().toString());
            }
            syncs.put(s.id(), sync);
        });
        body.put("syncs", syncs);
        Json.respond(exchange, storeHealth.ok() ? 200 : 503, body);
    }
}
