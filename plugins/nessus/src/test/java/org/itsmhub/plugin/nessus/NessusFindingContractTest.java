package org.itsmhub.plugin.nessus;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.itsmhub.api.connector.ConnectorFactory;
import org.itsmhub.api.connector.Cursor;
import org.itsmhub.testkit.contract.FindingSourceContractTest;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;

/**
 * The finding-source contract against a stubbed Nessus: one completed scan per page, each exported
 * as a small {@code .nessus} file with one host and its findings.
 */
class NessusFindingContractTest extends FindingSourceContractTest {

    private static final Instant NOW = Instant.parse("2018-12-10T00:00:00Z");
    private static final String FILE = "SSE-contract-nessus";

    @Override
    protected ConnectorFactory factory() {
        return new NessusConnectorFactory();
    }

    @Override
    protected Map<String, Object> connectionConfig(String baseUrl, String secret) {
        return Map.of("base.url", baseUrl, "access.key", "ak-contract", "secret.key", secret,
                "export.poll.interval", "10ms");
    }

    @Override
    protected Clock clock() {
        return Clock.fixed(NOW, ZoneOffset.UTC);
    }

    /** One completed scan an hour ago holding {@code total} findings on one host (a page is whole hosts). */
    @Override
    protected void stubChangedRecords(int total, int pageSize) {
        Scan scan = new Scan(10, NOW.minusSeconds(3600), 1, total);
        stubScanList(null, List.of(scan));
        stubExport(scan);
    }

    @Override
    protected void assertResumedFrom(Cursor cursor, List<LoggedRequest> requests) {
        long modified = Long.parseLong(cursor.value().split(":")[0]);
        assertThat(requests).isNotEmpty().allSatisfy(r -> {
            assertThat(r.getUrl()).startsWith("/scans?");
            assertThat(r.queryParameter("last_modification_date").firstValue()).isEqualTo(Long.toString(modified - 1));
        });
    }

    /** Nessus lists the scans modified after last_modification_date; the connector asks for one second less. */
    @Override
    protected Set<String> stubChangedAround(Instant since) {
        List<Scan> after = List.of(new Scan(20, since, 2, 1), new Scan(21, since.plusSeconds(3600), 3, 2));
        List<Scan> all = new ArrayList<>(List.of(new Scan(18, since.minusSeconds(86400), 4, 1),
                new Scan(19, since.minusSeconds(1), 5, 1)));
        all.addAll(after);
        stubScanList(null, all);
        stubScanList(since.getEpochSecond() - 1, after);
        all.forEach(this::stubExport);
        Set<String> keys = new LinkedHashSet<>();
        after.forEach(s -> keys.addAll(s.keys()));
        return keys;
    }

    @Override
    protected void assertAskedForChangesSince(Instant since, List<LoggedRequest> requests) {
        assertThat(requests).isNotEmpty();
        assertThat(requests.get(0).getUrl()).startsWith("/scans?");
        assertThat(requests.get(0).queryParameter("last_modification_date").firstValue())
                .isEqualTo(Long.toString(since.getEpochSecond() - 1));
    }

    /** Nessus pages are whole scan exports: the poison is an export that cannot be read. */
    @Override
    protected List<Poison> poisonKinds() {
        return List.of(Poison.UNREADABLE_FILE);
    }

    /** An older scan whose export is cut off mid-element, and a later good one. */
    @Override
    protected Set<String> stubPageWithPoison() {
        Scan broken = new Scan(30, NOW.minusSeconds(7200), 6, 3);
        Scan good = new Scan(31, NOW.minusSeconds(3600), 7, 2);
        stubScanList(null, List.of(broken, good));
        stubExport(good);
        String cut = broken.nessusFile().substring(0, broken.nessusFile().length() / 2);
        VENDOR.stubFor(post(urlPathEqualTo("/scans/30/export")).willReturn(okJson("{\"file\":\"" + FILE + "\"}")));
        VENDOR.stubFor(get(urlPathEqualTo("/scans/30/export/" + FILE + "/status")).willReturn(okJson("{\"status\":\"ready\"}")));
        VENDOR.stubFor(get(urlPathEqualTo("/scans/30/export/" + FILE + "/download")).willReturn(aResponse()
                .withHeader("Content-Type", "application/octet-stream").withBody(cut)));
        return new LinkedHashSet<>(good.keys());
    }

