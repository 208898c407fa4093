package org.itsmhub.plugin.freshdesk;

import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.itsmhub.api.connector.RejectedRecord;
import org.itsmhub.api.error.DataMappingException;
import org.itsmhub.plugin.freshdesk.dto.FreshdeskAgent;
import org.itsmhub.plugin.freshdesk.dto.FreshdeskConversation;
import org.itsmhub.plugin.freshdesk.dto.FreshdeskConversationWrite;
import org.itsmhub.plugin.freshdesk.dto.FreshdeskSearchResult;
import org.itsmhub.plugin.freshdesk.dto.FreshdeskTicket;
import org.itsmhub.plugin.freshdesk.dto.FreshdeskTicketWrite;
import org.itsmhub.plugin.support.http.HttpExecutor;
import org.itsmhub.plugin.support.json.JsonCodec;
import org.itsmhub.plugin.support.json.JsonRecords;

/**
 * Freshdesk API v2, one method per endpoint the connector uses. Authentication, rate limiting and
 * logging are interceptors of the client handed in; every failure comes out classified.
 */
final class FreshdeskClient {

    private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");

    /**
     * One page of a list endpoint, whether Freshdesk's {@code Link} header points at a next page, and
     * the elements that could not be read.
     */
    record PageOf<T>(List<T> items, boolean hasNext, List<RejectedRecord> rejected) {
        PageOf(List<T> items, boolean hasNext) {
            this(items, hasNext, List.of());
        }
    }

    private final HttpExecutor http;
    private final HttpUrl base;

    FreshdeskClient(HttpExecutor http, HttpUrl base) {
        this.http = http;
        this.base = base;
    }

    /**
     * Tickets updated at or after {@code since}, oldest change first.
     * https://developers.freshdesk.com/api/#list_all_tickets
     */
    PageOf<FreshdeskTicket> listTickets(Instant since, int page, int perPage, List<String> include, Long companyId) {
        HttpUrl.Builder url = url("api/v2/tickets")
                .addQueryParameter("updated_since", iso(since))
                .addQueryParameter("order_by", "updated_at")
                .addQueryParameter("order_type", "asc")
                .addQueryParameter("per_page", Integer.toString(perPage))
                .addQueryParameter("page", Integer.toString(page));
        if (!include.isEmpty()) {
            url.addQueryParameter("include", String.join(",", include));
        }
        if (companyId != null) {
            url.addQueryParameter("company_id", companyId.toString());
        }
        return http.execute("list tickets", get(url.build()), r -> decodeTicketPage(body(r), hasNext(r)));
    }

    /**
     * One ticket; empty when Freshdesk answers 404 (deleted or never existed).
     * https://developers.freshdesk.com/api/#view_a_ticket
     */
    Optional<FreshdeskTicket> getTicket(long id, boolean includeRequester) {
        HttpUrl.Builder url = url("api/v2/tickets/" + id);
        if (includeRequester) {
            url.addQueryParameter("include", "requester");
        }
        Request request = get(url.build());
        try (Response response = http.client().newCall(request).execute()) {
            if (response.code() == 404) {
                return Optional.empty();
            }
            if (!response.isSuccessful()) {
                throw http.classifier().classify("view ticket", response.code(), response.headers(), body(response));
            }
            return Optional.of(decodeTicket(body(response)));
        } catch (IOException e) {
            throw http.classifier().io("view ticket", e);
        }
    }

    /** https://developers.freshdesk.com/api/#create_ticket */
    FreshdeskTicket createTicket(FreshdeskTicketWrite ticket) {
        return http.execute("create ticket", send("POST", url("api/v2/tickets").build(), ticket),
                r -> decodeTicket(body(r)));
    }

    /** https://developers.freshdesk.com/api/#update_ticket */
    FreshdeskTicket updateTicket(long id, FreshdeskTicketWrite changes) {
        return http.execute("update ticket", send("PUT", url("api/v2/tickets/" + id).build(), changes),
                r -> decodeTicket(body(r)));
    }

