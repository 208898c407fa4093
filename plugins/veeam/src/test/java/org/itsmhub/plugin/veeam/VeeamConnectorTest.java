package org.itsmhub.plugin.veeam;

import org.itsmhub.testkit.contract.CredentialEcho;
import static org.assertj.core.api.Assertions.catchThrowable;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import org.itsmhub.testkit.time.TestClock;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.itsmhub.plugin.veeam.VeeamStubs.*;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.itsmhub.api.config.ConfigProblem;
import org.itsmhub.api.connector.Connector;
import org.itsmhub.api.connector.Cursor;
import org.itsmhub.api.connector.FindingSource;
import org.itsmhub.api.connector.AssetSource;
import org.itsmhub.api.connector.Page;
import org.itsmhub.api.connector.ReadRequest;
import org.itsmhub.api.error.AuthenticationException;
import org.itsmhub.api.error.DataMappingException;
import org.itsmhub.api.error.RetriableException;
import org.itsmhub.api.model.Asset;
import org.itsmhub.api.model.Finding;
import org.itsmhub.api.model.FindingKind;
import org.itsmhub.api.model.FindingState;
import org.itsmhub.api.model.Severity;
import org.itsmhub.testkit.contract.VendorTestData;
import org.itsmhub.testkit.contract.TestConnectorContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

class VeeamConnectorTest {

    @RegisterExtension
    static final WireMockExtension VBR = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    static final String PASSWORD = "vbr-pa55word-7c1e";
    static final String JOB = "e35ef047-8cfa-4c3e-979e-de2e5399142f";
    static final Instant T0 = Instant.parse("2025-07-28T08:44:39Z");

    private final TestClock clock = new TestClock(T0.plus(Duration.ofHours(1)));
    private Connector connector;

    @BeforeEach
    void stubLoginByDefault() {
        stubLogin(VBR, "access-1", "refresh-1", 900);
        VBR.stubFor(post(urlPathEqualTo(TOKEN_PATH)).withRequestBody(containing("grant_type=refresh_token"))
                .willReturn(json(200, token("access-2", "refresh-2", 900))));
    }

    @AfterEach
    void close() {
        if (connector != null) {
            connector.close();
        }
    }

    private Connector connect(Map<String, Object> extra) {
        Map<String, Object> raw = new HashMap<>(config(VBR.baseUrl(), PASSWORD));
        raw.putAll(extra);
        VeeamConnectorFactory factory = new VeeamConnectorFactory();
        connector = factory.create(TestConnectorContext.of(factory, raw, clock));
        return connector;
    }

    private List<Finding> findings(Connector c) {
        return c.capability(FindingSource.class).orElseThrow().readFindings(new ReadRequest(null, Map.of(), 10)).items();
    }

    private static Finding only(List<Finding> findings, FindingKind kind) {
        return findings.stream().filter(f -> f.kind() == kind).reduce((a, b) -> {
            throw new AssertionError("two " + kind + " findings: " + findings);
        }).orElseThrow(() -> new AssertionError("no " + kind + " finding in " + findings));
    }

    private static List<LoggedRequest> tokenRequests() {
        return VBR.findAll(postRequestedFor(urlPathEqualTo(TOKEN_PATH)));
    }

    @Test
    void logsInWithThePasswordGrantAndSendsTheApiVersionAndBearerTokenOnEveryCall() {
        stubPaged(VBR, STATES_PATH, List.of(jobState(JOB, "Linux backup job", "Inactive", "Success", T0)));

        findings(connect(Map.of()));

        LoggedRequest login = tokenRequests().get(0);
        assertThat(login.getMethod().getName()).isEqualTo("POST");
        assertThat(login.getHeader("Content-Type")).startsWith("application/x-www-form-urlencoded");
        assertThat(login.getBodyAsString()).isEqualTo("grant_type=password&username=ACME%5Csvc-itsmhub&password=" + PASSWORD);
        assertThat(login.getHeader("x-api-version")).isEqualTo("1.1-rev0");
        assertThat(login.containsHeader("Authorization")).isFalse();
        LoggedRequest states = VBR.findAll(getRequestedFor(urlPathEqualTo(STATES_PATH))).get(0);
        assertThat(states.getHeader("x-api-version")).isEqualTo("1.1-rev0");
        assertThat(states.getHeader("Authorization")).isEqualTo("Bearer access-1");
        assertThat(states.queryParameter("skip").firstValue()).isEqualTo("0");
        assertThat(states.queryParameter("limit").firstValue()).isEqualTo("10");
        assertThat(states.queryParameter("orderColumn").firstValue()).isEqualTo("Name");
        assertThat(states.queryParameter("orderAsc").firstValue()).isEqualTo("true");
        assertThat(VeeamOpenApi.assertConform("1.1-rev0", VBR.getAllServeEvents().stream().map(e -> e.getRequest())
                .map(LoggedRequest.class::cast).toList())).isEqualTo(2);
    }

