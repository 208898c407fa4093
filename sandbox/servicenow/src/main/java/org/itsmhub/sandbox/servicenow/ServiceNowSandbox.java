package org.itsmhub.sandbox.servicenow;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.itsmhub.sandbox.SandboxOptions;
import org.itsmhub.sandbox.SandboxRequest;
import org.itsmhub.sandbox.SandboxResponse;
import org.itsmhub.sandbox.SandboxRoutes;
import org.itsmhub.sandbox.VendorSandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A stateful fake of the ServiceNow Table API: {@code GET/POST /api/now/table/{table}},
 * {@code GET/PATCH/PUT /api/now/table/{table}/{sys_id}} with {@code sysparm_query},
 * {@code sysparm_fields}, {@code sysparm_limit}, {@code sysparm_offset},
 * {@code sysparm_exclude_reference_link}, {@code Link} and {@code X-Total-Count} headers; journal
 * fields ({@code comments}, {@code work_notes}) written to {@code sys_journal_field}; basic auth and
 * {@code POST /oauth_token.do} (password grant); ServiceNow's error envelope. Writes move
 * {@code sys_updated_on} and {@code sys_mod_count}; priority follows impact and urgency. The CMDB:
 * {@code cmdb_ci_computer} (stamped on insert like a real instance: {@code sys_class_name},
 * {@code install_status} 1, ...), {@code cmdb_serial_number}, {@code cmdb_ci_network_adapter}, and
 * {@code POST /api/now/identifyreconcile} ({@link IdentificationEngine}).
 */
public final class ServiceNowSandbox extends VendorSandbox {

    public static final String DEFAULT_USER = "admin";
    public static final String DEFAULT_PASSWORD = "sandbox-password";
    public static final String JOURNAL = "sys_journal_field";
    public static final String COMPUTER = "cmdb_ci_computer";

    @Override
    public String credentials() {
        return "basic auth (or the OAuth password grant with any client id and secret) " + user + " / " + password;
    }

    static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TABLE_PATH = "/api/now/table/";
    private static final Set<String> JOURNAL_FIELDS = Set.of("comments", "work_notes");
    /** The fields of an incident record as the Table API returns it (names from a real response). */
    private static final List<String> INCIDENT_FIELDS = List.of("sys_id", "short_description", "parent", "made_sla",
            "caused_by", "watch_list", "upon_reject", "sys_updated_on", "child_incidents", "hold_reason",
            "approval_history", "number", "resolved_by", "sys_updated_by", "opened_by", "user_input", "sys_created_on",
            "sys_domain", "state", "sys_created_by", "knowledge", "order", "calendar_stc", "closed_at", "cmdb_ci",
            "delivery_plan", "impact", "active", "work_notes_list", "business_service", "priority", "sys_domain_path",
            "rfc", "time_worked", "expected_start", "opened_at", "business_duration", "group_list", "work_end",
            "caller_id", "reopened_time", "resolved_at", "approval_set", "subcategory", "work_notes", "close_code",
            "correlation_display", "delivery_task", "work_start", "assignment_group", "additional_assignee_list",
            "business_stc", "description", "calendar_duration", "close_notes", "notify", "sys_class_name", "closed_by",
            "follow_up", "parent_incident", "contact_type", "reopened_by", "incident_state", "urgency", "problem_id",
            "company", "reassignment_count", "activity_due", "assigned_to", "severity", "comments", "approval",
            "sla_due", "comments_and_work_notes", "due_date", "sys_mod_count", "reopen_count", "sys_tags",
            "escalation", "upon_approval", "correlation_id", "location", "category");
    private static final Map<String, String> INCIDENT_DEFAULTS = Map.ofEntries(Map.entry("made_sla", "true"),
            Map.entry("upon_reject", "cancel"), Map.entry("child_incidents", "0"), Map.entry("state", "1"),
            Map.entry("incident_state", "1"), Map.entry("knowledge", "false"), Map.entry("impact", "3"),
            Map.entry("urgency", "3"), Map.entry("priority", "5"), Map.entry("active", "true"),
            Map.entry("sys_domain_path", "/"), Map.entry("notify", "1"), Map.entry("sys_class_name", "incident"),
            Map.entry("reassignment_count", "0"), Map.entry("severity", "3"), Map.entry("approval", "not requested"),
            Map.entry("reopen_count", "0"), Map.entry("escalation", "0"), Map.entry("upon_approval", "proceed"),
            Map.entry("category", "inquiry"), Map.entry("sys_domain", "global"));

