package org.itsmhub.plugin.freshdesk;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import org.itsmhub.api.config.ConfigProblem;
import org.itsmhub.api.config.ConnectorConfig;
import org.itsmhub.api.config.Secret;
import org.itsmhub.api.connector.ChangeHint;
import org.itsmhub.api.connector.Connector;
import org.itsmhub.api.connector.Page;
import org.itsmhub.api.connector.ReadRequest;
import org.itsmhub.api.connector.RejectedRecord;
import org.itsmhub.api.connector.TicketSink;
import org.itsmhub.api.connector.TicketSource;
import org.itsmhub.api.connector.WebhookParser;
import org.itsmhub.api.connector.WebhookRequest;
import org.itsmhub.api.error.AuthenticationException;
import org.itsmhub.api.error.ConnectorException;
import org.itsmhub.api.error.DataMappingException;
import org.itsmhub.api.error.RetriableException;
import org.itsmhub.api.model.Comment;
import org.itsmhub.api.model.ExternalRef;
import org.itsmhub.api.model.Ticket;
import org.itsmhub.api.model.TicketField;
import org.itsmhub.api.model.TicketStatus;
import org.itsmhub.api.model.Visibility;
import org.itsmhub.plugin.freshdesk.dto.FreshdeskConversation;
import org.itsmhub.plugin.freshdesk.dto.FreshdeskSearchResult;
import org.itsmhub.plugin.freshdesk.dto.FreshdeskTicket;
import org.itsmhub.plugin.freshdesk.dto.FreshdeskTicketWrite;
import org.itsmhub.plugin.support.http.TlsTrust;
import org.itsmhub.plugin.support.json.JsonCodec;
import org.itsmhub.plugin.support.time.Instants;

import static org.itsmhub.plugin.freshdesk.FreshdeskConnectorConfig.*;

/** One Freshdesk helpdesk for one tenant: ticket source and sink, conversations, webhooks. */
public final class FreshdeskConnector implements Connector, TicketSource, TicketSink, WebhookParser {

    /** Correlation ids go into a Freshdesk filter query: only characters that cannot change its meaning. */
    static final Pattern SAFE_CORRELATION_ID = Pattern.compile("[A-Za-z0-9._:-]{1,100}");
    private static final Pattern NUMERIC_ID = Pattern.compile("\\d{1,19}");
    private static final int MAX_CONVERSATION_PAGES = 100;
    /** Freshdesk's filter query: at most 512 characters, 30 results a page, pages 1 to 10. */
    static final int SEARCH_QUERY_MAX = 512;
    static final int SEARCH_PAGE = 30;
    static final int SEARCH_MAX_PAGES = 10;

    private final FreshdeskClient client;
    private final FreshdeskTicketMapper mapper;
    private final Clock clock;
    private final String initialSince;
    private final Duration overlap;
    private final int pagesPerWindow;
    private final String correlationMode;
    private final String correlationSearchName;
    private final Optional<Secret> webhookSecret;
    private final String webhookHeader;
    private final String resolutionNote;

    FreshdeskConnector(FreshdeskClient client, FreshdeskTicketMapper mapper, ConnectorConfig config, Clock clock) {
        this.client = client;
        this.mapper = mapper;
        this.clock = clock;
        this.initialSince = config.getString(INITIAL_SINCE);
        this.overlap = config.getDuration(READ_OVERLAP);
        this.pagesPerWindow = config.getInt(PAGES_PER_WINDOW);
        this.correlationMode = config.getString(CORRELATION_MODE);
        this.correlationSearchName = config.findString(CORRELATION_SEARCH_NAME)
                .orElse(config.getString(CORRELATION_FIELD).substring("cf_".length()));
        this.webhookSecret = config.findSecret(WEBHOOK_SECRET);
        this.webhookHeader = config.getString(WEBHOOK_HEADER);
        this.resolutionNote = config.getString(RESOLUTION_NOTE);
    }