    @Test
    void theApiVersionHeaderIsConfigurableAndNothingElseOfTheRequestsChanges() {
        stubPaged(VBR, STATES_PATH, List.of(jobState(JOB, "Linux backup job", "Inactive", "Failed", T0)));
        stubLastSuccess(VBR, JOB, T0.minus(Duration.ofHours(2)));

        findings(connect(Map.of("api.version", "1.2-rev1")));

        List<LoggedRequest> all = VBR.getAllServeEvents().stream().map(e -> (LoggedRequest) e.getRequest()).toList();
        assertThat(all).hasSize(4).extracting(r -> r.getHeader("x-api-version")).containsOnly("1.2-rev1");
        // Veeam's documents of 1.2-rev1 and later may not be redistributed (testdata/veeam/PROVENANCE.md),
        // so there is no spec of that revision to check against; the requests differ from 1.1-rev0
        // only in the header (see the next test), and 1.1-rev0's spec takes any x-api-version string
        assertThat(VeeamOpenApi.assertConform("1.1-rev0", all)).isEqualTo(4);
    }

    @Test
    void everyRevisionSendsTheSameRequestsAsTheOneWhoseSpecTheyAreCheckedAgainstExceptForTheHeader() {
        stubPaged(VBR, STATES_PATH, List.of(jobState(JOB, "Linux backup job", "Running", "Success", T0)));
        stubLastSuccess(VBR, JOB, T0);
        stubPaged(VBR, JOBS_PATH, List.of());

        java.util.Map<String, List<String>> sent = new java.util.LinkedHashMap<>();
        for (String version : List.of("1.1-rev0", "1.2-rev1", "1.3-rev1", "1.3-rev2")) {
            VBR.resetRequests();
            Connector c = connect(Map.of("api.version", version));
            findings(c);
            c.capability(AssetSource.class).orElseThrow().readAssets(new ReadRequest(null, Map.of(), 10));
            List<LoggedRequest> all = VBR.getAllServeEvents().stream().map(e -> (LoggedRequest) e.getRequest()).toList();
            assertThat(all).extracting(r -> r.getHeader("x-api-version")).as(version).containsOnly(version);
            sent.put(version, all.stream().map(r -> r.getMethod() + " " + r.getUrl() + " " + r.getBodyAsString())
                    .sorted().toList());
            // only 1.1-rev0's document may be redistributed (testdata/veeam/PROVENANCE.md); Veeam's
            // 1.2/1.3 documents are not in the repository, so no request is checked against them
            assertThat(VeeamOpenApi.assertConform("1.1-rev0", all)).as(version).isEqualTo(5);
        }

        assertThat(sent.get("1.1-rev0")).hasSize(5);
        assertThat(sent.values()).allSatisfy(requests -> assertThat(requests).isEqualTo(sent.get("1.1-rev0")));
    }

    @Test
    void cachesTheTokenAndRefreshesItShortlyBeforeItExpires() {
        stubPaged(VBR, STATES_PATH, List.of(jobState(JOB, "Linux backup job", "Inactive", "Success", T0)));
        Connector c = connect(Map.of());

        findings(c);
        clock.advance(Duration.ofMinutes(13));
        findings(c);
        assertThat(tokenRequests()).hasSize(1);

        clock.advance(Duration.ofMinutes(1).plusSeconds(1)); // 14:01 of a 15-minute token: inside the skew
        findings(c);

        assertThat(tokenRequests()).hasSize(2);
        assertThat(tokenRequests().get(1).getBodyAsString()).isEqualTo("grant_type=refresh_token&refresh_token=refresh-1");
        List<LoggedRequest> reads = VBR.findAll(getRequestedFor(urlPathEqualTo(STATES_PATH)));
        assertThat(reads).extracting(r -> r.getHeader("Authorization"))
                .containsExactly("Bearer access-1", "Bearer access-1", "Bearer access-2");
    }

