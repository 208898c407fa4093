package org.itsmhub.sandbox.veeam;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.function.Function;
import java.util.function.Supplier;

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
 * A stateful fake of the VBR REST API v1 subset the Veeam connector uses: the OAuth2 password and
 * refresh grants at {@code POST /api/oauth2/token} (access tokens live 60 minutes on the sandbox's
 * clock, a refresh token is single-use), {@code GET /api/v1/jobs}, {@code /api/v1/jobs/states} and
 * {@code /api/v1/sessions} with {@code skip}/{@code limit}, {@code orderColumn}/{@code orderAsc} and
 * the filters the connector sends, Veeam's {@code {"errorCode","message"}} error bodies, and the
 * required {@code x-api-version} header, whose revision decides the forms of every answer
 * ({@link VeeamRevision}).
 *
 * <p>Seeds are {@code GET /api/v1/jobs/states} answers. Each seeded job that ran gets one session
 * for its last run and {@code objectsCount} protected VMs. The vendor API cannot make a job run, so
 * the control API under {@code /__sandbox/} does (listed by {@link #routes()}).
 */
public final class VeeamSandbox extends VendorSandbox {

    public static final String DEFAULT_USERNAME = "sandbox\\hub";
    public static final String DEFAULT_PASSWORD = "sandbox-password";
    static final Duration ACCESS_LIFETIME = Duration.ofMinutes(60);
    static final Duration REFRESH_LIFETIME = Duration.ofDays(14);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter RUN_TIME = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd'T'HH:mm:ss").appendFraction(ChronoField.NANO_OF_SECOND, 0, 7, true)
            .appendOffset("+HH:MM", "+00:00").toFormatter(Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter TOKEN_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssxxx",
            Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final Set<String> RESULTS = Set.of("Success", "Warning", "Failed", "None");
    private static final List<String> DATE_FILTERS = List.of("lastRunAfterFilter", "lastRunBeforeFilter",
            "createdAfterFilter", "createdBeforeFilter", "endedAfterFilter", "endedBeforeFilter");
    private static final List<String> JOB_COLUMNS = List.of("Name", "Type", "Description");

    private final String username;
    private final String password;
    private final Map<String, ObjectNode> states = new LinkedHashMap<>();
    private final Map<String, List<ObjectNode>> objects = new HashMap<>();
    private final List<ObjectNode> sessions = new ArrayList<>();
    private final Map<String, Instant> accessTokens = new HashMap<>();
    private final Map<String, Instant> refreshTokens = new HashMap<>();
    private int nextVm = 1001;
    private final SandboxRoutes routes = buildRoutes();

    public VeeamSandbox(SandboxOptions options, Clock clock, String username, String password) {
        super(options, clock);
        this.username = username;
        this.password = password;
    }

    @Override
    public String vendor() {
        return "veeam";
    }

    @Override
    public String credentials() {
        return "username " + username + ", password " + password + " (OAuth2 password grant), x-api-version "
                + VeeamRevision.SUPPORTED.get(0) + " to " + VeeamRevision.SUPPORTED.get(VeeamRevision.SUPPORTED.size() - 1);
    }

    @Override
    protected void seed(SandboxOptions.Seed seed) {
        try {
            JsonNode answer = JSON.readTree(Files.readString(seed.file()));
            JsonNode data = answer.path("data");
            if (!data.isArray()) {
                throw new IllegalArgumentException(seed.file() + " is not a GET /api/v1/jobs/states answer "
                        + "({\"data\":[...],\"pagination\":{...}})");
            }
            for (JsonNode job : data) {
                addJob((ObjectNode) job.deepCopy());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read seed " + seed.file(), e);
        }
    }

    private void addJob(ObjectNode job) {
        VeeamRevision.newest(job);
        String id = job.path("id").asText(null);
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("a seeded job state needs an id: " + job);
        }
        states.put(id, job);
        List<ObjectNode> protectedVms = new ArrayList<>();
        int count = job.path("objectsCount").asInt(0);
        for (int i = 0; i < count; i++) {
            ObjectNode vm = JSON.createObjectNode();
            vm.put("type", "VirtualMachine").put("hostName", "vcenter.sandbox.local")
                    .put("name", slug(job.path("name").asText(id)) + "-vm" + (i + 1)).put("objectId", "vm-" + nextVm++);
            protectedVms.add(vm);
        }
        objects.put(id, protectedVms);
        String result = job.path("lastResult").asText("None");
        if (job.hasNonNull("lastRun") && !"None".equals(result)) {
            ObjectNode session = session(job, result, job.get("lastRun").asText());
            if (job.hasNonNull("sessionId")) {
                session.put("id", job.get("sessionId").asText());
            }
            sessions.add(session);
        }
    }

    @Override
    protected SandboxResponse handle(SandboxRequest request) {
        Optional<SandboxResponse> answer = routes.dispatch(request);
        if (answer.isPresent()) {
            return answer.get();
        }
        if (request.path().startsWith("/__sandbox/")) {
            return SandboxResponse.json(404, "{\"message\":\"unknown control endpoint " + request.method() + " "
                    + request.path() + "\"}");
        }
        // VBR checks the version header, then the token, before it looks for the resource
        return versioned(request, revision -> authenticated(request,
                () -> error(404, "NotFound", "The requested resource was not found: " + request.path())));
    }

    @Override
    public SandboxRoutes routes() {
        return routes;
    }

    private SandboxRoutes buildRoutes() {
        return new SandboxRoutes()
                .post("/__sandbox/jobs/{id}/result", "sandbox control: the job runs now (or at `at`) with "
                        + "`{\"result\": \"Failed|Warning|Success\"}`", (r, p) -> control(r, body -> runJob(p.get("id"), body)))
                .post("/__sandbox/jobs", "sandbox control: adds a job (a job state object)",
                        (r, p) -> control(r, this::addControlJob))
                .post("/__sandbox/jobs/{id}/objects", "sandbox control: the job protects one more machine "
                        + "`{type, hostName, name, objectId}`", (r, p) -> control(r, body -> addObject(p.get("id"), body)))
                .post("/__sandbox/tokens/expire", "sandbox control: every access token (and with "
                        + "`{\"refresh\": true}` refresh token) issued so far expires", (r, p) -> control(r, this::expireTokens))
                .post("/api/oauth2/token", "OAuth2 password and refresh_token grants (form body)",
                        (r, p) -> versioned(r, revision -> token(r)))
                .get("/api/v1/jobs/states", "job states; `skip`/`limit`, `orderColumn`/`orderAsc`, `nameFilter`, "
                        + "`idFilter`, `lastResultFilter`, `typeFilter`, `statusFilter`, `workloadFilter`, "
                        + "`repositoryIdFilter`, `objectsCountFilter`, `isHighPriorityJobFilter`, `lastRunAfterFilter`, "
                        + "`lastRunBeforeFilter`", (r, p) -> versioned(r, revision -> authenticated(r,
                                () -> list(r, states.values().stream().map(revision::state).toList(),
                                        revision.stateColumns(), stateFilter(r)))))
                .get("/api/v1/jobs", "jobs with their protected VMs; `skip`/`limit`, `orderColumn`/`orderAsc`, "
                        + "`nameFilter`, `typeFilter`", (r, p) -> versioned(r, revision -> authenticated(r,
                                () -> list(r, jobs(revision), JOB_COLUMNS, nameFilter(r).and(equalTo(r, "typeFilter", "type"))))))
                .get("/api/v1/sessions", "job sessions; `skip`/`limit`, `orderColumn`/`orderAsc`, `nameFilter`, "
                        + "`jobIdFilter`, `resultFilter`, `typeFilter`, `stateFilter`, `createdAfterFilter`, "
                        + "`createdBeforeFilter`, `endedAfterFilter`, `endedBeforeFilter`", (r, p) -> versioned(r,
                                revision -> authenticated(r, () -> list(r, sessions.stream().map(revision::session)
                                        .toList(), revision.sessionColumns(), sessionFilter(r)))));
    }

    /**
     * VBR answers in the forms of the revision a request names; one it does not serve is a 400 naming the
     * ones it does (message as VBR servers answer it in public reports, e.g. VeeamHub/grafana#27).
     */
    private static SandboxResponse versioned(SandboxRequest request, Function<VeeamRevision, SandboxResponse> next) {
        Optional<String> header = request.header("x-api-version");
        if (header.isEmpty()) {
            return error(400, "UnexpectedContent", "The x-api-version header is required.");
        }
        return VeeamRevision.of(header.get()).map(next).orElseGet(() -> error(400, "BadRequest",
                "Unsupported RESTAPI version. The following versions are supported: "
                        + String.join(", ", VeeamRevision.SUPPORTED.stream().map(v -> "v" + v).toList()) + "."));
    }

    private SandboxResponse authenticated(SandboxRequest request, Supplier<SandboxResponse> next) {
        return authenticate(request).orElseGet(next);
    }

    // ---- auth -------------------------------------------------------------------------------------

    private SandboxResponse token(SandboxRequest request) {
        Map<String, String> form = form(request.bodyAsString());
        String grant = form.getOrDefault("grant_type", "");
        Instant now = clock().instant();
        if ("password".equalsIgnoreCase(grant)) {
            if (!username.equals(form.get("username")) || !password.equals(form.get("password"))) {
                return error(401, "AccessDenied", "Invalid user name or password.");
            }
        } else if ("refresh_token".equalsIgnoreCase(grant)) {
            Instant expires = refreshTokens.remove(form.getOrDefault("refresh_token", ""));
            if (expires == null || !now.isBefore(expires)) {
                return error(401, "InvalidToken", "The refresh token is invalid or has expired.");
            }
        } else {
            return error(400, "UnexpectedContent", "Unsupported grant_type '" + grant + "'.");
        }
        String access = "sbx-access-" + UUID.randomUUID();
        String refresh = "sbx-refresh-" + UUID.randomUUID();
        accessTokens.put(access, now.plus(ACCESS_LIFETIME));
        refreshTokens.put(refresh, now.plus(REFRESH_LIFETIME));
        ObjectNode body = JSON.createObjectNode();
        body.put("access_token", access).put("token_type", "bearer").put("refresh_token", refresh)
                .put("expires_in", ACCESS_LIFETIME.toSeconds()).put(".issued", tokenTime(now))
                .put(".expires", tokenTime(now.plus(ACCESS_LIFETIME)));
        return SandboxResponse.json(200, body.toString());
    }

    private Optional<SandboxResponse> authenticate(SandboxRequest request) {
        String auth = request.header("Authorization").orElse("");
        if (!auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.of(error(401, "AccessDenied", "The authorization header has been expected but not found."));
        }
        Instant expires = accessTokens.get(auth.substring(7).trim());
        if (expires == null) {
            return Optional.of(error(401, "InvalidToken", "The access token is invalid."));
        }
        if (!clock().instant().isBefore(expires)) {
            return Optional.of(error(401, "ExpiredToken", "The access token has expired."));
        }
        return Optional.empty();
    }

    // ---- lists ------------------------------------------------------------------------------------

    private SandboxResponse list(SandboxRequest request, List<ObjectNode> all, List<String> columns,
            Predicate<ObjectNode> filter) {
        int skip;
        int limit;
        try {
            skip = Integer.parseInt(request.queryParam("skip").orElse("0"));
            limit = Integer.parseInt(request.queryParam("limit").orElse("200"));
        } catch (NumberFormatException e) {
            return error(400, "UnexpectedContent", "skip and limit must be integers.");
        }
        if (skip < 0 || limit < 0) {
            return error(400, "UnexpectedContent", "skip and limit must not be negative.");
        }
        for (String dateFilter : DATE_FILTERS) {
            Optional<String> value = request.queryParam(dateFilter);
            try {
                value.ifPresent(OffsetDateTime::parse);
            } catch (java.time.format.DateTimeParseException e) {
                return error(400, "UnexpectedContent", dateFilter + " is not an ISO 8601 date and time: " + value.get());
            }
        }
        String column = request.queryParam("orderColumn").orElse(columns.get(0));
        if (!columns.contains(column)) {
            return error(400, "UnexpectedContent", "Unknown orderColumn '" + column + "'.");
        }
        boolean asc = !"false".equalsIgnoreCase(request.queryParam("orderAsc").orElse("true"));
        Comparator<ObjectNode> order = Comparator.comparing((ObjectNode n) -> sortKey(n, column));
        List<ObjectNode> matching = all.stream().filter(filter).sorted(asc ? order : order.reversed()).toList();
        List<ObjectNode> page = matching.subList(Math.min(skip, matching.size()), Math.min(matching.size(),
                skip + limit));
        ObjectNode body = JSON.createObjectNode();
        ArrayNode data = body.putArray("data");
        page.forEach(data::add);
        body.putObject("pagination").put("total", matching.size()).put("count", page.size()).put("skip", skip)
                .put("limit", limit);
        return SandboxResponse.json(200, body.toString());
    }

    private static String sortKey(ObjectNode n, String column) {
        if ("Result".equals(column)) {
            return n.path("result").path("result").asText("");
        }
        if ("AfterJobName".equals(column)) {
            return n.path("runAfterJob").path("jobName").asText("");
        }
        String field = Character.toLowerCase(column.charAt(0)) + column.substring(1);
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return "";
        }
        if (field.endsWith("Time") || field.endsWith("Run")) {
            try {
                return OffsetDateTime.parse(v.asText()).toInstant().toString();
            } catch (RuntimeException notATime) {
                return v.asText();
            }
        }
        return v.isNumber() ? String.format(Locale.ROOT, "%020d", v.asLong()) : v.asText().toLowerCase(Locale.ROOT);
    }

    private Predicate<ObjectNode> stateFilter(SandboxRequest request) {
        Predicate<ObjectNode> p = nameFilter(request);
        Optional<String> id = request.queryParam("idFilter");
        Optional<String> result = request.queryParam("lastResultFilter");
        return p.and(n -> id.isEmpty() || id.get().equalsIgnoreCase(n.path("id").asText()))
                .and(n -> result.isEmpty() || result.get().equalsIgnoreCase(n.path("lastResult").asText()))
                .and(equalTo(request, "typeFilter", "type")).and(equalTo(request, "statusFilter", "status"))
                .and(equalTo(request, "workloadFilter", "workload"))
                .and(equalTo(request, "repositoryIdFilter", "repositoryId"))
                .and(equalTo(request, "objectsCountFilter", "objectsCount"))
                .and(equalTo(request, "isHighPriorityJobFilter", "highPriority"))
                .and(after(request, "lastRunAfterFilter", "lastRun")).and(before(request, "lastRunBeforeFilter", "lastRun"));
    }

    /** A filter comparing one field with a query value, ignoring case, that lets everything through when absent. */
    private static Predicate<ObjectNode> equalTo(SandboxRequest request, String parameter, String field) {
        Optional<String> want = request.queryParam(parameter);
        return n -> want.isEmpty() || want.get().equalsIgnoreCase(n.path(field).asText(
                "isHighPriorityJobFilter".equals(parameter) ? "false" : ""));
    }

    private static Predicate<ObjectNode> after(SandboxRequest request, String parameter, String field) {
        Optional<String> t = request.queryParam(parameter);
        return n -> t.isEmpty() || (n.hasNonNull(field) && OffsetDateTime.parse(n.get(field).asText()).toInstant()
                .isAfter(OffsetDateTime.parse(t.get()).toInstant()));
    }

    private static Predicate<ObjectNode> before(SandboxRequest request, String parameter, String field) {
        Optional<String> t = request.queryParam(parameter);
        return n -> t.isEmpty() || (n.hasNonNull(field) && OffsetDateTime.parse(n.get(field).asText()).toInstant()
                .isBefore(OffsetDateTime.parse(t.get()).toInstant()));
    }

    private static Predicate<ObjectNode> nameFilter(SandboxRequest request) {
        Optional<String> name = request.queryParam("nameFilter");
        if (name.isEmpty()) {
            return n -> true;
        }
        String regex = "(?i)" + java.util.regex.Pattern.quote(name.get()).replace("*", "\\E.*\\Q");
        return n -> n.path("name").asText().matches(regex);
    }

    private Predicate<ObjectNode> sessionFilter(SandboxRequest request) {
        Predicate<ObjectNode> p = nameFilter(request);
        Optional<String> job = request.queryParam("jobIdFilter");
        List<String> results = request.query().getOrDefault("resultFilter", List.of()).stream()
                .flatMap(v -> java.util.Arrays.stream(v.split(","))).map(String::trim).toList();
        // 1.1 writes no jobId, yet filters by it: look it up in the stored session
        Map<String, String> jobOfSession = new HashMap<>();
        sessions.forEach(s -> jobOfSession.put(s.path("id").asText(), s.path("jobId").asText()));
        return p.and(n -> job.isEmpty() || job.get().equalsIgnoreCase(jobOfSession.get(n.path("id").asText())))
                .and(n -> results.isEmpty() || results.stream().anyMatch(r -> r.equalsIgnoreCase(
                        n.path("result").path("result").asText())))
                .and(equalTo(request, "typeFilter", "sessionType")).and(equalTo(request, "stateFilter", "state"))
                .and(after(request, "createdAfterFilter", "creationTime"))
                .and(before(request, "createdBeforeFilter", "creationTime"))
                .and(after(request, "endedAfterFilter", "endTime")).and(before(request, "endedBeforeFilter", "endTime"));
    }

    /** {@code GET /api/v1/jobs} entries, derived from the job states and their protected objects. */
    private List<ObjectNode> jobs(VeeamRevision revision) {
        List<ObjectNode> out = new ArrayList<>();
        for (ObjectNode state : states.values()) {
            ObjectNode job = JSON.createObjectNode();
            job.put("type", revision.jobType(state.path("type").asText("VSphereBackup"))).put("id", state.path("id").asText())
                    .put("name", state.path("name").asText()).put("description", state.path("description").asText(""))
                    .put("isDisabled", "Disabled".equalsIgnoreCase(state.path("status").asText()))
                    .put("isHighPriority", state.path("highPriority").asBoolean(false));
            ObjectNode vms = job.putObject("virtualMachines");
            ArrayNode includes = vms.putArray("includes");
            for (ObjectNode o : objects.getOrDefault(state.path("id").asText(), List.of())) {
                revision.include(o, includes.addObject());
            }
            ObjectNode excludes = vms.putObject("excludes");
            excludes.putArray("vms");
            excludes.putArray("disks");
            out.add(job);
        }
        return out;
    }

    // ---- control API ------------------------------------------------------------------------------

    /**
     * The state the vendor API cannot write, under {@code /__sandbox/} (see {@link #routes()}): a job runs
     * with a result (lastRun, lastResult and sessionId move and a session is added), a job is added, a
     * job protects one more machine, tokens expire.
     */
    private static SandboxResponse control(SandboxRequest request, java.util.function.Function<JsonNode, SandboxResponse> f) {
        JsonNode body;
        try {
            body = request.body().length == 0 ? JSON.createObjectNode() : JSON.readTree(request.bodyAsString());
        } catch (IOException e) {
            return SandboxResponse.json(400, "{\"message\":\"control body is not JSON\"}");
        }
        return f.apply(body);
    }

    private SandboxResponse runJob(String id, JsonNode body) {
        ObjectNode job = states.get(id);
        if (job == null) {
            return SandboxResponse.json(404, "{\"message\":\"no job " + id + "\"}");
        }
        String result = body.path("result").asText("");
        if (!RESULTS.contains(result) || "None".equals(result)) {
            return SandboxResponse.json(400, "{\"message\":\"result must be Success, Warning or Failed\"}");
        }
        String at = body.hasNonNull("at") ? body.get("at").asText() : time(clock().instant());
        ObjectNode session = session(job, result, at);
        sessions.add(session);
        job.put("lastResult", result).put("lastRun", at).put("sessionId", session.get("id").asText());
        if ("Running".equalsIgnoreCase(job.path("status").asText())) {
            job.put("status", "Stopped");
        }
        return SandboxResponse.json(200, job.toString());
    }

    private SandboxResponse addControlJob(JsonNode body) {
        if (!body.isObject() || !body.hasNonNull("name")) {
            return SandboxResponse.json(400, "{\"message\":\"a job state needs at least a name\"}");
        }
        ObjectNode job = (ObjectNode) body;
        if (!job.hasNonNull("id")) {
            job.put("id", UUID.randomUUID().toString());
        }
        job.putIfAbsent("type", JSON.getNodeFactory().textNode("VSphereBackup"));
        job.putIfAbsent("status", JSON.getNodeFactory().textNode("Inactive"));
        job.putIfAbsent("lastResult", JSON.getNodeFactory().textNode("None"));
        job.putIfAbsent("workload", JSON.getNodeFactory().textNode("Vm"));
        // given in any revision's forms, kept in the newest (addJob), answered in the requested one
        job.putIfAbsent("description", JSON.getNodeFactory().textNode(""));
        job.putIfAbsent("objectsCount", JSON.getNodeFactory().numberNode(0));
        addJob(job);
        return SandboxResponse.json(201, job.toString());
    }

    private SandboxResponse addObject(String id, JsonNode body) {
        ObjectNode job = states.get(id);
        if (job == null || !body.hasNonNull("objectId") || !body.hasNonNull("hostName")) {
            return SandboxResponse.json(400, "{\"message\":\"unknown job, or the object lacks objectId/hostName\"}");
        }
        ObjectNode o = JSON.createObjectNode().put("type", body.path("type").asText("VirtualMachine"))
                .put("hostName", body.get("hostName").asText()).put("name", body.path("name").asText(""))
                .put("objectId", body.get("objectId").asText());
        objects.computeIfAbsent(job.get("id").asText(), k -> new ArrayList<>()).add(o);
        job.put("objectsCount", objects.get(job.get("id").asText()).size());
        return SandboxResponse.json(201, o.toString());
    }

    private SandboxResponse expireTokens(JsonNode body) {
        Instant now = clock().instant();
        accessTokens.replaceAll((k, v) -> now);
        if (body.path("refresh").asBoolean(false)) {
            refreshTokens.clear();
        }
        return SandboxResponse.empty(204);
    }

    // ---- helpers ----------------------------------------------------------------------------------

    /** A finished job session in the newest forms, plus 1.1's required activityId (see {@link VeeamRevision#session}). */
    private static ObjectNode session(ObjectNode job, String result, String at) {
        ObjectNode s = JSON.createObjectNode();
        s.put("sessionType", "BackupJob").put("state", "Stopped").put("id", UUID.randomUUID().toString())
                .put("name", job.path("name").asText()).put("activityId", UUID.randomUUID().toString())
                .put("jobId", job.path("id").asText())
                .put("creationTime", at).put("endTime", at).put("progressPercent", 100);
        s.putObject("result").put("result", result).put("message", "").put("isCanceled", false);
        s.put("resourceId", job.path("id").asText()).put("resourceReference", "/api/v1/jobs/" + job.path("id").asText())
                .putNull("parentSessionId");
        s.put("usn", 0).put("initiatedBy", "sandbox");
        return s;
    }

    private static SandboxResponse error(int status, String code, String message) {
        ObjectNode e = JSON.createObjectNode().put("errorCode", code).put("message", message);
        return SandboxResponse.json(status, e.toString());
    }

    @Override
    protected SandboxResponse rateLimited(Duration retryAfter) {
        return error(429, "UnknownError", "Too many requests.").withHeader("Retry-After",
                Long.toString(Math.max(1, retryAfter.toSeconds())));
    }

    @Override
    protected SandboxResponse serverError() {
        return error(500, "UnknownError", "An unexpected error occurred on the server.");
    }

    private static Map<String, String> form(String body) {
        Map<String, String> out = new HashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    /**
     * A time as VBR (.NET) writes a run's time: seconds always, at most seven fractional digits without
     * trailing zeros, and the offset ({@code 2021-02-20T06:53:17.747+03:00}); the sandbox's offset is UTC.
     */
    static String time(Instant t) {
        return RUN_TIME.format(t.truncatedTo(ChronoUnit.MICROS).plusNanos(t.getNano() % 1000 / 100 * 100));
    }

    /** The token's {@code .issued} and {@code .expires}: whole seconds ({@code 2022-04-24T14:24:18+01:00}). */
    static String tokenTime(Instant t) {
        return TOKEN_TIME.format(t);
    }

    private static String slug(String name) {
        String s = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
        return s.isEmpty() ? "job" : s;
    }
}
