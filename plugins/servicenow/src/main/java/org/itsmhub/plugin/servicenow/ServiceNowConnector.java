package org.itsmhub.plugin.servicenow;

import static org.itsmhub.plugin.servicenow.ServiceNowConnectorConfig.*;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.apache.camel.CamelContext;
import org.itsmhub.api.config.ConfigProblem;
import org.itsmhub.api.config.ConnectorConfig;
import org.itsmhub.api.config.Secret;
import org.itsmhub.api.connector.AssetSink;
import org.itsmhub.api.connector.ChangeHint;
import org.itsmhub.api.connector.Connector;
import org.itsmhub.api.connector.ConnectorContext;
import org.itsmhub.api.connector.Page;
import org.itsmhub.api.connector.ReadRequest;
import org.itsmhub.api.connector.TicketSink;
import org.itsmhub.api.connector.TicketSource;
import org.itsmhub.api.connector.WebhookParser;
import org.itsmhub.api.connector.WebhookRequest;
import org.itsmhub.api.error.AuthenticationException;
import org.itsmhub.api.error.ConnectorException;
import org.itsmhub.api.error.DataMappingException;
import org.itsmhub.api.model.Comment;
import org.itsmhub.api.model.ExternalRef;
import org.itsmhub.api.model.Ticket;
import org.itsmhub.api.model.TicketField;
import org.itsmhub.api.model.TicketStatus;
import org.itsmhub.plugin.servicenow.dto.IncidentRecord;
import org.itsmhub.plugin.servicenow.dto.JournalEntry;
import org.itsmhub.plugin.servicenow.dto.WebhookPayload;
import org.itsmhub.plugin.support.http.AuthInterceptors;
import org.itsmhub.plugin.support.http.HttpExecutor;
import org.itsmhub.plugin.support.http.HttpTimeouts;
import org.itsmhub.plugin.support.http.RateLimitInterceptor;
import org.itsmhub.plugin.support.http.TlsTrust;
import org.itsmhub.plugin.support.http.VendorHttpClients;
import org.itsmhub.plugin.support.json.JsonCodec;
import org.itsmhub.plugin.support.json.JsonRecords;
import org.itsmhub.plugin.support.time.Instants;

import com.fasterxml.jackson.databind.JsonNode;

import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;

/**
 * One ServiceNow connection: incidents (or another task table) as ticket source and sink, comments
 * and work notes, the inbound webhook of an outbound REST message, and the CMDB as an asset sink
 * ({@link #capability(Class)} hands out a {@link ServiceNowAssetSink}).
 *
 * <p>Read filters ({@link ReadRequest#filter()}): {@code assignment.group} and {@code company}, each a
 * sys_id; they override {@code filter.assignment.group} / {@code filter.company}.
 */
public final class ServiceNowConnector implements Connector, TicketSource, TicketSink, WebhookParser {

    /** Read filter keys a sync may pass. */
    public static final String FILTER_GROUP = "assignment.group";
    public static final String FILTER_COMPANY_ID = "company";

    private static final int JOURNAL_PAGE = 100;
    private static final int MAX_PAGES = 1000;
    /**
     * Ids per twin lookup, in characters: 100 ids of about 45 characters in one call, while the URL
     * (values percent-encoded) stays under the 8 KB request line common to servers and proxies.
     */
    static final int LOOKUP_QUERY_CHARS = 5000;

    private final ConnectorConfig config;
    private final Clock clock;
    private final ServiceNowTicketMapper mapper;
    private final ServiceNowClient client;
    private final boolean oauth;
    private final ServiceNowAssetSink assets;