    @Test
    void logsInAgainWhenTheRefreshTokenIsRefused() {
        stubPaged(VBR, STATES_PATH, List.of(jobState(JOB, "Linux backup job", "Inactive", "Success", T0)));
        VBR.stubFor(post(urlPathEqualTo(TOKEN_PATH)).withRequestBody(containing("grant_type=refresh_token"))
                .willReturn(json(401, error("ExpiredToken", "The refresh token has expired."))));
        Connector c = connect(Map.of());
        findings(c);

        clock.advance(Duration.ofMinutes(20));
        findings(c);

        assertThat(tokenRequests()).extracting(r -> r.getBodyAsString().split("&")[0])
                .containsExactly("grant_type=password", "grant_type=refresh_token", "grant_type=password");
    }

    @Test
    void readsEveryJobStatePageToTheEndAndStartsOverNextCycle() {
        List<String> jobs = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            jobs.add(jobState("00000000-0000-0000-0000-00000000000" + i, "Job " + i, "Inactive", "Failed", T0));
        }
        stubPaged(VBR, STATES_PATH, jobs);
        VBR.stubFor(get(urlPathEqualTo(SESSIONS_PATH)).willReturn(json(200, result(List.of(), 0, 0, 1))));
        FindingSource source = connect(Map.of()).capability(FindingSource.class).orElseThrow();

        Page<Finding> p1 = source.readFindings(new ReadRequest(null, Map.of(), 2));
        Page<Finding> p2 = source.readFindings(new ReadRequest(p1.next(), Map.of(), 2));
        Page<Finding> p3 = source.readFindings(new ReadRequest(p2.next(), Map.of(), 2));

