package org.itsmhub.plugin.nessus;

import org.itsmhub.testkit.contract.CredentialEcho;
import static org.assertj.core.api.Assertions.catchThrowable;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.itsmhub.api.config.ConfigProblem;
import org.itsmhub.api.connector.AssetSource;
import org.itsmhub.api.connector.Connector;
import org.itsmhub.api.connector.Cursor;
import org.itsmhub.api.connector.FindingSource;
import org.itsmhub.api.connector.Page;
import org.itsmhub.api.connector.ReadRequest;
import org.itsmhub.api.error.AuthenticationException;
import org.itsmhub.api.error.ConnectorException;
import org.itsmhub.api.error.DataMappingException;
import org.itsmhub.api.error.RetriableException;
import org.itsmhub.api.model.Asset;
import org.itsmhub.api.model.Finding;
import org.itsmhub.plugin.nessus.bench.NessusFileGenerator;
import org.itsmhub.testkit.contract.VendorTestData;
import org.itsmhub.testkit.contract.TestConnectorContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.ParameterizedTest;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;

/** The connector against a stubbed Nessus answering with the recorded Tenable responses. */
class NessusConnectorTest {

    private static final String KEYS = "accessKey=ak-123; secretKey=sk-456";
    /** The oldest completed scan in the recorded GET /scans (18 completed scans). */
    private static final long OLDEST_ID = 4282;
    private static final long OLDEST_MODIFIED = 1538512923;
    private static final String FILE_ID = "SSE-d84bc6a3-1f0a-42a0-85bb-3470dfeed221-nessus";

    @RegisterExtension
    static WireMockExtension nessus = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private final Clock clock = Clock.fixed(Instant.parse("2018-12-10T00:00:00Z"), ZoneOffset.UTC);

    @Test
    void readsTheOldestCompletedScanNewerThanTheStartAsFindings() throws IOException {
        stubRecordedScanExport(OLDEST_ID);

        Page<Finding> page = findings().readFindings(new ReadRequest(null, Map.of(), 100,
                Instant.ofEpochSecond(OLDEST_MODIFIED - 60)));

        assertThat(page.items()).hasSize(133);
        assertThat(page.items().get(0).source().id()).isEqualTo(Long.toString(OLDEST_ID));
        assertThat(page.items().get(0).source().connection()).isEqualTo("acme-nessus");
        assertThat(page.items().get(0).source().url()).as("the scan in the Nessus web UI")
                .isEqualTo(nessus.baseUrl() + "/#/scans/reports/" + OLDEST_ID + "/hosts");
        assertThat(page.items().get(0).key()).startsWith("nessus:acme/ip=162.159.129.83/");
        assertThat(page.items()).as("one scan run is one observation of its hosts").allSatisfy(f -> assertThat(
                f.observation()).isEqualTo("scan " + OLDEST_ID + " completed " + Instant.ofEpochSecond(OLDEST_MODIFIED)));
        assertThat(findings().clearing()).isEqualTo(FindingSource.Clearing.BY_ABSENCE);
        assertThat(page.next().value()).isEqualTo(OLDEST_MODIFIED + ":" + OLDEST_ID);
        assertThat(page.hasMore()).isTrue();
        nessus.verify(getRequestedFor(urlPathEqualTo("/scans"))
                .withQueryParam("last_modification_date", equalTo(Long.toString(OLDEST_MODIFIED - 61)))
                .withHeader("X-ApiKeys", equalTo(KEYS)));
        nessus.verify(postRequestedFor(urlPathEqualTo("/scans/" + OLDEST_ID + "/export"))
                .withRequestBody(equalToJson("{\"format\":\"nessus\"}"))
                .withHeader("X-ApiKeys", equalTo(KEYS)));
        nessus.verify(2, getRequestedFor(urlPathEqualTo("/scans/" + OLDEST_ID + "/export/" + FILE_ID + "/status")));
        nessus.verify(getRequestedFor(urlPathEqualTo("/scans/" + OLDEST_ID + "/export/" + FILE_ID + "/download")));
    }

    @Test
    void continuesAfterTheCursorWithTheNextScan() throws IOException {
        stubRecordedScanExport(4290);

        Page<Finding> page = findings().readFindings(new ReadRequest(Cursor.of(OLDEST_MODIFIED + ":" + OLDEST_ID),
                Map.of(), 100, null));

        assertThat(page.next().value()).isEqualTo("1538514875:4290");
        assertThat(page.items()).isNotEmpty().allSatisfy(f -> assertThat(f.source().id()).isEqualTo("4290"));
    }

    @Test
    void readsTheScannedHostsAsAssets() throws IOException {
        stubRecordedScanExport(OLDEST_ID);

        Page<Asset> page = ((AssetSource) connector()).readAssets(new ReadRequest(null, Map.of(), 100,
                Instant.ofEpochSecond(OLDEST_MODIFIED - 60)));

        assertThat(page.items()).singleElement().satisfies(a -> {
            assertThat(a.identity().ips()).containsExactly("162.159.129.83");
            assertThat(a.ref().connection()).isEqualTo("acme-nessus");
        });
    }

