package org.itsmhub.plugin.jira;

import static org.itsmhub.plugin.jira.JiraConnectorConfig.*;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.itsmhub.api.config.ConfigProblem;
import org.itsmhub.api.config.ConnectorConfig;
import org.itsmhub.api.config.Secret;
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
import org.itsmhub.api.error.RetriableException;
import org.itsmhub.api.model.Comment;
import org.itsmhub.api.model.ExternalRef;
import org.itsmhub.api.model.Ticket;
import org.itsmhub.api.model.TicketField;
import org.itsmhub.api.model.TicketStatus;
import org.itsmhub.plugin.jira.dto.CommentPage;
import org.itsmhub.plugin.jira.dto.CreateRequest;
import org.itsmhub.plugin.jira.dto.CreatedComment;
import org.itsmhub.plugin.jira.dto.CreatedRequest;
import org.itsmhub.plugin.jira.dto.Issue;
import org.itsmhub.plugin.jira.dto.IssueComment;
import org.itsmhub.plugin.jira.dto.IssueUpdate;
import org.itsmhub.plugin.jira.dto.NamedRef;
import org.itsmhub.plugin.jira.dto.RequestComment;
import org.itsmhub.plugin.jira.dto.SearchRequest;
import org.itsmhub.plugin.jira.dto.SearchResponse;
import org.itsmhub.plugin.jira.dto.Transition;
import org.itsmhub.plugin.jira.dto.TransitionField;
import org.itsmhub.plugin.jira.dto.TransitionRequest;
import org.itsmhub.plugin.jira.dto.User;
import org.itsmhub.plugin.support.http.AuthInterceptors;
import org.itsmhub.plugin.support.http.HttpExecutor;
import org.itsmhub.plugin.support.http.HttpTimeouts;
import org.itsmhub.plugin.support.http.RateLimitInterceptor;
import org.itsmhub.plugin.support.http.TlsTrust;
import org.itsmhub.plugin.support.http.VendorHttpClients;
import org.itsmhub.plugin.support.json.JsonCodec;
import org.itsmhub.plugin.support.json.JsonRecords;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

import okhttp3.Interceptor;

/**
 * One Jira Service Management connection: reads issues incrementally through JQL search, raises
 * JSM requests, updates fields, moves status through workflow transitions, reads and writes public
 * and internal comments, and understands Jira's signed webhooks.
 */
public final class JiraConnector implements Connector, TicketSource, TicketSink, WebhookParser {

    static final String LABEL_PREFIX = "itsmhub-";
    static final String PROPERTY_KEY = "itsmhub";
    static final Set<String> FILTER_KEYS = Set.of("project", "request.type", "jql");

