package org.itsmhub.sandbox.intune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import org.itsmhub.api.config.ConfigProblem;
import org.itsmhub.api.connector.AssetSource;
import org.itsmhub.api.connector.Connector;
import org.itsmhub.api.connector.Cursor;
import org.itsmhub.api.connector.FindingSource;
import org.itsmhub.api.connector.Page;
import org.itsmhub.api.connector.ReadRequest;
import org.itsmhub.api.error.AuthenticationException;
import org.itsmhub.api.error.RetriableException;
import org.itsmhub.api.model.Asset;
import org.itsmhub.api.model.Finding;
import org.itsmhub.api.model.FindingState;
import org.itsmhub.plugin.intune.IntuneConnectorFactory;
import org.itsmhub.plugin.intune.dto.IntuneDevicePage;
import org.itsmhub.plugin.intune.dto.IntuneManagedDevice;
import org.itsmhub.sandbox.SandboxOptions;
import org.itsmhub.sandbox.SandboxRoutes;
import org.itsmhub.testkit.docs.GeneratedDocSection;
import org.itsmhub.testkit.contract.VendorTestData;
import org.itsmhub.testkit.time.TestClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real Intune connector against the sandbox, and the sandbox's answers against the Graph material:
 * the managedDevice CSDL and a list response written from it.
 */
class IntuneSandboxTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper DTO = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final String SECRET = "sandbox-secret-1";
    /** Written by this project from the managedDevice CSDL (testdata/intune/PROVENANCE.md). */
    private static final String FIXTURE = "managedDevices_list_itsmhub.json";
    /** Of the fixture: compliant, encrypted, checked in 2024-03-08. */
    private static final String LAPTOP = "3f9c2d4e-8a1b-4c7d-9e6f-0a2b4c6d8e1f";
    /** Of the fixture: noncompliant, not encrypted, last check-in 2024-02-19. */
    private static final String STALE_LAPTOP = "8e1d4b7a-2c5f-4a9e-b3d6-7f0c1e2a3b4d";
    /** Of the fixture: "iPhone von Jürgen", in its compliance grace period, checked in 2024-03-08. */
    private static final String PHONE = "c4a7e2f9-5b3d-4e8a-a1c6-9d0b2e4f6a8c";
    private static final HttpClient HTTP = HttpClient.newHttpClient();


    @TempDir
    Path tmp;

    private final TestClock clock = new TestClock(Instant.parse("2024-03-10T12:00:00Z"));
    private IntuneSandbox sandbox;
    private Connector connector;

    @AfterEach
    void stop() {
        if (connector != null) {
            connector.close();
        }
        if (sandbox != null) {
            sandbox.close();
        }
    }

    private IntuneSandbox start(SandboxOptions options) {
        sandbox = new IntuneSandbox(options, clock, SECRET);
        sandbox.start();
        return sandbox;
    }

    private IntuneSandbox startWith(Path... seeds) {
        List<SandboxOptions.Seed> list = new ArrayList<>();
        for (Path p : seeds) {
            list.add(new SandboxOptions.Seed(null, p));
        }
        return start(SandboxOptions.defaults().withSeeds(list));
    }

    private Path seedOf(String... devices) throws IOException {
        Path file = Files.createTempFile(tmp, "devices-", ".json");
        Files.writeString(file, "{\"value\":[" + String.join(",", devices) + "]}");
        return file;
    }

    private static String device(String id, String complianceState, String lastSync, boolean encrypted) {
        return """
                {"id":"%s","deviceName":"PC-%s","serialNumber":"SN-%s","operatingSystem":"Windows","osVersion":"10.0.22631",
                 "complianceState":"%s","lastSyncDateTime":"%s","isEncrypted":%s,"userPrincipalName":"u%s@contoso.com",
                 "azureADDeviceId":"aad-%s","wiFiMacAddress":"a4c3f01122%s","ethernetMacAddress":"","manufacturer":"HP",
                 "model":"EliteBook 840","managedDeviceOwnerType":"company","notes":"not selected"}
                """.formatted(id, id, id, complianceState, lastSync, encrypted, id, id, String.format("%02d",
                Integer.parseInt(id.replaceAll("\\D", "0")) % 100));
    }

    private Connector connect(String secret, Map<String, Object> extra) {
        IntuneConnectorFactory factory = new IntuneConnectorFactory();
        Map<String, Object> raw = new HashMap<>(Map.of("tenant.id", IntuneSandbox.TENANT, "client.id",
                IntuneSandbox.CLIENT_ID, "client.secret", secret, "authority", sandbox.baseUrl() + "/{tenant}",
                "graph.url", sandbox.baseUrl()));
        raw.putAll(extra);
        connector = factory.create(org.itsmhub.testkit.contract.TestConnectorContext.of(factory, raw, clock));
        return connector;
    }

    private <T> List<T> drain(java.util.function.Function<ReadRequest, Page<T>> read, int pageSize) {
        List<T> all = new ArrayList<>();
        Cursor cursor = null;
        for (int guard = 0; guard < 100; guard++) {
            Page<T> page = read.apply(new ReadRequest(cursor, Map.of(), pageSize));
            all.addAll(page.items());
            if (!page.hasMore()) {
                return all;
            }
            cursor = page.next();
        }
        throw new AssertionError("paging does not end");
    }

    private List<Asset> assets(int pageSize) {
        return drain(connector.capability(AssetSource.class).orElseThrow()::readAssets, pageSize);
    }

    private List<Finding> findings(int pageSize) {
        return drain(connector.capability(FindingSource.class).orElseThrow()::readFindings, pageSize);
    }

    private HttpResponse<String> send(String method, String path, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private String token() throws Exception {
        HttpResponse<String> r = send("POST", "/" + IntuneSandbox.TENANT + "/oauth2/v2.0/token", form(Map.of(
                "client_id", IntuneSandbox.CLIENT_ID, "client_secret", SECRET, "grant_type", "client_credentials",
                "scope", "https://graph.microsoft.com/.default")), "Content-Type", "application/x-www-form-urlencoded");
        assertThat(r.statusCode()).isEqualTo(200);
        return JSON.readTree(r.body()).get("access_token").asText();
    }

    private static String form(Map<String, String> fields) {
        return String.join("&", fields.entrySet().stream().map(e -> e.getKey() + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).toList());
    }

    private List<ServeEvent> graphCalls() {
        List<ServeEvent> events = new ArrayList<>(sandbox.wiremock().getAllServeEvents());
        java.util.Collections.reverse(events); // the journal is newest first
        return events.stream().filter(e -> e.getRequest().getUrl().startsWith(IntuneSandbox.DEVICES_PATH)).toList();
    }

    // --- the real connector against the sandbox

    @Test
    void theRealConnectorReadsTheSeededDevicesAsAssetsAndTheirFindings() {
        startWith(VendorTestData.path("intune", FIXTURE));
        connect(SECRET, Map.of());

        assertThat(connector.checkConnection()).isEmpty();
        List<Asset> assets = assets(100);
        List<Finding> findings = findings(100);

        assertThat(assets).extracting(a -> a.ref().id()).containsExactly(LAPTOP, STALE_LAPTOP, PHONE);
        assertThat(assets.get(0)).satisfies(a -> {
            assertThat(a.identity().serial()).isEqualTo("7Q2M4R3");
            assertThat(a.identity().macs()).containsExactly("F4:26:79:35:A2:1C", "8C:8C:AA:4E:71:D0");
            assertThat(a.identity().vendorIds()).containsEntry("azureAdDeviceId", "c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f");
            assertThat(a.os()).isEqualTo("Windows");
            assertThat(a.owner().id()).isEqualTo("anna.kowalski@acme.example");
            assertThat(a.lastSeen()).isEqualTo(Instant.parse("2024-03-08T07:41:12.8830417Z"));
            assertThat(a.attributes()).containsEntry("manufacturer", "Dell Inc.")
                    .containsEntry("model", "Latitude 5440").containsEntry("complianceState", "compliant");
        });
        assertThat(assets.get(2).name()).as("UTF-8 through Graph, the sandbox and the client").isEqualTo("iPhone von J\u00fcrgen");
        String key = "intune:" + IntuneSandbox.TENANT + ":";
        // now is 2024-03-10 12:00Z: the second laptop last checked in 19 days ago
        assertThat(findings).extracting(Finding::key, Finding::state).containsExactly(
                tuple(key + LAPTOP + ":compliance", FindingState.CLEARED),
                tuple(key + LAPTOP + ":checkin", FindingState.CLEARED),
                tuple(key + LAPTOP + ":encryption", FindingState.CLEARED),
                tuple(key + STALE_LAPTOP + ":compliance", FindingState.PRESENT),
                tuple(key + STALE_LAPTOP + ":checkin", FindingState.PRESENT),
                tuple(key + STALE_LAPTOP + ":encryption", FindingState.PRESENT),
                tuple(key + PHONE + ":compliance", FindingState.PRESENT),
                tuple(key + PHONE + ":checkin", FindingState.CLEARED),
                tuple(key + PHONE + ":encryption", FindingState.CLEARED));
    }

    @Test
    void devicesArePagedByTopWithNextLinksToTheEndAndOneTokenServesTheWholeSweep() throws Exception {
        startWith(seedOf(device("1", "compliant", "2024-03-10T08:00:00Z", true),
                device("2", "noncompliant", "2024-03-10T08:00:00Z", true),
                device("3", "compliant", "2024-03-10T08:00:00Z", false)),
                seedOf(device("4", "inGracePeriod", "2024-02-01T08:00:00Z", true),
                        device("5", "compliant", "2024-03-10T08:00:00Z", true)));
        connect(SECRET, Map.of());

        List<Asset> assets = assets(2);

        assertThat(assets).extracting(a -> a.ref().id()).containsExactly("1", "2", "3", "4", "5");
        List<ServeEvent> calls = graphCalls();
        assertThat(calls).hasSize(3);
        assertThat(calls.get(0).getRequest().queryParameter("$top").firstValue()).isEqualTo("2");
        assertThat(calls.get(1).getRequest().queryParameter("$skiptoken").isPresent()).isTrue();
        assertThat(calls.get(2).getRequest().queryParameter("$select").firstValue()).isEqualTo(IntuneManagedDevice.SELECT);
        assertThat(sandbox.wiremock().getAllServeEvents()).filteredOn(e -> e.getRequest().getUrl().contains("/token"))
                .hasSize(1);

        List<Finding> present = findings(100).stream().filter(f -> f.state() == FindingState.PRESENT).toList();
        assertThat(present).extracting(Finding::key).containsExactlyInAnyOrder(
                "intune:sandbox.onmicrosoft.com:2:compliance", "intune:sandbox.onmicrosoft.com:3:encryption",
                "intune:sandbox.onmicrosoft.com:4:compliance", "intune:sandbox.onmicrosoft.com:4:checkin");
    }

    @Test
    void aDeviceMadeCompliantAndCheckedInThroughTheControlApiClearsItsFindings() throws Exception {
        startWith(seedOf(device("7", "noncompliant", "2024-02-01T08:00:00Z", false)));
        connect(SECRET, Map.of());
        assertThat(findings(100)).extracting(Finding::state).containsOnly(FindingState.PRESENT).hasSize(3);

        HttpResponse<String> patched = send("POST", "/__sandbox/devices/7",
                "{\"complianceState\":\"compliant\",\"lastSyncDateTime\":\"now\",\"isEncrypted\":true}");
        assertThat(patched.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(patched.body()).get("lastSyncDateTime").asText()).isEqualTo(clock.instant().toString());

        assertThat(findings(100)).extracting(Finding::key, Finding::state).containsExactly(
                tuple("intune:sandbox.onmicrosoft.com:7:compliance", FindingState.CLEARED),
                tuple("intune:sandbox.onmicrosoft.com:7:checkin", FindingState.CLEARED),
                tuple("intune:sandbox.onmicrosoft.com:7:encryption", FindingState.CLEARED));
    }

    @Test
    void theControlApiAddsListsAndRemovesDevices() throws Exception {
        start(SandboxOptions.defaults());
        assertThat(send("POST", "/__sandbox/devices", device("8", "compliant", "2024-03-10T08:00:00Z", true))
                .statusCode()).isEqualTo(201);
        assertThat(send("POST", "/__sandbox/devices", device("8", "compliant", "2024-03-10T08:00:00Z", true))
                .statusCode()).isEqualTo(409);
        assertThat(JSON.readTree(send("GET", "/__sandbox/devices", null).body()).get("value")).hasSize(1);
        connect(SECRET, Map.of());
        assertThat(assets(10)).extracting(a -> a.ref().id()).containsExactly("8");

        assertThat(send("DELETE", "/__sandbox/devices/8", null).statusCode()).isEqualTo(204);
        assertThat(send("POST", "/__sandbox/devices/8", "{\"complianceState\":\"compliant\"}").statusCode()).isEqualTo(404);
        assertThat(assets(10)).isEmpty();
    }

    @Test
    void aWrongClientSecretGetsEntras401AndTheConnectorAnAuthError() throws Exception {
        start(SandboxOptions.defaults());
        connect("not-the-secret", Map.of());

        assertThatThrownBy(() -> assets(10)).isInstanceOf(AuthenticationException.class)
                .hasMessageContaining("invalid_client: AADSTS7000215").hasMessageNotContaining("Trace ID");
        assertThat(connector.checkConnection()).extracting(ConfigProblem::key).containsExactly("client.secret");

        HttpResponse<String> r = send("POST", "/" + IntuneSandbox.TENANT + "/oauth2/v2.0/token", form(Map.of(
                "client_id", IntuneSandbox.CLIENT_ID, "client_secret", "nope", "grant_type", "client_credentials",
                "scope", "https://graph.microsoft.com/.default")), "Content-Type", "application/x-www-form-urlencoded");
        assertThat(r.statusCode()).isEqualTo(401);
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.get("error").asText()).isEqualTo("invalid_client");
        assertThat(body.get("error_codes").get(0).asLong()).isEqualTo(7000215);
        assertThat(body.get("error_description").asText()).startsWith("AADSTS7000215: ").contains("\r\nTrace ID: ");
    }

    @Test
    void anUnknownTenantOrAppIsRefusedWithEntrasCodesAgainstTheRightKey() {
        start(SandboxOptions.defaults());
        assertThat(connect(SECRET, Map.of("tenant.id", "other.onmicrosoft.com")).checkConnection())
                .extracting(ConfigProblem::key).containsExactly("tenant.id");
        assertThat(connect(SECRET, Map.of("client.id", "someone-else")).checkConnection())
                .extracting(ConfigProblem::key).containsExactly("client.id");
    }

    @Test
    void graphAnswersAMissingOrExpiredTokenWithItsOwn401Envelope() throws Exception {
        start(SandboxOptions.defaults());
        HttpResponse<String> none = send("GET", IntuneSandbox.DEVICES_PATH, null);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate")).get().asString().startsWith("Bearer");
        JsonNode error = JSON.readTree(none.body()).get("error");
        assertThat(error.get("code").asText()).isEqualTo("InvalidAuthenticationToken");
        assertThat(error.get("message").asText()).isEqualTo("Access token is empty.");
        assertThat(error.get("innerError").has("request-id")).isTrue();

        String token = token();
        assertThat(send("GET", IntuneSandbox.DEVICES_PATH, null, "Authorization", "Bearer " + token).statusCode())
                .isEqualTo(200);
        clock.advance(IntuneSandbox.TOKEN_LIFETIME);
        assertThat(send("GET", IntuneSandbox.DEVICES_PATH, null, "Authorization", "Bearer " + token).statusCode())
                .isEqualTo(401);
    }

    @Test
    void theConnectorFetchesANewTokenWhenTheSandboxClockPassesItsExpiry() throws Exception {
        startWith(seedOf(device("1", "compliant", "2024-03-10T08:00:00Z", true)));
        connect(SECRET, Map.of());
        assets(10);
        clock.advance(Duration.ofMinutes(56));

        assertThat(assets(10)).hasSize(1);
        assertThat(sandbox.wiremock().getAllServeEvents()).filteredOn(e -> e.getRequest().getUrl().contains("/token"))
                .hasSize(2);
    }

    @Test
    void anUnknownSelectPropertyOrABadTopIsGraphs400() throws Exception {
        start(SandboxOptions.defaults());
        String token = token();

        HttpResponse<String> select = send("GET", IntuneSandbox.DEVICES_PATH + "?$select=id,colour", null,
                "Authorization", "Bearer " + token);
        assertThat(select.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(select.body()).at("/error/message").asText())
                .isEqualTo("Could not find a property named 'colour' on type 'microsoft.graph.managedDevice'.");
        assertThat(send("GET", IntuneSandbox.DEVICES_PATH + "?$top=zero", null, "Authorization", "Bearer " + token)
                .statusCode()).isEqualTo(400);
    }

    @Test
    void overTheRateLimitGraphs429CarriesRetryAfterAndTheConnectorSeesItRetriable() throws Exception {
        start(SandboxOptions.defaults().withRateLimit(2, Duration.ofSeconds(20)));
        connect(SECRET, Map.of());
        assets(10); // token + one list: the window is full

        assertThatThrownBy(() -> assets(10)).isInstanceOfSatisfying(RetriableException.class, e -> {
            assertThat(e.retryAfter()).isPresent();
            assertThat(e.getMessage()).contains("HTTP 429 TooManyRequests");
        });
    }

    // --- fidelity against the real material

    @Test
    void theSeededResponseIsServedBackFieldForField() throws Exception {
        startWith(VendorTestData.path("intune", FIXTURE));
        HttpResponse<String> r = send("GET", IntuneSandbox.DEVICES_PATH, null, "Authorization", "Bearer " + token());

        JsonNode served = JSON.readTree(r.body());
        JsonNode real = JSON.readTree(VendorTestData.read("intune", FIXTURE));
        assertThat(served.get("value")).isEqualTo(real.get("value"));
        assertThat(served.get("@odata.context").asText()).endsWith("/v1.0/$metadata#deviceManagement/managedDevices");
        assertThat(served.has("@odata.nextLink")).isFalse();
    }

    @Test
    void aSelectedAnswerDecodesWithThePluginsDtosAndKeepsEverySelectedValue() throws Exception {
        startWith(VendorTestData.path("intune", FIXTURE));
        HttpResponse<String> r = send("GET", IntuneSandbox.DEVICES_PATH + "?$select="
                + IntuneManagedDevice.SELECT + "&$top=10", null, "Authorization", "Bearer " + token());

        JsonNode servedAll = JSON.readTree(r.body()).get("value");
        JsonNode realAll = JSON.readTree(VendorTestData.read("intune", FIXTURE)).get("value");
        assertThat(servedAll).hasSize(realAll.size());
        List<String> selected = List.of(IntuneManagedDevice.SELECT.split(","));
        for (int i = 0; i < realAll.size(); i++) {
            JsonNode served = servedAll.get(i);
            List<String> names = new ArrayList<>();
            for (Iterator<String> it = served.fieldNames(); it.hasNext();) {
                names.add(it.next());
            }
            assertThat(names).containsExactlyInAnyOrderElementsOf(selected);
            for (String name : selected) {
                assertThat(served.get(name)).as(i + "." + name).isEqualTo(realAll.get(i).get(name));
            }
        }
        IntuneDevicePage page = DTO.readValue(r.body(), IntuneDevicePage.class);
        IntuneManagedDevice d = page.value().get(0);
        assertThat(d.id()).isEqualTo(LAPTOP);
        assertThat(d.azureAdDeviceId()).isEqualTo("c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f");
        assertThat(d.wiFiMacAddress()).isEqualTo("F4267935A21C");
        assertThat(d.isEncrypted()).isTrue();
        IntuneManagedDevice phone = page.value().get(2);
        assertThat(phone.deviceName()).isEqualTo("iPhone von J\u00fcrgen");
        assertThat(phone.ethernetMacAddress()).isNull();
        assertThat(page.value().get(1).isEncrypted()).isFalse();
    }

    @Test
    void theSandboxKnowsExactlyTheManagedDevicePropertiesOfGraphsMetadata() {
        String csdl = VendorTestData.read("intune", "spec/msgraph_v1.0_managedDevice_csdl_extract.xml");
        Matcher entity = Pattern.compile("<EntityType Name=\"managedDevice\".*?</EntityType>", Pattern.DOTALL).matcher(csdl);
        assertThat(entity.find()).isTrue();
        Matcher props = Pattern.compile("<Property Name=\"(\\w+)\"").matcher(entity.group());
        List<String> names = new ArrayList<>(List.of("id"));
        while (props.find()) {
            names.add(props.group(1));
        }

        assertThat(IntuneSandbox.PROPERTIES).containsExactlyInAnyOrderElementsOf(names);
    }

    @Test
    void msalsScopeListWithTheOpenIdScopesBesideOneDefaultScopeGetsATokenAsFromEntra() throws Exception {
        start(SandboxOptions.defaults());
        String tokenPath = "/" + IntuneSandbox.TENANT + "/oauth2/v2.0/token";
        java.util.function.Function<String, HttpResponse<String>> ask = scope -> {
            try {
                return send("POST", tokenPath, form(Map.of("client_id", IntuneSandbox.CLIENT_ID, "client_secret", SECRET,
                        "grant_type", "client_credentials", "scope", scope)), "Content-Type", "application/x-www-form-urlencoded");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };

        assertThat(ask.apply("https://graph.microsoft.com/.default openid profile offline_access").statusCode()).isEqualTo(200);
        HttpResponse<String> twoResources = ask.apply("https://graph.microsoft.com/.default https://vault.azure.net/.default");
        assertThat(twoResources.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(twoResources.body()).get("error").asText()).isEqualTo("invalid_scope");
        assertThat(ask.apply("openid profile").statusCode()).isEqualTo(400);
    }

    @Test
    void theClientsRequestIdIsEchoedByTheTokenEndpointAndByGraphInsideItsErrors() throws Exception {
        start(SandboxOptions.defaults());
        String id = "5f1c0d9e-2b7a-4c3e-9d8f-1a2b3c4d5e6f";

        HttpResponse<String> token = send("POST", "/" + IntuneSandbox.TENANT + "/oauth2/v2.0/token", form(Map.of(
                "client_id", IntuneSandbox.CLIENT_ID, "client_secret", SECRET, "grant_type", "client_credentials",
                "scope", "https://graph.microsoft.com/.default")), "Content-Type", "application/x-www-form-urlencoded",
                "client-request-id", id);
        HttpResponse<String> refused = send("GET", IntuneSandbox.DEVICES_PATH, null, "client-request-id", id);

        assertThat(token.headers().firstValue("client-request-id")).contains(id);
        assertThat(refused.headers().firstValue("client-request-id")).contains(id);
        assertThat(JSON.readTree(refused.body()).at("/error/innerError/client-request-id").asText()).isEqualTo(id);
    }

    @Test
    void aTokenTheSandboxNeverIssuedGetsGraphsMalformedTokenMessageNotTheExpiredOne() throws Exception {
        start(SandboxOptions.defaults());

        HttpResponse<String> stranger = send("GET", IntuneSandbox.DEVICES_PATH, null, "Authorization", "Bearer not-issued-here");

        assertThat(stranger.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(stranger.body()).at("/error/message").asText()).startsWith("IDX14100: JWT is not well formed");
    }

    @Test
    void nowIsWrittenAsGraphWritesTimesWithAtMostSevenFractionalDigits() throws Exception {
        startWith(seedOf(device("7", "noncompliant", "2024-02-01T08:00:00Z", false)));
        clock.set(Instant.parse("2024-03-10T16:24:10.741703966Z"));

        HttpResponse<String> patched = send("POST", "/__sandbox/devices/7", "{\"lastSyncDateTime\":\"now\"}");
        String viaGraph = JSON.readTree(send("GET", IntuneSandbox.DEVICES_PATH + "/7", null, "Authorization",
                "Bearer " + token()).body()).get("lastSyncDateTime").asText();

        assertThat(JSON.readTree(patched.body()).get("lastSyncDateTime").asText()).isEqualTo("2024-03-10T16:24:10.7417039Z");
        assertThat(viaGraph).isEqualTo("2024-03-10T16:24:10.7417039Z");
        // the shapes of the fixture written from Graph's metadata: whole seconds, and trailing zeros dropped
        String fixture = VendorTestData.read("intune", FIXTURE);
        assertThat(fixture).contains("\"2024-03-08T05:59:47Z\"", "\"2024-02-19T16:05:33.27Z\"");
        assertThat(IntuneSandbox.graphTime(Instant.parse("2024-03-08T05:59:47Z"))).isEqualTo("2024-03-08T05:59:47Z");
        assertThat(IntuneSandbox.graphTime(Instant.parse("2024-02-19T16:05:33.270Z"))).isEqualTo("2024-02-19T16:05:33.27Z");
        assertThat(IntuneSandbox.graphTime(Instant.parse("2024-02-19T16:05:33.000000099Z"))).isEqualTo("2024-02-19T16:05:33Z");
    }

    @Test
    void oneDeviceIsReadByIdWithSelectAndAnUnknownIdIsIntunes404() throws Exception {
        startWith(VendorTestData.path("intune", FIXTURE));
        String token = token();

        HttpResponse<String> one = send("GET", IntuneSandbox.DEVICES_PATH + "/" + PHONE + "?$select=deviceName,complianceState",
                null, "Authorization", "Bearer " + token);
        HttpResponse<String> full = send("GET", IntuneSandbox.DEVICES_PATH + "/" + LAPTOP, null, "Authorization", "Bearer " + token);
        HttpResponse<String> missing = send("GET", IntuneSandbox.DEVICES_PATH + "/00000000-0000-0000-0000-000000000001", null,
                "Authorization", "Bearer " + token);
        HttpResponse<String> anonymous = send("GET", IntuneSandbox.DEVICES_PATH + "/" + LAPTOP, null);

        assertThat(one.statusCode()).isEqualTo(200);
        JsonNode phone = JSON.readTree(one.body());
        assertThat(phone.get("@odata.context").asText())
                .isEqualTo(sandbox.baseUrl() + "/v1.0/$metadata#deviceManagement/managedDevices(deviceName,complianceState)/$entity");
        assertThat(phone.get("deviceName").asText()).isEqualTo("iPhone von J\u00fcrgen");
        assertThat(phone.get("complianceState").asText()).isEqualTo("inGracePeriod");
        assertThat(phone.has("serialNumber")).isFalse();
        JsonNode laptop = JSON.readTree(full.body());
        JsonNode realLaptop = JSON.readTree(VendorTestData.read("intune", FIXTURE)).get("value").get(0);
        assertThat((JsonNode) ((com.fasterxml.jackson.databind.node.ObjectNode) laptop).without("@odata.context")).isEqualTo(realLaptop);
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(missing.body()).at("/error/code").asText()).isEqualTo("ResourceNotFound");
        assertThat(anonymous.statusCode()).isEqualTo(401);
    }

    @Test
    void theSandboxPageListsExactlyTheEndpointsThisSandboxServes() {
        GeneratedDocSection.check(Path.of("../../docs/sandbox.md"), SandboxRoutes.docsStartMarker("intune"),
                SandboxRoutes.docsEndMarker("intune"), start(SandboxOptions.defaults()).routes().markdownTable());
    }

    @Test
    void aSeedThatIsNotAManagedDevicesResponseIsRefused() throws Exception {
        Path bad = Files.writeString(tmp.resolve("bad.json"), "[{\"id\":\"1\"}]");
        sandbox = new IntuneSandbox(SandboxOptions.defaults().withSeeds(List.of(new SandboxOptions.Seed(null, bad))),
                clock, SECRET);
        assertThatThrownBy(sandbox::start).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("{\"value\": [...]}");
    }
}
