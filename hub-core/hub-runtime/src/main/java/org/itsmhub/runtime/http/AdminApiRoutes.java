package org.itsmhub.runtime.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.itsmhub.api.config.Secret;
import org.itsmhub.runtime.config.SyncConfig;
import org.itsmhub.runtime.flow.SyncResult;
import org.itsmhub.runtime.flow.SyncRunner;
import org.itsmhub.runtime.plugin.PluginHost;
import org.itsmhub.runtime.store.DeadLetter;
import org.itsmhub.runtime.store.DeadLetterStatus;
import org.itsmhub.runtime.store.HubStore;
import org.itsmhub.runtime.store.SyncRun;

/**
 * The admin API under {@code /api}, protected by the bearer token from {@code hub.http.admin-token}.
 * It is only set up when a token is configured.
 *
 * <ul>
 *   <li>{@code GET /api/syncs}: every sync with its latest result since start-up</li>
 *   <li>{@code POST /api/syncs/{id}/run}: start one cycle now; 202 with the run's id and
 *       {@code Location}, or 409 naming the run already in progress</li>
 *   <li>{@code GET /api/runs/{runId}}: one run, RUNNING or how it ended, with its counts</li>
 *   <li>{@code GET /api/plugins}: loaded plugins and load problems</li>
 *   <li>{@code GET /api/dead-letters}: open dead letters</li>
 * </ul>
 *
 * <p>platform-http-vertx runs these processors on Vert.x worker threads, never on the event loop,
 * so the short store reads here are fine; a sync cycle, which waits on vendors for as long as they
 * take, never runs on them (see {@link SyncRunner#startInBackground}).
 */
public final class AdminApiRoutes extends RouteBuilder {

    private static final String RUNS = "/api/runs/";

    private final byte[] token;
    private final SyncRunner runner;
    private final HubStore store;
    private final PluginHost plugins;

    public AdminApiRoutes(Secret token, SyncRunner runner, HubStore store, PluginHost plugins) {
        this.token = ("Bearer " + token.reveal()).getBytes(StandardCharsets.UTF_8);
        this.runner = runner;
        this.store = store;
        this.plugins = plugins;
    }

    @Override
    public void configure() {
        from("platform-http:/api/syncs?httpMethodRestrict=GET").routeId("api-syncs")
                .filter(this::authorised).process(this::listSyncs);
        from("platform-http:/api/syncs/{id}/run?httpMethodRestrict=POST").routeId("api-sync-run")
                .filter(this::authorised).process(this::startRun);
        from("platform-http:/api/runs/{runId}?httpMethodRestrict=GET").routeId("api-run")
                .filter(this::authorised).process(this::showRun);
        from("platform-http:/api/plugins?httpMethodRestrict=GET").routeId("api-plugins")
                .filter(this::authorised).process(e -> Json.respond(e, 200, Map.of(
                        "plugins", plugins.plugins().stream().map(p -> Map.of(
                                "plugin", p.pluginId(), "connector", p.connectorId(), "version", p.version(),
                                "capabilities", p.capabilities().stream().map(c -> c.label()).toList())).toList(),
                        "problems", plugins.problems().stream().map(Object::toString).toList())));
        from("platform-http:/api/dead-letters?httpMethodRestrict=GET").routeId("api-dead-letters")
                .filter(this::authorised).process(e -> Json.respond(e, 200, Map.of("deadLetters",
                        store.deadLetters().list(null, DeadLetterStatus.OPEN, 500).stream().map(AdminApiRoutes::deadLetter).toList())));
    }

    /** Answers 401 and stops the exchange unless the bearer token matches (compared in constant time). */
    private boolean authorised(Exchange exchange) {
        String header = HttpSurface.requestHeader(exchange, "Authorization").orElse(null);
        byte[] given = header == null ? new byte[0] : header.getBytes(StandardCharsets.UTF_8);
        if (MessageDigest.isEqual(given, token)) {
            return true;
        }
        exchange.getMessage().setHeader("WWW-Authenticate", "Bearer");
        Json.respond(exchange, 401, Map.of("error", "a valid bearer token is required"));
        return false;
    }