        assertThat(List.of(p1.next(), p2.next(), p3.next())).extracting(Cursor::value)
                .containsExactly("states:2", "states:4", "states:0");
        assertThat(List.of(p1.hasMore(), p2.hasMore(), p3.hasMore())).containsExactly(true, true, false);
        assertThat(VBR.findAll(getRequestedFor(urlPathEqualTo(STATES_PATH))))
                .extracting(r -> r.queryParameter("skip").firstValue()).containsExactly("0", "2", "4");
    }

    @Test
    void aFailedRunIsAHighSeverityBackupFailureKeyedByServerJobAndKind() {
        stubPaged(VBR, STATES_PATH, List.of(jobState(JOB, "Linux backup job", "Inactive", "Failed", T0)));
        stubLastSuccess(VBR, JOB, T0.minus(Duration.ofHours(2)));

        List<Finding> findings = findings(connect(Map.of("server.name", "vbr01")));

        Finding failure = only(findings, FindingKind.BACKUP_FAILURE);
        assertThat(failure.key()).isEqualTo("veeam:vbr01:job:" + JOB + ":backup-failure");
        assertThat(failure.severity()).isEqualTo(Severity.HIGH);
        assertThat(failure.state()).isEqualTo(FindingState.PRESENT);
        assertThat(failure.title()).contains("Linux backup job").contains("failed");
        assertThat(failure.source().id()).isEqualTo(JOB);
        assertThat(failure.firstSeen()).isEqualTo(T0);
        assertThat(failure.lastSeen()).isEqualTo(clock.instant());
        assertThat(failure.evidence()).containsEntry("lastResult", "Failed").containsEntry("jobName", "Linux backup job");
        // the last success 3 h ago is within the default 24 h RPO: positively not stale
        assertThat(only(findings, FindingKind.STALE_BACKUP).state()).isEqualTo(FindingState.CLEARED);
        LoggedRequest lookup = VBR.findAll(getRequestedFor(urlPathEqualTo(SESSIONS_PATH))).get(0);
        assertThat(lookup.queryParameter("jobIdFilter").firstValue()).isEqualTo(JOB);
        assertThat(lookup.queryParameter("resultFilter").firstValue()).isEqualTo("Success");
        assertThat(lookup.queryParameter("orderColumn").firstValue()).isEqualTo("CreationTime");
        assertThat(lookup.queryParameter("orderAsc").firstValue()).isEqualTo("false");
        assertThat(lookup.queryParameter("limit").firstValue()).isEqualTo("1");
        assertThat(VBR.findAll(getRequestedFor(urlPathEqualTo(SESSIONS_PATH))))
                .extracting(r -> r.queryParameter("resultFilter").firstValue()).containsExactly("Success", "Warning");
    }

    @Test
    void aJobStartingOrStoppingIn13sFormsIsARunUnderWayWhoseLastRunIsNoSuccess() {
        // 1.3 writes a run under way as Running, Starting or Stopping (1.1 and 1.2: running): lastRun is the
        // start of that run, lastResult the result of the one before, so the last success is looked up
        for (String status : List.of("Starting", "Stopping", "running")) {
            VBR.resetAll();
            stubLogin(VBR, "access-1", "refresh-1", 3600);
            stubPaged(VBR, STATES_PATH, List.of(jobState(JOB, "Linux backup job", status, "Success", T0)));
            stubLastSuccess(VBR, JOB, T0.minus(Duration.ofDays(3)));

            Finding stale = only(findings(connect(Map.of("api.version", "1.3-rev1"))), FindingKind.STALE_BACKUP);

            assertThat(stale.state()).as(status).isEqualTo(FindingState.PRESENT);
            assertThat(stale.evidence()).as(status).containsEntry("lastSuccess", T0.minus(Duration.ofDays(3)).toString())
                    .containsEntry("status", status);
            assertThat(VBR.findAll(getRequestedFor(urlPathEqualTo(SESSIONS_PATH)))).as(status)
                    .extracting(r -> r.queryParameter("jobIdFilter").firstValue()).containsOnly(JOB).hasSize(2);
        }
    }

    @Test
    void aWarningIsABackupFailureOfMediumSeverityUnderTheSameKey() {
        stubPaged(VBR, STATES_PATH, List.of(jobState(JOB, "Linux backup job", "Inactive", "Warning", T0)));

        Finding warning = only(findings(connect(Map.of("server.name", "vbr01"))), FindingKind.BACKUP_FAILURE);

        assertThat(warning.key()).isEqualTo("veeam:vbr01:job:" + JOB + ":backup-failure");
        assertThat(warning.severity()).isEqualTo(Severity.MEDIUM);
        assertThat(warning.state()).isEqualTo(FindingState.PRESENT);
        assertThat(warning.title()).contains("warnings");
    }

    @Test
    void aLaterSuccessfulRunClearsTheBackupFailure() {
        stubPaged(VBR, STATES_PATH, List.of(jobState(JOB, "Linux backup job", "Inactive", "Failed", T0)));
        stubLastSuccess(VBR, JOB, null);
        Connector c = connect(Map.of());
        assertThat(only(findings(c), FindingKind.BACKUP_FAILURE).state()).isEqualTo(FindingState.PRESENT);

        stubPaged(VBR, STATES_PATH, List.of(jobState(JOB, "Linux backup job", "Inactive", "Success",
                T0.plus(Duration.ofMinutes(30)))));
        Finding cleared = only(findings(c), FindingKind.BACKUP_FAILURE);

        assertThat(cleared.state()).isEqualTo(FindingState.CLEARED);
        assertThat(cleared.key()).endsWith(JOB + ":backup-failure");
    }

    @Test
    void aBackupOlderThanTheRpoIsStaleEvenWhenNothingFailedAndAFreshSuccessClearsIt() {
        stubPaged(VBR, STATES_PATH, List.of(jobState(JOB, "Linux backup job", "Inactive", "Success", T0)));
        Connector c = connect(Map.of());

        clock.advance(Duration.ofHours(22)); // 23 h after the last success: within the 24 h RPO
        assertThat(only(findings(c), FindingKind.STALE_BACKUP).state()).isEqualTo(FindingState.CLEARED);

        clock.advance(Duration.ofHours(2)); // 25 h: stale, although no run failed
        List<Finding> later = findings(c);
        Finding stale = only(later, FindingKind.STALE_BACKUP);
        assertThat(stale.state()).isEqualTo(FindingState.PRESENT);
        assertThat(stale.severity()).isEqualTo(Severity.HIGH);
        assertThat(stale.key()).endsWith(JOB + ":stale-backup");
        assertThat(stale.evidence()).containsEntry("lastSuccess", T0.toString()).containsEntry("rpo", "PT24H");
        assertThat(only(later, FindingKind.BACKUP_FAILURE).state()).isEqualTo(FindingState.CLEARED);

        stubPaged(VBR, STATES_PATH, List.of(jobState(JOB, "Linux backup job", "Inactive", "Success",
                clock.instant().minus(Duration.ofMinutes(5)))));
        Finding fresh = only(findings(c), FindingKind.STALE_BACKUP);
        assertThat(fresh.state()).isEqualTo(FindingState.CLEARED);
        assertThat(fresh.key()).isEqualTo(stale.key());
    }

    @Test
    void aPerJobRpoByNameOverridesTheDefault() {
        stubPaged(VBR, STATES_PATH, List.of(jobState(JOB, "SQL hourly", "Inactive", "Success", T0)));
        Connector c = connect(Map.of("rpo.per.job", Map.of("SQL hourly", "2h")));

        clock.advance(Duration.ofHours(2)); // 3 h after the last success

        Finding stale = only(findings(c), FindingKind.STALE_BACKUP);
        assertThat(stale.state()).isEqualTo(FindingState.PRESENT);
        assertThat(stale.evidence()).containsEntry("rpo", "PT2H");
    }

    @Test
    void aFailingJobWhoseLastSuccessIsOlderThanTheRpoIsAlsoStale() {
        stubPaged(VBR, STATES_PATH, List.of(jobState(JOB, "Linux backup job", "Inactive", "Failed", T0)));
        stubLastSuccess(VBR, JOB, T0.minus(Duration.ofDays(3)));

        List<Finding> findings = findings(connect(Map.of()));

        assertThat(only(findings, FindingKind.BACKUP_FAILURE).state()).isEqualTo(FindingState.PRESENT);
        Finding stale = only(findings, FindingKind.STALE_BACKUP);
        assertThat(stale.state()).isEqualTo(FindingState.PRESENT);
        assertThat(stale.evidence()).containsEntry("lastSuccess", T0.minus(Duration.ofDays(3)).toString());
    }

    @Test
    void aRecentWarningRunCountsAsARestorePointForStaleness() {
        stubPaged(VBR, STATES_PATH, List.of(jobState(JOB, "Linux backup job", "Inactive", "Failed", T0)));
        for (String[] r : List.of(new String[] {"Success", "P3D"}, new String[] {"Warning", "PT2H"})) {
            Instant at = T0.minus(Duration.parse(r[1]));
            VBR.stubFor(get(urlPathEqualTo(SESSIONS_PATH)).withQueryParam("resultFilter", equalTo(r[0]))
                    .willReturn(json(200, result(List.of(session(JOB, r[0], at)), 1, 0, 1))));
        }

        Finding stale = only(findings(connect(Map.of())), FindingKind.STALE_BACKUP);

        assertThat(stale.state()).isEqualTo(FindingState.CLEARED);
        assertThat(stale.evidence()).containsEntry("lastSuccess", T0.minus(Duration.ofHours(2)).toString());
    }

    @Test
    void aJobThatNeverRanReportsNothing() {
        stubPaged(VBR, STATES_PATH, List.of(jobState(JOB, "New job", "Inactive", "None", null)));
        stubLastSuccess(VBR, JOB, null);

        assertThat(findings(connect(Map.of()))).isEmpty();
    }

    @Test
    void theJobStatesExampleOfVeeamsSpecBecomesFindings() {
        VBR.stubFor(get(urlPathEqualTo(STATES_PATH)).willReturn(json(200, VendorTestData.read("veeam",
                "examples/vbr_1.1-rev0_GET_api_v1_jobs_states_200_example.json"))));
        String ad = "301450bc-34cd-4d2c-bfc3-8d269bb471be";
        String exchange = "53b87378-7958-477d-8def-fbe6740d4b6f";
        String oracle = "75fc491a-d158-4380-a433-ebc42a28e4df";
        // AD Backup and Oracle Backup are "running" (lower case in 1.1-rev0) since 2022-02-04 18:40Z:
        // their last success comes from the sessions, stubbed here (the example has none of them)
        stubLastSuccess(VBR, ad, Instant.parse("2022-02-04T06:40:00Z"));
        stubLastSuccess(VBR, oracle, null);
        clock.set(Instant.parse("2022-02-04T19:00:00Z"));

        List<Finding> findings = findings(connect(Map.of("server.name", "vbr01")));

        // AD Backup: running, succeeded 12 h ago; Exchange Backup: ended with warnings in February 2021,
        // its restore point is a year old; Oracle Backup: running for 20 min, no success on record yet
        assertThat(findings).extracting(Finding::key, Finding::severity, Finding::state).containsExactly(
                org.assertj.core.groups.Tuple.tuple("veeam:vbr01:job:" + ad + ":stale-backup", Severity.INFO,
                        FindingState.CLEARED),
                org.assertj.core.groups.Tuple.tuple("veeam:vbr01:job:" + exchange + ":backup-failure", Severity.MEDIUM,
                        FindingState.PRESENT),
                org.assertj.core.groups.Tuple.tuple("veeam:vbr01:job:" + exchange + ":stale-backup", Severity.HIGH,
                        FindingState.PRESENT));
        Finding warning = findings.get(1);
        assertThat(warning.firstSeen()).isEqualTo(Instant.parse("2021-02-20T03:53:17.747Z"));
        assertThat(warning.evidence()).containsEntry("jobName", "Exchange Backup").containsEntry("status", "inactive")
                .containsEntry("repositoryName", "Default Backup Repository").containsEntry("workload", "vm")
                .containsEntry("sessionId", "4c5f14a6-b883-4b83-891a-d520809e4284");
        assertThat(VBR.findAll(getRequestedFor(urlPathEqualTo(SESSIONS_PATH))))
                .extracting(r -> r.queryParameter("jobIdFilter").firstValue()).containsOnly(ad, oracle);
    }

    @Test
    void protectedVirtualMachinesBecomeAssetsAndContainersDoNot() {
        List<String[]> vms = List.<String[]>of(new String[] {"vcenter01.tech.local", "filesrv02", "vm-45006"});
        String job = job("ef1f0227-80e1-40f8-b2a2-5119172d2c36", "Backup Job 2", vms).replace("\"includes\":[",
                "\"includes\":[{\"inventoryObject\":{\"type\":\"Host\",\"hostName\":\"vcenter01.tech.local\","
                        + "\"name\":\"esx01\",\"objectId\":\"host-10\"}},");
        String body = result(List.of(job), 1, 0, 10);
        VBR.stubFor(get(urlPathEqualTo(JOBS_PATH)).willReturn(json(200, body)));

        Page<Asset> page = connect(Map.of()).capability(AssetSource.class).orElseThrow()
                .readAssets(new ReadRequest(null, Map.of(), 10));

        assertThat(page.items()).hasSize(1);
        Asset vm = page.items().get(0);
        assertThat(vm.ref().id()).isEqualTo("vcenter01.tech.local/vm-45006");
        assertThat(vm.name()).isEqualTo("filesrv02");
        assertThat(vm.identity().vendorIds()).containsEntry("veeam.inventoryObject", "vcenter01.tech.local/vm-45006");
        assertThat(vm.attributes()).containsEntry("protectedByJobName", "Backup Job 2")
                .containsEntry("inventoryType", "VirtualMachine");
        assertThat(page.hasMore()).isFalse();
        LoggedRequest jobs = VBR.findAll(getRequestedFor(urlPathEqualTo(JOBS_PATH))).get(0);
        assertThat(jobs.queryParameter("orderColumn").firstValue()).isEqualTo("Name");
        assertThat(VeeamOpenApi.assertConform("1.1-rev0", List.of(jobs))).isEqualTo(1);
    }

    @Test
    void checkConnectionReadsOneJobStateAndReportsARefusedLoginAgainstTheUsername() {
        stubPaged(VBR, STATES_PATH, List.of(jobState(JOB, "Linux backup job", "Inactive", "Success", T0)));
        assertThat(connect(Map.of()).checkConnection()).isEmpty();
        assertThat(VBR.findAll(getRequestedFor(urlPathEqualTo(STATES_PATH))).get(0).queryParameter("limit").firstValue())
                .isEqualTo("1");

        VBR.resetAll();
        VBR.stubFor(post(urlPathEqualTo(TOKEN_PATH)).willReturn(json(401,
                error("AccessDenied", "Invalid user name or password."))));
        List<ConfigProblem> problems = connect(Map.of()).checkConnection();

        assertThat(problems).extracting(ConfigProblem::key).containsExactly("username");
        assertThat(problems.get(0).message()).contains("AccessDenied").doesNotContain(PASSWORD);
    }

    @Test
    void forbiddenIsAnAuthenticationErrorAndForgetsTheToken() {
        VBR.stubFor(get(urlPathEqualTo(STATES_PATH)).willReturn(json(403, error("AccessDenied", "Access denied."))));
        Connector c = connect(Map.of());

        assertThatThrownBy(() -> findings(c)).isInstanceOf(AuthenticationException.class).hasMessageContaining("HTTP 403");
        assertThatThrownBy(() -> findings(c)).isInstanceOf(AuthenticationException.class);

        assertThat(tokenRequests()).extracting(r -> r.getBodyAsString().split("&")[0])
                .containsExactly("grant_type=password", "grant_type=refresh_token");
    }

    @Test
    void unavailableIsRetriableWithTheRetryAfterVeeamSent() {
        VBR.stubFor(get(urlPathEqualTo(STATES_PATH)).willReturn(json(503, error("ServiceUnavailable", "Busy."))
                .withHeader("Retry-After", "30")));

        assertThatThrownBy(() -> findings(connect(Map.of())))
                .isInstanceOfSatisfying(RetriableException.class,
                        e -> assertThat(e.retryAfter()).contains(Duration.ofSeconds(30)))
                .hasMessageContaining("ServiceUnavailable: Busy.");
    }

    @Test
    void aConnectionFailureIsRetriable() {
        VBR.stubFor(get(urlPathEqualTo(STATES_PATH)).willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse()
                .withFault(com.github.tomakehurst.wiremock.http.Fault.CONNECTION_RESET_BY_PEER)));

        assertThatThrownBy(() -> findings(connect(Map.of()))).isInstanceOf(RetriableException.class);
    }

    @Test
    void aForeignCursorIsADataError() {
        FindingSource source = connect(Map.of()).capability(FindingSource.class).orElseThrow();

        assertThatThrownBy(() -> source.readFindings(new ReadRequest(Cursor.of("jobs:3"), Map.of(), 10)))
                .isInstanceOf(DataMappingException.class);
    }

    @Test
    void anUnparsableRunTimeRejectsThatJobStateOnly() {
        VBR.stubFor(get(urlPathEqualTo(STATES_PATH)).willReturn(json(200, result(List.of(
                jobState(JOB, "Linux backup job", "Inactive", "Failed", T0).replace(time(T0), "yesterday")), 1, 0, 10))));

        Page<Finding> page = connect(Map.of()).capability(FindingSource.class).orElseThrow()
                .readFindings(new ReadRequest(null, Map.of(), 10));

        assertThat(page.items()).isEmpty();
        assertThat(page.rejected()).singleElement().satisfies(r -> {
            assertThat(r.vendorId()).isEqualTo(JOB);
            assertThat(r.reason()).contains("yesterday");
            assertThat(r.raw()).contains("\"lastRun\":\"yesterday\"");
        });
    }

    @Test
    void invalidPerJobRpoValuesAreReportedAgainstTheirKey() {
        VeeamConnectorFactory factory = new VeeamConnectorFactory();
        Map<String, Object> raw = new HashMap<>(config(VBR.baseUrl(), PASSWORD));
        raw.put("rpo.per.job", Map.of("SQL hourly", "often"));

        List<ConfigProblem> problems = factory.validate(factory.configDef().parse(raw).config());

        assertThat(problems).extracting(ConfigProblem::key).containsExactly("rpo.per.job.SQL hourly");
    }

    @Test
    void aVendorEchoingTheBearerTokenOfThePasswordGrantQuotesExactlyWhatTheConnectorReportedAsSent() {
        VBR.stubFor(any(anyUrl()).atPriority(10).willReturn(CredentialEcho.refusing(401)));
        VeeamConnectorFactory factory = new VeeamConnectorFactory();
        TestConnectorContext context = TestConnectorContext.of(factory, config(VBR.baseUrl(), PASSWORD), clock);
        connector = factory.create(context);

        Throwable error = catchThrowable(() -> connector.capability(FindingSource.class).orElseThrow()
                .readFindings(new ReadRequest(null, Map.of(), 10)));

        assertThat(error).isInstanceOf(AuthenticationException.class);
        CredentialEcho.assertEchoedCredentialsWereReported(error, VBR.findAll(anyRequestedFor(anyUrl())), context);
        assertThat(context.credentialsSent()).contains("Bearer access-1");
    }
}