    @Override
    protected void stubAuthenticationFailure() {
        VENDOR.stubFor(get(urlPathEqualTo("/scans")).willReturn(aResponse().withStatus(401)
                .withHeader("Content-Type", "application/json").withBody("{\"error\":\"Invalid Credentials\"}")));
    }

    @Override
    protected void stubRateLimited(int seconds) {
        VENDOR.stubFor(get(urlPathEqualTo("/scans")).willReturn(aResponse().withStatus(429)
                .withHeader("Retry-After", Integer.toString(seconds))
                .withHeader("Content-Type", "application/json").withBody("{\"error\":\"Too many requests\"}")));
    }

    @Override
    protected void stubServerError() {
        VENDOR.stubFor(get(urlPathEqualTo("/scans")).willReturn(aResponse().withStatus(503)
                .withHeader("Content-Type", "application/json").withBody("{\"error\":\"Service Unavailable\"}")));
    }

    @Override
    protected void stubMalformedBody() {
        VENDOR.stubFor(get(urlPathEqualTo("/scans")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "text/html").withBody("<html><body>Nessus is starting</body></html>")));
    }

    /** Answers GET /scans: for exactly {@code modifiedAfter} when given, else for any other value. */
    private void stubScanList(Long modifiedAfter, List<Scan> scans) {
        StringBuilder body = new StringBuilder("{\"folders\":[],\"timestamp\":").append(NOW.getEpochSecond())
                .append(",\"scans\":[");
        for (int i = 0; i < scans.size(); i++) {
            Scan s = scans.get(i);
            body.append(i == 0 ? "" : ",").append("""
                    {"id":%d,"uuid":"contract-%d","name":"Scan %d","status":"completed","folder_id":3,\
                    "read":true,"enabled":false,"creation_date":%d,"last_modification_date":%d}"""
                    .formatted(s.id(), s.id(), s.id(), s.modified().getEpochSecond() - 600, s.modified().getEpochSecond()));
        }
        var list = get(urlPathEqualTo("/scans"));
        if (modifiedAfter != null) {
            list = list.withQueryParam("last_modification_date", equalTo(modifiedAfter.toString())).atPriority(1);
        } else {
            list = list.atPriority(9);
        }
        VENDOR.stubFor(list.willReturn(okJson(body.append("]}").toString())));
    }

    private void stubExport(Scan scan) {
        String base = "/scans/" + scan.id() + "/export";
        VENDOR.stubFor(post(urlPathEqualTo(base)).willReturn(okJson("{\"file\":\"" + FILE + "\"}")));
        VENDOR.stubFor(get(urlPathEqualTo(base + "/" + FILE + "/status")).willReturn(okJson("{\"status\":\"ready\"}")));
        VENDOR.stubFor(get(urlPathEqualTo(base + "/" + FILE + "/download")).willReturn(aResponse()
                .withHeader("Content-Type", "application/octet-stream").withBody(scan.nessusFile())));
    }

    /** A completed scan of host 10.0.0.{@code host} that found {@code findings} medium items. */
    private record Scan(long id, Instant modified, int host, int findings) {

        String ip() {
            return "10.0.0." + host;
        }

        List<String> keys() {
            List<String> keys = new ArrayList<>();
            for (int i = 0; i < findings; i++) {
                keys.add("nessus:contract/ip=" + ip() + "/" + (90000 + i) + "/" + (8000 + i) + "/tcp");
            }
            return keys;
        }

        String nessusFile() {
            StringBuilder items = new StringBuilder();
            for (int i = 0; i < findings; i++) {
                items.append("""
                        <ReportItem port="%d" svc_name="www" protocol="tcp" severity="2" pluginID="%d" \
                        pluginName="Contract finding %d" pluginFamily="General"><risk_factor>Medium</risk_factor>\
                        <synopsis>A finding.</synopsis><description>Found by the contract test.</description>\
                        <solution>Fix it.</solution></ReportItem>""".formatted(8000 + i, 90000 + i, i));
            }
            return """
                    <?xml version="1.0" ?><NessusClientData_v2><Report name="Scan %d" \
                    xmlns:cm="http://www.nessus.org/cm"><ReportHost name="%s"><HostProperties>\
                    <tag name="host-ip">%s</tag><tag name="HOST_END">Mon Dec 10 00:00:00 2018</tag>\
                    </HostProperties>%s</ReportHost></Report></NessusClientData_v2>"""
                    .formatted(id, ip(), ip(), items);
        }
    }
}
