package org.itsmhub.sandbox.freshdesk;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.itsmhub.sandbox.SandboxOptions;
import org.itsmhub.sandbox.SandboxRequest;
import org.itsmhub.sandbox.SandboxResponse;
import org.itsmhub.sandbox.SandboxRoutes;
import org.itsmhub.sandbox.VendorSandbox;

/**
 * A stateful fake of the Freshdesk API v2 subset the connector uses, with Freshdesk's paths, query
 * parameters, basic auth (API key + {@code X}), {@code Link} paging, error bodies and rate-limit headers.
 * Tickets and conversations live in memory; writes move {@code updated_at} and show in later reads.
 * Seeds are ticket list arrays as {@code GET /api/v2/tickets} returns them.
 */
public final class FreshdeskSandbox extends VendorSandbox {

    public static final String DEFAULT_API_KEY = "sandbox-api-key";

    /**
     * The custom ticket fields a sandbox account has unless told otherwise: the one the connector's default
     * {@code correlation.field} names, so that the demo and a default config work as they would on an
     * account whose admin created it.
     */
    public static final List<String> DEFAULT_CUSTOM_FIELDS = List.of("cf_itsm_hub_id");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String UNAUTHORIZED =
            "{\"code\":\"invalid_credentials\",\"message\":\"You have to be logged in to perform this action.\"}";
    private static final Pattern TERM = Pattern.compile("^\\s*([a-z_][a-z0-9_]*):(?:'([^'\"\\\\]*)'|(-?\\d+)|(null))\\s*$");
    private static final int SEARCH_PAGE = 30;
    private static final int SEARCH_QUERY_MAX = 512;
    /** The default ticket fields of a new Freshdesk account, in the order and shape of {@code GET /api/v2/ticket_fields}. */
    private static final List<String> DEFAULT_TICKET_FIELDS = List.of(
            defaultField(1, "requester", "Search a requester", "Requester", "default_requester", true, null),
            defaultField(2, "subject", "Subject", "Subject", "default_subject", true, null),
            defaultField(3, "ticket_type", "Type", "Type", "default_ticket_type", false,
                    "[\"Question\",\"Incident\",\"Problem\",\"Feature Request\",\"Refund\"]"),
            defaultField(4, "source", "Source", "Source", "default_source", true,
                    "{\"Email\":1,\"Portal\":2,\"Phone\":3,\"Chat\":7,\"Feedback Widget\":9,\"Outbound Email\":10}"),
            defaultField(5, "status", "Status", "Status of the ticket", "default_status", true,
                    "{\"2\":[\"Open\",\"Being Processed\"],\"3\":[\"Pending\",\"Awaiting your Reply\"],"
                            + "\"4\":[\"Resolved\",\"This ticket has been Resolved\"],"
                            + "\"5\":[\"Closed\",\"This ticket has been Closed\"]}"),
            defaultField(6, "priority", "Priority", "Priority", "default_priority", true,
                    "{\"Low\":1,\"Medium\":2,\"High\":3,\"Urgent\":4}"),
            defaultField(7, "group", "Group", "Group", "default_group", false, "{}"),
            defaultField(8, "agent", "Agent", "Agent", "default_agent", false, "{}"),
            defaultField(9, "company", "Company", "Company", "default_company", false, null),
            defaultField(10, "description", "Description", "Description", "default_description", true, null));

    private static String defaultField(int id, String name, String label, String customerLabel, String type,
            boolean requiredForAgents, String choices) {
        return "{\"id\":" + id + ",\"name\":\"" + name + "\",\"label\":\"" + label + "\",\"description\":\"Ticket "
                + name.replace('_', ' ') + "\",\"position\":" + id + ",\"required_for_closure\":false,"
                + "\"required_for_agents\":" + requiredForAgents + ",\"type\":\"" + type + "\",\"default\":true,"
                + "\"customers_can_edit\":" + !name.equals("agent") + ",\"label_for_customers\":\"" + customerLabel
                + "\",\"required_for_customers\":" + (name.equals("requester") || name.equals("subject")) + ","
                + "\"displayed_to_customers\":true,\"created_at\":\"2015-08-18T16:18:05Z\","
                + "\"updated_at\":\"2015-08-18T16:18:05Z\"" + (choices == null ? "" : ",\"choices\":" + choices) + "}";
    }