    @Override
    public List<ConfigProblem> checkConnection() {
        try {
            client.me();
            return List.of();
        } catch (AuthenticationException e) {
            return List.of(new ConfigProblem(API_KEY, "Freshdesk refused the API key or the agent lacks permission: "
                    + e.getMessage()));
        } catch (TlsTrust.UntrustedCertificateException e) {
            return List.of(new ConfigProblem(e.key(), e.getMessage()));
        } catch (RetriableException e) {
            return List.of(new ConfigProblem(BASE_URL, "Freshdesk could not be reached: " + e.getMessage()));
        } catch (RuntimeException e) {
            return List.of(new ConfigProblem(BASE_URL, "does not answer like a Freshdesk helpdesk (API v2): "
                    + e.getMessage()));
        }
    }

    // --- TicketSource

    /** updated_at has whole seconds: a start between two seconds means the later one. */
    @Override
    public Optional<Instant> firstReadStart(Instant since, Instant now) {
        Instant start = since != null ? since : FreshdeskConnectorConfig.resolveSince(initialSince, now);
        return Optional.of(Instants.ceil(start, ChronoUnit.SECONDS));
    }

    @Override
    public Page<Ticket> readChanges(ReadRequest request) {
        Filter filter = Filter.of(request.filter());
        FreshdeskCursor at = request.cursor() == null
                ? FreshdeskCursor.start(firstReadStart(request.since(), clock.instant()).orElseThrow())
                : FreshdeskCursor.decode(request.cursor());
        int perPage = Math.min(request.pageSize(), 100);
        FreshdeskClient.PageOf<FreshdeskTicket> page = client.listTickets(at.sinceInstant(), at.page(), perPage,
                List.of("description"), filter.companyId());

        List<Ticket> items = new ArrayList<>();
        List<RejectedRecord> rejected = new ArrayList<>(page.rejected());
        Map<String, String> seen = new LinkedHashMap<>(at.seen());
        Instant max = at.max() == null ? null : Instant.parse(at.max());
        for (FreshdeskTicket t : page.items()) {
            String id = t.id().toString();
            Instant updated = FreshdeskTicketMapper.instant(t.updatedAt());
            if (max == null || updated.isAfter(max)) {
                max = updated;
            }
            String version = FreshdeskClient.iso(updated);
            if (version.equals(seen.get(id))) {
                continue; // already returned from the overlap of the previous window
            }
            seen.put(id, version);
            if (filter.accepts(t)) {
                try {
                    items.add(mapper.toTicket(t));
                } catch (DataMappingException | IllegalArgumentException | java.time.DateTimeException e) {
                    rejected.add(RejectedRecord.of(id, e.getMessage(), JsonCodec.write(t)));
                }
            }
        }
        return new Page<>(items, next(at, page.hasNext(), max, seen).encode(), page.hasNext(), rejected);
    }

    /**
     * Where to read next: the next page of this window, or a new window from the newest change read.
     * Only tickets inside the overlap before the newest change can come back with the same
     * updated_at (pages are in updated_at order), so only they are remembered.
     */
    private FreshdeskCursor next(FreshdeskCursor at, boolean hasNext, Instant max, Map<String, String> seen) {
        String maxText = max == null ? null : FreshdeskClient.iso(max);
        Instant since = at.sinceInstant();
        Instant newSince = max == null ? since : max.minus(overlap);
        if (newSince.isBefore(since)) {
            newSince = since;
        }
        Instant keepFrom = newSince;
        Map<String, String> kept = new LinkedHashMap<>();
        seen.forEach((id, updated) -> {
            if (!Instant.parse(updated).isBefore(keepFrom)) {
                kept.put(id, updated);
            }
        });
        boolean stuck = !newSince.isAfter(since); // a whole page inside the overlap: paging is the only way on
        if (hasNext && (at.page() < pagesPerWindow || stuck)) {
            return new FreshdeskCursor(at.since(), at.page() + 1, maxText, kept);
        }
        // After the last page the next read comes in a later cycle: it must see again what changed
        // within the newest second after this read, so nothing is remembered for it (the hub
        // recognises a ticket it already synced; a lost update could never be recovered).
        return new FreshdeskCursor(FreshdeskClient.iso(newSince), 1, maxText, hasNext ? kept : Map.of());
    }