    ServiceNowConnector(ConnectorContext context) {
        this.config = context.config();
        this.clock = context.clock();
        this.mapper = new ServiceNowTicketMapper(context.connection(), config);
        this.oauth = config.has(OAUTH_CLIENT_ID);
        ServiceNowErrorClassifier classifier = new ServiceNowErrorClassifier(clock);
        HttpTimeouts.Values timeouts = HttpTimeouts.of(config);
        RateLimitInterceptor rateLimit = RateLimitInterceptor.builder("servicenow/" + context.tenant() + "/"
                + context.connection())
                .resetParser(classifier::retryAfter)
                .maxWait(timeouts.call().dividedBy(3))
                .clock(clock)
                .build();
        HttpUrl instance = HttpUrl.get(config.getUrl(INSTANCE_URL).toString());
        String user = config.getString(AUTH_USER);
        Secret password = config.getSecret(AUTH_PASSWORD);
        Interceptor auth;
        if (oauth) {
            OkHttpClient tokenClient = VendorHttpClients.forConnection("servicenow", null, rateLimit, timeouts);
            HttpUrl tokenUrl = config.has(OAUTH_TOKEN_URL) ? HttpUrl.get(config.getUrl(OAUTH_TOKEN_URL).toString())
                    : instance.newBuilder().addPathSegment("oauth_token.do").build();
            ServiceNowOAuth tokens = new ServiceNowOAuth(new HttpExecutor(tokenClient, classifier), tokenUrl,
                    config.getString(OAUTH_CLIENT_ID), config.getSecret(OAUTH_CLIENT_SECRET), user, password, clock);
            auth = AuthInterceptors.bearer(context, tokens::token);
        } else {
            auth = AuthInterceptors.basic(context, user, password);
        }
        OkHttpClient http = VendorHttpClients.forConnection("servicenow", auth, rateLimit, timeouts);
        CamelTableApi.Factory camel = context.hostService(CamelContext.class)
                .<CamelTableApi.Factory>map(c -> probe -> new CamelTableApi(c, config, classifier, rateLimit, clock, probe))
                .orElse(null);
        this.client = new ServiceNowClient(instance, config.getString(TABLE), new HttpExecutor(http, classifier), camel);
        this.assets = new ServiceNowAssetSink(client, new ServiceNowAssetMapper(context.connection(), config),
                "ire".equals(config.getString(CMDB_API)), clock);
    }

    /** Also the CMDB: {@link AssetSink} comes as a separate object (see {@link ServiceNowAssetSink}). */
    @Override
    public <T> Optional<T> capability(Class<T> type) {
        if (type == AssetSink.class) {
            return Optional.of(type.cast(assets));
        }
        return Connector.super.capability(type);
    }

    // ---- Connector

    @Override
    public List<ConfigProblem> checkConnection() {
        try {
            client.ping();
            return List.of();
        } catch (AuthenticationException e) {
            if (e.getMessage() != null && e.getMessage().contains("HTTP 403")) {
                return List.of(new ConfigProblem(AUTH_USER, "the user may not read table '" + config.getString(TABLE)
                        + "' (give it the itil role or a read ACL): " + e.getMessage()));
            }
            String key = oauth && e.getMessage() != null && e.getMessage().contains("OAuth") ? OAUTH_CLIENT_SECRET
                    : AUTH_PASSWORD;
            return List.of(new ConfigProblem(key, "ServiceNow refused the credentials: " + e.getMessage()));
        } catch (TlsTrust.UntrustedCertificateException e) {
            return List.of(new ConfigProblem(e.key(), e.getMessage()));
        } catch (ConnectorException e) {
            if (e.isRetriable() && !(e.getMessage() != null && e.getMessage().contains("HTTP "))) {
                return List.of(new ConfigProblem(INSTANCE_URL, "cannot reach the instance: " + e.getMessage()));
            }
            if (e instanceof DataMappingException && e.getMessage() != null && e.getMessage().contains("HTTP 400")) {
                return List.of(new ConfigProblem(TABLE, "ServiceNow rejected the table: " + e.getMessage()));
            }
            return List.of(new ConfigProblem(INSTANCE_URL, "not a working ServiceNow Table API: " + e.getMessage()));
        } catch (RuntimeException e) {
            return List.of(new ConfigProblem(INSTANCE_URL, "connection check failed: " + e.getClass().getSimpleName()));
        }
    }

    // ---- TicketSource

    /** sys_updated_on has whole seconds: a start between two seconds means the later one. */
    @Override
    public Optional<Instant> firstReadStart(Instant since, Instant now) {
        Instant start = since != null ? since : now.minus(config.getDuration(INITIAL_LOOKBACK));
        return Optional.of(Instants.ceil(start, ChronoUnit.SECONDS));
    }