    /** The body fields of create ticket, update ticket, reply and note in Freshdesk's API v2 reference. */
    private static final java.util.Set<String> UPDATE_FIELDS = java.util.Set.of("name", "requester_id", "email",
            "facebook_id", "phone", "twitter_id", "unique_external_id", "subject", "type", "status", "priority",
            "description", "responder_id", "attachments", "custom_fields", "due_by", "email_config_id", "fr_due_by",
            "group_id", "parent_id", "product_id", "source", "tags", "company_id", "internal_agent_id",
            "internal_group_id", "lookup_parameter", "skip_close_notification");
    private static final java.util.Set<String> CREATE_FIELDS;
    static {
        java.util.Set<String> create = new java.util.HashSet<>(UPDATE_FIELDS);
        create.remove("skip_close_notification");
        create.add("cc_emails");
        CREATE_FIELDS = java.util.Set.copyOf(create);
    }
    private static final java.util.Set<String> REPLY_FIELDS = java.util.Set.of("body", "attachments", "from_email",
            "user_id", "cc_emails", "bcc_emails");
    private static final java.util.Set<String> NOTE_FIELDS = java.util.Set.of("body", "attachments", "incoming",
            "notify_emails", "private", "user_id");

    private static final Map<Integer, String> PRIORITY_NAMES = Map.of(1, "Low", 2, "Medium", 3, "High", 4, "Urgent");

    private final String apiKey;
    private final TreeMap<Long, ObjectNode> tickets = new TreeMap<>();
    private final Map<Long, List<ObjectNode>> conversations = new HashMap<>();
    private final Map<String, Long> contacts = new HashMap<>();
    private final Map<String, ObjectNode> customFields = new java.util.LinkedHashMap<>();
    private long nextTicketId = 1;
    private long nextConversationId = 1;
    private long nextContactId = 6_000_000_001L;

    @Override
    public String credentials() {
        return "API key " + apiKey + " (user) with password X";
    }

    /** A sandbox whose account has the {@link #DEFAULT_CUSTOM_FIELDS}. */
    public FreshdeskSandbox(SandboxOptions options, Clock clock, String apiKey) {
        this(options, clock, apiKey, DEFAULT_CUSTOM_FIELDS);
    }

    /**
     * A sandbox whose account has exactly these custom ticket fields (names with their {@code cf_} prefix,
     * single-line text), plus any a seeded ticket carries. Like Freshdesk, it refuses a ticket write
     * naming any other custom field.
     */
    public FreshdeskSandbox(SandboxOptions options, Clock clock, String apiKey, List<String> customFieldNames) {
        super(options, clock);
        this.apiKey = apiKey;
        customFieldNames.forEach(this::addCustomField);
    }

    /**
     * Creates a single-line text custom ticket field, as an admin does in Admin > Ticket Fields; a name
     * without the {@code cf_} prefix gets it, as Freshdesk derives the API name from the label.
     */
    public synchronized void addCustomField(String name) {
        String apiName = name.startsWith("cf_") ? name : "cf_" + name;
        if (customFields.containsKey(apiName)) {
            return;
        }
        String label = apiName.substring(3).replace('_', ' ');
        ObjectNode f = JSON.createObjectNode();
        f.put("id", 1_000L + customFields.size());
        f.put("name", apiName);
        f.put("label", label);
        f.put("description", label);
        f.put("position", DEFAULT_TICKET_FIELDS.size() + customFields.size() + 1);
        f.put("required_for_closure", false);
        f.put("required_for_agents", false);
        f.put("type", "custom_text");
        f.put("default", false);
        f.put("customers_can_edit", false);
        f.put("label_for_customers", label);
        f.put("required_for_customers", false);
        f.put("displayed_to_customers", false);
        f.put("created_at", "2015-08-18T16:18:05Z");
        f.put("updated_at", "2015-08-18T16:18:05Z");
        customFields.put(apiName, f);
    }

    /** The names of the account's custom ticket fields, with their {@code cf_} prefix. */
    public synchronized List<String> customFieldNames() {
        return List.copyOf(customFields.keySet());
    }

    @Override
    public String vendor() {
        return "freshdesk";
    }