    private static final Logger LOG = LoggerFactory.getLogger(JiraConnector.class);
    private static final Pattern ISSUE_KEY = Pattern.compile("[A-Z][A-Z0-9_]*-[0-9]+|[0-9]+");
    private static final Pattern LABEL_SAFE = Pattern.compile("[^\\s\"\\\\]{1,200}");
    private static final Pattern PROJECT_KEY = Pattern.compile("[A-Z][A-Z0-9_]*");
    private static final DateTimeFormatter JQL_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT);
    private static final int COMMENT_PAGE = 100;
    /**
     * JQL characters of ids per twin lookup. Jira documents no JQL length limit for the POST search;
     * this keeps a query of 100 hub ids (about 40 characters each) in one call and far below
     * anything a server would refuse.
     */
    static final int LOOKUP_JQL_CHARS = 8000;
    /** The most search/jql returns a page when fields are asked for. */
    private static final int LOOKUP_PAGE = 100;
    private static final int MAX_LOOKUP_PAGES = 50;

    private final ConnectorContext context;
    private final ConnectorConfig config;
    private final Clock clock;
    private final JiraClient client;
    private final JiraTicketMapper mapper;
    private final Duration lookback;
    private volatile ZoneId jqlZone;

    JiraConnector(ConnectorContext context) {
        this.context = context;
        this.config = context.config();
        this.clock = context.clock();
        JiraErrorClassifier classifier = new JiraErrorClassifier(clock);
        HttpTimeouts.Values timeouts = HttpTimeouts.of(config);
        RateLimitInterceptor rateLimit = RateLimitInterceptor.builder("jira:" + context.tenant() + "/" + context.connection())
                .clock(clock)
                .remainingHeader("X-RateLimit-Remaining")
                .resetParser(classifier::connectionPause)
                .maxWait(timeouts.call().dividedBy(2))
                .build();
        this.client = new JiraClient(config.getUrl(BASE_URL), new HttpExecutor(
                VendorHttpClients.forConnection("jira", auth(context), rateLimit, timeouts), classifier));
        this.mapper = new JiraTicketMapper(context.connection(), config.getMap(STATUS_MAP), config.getMap(PRIORITY_MAP),
                config.getMap(PRIORITY_WRITE_MAP), config.getString(REQUEST_TYPE_FIELD),
                config.findString(CORRELATION_FIELD).orElse(null), client::browseUrl);
        this.lookback = config.getDuration(READ_LOOKBACK);
        this.jqlZone = config.findString(JQL_TIMEZONE).map(ZoneId::of).orElse(null);
    }

    private static Interceptor auth(ConnectorContext context) {
        ConnectorConfig config = context.config();
        Optional<Secret> bearer = config.findSecret(AUTH_BEARER_TOKEN);
        if (bearer.isPresent()) {
            Secret token = bearer.get();
            return AuthInterceptors.bearer(context, () -> token);
        }
        return AuthInterceptors.basic(context, config.getString(AUTH_EMAIL), config.getSecret(AUTH_API_TOKEN));
    }

    // ------------------------------------------------------------------ connection check

    @Override
    public List<ConfigProblem> checkConnection() {
        String credentialKey = config.has(AUTH_BEARER_TOKEN) ? AUTH_BEARER_TOKEN : AUTH_API_TOKEN;
        try {
            User me = client.myself();
            if (jqlZone == null) {
                jqlZone = zoneOf(me);
            }
            return List.of();
        } catch (AuthenticationException e) {
            return List.of(new ConfigProblem(credentialKey, "Jira refused the credentials (" + e.getMessage()
                    + "); check " + (credentialKey.equals(AUTH_API_TOKEN) ? AUTH_EMAIL + " and " : "") + credentialKey));
        } catch (TlsTrust.UntrustedCertificateException e) {
            return List.of(new ConfigProblem(e.key(), e.getMessage()));
        } catch (RetriableException e) {
            return List.of(new ConfigProblem(BASE_URL, "cannot reach Jira: " + e.getMessage()));
        } catch (RuntimeException e) {
            return List.of(new ConfigProblem(BASE_URL, "unexpected answer from Jira: " + e.getMessage()));
        }
    }

    // ------------------------------------------------------------------ source

    @Override
    public Page<Ticket> readChanges(ReadRequest request) {
        Map<String, String> filter = request.filter();
        for (String key : filter.keySet()) {
            if (!FILTER_KEYS.contains(key)) {
                throw new IllegalArgumentException("unknown Jira filter '" + key + "'; known: " + FILTER_KEYS);
            }
        }
        String requestType = filter.containsKey("request.type") ? Jql.id(filter.get("request.type"), "request.type") : null;
        JiraCursor cursor = JiraCursor.decode(request.cursor());
        Instant now = clock.instant();
        // JQL compares whole minutes: the earliest change to return is kept exactly, in the cursor
        // while the overlap re-read can still reach before it
        Long floor = request.cursor() == null
                ? Long.valueOf(firstReadStart(request.since(), now).orElseThrow().toEpochMilli())
                : cursor.floor();
        long from;
        if (cursor.token() != null && cursor.from() != null) {
            from = cursor.from();
        } else if (cursor.high() != null) {
            from = cursor.high() - lookback.toMillis();
        } else if (floor != null) {
            from = floor;
        } else {
            from = now.minus(config.getDuration(READ_INITIAL_WINDOW)).toEpochMilli();
        }
        if (floor != null && from < floor) {
            from = floor;
        }
        String jql = searchJql(filter.getOrDefault("project", config.getString(PROJECT)), filter.get("jql"), from);
        JiraClient.SearchPage response = client.searchPage(new SearchRequest(jql, mapper.fields(), request.pageSize(),
                cursor.token()));
        JsonRecords.Decoded<ReadIssue> decoded = JsonRecords.each(response.issues(), "key", element -> {
            Issue issue = JsonCodec.mapper().convertValue(element, Issue.class);
            Ticket ticket = mapper.toTicket(issue);
            if (ticket.updatedAt() == null) {
                throw new DataMappingException("Jira issue " + issue.key() + " lacks fields.updated: it cannot be"
                        + " placed among the changes");
            }
            return new ReadIssue(issue, ticket);
        });

        List<Ticket> tickets = new ArrayList<>();
        List<String> seen = new ArrayList<>(cursor.seen());
        long high = cursor.high() == null ? Long.MIN_VALUE : cursor.high();
        for (ReadIssue read : decoded.items()) {
            Issue issue = read.issue();
            Ticket ticket = read.ticket();
            Instant updated = ticket.updatedAt();
            if (updated != null && floor != null && updated.toEpochMilli() < floor) {
                continue; // within the minute JQL rounded the start down to
            }
            if (updated != null) {
                String pair = JiraCursor.seenKey(issue.key(), updated.toEpochMilli());
                if (seen.contains(pair)) {
                    continue; // already returned within the overlap
                }
                seen.add(pair);
                high = Math.max(high, updated.toEpochMilli());
            }
            if (requestType == null || requestType.equals(mapper.requestTypeId(issue))) {
                tickets.add(ticket);
            }
        }
        Long newHigh = high == Long.MIN_VALUE ? cursor.high() : Long.valueOf(high);
        List<String> kept = newHigh == null ? List.of()
                : JiraCursor.prune(seen, newHigh - lookback.toMillis() - Duration.ofMinutes(1).toMillis());
        boolean hasMore = response.nextPageToken() != null && !Boolean.TRUE.equals(response.isLast());
        Long keptFloor = floor != null && (newHigh == null
                || newHigh - lookback.toMillis() - Duration.ofMinutes(1).toMillis() < floor) ? floor : null;
        JiraCursor next = hasMore ? new JiraCursor(from, response.nextPageToken(), newHigh, kept, keptFloor)
                : new JiraCursor(null, null, newHigh, kept, keptFloor);
        return new Page<>(tickets, next.encode(), hasMore, decoded.rejected());
    }

    /** An issue of a search page and its ticket. */
    private record ReadIssue(Issue issue, Ticket ticket) {
    }

    /** Jira keeps milliseconds; the JQL start is rounded down to the minute and the rest filtered here. */
    @Override
    public Optional<Instant> firstReadStart(Instant since, Instant now) {
        return Optional.of(since != null ? since : now.minus(config.getDuration(READ_INITIAL_WINDOW)));
    }

    /** The JQL of an incremental read. {@code updated} compares in the hub account's time zone. */
    String searchJql(String project, String extraJql, long fromMillis) {
        StringBuilder jql = new StringBuilder("project = ").append(projectLiteral(project));
        config.findString(JQL).ifPresent(clause -> jql.append(" AND (").append(clause).append(')'));
        if (extraJql != null && !extraJql.isBlank()) {
            jql.append(" AND (").append(extraJql).append(')');
        }
        String since = JQL_TIME.format(Instant.ofEpochMilli(fromMillis).atZone(zone()));
        return jql.append(" AND updated >= ").append(Jql.quote(since))
                .append(" ORDER BY updated ASC, key ASC").toString();
    }

    private static String projectLiteral(String project) {
        if (project == null || project.isBlank()) {
            throw new IllegalArgumentException("no Jira project to read: set 'project'");
        }
        return PROJECT_KEY.matcher(project).matches() ? project : Jql.quote(project);
    }

    /** The time zone JQL dates are in: {@code jql.timezone}, else the hub account's, read once. */
    ZoneId zone() {
        ZoneId z = jqlZone;
        if (z == null) {
            z = zoneOf(client.myself());
            jqlZone = z;
        }
        return z;
    }

    private static ZoneId zoneOf(User me) {
        try {
            return me.timeZone() == null ? ZoneOffset.UTC : ZoneId.of(me.timeZone());
        } catch (DateTimeException e) {
            return ZoneOffset.UTC;
        }
    }

    @Override
    public Optional<Ticket> fetch(String id) {
        return client.issue(issueKey(id), mapper.fields()).map(mapper::toTicket);
    }

    @Override
    public List<Comment> comments(String ticketId) {
        String key = issueKey(ticketId);
        List<Comment> all = new ArrayList<>();
        int startAt = 0;
        for (int guard = 0; guard < 1000; guard++) {
            CommentPage page = client.comments(key, startAt, COMMENT_PAGE);
            for (IssueComment c : page.comments()) {
                all.add(mapper.toComment(key, c));
            }
            startAt += page.comments().size();
            if (page.comments().isEmpty() || page.total() == null || startAt >= page.total()) {
                break;
            }
        }
        all.sort(java.util.Comparator.comparing(Comment::createdAt));
        return all;
    }

    // ------------------------------------------------------------------ sink

    @Override
    public ExternalRef create(Ticket ticket, String correlationId) {
        String serviceDesk = config.findString(SERVICE_DESK_ID).orElseThrow(() -> new ConnectorException(
                "Jira connection " + context.connection() + " cannot create requests: set " + SERVICE_DESK_ID));
        String requestType = config.findString(REQUEST_TYPE_ID).orElseThrow(() -> new ConnectorException(
                "Jira connection " + context.connection() + " cannot create requests: set " + REQUEST_TYPE_ID));
        checkCorrelationId(correlationId);
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("summary", ticket.title());
        if (ticket.description() != null) {
            values.put("description", ticket.description());
        }
        if (isLabelMode()) {
            values.put("labels", List.of(LABEL_PREFIX + correlationId));
        } else {
            values.put(config.getString(CORRELATION_FIELD), correlationId);
        }
        CreatedRequest created = client.createRequest(new CreateRequest(serviceDesk, requestType, values));
        if (created.issueKey() == null) {
            throw new DataMappingException("Jira Service Management created a request but returned no issueKey");
        }
        try {
            client.setProperty(created.issueKey(), PROPERTY_KEY, Map.of("correlationId", correlationId,
                    "tenant", context.tenant(), "connection", context.connection()));
        } catch (ConnectorException e) {
            // informational only (entity properties cannot be searched); the field or label carries the id
            LOG.warn("Jira request {} created, but its {} property could not be set: {}", created.issueKey(),
                    PROPERTY_KEY, e.getMessage());
        }
        String web = created.links() == null ? null : created.links().path("web").asText(null);
        return new ExternalRef(JiraTicketMapper.SYSTEM, context.connection(), created.issueKey(),
                web != null ? web : client.browseUrl(created.issueKey()));
    }

    @Override
    public void update(String id, Ticket ticket, Set<TicketField> fields) {
        String key = issueKey(id);
        Map<String, Object> values = new LinkedHashMap<>();
        for (TicketField field : fields) {
            switch (field) {
                case TITLE -> values.put("summary", ticket.title());
                case DESCRIPTION -> values.put("description", AdfText.fromText(ticket.description()));
                case PRIORITY -> {
                    if (ticket.priority() != null) {
                        values.put("priority", NamedRef.name(mapper.priorityName(ticket.priority())));
                    }
                }
                case ASSIGNEE -> {
                    Map<String, Object> assignee = new LinkedHashMap<>();
                    assignee.put("accountId", ticket.assignee() == null ? null : ticket.assignee().id());
                    values.put("assignee", assignee);
                }
                default -> LOG.debug("Jira connector does not write {}; left unchanged on {}", field, key);
            }
        }
        if (!values.isEmpty()) {
            client.updateIssue(key, new IssueUpdate(values));
        }
    }

    @Override
    public void changeStatus(String id, TicketStatus status, String note) {
        changeStatus(id, status, note, null);
    }

    /**
     * A transition takes no comment the portal shows, so the other system's resolution note follows
     * it as a comment ({@value JiraConnectorConfig#RESOLUTION_NOTE}), then the hub's note as an
     * internal one.
     */
    @Override
    public void changeStatus(String id, TicketStatus status, String note, String resolutionNote) {
        String key = issueKey(id);
        List<Transition> transitions = client.transitions(key).transitions();
        Optional<Transition> chosen = transitions.stream().filter(t -> mapper.status(t.to()) == status).findFirst()
                .or(() -> transitions.stream()
                        .filter(t -> JiraTicketMapper.category(t.to()).equals(JiraTicketMapper.categoryOf(status)))
                        .findFirst());
        if (chosen.isEmpty()) {
            Ticket current = fetch(key).orElseThrow(() -> new DataMappingException("Jira issue " + key + " not found"));
            if (current.status() == status) {
                return;
            }
            throw new DataMappingException("Jira issue " + key + " has no transition from '" + current.vendorStatus()
                    + "' to a status that maps to " + status + " (available: "
                    + transitions.stream().map(t -> t.name() + " -> " + (t.to() == null ? "?" : t.to().name())).toList() + ")");
        }
        Transition t = chosen.get();
        client.transition(key, new TransitionRequest(new NamedRef(t.id(), null), transitionFields(key, t, status)));
        String mode = config.getString(RESOLUTION_NOTE);
        if (resolutionNote != null && !resolutionNote.isBlank() && !JiraConnectorConfig.NOTE_NONE.equals(mode)) {
            client.addRequestComment(key, new RequestComment(resolutionNote, JiraConnectorConfig.NOTE_PUBLIC.equals(mode)));
        }
        if (note != null && !note.isBlank()) {
            client.addRequestComment(key, new RequestComment(note, false));
        }
    }

    private Map<String, Object> transitionFields(String key, Transition t, TicketStatus status) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (Map.Entry<String, TransitionField> e : t.fields().entrySet()) {
            TransitionField field = e.getValue();
            if (e.getKey().equals("resolution") && (field.isRequired() || status.isDone())) {
                values.put("resolution", NamedRef.name(resolution(field)));
            } else if (field.isRequired() && !Boolean.TRUE.equals(field.hasDefaultValue())) {
                throw new DataMappingException("Jira transition '" + t.name() + "' of " + key + " requires field '"
                        + (field.name() == null ? e.getKey() : field.name()) + "' that the hub cannot fill");
            }
        }
        return values;
    }

    private String resolution(TransitionField field) {
        String wanted = config.getString(RESOLUTION_DEFAULT);
        if (field.allowedValues() == null || field.allowedValues().isEmpty()) {
            return wanted;
        }
        for (JsonNode v : field.allowedValues()) {
            if (wanted.equalsIgnoreCase(v.path("name").asText())) {
                return v.path("name").asText();
            }
        }
        return field.allowedValues().get(0).path("name").asText(wanted);
    }

    @Override
    public ExternalRef addComment(String ticketId, Comment comment) {
        String key = issueKey(ticketId);
        CreatedComment created = client.addRequestComment(key, new RequestComment(comment.body(), !comment.isInternal()));
        if (created.id() == null) {
            throw new DataMappingException("Jira Service Management added a comment to " + key + " but returned no id");
        }
        return new ExternalRef(JiraTicketMapper.SYSTEM, context.connection(), key + "/" + created.id(),
                client.browseUrl(key) + "?focusedCommentId=" + created.id());
    }

    @Override
    public Optional<Ticket> findByCorrelationId(String correlationId) {
        checkCorrelationId(correlationId);
        String clause = isLabelMode() ? "labels = " + Jql.quote(LABEL_PREFIX + correlationId)
                : Jql.customField(config.getString(CORRELATION_FIELD)) + " ~ " + Jql.quote(correlationId);
        String jql = "project = " + projectLiteral(config.getString(PROJECT)) + " AND " + clause + " ORDER BY key ASC";
        SearchResponse response = client.search(new SearchRequest(jql, mapper.fields(), 50, null));
        // a text field matches words, not the exact value: keep only the exact twin
        return response.issues().stream().map(mapper::toTicket)
                .filter(t -> correlationId.equals(t.correlationId())).findFirst();
    }

    /**
     * {@code labels in ("itsmhub-<id>", ...)} or {@code (cf[N] ~ "<id>" OR ...)} in as few searches as
     * {@value #LOOKUP_JQL_CHARS} characters of ids allow (a page of 100 hub ids in one), every page read
     * through {@code nextPageToken}, lowest key (the first created) as the twin. A text field matches
     * words, so only exact values count.
     */
    @Override
    public Map<String, Ticket> findByCorrelationIds(Collection<String> correlationIds) {
        Set<String> wanted = new LinkedHashSet<>();
        for (String id : correlationIds) {
            checkCorrelationId(id);
            wanted.add(id);
        }
        Map<String, Ticket> found = new HashMap<>();
        List<String> terms = new ArrayList<>();
        int chars = 0;
        for (String id : wanted) {
            String term = isLabelMode() ? Jql.quote(LABEL_PREFIX + id)
                    : Jql.customField(config.getString(CORRELATION_FIELD)) + " ~ " + Jql.quote(id);
            if (!terms.isEmpty() && chars + term.length() + 4 > LOOKUP_JQL_CHARS) {
                searchTwins(terms, wanted, found);
                terms = new ArrayList<>();
                chars = 0;
            }
            terms.add(term);
            chars += term.length() + 4;
        }
        if (!terms.isEmpty()) {
            searchTwins(terms, wanted, found);
        }
        Map<String, Ticket> inOrder = new LinkedHashMap<>();
        for (String id : wanted) {
            if (found.containsKey(id)) {
                inOrder.put(id, found.get(id));
            }
        }
        return inOrder;
    }

    private void searchTwins(List<String> terms, Set<String> wanted, Map<String, Ticket> found) {
        String clause = isLabelMode() ? "labels in (" + String.join(", ", terms) + ")"
                : "(" + String.join(" OR ", terms) + ")";
        String jql = "project = " + projectLiteral(config.getString(PROJECT)) + " AND " + clause + " ORDER BY key ASC";
        String token = null;
        for (int page = 0; page < MAX_LOOKUP_PAGES; page++) {
            SearchResponse response = client.search(new SearchRequest(jql, mapper.fields(), LOOKUP_PAGE, token));
            for (Issue issue : response.issues()) {
                Ticket t = mapper.toTicket(issue);
                if (t.correlationId() != null && wanted.contains(t.correlationId())) {
                    found.merge(t.correlationId(), t, (a, b) -> keyNumber(a) <= keyNumber(b) ? a : b);
                }
            }
            token = response.nextPageToken();
            if (token == null || Boolean.TRUE.equals(response.isLast()) || response.issues().isEmpty()) {
                return;
            }
        }
        throw new DataMappingException("Jira twin lookup found more than " + MAX_LOOKUP_PAGES * LOOKUP_PAGE
                + " issues for " + terms.size() + " correlation ids");
    }

    /** The number of {@code ITSD-42}: issues of one project are numbered in creation order. */
    private static long keyNumber(Ticket t) {
        String key = t.ref().id();
        return Long.parseLong(key.substring(key.lastIndexOf('-') + 1));
    }

    private boolean isLabelMode() {
        return "label".equals(config.getString(CORRELATION_MODE));
    }

    private void checkCorrelationId(String correlationId) {
        if (correlationId == null || correlationId.isBlank()) {
            throw new IllegalArgumentException("a correlation id is required");
        }
        if (isLabelMode() && !LABEL_SAFE.matcher(correlationId).matches()) {
            throw new IllegalArgumentException("correlation id cannot be a Jira label (no spaces, quotes or backslashes): '"
                    + correlationId + "'");
        }
    }

    private static String issueKey(String id) {
        if (id == null || !ISSUE_KEY.matcher(id).matches()) {
            throw new IllegalArgumentException("not a Jira issue key or id: '" + id + "'");
        }
        return id;
    }

    // ------------------------------------------------------------------ webhooks

    @Override
    public void verify(WebhookRequest request) {
        Secret secret = config.findSecret(WEBHOOK_SECRET).orElseThrow(() -> new AuthenticationException(
                "Jira webhook refused: connection " + context.connection() + " has no " + WEBHOOK_SECRET));
        String header = request.header("X-Hub-Signature").orElseThrow(
                () -> new AuthenticationException("Jira webhook refused: no X-Hub-Signature header"));
        String given = header.strip();
        if (!given.regionMatches(true, 0, "sha256=", 0, 7)) {
            throw new AuthenticationException("Jira webhook refused: X-Hub-Signature is not sha256=<hex>");
        }
        byte[] expected = HexFormat.of().formatHex(hmac(secret, request.body())).getBytes(StandardCharsets.US_ASCII);
        byte[] actual = given.substring(7).toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, actual)) {
            throw new AuthenticationException("Jira webhook refused: signature does not match the body");
        }
    }

    /**
     * Unique per delivery and unchanged on Jira's retries; not covered by the signature (Jira signs the
     * body only, and no timestamp), so it stops redeliveries and verbatim replays.
     * https://developer.atlassian.com/cloud/jira/platform/webhooks/
     */
    @Override
    public Optional<String> deliveryId(WebhookRequest request) {
        return request.header("X-Atlassian-Webhook-Identifier").map(String::strip);
    }

    private static byte[] hmac(Secret secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.reveal().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(body);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    @Override
    public List<ChangeHint> parse(WebhookRequest request) {
        JsonNode body = JsonCodec.readTree(request.bodyAsString(), "Jira webhook body");
        if (body == null || !body.isObject()) {
            throw new DataMappingException("Jira webhook body is not a JSON object");
        }
        String event = body.path("webhookEvent").asText(null);
        String key = body.path("issue").path("key").asText(null);
        if (event == null) {
            throw new DataMappingException("Jira webhook body has no webhookEvent");
        }
        if (key == null || !ISSUE_KEY.matcher(key).matches()) {
            return List.of(); // not about an issue (project, user, sprint events)
        }
        JsonNode ts = body.path("timestamp");
        Instant at = ts.isNumber() ? Instant.ofEpochMilli(ts.asLong()) : null;
        return List.of(new ChangeHint(ChangeHint.Kind.TICKET, key, event, at));
    }

    @Override
    public void close() {
        // the OkHttp client shares the plugin-wide pool and dispatcher: nothing to release per connection
    }
}