    /** https://developers.freshdesk.com/api/#list_all_ticket_notes */
    PageOf<FreshdeskConversation> listConversations(long ticketId, int page) {
        HttpUrl url = url("api/v2/tickets/" + ticketId + "/conversations")
                .addQueryParameter("per_page", "100")
                .addQueryParameter("page", Integer.toString(page))
                .build();
        return http.execute("list conversations", get(url), r -> new PageOf<>(decodeConversations(body(r)), hasNext(r)));
    }

    /** A public reply the requester sees. https://developers.freshdesk.com/api/#reply_ticket */
    FreshdeskConversation reply(long ticketId, String htmlBody) {
        return http.execute("reply to ticket", send("POST", url("api/v2/tickets/" + ticketId + "/reply").build(),
                new FreshdeskConversationWrite(htmlBody, null)), r -> decodeConversation(body(r)));
    }

    /** A private note only agents see. https://developers.freshdesk.com/api/#add_note_to_a_ticket */
    FreshdeskConversation privateNote(long ticketId, String htmlBody) {
        return http.execute("add note to ticket", send("POST", url("api/v2/tickets/" + ticketId + "/notes").build(),
                new FreshdeskConversationWrite(htmlBody, true)), r -> decodeConversation(body(r)));
    }

    /** A public note: shown in the customer portal, not e-mailed. https://developers.freshdesk.com/api/#add_note_to_a_ticket */
    FreshdeskConversation publicNote(long ticketId, String htmlBody) {
        return http.execute("add note to ticket", send("POST", url("api/v2/tickets/" + ticketId + "/notes").build(),
                new FreshdeskConversationWrite(htmlBody, false)), r -> decodeConversation(body(r)));
    }

    /**
     * Tickets matching a filter query; {@code query} is the text inside the double quotes and must
     * already be escaped or validated by the caller; {@code page} 1 to 10, 30 tickets each.
     * https://developers.freshdesk.com/api/#filter_tickets
     */
    FreshdeskSearchResult searchTickets(String query, int page) {
        HttpUrl.Builder search = url("api/v2/search/tickets").addQueryParameter("query", "\"" + query + "\"");
        if (page > 1) {
            search.addQueryParameter("page", Integer.toString(page));
        }
        HttpUrl url = search.build();
        return http.execute("search tickets", get(url), r -> {
            try (ResponseBody b = r.body()) {
                FreshdeskSearchResult result = JsonCodec.read(b.byteStream(), FreshdeskSearchResult.class,
                        "Freshdesk ticket search result");
                if (result.results() == null) {
                    throw new DataMappingException("Freshdesk ticket search result has no results array");
                }
                return result;
            }
        });
    }

    /** The agent whose API key we use: the cheap authenticated call. https://developers.freshdesk.com/api/#me */
    FreshdeskAgent me() {
        return http.execute("view current agent", get(url("api/v2/agents/me").build()), r -> {
            try (ResponseBody b = r.body()) {
                return JsonCodec.read(b.byteStream(), FreshdeskAgent.class, "Freshdesk agent");
            }
        });
    }

    // --- decoding (package-visible for the fixture tests)

    static FreshdeskTicket decodeTicket(String json) {
        JsonNode node = JsonCodec.readTree(json, "Freshdesk ticket");
        rejectLegacy(node, "Freshdesk ticket");
        return check(convert(node, FreshdeskTicket.class, "Freshdesk ticket"));
    }

    static List<FreshdeskTicket> decodeTickets(String json) {
        PageOf<FreshdeskTicket> page = decodeTicketPage(json, false);
        if (!page.rejected().isEmpty()) {
            throw new DataMappingException(page.rejected().get(0).reason());
        }
        return page.items();
    }