    @Override
    protected void seed(SandboxOptions.Seed seed) {
        try {
            JsonNode list = JSON.readTree(Files.readString(seed.file()));
            if (!list.isArray()) {
                throw new IllegalArgumentException("a Freshdesk seed is a ticket list array, " + seed.file() + " is not");
            }
            for (JsonNode t : list) {
                ObjectNode ticket = (ObjectNode) t.deepCopy();
                long id = ticket.path("id").asLong();
                if (id <= 0 || tickets.containsKey(id)) {
                    id = nextTicketId;
                    ticket.put("id", id);
                }
                tickets.put(id, ticket);
                nextTicketId = Math.max(nextTicketId, id + 1);
                // tickets that carry a custom field prove the account has it
                ticket.path("custom_fields").fieldNames().forEachRemaining(this::addCustomField);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read seed " + seed.file(), e);
        }
    }

    /** Adds a ticket directly (tests, demos); returns its id. */
    public synchronized long put(ObjectNode ticket) {
        long id = nextTicketId++;
        ticket.put("id", id);
        tickets.put(id, ticket);
        return id;
    }

    private final SandboxRoutes routes = new SandboxRoutes()
            .get("/api/v2/tickets", "list tickets: the last 30 days by `created_at` unless `updated_since`; "
                    + "`order_by`, `order_type`, `company_id`, `include=description,requester`; `per_page` 1-100 "
                    + "(30), paged by a `link` header (`rel=\"next\"`)", (r, p) -> listTickets(r))
            .post("/api/v2/tickets", "create a ticket (`email` or `requester_id`, `subject`; `status`, `priority`, "
                    + "`tags`, `custom_fields`); 201 with `Location`", (r, p) -> createTicket(r))
            .get("/api/v2/tickets/{id}", "one ticket (`include=requester`)",
                    (r, p) -> withTicket(p, t -> SandboxResponse.json(200, write(view(t, r.queryParam("include").orElse(""))))))
            .put("/api/v2/tickets/{id}", "update a ticket; moves `updated_at`", (r, p) -> withTicket(p, t -> updateTicket(t, r)))
            .get("/api/v2/tickets/{id}/conversations", "a ticket's replies and notes, oldest first; `per_page` 1-100, "
                    + "paged by a `link` header", (r, p) -> withTicket(p, t -> listConversations(t, r)))
            .post("/api/v2/tickets/{id}/reply", "a public reply to the requester",
                    (r, p) -> withTicket(p, t -> addConversation(t, r, false)))
            .post("/api/v2/tickets/{id}/notes", "a note, private unless `\"private\": false`",
                    (r, p) -> withTicket(p, t -> addConversation(t, r, true)))
            .get("/api/v2/search/tickets", "filter tickets: `query=\"field:'text' AND field:n OR ...\"` (≤ 512 "
                    + "characters; `tag`, `status`, `priority`, `group_id`, `requester_id`, `type`, `agent_id`, custom "
                    + "fields without `cf_`), 30 a page, `page` 1-10", (r, p) -> search(r))
            .get("/api/v2/ticket_fields", "the account's ticket fields, default ones and custom ones "
                    + "(`cf_...`); `type=` filters", (r, p) -> ticketFields(r))
            .get("/api/v2/admin/ticket_fields", "the same list under the admin path Freshdesk documents today",
                    (r, p) -> ticketFields(r))
            .get("/api/v2/agents/me", "the agent the API key belongs to", (r, p) -> SandboxResponse.json(200, """
                    {"available":true,"occasional":false,"id":1,"ticket_scope":1,"signature":null,
                     "created_at":"2015-08-18T16:18:05Z","updated_at":"2015-08-18T16:18:05Z",
                     "contact":{"active":true,"email":"hub@sandbox.freshdesk.test","name":"ITSM Hub","language":"en",
                      "time_zone":"UTC","created_at":"2015-08-18T16:18:05Z","updated_at":"2015-08-18T16:18:05Z"}}"""));

    @Override
    public SandboxRoutes routes() {
        return routes;
    }

    @Override
    protected SandboxResponse handle(SandboxRequest r) {
        if (!authorized(r)) {
            return SandboxResponse.json(401, UNAUTHORIZED);
        }
        return routes.dispatch(r).orElseGet(() -> routes.pathServedByAnotherMethod(r) ? methodNotAllowed(r)
                : SandboxResponse.json(404, "{\"code\":\"not_found\",\"message\":\"No route matches " + r.method() + " "
                        + r.path().replace("\"", "") + "\"}"));
    }

    /**
     * Basic auth with the API key as user name; Freshdesk ignores the password ("X" by convention, any
     * dummy value works), so clients that send another one are let in as Freshdesk would.
     */
    private boolean authorized(SandboxRequest r) {
        String auth = r.header("Authorization").orElse("");
        if (!auth.regionMatches(true, 0, "Basic ", 0, 6)) {
            return false;
        }
        try {
            String pair = new String(Base64.getDecoder().decode(auth.substring(6).strip()), StandardCharsets.UTF_8);
            int colon = pair.indexOf(':');
            return colon >= 0 && pair.substring(0, colon).equals(apiKey);
        } catch (IllegalArgumentException notBase64) {
            return false;
        }
    }

    /**
     * Freshdesk answers 405 for a known path with a wrong method (its API docs: a PUT on
     * {@code /api/v2/tickets} is a 405, as that path takes only GET and POST), naming the methods it takes.
     */
    private SandboxResponse methodNotAllowed(SandboxRequest r) {
        String allowed = routes.list().stream()
                .filter(route -> r.match(r.method(), route.path()).isPresent())
                .map(SandboxRoutes.Route::method).distinct().collect(java.util.stream.Collectors.joining(", "));
        return SandboxResponse.json(405, "{\"message\":\"" + r.method() + " method is not allowed. It should be one of "
                + "these method(s): " + allowed + "\"}").withHeader("Allow", allowed);
    }

    // --- tickets

    private SandboxResponse listTickets(SandboxRequest r) {
        Integer perPage = intParam(r, "per_page", 30);
        Integer page = intParam(r, "page", 1);
        if (perPage == null || perPage < 1 || perPage > 100) {
            return invalid("per_page", "It should be a Positive Integer less than or equal to 100", "invalid_value");
        }
        if (page == null || page < 1) {
            return invalid("page", "It should be a Positive Integer", "invalid_value");
        }
        String orderBy = r.queryParam("order_by").orElse("created_at");
        if (!List.of("created_at", "due_by", "updated_at", "status").contains(orderBy)) {
            return invalid("order_by", "It should be one of these values: 'created_at,due_by,updated_at,status'",
                    "invalid_value");
        }
        String orderType = r.queryParam("order_type").orElse("desc");
        if (!List.of("asc", "desc").contains(orderType)) {
            return invalid("order_type", "It should be one of these values: 'asc,desc'", "invalid_value");
        }
        Instant since;
        String field;
        if (r.queryParam("updated_since").isPresent()) {
            since = instant(r.queryParam("updated_since").get());
            if (since == null) {
                return invalid("updated_since", "It should be in the 'valid date' format", "invalid_date");
            }
            field = "updated_at";
        } else {
            since = clock().instant().minus(Duration.ofDays(30)); // Freshdesk's silent default
            field = "created_at";
        }
        Long company = r.queryParam("company_id").map(Long::valueOf).orElse(null);
        String include = r.queryParam("include").orElse("");
        List<ObjectNode> matching = new ArrayList<>();
        for (ObjectNode t : tickets.values()) {
            Instant at = instant(t.path(field).asText(null));
            if (at != null && !at.isBefore(since) && (company == null || company == t.path("company_id").asLong(-1))) {
                matching.add(t);
            }
        }
        Comparator<ObjectNode> order = Comparator.comparing((ObjectNode t) -> sortKey(t, orderBy))
                .thenComparing(t -> t.path("id").asLong());
        matching.sort("asc".equals(orderType) ? order : order.reversed());
        int from = Math.min((page - 1) * perPage, matching.size());
        int to = Math.min(from + perPage, matching.size());
        ArrayNode out = JSON.createArrayNode();
        for (ObjectNode t : matching.subList(from, to)) {
            ObjectNode v = view(t, include);
            if (!include.contains("description")) {
                v.remove("description");
                v.remove("description_text");
            }
            out.add(v);
        }
        SandboxResponse response = SandboxResponse.json(200, write(out));
        if (to < matching.size()) {
            response = response.withHeader("Link", "<" + nextUrl(r, page + 1) + ">; rel=\"next\"");
        }
        return response;
    }

    private SandboxResponse createTicket(SandboxRequest r) {
        ObjectNode body;
        try {
            body = (ObjectNode) JSON.readTree(r.bodyAsString());
        } catch (IOException | ClassCastException e) {
            return SandboxResponse.json(400, "{\"description\":\"Validation failed\",\"errors\":[{\"code\":\"invalid_json\","
                    + "\"message\":\"Request body has invalid json format\"}]}");
        }
        List<String[]> errors = new ArrayList<>();
        if (!body.hasNonNull("email") && !body.hasNonNull("requester_id")) {
            errors.add(new String[] {"requester_id", "Please fill at least 1 of requester_id, phone, email, twitter_id, "
                    + "facebook_id, unique_external_id fields", "missing_field"});
        }
        if (!body.hasNonNull("subject")) {
            errors.add(new String[] {"subject", "It should be a/an String", "missing_field"});
        }
        checkCode(body, "status", 2, 99, errors);
        checkCode(body, "priority", 1, 4, errors);
        checkKnownFields(body, CREATE_FIELDS, errors);
        checkCustomFields(body, errors);
        if (!errors.isEmpty()) {
            return invalid(errors);
        }
        String now = now();
        long id = nextTicketId++;
        ObjectNode t = JSON.createObjectNode();
        t.putArray("cc_emails");
        t.putArray("fwd_emails");
        t.putArray("reply_cc_emails");
        t.put("fr_escalated", false);
        t.put("spam", false);
        t.putNull("email_config_id");
        t.set("group_id", body.path("group_id").isMissingNode() ? JSON.nullNode() : body.get("group_id"));
        t.put("priority", body.path("priority").asInt(1));
        t.put("priority_name", PRIORITY_NAMES.get(body.path("priority").asInt(1)));
        t.put("requester_id", body.hasNonNull("requester_id") ? body.get("requester_id").asLong()
                : contacts.computeIfAbsent(body.get("email").asText(), e -> nextContactId++));
        t.set("responder_id", body.path("responder_id").isMissingNode() ? JSON.nullNode() : body.get("responder_id"));
        t.put("source", body.path("source").asInt(2));
        t.set("company_id", body.path("company_id").isMissingNode() ? JSON.nullNode() : body.get("company_id"));
        t.put("status", body.path("status").asInt(2));
        t.put("subject", body.get("subject").asText());
        t.putNull("to_emails");
        t.putNull("product_id");
        t.put("id", id);
        t.set("type", body.path("type").isMissingNode() ? JSON.nullNode() : body.get("type"));
        t.put("due_by", now);
        t.put("fr_due_by", now);
        t.put("is_escalated", false);
        String html = body.path("description").asText("");
        t.put("description", html);
        t.put("description_text", plainText(html));
        t.set("custom_fields", body.path("custom_fields").isObject() ? body.get("custom_fields") : JSON.createObjectNode());
        t.put("created_at", now);
        t.put("updated_at", now);
        t.set("tags", body.path("tags").isArray() ? body.get("tags") : JSON.createArrayNode());
        t.putArray("attachments");
        if (body.hasNonNull("email")) {
            contactEmails.put(t.get("requester_id").asLong(), body.get("email").asText());
        }
        tickets.put(id, t);
        return SandboxResponse.json(201, write(t)).withHeader("Location", "/api/v2/tickets/" + id);
    }

    private final Map<Long, String> contactEmails = new HashMap<>();

    private SandboxResponse updateTicket(ObjectNode t, SandboxRequest r) {
        ObjectNode body;
        try {
            body = (ObjectNode) JSON.readTree(r.bodyAsString());
        } catch (IOException | ClassCastException e) {
            return invalid("body", "Request body has invalid json format", "invalid_json");
        }
        List<String[]> errors = new ArrayList<>();
        checkCode(body, "status", 2, 99, errors);
        checkCode(body, "priority", 1, 4, errors);
        checkKnownFields(body, UPDATE_FIELDS, errors);
        checkCustomFields(body, errors);
        if (!errors.isEmpty()) {
            return invalid(errors);
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equals("custom_fields") && e.getValue().isObject()) {
                ((ObjectNode) t.with("custom_fields")).setAll((ObjectNode) e.getValue());
            } else if (e.getKey().equals("description")) {
                t.put("description", e.getValue().asText());
                t.put("description_text", plainText(e.getValue().asText()));
            } else if (!e.getKey().equals("id")) {
                t.set(e.getKey(), e.getValue());
            }
        }
        if (body.has("priority")) {
            t.put("priority_name", PRIORITY_NAMES.get(body.get("priority").asInt()));
        }
        t.put("updated_at", now());
        return SandboxResponse.json(200, write(t));
    }

