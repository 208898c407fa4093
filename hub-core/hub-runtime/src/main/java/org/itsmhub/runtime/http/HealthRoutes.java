package org.itsmhub.runtime.http;

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
        String status = !storeHealth.ok() ? "DOWN" : pluginProblems.isEmpty() ? "UP" : "DEGRADED";
        body.put("status", status);
        body.put("store", storeHealth.ok() ? Map.of("status", "UP")
                : Map.of("status", "DOWN", "error", storeHealth.message()));
        body.put("plugins", Map.of(
                "loaded", plugins.plugins().stream().map(p -> p.connectorId() + " " + p.version()).toList(),
                "problems", pluginProblems));
        Map<String, Object> syncs = new LinkedHashMap<>();
        Map<String, SyncResult> last = runner.lastResults();
        runner.syncs().forEach(s -> {
            SyncResult r = last.get(s.id());
            syncs.put(s.id(), r == null ? Map.of("tenant", s.tenant(), "lastOutcome", "NOT_RUN_YET")
                    : Map.of("tenant", s.tenant(), "lastOutcome", r.outcome().name(),
                            "summary", r.summary().toString()));
        });
        body.put("syncs", syncs);
        Json.respond(exchange, storeHealth.ok() ? 200 : 503, body);
    }
}