    private void listSyncs(Exchange exchange) {
        Map<String, SyncResult> last = runner.lastResults();
        List<Map<String, Object>> syncs = runner.syncs().stream().map(s -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", s.id());
            m.put("tenant", s.tenant());
            m.put("flow", s.flow());
            m.put("schedule", s.schedule());
            SyncResult r = last.get(s.id());
            m.put("last", r == null ? null : result(r));
            return m;
        }).toList();
        Json.respond(exchange, 200, Map.of("syncs", syncs));
    }

    /** Starts a cycle off the HTTP thread and answers at once: the caller follows {@code Location}. */
    private void startRun(Exchange exchange) {
        String id = HttpSurface.pathSegment(exchange, 3); // /api/syncs/{id}/run
        Optional<SyncConfig> sync = runner.sync(id);
        if (sync.isEmpty()) {
            Json.respond(exchange, 404, Map.of("error", "no sync '" + id + "'"));
            return;
        }
        SyncRunner.BackgroundRun run = runner.startInBackground(id);
        String location = RUNS + run.runId();
        Map<String, Object> body = new LinkedHashMap<>();
        if (!run.started()) {
            body.put("error", "a cycle of sync " + id + " is already running; it is run " + run.runId());
        }
        body.put("run", run.runId());
        body.put("sync", id);
        body.put("tenant", sync.get().tenant());
        body.put("location", location);
        exchange.getMessage().setHeader("Location", location);
        Json.respond(exchange, run.started() ? 202 : 409, body);
    }

    private void showRun(Exchange exchange) {
        String given = HttpSurface.pathSegment(exchange, 3); // /api/runs/{runId}
        Optional<SyncRun> run;
        try {
            run = store.syncRuns().get(Long.parseLong(given));
        } catch (NumberFormatException e) {
            run = Optional.empty();
        }
        if (run.isEmpty()) {
            Json.respond(exchange, 404, Map.of("error", "no run '" + given + "'"));
            return;
        }
        Json.respond(exchange, 200, run(run.get()));
    }

    static Map<String, Object> run(SyncRun r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("run", r.id());
        m.put("sync", r.syncId());
        m.put("tenant", r.tenantId());
        m.put("outcome", r.outcome().name());
        m.put("startedAt", r.startedAt().toString());
        m.put("endedAt", r.endedAt() == null ? null : r.endedAt().toString());
        m.put("read", r.counts().read());
        m.put("created", r.counts().created());
        m.put("updated", r.counts().updated());
        m.put("unchanged", r.counts().unchanged());
        m.put("failed", r.counts().failed());
        if (r.message() != null) {
            m.put("message", r.message());
        }
        return m;
    }

    static Map<String, Object> result(SyncResult r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("sync", r.syncId());
        m.put("tenant", r.tenant());
        m.put("outcome", r.outcome().name());
        m.put("read", r.summary().read());
        m.put("created", r.summary().created());
        m.put("updated", r.summary().updated());
        m.put("unchanged", r.summary().unchanged());
        m.put("skipped", r.summary().skipped());
        m.put("failed", r.summary().failed());
        m.put("durationMs", r.duration().toMillis());
        if (r.message() != null) {
            m.put("error", r.message());
        }
        return m;
    }

    private static Map<String, Object> deadLetter(DeadLetter d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", d.id());
        m.put("tenant", d.tenantId());
        m.put("sync", d.syncId());
        m.put("connection", d.connectionId());
        m.put("record", d.recordRef());
        m.put("error", d.errorMessage());
        m.put("attempts", d.attempts());
        m.put("lastFailure", d.lastFailureAt().toString());
        return m;
    }
}