    // --- conversations

    private SandboxResponse listConversations(ObjectNode t, SandboxRequest r) {
        Integer perPage = intParam(r, "per_page", 30);
        Integer page = intParam(r, "page", 1);
        if (perPage == null || perPage < 1 || perPage > 100) {
            return invalid("per_page", "It should be a Positive Integer less than or equal to 100", "invalid_value");
        }
        if (page == null || page < 1) {
            return invalid("page", "It should be a Positive Integer", "invalid_value");
        }
        List<ObjectNode> all = conversations.getOrDefault(t.get("id").asLong(), List.of());
        int from = Math.min((page - 1) * perPage, all.size());
        int to = Math.min(from + perPage, all.size());
        ArrayNode out = JSON.createArrayNode();
        all.subList(from, to).forEach(out::add);
        SandboxResponse response = SandboxResponse.json(200, write(out));
        if (to < all.size()) {
            response = response.withHeader("Link", "<" + nextUrl(r, page + 1) + ">; rel=\"next\"");
        }
        return response;
    }

    private SandboxResponse addConversation(ObjectNode t, SandboxRequest r, boolean note) {
        JsonNode body;
        try {
            body = JSON.readTree(r.bodyAsString());
        } catch (IOException e) {
            return invalid("body", "Request body has invalid json format", "invalid_json");
        }
        List<String[]> unknown = new ArrayList<>();
        if (body != null) {
            checkKnownFields(body, note ? NOTE_FIELDS : REPLY_FIELDS, unknown);
        }
        if (!unknown.isEmpty()) {
            return invalid(unknown);
        }
        if (body == null || !body.hasNonNull("body") || body.get("body").asText().isBlank()) {
            return invalid("body", "It should not be blank as this is a mandatory field", "missing_field");
        }
        String now = now();
        ObjectNode c = JSON.createObjectNode();
        String html = body.get("body").asText();
        c.put("body", html);
        c.put("body_text", plainText(html));
        c.put("id", nextConversationId++);
        c.put("incoming", false);
        c.put("private", note ? body.path("private").asBoolean(true) : false);
        c.put("user_id", 1);
        c.putNull("support_email");
        c.put("source", note ? 2 : 0);
        c.put("ticket_id", t.get("id").asLong());
        ArrayNode to = c.putArray("to_emails");
        if (!note) {
            Optional.ofNullable(contactEmails.get(t.path("requester_id").asLong())).ifPresent(to::add);
        }
        if (note) {
            c.putNull("from_email");
        } else {
            c.put("from_email", "ITSM Hub <hub@sandbox.freshdesk.test>");
        }
        c.putNull("cc_emails");
        c.putNull("bcc_emails");
        c.put("created_at", now);
        c.put("updated_at", now);
        c.putArray("attachments");
        conversations.computeIfAbsent(t.get("id").asLong(), k -> new ArrayList<>()).add(c);
        t.put("updated_at", now);
        return SandboxResponse.json(201, write(c));
    }

