package org.itsmhub.plugin.veeam;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.itsmhub.plugin.veeam.VeeamStubs.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.itsmhub.api.connector.ConnectorFactory;
import org.itsmhub.api.connector.Cursor;
import org.itsmhub.testkit.contract.AssetSourceContractTest;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;

class VeeamAssetContractTest extends AssetSourceContractTest {

    /** Every cycle reads all jobs and the machines they protect. */
    @Override
    protected boolean readsWholeState() {
        return true;
    }

    @Override
    protected ConnectorFactory factory() {
        return new VeeamConnectorFactory();
    }

    @Override
    protected Map<String, Object> connectionConfig(String baseUrl, String secret) {
        return config(baseUrl, secret);
    }

    /** {@code total} jobs protecting one VM each. */
    @Override
    protected void stubChangedRecords(int total, int pageSize) {
        stubLogin(VENDOR, "access-1", "refresh-1", 3600);
        List<String> jobs = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            jobs.add(job("10000000-0000-0000-0000-00000000000" + i, "Job " + i,
                    List.<String[]>of(new String[] {"vcenter01.tech.local", "srv" + i, "vm-" + (4500 + i)})));
        }
        stubPaged(VENDOR, JOBS_PATH, jobs);
    }

    @Override
    protected void assertResumedFrom(Cursor cursor, List<LoggedRequest> requests) {
        assertThat(cursor.value()).isEqualTo("jobs:0");
        LoggedRequest first = requests.stream().filter(r -> r.getUrl().startsWith(JOBS_PATH)).findFirst().orElseThrow();
        assertThat(first.queryParameter("skip").firstValue()).isEqualTo("0");
        assertThat(first.queryParameter("orderColumn").firstValue()).isEqualTo("Name");
    }

    @Override
    protected void stubAuthenticationFailure() {
        VENDOR.stubFor(post(urlPathEqualTo(TOKEN_PATH)).willReturn(json(401,
                error("AccessDenied", "Invalid user name or password."))));
    }

    @Override
    protected void stubRateLimited(int seconds) {
        VENDOR.stubFor(any(anyUrl()).willReturn(json(429, error("UnknownError", "Too many requests."))
                .withHeader("Retry-After", Integer.toString(seconds))));
    }

    @Override
    protected void stubServerError() {
        VENDOR.stubFor(any(anyUrl()).willReturn(json(503, error("ServiceUnavailable", "Service unavailable."))));
    }

    @Override
    protected void stubMalformedBody() {
        stubLogin(VENDOR, "access-1", "refresh-1", 3600);
        VENDOR.stubFor(get(urlPathEqualTo(JOBS_PATH)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("<html>maintenance</html>")));
    }

    /** The jobs list carries no date the connector reads: there is no unreadable date to reject. */
    @Override
    protected List<Poison> poisonKinds() {
        return List.of(Poison.MISSING_REQUIRED_FIELD, Poison.ID_OF_WRONG_TYPE, Poison.NULL_ELEMENT, Poison.HUGE_STRING);
    }

    /** Three jobs of one VM each and one poison job of each kind; the good assets are those of the good jobs alone. */
    @Override
    protected java.util.Set<String> stubPageWithPoison() {
        List<String> good = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            good.add(job("10000000-0000-0000-0000-00000000000" + i, "Job " + i,
                    List.<String[]>of(new String[] {"vcenter01.tech.local", "srv" + i, "vm-" + (4500 + i)})));
        }
        stubLogin(VENDOR, "access-1", "refresh-1", 3600);
        stubOnePage(VENDOR, JOBS_PATH, good);
        java.util.Set<String> ids = new java.util.HashSet<>(readAll(null).stream().map(this::idOf).toList());
        VENDOR.resetAll();
        List<String> page = new ArrayList<>(good);
        page.add(1, job("10000000-0000-0000-0000-000000000301", "Job 301",
                List.<String[]>of(new String[] {"vcenter01.tech.local", "srv301", "vm-4801"}))
                .replace("\"id\":\"10000000-0000-0000-0000-000000000301\",", ""));
        page.add(job("10000000-0000-0000-0000-000000000302", "Job 302",
                List.<String[]>of(new String[] {"vcenter01.tech.local", "srv302", "vm-4802"}))
                .replace("\"id\":\"10000000-0000-0000-0000-000000000302\"", "\"id\":[302]"));
        page.add("null");
        page.add(job("10000000-0000-0000-0000-000000000305", Poison.hugeText(),
                List.<String[]>of(new String[] {"vcenter01.tech.local", "srv305", "vm-4805"})));
        stubLogin(VENDOR, "access-1", "refresh-1", 3600);
        stubOnePage(VENDOR, JOBS_PATH, page);
        return ids;
    }
}