    @Override
    public Optional<Ticket> fetch(String id) {
        return client.getTicket(ticketId(id), true).map(mapper::toTicket);
    }

    @Override
    public List<Comment> comments(String ticketId) {
        long id = ticketId(ticketId);
        List<Comment> all = new ArrayList<>();
        for (int page = 1; page <= MAX_CONVERSATION_PAGES; page++) {
            FreshdeskClient.PageOf<FreshdeskConversation> p = client.listConversations(id, page);
            p.items().forEach(c -> all.add(mapper.toComment(c)));
            if (!p.hasNext()) {
                break;
            }
        }
        all.sort(Comparator.comparing(Comment::createdAt));
        return all;
    }

    // --- TicketSink

    @Override
    public ExternalRef create(Ticket ticket, String correlationId) {
        checkCorrelationId(correlationId);
        FreshdeskTicket created = client.createTicket(mapper.toCreate(ticket, correlationId));
        return mapper.ref(created.id().toString());
    }

    @Override
    public void update(String id, Ticket ticket, Set<TicketField> fields) {
        if (fields.isEmpty()) {
            return;
        }
        client.updateTicket(ticketId(id), mapper.toUpdate(ticket, fields));
    }

    /** The create body carries {@code status}, so a new twin needs no second write. */
    @Override
    public Set<TicketStatus> statusesOnCreate() {
        return mapper.statusesOnCreate();
    }

    @Override
    public void changeStatus(String id, TicketStatus status, String note) {
        changeStatus(id, status, note, null);
    }

    /**
     * Freshdesk keeps no reason with a status, so the hub's note goes in as a private note before the
     * status; the resolution note as {@value FreshdeskConnectorConfig#RESOLUTION_NOTE} says (with
     * {@code private-note} inside the hub's note: one write, not two).
     */
    @Override
    public void changeStatus(String id, TicketStatus status, String note, String resolution) {
        long ticketId = ticketId(id);
        String privateText = note;
        if (resolution != null && !resolution.isBlank()) {
            switch (resolutionNote) {
                case NOTE_REPLY -> client.reply(ticketId, FreshdeskHtml.toHtml(resolution));
                case NOTE_PUBLIC -> client.publicNote(ticketId, FreshdeskHtml.toHtml(resolution));
                case NOTE_PRIVATE -> privateText = note == null ? resolution : resolution + "\n\n" + note;
                default -> { } // none
            }
        }
        if (privateText != null && !privateText.isBlank()) {
            client.privateNote(ticketId, FreshdeskHtml.toHtml(privateText));
        }
        client.updateTicket(ticketId, FreshdeskTicketWrite.empty().withStatus(mapper.statusCode(status)));
    }

    /** The status code written, as {@link FreshdeskTicketMapper#toTicket} reads it into {@code vendorStatus}. */
    @Override
    public Optional<String> vendorStatusFor(TicketStatus status) {
        return Optional.of(Integer.toString(mapper.statusCode(status)));
    }

    /**
     * A public comment becomes a reply (sent to the requester), an internal one a private note. The
     * API key's agent is the Freshdesk author, so another system's author is named in the first line.
     */
    @Override
    public ExternalRef addComment(String ticketId, Comment comment) {
        long id = ticketId(ticketId);
        String body = FreshdeskHtml.toHtml(comment.body());
        if (comment.author() != null) {
            body = "<p>" + FreshdeskHtml.escape(comment.author().label()) + " wrote:</p>" + body;
        }
        FreshdeskConversation written = comment.visibility() == Visibility.INTERNAL
                ? client.privateNote(id, body)
                : client.reply(id, body);
        return new ExternalRef(FreshdeskTicketMapper.SYSTEM, mapper.ref(ticketId).connection(), written.id().toString(),
                mapper.ref(ticketId).url());
    }