    @Test
    void noNewerCompletedScanIsAnEmptyLastPageKeepingTheCursor() throws IOException {
        stubScanList();

        Page<Finding> page = findings().readFindings(new ReadRequest(Cursor.of("1543821488:5797"), Map.of(), 100, null));

        assertThat(page.items()).isEmpty();
        assertThat(page.hasMore()).isFalse();
        assertThat(page.next().value()).isEqualTo("1543821488:5797");
    }

    @Test
    void refusedKeysAreAnAuthenticationFailureReportedAgainstTheAccessKey() {
        nessus.stubFor(get(urlPathEqualTo("/scans")).willReturn(aResponse().withStatus(401)
                .withHeader("Content-Type", "application/json").withBody("{\"error\":\"Invalid Credentials\"}")));

        assertThatThrownBy(() -> findings().readFindings(new ReadRequest(null, Map.of(), 100, null)))
                .isInstanceOf(AuthenticationException.class).hasMessageContaining("Invalid Credentials");
        assertThat(connector().checkConnection()).extracting(ConfigProblem::key).containsExactly("access.key");
    }

    @Test
    void aMissingScanCarriesNessusOwnMessage() throws IOException {
        stubScanList();
        nessus.stubFor(post(urlPathEqualTo("/scans/" + OLDEST_ID + "/export")).willReturn(aResponse().withStatus(404)
                .withBody(VendorTestData.read("nessus", "api/pytenable_io_GET_scans_583_404.json"))));

        assertThatThrownBy(() -> findings().readFindings(new ReadRequest(null, Map.of(), 100,
                Instant.ofEpochSecond(OLDEST_MODIFIED - 60))))
                .isInstanceOf(ConnectorException.class).hasMessageContaining("Scan not found");
    }

    @Test
    void anExportThatNeverBecomesReadyTimesOutRetriably() throws IOException {
        stubScanList();
        nessus.stubFor(post(urlPathEqualTo("/scans/" + OLDEST_ID + "/export"))
                .willReturn(okJson(VendorTestData.read("nessus", "api/pytenable_io_POST_scans_175_export_200.json"))));
        nessus.stubFor(get(urlPathEqualTo("/scans/" + OLDEST_ID + "/export/" + FILE_ID + "/status"))
                .willReturn(okJson("{\"status\":\"loading\"}")));

        Connector connector = NessusConnectorFactoryTestSupport.create(nessus.baseUrl(), clock,
                Map.of("export.timeout", "200ms"));
        assertThatThrownBy(() -> ((FindingSource) connector).readFindings(new ReadRequest(null, Map.of(), 100,
                Instant.ofEpochSecond(OLDEST_MODIFIED - 60))))
                .isInstanceOf(RetriableException.class).hasMessageContaining("was not ready after");
    }

    @ParameterizedTest(name = "scan {0}, the {2} one in the list")
    @CsvSource({"4282, 1538512923, oldest", "5797, 1543821488, newest"})
    void aScanLargerThanAPageIsReadInPagesOfWholeHostsFromOneDownload(long scanId, long modified, String which,
            @TempDir Path dir) throws IOException {
        Path big = dir.resolve("big.nessus");
        long[] written = new NessusFileGenerator(VendorTestData.root().resolve("nessus")).write(big, 22_000_000);
        stubRecordedScanExport(scanId);
        nessus.stubFor(get(urlPathEqualTo("/scans/" + scanId + "/export/" + FILE_ID + "/download"))
                .willReturn(aResponse().withHeader("Content-Type", "application/octet-stream")
                        .withBody(Files.readAllBytes(big))));
        FindingSource source = findings();
        List<Page<Finding>> pages = new ArrayList<>();
        Cursor cursor = null;
        Instant start = Instant.ofEpochSecond(modified - 60);
        do {
            pages.add(source.readFindings(new ReadRequest(cursor, Map.of(), 100, start)));
            cursor = pages.get(pages.size() - 1).next();
        } while (cursor.value().split(":").length == 3);

        assertThat(written[1]).as("items in the file").isGreaterThan(NessusConnector.MIN_PAGE);
        assertThat(pages).hasSizeGreaterThan(1);
        assertThat(pages.get(0).items()).hasSizeGreaterThanOrEqualTo(NessusConnector.MIN_PAGE);
        assertThat(pages.get(0).hasMore()).isTrue();
        assertThat(pages.get(0).next().value()).startsWith(modified + ":" + scanId + ":");
        assertThat(cursor.value()).as("the scan read to its end").isEqualTo(modified + ":" + scanId);
        assertThat(pages.get(pages.size() - 1).hasMore()).as("more scans after this one")
                .isEqualTo(which.equals("oldest"));
        assertThat(pages.stream().mapToInt(p -> p.items().size()).sum()).isEqualTo((int) written[1]);
        List<java.util.Set<String>> hostsPerPage = pages.stream().map(p -> p.items().stream()
                .map(f -> f.evidence().get("host")).collect(java.util.stream.Collectors.toSet())).toList();
        assertThat(hostsPerPage.get(0)).as("no host is split across pages").doesNotContainAnyElementsOf(
                hostsPerPage.get(1));
        nessus.verify(1, getRequestedFor(urlPathEqualTo("/scans/" + scanId + "/export/" + FILE_ID + "/download")));
        ((Connector) source).close();
    }

