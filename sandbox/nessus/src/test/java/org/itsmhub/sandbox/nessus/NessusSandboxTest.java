package org.itsmhub.sandbox.nessus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedWriter;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.itsmhub.api.config.ConfigProblem;
import org.itsmhub.api.connector.AssetSource;
import org.itsmhub.api.connector.Connector;
import org.itsmhub.api.connector.Cursor;
import org.itsmhub.api.connector.FindingSource;
import org.itsmhub.api.connector.Page;
import org.itsmhub.api.connector.ReadRequest;
import org.itsmhub.api.error.AuthenticationException;
import org.itsmhub.api.model.Asset;
import org.itsmhub.api.model.Finding;
import org.itsmhub.plugin.nessus.NessusConnectorFactory;
import org.itsmhub.plugin.nessus.dto.NessusExport;
import org.itsmhub.plugin.nessus.dto.NessusExportStatus;
import org.itsmhub.plugin.nessus.dto.NessusScanList;
import org.itsmhub.plugin.support.json.JsonCodec;
import org.itsmhub.sandbox.SandboxOptions;
import org.itsmhub.sandbox.SandboxRoutes;
import org.itsmhub.testkit.docs.GeneratedDocSection;
import org.itsmhub.testkit.contract.VendorTestData;
import org.itsmhub.testkit.contract.TestConnectorContext;
import org.itsmhub.testkit.time.TestClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real Nessus connector against the sandbox, and the sandbox's answers against the recorded ones. */
class NessusSandboxTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ACCESS = "ak-sandbox-1";
    private static final String SECRET = "sk-sandbox-1";
    private static final String KEYS = "accessKey=" + ACCESS + "; secretKey=" + SECRET;

    /** The seeds, in order, with their exact host and report item counts. */
    private static final List<String> SEEDS = List.of("libnessus_nessus_report_local_3.nessus",
            "reptor_nessus_multi_host.nessus", "rubynessus_example_v2.nessus", "pytenable_io_scan175_export.nessus",
            "defectdojo_nessus_was_no_vuln.nessus");
    private static final List<Integer> HOSTS = List.of(3, 4, 2, 1, 1);
    private static final List<Integer> ITEMS = List.of(106, 23, 69, 133, 0);


    @TempDir
    Path tmp;

    private final TestClock clock = new TestClock(Instant.parse("2024-03-10T12:00:00Z"));
    private NessusSandbox sandbox;
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

    private NessusSandbox start(List<SandboxOptions.Seed> seeds) {
        sandbox = new NessusSandbox(SandboxOptions.defaults().withSeeds(seeds), clock, ACCESS, SECRET);
        sandbox.start();
        return sandbox;
    }

    private NessusSandbox startSeeded() {
        return start(SEEDS.stream().map(f -> new SandboxOptions.Seed(null, VendorTestData.path("nessus", f))).toList());
    }

    private Connector connect(String access, String secret, Map<String, Object> extra) {
        NessusConnectorFactory factory = new NessusConnectorFactory();
        Map<String, Object> raw = new HashMap<>(Map.of("base.url", sandbox.baseUrl(), "access.key", access,
                "secret.key", secret, "export.poll.interval", "10ms"));
        raw.putAll(extra);
        TestConnectorContext context = TestConnectorContext.of(factory, raw, clock);
        connector = factory.create(new TestConnectorContext("acme", "acme-nessus", context.config(), clock, Map.of()));
        return connector;
    }

    private Connector connect() {
        return connect(ACCESS, SECRET, Map.of());
    }

    private FindingSource findings() {
        return connector.capability(FindingSource.class).orElseThrow();
    }

    private AssetSource assets() {
        return connector.capability(AssetSource.class).orElseThrow();
    }

    /** Reads page after page to the end; returns the pages, and the last cursor in {@code last}. */
    private static <T> List<List<T>> readAll(Function<ReadRequest, Page<T>> read, Cursor from, List<Cursor> last) {
        List<List<T>> pages = new ArrayList<>();
        Cursor cursor = from;
        for (int guard = 0; guard < 50; guard++) {
            Page<T> page = read.apply(new ReadRequest(cursor, Map.of(), 1000));
            pages.add(page.items());
            cursor = page.next();
            if (!page.hasMore()) {
                last.add(cursor);
                return pages;
            }
        }
        throw new AssertionError("paging does not end");
    }

    @Test
    void theConnectorReadsEverySeededScansFindingsAndAssets() {
        startSeeded();
        connect();

        List<List<Finding>> findingPages = readAll(findings()::readFindings, null, new ArrayList<>());
        List<List<Asset>> assetPages = readAll(assets()::readAssets, null, new ArrayList<>());

        assertThat(findingPages).extracting(List::size).containsExactlyElementsOf(ITEMS);
        assertThat(assetPages).extracting(List::size).containsExactlyElementsOf(HOSTS);
        for (int i = 0; i < SEEDS.size(); i++) {
            String scanId = Long.toString(5 + i);
            assertThat(findingPages.get(i)).allSatisfy(f -> assertThat(f.source().id()).isEqualTo(scanId));
        }
        assertThat(assetPages.get(0)).extracting(a -> a.attributes().get("report.host"))
                .containsExactlyInAnyOrder("192.168.2.100", "192.168.2.101", "192.168.2.104");
        assertThat(connector.checkConnection()).isEmpty();
    }

    @Test
    void aScanCompletedThroughTheControlApiIsPickedUpByTheNextReadFromTheStoredCursor() throws Exception {
        startSeeded();
        connect();
        List<Cursor> stored = new ArrayList<>();
        readAll(findings()::readFindings, null, stored);
        assertThat(readAll(findings()::readFindings, stored.get(0), new ArrayList<>()))
                .as("nothing new yet").containsExactly(List.of());
        clock.advance(Duration.ofMinutes(10));

        HttpResponse<String> added = send("POST", "/__sandbox/scans", null, "{\"file\":\""
                + VendorTestData.path("nessus", "libnessus_nessus_report_test_local.nessus").toString().replace("\\", "\\\\")
                + "\"}");

        assertThat(added.statusCode()).isEqualTo(201);
        JsonNode scan = JSON.readTree(added.body());
        assertThat(scan.path("name").asText()).isEqualTo("test local");
        assertThat(scan.path("status").asText()).isEqualTo("completed");
        assertThat(scan.path("last_modification_date").asLong()).isEqualTo(clock.instant().getEpochSecond());
        List<Cursor> next = new ArrayList<>();
        List<List<Finding>> pages = readAll(findings()::readFindings, stored.get(0), next);
        assertThat(pages).extracting(List::size).containsExactly(147);
        assertThat(pages.get(0)).allSatisfy(f -> assertThat(f.source().id()).isEqualTo(scan.path("id").asText()));
        assertThat(readAll(assets()::readAssets, stored.get(0), new ArrayList<>())).extracting(List::size)
                .containsExactly(2);
        assertThat(readAll(findings()::readFindings, next.get(0), new ArrayList<>())).containsExactly(List.of());
    }

    @Test
    void aScanCompletedAgainOrUploadedAsABodyIsReadAgainWithoutAnyClockMovement() throws Exception {
        startSeeded();
        connect();
        List<Cursor> stored = new ArrayList<>();
        readAll(findings()::readFindings, null, stored);

        HttpResponse<String> again = send("POST", "/__sandbox/scans/6/complete", null, "");
        HttpResponse<String> uploaded = send("POST", "/__sandbox/scans?name=Uploaded", null,
                Files.readString(VendorTestData.path("nessus", "defectdojo_nessus_with_cvssv3.nessus")));

        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(uploaded.statusCode()).isEqualTo(201);
        assertThat(JSON.readTree(uploaded.body()).path("name").asText()).isEqualTo("Uploaded");
        assertThat(JSON.readTree(again.body()).path("last_modification_date").asLong())
                .as("later than every scan before, though the clock stood still")
                .isGreaterThan(clock.instant().getEpochSecond());
        assertThat(readAll(findings()::readFindings, stored.get(0), new ArrayList<>())).extracting(List::size)
                .containsExactly(23, 49);
        assertThat(send("POST", "/__sandbox/scans/99/complete", null, "").statusCode()).isEqualTo(404);
    }

    @Test
    void wrongKeysGetNessusOwn401() throws Exception {
        startSeeded();
        connect(ACCESS, "wrong-secret", Map.of());

        assertThatThrownBy(() -> findings().readFindings(ReadRequest.from(null)))
                .isInstanceOf(AuthenticationException.class).hasMessageContaining("Invalid Credentials")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("wrong-secret"));
        assertThat(connector.checkConnection()).extracting(ConfigProblem::key).containsExactly("access.key");
        for (String keys : new String[] {null, "accessKey=" + ACCESS, "accessKey=x; secretKey=" + SECRET}) {
            HttpResponse<String> raw = send("GET", "/scans", keys, null);
            assertThat(raw.statusCode()).isEqualTo(401);
            assertThat(raw.body()).isEqualTo("{\"error\":\"Invalid Credentials\"}");
        }
        assertThat(send("GET", "/scans", "secretKey=" + SECRET + ";accessKey=" + ACCESS, null).statusCode())
                .as("order and spacing do not matter").isEqualTo(200);
    }

    @Test
    void anExportIsLoadingThenReadyAndItsDownloadIsTheSeedFileByteForByte() throws Exception {
        startSeeded();
        Path seed = VendorTestData.path("nessus", "pytenable_io_scan175_export.nessus");

        HttpResponse<String> export = send("POST", "/scans/8/export", KEYS, "{\"format\":\"nessus\"}");
        String file = JSON.readTree(export.body()).path("file").asText();
        HttpResponse<String> early = send("GET", "/scans/8/export/" + file + "/download", KEYS, null);
        HttpResponse<String> first = send("GET", "/scans/8/export/" + file + "/status", KEYS, null);
        HttpResponse<String> second = send("GET", "/scans/8/export/" + file + "/status", KEYS, null);
        HttpResponse<byte[]> download = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(sandbox.baseUrl() + "/scans/8/export/" + file + "/download")).header("X-ApiKeys", KEYS).GET()
                .build(), HttpResponse.BodyHandlers.ofByteArray());

        assertThat(export.statusCode()).isEqualTo(200);
        assertThat(early.statusCode()).isEqualTo(409);
        assertThat(first.body()).isEqualTo("{\"status\":\"loading\"}");
        assertThat(second.body()).isEqualTo("{\"status\":\"ready\"}");
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.headers().firstValue("Content-Disposition")).get().asString()
                .startsWith("attachment; filename=\"pytest-scan_").endsWith(".nessus\"");
        assertThat(sha256(download.body())).isEqualTo(sha256(Files.readAllBytes(seed)));
        assertThat(send("GET", "/scans/5/export/" + file + "/status", KEYS, null).statusCode())
                .as("the file belongs to scan 8").isEqualTo(404);
        assertThat(send("POST", "/scans/8/export", KEYS, "{\"format\":\"pdf\"}").statusCode()).isEqualTo(400);
        assertThat(send("POST", "/scans/8/export", KEYS, "{}").body()).isEqualTo("{\"error\":\"Invalid 'format' field\"}");
    }

    @Test
    void scansAreListedByFolderAndByLastModificationDate() throws Exception {
        start(List.of(new SandboxOptions.Seed(null, VendorTestData.path("nessus", "reptor_nessus_multi_host.nessus")),
                new SandboxOptions.Seed("Servers", VendorTestData.path("nessus", "rubynessus_example_v2.nessus"))));
        long started = clock.instant().getEpochSecond();

        JsonNode all = JSON.readTree(send("GET", "/scans", KEYS, null).body());
        JsonNode servers = JSON.readTree(send("GET", "/scans?folder_id=4", KEYS, null).body());
        JsonNode myScans = JSON.readTree(send("GET", "/scans?folder_id=3", KEYS, null).body());
        JsonNode newer = JSON.readTree(send("GET", "/scans?last_modification_date=" + (started + 1), KEYS, null).body());

        assertThat(all.path("folders")).extracting(f -> f.path("name").asText())
                .containsExactly("Trash", "My Scans", "Servers");
        assertThat(all.path("scans")).extracting(s -> s.path("name").asText())
                .containsExactlyInAnyOrder("Scan Testbed", "Ruby-Nessus");
        assertThat(servers.path("scans")).extracting(s -> s.path("name").asText()).containsExactly("Ruby-Nessus");
        assertThat(myScans.path("scans")).extracting(s -> s.path("name").asText()).containsExactly("Scan Testbed");
        assertThat(newer.path("scans").isNull()).as("Nessus answers null when no scan matches").isTrue();
        assertThat(send("GET", "/scans?last_modification_date=yesterday", KEYS, null).statusCode()).isEqualTo(400);

        connect(ACCESS, SECRET, Map.of("folder.id", 4));
        assertThat(readAll(assets()::readAssets, null, new ArrayList<>())).extracting(List::size).containsExactly(2);
    }

    @Test
    void filesThatAreNoNessusV2ExportAreRefusedNamingTheFile() throws Exception {
        Path empty = VendorTestData.path("nessus", "libnessus_xxxxxxxx.nessus");
        Path legacy = VendorTestData.path("nessus", "rubynessus_example_v1_legacy_NessusClientData.nessus");

        assertThatThrownBy(() -> new NessusSandbox(SandboxOptions.defaults().withSeeds(List.of(
                new SandboxOptions.Seed(null, legacy))), clock, ACCESS, SECRET).start())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(legacy.toString())
                .hasMessageContaining("root element is <NessusClientData>");
        startSeeded();
        HttpResponse<String> zero = send("POST", "/__sandbox/scans", null, "{\"file\":\"" + empty + "\"}");
        HttpResponse<String> missing = send("POST", "/__sandbox/scans", null, "{\"file\":\"" + tmp.resolve("no.nessus") + "\"}");
        HttpResponse<String> noFile = send("POST", "/__sandbox/scans", null, "{}");

        assertThat(zero.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(zero.body()).path("error").asText()).contains("libnessus_xxxxxxxx.nessus")
                .contains("empty (0 bytes)");
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(noFile.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(send("GET", "/__sandbox/scans", null, null).body()).path("scans")).hasSize(SEEDS.size());
    }

    @Test
    void overTheRateLimitTheSandboxAnswers429InNessusEnvelopeAndTheConnectorRetriesLater() throws Exception {
        sandbox = new NessusSandbox(SandboxOptions.defaults().withRateLimit(1, Duration.ofMinutes(1)), clock, ACCESS, SECRET);
        sandbox.start();
        connect();

        assertThat(connector.checkConnection()).isEmpty();
        assertThatThrownBy(() -> findings().readFindings(ReadRequest.from(null)))
                .isInstanceOfSatisfying(org.itsmhub.api.error.RetriableException.class,
                        e -> assertThat(e.retryAfter()).as(e.getMessage()).contains(Duration.ofSeconds(60)))
                .hasMessageContaining("Too Many Requests");
    }

    @Test
    void testsCanCompleteAScanFromJavaToo() {
        startSeeded();
        connect();
        List<Cursor> stored = new ArrayList<>();
        readAll(assets()::readAssets, null, stored);
        clock.advance(Duration.ofSeconds(1));

        long id = sandbox.addCompletedScan(VendorTestData.path("nessus", "defectdojo_nessus_was_many_vuln.nessus"));

        List<List<Finding>> pages = readAll(findings()::readFindings, stored.get(0), new ArrayList<>());
        assertThat(pages).extracting(List::size).containsExactly(5);
        assertThat(pages.get(0)).allSatisfy(f -> assertThat(f.source().id()).isEqualTo(Long.toString(id)));
    }

    @Test
    void aLargeExportIsStreamedFromDiskAndNeitherHeldInTheHeapNorKeptInTheJournal() throws Exception {
        int hosts = 300;
        Path big = largeExport(tmp.resolve("big.nessus"), hosts, 80);
        long size = Files.size(big);
        start(List.of(new SandboxOptions.Seed(null, big)));
        connect();
        long heapBefore = heapAfterGc();

        List<List<Asset>> read = readAll(assets()::readAssets, null, new ArrayList<>());
        Path downloaded = tmp.resolve("downloaded.nessus");
        String file = JSON.readTree(send("POST", "/scans/5/export", KEYS, "{\"format\":\"nessus\"}").body())
                .path("file").asText();
        send("GET", "/scans/5/export/" + file + "/status", KEYS, null);
        send("GET", "/scans/5/export/" + file + "/status", KEYS, null);
        HttpResponse<Path> direct = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(sandbox.baseUrl() + "/scans/5/export/" + file + "/download")).header("X-ApiKeys", KEYS).GET()
                .build(), HttpResponse.BodyHandlers.ofFile(downloaded));
        long heapAfter = heapAfterGc();

        assertThat(size).isGreaterThan(50_000_000L);
        assertThat(read).extracting(List::size).containsExactly(hosts);
        assertThat(direct.statusCode()).isEqualTo(200);
        assertThat(sha256(downloaded)).isEqualTo(sha256(big));
        List<ServeEvent> downloads = sandbox.wiremock().getAllServeEvents().stream()
                .filter(e -> e.getRequest().getUrl().endsWith("/download")).toList();
        assertThat(downloads).hasSize(2).allSatisfy(e -> {
            assertThat(e.getResponse().getStatus()).isEqualTo(200);
            assertThat(e.getResponse().getBody()).as("the journal keeps only the beginning of a download")
                    .hasSizeLessThanOrEqualTo(NessusSandbox.LOGGED_BODY_BYTES);
        });
        assertThat(heapAfter - heapBefore).as("heap kept after two downloads of %d bytes", size).isLessThan(size / 4);
    }

    /** A valid .nessus file of {@code hosts} hosts with {@code items} report items of ~2 KB each. */
    private static Path largeExport(Path file, int hosts, int items) throws Exception {
        String output = "Installed package: example-lib 1.2.3 (fixed in 1.2.4)\n".repeat(38);
        try (BufferedWriter out = Files.newBufferedWriter(file)) {
            out.write("<?xml version=\"1.0\" ?>\n<NessusClientData_v2>\n<Report name=\"big-scan\">\n");
            for (int h = 0; h < hosts; h++) {
                String ip = "10.9." + (h / 250) + "." + (h % 250 + 1);
                out.write("<ReportHost name=\"" + ip + "\"><HostProperties>\n<tag name=\"host-ip\">" + ip
                        + "</tag>\n<tag name=\"HOST_END\">Wed Mar 23 15:07:52 2022</tag>\n</HostProperties>\n");
                for (int i = 0; i < items; i++) {
                    out.write("<ReportItem port=\"" + (1000 + i) + "\" svc_name=\"x\" protocol=\"tcp\" severity=\""
                            + i % 5 + "\" pluginID=\"" + (20_000 + i) + "\" pluginName=\"Example check " + i
                            + "\">\n<synopsis>An example.</synopsis>\n<plugin_output>" + output
                            + "</plugin_output>\n</ReportItem>\n");
                }
                out.write("</ReportHost>\n");
            }
            out.write("</Report>\n</NessusClientData_v2>\n");
        }
        return file;
    }

    private static long heapAfterGc() throws InterruptedException {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
        }
        return rt.totalMemory() - rt.freeMemory();
    }

    // --- fidelity against the recorded responses

    @Test
    void theScanListDecodesWithTheConnectorsDtosAndCarriesTheRecordedFields() throws Exception {
        startSeeded();

        JsonNode list = JSON.readTree(send("GET", "/scans", KEYS, null).body());
        JsonNode real = JSON.readTree(VendorTestData.read("nessus", "api/pytenable_io_GET_scans_200.json"));

        assertThat(fieldNames(list)).containsAll(fieldNames(real));
        for (JsonNode folder : list.path("folders")) {
            assertThat(fieldNames(folder)).containsAll(fieldNames(real.path("folders").get(0)));
        }
        JsonNode realCompleted = null;
        for (JsonNode s : real.path("scans")) {
            if (s.path("status").asText().equals("completed")) {
                realCompleted = s;
                break;
            }
        }
        assertThat(realCompleted).isNotNull();
        assertThat(list.path("scans")).hasSize(SEEDS.size());
        for (JsonNode scan : list.path("scans")) {
            assertThat(fieldNames(scan)).containsAll(fieldNames(realCompleted));
            for (String field : fieldNames(realCompleted)) {
                assertThat(scan.get(field).getNodeType()).as(field).isIn(realCompleted.get(field).getNodeType(),
                        com.fasterxml.jackson.databind.node.JsonNodeType.NULL);
            }
        }
        NessusScanList dto = JsonCodec.mapper().treeToValue(list, NessusScanList.class);
        assertThat(dto.timestamp()).isEqualTo(clock.instant().getEpochSecond());
        assertThat(dto.scans()).extracting(NessusScanList.Scan::status).containsOnly("completed");
        assertThat(dto.scans()).extracting(NessusScanList.Scan::folderId).containsOnly(3L);
        assertThat(dto.scans()).extracting(NessusScanList.Scan::name).containsExactlyInAnyOrder("local", "Scan Testbed",
                "Ruby-Nessus", "pytest-scan", "google.com");
        assertThat(dto.scans()).allSatisfy(s -> assertThat(s.lastModificationDate()).isNotNull());
    }

    @Test
    void theExportAndItsStatusDecodeWithTheConnectorsDtosAndCarryTheRecordedFields() throws Exception {
        startSeeded();

        JsonNode export = JSON.readTree(send("POST", "/scans/5/export", KEYS, "{\"format\":\"nessus\"}").body());
        JsonNode realExport = JSON.readTree(VendorTestData.read("nessus", "api/pytenable_io_POST_scans_175_export_200.json"));
        String file = export.path("file").asText();
        send("GET", "/scans/5/export/" + file + "/status", KEYS, null);
        JsonNode status = JSON.readTree(send("GET", "/scans/5/export/" + file + "/status", KEYS, null).body());
        JsonNode realStatus = JSON.readTree(VendorTestData.read("nessus", "api/pytenable_io_GET_scans_175_export_status_200.json"));
        HttpResponse<String> notFound = send("POST", "/scans/583/export", KEYS, "{\"format\":\"nessus\"}");

        assertThat(fieldNames(export)).containsAll(fieldNames(realExport));
        assertThat(export.path("file").isIntegralNumber()).as("Nessus' file id is a number").isTrue();
        assertThat(JsonCodec.mapper().treeToValue(export, NessusExport.class).file()).isEqualTo(file);
        assertThat(fieldNames(status)).isEqualTo(fieldNames(realStatus));
        assertThat(status).isEqualTo(realStatus);
        assertThat(JsonCodec.mapper().treeToValue(status, NessusExportStatus.class).status()).isEqualTo("ready");
        assertThat(notFound.statusCode()).isEqualTo(404);
        assertThat(notFound.body()).isEqualTo(VendorTestData.read("nessus", "api/pytenable_io_GET_scans_583_404.json"));
        assertThat(notFound.headers().firstValue("Content-Type")).get().asString().startsWith("application/json");
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new HashSet<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext();) {
            names.add(it.next());
        }
        return names;
    }

    private HttpResponse<String> send(String method, String pathAndQuery, String keys, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + pathAndQuery))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (keys != null) {
            b.header("X-ApiKeys", keys);
        }
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theSandboxPageListsExactlyTheEndpointsThisSandboxServes() {
        GeneratedDocSection.check(Path.of("../../docs/sandbox.md"), SandboxRoutes.docsStartMarker("nessus"),
                SandboxRoutes.docsEndMarker("nessus"), start(List.of()).routes().markdownTable());
    }

    private static String sha256(Path file) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return java.util.HexFormat.of().formatHex(digest.digest());
    }

    private static String sha256(byte[] bytes) throws Exception {
        return java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