    /**
     * Freshdesk's filter query: {@code "<field>:'<id>'"} in field mode (custom fields are named without
     * their {@code cf_} prefix there) or {@code "tag:'itsmhub:<id>'"} in tag mode. The id is validated,
     * not escaped: the query language has no escape for quotes. Search is eventually consistent, so a
     * ticket created seconds ago may not be found yet.
     */
    @Override
    public Optional<Ticket> findByCorrelationId(String correlationId) {
        checkCorrelationId(correlationId);
        FreshdeskSearchResult result = client.searchTickets(correlationTerm(correlationId), 1);
        return result.results().stream()
                .filter(t -> t.id() != null)
                .map(mapper::toTicket)
                .filter(t -> correlationId.equals(t.correlationId()))
                .min(Comparator.comparing(t -> Long.parseLong(t.ref().id())));
    }

    /**
     * The ids' terms joined with {@code OR} into as few filter queries as Freshdesk's
     * {@value #SEARCH_QUERY_MAX}-character limit allows (about 15 hub ids per query), each query's
     * pages followed ({@value #SEARCH_PAGE} results a page, pages 1 to {@value #SEARCH_MAX_PAGES}).
     * The lowest ticket id (the first created) is the twin.
     */
    @Override
    public Map<String, Ticket> findByCorrelationIds(Collection<String> correlationIds) {
        Set<String> wanted = new LinkedHashSet<>();
        for (String id : correlationIds) {
            checkCorrelationId(id);
            wanted.add(id);
        }
        Map<String, Ticket> found = new HashMap<>();
        StringBuilder query = new StringBuilder();
        for (String id : wanted) {
            String term = correlationTerm(id);
            // the limit counts the query as sent, double quotes included
            if (query.length() > 0 && query.length() + " OR ".length() + term.length() + 2 > SEARCH_QUERY_MAX) {
                searchTwins(query.toString(), wanted, found);
                query.setLength(0);
            }
            query.append(query.length() == 0 ? "" : " OR ").append(term);
        }
        if (query.length() > 0) {
            searchTwins(query.toString(), wanted, found);
        }
        Map<String, Ticket> inOrder = new LinkedHashMap<>();
        for (String id : wanted) {
            if (found.containsKey(id)) {
                inOrder.put(id, found.get(id));
            }
        }
        return inOrder;
    }

    private void searchTwins(String query, Set<String> wanted, Map<String, Ticket> found) {
        for (int page = 1; page <= SEARCH_MAX_PAGES; page++) {
            FreshdeskSearchResult result = client.searchTickets(query, page);
            for (FreshdeskTicket t : result.results()) {
                if (t.id() == null) {
                    continue;
                }
                Ticket ticket = mapper.toTicket(t);
                String id = ticket.correlationId();
                if (id != null && wanted.contains(id)) {
                    found.merge(id, ticket, (a, b) -> Long.parseLong(a.ref().id()) <= Long.parseLong(b.ref().id()) ? a : b);
                }
            }
            if (result.results().isEmpty() || result.total() == null || page * SEARCH_PAGE >= result.total()) {
                return;
            }
        }
        throw new DataMappingException("Freshdesk search for twins found more than " + SEARCH_PAGE * SEARCH_MAX_PAGES
                + " tickets, more than Freshdesk lets a search page through: '" + query + "'");
    }

    /** {@code tag:'itsmhub:<id>'} or {@code <field>:'<id>'}; the id is validated, not escaped. */
    private String correlationTerm(String correlationId) {
        return MODE_TAG.equals(correlationMode)
                ? "tag:'" + FreshdeskTicketMapper.CORRELATION_TAG_PREFIX + correlationId + "'"
                : correlationSearchName + ":'" + correlationId + "'";
    }

    // --- WebhookParser

    @Override
    public void verify(WebhookRequest request) {
        if (webhookSecret.isEmpty() || webhookSecret.get().isEmpty()) {
            throw new AuthenticationException("Freshdesk webhook refused: " + WEBHOOK_SECRET + " is not configured");
        }
        Optional<String> sent = request.header(webhookHeader);
        if (sent.isEmpty()) {
            throw new AuthenticationException("Freshdesk webhook refused: no " + webhookHeader + " header");
        }
        if (!MessageDigest.isEqual(sha256(sent.get()), sha256(webhookSecret.get().reveal()))) {
            throw new AuthenticationException("Freshdesk webhook refused: the " + webhookHeader + " header is wrong");
        }
    }

