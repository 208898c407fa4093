package org.itsmhub.sandbox.jira;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.itsmhub.sandbox.SandboxOptions;
import org.itsmhub.sandbox.SandboxRequest;
import org.itsmhub.sandbox.SandboxResponse;
import org.itsmhub.sandbox.VendorSandbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A stateful fake of the Jira Cloud REST v3 + Jira Service Management subset the Jira connector
 * uses, on 127.0.0.1:
 * <ul>
 *   <li>{@code GET /rest/api/3/myself}; {@code GET|POST /rest/api/3/search/jql} (JQL subset,
 *       {@code fields}, {@code maxResults} up to 100, {@code nextPageToken} / {@code isLast});</li>
 *   <li>{@code GET|PUT /rest/api/3/issue/{key}}, {@code GET|POST .../transitions}
 *       ({@code expand=transitions.fields}), {@code GET .../comment} (offset paging,
 *       {@code expand=properties}), {@code PUT .../properties/{key}};</li>
 *   <li>{@code POST /rest/servicedeskapi/request} and {@code POST /rest/servicedeskapi/request/{key}/comment}
 *       ({@code public: true|false}).</li>
 * </ul>
 * Credentials: basic auth {@value #EMAIL} / {@value #API_TOKEN}, or {@code Bearer }{@value #BEARER_TOKEN};
 * anything else gets Jira's 401. The account's time zone (JQL dates) is UTC. One service desk,
 * id {@value #SERVICE_DESK_ID}, for the project of the first seeded issue (else {@code SD}); any
 * numeric request type id. Workflow: JSM's IT support statuses, every status reachable from every
 * other; a transition to Resolved needs a resolution. Every write moves the issue's {@code updated}.
 */
public final class JiraSandbox extends VendorSandbox {

    public static final String EMAIL = "hub@sandbox.example";
    public static final String API_TOKEN = "sandbox-api-token";
    public static final String BEARER_TOKEN = "sandbox-bearer-token";
    public static final String SERVICE_DESK_ID = "1";

    @Override
    public String credentials() {
        return "basic auth " + EMAIL + " / " + API_TOKEN + ", or bearer token " + BEARER_TOKEN
                + "; service desk " + SERVICE_DESK_ID;
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

    private final Map<String, JiraIssue> issues = new LinkedHashMap<>();
    private long nextIssueId = 10000;
    private long nextCommentId = 10000;
    private String deskProject = "SD";
    private JsonNode deskProjectNode;

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
            deskProject = i.project();
            deskProjectNode = i.fields().path("project").isObject() ? i.fields().path("project") : null;
        }
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

    @Override
    protected SandboxResponse handle(SandboxRequest r) {
        if (!authenticated(r)) {
            return new SandboxResponse(401, Map.of("Content-Type", "text/plain;charset=UTF-8"),
                    "Client must be authenticated to access this resource.");
        }
        try {
            Optional<Map<String, String>> m;
            if (r.match("GET", "/rest/api/3/myself").isPresent()) {
                return ok(myself());
            }
            if (r.match("POST", "/rest/api/3/search/jql").isPresent()) {
                JsonNode body = body(r);
                return search(body.path("jql").asText(""), list(body.path("fields")),
                        body.path("maxResults").asInt(50), text(body.path("nextPageToken")));
            }
            if (r.match("GET", "/rest/api/3/search/jql").isPresent()) {
                return search(r.queryParam("jql").orElse(""), r.queryParam("fields").map(f -> List.of(f.split(",")))
                        .orElse(List.of()), r.queryParam("maxResults").map(Integer::parseInt).orElse(50),
                        r.queryParam("nextPageToken").orElse(null));
            }
            if (r.path().equals("/rest/api/3/search") || r.path().equals("/rest/api/2/search")) {
                return jiraError(410, "The requested API has been removed. Please migrate to the /rest/api/3/search/jql API.");
            }
            if ((m = r.match("GET", "/rest/api/3/issue/{key}")).isPresent()) {
                JiraIssue i = find(m.get().get("key"));
                return ok(view(i, r.queryParam("fields").map(f -> List.of(f.split(","))).orElse(List.of("*all"))));
            }
            if ((m = r.match("PUT", "/rest/api/3/issue/{key}")).isPresent()) {
                return updateIssue(find(m.get().get("key")), body(r));
            }
            if ((m = r.match("GET", "/rest/api/3/issue/{key}/transitions")).isPresent()) {
                return ok(transitions(find(m.get().get("key")),
                        r.queryParam("expand").orElse("").contains("transitions.fields")));
            }
            if ((m = r.match("POST", "/rest/api/3/issue/{key}/transitions")).isPresent()) {
                return transition(find(m.get().get("key")), body(r));
            }
            if ((m = r.match("GET", "/rest/api/3/issue/{key}/comment")).isPresent()) {
                return comments(find(m.get().get("key")), r.queryParam("startAt").map(Integer::parseInt).orElse(0),
                        r.queryParam("maxResults").map(Integer::parseInt).orElse(5000),
                        r.queryParam("expand").orElse("").contains("properties"));
            }
            if ((m = r.match("PUT", "/rest/api/3/issue/{key}/properties/{property}")).isPresent()) {
                return setProperty(find(m.get().get("key")), m.get().get("property"), r.bodyAsString());
            }
            if (r.match("POST", "/rest/servicedeskapi/request").isPresent()) {
                return createRequest(body(r));
            }
            if ((m = r.match("POST", "/rest/servicedeskapi/request/{key}/comment")).isPresent()) {
                return addRequestComment(findRequest(m.get().get("key")), body(r));
            }
            return SandboxResponse.json(404, "{\"errorMessages\":[\"null for uri: " + baseUrl() + r.path()
                    + "\"],\"errors\":{}}");
        } catch (NotFound e) {
            return e.response;
        } catch (JqlQuery.JqlException e) {
            return jiraError(400, e.getMessage());
        } catch (BadBody e) {
            return jiraError(400, e.getMessage());
        }
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
        Map<String, String> errors = new LinkedHashMap<>();
        JsonNode fields = body.path("fields");
        fields.fields().forEachRemaining(e -> {
            String f = e.getKey();
            JsonNode v = e.getValue();
            switch (f) {
                case "summary" -> {
                    if (!v.isTextual() || v.asText().isBlank()) {
                        errors.put(f, "You must specify a summary of the issue.");
                    }
                }
                case "description" -> {
                    if (!v.isNull() && !(v.isObject() && "doc".equals(v.path("type").asText()))) {
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
                case "assignee", "labels" -> {
                    // accepted as given
                }
                default -> {
                    if (!f.startsWith("customfield_")) {
                        errors.put(f, "Field '" + f + "' cannot be set. It is not on the appropriate screen, or unknown.");
                    }
                }
            }
        });
        if (!errors.isEmpty()) {
            ObjectNode err = JSON.createObjectNode();
            err.putArray("errorMessages");
            ObjectNode e = err.putObject("errors");
            errors.forEach(e::put);
            return SandboxResponse.json(400, err.toString());
        }
        fields.fields().forEachRemaining(e -> {
            switch (e.getKey()) {
                case "priority" -> i.fields().set("priority", priority(e.getValue().path("name").asText(null),
                        e.getValue().path("id").asText(null)));
                case "assignee" -> {
                    String account = e.getValue().path("accountId").asText(null);
                    if (account == null) {
                        i.fields().putNull("assignee");
                    } else {
                        i.fields().putObject("assignee").put("accountId", account).put("displayName", account)
                                .put("active", true).put("self", baseUrl() + "/rest/api/3/user?accountId=" + account);
                    }
                }
                default -> i.fields().set(e.getKey(), e.getValue().deepCopy());
            }
        });
        i.touch(clock().instant());
        return SandboxResponse.empty(204);
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
        i.touch(clock().instant());
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
        if (!desk.equals(SERVICE_DESK_ID)) {
            return jsmError(404, "The service desk with id '" + desk + "' does not exist or you do not have permission to access it.",
                    "sd.service.desk.not.found");
        }
        if (!type.matches("\\d+")) {
            return jsmError(400, "The request type with id '" + type + "' does not exist or you do not have permission to access it.",
                    "sd.request.type.not.found");
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
        long number = issues.values().stream().filter(i -> i.project().equals(deskProject))
                .mapToLong(JiraIssue::number).max().orElse(0) + 1;
        String key = deskProject + "-" + number;
        String id = String.valueOf(nextIssueId++);
        Instant now = clock().instant();
        ObjectNode issue = JSON.createObjectNode();
        issue.put("id", id).put("key", key);
        ObjectNode f = issue.putObject("fields");
        f.put("summary", summary);
        f.set("description", values.path("description").isTextual() ? adf(values.path("description").asText()) : null);
        f.set("status", status(WORKFLOW.get(0)));
        f.set("priority", priority(values.path("priority").path("name").asText("Medium"), null));
        f.set("reporter", myself());
        f.putNull("assignee");
        f.put("created", JiraIssue.JIRA_TIME.format(now));
        f.put("updated", JiraIssue.JIRA_TIME.format(now));
        f.set("labels", values.path("labels").isArray() ? values.path("labels").deepCopy() : JSON.createArrayNode());
        if (deskProjectNode != null) {
            f.set("project", deskProjectNode.deepCopy());
        } else {
            f.putObject("project").put("self", baseUrl() + "/rest/api/3/project/10000").put("id", "10000")
                    .put("key", deskProject).put("name", "Service Desk (sandbox)").put("projectTypeKey", "service_desk");
        }
        f.putNull("resolution");
        f.putObject("issuetype").put("id", "10001").put("name", "[System] Service request");
        ObjectNode rt = f.putObject(REQUEST_TYPE_FIELD);
        rt.putObject("requestType").put("id", type).put("name", "Request type " + type).put("serviceDeskId", desk);
        values.fields().forEachRemaining(e -> {
            if (e.getKey().startsWith("customfield_")) {
                f.set(e.getKey(), e.getValue().deepCopy());
            }
        });
        addSeedInternal(issue);

        ObjectNode out = JSON.createObjectNode();
        out.putArray("_expands").add("participant").add("status").add("sla").add("requestType").add("serviceDesk");
        out.put("issueId", id).put("issueKey", key).put("requestTypeId", type).put("serviceDeskId", desk);
        out.set("createdDate", jsmDate(now));
        out.set("reporter", myself());
        ArrayNode rfv = out.putArray("requestFieldValues");
        rfv.addObject().put("fieldId", "summary").put("label", "Summary").put("value", summary);
        if (values.path("description").isTextual()) {
            rfv.addObject().put("fieldId", "description").put("label", "Description")
                    .put("value", values.path("description").asText());
        }
        ObjectNode cs = out.putObject("currentStatus");
        cs.put("status", "Waiting for support").put("statusCategory", "NEW");
        cs.set("statusDate", jsmDate(now));
        ObjectNode links = out.putObject("_links");
        links.put("jiraRest", baseUrl() + "/rest/api/2/issue/" + id);
        links.put("web", baseUrl() + "/servicedesk/customer/portal/" + desk + "/" + key);
        links.put("self", baseUrl() + "/rest/servicedeskapi/request/" + id);
        return SandboxResponse.json(201, out.toString());
    }

    private void addSeedInternal(ObjectNode issue) {
        issues.put(issue.path("key").asText(), new JiraIssue(issue));
    }

    private synchronized SandboxResponse addRequestComment(JiraIssue i, JsonNode body) {
        if (!body.path("body").isTextual() || body.path("body").asText().isBlank()) {
            return jsmError(400, "The comment body must not be empty.", "sd.comment.body.empty");
        }
        boolean isPublic = body.path("public").asBoolean(true);
        Instant now = clock().instant();
        String id = String.valueOf(nextCommentId++);
        ObjectNode c = JSON.createObjectNode();
        c.put("self", baseUrl() + "/rest/api/3/issue/" + i.id() + "/comment/" + id).put("id", id);
        c.set("author", myself());
        c.set("body", adf(body.path("body").asText()));
        c.set("updateAuthor", myself());
        c.put("created", JiraIssue.JIRA_TIME.format(now)).put("updated", JiraIssue.JIRA_TIME.format(now));
        c.put("jsdPublic", isPublic);
        c.putArray("properties").addObject().put("key", "sd.public.comment").putObject("value").put("internal", !isPublic);
        i.comments.add(c);
        i.touch(now);

        ObjectNode out = JSON.createObjectNode();
        out.putArray("_expands").add("attachment").add("renderedBody");
        out.put("id", id).put("body", body.path("body").asText()).put("public", isPublic);
        out.set("author", myself());
        out.set("created", jsmDate(now));
        out.putObject("_links").put("self", baseUrl() + "/rest/servicedeskapi/request/" + i.id() + "/comment/" + id);
        return SandboxResponse.json(201, out.toString());
    }

    private ObjectNode jsmDate(Instant at) {
        ObjectNode d = JSON.createObjectNode();
        d.put("iso8601", java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssZ").withZone(ZoneOffset.UTC)
                .format(at));
        d.put("jira", JiraIssue.JIRA_TIME.format(at));
        d.put("friendly", "Today");
        d.put("epochMillis", at.toEpochMilli());
        return d;
    }

    /** Plain text as ADF: paragraphs split on blank lines, hard breaks for single newlines. */
    static ObjectNode adf(String text) {
        ObjectNode doc = JSON.createObjectNode().put("type", "doc").put("version", 1);
        ArrayNode content = doc.putArray("content");
        for (String para : text.split("\n\\s*\n")) {
            if (para.isBlank()) {
                continue;
            }
            ArrayNode inline = content.addObject().put("type", "paragraph").putArray("content");
            String[] lines = para.split("\n");
            for (int n = 0; n < lines.length; n++) {
                if (n > 0) {
                    inline.addObject().put("type", "hardBreak");
                }
                if (!lines[n].isEmpty()) {
                    inline.addObject().put("type", "text").put("text", lines[n]);
                }
            }
        }
        return doc;
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
        throw new NotFound(jiraError(404, "Issue does not exist or you do not have permission to see it."));
    }

    private JiraIssue findRequest(String keyOrId) {
        try {
            return find(keyOrId);
        } catch (NotFound e) {
            throw new NotFound(jsmError(404, "The request with key '" + keyOrId
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

    private static final class NotFound extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient SandboxResponse response;

        NotFound(SandboxResponse response) {
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