    @Override
    public Page<Ticket> readChanges(ReadRequest request) {
        ServiceNowCursor from = request.cursor() == null
                ? new ServiceNowCursor(firstReadStart(request.since(), clock.instant()).orElseThrow(), Set.of())
                : ServiceNowCursor.decode(request.cursor());
        ServiceNowQuery query = ServiceNowQuery.where().updatedAtOrAfter(from.since());
        String group = filter(request, FILTER_GROUP, FILTER_ASSIGNMENT_GROUP);
        if (group != null) {
            query.sysIdEquals("assignment_group", group);
        }
        String company = filter(request, FILTER_COMPANY_ID, FILTER_COMPANY);
        if (company != null) {
            query.sysIdEquals("company", company);
        }
        query.orderBy("sys_updated_on").orderBy("sys_id");
        int limit = Math.min(request.pageSize(), config.getInt(PAGE_SIZE));

        // Records already read at the cursor's second are asked for again and skipped by id, not
        // skipped by offset: one of them may have changed since and moved to the end of the list,
        // and an offset would then skip an unrelated record instead.
        ServiceNowClient.TablePage page = client.listIncidents(query.build(), limit + from.idsAtSince().size(), 0);

        Instant newest = from.since();
        Set<String> idsAtNewest = new HashSet<>(from.idsAtSince());
        List<Ticket> tickets = new ArrayList<>();
        JsonRecords.Decoded<Ticket> decoded = JsonRecords.each(JsonCodec.mapper().createArrayNode()
                .addAll(page.records()), "sys_id", node -> {
                    Ticket ticket = mapper.toTicket(IncidentRecord.of(node));
                    if (ticket.updatedAt() == null) {
                        throw new DataMappingException("ServiceNow record " + ticket.ref().id() + " has no sys_updated_on");
                    }
                    return ticket;
                });
        for (Ticket ticket : decoded.items()) {
            Instant updated = ticket.updatedAt();
            String id = ticket.ref().id();
            if (updated.equals(from.since()) && from.idsAtSince().contains(id)) {
                continue; // returned by the previous page or read already
            }
            if (updated.isAfter(newest)) {
                newest = updated;
                idsAtNewest = new HashSet<>();
            }
            if (updated.equals(newest)) {
                idsAtNewest.add(id);
            }
            tickets.add(ticket);
        }
        // after the last page the next read comes in a later cycle and must see again what changed
        // within the newest second after this read: nothing is remembered for it (the hub
        // recognises a ticket it already synced; a lost update could never be recovered)
        return new Page<>(tickets, new ServiceNowCursor(newest, page.hasNext() ? idsAtNewest : Set.of()).encode(),
                page.hasNext(), decoded.rejected());
    }

    @Override
    public Optional<Ticket> fetch(String id) {
        return client.getIncident(id).map(n -> mapper.toTicket(IncidentRecord.of(n)));
    }

    @Override
    public List<Comment> comments(String ticketId) {
        String query = ServiceNowQuery.where().sysIdEquals("element_id", ticketId).journalElements()
                .orderBy("sys_created_on").orderBy("sys_id").build();
        List<Comment> comments = new ArrayList<>();
        for (int page = 0; page < MAX_PAGES; page++) {
            ServiceNowClient.TablePage p = client.listJournal(query, JOURNAL_PAGE, page * JOURNAL_PAGE);
            p.records().forEach(n -> comments.add(mapper.toComment(JournalEntry.of(n))));
            if (!p.hasNext() || p.records().isEmpty()) {
                return comments;
            }
        }
        throw new DataMappingException("ServiceNow ticket " + ticketId + " has more journal pages than " + MAX_PAGES);
    }

    // ---- TicketSink

    @Override
    public ExternalRef create(Ticket ticket, String correlationId) {
        IncidentRecord created = IncidentRecord.of(client.createIncident(mapper.createBody(ticket, correlationId)));
        if (created.sysId() == null) {
            throw new DataMappingException("ServiceNow created a record but returned no sys_id");
        }
        return mapper.ref(created.sysId());
    }

    @Override
    public void update(String id, Ticket ticket, Set<TicketField> fields) {
        Map<String, Object> body = mapper.updateBody(ticket, fields);
        if (!body.isEmpty()) {
            client.updateIncident(id, body);
        }
    }

