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
}