    // --- search

    /**
     * Freshdesk's filter language, the subset of {@code field:'text'}, {@code field:number}, AND, OR;
     * at most 512 characters, 30 results a page, pages 1 to 10.
     */
    private SandboxResponse search(SandboxRequest r) {
        String query = r.queryParam("query").orElse("");
        if (query.length() < 2 || !query.startsWith("\"") || !query.endsWith("\"")) {
            return invalid("query", "It should be enclosed in double quotes", "invalid_value");
        }
        // Freshdesk's limit is on the query as sent; counting the quotes too keeps a client that fits
        // here inside the limit however Freshdesk counts them
        if (query.length() > SEARCH_QUERY_MAX) {
            return invalid("query", "Has " + query.length() + " characters, it can have maximum of "
                    + SEARCH_QUERY_MAX + " characters", "invalid_value");
        }
        String inner = query.substring(1, query.length() - 1);
        List<List<Matcher>> disjunction = new ArrayList<>();
        for (String any : inner.split(" OR ")) {
            List<Matcher> all = new ArrayList<>();
            for (String term : any.split(" AND ")) {
                Matcher m = TERM.matcher(term);
                if (!m.matches()) {
                    return invalid("query", "Given query is invalid", "invalid_value");
                }
                all.add(m);
            }
            disjunction.add(all);
        }
        List<ObjectNode> hits = new ArrayList<>();
        for (ObjectNode t : tickets.values()) {
            if (disjunction.stream().anyMatch(all -> all.stream().allMatch(m -> matches(t, m)))) {
                hits.add(t);
            }
        }
        Integer page = intParam(r, "page", 1);
        if (page == null || page < 1 || page > 10) {
            return invalid("page", "It should be a Positive Integer less than or equal to 10", "invalid_value");
        }
        ObjectNode out = JSON.createObjectNode();
        ArrayNode results = out.putArray("results");
        hits.stream().skip((long) (page - 1) * SEARCH_PAGE).limit(SEARCH_PAGE).forEach(results::add);
        out.put("total", hits.size());
        return SandboxResponse.json(200, write(out));
    }

