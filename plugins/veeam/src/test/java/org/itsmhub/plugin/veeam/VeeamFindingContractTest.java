package org.itsmhub.plugin.veeam;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.itsmhub.plugin.veeam.VeeamStubs.*;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.itsmhub.api.connector.ConnectorFactory;
import org.itsmhub.api.connector.Cursor;
import org.itsmhub.testkit.contract.FindingSourceContractTest;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;

class VeeamFindingContractTest extends FindingSourceContractTest {

    static final Instant NOW = Instant.parse("2025-07-30T12:00:00Z");

    /** Every cycle reads all job states: staleness depends on the time, not on what changed. */
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

    @Override
    protected Clock clock() {
        return Clock.fixed(NOW, ZoneOffset.UTC);
    }

    /** {@code total} jobs whose last run failed an hour ago: one backup-failure finding each. */
    @Override
    protected void stubChangedRecords(int total, int pageSize) {
        stubLogin(VENDOR, "access-1", "refresh-1", 3600);
        List<String> jobs = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            jobs.add(jobState("00000000-0000-0000-0000-00000000000" + i, "Job " + i, "Inactive", "Failed",
                    NOW.minus(Duration.ofHours(1))));
        }
        stubPaged(VENDOR, STATES_PATH, jobs);
        VENDOR.stubFor(get(urlPathEqualTo(SESSIONS_PATH)).willReturn(json(200, result(List.of(), 0, 0, 1))));
    }

    @Override
    protected void assertResumedFrom(Cursor cursor, List<LoggedRequest> requests) {
        // staleness depends on the time, so a new cycle re-reads every job state from the start
        assertThat(cursor.value()).isEqualTo("states:0");
        LoggedRequest first = requests.stream().filter(r -> r.getUrl().startsWith(STATES_PATH)).findFirst().orElseThrow();
        assertThat(first.queryParameter("skip").firstValue()).isEqualTo("0");
        assertThat(first.queryParameter("orderColumn").firstValue()).isEqualTo("Name");
        assertThat(first.queryParameter("orderAsc").firstValue()).isEqualTo("true");
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
        VENDOR.stubFor(any(anyUrl()).willReturn(json(500, error("UnknownError", "Internal server error."))));
    }

    @Override
    protected void stubMalformedBody() {
        stubLogin(VENDOR, "access-1", "refresh-1", 3600);
        VENDOR.stubFor(get(urlPathEqualTo(STATES_PATH)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"data\":[{\"id\":")));
    }

    /** Three failed jobs and one poison job state of each kind; the good findings are those of the good jobs alone. */
    @Override
    protected java.util.Set<String> stubPageWithPoison() {
        List<String> good = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            good.add(jobState("00000000-0000-0000-0000-00000000000" + i, "Job " + i, "Inactive", "Failed",
                    NOW.minus(Duration.ofHours(1))));
        }
        stubLogin(VENDOR, "access-1", "refresh-1", 3600);
        stubOnePage(VENDOR, STATES_PATH, good);
        VENDOR.stubFor(get(urlPathEqualTo(SESSIONS_PATH)).willReturn(json(200, result(List.of(), 0, 0, 1))));
        java.util.Set<String> ids = new java.util.HashSet<>(readAll(null).stream().map(this::idOf).toList());
        VENDOR.resetAll();
        List<String> page = new ArrayList<>(good);
        page.add(1, jobState("00000000-0000-0000-0000-000000000301", "Job 301", "Inactive", "Failed",
                NOW.minus(Duration.ofHours(1))).replace("\"name\":\"Job 301\",", ""));
        page.add(jobState("00000000-0000-0000-0000-000000000302", "Job 302", "Inactive", "Failed",
                NOW.minus(Duration.ofHours(1))).replace("\"id\":\"00000000-0000-0000-0000-000000000302\"",
                "\"id\":{\"value\":302}"));
        page.add(jobState("00000000-0000-0000-0000-000000000303", "Job 303", "Inactive", "Success",
                NOW.minus(Duration.ofHours(1))).replace(time(NOW.minus(Duration.ofHours(1))), "yesterday"));
        page.add("null");
        page.add(jobState("00000000-0000-0000-0000-000000000305", Poison.hugeText(), "Inactive", "Failed",
                NOW.minus(Duration.ofHours(1))));
        stubLogin(VENDOR, "access-1", "refresh-1", 3600);
        stubOnePage(VENDOR, STATES_PATH, page);
        VENDOR.stubFor(get(urlPathEqualTo(SESSIONS_PATH)).willReturn(json(200, result(List.of(), 0, 0, 1))));
        return ids;
    }
}
