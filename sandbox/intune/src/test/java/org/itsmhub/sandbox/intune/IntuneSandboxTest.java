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
import org.itsmhub.testkit.contract.SharedFixtures;
import org.itsmhub.testkit.time.TestClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real Intune connector against the sandbox, and the sandbox's answers against the real Graph material. */
class IntuneSandboxTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper DTO = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final String SECRET = "sandbox-secret-1";
    private static final String FIXTURE = "graphdocs_v1.0_GET_deviceManagement_managedDevices_200_example.json";
    private static final String FIXTURE_ID = "705c034c-034c-705c-4c03-5c704c035c70";
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
    void theRealConnectorReadsTheSeededDocsDeviceAsAnAssetAndThreeFindings() {
        startWith(SharedFixtures.path("intune", FIXTURE));
        connect(SECRET, Map.of());

        assertThat(connector.checkConnection()).isEmpty();
        List<Asset> assets = assets(100);
        List<Finding> findings = findings(100);

        assertThat(assets).singleElement().satisfies(a -> {
            assertThat(a.ref().id()).isEqualTo(FIXTURE_ID);
            assertThat(a.identity().serial()).isEqualTo("Serial Number value");
            assertThat(a.identity().vendorIds()).containsEntry("azureAdDeviceId", "Azure ADDevice Id value");
            assertThat(a.os()).isEqualTo("Operating System value");
            assertThat(a.owner().id()).isEqualTo("User Principal Name value");
            assertThat(a.lastSeen()).isEqualTo(Instant.parse("2017-01-01T08:02:49.3205976Z"));
            assertThat(a.attributes()).containsEntry("manufacturer", "Manufacturer value")
                    .containsEntry("model", "Model value").containsEntry("complianceState", "compliant");
        });
        String key = "intune:" + IntuneSandbox.TENANT + ":" + FIXTURE_ID + ":";
        assertThat(findings).extracting(Finding::key, Finding::state).containsExactly(
                tuple(key + "compliance", FindingState.CLEARED),
                tuple(key + "checkin", FindingState.PRESENT),
                tuple(key + "encryption", FindingState.CLEARED));
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
    void theSeededDocsResponseIsServedBackFieldForField() throws Exception {
        startWith(SharedFixtures.path("intune", FIXTURE));
        HttpResponse<String> r = send("GET", IntuneSandbox.DEVICES_PATH, null, "Authorization", "Bearer " + token());

        JsonNode served = JSON.readTree(r.body());
        JsonNode real = JSON.readTree(SharedFixtures.read("intune", FIXTURE));
        assertThat(served.get("value")).isEqualTo(real.get("value"));
        assertThat(served.get("@odata.context").asText()).endsWith("/v1.0/$metadata#deviceManagement/managedDevices");
        assertThat(served.has("@odata.nextLink")).isFalse();
    }

    @Test
    void aSelectedAnswerDecodesWithThePluginsDtosAndKeepsEverySelectedValue() throws Exception {
        startWith(SharedFixtures.path("intune", FIXTURE));
        HttpResponse<String> r = send("GET", IntuneSandbox.DEVICES_PATH + "?$select="
                + IntuneManagedDevice.SELECT + "&$top=10", null, "Authorization", "Bearer " + token());

        JsonNode served = JSON.readTree(r.body()).get("value").get(0);
        JsonNode real = JSON.readTree(SharedFixtures.read("intune", FIXTURE)).get("value").get(0);
        List<String> selected = List.of(IntuneManagedDevice.SELECT.split(","));
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = served.fieldNames(); it.hasNext();) {
            names.add(it.next());
        }
        assertThat(names).containsExactlyInAnyOrderElementsOf(selected);
        for (String name : selected) {
            assertThat(served.get(name)).as(name).isEqualTo(real.get(name));
        }
        IntuneDevicePage page = DTO.readValue(r.body(), IntuneDevicePage.class);
        IntuneManagedDevice d = page.value().get(0);
        assertThat(d.id()).isEqualTo(FIXTURE_ID);
        assertThat(d.azureAdDeviceId()).isEqualTo("Azure ADDevice Id value");
        assertThat(d.wiFiMacAddress()).isEqualTo("Wi Fi Mac Address value");
        assertThat(d.isEncrypted()).isTrue();
    }

    @Test
    void theSandboxKnowsExactlyTheManagedDevicePropertiesOfGraphsMetadata() {
        String csdl = SharedFixtures.read("intune", "spec/msgraph_v1.0_managedDevice_csdl_extract.xml");
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
    void aSeedThatIsNotAManagedDevicesResponseIsRefused() throws Exception {
        Path bad = Files.writeString(tmp.resolve("bad.json"), "[{\"id\":\"1\"}]");
        sandbox = new IntuneSandbox(SandboxOptions.defaults().withSeeds(List.of(new SandboxOptions.Seed(null, bad))),
                clock, SECRET);
        assertThatThrownBy(sandbox::start).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("{\"value\": [...]}");
    }
}
