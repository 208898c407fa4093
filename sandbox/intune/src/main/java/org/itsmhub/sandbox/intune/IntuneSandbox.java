package org.itsmhub.sandbox.intune;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

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
 * A stateful fake of what the Intune connector talks to, on one port: the Microsoft identity
 * platform's client-credentials token endpoint ({@code POST /{tenant}/oauth2/v2.0/token}) and Graph's
 * {@code GET /v1.0/deviceManagement/managedDevices} with {@code $select}, {@code $top} and
 * {@code @odata.nextLink} paging, Graph's error envelope, {@code 429} with {@code Retry-After}.
 * Tokens expire on the sandbox clock. Devices live in memory in seed order; the control API under
 * {@code /__sandbox/devices} changes what Graph cannot write (a device becomes compliant, checks in).
 * Seeds are managedDevices responses ({@code {"value":[...]}}).
 */
public final class IntuneSandbox extends VendorSandbox {

    public static final String TENANT = "sandbox.onmicrosoft.com";
    public static final String CLIENT_ID = "sandbox-client-id";
    public static final String DEFAULT_CLIENT_SECRET = "sandbox-client-secret";
    /** Lifetime of the tokens it issues, as Entra's usual {@code expires_in}. */
    public static final Duration TOKEN_LIFETIME = Duration.ofSeconds(3599);

    static final String DEVICES_PATH = "/v1.0/deviceManagement/managedDevices";
    private static final String TOKEN_PATH = "/{tenant}/oauth2/v2.0/token";
    private static final int MAX_TOP = 1000;
    private static final Set<String> OIDC_SCOPES = Set.of("openid", "profile", "offline_access", "email");

    /** The structural properties of {@code microsoft.graph.managedDevice} in Graph v1.0 (with entity's id). */
    static final Set<String> PROPERTIES = Set.of("id", "activationLockBypassCode", "androidSecurityPatchLevel",
            "azureADDeviceId", "azureADRegistered", "complianceGracePeriodExpirationDateTime", "complianceState",
            "configurationManagerClientEnabledFeatures", "deviceActionResults", "deviceCategoryDisplayName",
            "deviceEnrollmentType", "deviceHealthAttestationState", "deviceName", "deviceRegistrationState",
            "easActivated", "easActivationDateTime", "easDeviceId", "emailAddress", "enrolledDateTime",
            "enrollmentProfileName", "ethernetMacAddress", "exchangeAccessState", "exchangeAccessStateReason",
            "exchangeLastSuccessfulSyncDateTime", "freeStorageSpaceInBytes", "iccid", "imei", "isEncrypted",
            "isSupervised", "jailBroken", "lastSyncDateTime", "managedDeviceName", "managedDeviceOwnerType",
            "managementAgent", "managementCertificateExpirationDate", "managementState", "manufacturer", "meid", "model",
            "notes", "operatingSystem", "osVersion", "partnerReportedThreatState", "phoneNumber", "physicalMemoryInBytes",
            "remoteAssistanceSessionErrorDetails", "remoteAssistanceSessionUrl", "requireUserEnrollmentApproval",
            "serialNumber", "subscriberCarrier", "totalStorageSpaceInBytes", "udid", "userDisplayName", "userId",
            "userPrincipalName", "wiFiMacAddress");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter GRAPH_DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");
    /**
     * Graph writes {@code Edm.DateTimeOffset} in UTC with at most seven fractional digits (.NET ticks),
     * trailing zeros dropped: {@code 2024-02-19T16:05:33.27Z}, {@code 2024-03-08T05:59:47Z}.
     */
    private static final DateTimeFormatter GRAPH_TIME = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd'T'HH:mm:ss").appendFraction(ChronoField.NANO_OF_SECOND, 0, 7, true)
            .appendLiteral('Z').toFormatter(Locale.ROOT).withZone(ZoneOffset.UTC);

    private final String clientSecret;
    private final LinkedHashMap<String, ObjectNode> devices = new LinkedHashMap<>();
    private final Map<String, Instant> tokens = new HashMap<>();
    private long issued;
    /** The client-request-id of the request being answered (requests are answered one at a time), or null. */
    private String clientRequestId;
    private final SandboxRoutes routes = buildRoutes();

    public IntuneSandbox(SandboxOptions options, Clock clock, String clientSecret) {
        super(options, clock);
        this.clientSecret = clientSecret;
    }

    @Override
    public String vendor() {
        return "intune";
    }

