package org.itsmhub.sandbox.veeam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

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
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.itsmhub.api.connector.AssetSource;
import org.itsmhub.api.connector.Connector;
import org.itsmhub.api.connector.Cursor;
import org.itsmhub.api.connector.FindingSource;
import org.itsmhub.api.connector.Page;
import org.itsmhub.api.connector.ReadRequest;
import org.itsmhub.api.error.AuthenticationException;
import org.itsmhub.api.model.Asset;
import org.itsmhub.api.model.Finding;
import org.itsmhub.api.model.FindingKind;
import org.itsmhub.api.model.FindingState;
import org.itsmhub.plugin.veeam.VeeamConnectorFactory;
import org.itsmhub.plugin.veeam.dto.VeeamJob;
import org.itsmhub.plugin.veeam.dto.VeeamJobState;
import org.itsmhub.plugin.veeam.dto.VeeamResult;
import org.itsmhub.plugin.veeam.dto.VeeamSession;
import org.itsmhub.plugin.veeam.dto.VeeamToken;
import org.itsmhub.sandbox.SandboxOptions;
import org.itsmhub.sandbox.SandboxRoutes;
import org.itsmhub.testkit.docs.GeneratedDocSection;
import org.itsmhub.testkit.contract.VendorTestData;
import org.itsmhub.testkit.contract.TestConnectorContext;
import org.itsmhub.testkit.time.TestClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The real Veeam connector against the sandbox, and the sandbox's answers against Veeam's own examples. */
class VeeamSandboxTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String EXAMPLES = "examples/vbr_1.1-rev0_";
    private static final String STATES_SEED = EXAMPLES + "GET_api_v1_jobs_states_200_example.json";
    /** Of the seed: "AD Backup" and "Oracle Backup" running since 2022-02-04 18:40Z, never succeeded on record. */
    private static final String AD_JOB = "301450bc-34cd-4d2c-bfc3-8d269bb471be";
    private static final String ORACLE_JOB = "75fc491a-d158-4380-a433-ebc42a28e4df";
    /** Of the seed: "Exchange Backup", last run 2021-02-20 03:53Z ended with warnings. */
    private static final String EXCHANGE_JOB = "53b87378-7958-477d-8def-fbe6740d4b6f";

    private final TestClock clock = new TestClock(Instant.parse("2022-02-04T19:00:00Z"));
    private final HttpClient http = HttpClient.newHttpClient();
    private VeeamSandbox sandbox;
    private Connector connector;

    private VeeamSandbox start(boolean seeded) {
        SandboxOptions options = SandboxOptions.defaults();
        if (seeded) {
            options = options.withSeeds(List.of(new SandboxOptions.Seed(null, VendorTestData.path("veeam", STATES_SEED))));
        }
        sandbox = new VeeamSandbox(options, clock, VeeamSandbox.DEFAULT_USERNAME, VeeamSandbox.DEFAULT_PASSWORD);
        sandbox.start();
        return sandbox;
    }

    private Connector connect(String password, Map<String, Object> extra) {
        Map<String, Object> raw = new HashMap<>(Map.of("base.url", sandbox.baseUrl(), "username",
                VeeamSandbox.DEFAULT_USERNAME, "password", password, "server.name", "vbr01"));
        raw.putAll(extra);
        VeeamConnectorFactory factory = new VeeamConnectorFactory();
        connector = factory.create(TestConnectorContext.of(factory, raw, clock));
        return connector;
    }

    @AfterEach
    void stop() {
        if (connector != null) {
            connector.close();
        }
        if (sandbox != null) {
            sandbox.close();
        }
    }

    private List<Finding> allFindings() {
        FindingSource source = connector.capability(FindingSource.class).orElseThrow();
        List<Finding> all = new ArrayList<>();
        Cursor cursor = null;
        for (int guard = 0; guard < 50; guard++) {
            Page<Finding> page = source.readFindings(new ReadRequest(cursor, Map.of(), 2));
            all.addAll(page.items());
            cursor = page.next();
            if (!page.hasMore()) {
                return all;
            }
        }
        throw new AssertionError("paging does not end");
    }

    private static Finding find(List<Finding> findings, String jobId, FindingKind kind) {
        return findings.stream().filter(f -> f.source().id().equals(jobId) && f.kind() == kind).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " for " + jobId + " in " + findings));
    }

    private HttpResponse<String> control(String path, String body) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + path))
                .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json").build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private String login() throws IOException, InterruptedException {
        String form = "grant_type=password&username=" + URLEncoder.encode(VeeamSandbox.DEFAULT_USERNAME, StandardCharsets.UTF_8)
                + "&password=" + VeeamSandbox.DEFAULT_PASSWORD;
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + "/api/oauth2/token"))
                .header("x-api-version", "1.1-rev0").header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return JSON.readTree(r.body()).get("access_token").asText();
    }

    private HttpResponse<String> get(String pathAndQuery, String token) throws IOException, InterruptedException {
        return get(pathAndQuery, token, "1.1-rev0");
    }

    private HttpResponse<String> get(String pathAndQuery, String token, String apiVersion)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + pathAndQuery))
                .header("x-api-version", apiVersion);
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theRealConnectorReadsTheSeededJobStatesAsFindingsAndTheirMachinesAsAssets() {
        start(true);
        connect(VeeamSandbox.DEFAULT_PASSWORD, Map.of());

        List<Finding> findings = allFindings();

        // Exchange Backup ended with warnings in February 2021, its restore point is a year old: a
        // warning and stale; AD and Oracle Backup are running (no success on record, started 20 min
        // ago): nothing to say yet
        assertThat(findings).extracting(f -> f.source().id(), Finding::kind, Finding::state).containsExactlyInAnyOrder(
                tuple(EXCHANGE_JOB, FindingKind.BACKUP_FAILURE, FindingState.PRESENT),
                tuple(EXCHANGE_JOB, FindingKind.STALE_BACKUP, FindingState.PRESENT));
        assertThat(find(findings, EXCHANGE_JOB, FindingKind.BACKUP_FAILURE).title()).contains("warnings");
        List<Asset> assets = connector.capability(AssetSource.class).orElseThrow()
                .readAssets(new ReadRequest(null, Map.of(), 10)).items();
        assertThat(assets).extracting(Asset::name).containsExactlyInAnyOrder("ad-backup-vm1", "exchange-backup-vm1",
                "oracle-backup-vm1");
        assertThat(connector.checkConnection()).isEmpty();
    }

    @Test
    void theRealConnectorReadsTheSameFindingsAndMachinesWhateverRevisionItSpeaks() throws Exception {
        start(true);
        // AD Backup (running) fails now (no success on record, but not yet for one RPO: not stale); Oracle
        // Backup is still running; Exchange Backup's warning of February 2021 is a year old
        assertThat(control("/__sandbox/jobs/" + AD_JOB + "/result", "{\"result\":\"Failed\"}").statusCode()).isEqualTo(200);
        Map<String, List<Finding>> findings = new HashMap<>();
        Map<String, List<Asset>> assets = new HashMap<>();
        List<String> versions = List.of("1.1-rev0", "1.2-rev1", "1.3-rev1", "1.3-rev2");
        for (String version : versions) {
            connect(VeeamSandbox.DEFAULT_PASSWORD, Map.of("api.version", version));
            findings.put(version, allFindings());
            assets.put(version, connector.capability(AssetSource.class).orElseThrow()
                    .readAssets(new ReadRequest(null, Map.of(), 10)).items());
            assertThat(connector.checkConnection()).as(version).isEmpty();
            connector.close();
        }

        for (String version : versions) {
            assertThat(findings.get(version)).as(version).extracting(f -> f.source().id(), Finding::kind, Finding::state,
                    Finding::severity).containsExactlyInAnyOrder(
                            tuple(AD_JOB, FindingKind.BACKUP_FAILURE, FindingState.PRESENT, org.itsmhub.api.model.Severity.HIGH),
                            tuple(EXCHANGE_JOB, FindingKind.BACKUP_FAILURE, FindingState.PRESENT,
                                    org.itsmhub.api.model.Severity.MEDIUM),
                            tuple(EXCHANGE_JOB, FindingKind.STALE_BACKUP, FindingState.PRESENT,
                                    org.itsmhub.api.model.Severity.HIGH));
            assertThat(assets.get(version)).as(version).extracting(a -> a.ref().id(), Asset::name)
                    .containsExactlyInAnyOrderElementsOf(assets.get("1.1-rev0").stream()
                            .map(a -> tuple(a.ref().id(), a.name())).toList());
        }
        assertThat(assets.get("1.1-rev0")).hasSize(3);
        // the evidence quotes each revision's own forms
        assertThat(find(findings.get("1.1-rev0"), AD_JOB, FindingKind.BACKUP_FAILURE).evidence())
                .containsEntry("status", "inactive").containsEntry("jobType", "Backup").containsEntry("workload", "vm");
        assertThat(find(findings.get("1.3-rev1"), AD_JOB, FindingKind.BACKUP_FAILURE).evidence())
                .containsEntry("status", "Stopped").containsEntry("jobType", "VSphereBackup").containsEntry("workload", "Vm");
        assertThat(assets.get("1.3-rev1")).allSatisfy(a -> assertThat(a.attributes()).containsEntry("platform", "VSphere"));
        // every call carried the revision configured
        assertThat(new TreeSet<>(sandbox.wiremock().getAllServeEvents().stream()
                .filter(e -> e.getRequest().getUrl().startsWith("/api/"))
                .map(e -> String.valueOf(e.getRequest().getHeader("x-api-version"))).toList()))
                .containsExactlyElementsOf(new TreeSet<>(versions));
    }

    @Test
    void aJobFailedThroughTheControlApiIsAFindingAndALaterSuccessClearsIt() throws Exception {
        start(true);
        connect(VeeamSandbox.DEFAULT_PASSWORD, Map.of());

        assertThat(control("/__sandbox/jobs/" + EXCHANGE_JOB + "/result", "{\"result\":\"Failed\"}").statusCode()).isEqualTo(200);
        Finding failed = find(allFindings(), EXCHANGE_JOB, FindingKind.BACKUP_FAILURE);
        assertThat(failed.state()).isEqualTo(FindingState.PRESENT);
        assertThat(failed.severity()).isEqualTo(org.itsmhub.api.model.Severity.HIGH);
        assertThat(failed.key()).isEqualTo("veeam:vbr01:job:" + EXCHANGE_JOB + ":backup-failure");
        // the failed run looked up the newest session that left a restore point: the seeded one of
        // 2021-02-20 (result Warning), still stale
        Finding stale = find(allFindings(), EXCHANGE_JOB, FindingKind.STALE_BACKUP);
        assertThat(stale.state()).isEqualTo(FindingState.PRESENT);
        assertThat(stale.evidence()).containsEntry("lastSuccess", "2021-02-20T03:53:17.747Z");

        clock.advance(Duration.ofMinutes(30));
        control("/__sandbox/jobs/" + EXCHANGE_JOB + "/result", "{\"result\":\"Success\"}");
        List<Finding> after = allFindings();

        assertThat(find(after, EXCHANGE_JOB, FindingKind.BACKUP_FAILURE).state()).isEqualTo(FindingState.CLEARED);
        assertThat(find(after, EXCHANGE_JOB, FindingKind.STALE_BACKUP).state()).isEqualTo(FindingState.CLEARED);
    }

    @Test
    void aBackupGoesStaleOnTheClockWithoutAnyFailure() throws Exception {
        start(false);
        HttpResponse<String> created = control("/__sandbox/jobs", "{\"name\":\"SQL hourly\",\"objectsCount\":1}");
        String id = JSON.readTree(created.body()).get("id").asText();
        control("/__sandbox/jobs/" + id + "/result", "{\"result\":\"Success\"}");
        connect(VeeamSandbox.DEFAULT_PASSWORD, Map.of("rpo.per.job", Map.of("SQL hourly", "2h")));
        assertThat(find(allFindings(), id, FindingKind.STALE_BACKUP).state()).isEqualTo(FindingState.CLEARED);

        clock.advance(Duration.ofHours(3));
        Finding stale = find(allFindings(), id, FindingKind.STALE_BACKUP);
        assertThat(stale.state()).isEqualTo(FindingState.PRESENT);

        control("/__sandbox/jobs/" + id + "/result", "{\"result\":\"Success\"}");
        assertThat(find(allFindings(), id, FindingKind.STALE_BACKUP).state()).isEqualTo(FindingState.CLEARED);
    }

    @Test
    void theConnectorPagesThroughManyJobsAndRefreshesItsTokenOnTheClock() throws Exception {
        start(false);
        for (int i = 0; i < 5; i++) {
            String id = JSON.readTree(control("/__sandbox/jobs", "{\"name\":\"Job " + i + "\"}").body()).get("id").asText();
            control("/__sandbox/jobs/" + id + "/result", "{\"result\":\"Failed\"}");
        }
        connect(VeeamSandbox.DEFAULT_PASSWORD, Map.of());

        assertThat(allFindings()).filteredOn(f -> f.kind() == FindingKind.BACKUP_FAILURE).hasSize(5);
        clock.advance(Duration.ofMinutes(59).plusSeconds(30)); // inside the refresh margin of the 60-minute token
        assertThat(allFindings()).filteredOn(f -> f.kind() == FindingKind.BACKUP_FAILURE).hasSize(5);

        List<String> grants = sandbox.wiremock().getAllServeEvents().stream()
                .filter(e -> e.getRequest().getUrl().startsWith("/api/oauth2/token"))
                .map(e -> e.getRequest().getBodyAsString().split("&")[0]).toList();
        assertThat(grants).containsExactlyInAnyOrder("grant_type=password", "grant_type=refresh_token");
        assertThat(sandbox.wiremock().getAllServeEvents()).filteredOn(e -> e.getRequest().getUrl().startsWith("/api/v1/jobs/states"))
                .extracting(e -> e.getRequest().queryParameter("skip").firstValue())
                .containsExactlyInAnyOrder("0", "2", "4", "0", "2", "4");
    }

    @Test
    void aTokenTheServerExpiredIsRefusedOnceThenTheConnectorRefreshes() throws Exception {
        start(true);
        connect(VeeamSandbox.DEFAULT_PASSWORD, Map.of());
        allFindings();

        control("/__sandbox/tokens/expire", "{}");
        assertThatThrownBy(this::allFindings).isInstanceOf(AuthenticationException.class).hasMessageContaining("ExpiredToken");

        assertThat(allFindings()).isNotEmpty();
    }

    @Test
    void wrongCredentialsGetVeeamsUnauthorizedBody() throws Exception {
        start(true);
        connect("wrong-password", Map.of());

        assertThatThrownBy(this::allFindings).isInstanceOf(AuthenticationException.class)
                .hasMessageContaining("HTTP 401").hasMessageContaining("AccessDenied").hasMessageNotContaining("wrong-password");
        HttpResponse<String> noToken = get("/api/v1/jobs/states", null);
        assertThat(noToken.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(noToken.body()).get("errorCode").asText()).isEqualTo("AccessDenied");
    }

    @Test
    void requestsWithoutTheApiVersionOrWithAnUnknownSortAreRejectedAsVeeamDoes() throws Exception {
        start(true);
        String token = login();

        HttpResponse<String> noVersion = http.send(HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + "/api/v1/jobs"))
                .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(noVersion.statusCode()).isEqualTo(400);
        assertThat(get("/api/v1/jobs/states?orderColumn=Colour", token).statusCode()).isEqualTo(400);
        assertThat(get("/api/v1/nothing", token).statusCode()).isEqualTo(404);
    }

    @Test
    void theSandboxAnswersDecodeWithThePluginsDtosAndCarryTheFieldsOfVeeamsExamples() throws Exception {
        start(true);
        String token = login();

        JsonNode states = JSON.readTree(get("/api/v1/jobs/states?skip=0&limit=10&orderColumn=Name&orderAsc=true", token).body());
        JsonNode statesExample = JSON.readTree(VendorTestData.read("veeam", STATES_SEED));
        assertThat(states.get("data")).isEqualTo(statesExample.get("data"));
        assertThat(fields(states.get("pagination"))).containsAll(fields(statesExample.get("pagination")));
        VeeamResult<VeeamJobState> decodedStates = JSON.readValue(states.toString(), new TypeReference<>() { });
        assertThat(decodedStates.items()).extracting(VeeamJobState::id).containsExactly(AD_JOB, EXCHANGE_JOB, ORACLE_JOB);

        JsonNode sessions = JSON.readTree(get("/api/v1/sessions?skip=0&limit=10&orderColumn=CreationTime&orderAsc=false", token).body());
        JsonNode sessionsExample = JSON.readTree(VendorTestData.read("veeam", EXAMPLES + "GET_api_v1_sessions_200_example.json"));
        assertThat(fields(sessions.get("data").get(0))).containsAll(fields(sessionsExample.get("data").get(0)));
        assertThat(fields(sessions.get("data").get(0).get("result"))).containsAll(fields(sessionsExample.get("data").get(0).get("result")));
        assertThat(fields(sessions.get("pagination"))).containsAll(fields(sessionsExample.get("pagination")));
        VeeamResult<VeeamSession> decodedSessions = JSON.readValue(sessions.toString(), new TypeReference<>() { });
        // the running jobs have no finished run yet; 1.1 has no jobId (it came with 1.2)
        assertThat(decodedSessions.items()).extracting(VeeamSession::name, VeeamSession::jobId)
                .containsExactly(tuple("Exchange Backup", null));

        JsonNode jobs = JSON.readTree(get("/api/v1/jobs?skip=0&limit=10&orderColumn=Name&orderAsc=true", token).body());
        JsonNode jobsExample = JSON.readTree(VendorTestData.read("veeam", EXAMPLES + "GET_api_v1_jobs_200_example.json"));
        JsonNode job = jobs.get("data").get(0);
        JsonNode jobExample = jobsExample.get("data").get(0);
        assertThat(fields(job)).containsAll(Set.of("type", "id", "name", "description", "isDisabled", "isHighPriority",
                "virtualMachines"));
        assertThat(fields(job.at("/virtualMachines/includes/0/inventoryObject")))
                .containsAll(fields(jobExample.at("/virtualMachines/includes/0/inventoryObject")));
        VeeamResult<VeeamJob> decodedJobs = JSON.readValue(jobs.toString(), new TypeReference<>() { });
        assertThat(decodedJobs.items().get(0).includedObjects()).hasSize(1);

        String form = "grant_type=password&username=" + URLEncoder.encode(VeeamSandbox.DEFAULT_USERNAME, StandardCharsets.UTF_8)
                + "&password=" + VeeamSandbox.DEFAULT_PASSWORD;
        JsonNode tokenAnswer = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + "/api/oauth2/token"))
                .header("x-api-version", "1.1-rev0").POST(HttpRequest.BodyPublishers.ofString(form)).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        JsonNode tokenExample = JSON.readTree(VendorTestData.read("veeam", EXAMPLES + "POST_api_oauth2_token_200_example.json"));
        assertThat(fields(tokenAnswer)).isEqualTo(fields(tokenExample));
        assertThat(JSON.readValue(tokenAnswer.toString(), VeeamToken.class).expiresIn()).isEqualTo(3600L);
    }

    @Test
    void answersInTheFormsOfTheRevisionTheRequestNames() throws Exception {
        start(true);
        String token = login();
        Map<String, JsonNode> states = new HashMap<>();
        Map<String, JsonNode> sessions = new HashMap<>();
        Map<String, JsonNode> jobs = new HashMap<>();
        for (String version : List.of("1.1-rev0", "1.2-rev1", "1.3-rev1", "1.3-rev2")) {
            states.put(version, JSON.readTree(get("/api/v1/jobs/states?orderColumn=Name", token, version).body())
                    .get("data"));
            sessions.put(version, JSON.readTree(get("/api/v1/sessions", token, version).body()).at("/data/0"));
            jobs.put(version, JSON.readTree(get("/api/v1/jobs?orderColumn=Name", token, version).body()).at("/data/0"));
        }

        // the seed is in 1.1-rev0's forms; 1.2-rev1 keeps them, 1.3 capitalises and renames
        for (String old : List.of("1.1-rev0", "1.2-rev1")) {
            assertThat(states.get(old)).as(old).extracting(n -> n.get("status").asText(), n -> n.get("type").asText(),
                    n -> n.get("workload").asText()).containsExactly(tuple("running", "Backup", "vm"),
                            tuple("inactive", "Backup", "vm"), tuple("running", "Backup", "application"));
            assertThat(states.get(old).get(0).has("highPriority")).as(old).isFalse();
            assertThat(jobs.get(old).get("type").asText()).as(old).isEqualTo("Backup");
        }
        for (String newest : List.of("1.3-rev1", "1.3-rev2")) {
            assertThat(states.get(newest)).as(newest).extracting(n -> n.get("status").asText(),
                    n -> n.get("type").asText(), n -> n.get("workload").asText()).containsExactly(
                            tuple("Running", "VSphereBackup", "Vm"), tuple("Inactive", "VSphereBackup", "Vm"),
                            tuple("Running", "VSphereBackup", "Application"));
            // required from 1.3 on
            assertThat(states.get(newest)).allSatisfy(n -> assertThat(fields(n)).contains("highPriority", "progressPercent"));
            assertThat(jobs.get(newest).get("type").asText()).isEqualTo("VSphereBackup");
            assertThat(jobs.get(newest).at("/virtualMachines/includes/0/platform").asText()).isEqualTo("VSphere");
        }

        assertThat(sessions.get("1.1-rev0").get("sessionType").asText()).isEqualTo("Job");
        assertThat(fields(sessions.get("1.1-rev0"))).contains("activityId").doesNotContain("jobId", "initiatedBy");
        assertThat(sessions.get("1.2-rev1").get("sessionType").asText()).isEqualTo("BackupJob");
        assertThat(fields(sessions.get("1.2-rev1"))).contains("jobId").doesNotContain("activityId", "initiatedBy");
        assertThat(sessions.get("1.3-rev1").get("sessionType").asText()).isEqualTo("BackupJob");
        assertThat(fields(sessions.get("1.3-rev1"))).contains("jobId", "initiatedBy").doesNotContain("activityId");

        // 1.1 nests each VM as inventoryObject; 1.2 on list it flat with its platform
        assertThat(jobs.get("1.1-rev0").at("/virtualMachines/includes/0/inventoryObject/objectId").asText())
                .startsWith("vm-");
        assertThat(jobs.get("1.2-rev1").at("/virtualMachines/includes/0/platform").asText()).isEqualTo("VMware");
        assertThat(jobs.get("1.2-rev1").at("/virtualMachines/includes/0/objectId").asText()).startsWith("vm-");
        assertThat(jobs.get("1.2-rev1").at("/virtualMachines/includes/0").has("inventoryObject")).isFalse();
    }

    @Test
    void aJobThatRanThroughTheControlApiEndsInAStatusOfTheRequestedRevision() throws Exception {
        start(true);
        String token = login();
        assertThat(control("/__sandbox/jobs/" + AD_JOB + "/result", "{\"result\":\"Failed\"}").statusCode()).isEqualTo(200);
        assertThat(control("/__sandbox/jobs", "{\"name\":\"SQL hourly\"}").statusCode()).isEqualTo(201);

        JsonNode old = JSON.readTree(get("/api/v1/jobs/states?orderColumn=Name", token, "1.1-rev0").body()).get("data");
        JsonNode newest = JSON.readTree(get("/api/v1/jobs/states?orderColumn=Name", token, "1.3-rev1").body()).get("data");

        assertThat(old).extracting(n -> n.get("name").asText(), n -> n.get("status").asText())
                .contains(tuple("AD Backup", "inactive"), tuple("SQL hourly", "inactive"));
        assertThat(old).filteredOn(n -> n.get("name").asText().equals("SQL hourly"))
                .extracting(n -> n.get("type").asText() + "/" + n.get("workload").asText()).containsExactly("Backup/vm");
        assertThat(newest).extracting(n -> n.get("name").asText(), n -> n.get("status").asText())
                .contains(tuple("AD Backup", "Stopped"), tuple("SQL hourly", "Inactive"));
        assertThat(JSON.readTree(get("/api/v1/jobs/states?statusFilter=inactive", token, "1.1-rev0").body())
                .at("/pagination/total").asInt()).isEqualTo(3);
    }

    @Test
    void anUnsupportedRevisionIsRefusedNamingTheOnesServedAndSortColumnsFollowTheRevision() throws Exception {
        start(true);
        String token = login();

        for (String version : List.of("1.0-rev2", "1.4-rev0", "latest")) {
            HttpResponse<String> refused = get("/api/v1/jobs/states", token, version);
            assertThat(refused.statusCode()).as(version).isEqualTo(400);
            JsonNode body = JSON.readTree(refused.body());
            assertThat(body.get("errorCode").asText()).isEqualTo("BadRequest");
            assertThat(body.get("message").asText()).startsWith("Unsupported RESTAPI version. The following versions "
                    + "are supported: v1.1-rev0, v1.1-rev1, v1.1-rev2, v1.2-rev0").contains("v1.3-rev2");
        }
        HttpResponse<String> tokenRefused = http.send(HttpRequest.newBuilder(URI.create(sandbox.baseUrl()
                + "/api/oauth2/token")).header("x-api-version", "1.0-rev1").POST(HttpRequest.BodyPublishers.ofString(
                        "grant_type=password")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(tokenRefused.statusCode()).isEqualTo(400);

        assertThat(get("/api/v1/sessions?orderColumn=InitiatedBy", token, "1.1-rev0").statusCode()).isEqualTo(400);
        assertThat(get("/api/v1/jobs/states?orderColumn=AfterJobName", token, "1.2-rev1").statusCode()).isEqualTo(400);
        assertThat(get("/api/v1/sessions?orderColumn=InitiatedBy", token, "1.3-rev1").statusCode()).isEqualTo(200);
        assertThat(get("/api/v1/jobs/states?orderColumn=AfterJobName", token, "1.3-rev2").statusCode()).isEqualTo(200);
        assertThat(get("/api/v1/jobs/states", token, "1.1-rev2").statusCode()).as("a revision without a spec in hand")
                .isEqualTo(200);
    }

    @Test
    void generatedMachinesAreNamedLikeVcenterMachinesAsTheConnectorPageSays() throws Exception {
        start(false);
        control("/__sandbox/jobs", "{\"name\":\"Filesrv Nightly\",\"objectsCount\":2}");

        JsonNode includes = JSON.readTree(get("/api/v1/jobs?nameFilter=Filesrv*", login()).body())
                .at("/data/0/virtualMachines/includes");

        List<String> names = new ArrayList<>();
        includes.forEach(i -> names.add(i.at("/inventoryObject/name").asText()));
        assertThat(names).containsExactly("filesrv-nightly-vm1", "filesrv-nightly-vm2");
        String realExample = JSON.readTree(VendorTestData.read("veeam", EXAMPLES + "GET_api_v1_jobs_200_example.json"))
                .at("/data/0/virtualMachines/includes/0/inventoryObject/name").asText();
        assertThat(realExample).matches("[a-z0-9-]+");
        assertThat(names).as("shaped like Veeam's own " + realExample).allMatch(n -> n.matches("[a-z0-9-]+"));
        assertThat(Files.readString(Path.of("../../docs/connectors/veeam.md"))).contains("`filesrv-nightly-vm1`")
                .contains("`Filesrv Nightly`").doesNotContain("<job-name>-vmN");
    }

    @Test
    void theListsHonourTheTypeStatusAndDateFiltersOfTheSpec() throws Exception {
        start(true);
        String token = login();

        JsonNode running = JSON.readTree(get("/api/v1/jobs/states?statusFilter=running", token).body());
        assertThat(running.get("data")).extracting(n -> n.get("id").asText()).containsExactlyInAnyOrder(AD_JOB, ORACLE_JOB);
        assertThat(running.at("/pagination/total").asInt()).isEqualTo(2);
        assertThat(JSON.readTree(get("/api/v1/jobs/states?typeFilter=Backup&workloadFilter=vm", token).body())
                .get("data")).extracting(n -> n.get("id").asText()).containsExactlyInAnyOrder(AD_JOB, EXCHANGE_JOB);
        assertThat(JSON.readTree(get("/api/v1/jobs/states?typeFilter=Replica", token).body())
                .at("/pagination/total").asInt()).isZero();
        assertThat(JSON.readTree(get("/api/v1/jobs/states?lastRunAfterFilter=2022-01-01T00:00:00Z", token).body())
                .get("data")).extracting(n -> n.get("id").asText()).containsExactlyInAnyOrder(AD_JOB, ORACLE_JOB);
        assertThat(JSON.readTree(get("/api/v1/jobs?typeFilter=Replica", token).body()).at("/pagination/total").asInt())
                .isZero();

        assertThat(JSON.readTree(get("/api/v1/sessions?createdBeforeFilter=2021-01-01T00:00:00Z", token).body())
                .at("/pagination/total").asInt()).isZero();
        assertThat(JSON.readTree(get("/api/v1/sessions?endedAfterFilter=2021-01-01T00:00:00Z&stateFilter=Stopped"
                + "&typeFilter=Job", token).body()).at("/pagination/total").asInt()).isEqualTo(1);
        assertThat(get("/api/v1/sessions?endedAfterFilter=yesterday", token).statusCode()).isEqualTo(400);
        assertThat(get("/api/v1/jobs/states?lastRunBeforeFilter=yesterday&nameFilter=nothing-matches", token).statusCode())
                .isEqualTo(400);
    }

    @Test
    void timesAreWrittenAsVbrWritesThemWithSecondsAnOffsetAndAtMostSevenFractionalDigits() throws Exception {
        start(true);
        clock.set(Instant.parse("2022-02-04T19:00:00Z"));
        String form = "grant_type=password&username=" + URLEncoder.encode(VeeamSandbox.DEFAULT_USERNAME, StandardCharsets.UTF_8)
                + "&password=" + VeeamSandbox.DEFAULT_PASSWORD;
        JsonNode token = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + "/api/oauth2/token"))
                .header("x-api-version", "1.1-rev0").POST(HttpRequest.BodyPublishers.ofString(form)).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        clock.set(Instant.parse("2022-02-04T19:05:00.741703966Z"));
        JsonNode ran = JSON.readTree(control("/__sandbox/jobs/" + EXCHANGE_JOB + "/result", "{\"result\":\"Failed\"}").body());

        // the shapes of Veeam's own examples: ".issued": "2022-04-24T14:24:18+01:00", "lastRun": "2021-02-20T06:53:17.747+03:00"
        assertThat(token.get(".issued").asText()).isEqualTo("2022-02-04T19:00:00+00:00");
        assertThat(token.get(".expires").asText()).isEqualTo("2022-02-04T20:00:00+00:00");
        assertThat(ran.get("lastRun").asText()).isEqualTo("2022-02-04T19:05:00.7417039+00:00");
        assertThat(VeeamSandbox.time(Instant.parse("2021-02-20T03:53:17.7470Z"))).isEqualTo("2021-02-20T03:53:17.747+00:00");
    }

    @Test
    void theSandboxPageListsExactlyTheEndpointsThisSandboxServes() {
        GeneratedDocSection.check(Path.of("../../docs/sandbox.md"), SandboxRoutes.docsStartMarker("veeam"),
                SandboxRoutes.docsEndMarker("veeam"), start(false).routes().markdownTable());
    }

    private static Set<String> fields(JsonNode node) {
        Set<String> names = new TreeSet<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }
}