    @Test
    void aDownloadedExportOverALimitIsRejectedAsAWholeNamingTheLimitAndTheCursorMovesPastIt() throws IOException {
        stubRecordedScanExport(OLDEST_ID);
        StringBuilder hostile = new StringBuilder("<?xml version=\"1.0\"?>\n<NessusClientData_v2><Policy>\n");
        for (int i = 0; i < 20_000; i++) {
            hostile.append("<n").append(i).append("/>\n");
        }
        nessus.stubFor(get(urlPathEqualTo("/scans/" + OLDEST_ID + "/export/" + FILE_ID + "/download"))
                .willReturn(aResponse().withHeader("Content-Type", "application/octet-stream")
                        .withBody(hostile.append("</Policy></NessusClientData_v2>\n").toString())));
        FindingSource source = findings();

        org.itsmhub.api.connector.Page<org.itsmhub.api.model.Finding> page = source.readFindings(new ReadRequest(null,
                Map.of(), 100, Instant.ofEpochSecond(OLDEST_MODIFIED - 60)));

        assertThat(page.items()).isEmpty();
        assertThat(page.rejected()).singleElement().satisfies(r -> {
            assertThat(r.vendorId()).isEqualTo("scan " + OLDEST_ID + " run " + OLDEST_MODIFIED);
            assertThat(r.reason()).matches("Nessus .*\\.nessus:\\d+:2: over a limit for \\.nessus files: more than"
                    + " 10,000 distinct element and attribute names.*");
            assertThat(r.raw()).startsWith("<?xml");
            assertThat(r.rawSize()).isEqualTo(hostile.length());
        });
        assertThat(page.next().value()).startsWith(OLDEST_MODIFIED + ":" + OLDEST_ID);
        nessus.verify(getRequestedFor(urlPathEqualTo("/scans/" + OLDEST_ID + "/export/" + FILE_ID + "/download")));
        ((Connector) source).close();
    }

    private void stubScanList() throws IOException {
        nessus.stubFor(get(urlPathEqualTo("/scans"))
                .willReturn(okJson(VendorTestData.read("nessus", "api/pytenable_io_GET_scans_200.json"))));
    }

    /** The recorded list, export and status bodies; the download is the recorded scan 175 export. */
    private void stubRecordedScanExport(long scanId) throws IOException {
        stubScanList();
        nessus.stubFor(post(urlPathEqualTo("/scans/" + scanId + "/export"))
                .willReturn(okJson(VendorTestData.read("nessus", "api/pytenable_io_POST_scans_175_export_200.json"))));
        String status = "/scans/" + scanId + "/export/" + FILE_ID + "/status";
        nessus.stubFor(get(urlPathEqualTo(status)).inScenario("export").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(okJson("{\"status\":\"loading\"}")).willSetStateTo("ready"));
        nessus.stubFor(get(urlPathEqualTo(status)).inScenario("export").whenScenarioStateIs("ready")
                .willReturn(okJson(VendorTestData.read("nessus", "api/pytenable_io_GET_scans_175_export_status_200.json"))));
        nessus.stubFor(get(urlPathEqualTo("/scans/" + scanId + "/export/" + FILE_ID + "/download"))
                .willReturn(aResponse().withHeader("Content-Type", "application/octet-stream")
                        .withBody(Files.readAllBytes(VendorTestData.path("nessus", "pytenable_io_scan175_export.nessus")))));
    }

    private FindingSource findings() {
        return (FindingSource) connector();
    }

    private Connector connector() {
        return NessusConnectorFactoryTestSupport.create(nessus.baseUrl(), clock, Map.of());
    }

    @Test
    void aVendorEchoingTheApiKeysHeaderQuotesExactlyWhatTheConnectorReportedAsSent() {
        nessus.stubFor(any(anyUrl()).willReturn(CredentialEcho.refusing(401)));
        NessusConnectorFactory factory = new NessusConnectorFactory();
        TestConnectorContext context = TestConnectorContext.of(factory, Map.of("base.url", nessus.baseUrl(),
                "access.key", "ak-123", "secret.key", "sk-456"), clock);
        Connector connector = factory.create(context);

        Throwable error = catchThrowable(() -> ((FindingSource) connector).readFindings(
                new ReadRequest(null, Map.of(), 100, null)));

        assertThat(error).isInstanceOf(AuthenticationException.class);
        CredentialEcho.assertEchoedCredentialsWereReported(error, nessus.findAll(anyRequestedFor(anyUrl())), context);
        assertThat(context.credentialsSent()).contains("accessKey=ak-123; secretKey=sk-456");
    }
}