    private static boolean matches(ObjectNode t, Matcher m) {
        String field = m.group(1);
        String text = m.group(2) != null ? m.group(2) : m.group(3);
        if (field.equals("tag")) {
            if (m.group(4) != null) {
                return !t.path("tags").elements().hasNext();
            }
            for (JsonNode tag : t.path("tags")) {
                if (tag.asText().equalsIgnoreCase(text)) {
                    return true;
                }
            }
            return false;
        }
        JsonNode value = List.of("status", "priority", "group_id", "requester_id", "type", "agent_id").contains(field)
                ? t.path(field.equals("agent_id") ? "responder_id" : field)
                : t.path("custom_fields").path("cf_" + field);
        if (m.group(4) != null) {
            return value.isNull() || value.isMissingNode();
        }
        return !value.isNull() && !value.isMissingNode() && value.asText().equals(text);
    }

    // --- rate limits and errors in Freshdesk's shape

    @Override
    protected SandboxResponse rateLimited(Duration retryAfter) {
        return SandboxResponse.json(429, "{\"message\":\"You have exceeded the limit of requests per minute\"}")
                .withHeader("Retry-After", Long.toString(Math.max(1, retryAfter.toSeconds())))
                .withHeader("X-RateLimit-Total", Integer.toString(options().rateLimit()))
                .withHeader("X-RateLimit-Remaining", "0")
                .withHeader("X-RateLimit-Used-CurrentRequest", "1");
    }

