package org.itsmhub.plugin.intune;

import org.itsmhub.testkit.contract.CredentialEcho;
import static org.assertj.core.api.Assertions.catchThrowable;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.itsmhub.api.config.ConfigProblem;
import org.itsmhub.api.connector.AssetSource;
import org.itsmhub.api.connector.Cursor;
import org.itsmhub.api.connector.FindingSource;
import org.itsmhub.api.connector.Page;
import org.itsmhub.api.connector.ReadRequest;
import org.itsmhub.api.error.AuthenticationException;
import org.itsmhub.api.error.DataMappingException;
import org.itsmhub.api.error.RetriableException;
import org.itsmhub.api.model.Asset;
import org.itsmhub.api.model.ExternalRef;
import org.itsmhub.api.model.Finding;
import org.itsmhub.api.model.FindingKind;
import org.itsmhub.api.model.FindingState;
import org.itsmhub.api.model.Person;
import org.itsmhub.api.model.Severity;
import org.itsmhub.plugin.intune.dto.IntuneManagedDevice;
import org.itsmhub.testkit.contract.TestConnectorContext;
import org.itsmhub.testkit.time.TestClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class IntuneConnectorTest {

    private static final String SECRET = "client-s3cret-value~9";
    private static final String KEY_PREFIX = "intune:contoso.onmicrosoft.com:";

    @RegisterExtension
    static final WireMockExtension GRAPH = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();


    private final TestClock clock = new TestClock(Instant.parse("2024-03-10T12:00:00Z"));
    private IntuneConnector connector;

    private IntuneConnector connector(Map<String, Object> extra) {
        Map<String, Object> raw = IntuneStubs.config(GRAPH.baseUrl(), SECRET);
        raw.putAll(extra);
        IntuneConnectorFactory factory = new IntuneConnectorFactory();
        connector = (IntuneConnector) factory.create(TestConnectorContext.of(factory, raw, clock));
        return connector;
    }

    private IntuneConnector connector() {
        return connector(Map.of());
    }

    @AfterEach
    void close() {
        if (connector != null) {
            connector.close();
        }
    }

    private static List<LoggedRequest> requests() {
        return GRAPH.findAll(anyRequestedFor(anyUrl()));
    }

    private static List<LoggedRequest> tokenRequests() {
        return requests().stream().filter(r -> !IntuneStubs.isGraph(r)).toList();
    }

    private static List<LoggedRequest> graphRequests() {
        return requests().stream().filter(IntuneStubs::isGraph).toList();
    }

    private static Map<String, String> form(LoggedRequest r) {
        return Arrays.stream(r.getBodyAsString().split("&")).map(p -> p.split("=", 2))
                .collect(Collectors.toMap(p -> URLDecoder.decode(p[0], StandardCharsets.UTF_8),
                        p -> URLDecoder.decode(p[1], StandardCharsets.UTF_8)));
    }

    private void stubDevices(String... devices) {
        GRAPH.stubFor(get(urlPathEqualTo(IntuneStubs.DEVICES_PATH)).willReturn(okJson(IntuneStubs.page(List.of(devices),
                null))));
    }

    private List<Finding> findings() {
        return connector.readFindings(new ReadRequest(null, Map.of(), 100)).items();
    }

    private static String ago(TestClock clock, Duration d) {
        return clock.instant().minus(d).toString();
    }

    // --- token

    @Test
    void aFirstReadGetsAClientCredentialsTokenAndListsDevicesWithSelectAndTop() {
        IntuneStubs.stubToken(GRAPH, "tok-1");
        stubDevices(IntuneStubs.device("d1", "PC-1", "compliant", ago(clock, Duration.ofHours(2)), true));

        connector().readAssets(new ReadRequest(null, Map.of(), 50));

        LoggedRequest token = requests().get(0);
        assertThat(token.getMethod().getName()).isEqualTo("POST");
        assertThat(token.getUrl()).isEqualTo(IntuneStubs.TOKEN_PATH);
        assertThat(token.getHeader("Content-Type")).startsWith("application/x-www-form-urlencoded");
        assertThat(form(token)).containsExactlyInAnyOrderEntriesOf(Map.of("client_id", IntuneStubs.CLIENT_ID,
                "client_secret", SECRET, "grant_type", "client_credentials", "scope", GRAPH.baseUrl() + "/.default"));
        assertThat(token.getHeader("Authorization")).isNull();

        LoggedRequest list = requests().get(1);
        assertThat(list.getMethod().getName()).isEqualTo("GET");
        assertThat(list.getUrl()).startsWith(IntuneStubs.DEVICES_PATH + "?");
        assertThat(list.queryParameter("$select").firstValue()).isEqualTo(IntuneManagedDevice.SELECT);
        assertThat(list.queryParameter("$top").firstValue()).isEqualTo("50");
        assertThat(list.getQueryParams().keySet()).containsExactlyInAnyOrder("$select", "$top");
        assertThat(list.getHeader("Authorization")).isEqualTo("Bearer tok-1");
        assertThat(list.getHeader("Accept")).isEqualTo("application/json");
    }

    @Test
    void theDefaultAuthorityAndScopeAreMicrosoftsPublicCloud() {
        assertThat(IntuneConnectorConfig.tokenUrl("https://login.microsoftonline.com/{tenant}", "contoso.onmicrosoft.com"))
                .isEqualTo("https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token");
        assertThat(IntuneConnectorConfig.CONFIG.key("graph.url").orElseThrow().defaultValue().toString())
                .isEqualTo("https://graph.microsoft.com");
    }

    @Test
    void theTokenIsCachedAcrossReadsAndFetchedAgainShortlyBeforeItExpires() {
        GRAPH.stubFor(post(urlPathEqualTo(IntuneStubs.TOKEN_PATH)).inScenario("tokens")
                .whenScenarioStateIs(Scenario.STARTED).willSetStateTo("second")
                .willReturn(okJson(IntuneStubs.tokenBody("tok-1", 3599))));
        GRAPH.stubFor(post(urlPathEqualTo(IntuneStubs.TOKEN_PATH)).inScenario("tokens")
                .whenScenarioStateIs("second").willReturn(okJson(IntuneStubs.tokenBody("tok-2", 3599))));
        stubDevices(IntuneStubs.device("d1", "PC-1", "compliant", ago(clock, Duration.ofHours(2)), true));
        connector();

        connector.readAssets(new ReadRequest(null, Map.of(), 10));
        connector.readFindings(new ReadRequest(null, Map.of(), 10));
        clock.advance(Duration.ofMinutes(54)); // 3599 s lifetime, renewed 5 minutes early: still fresh
        connector.readAssets(new ReadRequest(null, Map.of(), 10));
        assertThat(tokenRequests()).hasSize(1);

        clock.advance(Duration.ofMinutes(1)); // now inside the renewal margin
        connector.readAssets(new ReadRequest(null, Map.of(), 10));

        assertThat(tokenRequests()).hasSize(2);
        assertThat(graphRequests()).extracting(r -> r.getHeader("Authorization"))
                .containsExactly("Bearer tok-1", "Bearer tok-1", "Bearer tok-1", "Bearer tok-2");
    }

    @Test
    void graphRefusingTheTokenIsAnAuthErrorAndTheNextReadFetchesANewToken() {
        IntuneStubs.stubToken(GRAPH, "tok-1");
        GRAPH.stubFor(get(urlPathEqualTo(IntuneStubs.DEVICES_PATH)).willReturn(IntuneStubs.graphError(401,
                "InvalidAuthenticationToken", "Lifetime validation failed, the token is expired.")));
        connector();

        assertThatThrownBy(() -> connector.readAssets(new ReadRequest(null, Map.of(), 10)))
                .isInstanceOf(AuthenticationException.class)
                .hasMessage("Intune list managed devices failed: HTTP 401 InvalidAuthenticationToken: Lifetime "
                        + "validation failed, the token is expired.");
        assertThat(graphRequests()).hasSize(1);

        stubDevices();
        connector.readAssets(new ReadRequest(null, Map.of(), 10));
        assertThat(tokenRequests()).hasSize(2);
    }

    @Test
    void aWrongClientSecretIsAnAuthErrorWithEntrasMessageAndNeverTheSecret() {
        GRAPH.stubFor(post(urlPathEqualTo(IntuneStubs.TOKEN_PATH)).willReturn(IntuneStubs.aadError(401, "invalid_client",
                7000215, "Invalid client secret provided. Ensure the secret being sent in the request is the client "
                        + "secret value, not the client secret ID.")));

        assertThatThrownBy(() -> connector().readFindings(new ReadRequest(null, Map.of(), 10)))
                .isInstanceOf(AuthenticationException.class)
                .hasMessageStartingWith("Intune token request failed: HTTP 401 invalid_client: AADSTS7000215: Invalid client secret")
                .hasMessageNotContaining("Trace ID")
                .hasMessageNotContaining(SECRET);
        assertThat(graphRequests()).isEmpty();
    }

    @Test
    void aTokenRequestRefusedWith400IsAnAuthErrorNotABadRecord() {
        GRAPH.stubFor(post(urlPathEqualTo(IntuneStubs.TOKEN_PATH)).willReturn(IntuneStubs.aadError(400,
                "unauthorized_client", 700016, "Application with identifier 'x' was not found in the directory 'contoso'.")));

        assertThatThrownBy(() -> connector().readAssets(new ReadRequest(null, Map.of(), 10)))
                .isInstanceOf(AuthenticationException.class).hasMessageContaining("AADSTS700016");
    }

    // --- paging

    @Test
    void pagingFollowsNextLinkToTheEndAndTheCursorHoldsTheNextLinkMidSweep() {
        IntuneStubs.stubToken(GRAPH, "tok-1");
        IntuneStubs.stubDevicePages(GRAPH, 5, 2, i -> IntuneStubs.device("d" + i, "PC-" + i, "compliant",
                ago(clock, Duration.ofDays(1)), true));
        connector();

        Page<Asset> first = connector.readAssets(new ReadRequest(null, Map.of(), 2));
        assertThat(first.hasMore()).isTrue();
        assertThat(first.next().value()).isEqualTo("next:" + IntuneStubs.nextLink(GRAPH, 2, "page-2"));
        Page<Asset> second = connector.readAssets(new ReadRequest(first.next(), Map.of(), 2));
        Page<Asset> third = connector.readAssets(new ReadRequest(second.next(), Map.of(), 2));

        assertThat(third.hasMore()).isFalse();
        assertThat(third.next().value()).isEqualTo("swept:" + clock.instant());
        assertThat(List.of(first, second, third)).flatExtracting(Page::items).extracting(a -> a.ref().id())
                .containsExactly("d1", "d2", "d3", "d4", "d5");
        List<LoggedRequest> graph = graphRequests();
        assertThat(graph).hasSize(3);
        assertThat(graph.get(1).queryParameter("$skiptoken").firstValue()).isEqualTo("page-2");
        assertThat(graph.get(1).queryParameter("$select").firstValue()).isEqualTo(IntuneManagedDevice.SELECT);
        assertThat(graph.get(2).queryParameter("$skiptoken").firstValue()).isEqualTo("page-3");
        assertThat(graph).allSatisfy(r -> assertThat(r.getHeader("Authorization")).isEqualTo("Bearer tok-1"));

        connector.readAssets(new ReadRequest(third.next(), Map.of(), 2));
        assertThat(graphRequests().get(3).queryParameter("$skiptoken").isPresent())
                .as("after a completed sweep the next read starts a new one").isFalse();
    }

    @Test
    void findingsPagesAskForFewerDevicesSoAPageStaysNearThePageSize() {
        IntuneStubs.stubToken(GRAPH, "tok-1");
        stubDevices();

        connector().readFindings(new ReadRequest(null, Map.of(), 90));

        assertThat(graphRequests().get(0).queryParameter("$top").firstValue()).isEqualTo("30");
    }

    @Test
    void aNextLinkOutsideGraphUrlIsNotFollowedWithTheToken() {
        IntuneStubs.stubToken(GRAPH, "tok-1");

        assertThatThrownBy(() -> connector().readAssets(new ReadRequest(
                Cursor.of("next:https://attacker.example/v1.0/deviceManagement/managedDevices?$skiptoken=x"), Map.of(), 10)))
                .isInstanceOf(DataMappingException.class).hasMessageContaining("does not point into graph.url");
        assertThat(requests()).isEmpty();
    }

    @Test
    void aCursorThatIsNotOursIsRejected() {
        assertThatThrownBy(() -> connector().readAssets(new ReadRequest(Cursor.of("1700000000:12"), Map.of(), 10)))
                .isInstanceOf(DataMappingException.class).hasMessageContaining("not an Intune cursor");
    }

    // --- assets

    @Test
    void aDeviceBecomesAnAssetWithEveryMappedField() {
        IntuneStubs.stubToken(GRAPH, "tok-1");
        stubDevices(IntuneStubs.device("4d2c9c5e-1b1a-4f7e-9c53-2b0d7b2e0f11", "LAPTOP-ADELE", "noncompliant",
                "2024-03-09T17:45:12.1234567Z", false).replace("\"ethernetMacAddress\":\"\"",
                "\"ethernetMacAddress\":\"00-1A-2B-3C-4D-5E\""));

        Asset a = connector().readAssets(new ReadRequest(null, Map.of(), 10)).items().get(0);

        assertThat(a.ref()).isEqualTo(ExternalRef.of("intune", "contract-intune", "4d2c9c5e-1b1a-4f7e-9c53-2b0d7b2e0f11"));
        assertThat(a.identity().serial()).isEqualTo("SN-4d2c9c5e-1b1a-4f7e-9c53-2b0d7b2e0f11");
        assertThat(a.identity().hostname()).isEqualTo("laptop-adele");
        assertThat(a.identity().macs()).containsExactly("A4:C3:F0:11:22:33", "00:1A:2B:3C:4D:5E");
        assertThat(a.identity().vendorIds()).containsEntry("intuneDeviceId", "4d2c9c5e-1b1a-4f7e-9c53-2b0d7b2e0f11")
                .containsEntry("azureAdDeviceId", "aad-4d2c9c5e-1b1a-4f7e-9c53-2b0d7b2e0f11");
        assertThat(a.identity().isWeak()).isFalse();
        assertThat(a.name()).isEqualTo("LAPTOP-ADELE");
        assertThat(a.os()).isEqualTo("Windows");
        assertThat(a.osVersion()).isEqualTo("10.0.22631.4460");
        assertThat(a.owner()).isEqualTo(new Person("adele.vance@contoso.com", "Adele Vance", null));
        assertThat(a.lastSeen()).isEqualTo(Instant.parse("2024-03-09T17:45:12.1234567Z"));
        assertThat(a.attributes()).containsEntry("manufacturer", "Dell Inc.").containsEntry("model", "Latitude 7440")
                .containsEntry("complianceState", "noncompliant").containsEntry("isEncrypted", "false");
    }

    @Test
    void zeroIdsEmptyMacsAndGraphsNeverTimestampIdentifyNothing() {
        IntuneStubs.stubToken(GRAPH, "tok-1");
        stubDevices("""
                {"id":"d-bare","deviceName":"","serialNumber":"0","azureADDeviceId":"00000000-0000-0000-0000-000000000000",
                 "wiFiMacAddress":"000000000000","ethernetMacAddress":null,"lastSyncDateTime":"0001-01-01T00:00:00Z",
                 "complianceState":"unknown","isEncrypted":null}
                """);

        Asset a = connector().readAssets(new ReadRequest(null, Map.of(), 10)).items().get(0);

        assertThat(a.identity().serial()).isNull();
        assertThat(a.identity().hostname()).isNull();
        assertThat(a.identity().macs()).isEmpty();
        assertThat(a.identity().vendorIds()).containsExactly(Map.entry("intuneDeviceId", "d-bare"));
        assertThat(a.lastSeen()).isNull();
        assertThat(findings()).as("unknown state, no check-in, no encryption flag: nothing observed").isEmpty();
    }

    // --- findings

    @Test
    void aNonCompliantDeviceIsAHighFindingAndACompliantOneIsReportedCleared() {
        IntuneStubs.stubToken(GRAPH, "tok-1");
        stubDevices(IntuneStubs.device("d1", "PC-1", "noncompliant", ago(clock, Duration.ofHours(1)), true),
                IntuneStubs.device("d2", "PC-2", "compliant", ago(clock, Duration.ofHours(1)), true));
        connector();

        List<Finding> all = findings();

        Finding bad = all.stream().filter(f -> f.key().equals(KEY_PREFIX + "d1:compliance")).findFirst().orElseThrow();
        assertThat(bad.kind()).isEqualTo(FindingKind.DEVICE_NON_COMPLIANCE);
        assertThat(bad.state()).isEqualTo(FindingState.PRESENT);
        assertThat(bad.severity()).isEqualTo(Severity.HIGH);
        assertThat(bad.title()).isEqualTo("Device PC-1 is not compliant (noncompliant)");
        assertThat(bad.source()).isEqualTo(ExternalRef.of("intune", "contract-intune", "d1"));
        assertThat(bad.asset().vendorIds()).containsEntry("intuneDeviceId", "d1");
        assertThat(bad.evidence()).containsEntry("complianceState", "noncompliant")
                .containsEntry("userPrincipalName", "adele.vance@contoso.com");
        assertThat(bad.lastSeen()).isEqualTo(clock.instant());
        assertThat(bad.solution()).isNotBlank();
        assertThat(all).filteredOn(f -> f.key().equals(KEY_PREFIX + "d2:compliance"))
                .singleElement().satisfies(f -> assertThat(f.state()).isEqualTo(FindingState.CLEARED));
        assertThat(all).extracting(Finding::key).doesNotHaveDuplicates().hasSize(6);
    }

    @Test
    void theSameDeviceKeepsItsKeyFromPresentToClearedAcrossPolls() {
        IntuneStubs.stubToken(GRAPH, "tok-1");
        stubDevices(IntuneStubs.device("d1", "PC-1", "noncompliant", ago(clock, Duration.ofHours(1)), true));
        connector();
        Finding before = findings().get(0);

        stubDevices(IntuneStubs.device("d1", "PC-1 renamed", "compliant", ago(clock, Duration.ofMinutes(1)), true));
        Finding after = findings().get(0);

        assertThat(after.key()).isEqualTo(before.key()).isEqualTo(KEY_PREFIX + "d1:compliance");
        assertThat(before.state()).isEqualTo(FindingState.PRESENT);
        assertThat(after.state()).isEqualTo(FindingState.CLEARED);
    }

    @Test
    void conflictErrorAndGracePeriodAreReportedWithTheirSeveritiesAndUnknownIsNot() {
        IntuneStubs.stubToken(GRAPH, "tok-1");
        String recent = ago(clock, Duration.ofHours(1));
        stubDevices(IntuneStubs.device("d1", "PC-1", "conflict", recent, true),
                IntuneStubs.device("d2", "PC-2", "error", recent, true),
                IntuneStubs.device("d3", "PC-3", "inGracePeriod", recent, true),
                IntuneStubs.device("d4", "PC-4", "unknown", recent, true),
                IntuneStubs.device("d5", "PC-5", "configManager", recent, true));

        List<Finding> compliance = connector(Map.of("stale.after", "0d", "check.encryption", "false")).readFindings(
                new ReadRequest(null, Map.of(), 100)).items();

        assertThat(compliance).extracting(Finding::key, Finding::state, Finding::severity).containsExactly(
                tuple(KEY_PREFIX + "d1:compliance", FindingState.PRESENT, Severity.MEDIUM),
                tuple(KEY_PREFIX + "d2:compliance", FindingState.PRESENT, Severity.MEDIUM),
                tuple(KEY_PREFIX + "d3:compliance", FindingState.PRESENT, Severity.LOW));
        assertThat(compliance.get(2).evidence()).containsEntry("complianceGracePeriodExpirationDateTime",
                "9999-12-31T23:59:59Z");
    }

    @Test
    void complianceStatesNarrowsWhichStatesAreReported() {
        IntuneStubs.stubToken(GRAPH, "tok-1");
        String recent = ago(clock, Duration.ofHours(1));
        stubDevices(IntuneStubs.device("d1", "PC-1", "noncompliant", recent, true),
                IntuneStubs.device("d3", "PC-3", "inGracePeriod", recent, true));

        List<Finding> compliance = connector(Map.of("compliance.states", "noncompliant", "stale.after", "0d",
                "check.encryption", "false")).readFindings(new ReadRequest(null, Map.of(), 100)).items();

        assertThat(compliance).extracting(Finding::key).containsExactly(KEY_PREFIX + "d1:compliance");
    }

    @Test
    void aDeviceNotCheckedInForLongerThanStaleAfterIsReportedAndAFreshCheckInClearsIt() {
        IntuneStubs.stubToken(GRAPH, "tok-1");
        String lastSync = ago(clock, Duration.ofDays(10));
        stubDevices(IntuneStubs.device("d1", "PC-1", "compliant", lastSync, true));
        connector(Map.of("check.encryption", "false"));

        Finding fresh = findings().get(1);
        assertThat(fresh.key()).isEqualTo(KEY_PREFIX + "d1:checkin");
        assertThat(fresh.state()).isEqualTo(FindingState.CLEARED);

        clock.advance(Duration.ofDays(5)); // now 15 days since the last check-in, over the default 14d
        Finding stale = findings().get(1);
        assertThat(stale.key()).isEqualTo(KEY_PREFIX + "d1:checkin");
        assertThat(stale.state()).isEqualTo(FindingState.PRESENT);
        assertThat(stale.severity()).isEqualTo(Severity.MEDIUM);
        assertThat(stale.title()).isEqualTo("Device PC-1 has not checked in for 15 days");
        assertThat(stale.evidence()).containsEntry("lastSyncDateTime", lastSync).containsEntry("daysSinceLastSync", "15")
                .containsEntry("staleAfter", "PT336H");
        assertThat(stale.lastSeen()).isEqualTo(clock.instant());

        stubDevices(IntuneStubs.device("d1", "PC-1", "compliant", ago(clock, Duration.ofMinutes(3)), true));
        assertThat(findings().get(1).state()).isEqualTo(FindingState.CLEARED);
    }

    @Test
    void staleAfterIsConfigurableAndZeroTurnsTheCheckOff() {
        IntuneStubs.stubToken(GRAPH, "tok-1");
        stubDevices(IntuneStubs.device("d1", "PC-1", "compliant", ago(clock, Duration.ofDays(3)), true));

        assertThat(connector(Map.of("stale.after", "2d")).readFindings(new ReadRequest(null, Map.of(), 100)).items())
                .filteredOn(f -> f.key().endsWith(":checkin")).singleElement()
                .satisfies(f -> assertThat(f.state()).isEqualTo(FindingState.PRESENT));
        assertThat(connector(Map.of("stale.after", "0d")).readFindings(new ReadRequest(null, Map.of(), 100)).items())
                .extracting(Finding::key).noneMatch(k -> k.endsWith(":checkin"));
    }

    @Test
    void anUnencryptedDiskIsReportedAndEncryptionClearsItUnlessTheCheckIsOff() {
        IntuneStubs.stubToken(GRAPH, "tok-1");
        stubDevices(IntuneStubs.device("d1", "PC-1", "compliant", ago(clock, Duration.ofHours(1)), false),
                IntuneStubs.device("d2", "PC-2", "compliant", ago(clock, Duration.ofHours(1)), true));

        List<Finding> all = connector().readFindings(new ReadRequest(null, Map.of(), 100)).items();
        assertThat(all).filteredOn(f -> f.key().endsWith(":encryption"))
                .extracting(Finding::key, Finding::state, Finding::severity).containsExactly(
                        tuple(KEY_PREFIX + "d1:encryption", FindingState.PRESENT, Severity.MEDIUM),
                        tuple(KEY_PREFIX + "d2:encryption", FindingState.CLEARED, Severity.MEDIUM));
        assertThat(all.get(2).title()).isEqualTo("Disk of device PC-1 is not encrypted");

        assertThat(connector(Map.of("check.encryption", "false")).readFindings(new ReadRequest(null, Map.of(), 100))
                .items()).extracting(Finding::key).noneMatch(k -> k.endsWith(":encryption"));
    }

    // --- errors

    @Test
    void throttlingWithRetryAfterIsRetriableAfterThatDelay() {
        IntuneStubs.stubToken(GRAPH, "tok-1");
        GRAPH.stubFor(get(urlPathEqualTo(IntuneStubs.DEVICES_PATH)).willReturn(IntuneStubs.graphError(429,
                "TooManyRequests", "Too many requests.").withHeader("Retry-After", "12")));

        assertThatThrownBy(() -> connector().readFindings(new ReadRequest(null, Map.of(), 10)))
                .isInstanceOfSatisfying(RetriableException.class, e -> {
                    assertThat(e.retryAfter()).contains(Duration.ofSeconds(12));
                    assertThat(e.getMessage()).contains("TooManyRequests");
                });
    }

    @Test
    void throttlingWithoutRetryAfterIsRetriableAndLeavesTheBackoffToTheHub() {
        IntuneStubs.stubToken(GRAPH, "tok-1");
        GRAPH.stubFor(get(urlPathEqualTo(IntuneStubs.DEVICES_PATH)).willReturn(IntuneStubs.graphError(429,
                "TooManyRequests", "Too many requests.")));

        assertThatThrownBy(() -> connector().readFindings(new ReadRequest(null, Map.of(), 10)))
                .isInstanceOfSatisfying(RetriableException.class, e -> assertThat(e.retryAfter()).isEmpty());
        assertThat(graphRequests()).hasSize(1);
    }

    @Test
    void aMissingPermissionIsAnAuthError() {
        IntuneStubs.stubToken(GRAPH, "tok-1");
        GRAPH.stubFor(get(urlPathEqualTo(IntuneStubs.DEVICES_PATH)).willReturn(IntuneStubs.graphError(403,
                "Forbidden", "Application is not authorized to perform this operation.")));

        assertThatThrownBy(() -> connector().readAssets(new ReadRequest(null, Map.of(), 10)))
                .isInstanceOf(AuthenticationException.class).hasMessageContaining("HTTP 403 Forbidden");
    }

    @Test
    void aBadRequestIsADataErrorAndAResetConnectionIsRetriable() {
        IntuneStubs.stubToken(GRAPH, "tok-1");
        GRAPH.stubFor(get(urlPathEqualTo(IntuneStubs.DEVICES_PATH)).willReturn(IntuneStubs.graphError(400,
                "BadRequest", "Could not find a property named 'foo' on type 'microsoft.graph.managedDevice'.")));
        assertThatThrownBy(() -> connector().readAssets(new ReadRequest(null, Map.of(), 10)))
                .isInstanceOf(DataMappingException.class).hasMessageContaining("BadRequest");

        GRAPH.stubFor(get(urlPathEqualTo(IntuneStubs.DEVICES_PATH)).willReturn(aResponse()
                .withFault(Fault.CONNECTION_RESET_BY_PEER)));
        assertThatThrownBy(() -> connector.readAssets(new ReadRequest(null, Map.of(), 10)))
                .isInstanceOf(RetriableException.class);
    }

    @Test
    void aServerErrorCarriesGraphsRetryAfter() {
        IntuneStubs.stubToken(GRAPH, "tok-1");
        GRAPH.stubFor(get(urlPathEqualTo(IntuneStubs.DEVICES_PATH)).willReturn(IntuneStubs.graphError(503,
                "ServiceUnavailable", "Service is unavailable.").withHeader("Retry-After", "30")));

        assertThatThrownBy(() -> connector().readAssets(new ReadRequest(null, Map.of(), 10)))
                .isInstanceOfSatisfying(RetriableException.class,
                        e -> assertThat(e.retryAfter()).contains(Duration.ofSeconds(30)));
    }

    // --- checkConnection

    @Test
    void checkConnectionGetsATokenAndListsOneDeviceId() {
        IntuneStubs.stubToken(GRAPH, "tok-1");
        stubDevices();

        assertThat(connector().checkConnection()).isEmpty();

        LoggedRequest list = graphRequests().get(0);
        assertThat(list.queryParameter("$select").firstValue()).isEqualTo("id");
        assertThat(list.queryParameter("$top").firstValue()).isEqualTo("1");
        assertThat(list.getHeader("Authorization")).isEqualTo("Bearer tok-1");
    }

    @Test
    void checkConnectionBlamesTheKeyEntraNames() {
        GRAPH.stubFor(post(urlPathEqualTo(IntuneStubs.TOKEN_PATH)).willReturn(IntuneStubs.aadError(401, "invalid_client",
                7000215, "Invalid client secret provided.")));
        assertThat(connector().checkConnection()).extracting(ConfigProblem::key).containsExactly("client.secret");

        GRAPH.stubFor(post(urlPathEqualTo(IntuneStubs.TOKEN_PATH)).willReturn(IntuneStubs.aadError(400, "invalid_request",
                90002, "Tenant 'contoso.onmicrosoft.com' not found.")));
        assertThat(connector().checkConnection()).extracting(ConfigProblem::key).containsExactly("tenant.id");

        GRAPH.stubFor(post(urlPathEqualTo(IntuneStubs.TOKEN_PATH)).willReturn(IntuneStubs.aadError(400,
                "unauthorized_client", 700016, "Application with identifier 'x' was not found.")));
        assertThat(connector().checkConnection()).extracting(ConfigProblem::key).containsExactly("client.id");
    }

    @Test
    void checkConnectionReportsAMissingGraphPermissionAgainstTheApp() {
        IntuneStubs.stubToken(GRAPH, "tok-1");
        GRAPH.stubFor(get(urlPathEqualTo(IntuneStubs.DEVICES_PATH)).willReturn(IntuneStubs.graphError(403,
                "Forbidden", "Application is not authorized to perform this operation.")));

        List<ConfigProblem> problems = connector().checkConnection();

        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.key()).isEqualTo("client.id");
            assertThat(p.message()).contains("DeviceManagementManagedDevices.Read.All").doesNotContain(SECRET);
        });
    }

    // --- config

    @Test
    void theConfigRejectsWhatCannotWork() {
        Map<String, Object> raw = new HashMap<>(IntuneStubs.config("https://graph.example", SECRET));
        raw.put("authority", "http://login.example/{tenant}");
        raw.put("compliance.states", "noncompliant, compliant");
        raw.put("tenant.id", "contoso tenant");

        assertThat(IntuneConnectorConfig.CONFIG.parse(raw).problems()).extracting(ConfigProblem::key)
                .containsExactlyInAnyOrder("authority", "compliance.states", "tenant.id");

        Map<String, Object> withPath = new HashMap<>(IntuneStubs.config("https://graph.microsoft.com/v1.0", SECRET));
        withPath.put("stale.after", "PT-1H");
        var parsed = IntuneConnectorConfig.CONFIG.parse(withPath);
        assertThat(parsed.problems()).isEmpty();
        assertThat(new IntuneConnectorFactory().validate(parsed.config())).extracting(ConfigProblem::key)
                .containsExactly("graph.url", "stale.after");
    }

    @Test
    void theConnectorIsAnAssetAndFindingSource() {
        IntuneConnector c = connector();
        assertThat(c.capability(AssetSource.class)).isPresent();
        assertThat(c.capability(FindingSource.class)).isPresent();
    }

    @Test
    void aVendorEchoingTheBearerTokenOfTheClientCredentialsGrantQuotesExactlyWhatTheConnectorReportedAsSent() {
        GRAPH.stubFor(any(anyUrl()).atPriority(10).willReturn(CredentialEcho.refusing(401)));
        IntuneStubs.stubToken(GRAPH, "graph-token-1");
        IntuneConnectorFactory factory = new IntuneConnectorFactory();
        TestConnectorContext context = TestConnectorContext.of(factory, IntuneStubs.config(GRAPH.baseUrl(), SECRET), clock);
        connector = (IntuneConnector) factory.create(context);

        Throwable error = catchThrowable(() -> connector.readAssets(new ReadRequest(null, Map.of(), 10)));

        assertThat(error).isInstanceOf(AuthenticationException.class);
        CredentialEcho.assertEchoedCredentialsWereReported(error, GRAPH.findAll(anyRequestedFor(anyUrl())), context);
        assertThat(context.credentialsSent()).contains("Bearer graph-token-1");
    }
}
