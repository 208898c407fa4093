package org.itsmhub.runtime.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.builder.RouteBuilder;
import org.itsmhub.api.connector.ChangeHint;
import org.itsmhub.api.connector.WebhookParser;
import org.itsmhub.api.connector.WebhookRequest;
import org.itsmhub.api.error.AuthenticationException;
import org.itsmhub.api.error.ConnectorException;
import org.itsmhub.runtime.config.HubConfig;
import org.itsmhub.runtime.config.SyncConfig;
import org.itsmhub.runtime.connection.ConnectionRegistry;
import org.itsmhub.runtime.flow.RecordHints;
import org.itsmhub.runtime.flow.SyncConnections;
import org.itsmhub.runtime.flow.SyncRunner;
import org.itsmhub.runtime.store.HubStore;
import org.itsmhub.runtime.store.NewDeadLetter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /webhooks/{tenant}/{connection}}: the vendor's call is verified and parsed by the
 * connection's plugin while the vendor waits (both are fast and offline), answered 202, and the
 * syncs of that tenant that use the connection then run for just the hinted records on a queue.
 * A body the plugin cannot parse is answered 400 and kept as a dead letter for replay; a failed
 * signature or secret is answered 401.
 */
public final class WebhookRoutes extends RouteBuilder {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookRoutes.class);
    /** The sync id dead letters of unparseable webhook bodies are filed under. */
    public static final String WEBHOOK_SYNC_ID = "webhooks";
    private static final String QUEUE = "seda:webhook-hints?size=10000&concurrentConsumers=2";

    private final HubConfig config;
    private final ConnectionRegistry connections;
    private final SyncRunner runner;
    private final HubStore store;
    private org.apache.camel.ProducerTemplate queue;

    public WebhookRoutes(HubConfig config, ConnectionRegistry connections, SyncRunner runner, HubStore store) {
        this.config = config;
        this.connections = connections;
        this.runner = runner;
        this.store = store;
    }

    /** Work queued for one sync: run it for these hints. */
    record HintedRun(String syncId, RecordHints hints) {
    }

    @Override
    public void configure() {
        queue = getContext().createProducerTemplate();
        from("platform-http:/webhooks/{tenant}/{connection}?httpMethodRestrict=POST")
                .routeId("http-webhooks")
                .process(this::receive);
        from(QUEUE).routeId("webhook-hints")
                .process(e -> {
                    HintedRun run = e.getMessage().getBody(HintedRun.class);
                    runner.run(run.syncId(), run.hints());
                });
    }

    private void receive(Exchange exchange) {
        Message in = exchange.getMessage();
        String tenant = in.getHeader("tenant", String.class);
        String connectionId = in.getHeader("connection", String.class);
        if (connections.find(tenant, connectionId).isEmpty()) {
            Json.respond(exchange, 404, Map.of("error", "unknown tenant or connection"));
            return;
        }
        Optional<WebhookParser> parser = connections.connector(tenant, connectionId).capability(WebhookParser.class);
        if (parser.isEmpty()) {
            Json.respond(exchange, 404, Map.of("error", "connection " + connectionId + " does not receive webhooks"));
            return;
        }
        byte[] body = in.getBody(byte[].class);
        WebhookRequest request = new WebhookRequest("POST", HttpSurface.requestHeaders(exchange), Map.of(), body);
        try {
            parser.get().verify(request);
        } catch (AuthenticationException e) {
            LOG.warn("Rejected webhook for {}/{}: {}", tenant, connectionId, e.getMessage());
            Json.respond(exchange, 401, Map.of("error", "unauthorized"));
            return;
        }
        List<ChangeHint> hints;
        try {
            hints = parser.get().parse(request);
        } catch (ConnectorException | IllegalArgumentException e) {
            long id = store.deadLetters().add(new NewDeadLetter(tenant, WEBHOOK_SYNC_ID, connectionId,
                    "webhook:" + UUID.randomUUID(), request.bodyAsString(), String.valueOf(e.getMessage()),
                    e.getClass().getSimpleName())).id();
            LOG.warn("Webhook for {}/{} could not be parsed, kept as dead letter {}: {}", tenant, connectionId, id,
                    e.getMessage());
            Json.respond(exchange, 400, Map.of("error", String.valueOf(e.getMessage()), "deadLetter", id));
            return;
        }
        List<String> triggered = new ArrayList<>();
        if (!hints.isEmpty()) {
            for (SyncConfig sync : config.syncs()) {
                if (sync.tenant().equals(tenant) && SyncConnections.uses(sync, connectionId)) {
                    queue.sendBody(QUEUE, new HintedRun(sync.id(), new RecordHints(connectionId, hints)));
                    triggered.add(sync.id());
                }
            }
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("hints", hints.size());
        answer.put("syncs", triggered);
        Json.respond(exchange, 202, answer);
    }
}