    /** The create body carries the state (and close fields), so a new twin needs no second write. */
    @Override
    public Set<TicketStatus> statusesOnCreate() {
        return mapper.statusesOnCreate();
    }

    @Override
    public void changeStatus(String id, TicketStatus status, String note) {
        client.updateIncident(id, mapper.statusBody(status, note));
    }

    /** The other system's resolution note becomes the close notes, where ServiceNow shows a resolution. */
    @Override
    public void changeStatus(String id, TicketStatus status, String note, String resolutionNote) {
        changeStatus(id, status, resolutionNote != null && !resolutionNote.isBlank() ? resolutionNote : note);
    }

    @Override
    public Optional<String> vendorStatusFor(TicketStatus status) {
        return mapper.stateFor(status);
    }

    @Override
    public ExternalRef addComment(String ticketId, Comment comment) {
        String field = ServiceNowTicketMapper.journalField(comment);
        String text = mapper.commentText(comment);
        IncidentRecord updated = IncidentRecord.of(client.updateIncident(ticketId, Map.of(field, text)));
        // PATCH does not say which journal entry it made: find ours among the newest of that field.
        String query = ServiceNowQuery.where().sysIdEquals("element_id", ticketId).valueEquals("element", field)
                .orderByDesc("sys_created_on").build();
        String connection = mapper.ref(ticketId).connection();
        try {
            for (JsonNode n : client.listJournal(query, 5, 0).records()) {
                JournalEntry entry = JournalEntry.of(n);
                if (text.equals(entry.value()) && entry.sysId() != null) {
                    return ExternalRef.of(ServiceNowTicketMapper.SYSTEM, connection, entry.sysId());
                }
            }
        } catch (ConnectorException e) {
            if (e.isRetriable()) {
                throw e;
            }
            // no read access to sys_journal_field: the comment is written, so do not fail (a replay would
            // write it twice); fall back to a reference to the write itself
        }
        return ExternalRef.of(ServiceNowTicketMapper.SYSTEM, connection, ticketId + "/" + field + "/"
                + (updated.sysUpdatedOn() == null ? "unknown" : updated.sysUpdatedOn().replace(' ', 'T')));
    }

    @Override
    public Optional<Ticket> findByCorrelationId(String correlationId) {
        String query = ServiceNowQuery.where().valueEquals("correlation_id", correlationId)
                .orderBy("sys_created_on").build();
        return client.findIncidents(query, 1).stream().findFirst().map(n -> mapper.toTicket(IncidentRecord.of(n)));
    }

    /**
     * One {@code correlation_idIN<id>,<id>,...} query per up to {@value #LOOKUP_QUERY_CHARS} characters of
     * ids, oldest first, following the {@code Link} header. {@code IN} splits its values at commas and
     * has no escape, so an id holding a comma is looked up on its own with {@code correlation_id=}.
     */
    @Override
    public Map<String, Ticket> findByCorrelationIds(Collection<String> correlationIds) {
        Set<String> wanted = new LinkedHashSet<>();
        for (String id : correlationIds) {
            wanted.add(ServiceNowQuery.requireLiteral("correlation id", id));
        }
        Map<String, Ticket> found = new LinkedHashMap<>();
        List<String> chunk = new ArrayList<>();
        int chars = 0;
        for (String id : wanted) {
            if (id.indexOf(',') >= 0) {
                findByCorrelationId(id).ifPresent(t -> found.put(id, t));
                continue;
            }
            if (!chunk.isEmpty() && chars + id.length() + 1 > LOOKUP_QUERY_CHARS) {
                findTwins(chunk, wanted, found);
                chunk = new ArrayList<>();
                chars = 0;
            }
            chunk.add(id);
            chars += id.length() + 1;
        }
        if (!chunk.isEmpty()) {
            findTwins(chunk, wanted, found);
        }
        Map<String, Ticket> inOrder = new LinkedHashMap<>();
        wanted.forEach(id -> {
            if (found.containsKey(id)) {
                inOrder.put(id, found.get(id));
            }
        });
        return inOrder;
    }

