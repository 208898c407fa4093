package org.itsmhub.plugin.freshdesk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.itsmhub.api.connector.ChangeHint;
import org.itsmhub.api.connector.WebhookRequest;
import org.itsmhub.api.error.AuthenticationException;
import org.itsmhub.api.error.DataMappingException;
import org.itsmhub.testkit.contract.TestConnectorContext;
import org.junit.jupiter.api.Test;

class FreshdeskWebhookTest {

    private static final String SECRET = "hook-s3cret-9d2";

    private static FreshdeskConnector connector(Map<String, Object> extra) {
        Map<String, Object> raw = new HashMap<>(Map.of("base.url", "https://acme.freshdesk.com", "api.key", "k"));
        raw.putAll(extra);
        FreshdeskConnectorFactory factory = new FreshdeskConnectorFactory();
        return (FreshdeskConnector) factory.create(TestConnectorContext.of(factory, raw, Clock.systemUTC()));
    }

    private static WebhookRequest request(String header, String value, String body) {
        Map<String, List<String>> headers = new HashMap<>();
        headers.put("Content-Type", List.of("application/json"));
        if (header != null) {
            headers.put(header, List.of(value));
        }
        return new WebhookRequest("POST", headers, Map.of(), body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aWebhookWithTheSharedSecretIsAcceptedAndParsedIntoATicketHint() {
        FreshdeskConnector c = connector(Map.of("webhook.secret", SECRET));
        WebhookRequest req = request("x-itsmhub-webhook-secret", SECRET,
                "{\"ticket_id\": 4242, \"event\": \"ticket_updated\", \"updated_at\": \"2024-03-01T10:00:00Z\"}");

        c.verify(req);
        List<ChangeHint> hints = c.parse(req);

        assertThat(hints).containsExactly(new ChangeHint(ChangeHint.Kind.TICKET, "4242", "ticket_updated",
                Instant.parse("2024-03-01T10:00:00Z")));
    }

    @Test
    void theHeaderNameIsConfigurableAndLegacyWrappedBodiesWithStringIdsAreUnderstood() {
        FreshdeskConnector c = connector(Map.of("webhook.secret", SECRET, "webhook.header", "X-Acme-Token"));
        WebhookRequest req = request("X-Acme-Token", SECRET,
                "{\"freshdesk_webhook\": {\"ticket_id\": \"#17\", \"updated_at\": \"Fri, 1 Mar 2024 10:00 AM\"}}");

        c.verify(req);

        assertThat(c.parse(req)).containsExactly(new ChangeHint(ChangeHint.Kind.TICKET, "17", null, null));
    }

    @Test
    void aWrongOrMissingSecretIsRefusedWithoutNamingTheSecret() {
        FreshdeskConnector c = connector(Map.of("webhook.secret", SECRET));

        assertThatThrownBy(() -> c.verify(request("X-ITSMHub-Webhook-Secret", SECRET + "x", "{}")))
                .isInstanceOf(AuthenticationException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(SECRET));
        assertThatThrownBy(() -> c.verify(request("X-ITSMHub-Webhook-Secret", "", "{}")))
                .isInstanceOf(AuthenticationException.class);
        assertThatThrownBy(() -> c.verify(request(null, null, "{}")))
                .isInstanceOf(AuthenticationException.class).hasMessageContaining("no X-ITSMHub-Webhook-Secret header");
    }

    @Test
    void webhooksAreRefusedWhileNoSecretIsConfigured() {
        assertThatThrownBy(() -> connector(Map.of()).verify(request("X-ITSMHub-Webhook-Secret", "anything", "{}")))
                .isInstanceOf(AuthenticationException.class).hasMessageContaining("webhook.secret is not configured");
    }

    @Test
    void aMalformedBodyIsADataErrorForTheDeadLetterQueue() {
        FreshdeskConnector c = connector(Map.of("webhook.secret", SECRET));

        for (String body : List.of("not json", "[1,2]", "{\"event\":\"x\"}", "{\"ticket_id\":\"1 OR 1=1\"}",
                "{\"ticket_id\":null}", "{\"ticket_id\":{{ticket.id}}}")) {
            assertThatThrownBy(() -> c.parse(request("X-ITSMHub-Webhook-Secret", SECRET, body)))
                    .as(body).isInstanceOf(DataMappingException.class).hasMessageContaining("Freshdesk webhook body");
        }
    }
}