    /**
     * The body an admin configures on the automation rule, e.g.
     * {@code {"ticket_id": {{ticket.id}}, "event": "ticket_updated", "updated_at": "{{ticket.updated_at}}"}}.
     */
    @Override
    public List<ChangeHint> parse(WebhookRequest request) {
        JsonNode root = JsonCodec.readTree(request.bodyAsString(), "Freshdesk webhook body");
        if (root != null && root.has("freshdesk_webhook")) {
            root = root.get("freshdesk_webhook");
        }
        if (root == null || !root.isObject()) {
            throw new DataMappingException("Freshdesk webhook body must be a JSON object with ticket_id");
        }
        JsonNode idNode = root.get("ticket_id");
        String id = idNode == null || idNode.isNull() ? null : idNode.asText().trim();
        if (id != null && id.startsWith("#")) {
            id = id.substring(1);
        }
        if (id == null || !NUMERIC_ID.matcher(id).matches()) {
            throw new DataMappingException("Freshdesk webhook body needs a numeric ticket_id, was " + idNode);
        }
        String event = textOf(root, "event");
        Instant occurredAt = null;
        String at = textOf(root, "updated_at");
        if (at != null) {
            try {
                occurredAt = FreshdeskTicketMapper.instant(at);
            } catch (DataMappingException unreadable) {
                occurredAt = null; // a hint needs no time; Freshdesk placeholders render dates in the account's format
            }
        }
        return List.of(new ChangeHint(ChangeHint.Kind.TICKET, id, event, occurredAt));
    }

    @Override
    public void close() {
        // the HTTP client is shared by the plugin; nothing per connection to release
    }

    // --- helpers

    private static String textOf(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() || v.asText().isBlank() ? null : v.asText();
    }

    private static long ticketId(String id) {
        if (id == null || !NUMERIC_ID.matcher(id).matches()) {
            throw new DataMappingException("Freshdesk ticket ids are numbers, was '" + id + "'");
        }
        return Long.parseLong(id);
    }

    private static void checkCorrelationId(String correlationId) {
        if (correlationId == null || !SAFE_CORRELATION_ID.matcher(correlationId).matches()) {
            throw new DataMappingException("Freshdesk correlation ids may hold only letters, digits and . _ : - "
                    + "(1 to 100 characters), was '" + correlationId + "'");
        }
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new ConnectorException("SHA-256 is not available", e);
        }
    }

    /** The filters a sync may pass; values that would reach the wire are validated. */
    record Filter(Long companyId, Long groupId, String tag) {

        static Filter of(Map<String, String> raw) {
            Long company = null;
            Long group = null;
            String tag = null;
            for (Map.Entry<String, String> e : raw.entrySet()) {
                switch (e.getKey()) {
                    case FILTER_COMPANY_ID -> company = number(e.getKey(), e.getValue());
                    case FILTER_GROUP_ID -> group = number(e.getKey(), e.getValue());
                    case FILTER_TAG -> tag = e.getValue();
                    default -> throw new IllegalArgumentException("Freshdesk knows the filters " + FILTER_COMPANY_ID
                            + ", " + FILTER_GROUP_ID + " and " + FILTER_TAG + ", not '" + e.getKey() + "'");
                }
            }
            return new Filter(company, group, tag);
        }

        /** company.id is applied by Freshdesk ({@code company_id}); group.id and tag here, on each page. */
        boolean accepts(FreshdeskTicket t) {
            return (companyId == null || companyId.equals(t.companyId()))
                    && (groupId == null || groupId.equals(t.groupId()))
                    && (tag == null || (t.tags() != null && t.tags().contains(tag)));
        }

        private static Long number(String key, String value) {
            if (value == null || !NUMERIC_ID.matcher(value.trim()).matches()) {
                throw new IllegalArgumentException("Freshdesk filter " + key + " must be a numeric id, was '" + value + "'");
            }
            return Long.parseLong(value.trim());
        }
    }
}