    /**
     * A page of tickets, read ticket by ticket: one that is not an API v2 ticket (no id, status or
     * readable updated_at, a field of the wrong type, a null element) is rejected, not the page.
     */
    static PageOf<FreshdeskTicket> decodeTicketPage(String json, boolean hasNext) {
        JsonNode node = JsonCodec.readTree(json, "Freshdesk ticket list");
        if (node == null || !node.isArray()) {
            throw new DataMappingException("Freshdesk ticket list is not the expected JSON: expected an array of tickets, got "
                    + (node == null ? "nothing" : node.getNodeType().name().toLowerCase()));
        }
        for (JsonNode element : node) {
            rejectLegacy(element, "Freshdesk ticket list"); // the whole helpdesk speaks v1: not one bad record
        }
        JsonRecords.Decoded<FreshdeskTicket> d = JsonRecords.each(node, "id", element -> {
            FreshdeskTicket t = check(convert(element, FreshdeskTicket.class, "Freshdesk ticket"));
            FreshdeskTicketMapper.instant(t.updatedAt());
            return t;
        });
        return new PageOf<>(d.items(), hasNext, d.rejected());
    }

    static FreshdeskConversation decodeConversation(String json) {
        return checkConversation(convert(JsonCodec.readTree(json, "Freshdesk conversation"),
                FreshdeskConversation.class, "Freshdesk conversation"));
    }

    static List<FreshdeskConversation> decodeConversations(String json) {
        JsonNode node = JsonCodec.readTree(json, "Freshdesk conversation list");
        if (node == null || !node.isArray()) {
            throw new DataMappingException("Freshdesk conversation list is not the expected JSON: expected an array");
        }
        return Arrays.stream(convert(node, FreshdeskConversation[].class, "Freshdesk conversation list"))
                .map(FreshdeskClient::checkConversation).toList();
    }

    private static void rejectLegacy(JsonNode node, String what) {
        if (node != null && node.has("helpdesk_ticket")) {
            throw new DataMappingException(what + " is in the legacy Freshdesk API v1 format (a helpdesk_ticket "
                    + "wrapper); this connector speaks API v2 only (/api/v2/...)");
        }
    }

    private static FreshdeskTicket check(FreshdeskTicket t) {
        if (t == null || t.id() == null || t.updatedAt() == null || t.status() == null) {
            throw new DataMappingException("Freshdesk ticket is not an API v2 ticket: it lacks id, status or updated_at");
        }
        return t;
    }

    private static FreshdeskConversation checkConversation(FreshdeskConversation c) {
        if (c == null || c.id() == null || c.createdAt() == null) {
            throw new DataMappingException("Freshdesk conversation lacks id or created_at");
        }
        return c;
    }

    private static <T> T convert(JsonNode node, Class<T> type, String what) {
        try {
            return JsonCodec.mapper().treeToValue(node, type);
        } catch (com.fasterxml.jackson.core.JsonProcessingException | IllegalArgumentException e) {
            throw new DataMappingException(what + " is not the expected JSON: " + e.getMessage().lines().findFirst()
                    .orElse(""), e);
        }
    }

    // --- plumbing

    private HttpUrl.Builder url(String path) {
        return base.newBuilder().addPathSegments(path);
    }

    private static Request get(HttpUrl url) {
        return new Request.Builder().url(url).header("Accept", "application/json").get().build();
    }

    private static Request send(String method, HttpUrl url, Object body) {
        return new Request.Builder().url(url).header("Accept", "application/json")
                .method(method, RequestBody.create(JsonCodec.write(body), JSON)).build();
    }

    private static String body(Response response) throws IOException {
        ResponseBody b = response.body();
        return b == null ? "" : b.string();
    }

    /** Freshdesk sets {@code Link: <...page=N+1>; rel="next"} only when another page exists. */
    private static boolean hasNext(Response response) {
        return response.headers("Link").stream().anyMatch(v -> v.contains("rel=\"next\"") || v.contains("rel=next"));
    }

    static String iso(Instant instant) {
        return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.SECONDS));
    }
}