    private void findTwins(List<String> ids, Set<String> wanted, Map<String, Ticket> found) {
        String query = ServiceNowQuery.where().valueIn("correlation_id", ids)
                .orderBy("sys_created_on").orderBy("sys_id").build();
        int limit = Math.max(config.getInt(PAGE_SIZE), Math.min(ids.size(), 1000));
        for (int page = 0; page < MAX_PAGES; page++) {
            ServiceNowClient.TablePage p = client.listIncidents(query, limit, page * limit);
            for (JsonNode n : p.records()) {
                Ticket t = mapper.toTicket(IncidentRecord.of(n));
                // oldest first: a later record with the same id is a duplicate, not the twin
                if (t.correlationId() != null && wanted.contains(t.correlationId())) {
                    found.putIfAbsent(t.correlationId(), t);
                }
            }
            if (!p.hasNext() || p.records().isEmpty()) {
                return;
            }
        }
        throw new DataMappingException("ServiceNow twin lookup has more pages than " + MAX_PAGES);
    }

    // ---- WebhookParser

    @Override
    public void verify(WebhookRequest request) {
        Optional<Secret> secret = config.findSecret(WEBHOOK_SECRET);
        if (secret.isPresent()) {
            String header = config.getString(WEBHOOK_SECRET_HEADER);
            if (!constantTimeEquals(request.header(header).orElse(""), secret.get().reveal())) {
                throw new AuthenticationException("ServiceNow webhook: missing or wrong " + header + " header");
            }
            return;
        }
        if (config.has(WEBHOOK_USER)) {
            String[] given = basicCredentials(request);
            boolean userOk = constantTimeEquals(given[0], config.getString(WEBHOOK_USER));
            boolean passwordOk = constantTimeEquals(given[1], config.getSecret(WEBHOOK_PASSWORD).reveal());
            if (!(userOk & passwordOk)) {
                throw new AuthenticationException("ServiceNow webhook: missing or wrong basic credentials");
            }
            return;
        }
        throw new AuthenticationException("ServiceNow webhook: no webhook authentication is configured "
                + "(set webhook.secret or webhook.user and webhook.password)");
    }

    @Override
    public List<ChangeHint> parse(WebhookRequest request) {
        WebhookPayload payload = JsonCodec.read(new ByteArrayInputStream(request.body()), WebhookPayload.class,
                "ServiceNow webhook body");
        if (payload.table() != null && !payload.table().equals(config.getString(TABLE))) {
            return List.of(); // a business rule on another table: not ours
        }
        if (!ServiceNowQuery.isSysId(payload.sysId())) {
            throw new DataMappingException("ServiceNow webhook body has no valid sys_id: '" + payload.sysId() + "'");
        }
        Instant occurred = null;
        if (payload.sysUpdatedOn() != null && !payload.sysUpdatedOn().isBlank()) {
            occurred = ServiceNowTicketMapper.timestamp(payload.sysUpdatedOn());
        }
        return List.of(new ChangeHint(ChangeHint.Kind.TICKET, payload.sysId(), payload.operation(), occurred));
    }

    @Override
    public void close() {
        try {
            client.close();
        } catch (RuntimeException e) {
            // closing must not throw; nothing useful to do
        }
    }

    private String filter(ReadRequest request, String filterKey, String configKey) {
        for (String key : request.filter().keySet()) {
            if (!key.equals(FILTER_GROUP) && !key.equals(FILTER_COMPANY_ID)) {
                throw new IllegalArgumentException("unknown ServiceNow read filter '" + key + "' (known: "
                        + FILTER_GROUP + ", " + FILTER_COMPANY_ID + ")");
            }
        }
        String value = request.filter().get(filterKey);
        if (value == null) {
            return config.findString(configKey).orElse(null);
        }
        return ServiceNowQuery.requireSysId(filterKey, value);
    }

    private static String[] basicCredentials(WebhookRequest request) {
        String auth = request.header("Authorization").orElse("");
        if (auth.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String decoded = new String(Base64.getDecoder().decode(auth.substring(6).trim()), StandardCharsets.UTF_8);
                int colon = decoded.indexOf(':');
                if (colon >= 0) {
                    return new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)};
                }
            } catch (IllegalArgumentException notBase64) {
                // treated as no credentials
            }
        }
        return new String[] {"", ""};
    }

    private static boolean constantTimeEquals(String given, String expected) {
        return MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8));
    }
}
