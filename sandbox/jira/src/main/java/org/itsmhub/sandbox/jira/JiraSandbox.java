package org.itsmhub.sandbox.jira;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.itsmhub.sandbox.SandboxOptions;
import org.itsmhub.sandbox.SandboxRequest;
import org.itsmhub.sandbox.SandboxResponse;
import org.itsmhub.sandbox.SandboxRoutes;
import org.itsmhub.sandbox.VendorSandbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A stateful fake of Jira Cloud (platform REST v3) with Jira Service Management, on 127.0.0.1: the
 * endpoints in {@link #routes()} (JQL search, projects, issues, transitions, comments, entity
 * properties, service desks, request types, customer requests and their comments).
 * Credentials: basic auth {@value #EMAIL} / {@value #API_TOKEN}, or {@code Bearer }{@value #BEARER_TOKEN};
 * anything else gets Jira's 401. The account's time zone (JQL dates) is UTC. Projects are those of the
 * seeded issues, in seed order (else one project {@code SD}); each is a service project with a service
 * desk numbered in that order, so service desk {@value #SERVICE_DESK_ID} is the first seeded issue's
 * project. Every desk offers the same request types ({@link #REQUEST_TYPES}). Workflow: JSM's IT
 * support statuses, every status reachable from every other; the transition to Resolved needs a
 * resolution. Every write moves the issue's {@code updated}.
 */
public final class JiraSandbox extends VendorSandbox {

    public static final String EMAIL = "hub@sandbox.example";
    public static final String API_TOKEN = "sandbox-api-token";
    public static final String BEARER_TOKEN = "sandbox-bearer-token";
    public static final String SERVICE_DESK_ID = "1";

    @Override
    public String credentials() {
        return "basic auth " + EMAIL + " / " + API_TOKEN + ", or bearer token " + BEARER_TOKEN
                + "; service desk " + SERVICE_DESK_ID + ", request types "
                + String.join(", ", REQUEST_TYPES.stream().map(RequestType::id).toList());
    }
    public static final String ACCOUNT_ID = "557058:sandbox-hub";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String REQUEST_TYPE_FIELD = "customfield_10010";
    private static final int MAX_RESULTS = 100;

    /** JSM's IT support workflow: transition id → target status (name, id, category key). */
    private static final List<String[]> WORKFLOW = List.of(
            new String[] {"11", "Waiting for support", "10001", "new"},
            new String[] {"21", "In Progress", "3", "indeterminate"},
            new String[] {"31", "Waiting for customer", "10002", "indeterminate"},
            new String[] {"41", "Pending", "10003", "indeterminate"},
            new String[] {"51", "Resolved", "10004", "done"},
            new String[] {"61", "Canceled", "10005", "done"},
            new String[] {"71", "Closed", "6", "done"});
    private static final List<String> PRIORITIES = List.of("Highest", "High", "Medium", "Low", "Lowest");
    private static final List<String> RESOLUTIONS = List.of("Done", "Won't Do", "Duplicate", "Declined");

    /** Issue types of the service projects: id, name. */
    private static final List<String[]> ISSUE_TYPES = List.of(
            new String[] {"10001", "[System] Service request"},
            new String[] {"10002", "[System] Incident"},
            new String[] {"10003", "[System] Problem"},
            new String[] {"10004", "[System] Change"},
            new String[] {"10005", "Task"});

    /** A request type of every service desk of the sandbox. */
    record RequestType(String id, String name, String description, String helpText, String issueTypeId,
            List<String> groupIds) {
    }

    /** The request types every service desk offers; only these ids are accepted when raising a request. */
    static final List<RequestType> REQUEST_TYPES = List.of(
            new RequestType("25", "Get IT help", "Ask the IT team for help with anything not listed here.",
                    "Describe what you need; an agent answers in the portal.", "10001", List.of("1")),
            new RequestType("26", "Report a system problem", "Something that used to work is broken or slow.",
                    "Say which system and since when.", "10002", List.of("1", "2")),
            new RequestType("27", "Request new hardware", "A laptop, monitor, phone or other equipment.",
                    "", "10001", List.of("3")),
            new RequestType("28", "Request a change", "A planned change to a system or service.",
                    "", "10004", List.of("4")));

    private static final int JSM_MAX_LIMIT = 100;
    private static final List<String> REQUEST_EXPANDS = List.of("participant", "status", "sla", "requestType",
            "serviceDesk", "attachment", "action", "comment");

    private final Map<String, JiraIssue> issues = new LinkedHashMap<>();
    private final Map<String, JiraProject> projects = new LinkedHashMap<>();
    private long nextIssueId = 10000;
    private long nextCommentId = 10000;

    public JiraSandbox(SandboxOptions options, Clock clock) {
        super(options, clock);
    }

    @Override
    public String vendor() {
        return "jira";
    }

    // ------------------------------------------------------------------ seeds

    /** A Jira search response ({@code {"issues":[...]}}), e.g. a saved answer of /rest/api/3/search/jql. */
    @Override
    protected void seed(SandboxOptions.Seed seed) {
        JsonNode root;
        try {
            root = JSON.readTree(Files.readString(seed.file()));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read Jira seed " + seed.file() + ": " + e.getMessage(), e);
        }
        if (root == null || !root.path("issues").isArray()) {
            throw new IllegalArgumentException("Jira seed " + seed.file() + " is not a search response {\"issues\":[...]}");
        }
        for (JsonNode node : root.path("issues")) {
            addSeed((ObjectNode) node.deepCopy());
        }
    }

    /** Adds one issue as Jira would return it (tests may seed directly). */
    public synchronized void addSeed(ObjectNode issue) {
        if (!issue.path("key").isTextual()) {
            throw new IllegalArgumentException("a seeded issue needs a key");
        }
        if (!issue.path("id").isTextual()) {
            issue.put("id", String.valueOf(nextIssueId));
        }
        nextIssueId = Math.max(nextIssueId, parseLong(issue.path("id").asText()) + 1);
        if (!issue.path("fields").isObject()) {
            issue.putObject("fields");
        }
        JiraIssue i = new JiraIssue(issue);
        if (!JiraIssue.isJiraTime(i.fields().path("updated"))) {
            // the documentation examples carry "updated": 1; a seeded ticket counts as changed now
            i.fields().put("updated", JiraIssue.JIRA_TIME.format(clock().instant()));
        }
        if (issues.isEmpty()) {
            projects.clear(); // the first seeded issue's project becomes service desk 1
        }
        register(i);
        for (JsonNode c : i.fields().path("comment").isArray() ? i.fields().path("comment") : JSON.createArrayNode()) {
            i.comments.add((ObjectNode) c.deepCopy());
        }
        issues.put(i.key(), i);
    }

    /** The issue with this key as the sandbox holds it, for tests. */
    public synchronized Optional<JsonNode> issue(String key) {
        return Optional.ofNullable(issues.get(key)).map(i -> i.json.deepCopy());
    }

    // ------------------------------------------------------------------ routing

    private static final String REMOVED_SEARCH = "removed by Atlassian: 410 naming `/rest/api/3/search/jql`";

    private final SandboxRoutes routes = new SandboxRoutes()
            .get("/rest/api/3/myself", "the sandbox account (time zone UTC)", (r, p) -> ok(myself()))
            .post("/rest/api/3/search/jql", "JQL search (the subset in connectors/jira.md), `fields`, `maxResults` "
                    + "up to 100, paged by `nextPageToken` / `isLast`", (r, p) -> {
                        JsonNode body = body(r);
                        return search(body.path("jql").asText(""), list(body.path("fields")),
                                body.path("maxResults").asInt(50), text(body.path("nextPageToken")));
                    })
            .get("/rest/api/3/search/jql", "the same search, parameters in the query", (r, p) -> search(
                    r.queryParam("jql").orElse(""), values(r, "fields"),
                    intParam(r, "maxResults", 50), r.queryParam("nextPageToken").orElse(null)))
            .get("/rest/api/3/search", REMOVED_SEARCH, (r, p) -> removedSearch())
            .post("/rest/api/3/search", REMOVED_SEARCH, (r, p) -> removedSearch())
            .get("/rest/api/2/search", REMOVED_SEARCH, (r, p) -> removedSearch())
            .post("/rest/api/2/search", REMOVED_SEARCH, (r, p) -> removedSearch())
            .get("/rest/api/3/project/search", "projects, paged by `startAt` / `maxResults` (default 50, up to 100) / "
                    + "`isLast`; filters `keys`, `id`, `query`, `typeKey`; `orderBy` key or name", (r, p) -> projectSearch(r))
            .get("/rest/api/3/project", "every project (deprecated by Atlassian, still served)", (r, p) -> {
                ArrayNode all = JSON.createArrayNode();
                projects().values().forEach(project -> all.add(projectView(project, false)));
                return ok(all);
            })
            .get("/rest/api/3/project/{projectIdOrKey}", "one project with its issue types; 404 for an unknown one",
                    (r, p) -> ok(projectView(findProject(p.get("projectIdOrKey")), true)))
            .post("/rest/api/3/issue", "create an issue: project, issuetype, summary, ADF description, priority, labels, "
                    + "assignee, `customfield_*`; 201 `{id, key, self}`", (r, p) -> createIssue(body(r)))
            .get("/rest/api/3/issue/{issueIdOrKey}", "one issue; `fields` picks the fields", (r, p) -> ok(view(
                    find(p.get("issueIdOrKey")), values(r, "fields").isEmpty() ? List.of("*all") : values(r, "fields"))))
            .put("/rest/api/3/issue/{issueIdOrKey}", "edit summary, ADF description, priority, labels, assignee, "
                    + "`customfield_*`", (r, p) -> updateIssue(find(p.get("issueIdOrKey")), body(r)))
            .get("/rest/api/3/issue/{issueIdOrKey}/transitions", "the transitions to every other status; "
                    + "`expand=transitions.fields` shows the resolution Resolved requires", (r, p) -> ok(transitions(
                            find(p.get("issueIdOrKey")), values(r, "expand").contains("transitions.fields"))))
            .post("/rest/api/3/issue/{issueIdOrKey}/transitions", "move the issue; Resolved (51) needs "
                    + "`fields.resolution`", (r, p) -> transition(find(p.get("issueIdOrKey")), body(r)))
            .get("/rest/api/3/issue/{issueIdOrKey}/comment", "comments, paged by `startAt` / `maxResults`; "
                    + "`expand=properties`", (r, p) -> comments(find(p.get("issueIdOrKey")), intParam(r, "startAt", 0),
                            intParam(r, "maxResults", 5000), values(r, "expand").contains("properties")))
            .post("/rest/api/3/issue/{issueIdOrKey}/comment", "add an ADF comment; the property `sd.public.comment` "
                    + "`{\"internal\": true}` makes it internal", (r, p) -> addIssueComment(find(p.get("issueIdOrKey")), body(r)))
            .put("/rest/api/3/issue/{issueIdOrKey}/properties/{propertyKey}", "set an issue entity property "
                    + "(up to 32 KB)", (r, p) -> setProperty(find(p.get("issueIdOrKey")), p.get("propertyKey"), r.bodyAsString()))
            .get("/rest/servicedeskapi/servicedesk", "the service desks, one per project, paged by `start` / `limit` / "
                    + "`isLastPage`", (r, p) -> {
                        List<JsonNode> desks = new ArrayList<>();
                        projects().values().forEach(project -> desks.add(serviceDeskView(project)));
                        return ok(jsmPage(r, desks));
                    })
            .get("/rest/servicedeskapi/servicedesk/{serviceDeskId}", "one service desk",
                    (r, p) -> ok(serviceDeskView(findDesk(p.get("serviceDeskId")))))
            .get("/rest/servicedeskapi/servicedesk/{serviceDeskId}/requesttype", "its request types (25 to 28), paged; "
                    + "filters `searchQuery`, `groupId`", (r, p) -> requestTypes(findDesk(p.get("serviceDeskId")), r))
            .get("/rest/servicedeskapi/servicedesk/{serviceDeskId}/requesttype/{requestTypeId}", "one request type",
                    (r, p) -> ok(requestTypeView(findDesk(p.get("serviceDeskId")), requestType(p.get("requestTypeId"))
                            .orElseThrow(() -> new Answered(unknownRequestType(404, p.get("requestTypeId")))))))
            .post("/rest/servicedeskapi/request", "raise a request: `serviceDeskId`, `requestTypeId`, "
                    + "`requestFieldValues` (summary, plain-text description, labels, priority, `customfield_*`)",
                    (r, p) -> createRequest(body(r)))
            .get("/rest/servicedeskapi/request/{issueIdOrKey}", "one customer request with its current status",
                    (r, p) -> ok(requestView(findRequest(p.get("issueIdOrKey")))))
            .get("/rest/servicedeskapi/request/{issueIdOrKey}/comment", "its comments as plain text, paged; "
                    + "`public=false` / `internal=false` leave those out", (r, p) -> requestComments(findRequest(
                            p.get("issueIdOrKey")), r))
            .post("/rest/servicedeskapi/request/{issueIdOrKey}/comment", "add a plain-text comment, `public` true or false",
                    (r, p) -> addRequestComment(findRequest(p.get("issueIdOrKey")), body(r)));

    @Override
    public SandboxRoutes routes() {
        return routes;
    }

    @Override
    protected SandboxResponse handle(SandboxRequest r) {
        if (!authenticated(r)) {
            return new SandboxResponse(401, Map.of("Content-Type", "text/plain;charset=UTF-8"),
                    "Client must be authenticated to access this resource.");
        }
        try {
            return routes.dispatch(r).orElseGet(() -> SandboxResponse.json(404, "{\"errorMessages\":[\"null for uri: "
                    + baseUrl() + r.path() + "\"],\"errors\":{}}"));
        } catch (Answered e) {
            return e.response;
        } catch (JqlQuery.JqlException e) {
            return jiraError(400, e.getMessage());
        } catch (BadBody e) {
            return jiraError(400, e.getMessage());
        }
    }

    private static SandboxResponse removedSearch() {
        return jiraError(410, "The requested API has been removed. Please migrate to the /rest/api/3/search/jql API.");
    }

    private boolean authenticated(SandboxRequest r) {
        String auth = r.header("Authorization").orElse("");
        String basic = "Basic " + Base64.getEncoder().encodeToString((EMAIL + ":" + API_TOKEN)
                .getBytes(StandardCharsets.UTF_8));
        return auth.equals(basic) || auth.equals("Bearer " + BEARER_TOKEN);
    }

    // ------------------------------------------------------------------ platform API

    private ObjectNode myself() {
        ObjectNode me = JSON.createObjectNode();
        me.put("self", baseUrl() + "/rest/api/3/user?accountId=" + ACCOUNT_ID);
        me.put("accountId", ACCOUNT_ID).put("accountType", "atlassian").put("emailAddress", EMAIL);
        me.put("displayName", "ITSM Hub (sandbox)").put("active", true).put("timeZone", "UTC").put("locale", "en_US");
        me.putObject("groups").put("size", 1).putArray("items");
        me.putObject("applicationRoles").put("size", 1).putArray("items");
        return me;
    }

    /** The account as Jira embeds a user in issues and comments (UserDetails: no groups, roles or locale). */
    private ObjectNode meInBrief() {
        ObjectNode me = JSON.createObjectNode();
        me.put("self", baseUrl() + "/rest/api/3/user?accountId=" + ACCOUNT_ID);
        me.put("accountId", ACCOUNT_ID).put("emailAddress", EMAIL);
        ObjectNode avatars = me.putObject("avatarUrls");
        for (String size : List.of("48x48", "24x24", "16x16", "32x32")) {
            avatars.put(size, baseUrl() + "/secure/useravatar?size=" + size + "&accountId=" + ACCOUNT_ID);
        }
        me.put("displayName", "ITSM Hub (sandbox)").put("active", true).put("timeZone", "UTC").put("accountType", "atlassian");
        return me;
    }

    private synchronized SandboxResponse search(String jql, List<String> fields, int maxResults, String token) {
        JqlQuery query = JqlQuery.parse(jql, ZoneOffset.UTC);
        List<JiraIssue> matching = new ArrayList<>(issues.values().stream().filter(query.where).toList());
        matching.sort(query.order);
        int start = 0;
        if (token != null) {
            start = decodeToken(token, jql);
        }
        int size = Math.max(1, Math.min(maxResults, MAX_RESULTS));
        int end = Math.min(matching.size(), start + size);
        ObjectNode page = JSON.createObjectNode();
        ArrayNode arr = page.putArray("issues");
        for (JiraIssue i : matching.subList(Math.min(start, end), end)) {
            arr.add(view(i, fields.isEmpty() ? List.of("id") : fields));
        }
        if (end < matching.size()) {
            page.put("nextPageToken", Base64.getUrlEncoder().withoutPadding().encodeToString(
                    (end + ":" + jql.hashCode()).getBytes(StandardCharsets.UTF_8)));
        }
        page.put("isLast", end >= matching.size());
        return ok(page);
    }

    private static int decodeToken(String token, String jql) {
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8).split(":");
            if (parts.length == 2 && Integer.parseInt(parts[1]) == jql.hashCode()) {
                return Integer.parseInt(parts[0]);
            }
        } catch (IllegalArgumentException e) {
            // falls through to Jira's answer
        }
        throw new BadBody("Invalid format of nextPageToken");
    }

    /** The issue with only the requested fields, as Jira answers. */
    private ObjectNode view(JiraIssue i, List<String> wanted) {
        ObjectNode out = JSON.createObjectNode();
        out.put("expand", "renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations");
        out.put("id", i.id());
        out.put("self", baseUrl() + "/rest/api/3/issue/" + i.id());
        out.put("key", i.key());
        ObjectNode fields = out.putObject("fields");
        boolean all = wanted.contains("*all") || wanted.contains("*navigable");
        i.fields().fields().forEachRemaining(e -> {
            if (all || wanted.contains(e.getKey())) {
                fields.set(e.getKey(), e.getValue().deepCopy());
            }
        });
        for (String w : wanted) {
            if (!all && !w.equals("id") && !w.equals("key") && !w.startsWith("-") && !fields.has(w)
                    && KNOWN_EMPTY.contains(w)) {
                fields.putNull(w);
            }
        }
        return out;
    }

    private static final Set<String> KNOWN_EMPTY = Set.of("summary", "description", "status", "priority", "assignee",
            "reporter", "created", "resolution", "issuetype");

    private synchronized SandboxResponse updateIssue(JiraIssue i, JsonNode body) {
        JsonNode fields = body.path("fields");
        Map<String, String> errors = fieldErrors(fields, false);
        if (!errors.isEmpty()) {
            return fieldErrors(errors);
        }
        fields.fields().forEachRemaining(e -> {
            switch (e.getKey()) {
                case "priority" -> i.fields().set("priority", priority(e.getValue().path("name").asText(null),
                        e.getValue().path("id").asText(null)));
                case "assignee" -> i.fields().set("assignee", user(e.getValue()));
                default -> i.fields().set(e.getKey(), e.getValue().deepCopy());
            }
        });
        i.touch(clock().instant());
        return SandboxResponse.empty(204);
    }

    /** Jira's field checks of an issue create ({@code creating}) or edit: field → message, all at once. */
    private Map<String, String> fieldErrors(JsonNode fields, boolean creating) {
        Map<String, String> errors = new LinkedHashMap<>();
        if (creating) {
            if (project(fields.path("project")).isEmpty()) {
                errors.put("project", "Specify a valid project ID or key");
            }
            if (!fields.path("issuetype").isObject()) {
                errors.put("issuetype", "Specify an issue type");
            } else if (issueType(fields.path("issuetype")) == null) {
                errors.put("issuetype", "The issue type selected is invalid.");
            }
            if (!fields.has("summary")) {
                errors.put("summary", "You must specify a summary of the issue.");
            }
        }
        fields.fields().forEachRemaining(e -> {
            String f = e.getKey();
            JsonNode v = e.getValue();
            switch (f) {
                case "project", "issuetype", "reporter" -> {
                    if (!creating) {
                        errors.put(f, "Field '" + f + "' cannot be set. It is not on the appropriate screen, or unknown.");
                    }
                }
                case "summary" -> {
                    if (!v.isTextual() || v.asText().isBlank()) {
                        errors.put(f, "You must specify a summary of the issue.");
                    }
                }
                case "description" -> {
                    if (!v.isNull() && !Adf.isDoc(v)) {
                        errors.put(f, "Operation value must be an Atlassian Document (see the Atlassian Document Format)");
                    }
                }
                case "priority" -> {
                    String name = v.path("name").asText(null);
                    String id = v.path("id").asText(null);
                    if (priority(name, id) == null) {
                        errors.put(f, "Specify a valid 'id' or 'name' for Priority");
                    }
                }
                case "labels" -> {
                    for (JsonNode label : v) {
                        if (label.asText().contains(" ")) {
                            errors.put(f, "The label '" + label.asText() + "' contains spaces which is invalid.");
                        }
                    }
                }
                case "assignee" -> {
                    // accepted as given
                }
                default -> {
                    if (!f.startsWith("customfield_")) {
                        errors.put(f, "Field '" + f + "' cannot be set. It is not on the appropriate screen, or unknown.");
                    }
                }
            }
        });
        return errors;
    }

    private static SandboxResponse fieldErrors(Map<String, String> errors) {
        ObjectNode err = JSON.createObjectNode();
        err.putArray("errorMessages");
        ObjectNode e = err.putObject("errors");
        errors.forEach(e::put);
        return SandboxResponse.json(400, err.toString());
    }

    /** {@code POST /rest/api/3/issue}: the issue is created as the JSM request create makes it, without a request type. */
    private synchronized SandboxResponse createIssue(JsonNode body) {
        JsonNode fields = body.path("fields");
        Map<String, String> errors = fieldErrors(fields, true);
        if (!errors.isEmpty()) {
            return fieldErrors(errors);
        }
        JiraIssue i = newIssue(project(fields.path("project")).orElseThrow(), issueType(fields.path("issuetype")),
                fields.path("summary").asText(), fields.path("description"), fields, null);
        fields.fields().forEachRemaining(e -> {
            switch (e.getKey()) {
                case "priority" -> i.fields().set("priority", priority(e.getValue().path("name").asText(null),
                        e.getValue().path("id").asText(null)));
                case "assignee" -> i.fields().set("assignee", user(e.getValue()));
                case "reporter" -> i.fields().set("reporter", e.getValue().path("accountId").asText("").equals(ACCOUNT_ID)
                        ? meInBrief() : user(e.getValue()));
                default -> {
                    // set by newIssue
                }
            }
        });
        ObjectNode out = JSON.createObjectNode();
        out.put("id", i.id()).put("key", i.key()).put("self", baseUrl() + "/rest/api/3/issue/" + i.id());
        return SandboxResponse.json(201, out.toString());
    }

    /** A user reference as Jira writes it for {@code {"accountId": ...}}; null unassigns. */
    private JsonNode user(JsonNode ref) {
        String account = ref.path("accountId").asText(null);
        if (account == null) {
            return JSON.nullNode();
        }
        ObjectNode u = JSON.createObjectNode();
        u.put("self", baseUrl() + "/rest/api/3/user?accountId=" + account).put("accountId", account)
                .put("displayName", account).put("active", true);
        return u;
    }

    /** {@code POST /rest/api/3/issue/{key}/comment}: an ADF body; the {@code sd.public.comment} property may make it internal. */
    private synchronized SandboxResponse addIssueComment(JiraIssue i, JsonNode body) {
        JsonNode text = body.path("body");
        if (text.isMissingNode() || text.isNull() || (Adf.isDoc(text) && Adf.text(text).isBlank())
                || (text.isTextual() && text.asText().isBlank())) {
            return fieldErrors(Map.of("comment", "Comment body can not be empty!"));
        }
        if (!Adf.isDoc(text)) {
            return fieldErrors(Map.of("comment", "Operation value must be an Atlassian Document (see the Atlassian Document Format)"));
        }
        boolean internal = false;
        ArrayNode properties = JSON.createArrayNode();
        for (JsonNode p : body.path("properties")) {
            properties.add(p.deepCopy());
            if ("sd.public.comment".equals(p.path("key").asText()) && p.path("value").path("internal").asBoolean(false)) {
                internal = true;
            }
        }
        ObjectNode c = addComment(i, (ObjectNode) text.deepCopy(), !internal, properties);
        if (body.path("visibility").isObject()) {
            c.set("visibility", body.path("visibility").deepCopy());
        }
        ObjectNode out = c.deepCopy();
        out.remove("properties");
        return SandboxResponse.json(201, out.toString());
    }

    /** Stores a comment as Jira's platform API shows it; JSM's {@code sd.public.comment} property unless given. */
    private ObjectNode addComment(JiraIssue i, ObjectNode adfBody, boolean isPublic, ArrayNode properties) {
        Instant now = clock().instant();
        String id = String.valueOf(nextCommentId++);
        ObjectNode c = JSON.createObjectNode();
        c.put("self", baseUrl() + "/rest/api/3/issue/" + i.id() + "/comment/" + id).put("id", id);
        c.set("author", meInBrief());
        c.set("body", adfBody);
        c.set("updateAuthor", meInBrief());
        c.put("created", JiraIssue.JIRA_TIME.format(now)).put("updated", JiraIssue.JIRA_TIME.format(now));
        c.put("jsdPublic", isPublic);
        boolean hasVisibility = false;
        for (JsonNode p : properties) {
            hasVisibility |= "sd.public.comment".equals(p.path("key").asText());
        }
        if (!hasVisibility) {
            properties.addObject().put("key", "sd.public.comment").putObject("value").put("internal", !isPublic);
        }
        c.set("properties", properties);
        i.comments.add(c);
        i.touch(now);
        return c;
    }

    // ------------------------------------------------------------------ projects

    private Map<String, JiraProject> projects() {
        if (projects.isEmpty()) {
            ObjectNode node = JSON.createObjectNode();
            node.put("id", "10000").put("key", "SD").put("name", "Service Desk (sandbox)")
                    .put("projectTypeKey", "service_desk");
            projects.put("SD", new JiraProject("10000", "SD", "Service Desk (sandbox)", "SD", node, "1"));
        }
        return projects;
    }

    /** Adds a seeded issue's project: its {@code fields.project} when given, else the key's prefix. */
    private void register(JiraIssue i) {
        JsonNode node = i.fields().path("project");
        String key = node.path("key").isTextual() ? node.path("key").asText() : i.project();
        if (projects.containsKey(key)) {
            return;
        }
        String id = node.path("id").isTextual() ? node.path("id").asText() : null;
        if (id == null) {
            long n = 10000;
            while (projectId(Long.toString(n))) {
                n++;
            }
            id = Long.toString(n);
        }
        String name = node.path("name").asText(key);
        // seeds load before the server has a port, so the "self" URL is added when an issue is created
        ObjectNode field = node.isObject() ? (ObjectNode) node.deepCopy() : JSON.createObjectNode()
                .put("id", id).put("key", key).put("name", name).put("projectTypeKey", "service_desk");
        projects.put(key, new JiraProject(id, key, name, i.project(), field, String.valueOf(projects.size() + 1)));
    }

    private boolean projectId(String id) {
        return projects.values().stream().anyMatch(p -> p.id().equals(id));
    }

    /** The project of an issue: named by its {@code fields.project}, else by its key's prefix. */
    private Optional<JiraProject> projectOf(JiraIssue i) {
        JsonNode node = i.fields().path("project");
        String key = node.path("key").isTextual() ? node.path("key").asText() : i.project();
        return Optional.ofNullable(projects().get(key));
    }

    private Optional<JiraProject> project(JsonNode ref) {
        String wanted = ref.path("key").isTextual() ? ref.path("key").asText()
                : ref.path("id").isValueNode() ? ref.path("id").asText() : null;
        return wanted == null ? Optional.empty()
                : projects().values().stream().filter(p -> p.named(wanted)).findFirst();
    }

    private JiraProject findProject(String keyOrId) {
        return projects().values().stream().filter(p -> p.named(keyOrId)).findFirst()
                .orElseThrow(() -> new Answered(jiraError(404, "No project could be found with "
                        + (keyOrId.matches("\\d+") ? "id" : "key") + " '" + keyOrId + "'.")));
    }

    /** {@code GET /rest/api/3/project/search}: a PageBeanProject, ordered by key unless {@code orderBy=name}. */
    private synchronized SandboxResponse projectSearch(SandboxRequest r) {
        int startAt = Math.max(0, intParam(r, "startAt", 0));
        int maxResults = Math.max(1, Math.min(intParam(r, "maxResults", 50), 100));
        Set<String> keys = new HashSet<>();
        r.query().getOrDefault("keys", List.of()).forEach(k -> keys.addAll(List.of(k.toUpperCase(Locale.ROOT).split(","))));
        Set<String> ids = new HashSet<>();
        r.query().getOrDefault("id", List.of()).forEach(k -> ids.addAll(List.of(k.split(","))));
        String query = r.queryParam("query").orElse("").toLowerCase(Locale.ROOT);
        Set<String> types = r.queryParam("typeKey").map(t -> Set.of(t.split(","))).orElse(Set.of());
        String orderBy = r.queryParam("orderBy").orElse("key");
        List<JiraProject> matching = new ArrayList<>(projects().values().stream()
                .filter(p -> keys.isEmpty() || keys.contains(p.key().toUpperCase(Locale.ROOT)))
                .filter(p -> ids.isEmpty() || ids.contains(p.id()))
                .filter(p -> p.key().toLowerCase(Locale.ROOT).contains(query) || p.name().toLowerCase(Locale.ROOT).contains(query))
                .filter(p -> types.isEmpty() || types.contains("service_desk"))
                .toList());
        Comparator<JiraProject> order = orderBy.replaceFirst("^[-+]", "").equals("name")
                ? Comparator.comparing(p -> p.name().toLowerCase(Locale.ROOT))
                : Comparator.comparing(JiraProject::key);
        matching.sort(orderBy.startsWith("-") ? order.reversed() : order);
        int from = Math.min(startAt, matching.size());
        int to = Math.min(matching.size(), from + maxResults);
        ObjectNode page = JSON.createObjectNode();
        page.put("self", pageUrl(r, "startAt", startAt, "maxResults", maxResults));
        if (to < matching.size()) {
            page.put("nextPage", pageUrl(r, "startAt", to, "maxResults", maxResults));
        }
        page.put("maxResults", maxResults).put("startAt", startAt).put("total", matching.size())
                .put("isLast", to >= matching.size());
        ArrayNode values = page.putArray("values");
        matching.subList(from, to).forEach(p -> values.add(projectView(p, false)));
        return ok(page);
    }

    /** A project as Jira shows it in a search, or in full ({@code GET /rest/api/3/project/{key}}). */
    private ObjectNode projectView(JiraProject p, boolean full) {
        ObjectNode out = JSON.createObjectNode();
        out.put("expand", "description,lead,issueTypes,url,projectKeys,permissions,insight");
        out.put("self", baseUrl() + "/rest/api/3/project/" + p.id()).put("id", p.id()).put("key", p.key());
        if (full) {
            out.put("description", "");
            out.set("lead", myself());
            out.putArray("components");
            ArrayNode types = out.putArray("issueTypes");
            ISSUE_TYPES.forEach(t -> types.add(issueTypeView(t)));
            out.put("assigneeType", "UNASSIGNED");
            out.putArray("versions");
        }
        out.put("name", p.name());
        if (full) {
            out.putObject("roles");
        }
        ObjectNode avatars = out.putObject("avatarUrls");
        for (String[] size : new String[][] {{"48x48", ""}, {"24x24", "?size=small"}, {"16x16", "?size=xsmall"},
                {"32x32", "?size=medium"}}) {
            avatars.put(size[0], baseUrl() + "/rest/api/3/universal_avatar/view/type/project/avatar/10400" + size[1]);
        }
        out.put("projectTypeKey", "service_desk").put("simplified", false).put("style", "classic")
                .put("isPrivate", false);
        out.putObject("properties");
        return out;
    }

    private ObjectNode issueTypeView(String[] t) {
        ObjectNode out = JSON.createObjectNode();
        out.put("self", baseUrl() + "/rest/api/3/issuetype/" + t[0]).put("id", t[0]).put("description", "")
                .put("iconUrl", baseUrl() + "/rest/api/2/universal_avatar/view/type/issuetype/avatar/10300?size=medium")
                .put("name", t[1]).put("subtask", false).put("hierarchyLevel", 0);
        return out;
    }

    private static String[] issueType(JsonNode ref) {
        for (String[] t : ISSUE_TYPES) {
            if (t[0].equals(ref.path("id").asText(null)) || t[1].equals(ref.path("name").asText(null))) {
                return t;
            }
        }
        return null;
    }

    /**
     * A new issue in its project's initial status, as both creates make it: {@code fields} gives
     * labels and custom fields, {@code type} the JSM request type (null for a plain Jira create).
     */
    private JiraIssue newIssue(JiraProject project, String[] issueType, String summary, JsonNode description,
            JsonNode fields, RequestType type) {
        long number = issues.values().stream().filter(i -> i.project().equals(project.keyPrefix()))
                .mapToLong(JiraIssue::number).max().orElse(0) + 1;
        String key = project.keyPrefix() + "-" + number;
        String id = String.valueOf(nextIssueId++);
        Instant now = clock().instant();
        ObjectNode issue = JSON.createObjectNode();
        issue.put("id", id).put("key", key);
        ObjectNode f = issue.putObject("fields");
        f.put("summary", summary);
        f.set("description", Adf.isDoc(description) ? description.deepCopy() : JSON.nullNode());
        f.set("status", status(WORKFLOW.get(0)));
        f.set("priority", priority("Medium", null));
        f.set("reporter", meInBrief());
        f.putNull("assignee");
        f.put("created", JiraIssue.JIRA_TIME.format(now));
        f.put("updated", JiraIssue.JIRA_TIME.format(now));
        f.set("labels", fields.path("labels").isArray() ? fields.path("labels").deepCopy() : JSON.createArrayNode());
        ObjectNode projectField = project.issueField().deepCopy();
        if (!projectField.has("self")) {
            projectField.put("self", baseUrl() + "/rest/api/3/project/" + project.id());
        }
        f.set("project", projectField);
        f.putNull("resolution");
        f.set("issuetype", issueTypeView(issueType));
        if (type != null) {
            ObjectNode rt = f.putObject(REQUEST_TYPE_FIELD);
            rt.putObject("_links").put("web", baseUrl() + "/servicedesk/customer/portal/" + project.serviceDeskId() + "/" + key);
            rt.set("requestType", requestTypeView(project, type));
            ObjectNode cs = rt.putObject("currentStatus");
            cs.put("status", WORKFLOW.get(0)[1]).put("statusCategory", "NEW");
            cs.set("statusDate", jsmDate(now));
        }
        fields.fields().forEachRemaining(e -> {
            if (e.getKey().startsWith("customfield_")) {
                f.set(e.getKey(), e.getValue().deepCopy());
            }
        });
        JiraIssue i = new JiraIssue(issue);
        issues.put(key, i);
        return i;
    }

    private ObjectNode priority(String name, String id) {
        for (int n = 0; n < PRIORITIES.size(); n++) {
            String pid = String.valueOf(n + 1);
            if (PRIORITIES.get(n).equals(name) || pid.equals(id)) {
                ObjectNode p = JSON.createObjectNode();
                p.put("self", baseUrl() + "/rest/api/3/priority/" + pid).put("iconUrl", baseUrl()
                        + "/images/icons/priorities/" + PRIORITIES.get(n).toLowerCase(Locale.ROOT) + ".svg");
                p.put("name", PRIORITIES.get(n)).put("id", pid);
                return p;
            }
        }
        return null;
    }

    private ObjectNode status(String[] s) {
        ObjectNode st = JSON.createObjectNode();
        st.put("self", baseUrl() + "/rest/api/3/status/" + s[2]).put("description", "").put("iconUrl",
                baseUrl() + "/images/icons/statuses/generic.png").put("name", s[1]).put("id", s[2]);
        ObjectNode cat = st.putObject("statusCategory");
        switch (s[3]) {
            case "new" -> cat.put("self", baseUrl() + "/rest/api/3/statuscategory/2").put("id", 2).put("key", "new")
                    .put("colorName", "blue-gray").put("name", "To Do");
            case "indeterminate" -> cat.put("self", baseUrl() + "/rest/api/3/statuscategory/4").put("id", 4)
                    .put("key", "indeterminate").put("colorName", "yellow").put("name", "In Progress");
            default -> cat.put("self", baseUrl() + "/rest/api/3/statuscategory/3").put("id", 3).put("key", "done")
                    .put("colorName", "green").put("name", "Done");
        }
        return st;
    }

    private ObjectNode transitions(JiraIssue i, boolean withFields) {
        ObjectNode out = JSON.createObjectNode();
        out.put("expand", "transitions");
        ArrayNode arr = out.putArray("transitions");
        String current = i.fields().path("status").path("name").asText("");
        for (String[] s : WORKFLOW) {
            if (s[1].equalsIgnoreCase(current)) {
                continue;
            }
            ObjectNode t = arr.addObject();
            t.put("id", s[0]).put("name", "Move to " + s[1]).put("hasScreen", s[0].equals("51"))
                    .put("isGlobal", true).put("isInitial", false).put("isAvailable", true)
                    .put("isConditional", false).put("isLooped", false);
            t.set("to", status(s));
            if (withFields) {
                ObjectNode fields = t.putObject("fields");
                if (s[0].equals("51")) {
                    ObjectNode res = fields.putObject("resolution");
                    res.put("required", true).put("name", "Resolution").put("key", "resolution")
                            .put("hasDefaultValue", false);
                    res.putObject("schema").put("type", "resolution").put("system", "resolution");
                    res.putArray("operations").add("set");
                    ArrayNode allowed = res.putArray("allowedValues");
                    for (int n = 0; n < RESOLUTIONS.size(); n++) {
                        allowed.addObject().put("self", baseUrl() + "/rest/api/3/resolution/" + (10000 + n))
                                .put("name", RESOLUTIONS.get(n)).put("id", String.valueOf(10000 + n));
                    }
                }
            }
        }
        return out;
    }

    private synchronized SandboxResponse transition(JiraIssue i, JsonNode body) {
        String id = body.path("transition").path("id").asText("");
        String current = i.fields().path("status").path("name").asText("");
        String[] target = WORKFLOW.stream().filter(s -> s[0].equals(id) && !s[1].equalsIgnoreCase(current))
                .findFirst().orElse(null);
        if (target == null) {
            return jiraError(400, "Transition id '" + id + "' is not valid for this issue.");
        }
        String resolution = body.path("fields").path("resolution").path("name").asText(null);
        if (target[0].equals("51") && (resolution == null || !RESOLUTIONS.contains(resolution))) {
            return SandboxResponse.json(400, "{\"errorMessages\":[],\"errors\":{\"resolution\":"
                    + "\"Resolution is required.\"}}");
        }
        i.fields().set("status", status(target));
        if (target[3].equals("done")) {
            String name = resolution != null && RESOLUTIONS.contains(resolution) ? resolution : "Done";
            int n = RESOLUTIONS.indexOf(name);
            i.fields().putObject("resolution").put("self", baseUrl() + "/rest/api/3/resolution/" + (10000 + n))
                    .put("name", name).put("id", String.valueOf(10000 + n));
        } else {
            i.fields().putNull("resolution");
        }
        Instant now = clock().instant();
        i.statusChangedAt = now;
        if (i.fields().path(REQUEST_TYPE_FIELD).path("currentStatus").isObject()) {
            ObjectNode cs = (ObjectNode) i.fields().path(REQUEST_TYPE_FIELD).path("currentStatus");
            cs.put("status", target[1]).put("statusCategory", target[3].toUpperCase(Locale.ROOT));
            cs.set("statusDate", jsmDate(now));
        }
        i.touch(now);
        return SandboxResponse.empty(204);
    }

    private synchronized SandboxResponse comments(JiraIssue i, int startAt, int maxResults, boolean properties) {
        ObjectNode out = JSON.createObjectNode();
        int from = Math.max(0, Math.min(startAt, i.comments.size()));
        int to = Math.min(i.comments.size(), from + Math.max(1, Math.min(maxResults, 5000)));
        out.put("startAt", from).put("maxResults", Math.max(1, Math.min(maxResults, 5000))).put("total", i.comments.size());
        ArrayNode arr = out.putArray("comments");
        for (ObjectNode c : i.comments.subList(from, to)) {
            ObjectNode copy = c.deepCopy();
            if (!properties) {
                copy.remove("properties");
            }
            arr.add(copy);
        }
        return ok(out);
    }

    private synchronized SandboxResponse setProperty(JiraIssue i, String property, String body) {
        if (body.getBytes(StandardCharsets.UTF_8).length > 32768) {
            return jiraError(400, "The property value is too long. The maximum length is 32768 bytes.");
        }
        JsonNode value;
        try {
            value = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            return jiraError(400, "The property value must be a valid JSON.");
        }
        if (value == null || value.isMissingNode()) {
            return jiraError(400, "The property value must be a valid JSON.");
        }
        boolean replaced = i.properties.put(property, value) != null;
        return SandboxResponse.empty(replaced ? 200 : 201);
    }

    // ------------------------------------------------------------------ Jira Service Management API

    private synchronized SandboxResponse createRequest(JsonNode body) {
        String desk = body.path("serviceDeskId").asText("");
        String type = body.path("requestTypeId").asText("");
        JiraProject project = findDesk(desk);
        Optional<RequestType> requestType = requestType(type);
        if (requestType.isEmpty()) {
            return unknownRequestType(400, type);
        }
        JsonNode values = body.path("requestFieldValues");
        String summary = values.path("summary").asText("");
        if (summary.isBlank()) {
            return jsmError(400, "Your request could not be created. Please check the fields have been correctly filled in. "
                    + "Summary: You must specify a summary of the issue.", "sd.validation.request.create.failed");
        }
        List<String> unknown = new ArrayList<>();
        values.fieldNames().forEachRemaining(f -> {
            if (!Set.of("summary", "description", "labels", "priority").contains(f) && !f.startsWith("customfield_")) {
                unknown.add(f);
            }
        });
        if (!unknown.isEmpty()) {
            return jsmError(400, "Your request could not be created. Please check the fields have been correctly filled in. "
                    + unknown.get(0) + ": Field '" + unknown.get(0) + "' cannot be set. It is not on the appropriate screen, "
                    + "or unknown.", "sd.validation.request.create.failed");
        }
        String[] issueType = ISSUE_TYPES.stream().filter(t -> t[0].equals(requestType.get().issueTypeId())).findFirst()
                .orElseThrow();
        JsonNode description = values.path("description").isTextual() ? Adf.of(values.path("description").asText())
                : JSON.nullNode();
        JiraIssue i = newIssue(project, issueType, summary, description, values, requestType.get());
        if (values.has("priority")) {
            i.fields().set("priority", priority(values.path("priority").path("name").asText("Medium"), null));
        }
        return SandboxResponse.json(201, requestView(i).toString());
    }

    private synchronized SandboxResponse addRequestComment(JiraIssue i, JsonNode body) {
        if (!body.path("body").isTextual() || body.path("body").asText().isBlank()) {
            return jsmError(400, "The comment body must not be empty.", "sd.comment.body.empty");
        }
        boolean isPublic = body.path("public").asBoolean(true);
        ObjectNode c = addComment(i, Adf.of(body.path("body").asText()), isPublic, JSON.createArrayNode());
        ObjectNode out = requestCommentView(i, c);
        out.put("body", body.path("body").asText()); // JSM echoes the text as sent
        return SandboxResponse.json(201, out.toString());
    }

    /** {@code GET /rest/servicedeskapi/request/{key}/comment}: {@code public=false} / {@code internal=false} leave those out. */
    private synchronized SandboxResponse requestComments(JiraIssue i, SandboxRequest r) {
        boolean publicOnes = !r.queryParam("public").orElse("true").equalsIgnoreCase("false");
        boolean internalOnes = !r.queryParam("internal").orElse("true").equalsIgnoreCase("false");
        List<JsonNode> values = new ArrayList<>();
        for (ObjectNode c : i.comments) {
            boolean isPublic = isPublic(c);
            if (isPublic ? publicOnes : internalOnes) {
                values.add(requestCommentView(i, c));
            }
        }
        return ok(jsmPage(r, values));
    }

    /** Public unless JSM marked it internal ({@code jsdPublic: false} or the {@code sd.public.comment} property). */
    private static boolean isPublic(JsonNode comment) {
        if (comment.path("jsdPublic").isBoolean()) {
            return comment.path("jsdPublic").asBoolean();
        }
        for (JsonNode p : comment.path("properties")) {
            if ("sd.public.comment".equals(p.path("key").asText())) {
                return !p.path("value").path("internal").asBoolean(false);
            }
        }
        return true;
    }

    private ObjectNode requestCommentView(JiraIssue i, JsonNode c) {
        ObjectNode out = JSON.createObjectNode();
        out.putArray("_expands").add("attachment").add("renderedBody");
        out.put("id", c.path("id").asText()).put("body", Adf.text(c.path("body"))).put("public", isPublic(c));
        out.set("author", userView(c.path("author").isObject() ? c.path("author") : meInBrief()));
        out.set("created", jsmDate(JiraIssue.time(c.path("created"))));
        out.putObject("_links").put("self", baseUrl() + "/rest/servicedeskapi/request/" + i.id() + "/comment/"
                + c.path("id").asText());
        return out;
    }

    /** A platform user as JSM shows it (UserDTO). */
    private ObjectNode userView(JsonNode user) {
        ObjectNode out = JSON.createObjectNode();
        String account = user.path("accountId").asText();
        out.put("accountId", account);
        if (user.path("emailAddress").isTextual()) {
            out.put("emailAddress", user.path("emailAddress").asText());
        }
        out.put("displayName", user.path("displayName").asText(account)).put("active", user.path("active").asBoolean(true));
        out.put("timeZone", user.path("timeZone").asText("UTC"));
        ObjectNode links = out.putObject("_links");
        links.put("jiraRest", baseUrl() + "/rest/api/2/user?accountId=" + account);
        ObjectNode avatars = links.putObject("avatarUrls");
        for (String size : List.of("48x48", "24x24", "16x16", "32x32")) {
            avatars.put(size, baseUrl() + "/secure/useravatar?size=" + size + "&accountId=" + account);
        }
        links.put("self", baseUrl() + "/rest/api/2/user?accountId=" + account);
        return out;
    }

    /** {@code GET /rest/servicedeskapi/request/{key}} and the answer of a create: a CustomerRequestDTO. */
    private ObjectNode requestView(JiraIssue i) {
        JsonNode rt = i.fields().path(REQUEST_TYPE_FIELD).path("requestType");
        JiraProject project = projectOf(i).orElse(null);
        ObjectNode out = JSON.createObjectNode();
        ArrayNode expands = out.putArray("_expands");
        REQUEST_EXPANDS.forEach(expands::add);
        out.put("issueId", i.id()).put("issueKey", i.key());
        if (rt.path("id").isTextual()) {
            out.put("requestTypeId", rt.path("id").asText());
        }
        String desk = rt.path("serviceDeskId").asText(project == null ? null : project.serviceDeskId());
        if (desk != null) {
            out.put("serviceDeskId", desk);
        }
        out.set("createdDate", jsmDate(i.createdAt()));
        out.set("reporter", userView(i.fields().path("reporter").isObject() ? i.fields().path("reporter") : meInBrief()));
        ArrayNode rfv = out.putArray("requestFieldValues");
        rfv.addObject().put("fieldId", "summary").put("label", "Summary").put("value", i.fields().path("summary").asText(""));
        if (Adf.isDoc(i.fields().path("description")) || i.fields().path("description").isTextual()) {
            rfv.addObject().put("fieldId", "description").put("label", "Description")
                    .put("value", Adf.text(i.fields().path("description")));
        }
        ObjectNode cs = out.putObject("currentStatus");
        JsonNode status = i.fields().path("status");
        cs.put("status", status.path("name").asText(WORKFLOW.get(0)[1]))
                .put("statusCategory", status.path("statusCategory").path("key").asText("new").toUpperCase(Locale.ROOT)
                        .replace("-", ""));
        cs.set("statusDate", jsmDate(i.statusDate()));
        ObjectNode links = out.putObject("_links");
        links.put("jiraRest", baseUrl() + "/rest/api/2/issue/" + i.id());
        if (desk != null) {
            links.put("web", baseUrl() + "/servicedesk/customer/portal/" + desk + "/" + i.key());
        }
        links.put("agent", baseUrl() + "/browse/" + i.key());
        links.put("self", baseUrl() + "/rest/servicedeskapi/request/" + i.id());
        return out;
    }

    private ObjectNode serviceDeskView(JiraProject p) {
        ObjectNode out = JSON.createObjectNode();
        out.put("id", p.serviceDeskId()).put("projectId", p.id()).put("projectName", p.name()).put("projectKey", p.key());
        out.putObject("_links").put("self", baseUrl() + "/rest/servicedeskapi/servicedesk/" + p.serviceDeskId());
        return out;
    }

    private JiraProject findDesk(String id) {
        return projects().values().stream().filter(p -> p.serviceDeskId().equals(id)).findFirst()
                .orElseThrow(() -> new Answered(jsmError(404, "The service desk with id '" + id
                        + "' does not exist or you do not have permission to access it.", "sd.service.desk.not.found")));
    }

    /** {@code GET .../servicedesk/{id}/requesttype}: {@code searchQuery} (name or description) and {@code groupId} filter. */
    private SandboxResponse requestTypes(JiraProject desk, SandboxRequest r) {
        String query = r.queryParam("searchQuery").orElse("").toLowerCase(Locale.ROOT);
        Optional<String> group = r.queryParam("groupId");
        List<JsonNode> values = new ArrayList<>();
        for (RequestType t : REQUEST_TYPES) {
            if ((t.name().toLowerCase(Locale.ROOT).contains(query) || t.description().toLowerCase(Locale.ROOT).contains(query))
                    && group.map(t.groupIds()::contains).orElse(true)) {
                values.add(requestTypeView(desk, t));
            }
        }
        return ok(jsmPage(r, values));
    }

    private ObjectNode requestTypeView(JiraProject desk, RequestType t) {
        ObjectNode out = JSON.createObjectNode();
        out.putArray("_expands").add("field");
        out.put("id", t.id());
        out.putObject("_links").put("self", baseUrl() + "/rest/servicedeskapi/servicedesk/" + desk.serviceDeskId()
                + "/requesttype/" + t.id());
        out.put("name", t.name()).put("description", t.description()).put("helpText", t.helpText())
                .put("issueTypeId", t.issueTypeId()).put("serviceDeskId", desk.serviceDeskId())
                .put("portalId", desk.serviceDeskId());
        ArrayNode groups = out.putArray("groupIds");
        t.groupIds().forEach(groups::add);
        ObjectNode icon = out.putObject("icon");
        icon.put("id", "10" + t.id());
        ObjectNode urls = icon.putObject("_links").putObject("iconUrls");
        for (String size : List.of("48x48", "24x24", "16x16", "32x32")) {
            urls.put(size, baseUrl() + "/rest/api/2/universal_avatar/view/type/SD_REQTYPE/avatar/10" + t.id()
                    + "?size=" + size);
        }
        return out;
    }

    private static Optional<RequestType> requestType(String id) {
        return REQUEST_TYPES.stream().filter(t -> t.id().equals(id)).findFirst();
    }

    private static SandboxResponse unknownRequestType(int status, String id) {
        return jsmError(status, "The request type with id '" + id
                + "' does not exist or you do not have permission to access it.", "sd.request.type.not.found");
    }

    /** One page of a servicedeskapi list: {@code start}, {@code limit} (default 50), {@code isLastPage}, {@code _links}. */
    private ObjectNode jsmPage(SandboxRequest r, List<JsonNode> all) {
        int start = Math.max(0, intParam(r, "start", 0));
        int limit = Math.max(1, Math.min(intParam(r, "limit", 50), JSM_MAX_LIMIT));
        int from = Math.min(start, all.size());
        int to = Math.min(all.size(), from + limit);
        ObjectNode page = JSON.createObjectNode();
        page.putArray("_expands");
        page.put("size", to - from).put("start", start).put("limit", limit).put("isLastPage", to >= all.size());
        ObjectNode links = page.putObject("_links");
        links.put("self", pageUrl(r, "start", start, "limit", limit));
        links.put("base", baseUrl() + "/rest/servicedeskapi").put("context", "");
        if (to < all.size()) {
            links.put("next", pageUrl(r, "start", to, "limit", limit));
        }
        if (from > 0) {
            links.put("prev", pageUrl(r, "start", Math.max(0, from - limit), "limit", limit));
        }
        ArrayNode values = page.putArray("values");
        all.subList(from, to).forEach(values::add);
        return page;
    }

    /** The URL of this request with other paging values, the other query parameters kept. */
    private String pageUrl(SandboxRequest r, String startName, int start, String limitName, int limit) {
        StringBuilder q = new StringBuilder("?").append(startName).append('=').append(start)
                .append('&').append(limitName).append('=').append(limit);
        r.query().forEach((name, values) -> {
            if (!name.equals(startName) && !name.equals(limitName)) {
                values.forEach(v -> q.append('&').append(encode(name)).append('=').append(encode(v)));
            }
        });
        return baseUrl() + r.path() + q;
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /**
     * Every value of a list parameter: Jira takes it repeated ({@code fields=summary&fields=priority}, which
     * the spec allows, "may be specified multiple times") and each value comma-separated, in any mix.
     */
    static List<String> values(SandboxRequest r, String name) {
        return r.query().getOrDefault(name, List.of()).stream().flatMap(v -> java.util.Arrays.stream(v.split(",")))
                .map(String::trim).filter(v -> !v.isEmpty()).toList();
    }

    private static int intParam(SandboxRequest r, String name, int otherwise) {
        String v = r.queryParam(name).orElse(null);
        if (v == null || v.isEmpty()) {
            return otherwise;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new BadBody("The '" + name + "' parameter must be a number, not '" + v + "'.");
        }
    }

    private ObjectNode jsmDate(Instant at) {
        ObjectNode d = JSON.createObjectNode();
        d.put("iso8601", DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssZ").withZone(ZoneOffset.UTC)
                .format(at));
        d.put("jira", JiraIssue.JIRA_TIME.format(at));
        boolean today = at.atZone(ZoneOffset.UTC).toLocalDate().equals(clock().instant().atZone(ZoneOffset.UTC).toLocalDate());
        d.put("friendly", DateTimeFormatter.ofPattern(today ? "'Today' h:mm a" : "dd/MMM/yy h:mm a",
                Locale.ENGLISH).withZone(ZoneOffset.UTC).format(at));
        d.put("epochMillis", at.toEpochMilli());
        return d;
    }

    // ------------------------------------------------------------------ rate limits and faults

    @Override
    protected SandboxResponse rateLimited(Duration retryAfter) {
        return SandboxResponse.json(429, "{\"errorMessages\":[\"Rate limit exceeded.\"],\"errors\":{}}")
                .withHeader("Retry-After", Long.toString(Math.max(1, retryAfter.toSeconds())))
                .withHeader("RateLimit-Reason", "jira-burst-based")
                .withHeader("X-RateLimit-Limit", Integer.toString(options().rateLimit()))
                .withHeader("X-RateLimit-Remaining", "0");
    }

    @Override
    protected SandboxResponse serverError() {
        return SandboxResponse.json(503, "{\"errorMessages\":[\"Service Unavailable\"],\"errors\":{}}");
    }

    @Override
    protected SandboxResponse withRateLimitHeaders(SandboxResponse response, int limit, int remaining) {
        SandboxResponse r = response.withHeader("X-RateLimit-Limit", Integer.toString(limit))
                .withHeader("X-RateLimit-Remaining", Integer.toString(remaining))
                .withHeader("X-RateLimit-Reset", clock().instant().plus(options().rateLimitWindow())
                        .atOffset(ZoneOffset.UTC).toString());
        return remaining < Math.max(1, limit / 5) ? r.withHeader("X-RateLimit-NearLimit", "true") : r;
    }

    // ------------------------------------------------------------------ helpers

    private JiraIssue find(String keyOrId) {
        for (JiraIssue i : issues.values()) {
            if (i.key().equals(keyOrId) || i.id().equals(keyOrId)) {
                return i;
            }
        }
        throw new Answered(jiraError(404, "Issue does not exist or you do not have permission to see it."));
    }

    private JiraIssue findRequest(String keyOrId) {
        try {
            return find(keyOrId);
        } catch (Answered e) {
            throw new Answered(jsmError(404, "The request with key '" + keyOrId
                    + "' does not exist or you do not have permission to access it.", "sd.request.not.found"));
        }
    }

    private static JsonNode body(SandboxRequest r) {
        try {
            JsonNode node = JSON.readTree(r.bodyAsString());
            if (node == null || !node.isObject()) {
                throw new BadBody("Unexpected end of content");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new BadBody("Unexpected character in the request body: " + e.getOriginalMessage());
        }
    }

    private static List<String> list(JsonNode node) {
        List<String> out = new ArrayList<>();
        node.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static String text(JsonNode node) {
        return node.isTextual() ? node.asText() : null;
    }

    private static long parseLong(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static SandboxResponse ok(JsonNode body) {
        return SandboxResponse.json(200, body.toString());
    }

    private static SandboxResponse jiraError(int status, String message) {
        ObjectNode err = JSON.createObjectNode();
        err.putArray("errorMessages").add(message);
        err.putObject("errors");
        return SandboxResponse.json(status, err.toString());
    }

    private static SandboxResponse jsmError(int status, String message, String i18nKey) {
        ObjectNode err = JSON.createObjectNode();
        err.put("errorMessage", message);
        err.putObject("i18nErrorMessage").put("i18nKey", i18nKey).putArray("parameters");
        return SandboxResponse.json(status, err.toString());
    }

    private static final class Answered extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient SandboxResponse response;

        Answered(SandboxResponse response) {
            super(null, null, false, false);
            this.response = response;
        }
    }

    private static final class BadBody extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BadBody(String message) {
            super(message, null, false, false);
        }
    }
}