    @Override
    public String credentials() {
        return "tenant.id " + TENANT + ", client.id " + CLIENT_ID + ", client.secret " + clientSecret
                + "; authority <sandbox URL>/{tenant}, graph.url <sandbox URL>";
    }

    @Override
    protected void seed(SandboxOptions.Seed seed) {
        JsonNode root;
        try {
            root = JSON.readTree(Files.readString(seed.file()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read Intune seed " + seed.file(), e);
        }
        JsonNode value = root == null ? null : root.get("value");
        if (value == null || !value.isArray()) {
            throw new IllegalArgumentException("Intune seed " + seed.file()
                    + " is not a managedDevices response: expected {\"value\": [...]}");
        }
        for (JsonNode d : value) {
            if (!d.isObject() || !d.path("id").isTextual()) {
                throw new IllegalArgumentException("Intune seed " + seed.file() + " holds a device without an id");
            }
            devices.put(d.get("id").asText(), (ObjectNode) d.deepCopy());
        }
    }

    /**
     * Graph and Entra echo a client's {@code client-request-id} (MSAL and the Graph SDK send one and log a
     * mismatch), Graph also inside its error's {@code innerError}.
     */
    @Override
    protected SandboxResponse handle(SandboxRequest request) {
        clientRequestId = request.header("client-request-id").orElse(null);
        try {
            SandboxResponse answer = answer(request);
            return clientRequestId == null ? answer : answer.withHeader("client-request-id", clientRequestId);
        } finally {
            clientRequestId = null;
        }
    }

    private SandboxResponse answer(SandboxRequest request) {
        Optional<SandboxResponse> answer = routes.dispatch(request);
        if (answer.isPresent()) {
            return answer.get();
        }
        if (request.path().startsWith("/__sandbox/")) {
            return controlError(404, "no control endpoint " + request.method() + " " + request.path());
        }
        if (request.path().startsWith("/v1.0/") && routes.pathServedByAnotherMethod(request)) {
            return graphError(405, "BadRequest", "The request method '" + request.method()
                    + "' is not supported by the resource.");
        }
        if (request.path().startsWith("/v1.0/")) {
            return graphError(400, "BadRequest", "Resource not found for the segment '"
                    + request.path().substring(request.path().lastIndexOf('/') + 1) + "'.");
        }
        return graphError(404, "UnknownError", "");
    }

    @Override
    public SandboxRoutes routes() {
        return routes;
    }

    private SandboxRoutes buildRoutes() {
        return new SandboxRoutes()
                .get("/__sandbox/devices", "sandbox control: every device, unpaged `{\"value\": [...]}`",
                        (r, p) -> controlList())
                .post("/__sandbox/devices", "sandbox control: adds a device (a managedDevice object; `\"now\"` = the "
                        + "sandbox clock)", (r, p) -> controlAdd(r))
                .post("/__sandbox/devices/{id}", "sandbox control: sets the given properties of a device, e.g. "
                        + "`{\"complianceState\": \"compliant\", \"lastSyncDateTime\": \"now\"}`",
                        (r, p) -> controlChange(p.get("id"), r))
                .delete("/__sandbox/devices/{id}", "sandbox control: removes a device", (r, p) -> controlDelete(p.get("id")))
                .post(TOKEN_PATH, "Microsoft identity platform token, client credentials grant (scope `…/.default`)",
                        (r, p) -> token(p.get("tenant"), form(r.bodyAsString())))
                .get(DEVICES_PATH, "managed devices; `$select`, `$top` (≤ 1000), paged by `@odata.nextLink` "
                        + "with `$skiptoken`", (r, p) -> authorised(r) ? listDevices(r) : unauthorised(r))
                .get(DEVICES_PATH + "/{id}", "one managed device; `$select`",
                        (r, p) -> authorised(r) ? device(r, p.get("id")) : unauthorised(r));
    }

    // --- Microsoft identity platform
    // --- Microsoft identity platform

    /** https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-client-creds-grant-flow */
    private SandboxResponse token(String tenant, Map<String, String> form) {
        if (!TENANT.equalsIgnoreCase(tenant)) {
            return aadError(400, "invalid_request", 90002, "Tenant '" + tenant + "' not found. Check to make sure you "
                    + "have the correct tenant ID and are signing into the correct cloud.");
        }
        if (!"client_credentials".equals(form.get("grant_type"))) {
            return aadError(400, "unsupported_grant_type", 70003, "The app requested an unsupported grant type '"
                    + form.getOrDefault("grant_type", "") + "'.");
        }
        if (!CLIENT_ID.equals(form.get("client_id"))) {
            return aadError(400, "unauthorized_client", 700016, "Application with identifier '"
                    + form.getOrDefault("client_id", "") + "' was not found in the directory '" + TENANT + "'.");
        }
        if (!clientSecret.equals(form.get("client_secret"))) {
            return aadError(401, "invalid_client", 7000215, "Invalid client secret provided. Ensure the secret being "
                    + "sent in the request is the client secret value, not the client secret ID, for a secret added to "
                    + "app '" + CLIENT_ID + "'.");
        }
        String scope = form.getOrDefault("scope", "");
        // MSAL adds the OpenID Connect scopes to every request, and Entra takes them beside one /.default
        List<String> resourceScopes = java.util.Arrays.stream(scope.trim().split("\\s+"))
                .filter(x -> !x.isEmpty() && !OIDC_SCOPES.contains(x)).toList();
        if (resourceScopes.size() != 1 || !resourceScopes.get(0).endsWith("/.default")) {
            return aadError(400, "invalid_scope", 1002012, "The provided value for scope " + scope + " is not valid. "
                    + "Client credential flows must have a scope value with /.default suffixed to the resource identifier "
                    + "(application ID URI).");
        }
        String accessToken = "sandbox-at-" + (++issued) + "-" + UUID.randomUUID();
        tokens.put(accessToken, clock().instant().plus(TOKEN_LIFETIME));
        ObjectNode body = JSON.createObjectNode().put("token_type", "Bearer")
                .put("expires_in", TOKEN_LIFETIME.toSeconds()).put("ext_expires_in", TOKEN_LIFETIME.toSeconds())
                .put("access_token", accessToken);
        return SandboxResponse.json(200, body.toString()).withHeader("Cache-Control", "no-store, no-cache");
    }

    private SandboxResponse aadError(int status, String error, long code, String description) {
        String now = clock().instant().atZone(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'"));
        String trace = UUID.randomUUID().toString();
        String correlation = UUID.randomUUID().toString();
        ObjectNode body = JSON.createObjectNode().put("error", error)
                .put("error_description", "AADSTS" + code + ": " + description + "\r\nTrace ID: " + trace
                        + "\r\nCorrelation ID: " + correlation + "\r\nTimestamp: " + now);
        body.putArray("error_codes").add(code);
        body.put("timestamp", now).put("trace_id", trace).put("correlation_id", correlation)
                .put("error_uri", baseUrl() + "/error?code=" + code);
        return SandboxResponse.json(status, body.toString());
    }

    private SandboxResponse unauthorised(SandboxRequest request) {
        return graphError(401, "InvalidAuthenticationToken", unauthorisedReason(request))
                .withHeader("WWW-Authenticate", "Bearer realm=\"\", authorization_uri=\"https://login"
                        + ".microsoftonline.com/common/oauth2/authorize\", client_id=\"00000003-0000-0000-c000-"
                        + "000000000000\"");
    }

    /** Graph's message for each way a token fails: none, one it never issued, one whose lifetime is over. */
    private String unauthorisedReason(SandboxRequest request) {
        String header = request.header("Authorization").orElse("");
        if (!header.startsWith("Bearer ") || header.substring("Bearer ".length()).isBlank()) {
            return "Access token is empty.";
        }
        if (!tokens.containsKey(header.substring("Bearer ".length()).trim())) {
            return "IDX14100: JWT is not well formed, there are no dots (.).\nThe token needs to be in JWS or JWE "
                    + "Compact Serialization Format. (JWS): 'EncodedHeader.EndcodedPayload.EncodedSignature'. (JWE): "
                    + "'EncodedProtectedHeader.EncodedEncryptedKey.EncodedInitializationVector.EncodedCiphertext."
                    + "EncodedAuthenticationTag'.";
        }
        return "Lifetime validation failed, the token is expired.";
    }

    private boolean authorised(SandboxRequest request) {
        String header = request.header("Authorization").orElse("");
        if (!header.startsWith("Bearer ")) {
            return false;
        }
        Instant expires = tokens.get(header.substring("Bearer ".length()).trim());
        return expires != null && clock().instant().isBefore(expires);
    }

    // --- Graph

    /** https://learn.microsoft.com/en-us/graph/api/intune-devices-manageddevice-list?view=graph-rest-1.0 */
    private SandboxResponse listDevices(SandboxRequest request) {
        int top = MAX_TOP;
        Optional<String> topParam = request.queryParam("$top");
        if (topParam.isPresent()) {
            try {
                top = Integer.parseInt(topParam.get().trim());
            } catch (NumberFormatException e) {
                top = -1;
            }
            if (top < 1) {
                return graphError(400, "BadRequest", "Invalid value '" + topParam.get() + "' for $top query option found. "
                        + "The $top query option requires a non-negative integer value.");
            }
            top = Math.min(top, MAX_TOP);
        }
        List<String> select = new ArrayList<>();
        Optional<SandboxResponse> badSelect = select(request, select);
        if (badSelect.isPresent()) {
            return badSelect.get();
        }
        int offset = 0;
        Optional<String> skip = request.queryParam("$skiptoken");
        if (skip.isPresent()) {
            try {
                String decoded = new String(Base64.getUrlDecoder().decode(skip.get()), StandardCharsets.UTF_8);
                offset = Integer.parseInt(decoded.substring(decoded.indexOf(':') + 1));
            } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
                return graphError(400, "BadRequest", "The $skiptoken '" + skip.get() + "' is not valid.");
            }
        }
        List<ObjectNode> all = new ArrayList<>(devices.values());
        ObjectNode body = JSON.createObjectNode();
        body.put("@odata.context", baseUrl() + "/v1.0/$metadata#deviceManagement/managedDevices"
                + (select.isEmpty() ? "" : "(" + String.join(",", select) + ")"));
        ArrayNode value = body.putArray("value");
        int end = Math.min(all.size(), offset + top);
        for (int i = offset; i < end; i++) {
            value.add(project(all.get(i), select));
        }
        if (end < all.size()) {
            StringBuilder next = new StringBuilder(baseUrl()).append(DEVICES_PATH).append('?');
            if (!select.isEmpty()) {
                next.append("$select=").append(encode(String.join(",", select))).append('&');
            }
            next.append("$top=").append(top).append("&$skiptoken=")
                    .append(Base64.getUrlEncoder().withoutPadding().encodeToString(("offset:" + end)
                            .getBytes(StandardCharsets.UTF_8)));
            body.put("@odata.nextLink", next.toString());
        }
        return SandboxResponse.json(200, body.toString())
                .withHeader("request-id", UUID.randomUUID().toString())
                .withHeader("OData-Version", "4.0");
    }

    /** Reads {@code $select} into {@code into}; Graph's 400 for a property managedDevice does not have. */
    private Optional<SandboxResponse> select(SandboxRequest request, List<String> into) {
        Optional<String> selectParam = request.queryParam("$select");
        if (selectParam.isPresent() && !selectParam.get().isBlank()) {
            for (String name : selectParam.get().split(",")) {
                String n = name.trim();
                if (!PROPERTIES.contains(n)) {
                    return Optional.of(graphError(400, "BadRequest", "Could not find a property named '" + n
                            + "' on type 'microsoft.graph.managedDevice'."));
                }
                into.add(n);
            }
        }
        return Optional.empty();
    }

    /** https://learn.microsoft.com/en-us/graph/api/intune-devices-manageddevice-get?view=graph-rest-1.0 */
    private SandboxResponse device(SandboxRequest request, String id) {
        List<String> select = new ArrayList<>();
        Optional<SandboxResponse> badSelect = select(request, select);
        if (badSelect.isPresent()) {
            return badSelect.get();
        }
        ObjectNode device = devices.get(id);
        if (device == null) {
            // Intune's own not-found: its service error, serialised into Graph's message
            String message = "{\r\n  \"_version\": 3,\r\n  \"Message\": \"An error has occurred - Operation ID (for customer "
                    + "support): 00000000-0000-0000-0000-000000000000 - Activity ID: " + UUID.randomUUID() + " - Url: "
                    + baseUrl() + request.path() + "\",\r\n  \"CustomApiErrorPhrase\": \"\",\r\n  \"RetryAfter\": null,"
                    + "\r\n  \"ErrorSourceService\": \"\",\r\n  \"HttpHeaders\": \"{}\"\r\n}";
            return graphError(404, "ResourceNotFound", message);
        }
        ObjectNode body = JSON.createObjectNode();
        body.put("@odata.context", baseUrl() + "/v1.0/$metadata#deviceManagement/managedDevices"
                + (select.isEmpty() ? "" : "(" + String.join(",", select) + ")") + "/$entity");
        body.setAll(project(device, select));
        return SandboxResponse.json(200, body.toString())
                .withHeader("request-id", UUID.randomUUID().toString())
                .withHeader("OData-Version", "4.0");
    }

    /** Graph answers {@code $select} with the selected properties only (id is always there). */
    private static ObjectNode project(ObjectNode device, List<String> select) {
        if (select.isEmpty()) {
            return device.deepCopy();
        }
        ObjectNode out = JSON.createObjectNode();
        out.set("id", device.get("id"));
        for (String name : select) {
            out.set(name, device.has(name) ? device.get(name).deepCopy() : JSON.nullNode());
        }
        return out;
    }

    /** Graph's error envelope. https://learn.microsoft.com/en-us/graph/errors */
    private SandboxResponse graphError(int status, String code, String message) {
        String requestId = UUID.randomUUID().toString();
        ObjectNode body = JSON.createObjectNode();
        ObjectNode error = body.putObject("error").put("code", code).put("message", message);
        error.putObject("innerError")
                .put("date", LocalDateTime.ofInstant(clock().instant(), ZoneOffset.UTC).format(GRAPH_DATE))
                .put("request-id", requestId).put("client-request-id", clientRequestId != null ? clientRequestId : requestId);
        return SandboxResponse.json(status, body.toString()).withHeader("request-id", requestId);
    }

    @Override
    protected SandboxResponse rateLimited(Duration retryAfter) {
        return graphError(429, "TooManyRequests", "Too many requests.")
                .withHeader("Retry-After", Long.toString(Math.max(1, retryAfter.toSeconds())));
    }

    @Override
    protected SandboxResponse serverError() {
        return graphError(503, "ServiceUnavailable", "Service is unavailable. Try again later.")
                .withHeader("Retry-After", "10");
    }

    // --- control API

    private SandboxResponse controlList() {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode value = body.putArray("value");
        devices.values().forEach(d -> value.add(d.deepCopy()));
        return SandboxResponse.json(200, body.toString());
    }

    private SandboxResponse controlAdd(SandboxRequest request) {
        ObjectNode device = readObject(request);
        if (device == null) {
            return controlError(400, "the body must be a managedDevice JSON object");
        }
        if (!device.path("id").isTextual()) {
            device.put("id", UUID.randomUUID().toString());
        }
        String id = device.get("id").asText();
        if (devices.containsKey(id)) {
            return controlError(409, "device " + id + " exists; POST /__sandbox/devices/" + id + " changes it");
        }
        resolveNow(device);
        devices.put(id, device);
        return SandboxResponse.json(201, device.toString());
    }

    private SandboxResponse controlChange(String id, SandboxRequest request) {
        ObjectNode device = devices.get(id);
        ObjectNode patch = readObject(request);
        if (device == null) {
            return controlError(404, "no device " + id);
        }
        if (patch == null) {
            return controlError(400, "the body must be a JSON object of managedDevice properties to set");
        }
        patch.remove("id");
        resolveNow(patch);
        device.setAll(patch);
        return SandboxResponse.json(200, device.toString());
    }

    private SandboxResponse controlDelete(String id) {
        return devices.remove(id) == null ? controlError(404, "no device " + id) : SandboxResponse.empty(204);
    }

    /** {@code "now"} as a timestamp value means the sandbox clock's now, so tests can say "checks in now". */
    private void resolveNow(ObjectNode node) {
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getValue().isTextual() && e.getValue().asText().equals("now")) {
                e.setValue(JSON.getNodeFactory().textNode(graphTime(clock().instant())));
            }
        }
    }

    /** An instant as Graph writes it: truncated to 100 ns, so never more than seven fractional digits. */
    static String graphTime(Instant instant) {
        return GRAPH_TIME.format(instant.truncatedTo(ChronoUnit.MICROS).plusNanos(instant.getNano() % 1000 / 100 * 100));
    }

    private static ObjectNode readObject(SandboxRequest request) {
        try {
            JsonNode node = JSON.readTree(request.bodyAsString());
            return node != null && node.isObject() ? (ObjectNode) node : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static SandboxResponse controlError(int status, String message) {
        return SandboxResponse.json(status, JSON.createObjectNode().put("message", message).toString());
    }

    private static Map<String, String> form(String body) {
        Map<String, String> form = new HashMap<>();
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            form.put(name, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return form;
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("%2C", ",");
    }
}