    @Override
    protected SandboxResponse serverError() {
        return SandboxResponse.json(503, "{\"code\":\"service_unavailable\",\"message\":\"Service temporarily unavailable\"}");
    }

    @Override
    protected SandboxResponse withRateLimitHeaders(SandboxResponse response, int limit, int remaining) {
        return response.withHeader("X-RateLimit-Total", Integer.toString(limit))
                .withHeader("X-RateLimit-Remaining", Integer.toString(remaining))
                .withHeader("X-RateLimit-Used-CurrentRequest", "1");
    }

    // --- helpers

    private SandboxResponse withTicket(Map<String, String> params, java.util.function.Function<ObjectNode, SandboxResponse> f) {
        long id;
        try {
            id = Long.parseLong(params.get("id"));
        } catch (NumberFormatException e) {
            return SandboxResponse.empty(404);
        }
        ObjectNode t = tickets.get(id);
        return t == null ? SandboxResponse.empty(404) : f.apply(t);
    }

    private ObjectNode view(ObjectNode t, String include) {
        ObjectNode v = t.deepCopy();
        if (include.contains("requester") && v.hasNonNull("requester_id")) {
            long rid = v.get("requester_id").asLong();
            ObjectNode req = v.putObject("requester");
            req.put("id", rid);
            String email = contactEmails.get(rid);
            req.put("name", email == null ? "Requester " + rid : email.substring(0, email.indexOf('@')));
            if (email == null) {
                req.putNull("email");
            } else {
                req.put("email", email);
            }
            req.putNull("mobile");
            req.putNull("phone");
        }
        return v;
    }