    /** The fields a cmdb_ci_* record gets on insert (cmdb_ci and cmdb_ci_computer), and their defaults. */
    private static final List<String> CI_FIELDS = List.of("sys_id", "name", "sys_class_name", "serial_number",
            "asset_tag", "mac_address", "ip_address", "fqdn", "dns_domain", "os", "os_version", "os_service_pack",
            "os_domain", "manufacturer", "model_id", "model_number", "cpu_count", "ram", "disk_space", "virtual",
            "company", "location", "assigned_to", "owned_by", "managed_by", "support_group", "short_description",
            "comments", "correlation_id", "discovery_source", "first_discovered", "last_discovered", "install_status",
            "operational_status", "hardware_status", "attested", "sys_domain", "sys_domain_path", "sys_created_on",
            "sys_created_by", "sys_updated_on", "sys_updated_by", "sys_mod_count", "sys_tags");
    private static final Map<String, String> CI_DEFAULTS = Map.of("install_status", "1", "operational_status", "1",
            "hardware_status", "installed", "virtual", "false", "attested", "false", "sys_domain", "global",
            "sys_domain_path", "/");

    private final String user;
    private final String password;
    private final String expectedBasic;
    private final Map<String, Map<String, ObjectNode>> tables = new LinkedHashMap<>();
    private final Set<String> tokens = new HashSet<>();
    private final IdentificationEngine ire = new IdentificationEngine(this);
    private int nextNumber = 10001;

