package org.itsmhub.runtime.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.apache.camel.Exchange;
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
 * The signature or secret is checked first, on the raw body, whatever its content type: a failed one
 * is answered 401 and nothing is kept. Then the body must be JSON or a form ({@link WebhookBody}); any
 * other content type is answered 415. A body of another type, or one the plugin cannot parse, is kept
 * as a dead letter for replay (400 / 415 name it), so an authenticated delivery is never lost.
 */
public final class WebhookRoutes extends RouteBuilder {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookRoutes.class);
    /** The sync id dead letters of unparseable webhook bodies are filed under. */
    public static final String WEBHOOK_SYNC_ID = "webhooks";
    /** How long a vendor's delivery id is remembered; Jira redelivers within about 30 minutes. */
    static final java.time.Duration REPLAY_WINDOW = java.time.Duration.ofHours(24);
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
        // the raw body, also of a form: the signature covers it, and WebhookBody decodes it
        from("platform-http:/webhooks/{tenant}/{connection}?httpMethodRestrict=POST&populateBodyWithForm=false")
                .routeId("http-webhooks")
                .process(this::receive);
        from(QUEUE).routeId("webhook-hints")
                .process(e -> {
                    HintedRun run = e.getMessage().getBody(HintedRun.class);
                    runner.run(run.syncId(), run.hints());
                });
    }

    /** Keeps a body the hub could not take as a dead letter, for replay. */
    private long keep(String tenant, String connectionId, String payload, String error, String errorType) {
        long id = store.deadLetters().add(new NewDeadLetter(tenant, WEBHOOK_SYNC_ID, connectionId,
                "webhook:" + UUID.randomUUID(), payload, error, errorType)).id();
        LOG.warn("Webhook for {}/{} not taken, kept as dead letter {}: {}", tenant, connectionId, id, error);
        return id;
    }

    private void receive(Exchange exchange) {
        String tenant = HttpSurface.pathSegment(exchange, 2);
        String connectionId = HttpSurface.pathSegment(exchange, 3);
        if (connections.find(tenant, connectionId).isEmpty()) {
            Json.respond(exchange, 404, Map.of("error", "unknown tenant or connection"));
            return;
        }
        Optional<WebhookParser> parser = connections.connector(tenant, connectionId).capability(WebhookParser.class);
        if (parser.isEmpty()) {
            Json.respond(exchange, 404, Map.of("error", "connection " + connectionId + " does not receive webhooks"));
            return;
        }
        byte[] raw = HttpSurface.requestBody(exchange);
        Map<String, List<String>> headers = HttpSurface.requestHeaders(exchange);
        WebhookRequest signed = new WebhookRequest("POST", headers, Map.of(), raw);
        try {
            // before the body is read at all: a caller without the secret learns nothing about what the hub takes
            parser.get().verify(signed);
        } catch (AuthenticationException e) {
            LOG.warn("Rejected webhook for {}/{}: {}", tenant, connectionId, e.getMessage());
            Json.respond(exchange, 401, Map.of("error", "unauthorized"));
            return;
        }
        Optional<String> delivery = parser.get().deliveryId(signed).filter(id -> !id.isBlank());
        if (delivery.isPresent()
                && !store.webhookDeliveries().firstSeen(tenant, connectionId, delivery.get(), REPLAY_WINDOW)) {
            LOG.info("Webhook delivery {} for {}/{} was already received: acknowledged, not processed again",
                    delivery.get(), tenant, connectionId);
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("duplicate", true);
            answer.put("hints", 0);
            answer.put("syncs", List.of());
            Json.respond(exchange, 200, answer);
            return;
        }
        String contentType = signed.header("Content-Type").orElse(null);
        WebhookBody.Normalized body;
        try {
            body = WebhookBody.normalize(contentType, raw);
        } catch (WebhookBody.UnsupportedType e) {
            long id = keep(tenant, connectionId, signed.bodyAsString(), e.getMessage(), "UnsupportedMediaType");
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("error", e.getMessage());
            answer.put("accepted", WebhookBody.ACCEPTED);
            answer.put("deadLetter", id);
            Json.respond(exchange, 415, answer);
            return;
        } catch (IllegalArgumentException e) {
            long id = keep(tenant, connectionId, signed.bodyAsString(), "undecodable " + WebhookBody.FORM + " body: "
                    + e.getMessage(), "DataMappingException");
            Json.respond(exchange, 400, Map.of("error", "undecodable form body: " + e.getMessage(), "deadLetter", id));
            return;
        }
        WebhookRequest request = signed;
        if (body.decodedForm()) {
            Map<String, List<String>> asJson = new LinkedHashMap<>(headers);
            asJson.keySet().removeIf(name -> name.equalsIgnoreCase("Content-Type"));
            asJson.put("Content-Type", List.of("application/json"));
            request = new WebhookRequest("POST", asJson, Map.of(), body.body());
        }
        List<ChangeHint> hints;
        try {
            hints = parser.get().parse(request);
        } catch (ConnectorException | IllegalArgumentException e) {
            // kept as the plugin read it (a form as its JSON), so that a replay parses the same thing
            String error = String.valueOf(e.getMessage())
                    + (body.decodedForm() ? " (sent as " + WebhookBody.FORM + ", kept as the JSON it decodes to)" : "");
            long id = keep(tenant, connectionId, request.bodyAsString(), error, e.getClass().getSimpleName());
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