    /**
     * The {@code *_text} twin of an HTML body: tags removed, a line break for each {@code <br>} and
     * block end, entities decoded, every other character (zero-width ones included) kept as sent.
     */
    static String plainText(String html) {
        return html.replaceAll("(?i)<br\\s*/?>", "\n").replaceAll("(?i)</(p|div|li|h[1-6]|tr)>", "\n")
                .replaceAll("<!--.*?-->", "").replaceAll("<[^>]*>", "").replace("&nbsp;", " ").replace("&lt;", "<")
                .replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'").replace("&amp;", "&").strip();
    }

    /** Freshdesk refuses a body field it does not know (a typo such as {@code priorty}), each by its name. */
    private static void checkKnownFields(JsonNode body, java.util.Set<String> known, List<String[]> errors) {
        body.fieldNames().forEachRemaining(name -> {
            if (!known.contains(name)) {
                errors.add(new String[] {name, "Unexpected/invalid field in request", "invalid_field"});
            }
        });
    }

    /**
     * Freshdesk refuses a write naming a custom field the account does not have, one error per unknown
     * name as sent (its own API tests: {@code bad_request_error_pattern('dsfsdf', 'invalid_field')}).
     */
    private void checkCustomFields(JsonNode body, List<String[]> errors) {
        body.path("custom_fields").fieldNames().forEachRemaining(name -> {
            if (!customFields.containsKey(name)) {
                errors.add(new String[] {name, "Unexpected/invalid field in request", "invalid_field"});
            }
        });
    }

    private SandboxResponse ticketFields(SandboxRequest r) {
        String type = r.queryParam("type").orElse(null);
        ArrayNode out = JSON.createArrayNode();
        try {
            for (String f : DEFAULT_TICKET_FIELDS) {
                out.add(JSON.readTree(f));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        customFields.values().forEach(out::add);
        if (type != null) {
            for (Iterator<JsonNode> it = out.elements(); it.hasNext();) {
                if (!type.equals(it.next().path("type").asText())) {
                    it.remove();
                }
            }
        }
        return SandboxResponse.json(200, write(out));
    }

    private static void checkCode(JsonNode body, String field, int min, int max, List<String[]> errors) {
        if (body.has(field) && (!body.get(field).canConvertToInt() || body.get(field).asInt() < min
                || body.get(field).asInt() > max)) {
            errors.add(new String[] {field, "It should be one of these values: '" + min + ".." + max + "'", "invalid_value"});
        }
    }

    private static SandboxResponse invalid(String field, String message, String code) {
        List<String[]> one = new ArrayList<>();
        one.add(new String[] {field, message, code});
        return invalid(one);
    }

    private static SandboxResponse invalid(List<String[]> errors) {
        ObjectNode out = JSON.createObjectNode();
        out.put("description", "Validation failed");
        ArrayNode list = out.putArray("errors");
        for (String[] e : errors) {
            list.addObject().put("field", e[0]).put("message", e[1]).put("code", e[2]);
        }
        return SandboxResponse.json(400, write(out));
    }

    private static Integer intParam(SandboxRequest r, String name, int dflt) {
        try {
            return r.queryParam(name).map(Integer::valueOf).orElse(dflt);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private String nextUrl(SandboxRequest r, int page) {
        StringBuilder sb = new StringBuilder(baseUrl()).append(r.path()).append('?');
        r.query().forEach((k, vs) -> {
            if (!k.equals("page")) {
                vs.forEach(v -> sb.append(enc(k)).append('=').append(enc(v)).append('&'));
            }
        });
        return sb.append("page=").append(page).toString();
    }

    private static String enc(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String sortKey(ObjectNode t, String field) {
        if (field.equals("status")) {
            return String.format("%05d", t.path("status").asInt());
        }
        Instant at = instant(t.path(field).asText(null));
        return at == null ? "" : at.toString();
    }

    private String now() {
        return DateTimeFormatter.ISO_INSTANT.format(clock().instant().truncatedTo(ChronoUnit.SECONDS));
    }

    private static Instant instant(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static String write(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