    public ServiceNowSandbox(SandboxOptions options, Clock clock, String user, String password) {
        super(options, clock);
        this.user = user;
        this.expectedBasic = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
                .getBytes(StandardCharsets.UTF_8));
        this.password = password;
        tables.put("incident", new LinkedHashMap<>());
        tables.put(JOURNAL, new LinkedHashMap<>());
        tables.put(COMPUTER, new LinkedHashMap<>());
        tables.put(IdentificationEngine.SERIALS, new LinkedHashMap<>());
        tables.put(IdentificationEngine.ADAPTERS, new LinkedHashMap<>());
        tables.put(IdentificationEngine.SOURCES, new LinkedHashMap<>());
    }

    @Override
    public String vendor() {
        return "servicenow";
    }

    /** Seeds {@code TABLE=FILE} (default table {@code incident}) from a Table API response. */
    @Override
    protected synchronized void seed(SandboxOptions.Seed seed) {
        String table = seed.qualifier() == null ? "incident" : seed.qualifier();
        try {
            JsonNode result = JSON.readTree(Files.readString(seed.file())).path("result");
            List<JsonNode> records = new ArrayList<>();
            if (result.isArray()) {
                result.forEach(records::add);
            } else if (result.isObject()) {
                records.add(result);
            } else {
                throw new IllegalArgumentException(seed.file() + " is not a Table API response ({\"result\": [...]})");
            }
            for (JsonNode r : records) {
                put(table, (ObjectNode) r);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read seed " + seed.file(), e);
        }
    }

    /** Adds or replaces one record as given (display-value pairs are stored as their raw value). */
    public synchronized void put(String table, ObjectNode record) {
        ObjectNode stored = JSON.createObjectNode();
        record.fields().forEachRemaining(e -> {
            JsonNode v = e.getValue();
            if (v.isObject() && v.has("display_value") && v.has("value")) {
                stored.put(e.getKey(), v.get("value").asText());
            } else if (v.isObject() || v.isTextual()) {
                stored.set(e.getKey(), v);
            } else {
                stored.put(e.getKey(), v.isNull() ? "" : v.asText());
            }
        });
        String id = text(stored, "sys_id");
        if (id.isEmpty()) {
            throw new IllegalArgumentException("a seeded record needs a sys_id");
        }
        tables.computeIfAbsent(table, t -> new LinkedHashMap<>()).put(id, stored);
    }

    /** Every record of a table, for tests. */
    public synchronized List<ObjectNode> records(String table) {
        return List.copyOf(tables.getOrDefault(table, Map.of()).values());
    }

    private final SandboxRoutes routes = new SandboxRoutes()
            .post("/oauth_token.do", "OAuth password grant (`grant_type=password`, `username`, `password`, any "
                    + "`client_id` and `client_secret`): a bearer token for the calls below", (r, p) -> token(r))
            .get("/api/now/table/{table}", "list records: `sysparm_query` (encoded query with `ORDERBY`), "
                    + "`sysparm_fields`, `sysparm_limit` (10000), `sysparm_offset`, `sysparm_exclude_reference_link`; "
                    + "`X-Total-Count` and a `Link` header (first, prev, next, last)",
                    authorized((r, p) -> list(r, p.get("table"))))
            .get("/api/now/table/{table}/{sys_id}", "one record",
                    authorized((r, p) -> get(r, p.get("table"), p.get("sys_id"))))
            .post("/api/now/table/{table}", "insert a record, stamped like an instance (`number`, `sys_id`, "
                    + "defaults); `comments`/`work_notes` go to `sys_journal_field`; 201 with `Location`",
                    authorized((r, p) -> create(r, p.get("table"))))
            .patch("/api/now/table/{table}/{sys_id}", "update a record; moves `sys_updated_on` and "
                    + "`sys_mod_count`, priority follows impact and urgency",
                    authorized((r, p) -> update(r, p.get("table"), p.get("sys_id"))))
            .put("/api/now/table/{table}/{sys_id}", "the same as PATCH",
                    authorized((r, p) -> update(r, p.get("table"), p.get("sys_id"))))
            .delete("/api/now/table/{table}/{sys_id}", "delete a record; 204",
                    authorized((r, p) -> delete(p.get("table"), p.get("sys_id"))))
            .post(IdentificationEngine.PATH, "Identification and Reconciliation (`sysparm_data_source`): insert or "
                    + "update CIs by the base Hardware identification rule", authorized((r, p) -> identifyReconcile(r)));

    @Override
    public SandboxRoutes routes() {
        return routes;
    }

    @Override
    protected SandboxResponse handle(SandboxRequest r) {
        synchronized (this) {
            return routes.dispatch(r).orElseGet(() -> {
                if (!routes.pathServedByAnotherMethod(r)) {
                    return error(400, "Requested URI does not represent any resource", null);
                }
                if (!authorized(r)) {
                    return unauthorized();
                }
                return error(405, "Method not Supported", "HTTP method " + r.method() + " is not supported here");
            });
        }
    }

    private SandboxRoutes.Handler authorized(SandboxRoutes.Handler handler) {
        return (r, p) -> authorized(r) ? handler.handle(r, p) : unauthorized();
    }

    private static SandboxResponse unauthorized() {
        return error(401, "User Not Authenticated", "Required to provide Auth information")
                .withHeader("WWW-Authenticate", "BASIC realm=\"Service-now\"");
    }

    private SandboxResponse identifyReconcile(SandboxRequest r) {
        Optional<ObjectNode> payload = body(r);
        if (payload.isEmpty()) {
            return error(400, "Error occurred during parsing input json payload", "The payload is not valid JSON.");
        }
        return SandboxResponse.json(200, wrap(ire.process(payload.get(), r.queryParam("sysparm_data_source").orElse(null))));
    }

    @Override
    protected SandboxResponse rateLimited(Duration retryAfter) {
        long seconds = Math.max(1, retryAfter.toSeconds());
        return error(429, "Rate limit exceeded", "Rate limit of " + options().rateLimit() + " requests per "
                + options().rateLimitWindow().toSeconds() + " s exceeded")
                .withHeader("Retry-After", Long.toString(seconds))
                .withHeader("X-RateLimit-Limit", Integer.toString(options().rateLimit()))
                .withHeader("X-RateLimit-Reset", Long.toString(clock().instant().getEpochSecond() + seconds));
    }

    @Override
    protected SandboxResponse serverError() {
        return error(500, "Internal server error", "Transaction cancelled: maximum execution time exceeded");
    }

    // ---- handlers

    private SandboxResponse token(SandboxRequest r) {
        Map<String, String> form = form(r.bodyAsString());
        boolean ok = "password".equals(form.get("grant_type")) && user.equals(form.get("username"))
                && password.equals(form.get("password")) && !form.getOrDefault("client_id", "").isEmpty()
                && !form.getOrDefault("client_secret", "").isEmpty();
        if (!ok) {
            return SandboxResponse.json(401, "{\"error_description\":\"access_denied\",\"error\":\"server_error\"}");
        }
        String token = "sandbox-" + UUID.randomUUID().toString().replace("-", "");
        tokens.add(token);
        return SandboxResponse.json(200, "{\"access_token\":\"" + token + "\",\"refresh_token\":\"sandbox-refresh\","
                + "\"scope\":\"useraccount\",\"token_type\":\"Bearer\",\"expires_in\":1799}");
    }

    private SandboxResponse list(SandboxRequest r, String table) {
        Map<String, ObjectNode> records = tables.get(table);
        if (records == null) {
            return error(400, "Invalid table " + table, null);
        }
        EncodedQuery query;
        try {
            query = EncodedQuery.parse(r.queryParam("sysparm_query").orElse(null));
        } catch (IllegalArgumentException e) {
            return error(400, "Invalid query", e.getMessage());
        }
        List<ObjectNode> matching = records.values().stream().filter(rec -> query.matches(f -> text(rec, f)))
                .sorted(query.comparator(ServiceNowSandbox::text)).toList();
        int limit = intParam(r, "sysparm_limit", 10000);
        int offset = intParam(r, "sysparm_offset", 0);
        if (limit < 1 || offset < 0) {
            return error(400, "Invalid sysparm_limit or sysparm_offset", null);
        }
        List<ObjectNode> page = matching.subList(Math.min(offset, matching.size()),
                Math.min(matching.size(), offset + limit));
        ArrayNode result = JSON.createArrayNode();
        page.forEach(rec -> result.add(project(r, rec)));
        return SandboxResponse.json(200, wrap(result))
                .withHeader("X-Total-Count", Integer.toString(matching.size()))
                .withHeader("Link", links(r, table, limit, offset, matching.size()));
    }

    private SandboxResponse get(SandboxRequest r, String table, String id) {
        ObjectNode rec = tables.getOrDefault(table, Map.of()).get(id);
        if (!tables.containsKey(table)) {
            return error(400, "Invalid table " + table, null);
        }
        if (rec == null) {
            return error(404, "No Record found", "Record doesn't exist or ACL restricts the record retrieval");
        }
        return SandboxResponse.json(200, wrap(project(r, rec)));
    }

    private SandboxResponse create(SandboxRequest r, String table) {
        Map<String, ObjectNode> records = tables.get(table);
        if (records == null) {
            return error(400, "Invalid table " + table, null);
        }
        Optional<ObjectNode> body = body(r);
        if (body.isEmpty()) {
            return error(400, "Exception while reading request", "The payload is not valid JSON.");
        }
        ObjectNode rec = insert(table, body.get());
        return SandboxResponse.json(201, wrap(project(r, rec)))
                .withHeader("Location", "/api/now/table/" + table + "/" + text(rec, "sys_id"));
    }

    /** Inserts a record into an existing table, stamped as the instance would. */
    ObjectNode insert(String table, ObjectNode body) {
        ObjectNode rec = JSON.createObjectNode();
        String now = TIMESTAMP.format(clock().instant());
        if (table.equals("incident")) {
            INCIDENT_FIELDS.forEach(f -> rec.put(f, INCIDENT_DEFAULTS.getOrDefault(f, "")));
            rec.put("number", String.format("INC%07d", nextNumber++));
            rec.put("opened_at", now);
        } else if (table.startsWith("cmdb_ci")) {
            CI_FIELDS.forEach(f -> rec.put(f, CI_DEFAULTS.getOrDefault(f, "")));
            rec.put("sys_class_name", table);
        }
        String id = UUID.randomUUID().toString().replace("-", "");
        rec.put("sys_id", id);
        rec.put("sys_created_on", now);
        rec.put("sys_created_by", user);
        rec.put("sys_mod_count", "0");
        applyAndStamp(table, rec, body, now);
        rec.put("sys_mod_count", "0");
        tables.get(table).put(id, rec);
        return rec;
    }

    /** Writes fields to a record and stamps the update. */
    void update(String table, ObjectNode rec, ObjectNode body) {
        applyAndStamp(table, rec, body, TIMESTAMP.format(clock().instant()));
    }

    /** The records of a table, live (for the identification engine); null when the table does not exist. */
    Map<String, ObjectNode> table(String table) {
        return tables.get(table);
    }

    /** Every existing table whose name starts with the prefix. */
    List<String> tablesStartingWith(String prefix) {
        return tables.keySet().stream().filter(t -> t.startsWith(prefix)).toList();
    }

    String now() {
        return TIMESTAMP.format(clock().instant());
    }

    private SandboxResponse update(SandboxRequest r, String table, String id) {
        ObjectNode rec = tables.getOrDefault(table, Map.of()).get(id);
        if (rec == null) {
            return error(404, "No Record found", "Record doesn't exist or ACL restricts the record retrieval");
        }
        Optional<ObjectNode> body = body(r);
        if (body.isEmpty()) {
            return error(400, "Exception while reading request", "The payload is not valid JSON.");
        }
        applyAndStamp(table, rec, body.get(), TIMESTAMP.format(clock().instant()));
        return SandboxResponse.json(200, wrap(project(r, rec)));
    }

    private SandboxResponse delete(String table, String id) {
        if (!tables.containsKey(table)) {
            return error(400, "Invalid table " + table, null);
        }
        if (tables.get(table).remove(id) == null) {
            return error(404, "No Record found", "Record doesn't exist or ACL restricts the record retrieval");
        }
        return SandboxResponse.empty(204);
    }

    private void applyAndStamp(String table, ObjectNode rec, ObjectNode body, String now) {
        Iterator<Map.Entry<String, JsonNode>> it = body.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String value = e.getValue().isNull() ? "" : e.getValue().asText();
            if (JOURNAL_FIELDS.contains(e.getKey()) && !table.startsWith("cmdb")) {
                if (!value.isEmpty()) {
                    journal(table, text(rec, "sys_id"), e.getKey(), value, now);
                }
            } else if (!e.getKey().startsWith("sys_")) {
                rec.put(e.getKey(), value);
            }
        }
        if (table.equals("incident")) {
            if (body.has("state")) {
                rec.put("incident_state", text(rec, "state"));
                rec.put("active", Set.of("6", "7", "8").contains(text(rec, "state")) ? "false" : "true");
            }
            try {
                int priority = Integer.parseInt(text(rec, "impact")) + Integer.parseInt(text(rec, "urgency")) - 1;
                rec.put("priority", Integer.toString(priority));
            } catch (NumberFormatException notSet) {
                // leave priority as it is
            }
        }
        rec.put("sys_updated_on", now);
        rec.put("sys_updated_by", user);
        rec.put("sys_mod_count", Integer.toString(parseInt(text(rec, "sys_mod_count")) + 1));
    }

    private void journal(String table, String elementId, String element, String value, String now) {
        ObjectNode entry = JSON.createObjectNode();
        String id = UUID.randomUUID().toString().replace("-", "");
        entry.put("sys_id", id);
        entry.put("element_id", elementId);
        entry.put("element", element);
        entry.put("name", table);
        entry.put("value", value);
        entry.put("sys_created_on", now);
        entry.put("sys_created_by", user);
        tables.get(JOURNAL).put(id, entry);
    }

    // ---- helpers

    private boolean authorized(SandboxRequest r) {
        String auth = r.header("Authorization").orElse("");
        return auth.equals(expectedBasic) || (auth.startsWith("Bearer ") && tokens.contains(auth.substring(7)));
    }

    private static ObjectNode project(SandboxRequest r, ObjectNode rec) {
        boolean flat = r.queryParam("sysparm_exclude_reference_link").map("true"::equalsIgnoreCase).orElse(false);
        List<String> fields = r.queryParam("sysparm_fields").filter(f -> !f.isBlank())
                .map(f -> List.of(f.split(","))).orElse(null);
        ObjectNode out = JSON.createObjectNode();
        rec.fields().forEachRemaining(e -> {
            if (fields == null || fields.contains(e.getKey())) {
                JsonNode v = e.getValue();
                out.set(e.getKey(), flat && v.isObject() ? JSON.getNodeFactory().textNode(v.path("value").asText()) : v);
            }
        });
        return out;
    }

    /**
     * ServiceNow's paging links: absolute URLs on the instance (so the https base in https mode), the
     * request's other parameters kept, first and last always, prev and next when there is such a page.
     */
    private String links(SandboxRequest r, String table, int limit, int offset, int total) {
        List<String> links = new ArrayList<>();
        links.add(link(r, table, limit, 0, "first"));
        if (offset > 0) {
            links.add(link(r, table, limit, Math.max(0, offset - limit), "prev"));
        }
        if (offset + limit < total) {
            links.add(link(r, table, limit, offset + limit, "next"));
        }
        links.add(link(r, table, limit, total == 0 ? 0 : ((total - 1) / limit) * limit, "last"));
        return String.join(",", links);
    }

    private String link(SandboxRequest r, String table, int limit, int offset, String rel) {
        StringBuilder url = new StringBuilder(baseUrl()).append(TABLE_PATH).append(table).append('?');
        r.query().forEach((k, vs) -> {
            if (!k.equals("sysparm_limit") && !k.equals("sysparm_offset")) {
                vs.forEach(v -> url.append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=')
                        .append(URLEncoder.encode(v, StandardCharsets.UTF_8)).append('&'));
            }
        });
        url.append("sysparm_limit=").append(limit).append("&sysparm_offset=").append(offset);
        return "<" + url + ">;rel=\"" + rel + "\"";
    }

    private static Optional<ObjectNode> body(SandboxRequest r) {
        try {
            JsonNode n = JSON.readTree(r.bodyAsString());
            return n != null && n.isObject() ? Optional.of((ObjectNode) n) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static Map<String, String> form(String body) {
        Map<String, String> form = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return form;
    }

    static String text(ObjectNode rec, String field) {
        JsonNode v = rec.get(field);
        if (v == null || v.isNull()) {
            return "";
        }
        return v.isObject() ? v.path("value").asText() : v.asText();
    }

    private static int intParam(SandboxRequest r, String name, int fallback) {
        try {
            return r.queryParam(name).map(Integer::parseInt).orElse(fallback);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static int parseInt(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static String wrap(JsonNode result) {
        ObjectNode root = JSON.createObjectNode();
        root.set("result", result);
        return root.toString();
    }

    private static SandboxResponse error(int status, String message, String detail) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode error = root.putObject("error");
        error.put("message", message);
        if (detail == null) {
            error.putNull("detail");
        } else {
            error.put("detail", detail);
        }
        root.put("status", "failure");
        return SandboxResponse.json(status, root.toString());
    }
}
