package org.itsmhub.plugin.freshdesk;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;

/** Freshdesk-shaped stubs and bodies for the tests. */
final class FreshdeskStubs {

    static final String LIST_PATH = "/api/v2/tickets";

    private FreshdeskStubs() {
    }

    /** A ticket as GET /api/v2/tickets?include=description returns it. */
    static String ticket(long id, Instant updated, String extraFields) {
        return """
                {"cc_emails":[],"fwd_emails":[],"reply_cc_emails":[],"ticket_cc_emails":[],"fr_escalated":false,
                 "spam":false,"email_config_id":null,"group_id":null,"priority":2,"requester_id":5001,
                 "responder_id":null,"source":2,"company_id":null,"status":2,"subject":"Ticket %d",
                 "association_type":null,"support_email":null,"to_emails":null,"product_id":null,"id":%d,
                 "type":null,"due_by":"2024-01-05T00:00:00Z","fr_due_by":"2024-01-03T00:00:00Z","is_escalated":false,
                 "description":"<div>Body %d</div>","description_text":"Body %d",
                 "custom_fields":{"cf_itsm_hub_id":null},"created_at":"2024-01-01T08:00:00Z","updated_at":"%s",
                 "tags":[]%s}
                """.formatted(id, id, id, id, FreshdeskClient.iso(updated),
                extraFields == null || extraFields.isEmpty() ? "" : "," + extraFields);
    }

    static String array(List<String> elements) {
        return "[" + String.join(",", elements) + "]";
    }

    /**
     * Stubs {@code GET /api/v2/tickets} like Freshdesk for tickets 1..total updated one minute apart
     * from {@code firstUpdate}: every {@code updated_since} the connector can ask for (the initial one
     * and each updated_at minus the overlap) answers the tickets updated at or after it, in pages of
     * {@code pageSize} with a {@code Link: rel="next"} header while more exist.
     */
    static void stubTicketList(WireMockExtension vendor, int total, int pageSize, Instant initial, Instant firstUpdate,
            Duration overlap, String apiKey) {
        List<Instant> updates = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            updates.add(firstUpdate.plus(Duration.ofMinutes(i)));
        }
        TreeSet<Instant> sinces = new TreeSet<>();
        sinces.add(initial);
        updates.forEach(u -> sinces.add(u.minus(overlap)));
        for (Instant since : sinces) {
            List<String> matching = new ArrayList<>();
            for (int i = 0; i < total; i++) {
                if (!updates.get(i).isBefore(since)) {
                    matching.add(ticket(i + 1, updates.get(i), null));
                }
            }
            int pages = Math.max(1, (matching.size() + pageSize - 1) / pageSize);
            for (int p = 1; p <= pages; p++) {
                List<String> slice = matching.subList(Math.min((p - 1) * pageSize, matching.size()),
                        Math.min(p * pageSize, matching.size()));
                var response = aResponse().withStatus(200).withHeader("Content-Type", "application/json; charset=utf-8")
                        .withHeader("X-RateLimit-Total", "200").withHeader("X-RateLimit-Remaining", "150")
                        .withHeader("X-RateLimit-Used-CurrentRequest", "3")
                        .withBody(array(slice));
                if (p < pages) {
                    response.withHeader("Link", "<" + vendor.baseUrl() + LIST_PATH + "?updated_since="
                            + FreshdeskClient.iso(since) + "&page=" + (p + 1) + ">; rel=\"next\"");
                }
                vendor.stubFor(get(urlPathEqualTo(LIST_PATH))
                        .withQueryParam("updated_since", equalTo(FreshdeskClient.iso(since)))
                        .withQueryParam("page", equalTo(Integer.toString(p)))
                        .withBasicAuth(apiKey, "X")
                        .willReturn(response));
            }
        }
    }

    /** A body from {@code src/test/resources/freshdesk/}. */
    static String resource(String name) {
        try (InputStream in = FreshdeskStubs.class.getResourceAsStream("/freshdesk/" + name)) {
            if (in == null) {
                throw new IllegalStateException("no test resource freshdesk/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
