package org.itsmhub.sandbox.clients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.itsmhub.generated.veeam.ApiClient;
import org.itsmhub.generated.veeam.ApiException;
import org.itsmhub.generated.veeam.api.JobsApi;
import org.itsmhub.generated.veeam.api.LoginApi;
import org.itsmhub.generated.veeam.api.SessionsApi;
import org.itsmhub.generated.veeam.model.BackupJobModel;
import org.itsmhub.generated.veeam.model.EJobStatesFiltersOrderColumn;
import org.itsmhub.generated.veeam.model.EJobStatus;
import org.itsmhub.generated.veeam.model.EJobType;
import org.itsmhub.generated.veeam.model.EJobWorkload;
import org.itsmhub.generated.veeam.model.ELoginGrantType;
import org.itsmhub.generated.veeam.model.ESessionResult;
import org.itsmhub.generated.veeam.model.ESessionState;
import org.itsmhub.generated.veeam.model.ESessionType;
import org.itsmhub.generated.veeam.model.Error;
import org.itsmhub.generated.veeam.model.JobStateModel;
import org.itsmhub.generated.veeam.model.JobStatesResult;
import org.itsmhub.generated.veeam.model.JobsResult;
import org.itsmhub.generated.veeam.model.SessionModel;
import org.itsmhub.generated.veeam.model.TokenModel;
import org.itsmhub.generated.veeam.model.VmwareObjectSizeModel;
import org.itsmhub.sandbox.SandboxOptions;
import org.itsmhub.sandbox.veeam.VeeamSandbox;
import org.itsmhub.testkit.contract.VendorTestData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;

/**
 * The Veeam sandbox driven over https by a client openapi-generator made from Veeam's published VBR REST
 * document ({@code testdata/veeam/spec/vbr_rest_1.1-rev0.json}), unpatched: what it sends is what the spec
 * says, and what the sandbox answers must read as the spec describes it.
 */
class VeeamOpenApiClientTest {

    /** The revision of the spec the client was generated from; the spec's default for {@code x-api-version}. */
    private static final String API_VERSION = "1.1-rev0";
    private static final String STATES_SEED = "examples/vbr_1.1-rev0_GET_api_v1_jobs_states_200_example.json";
    /** Of the seed: "AD Backup", running, never finished on record. */
    private static final UUID AD_JOB = UUID.fromString("301450bc-34cd-4d2c-bfc3-8d269bb471be");
    /** Of the seed: "Exchange Backup", inactive, its last run (session 4c5f14a6-…) ended with warnings. */
    private static final UUID EXCHANGE_JOB = UUID.fromString("53b87378-7958-477d-8def-fbe6740d4b6f");
    private static final UUID EXCHANGE_SESSION = UUID.fromString("4c5f14a6-b883-4b83-891a-d520809e4284");

    @TempDir
    Path tls;

    private HttpsSandbox<VeeamSandbox> https;
    private ApiClient client;
    private volatile String accessToken;

    @BeforeEach
    void start() {
        https = HttpsSandbox.start(
                options -> new VeeamSandbox(options, Clock.systemUTC(), VeeamSandbox.DEFAULT_USERNAME,
                        VeeamSandbox.DEFAULT_PASSWORD),
                SandboxOptions.defaults().withSeeds(List.of(
                        new SandboxOptions.Seed(null, VendorTestData.path("veeam", STATES_SEED)))),
                tls);
        client = new ApiClient();
        client.setHttpClientBuilder(HttpClient.newBuilder().sslContext(https.sslContext()));
        client.updateBaseUri(https.baseUrl());
        // the native library has no auth of its own; an API object copies the interceptor when it is made
        client.setRequestInterceptor(request -> {
            if (accessToken != null) {
                request.header("Authorization", "Bearer " + accessToken);
            }
        });
    }

    @AfterEach
    void stop() {
        https.close();
    }

    /** The password grant; every later call carries the bearer token. */
    private TokenModel logIn() throws ApiException {
        TokenModel token = new LoginApi(client).createToken(API_VERSION, ELoginGrantType.PASSWORD,
                VeeamSandbox.DEFAULT_USERNAME, VeeamSandbox.DEFAULT_PASSWORD, null, null, null, null);
        useToken(token.getAccessToken());
        return token;
    }

    private void useToken(String token) {
        accessToken = token;
    }

    private List<LoggedRequest> journal(String method, String path) {
        List<LoggedRequest> out = new ArrayList<>();
        https.sandbox().wiremock().getAllServeEvents().forEach(e -> {
            LoggedRequest r = e.getRequest();
            if (r.getMethod().getName().equals(method) && URI.create(r.getUrl()).getPath().equals(path)) {
                out.add(0, r);
            }
        });
        return out;
    }

    private HttpResponse<String> control(String path, String json) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().sslContext(https.sslContext()).build();
        return http.send(HttpRequest.newBuilder(URI.create(https.baseUrl() + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void logsInWithThePasswordGrantAndTheRequiredApiVersionHeader() throws Exception {
        TokenModel token = logIn();

        assertThat(token.getAccessToken()).isNotBlank();
        assertThat(token.getRefreshToken()).isNotBlank();
        assertThat(token.getTokenType()).isEqualToIgnoringCase("bearer");
        assertThat(token.getExpiresIn()).isEqualTo(3600);
        assertThat(token.getExpires()).isAfter(token.getIssued());

        LoggedRequest sent = journal("POST", "/api/oauth2/token").get(0);
        assertThat(sent.getAbsoluteUrl()).startsWith("https://127.0.0.1:");
        assertThat(sent.getHeader("x-api-version")).isEqualTo(API_VERSION);
        assertThat(sent.getHeader("Content-Type")).startsWith("application/x-www-form-urlencoded");
        assertThat(sent.getBodyAsString()).contains("grant_type=password", "username=sandbox%5Chub",
                "password=sandbox-password");
    }

    @Test
    void listsJobStatesAndJobsAsTheSpecDescribesThem() throws Exception {
        logIn();
        JobsApi jobs = new JobsApi(client);

        JobStatesResult states = jobs.getAllJobsStates(API_VERSION, null, null, EJobStatesFiltersOrderColumn.NAME,
                true, null, null, null, null, null, null, null, null, null, null, null);
        JobsResult list = jobs.getAllJobs(API_VERSION, null, null, null, null, null, null);

        assertThat(states.getData()).extracting(JobStateModel::getName)
                .containsExactly("AD Backup", "Exchange Backup", "Oracle Backup");
        assertThat(states.getData()).extracting(JobStateModel::getType).containsOnly(EJobType.BACKUP);
        assertThat(states.getData()).extracting(JobStateModel::getStatus)
                .containsExactly(EJobStatus.RUNNING, EJobStatus.INACTIVE, EJobStatus.RUNNING);
        assertThat(states.getData()).extracting(JobStateModel::getWorkload)
                .containsExactly(EJobWorkload.VM, EJobWorkload.VM, EJobWorkload.APPLICATION);
        assertThat(states.getData()).extracting(JobStateModel::getLastResult)
                .containsExactly(ESessionResult.NONE, ESessionResult.WARNING, ESessionResult.NONE);
        assertThat(states.getData().get(1).getSessionId()).isEqualTo(EXCHANGE_SESSION);
        assertThat(states.getPagination().getTotal()).isEqualTo(3);
        assertThat(states.getPagination().getCount()).isEqualTo(3);

        // Generated from the spec, BackupJobModel lacks JobModel's id and name (openapi-generator drops the
        // allOf parent that itself lists BackupJobModel in oneOf), so the jobs are told apart by their VMs.
        assertThat(list.getData()).hasSize(3);
        assertThat(list.getData()).extracting(BackupJobModel::getIsHighPriority).containsOnly(false);
        assertThat(list.getData()).flatExtracting(j -> j.getVirtualMachines().getIncludes())
                .extracting(VmwareObjectSizeModel::getInventoryObject)
                .extracting(vm -> vm.getName() + "@" + vm.getHostName())
                .containsExactlyInAnyOrder("ad-backup-vm1@vcenter.sandbox.local",
                        "exchange-backup-vm1@vcenter.sandbox.local", "oracle-backup-vm1@vcenter.sandbox.local");

        LoggedRequest sent = journal("GET", "/api/v1/jobs/states").get(0);
        assertThat(sent.getHeader("Authorization")).startsWith("Bearer sbx-access-");
        assertThat(sent.getHeader("x-api-version")).isEqualTo(API_VERSION);
        assertThat(sent.queryParameter("orderColumn").firstValue()).isEqualTo("Name");
        assertThat(sent.queryParameter("orderAsc").firstValue()).isEqualTo("true");
        assertThat(journal("GET", "/api/v1/jobs")).hasSize(1);
    }

    @Test
    void pagesThroughJobStatesWithSkipAndLimit() throws Exception {
        logIn();
        JobsApi jobs = new JobsApi(client);
        List<UUID> seen = new ArrayList<>();
        int pages = 0;
        for (int skip = 0;; skip += 2) {
            JobStatesResult page = jobs.getAllJobsStates(API_VERSION, skip, 2, EJobStatesFiltersOrderColumn.NAME,
                    true, null, null, null, null, null, null, null, null, null, null, null);
            pages++;
            page.getData().forEach(j -> seen.add(j.getId()));
            assertThat(page.getPagination().getTotal()).isEqualTo(3);
            assertThat(page.getPagination().getCount()).isEqualTo(page.getData().size());
            assertThat(page.getPagination().getSkip()).isEqualTo(skip);
            assertThat(page.getPagination().getLimit()).isEqualTo(2);
            if (skip + page.getPagination().getCount() >= page.getPagination().getTotal()) {
                break;
            }
        }

        assertThat(pages).isEqualTo(2);
        assertThat(seen).doesNotHaveDuplicates().hasSize(3).contains(AD_JOB, EXCHANGE_JOB);
        assertThat(journal("GET", "/api/v1/jobs/states"))
                .extracting(r -> r.queryParameter("skip").firstValue() + "/" + r.queryParameter("limit").firstValue())
                .containsExactly("0/2", "2/2");
    }

    @Test
    void readsTheSessionOfTheLastRunOfAJob() throws Exception {
        logIn();
        SessionsApi sessions = new SessionsApi(client);

        List<SessionModel> all = sessions.getAllSessions(API_VERSION, null, null, null, null, null, null, null, null,
                null, null, null, null, null).getData();

        assertThat(all).extracting(SessionModel::getId).containsExactly(EXCHANGE_SESSION);
        SessionModel session = all.get(0);
        assertThat(session.getName()).isEqualTo("Exchange Backup");
        assertThat(session.getState()).isEqualTo(ESessionState.STOPPED);
        assertThat(session.getResult().getResult()).isEqualTo(ESessionResult.WARNING);
        assertThat(session.getActivityId()).isNotNull();
        assertThat(session.getUsn()).isNotNull();
        assertThat(session.getCreationTime()).isNotNull();
        assertThat(session.getSessionType()).isEqualTo(ESessionType.JOB);
        assertThat(journal("GET", "/api/v1/sessions")).hasSize(1);
    }

    @Test
    void seesAJobResultSetThroughTheSandboxControlApi() throws Exception {
        logIn();
        HttpResponse<String> ran = control("/__sandbox/jobs/" + AD_JOB + "/result", "{\"result\":\"Failed\"}");
        assertThat(ran.statusCode()).isEqualTo(200);

        JobStateModel state = new JobsApi(client).getAllJobsStates(API_VERSION, null, null, null, null, AD_JOB,
                null, null, null, null, null, null, null, null, null, null).getData().get(0);
        List<SessionModel> failed = new SessionsApi(client).getAllSessions(API_VERSION, null, null, null, null, null,
                null, null, null, null, null, null, ESessionResult.FAILED, AD_JOB).getData();

        assertThat(state.getLastResult()).isEqualTo(ESessionResult.FAILED);
        assertThat(state.getLastRun()).isNotNull();
        assertThat(failed).extracting(SessionModel::getId).containsExactly(state.getSessionId());
        assertThat(failed.get(0).getResult().getResult()).isEqualTo(ESessionResult.FAILED);
        assertThat(failed.get(0).getCreationTime().toInstant()).isEqualTo(state.getLastRun().toInstant());
        assertThat(state.getStatus()).isEqualTo(EJobStatus.INACTIVE);
        LoggedRequest sent = journal("GET", "/api/v1/sessions").get(0);
        assertThat(sent.queryParameter("resultFilter").firstValue()).isEqualTo("Failed");
        assertThat(sent.queryParameter("jobIdFilter").firstValue()).isEqualTo(AD_JOB.toString());
    }

    @Test
    void seesAJobAddedThroughTheSandboxControlApi() throws Exception {
        logIn();
        assertThat(control("/__sandbox/jobs", "{\"name\":\"SQL hourly\"}").statusCode()).isEqualTo(201);

        JobStateModel added = new JobsApi(client).getAllJobsStates(API_VERSION, null, null, null, null, null,
                "SQL*", null, null, null, null, null, null, null, null, null).getData().get(0);

        assertThat(added.getName()).isEqualTo("SQL hourly");
        assertThat(added.getId()).isNotNull();
        assertThat(added.getLastResult()).isEqualTo(ESessionResult.NONE);
        assertThat(added.getType()).isEqualTo(EJobType.BACKUP);
        assertThat(added.getStatus()).isEqualTo(EJobStatus.INACTIVE);
        assertThat(added.getWorkload()).isEqualTo(EJobWorkload.VM);
        assertThat(journal("GET", "/api/v1/jobs/states").get(0).queryParameter("nameFilter").firstValue())
                .isEqualTo("SQL*");
    }

    @Test
    void refusesAWrongPasswordWithVeeamsErrorBody() {
        LoginApi login = new LoginApi(client);

        assertThatThrownBy(() -> login.createToken(API_VERSION, ELoginGrantType.PASSWORD,
                VeeamSandbox.DEFAULT_USERNAME, "wrong-password", null, null, null, null))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(401);
                    assertThat(e.getResponseHeaders().firstValue("Content-Type")).hasValueSatisfying(
                            ct -> assertThat(ct).startsWith("application/json"));
                    Error body = readError(e);
                    assertThat(body.getErrorCode()).isEqualTo(Error.ErrorCodeEnum.ACCESS_DENIED);
                    assertThat(body.getMessage()).isNotBlank();
                });
        assertThat(journal("POST", "/api/oauth2/token").get(0).getBodyAsString()).contains("password=wrong-password");
    }

    @Test
    void refusesACallWithoutATokenAndAnExpiredOneUntilTheRefreshGrant() throws Exception {
        JobsApi jobs = new JobsApi(client);
        assertThatThrownBy(() -> jobs.getAllJobs(API_VERSION, null, null, null, null, null, null))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(401);
                    assertThat(readError(e).getErrorCode()).isEqualTo(Error.ErrorCodeEnum.ACCESS_DENIED);
                });

        TokenModel token = logIn();
        assertThat(control("/__sandbox/tokens/expire", "{}").statusCode()).isEqualTo(204);
        assertThatThrownBy(() -> jobs.getAllJobs(API_VERSION, null, null, null, null, null, null))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(401);
                    assertThat(readError(e).getErrorCode()).isEqualTo(Error.ErrorCodeEnum.EXPIRED_TOKEN);
                });

        TokenModel refreshed = new LoginApi(client).createToken(API_VERSION, ELoginGrantType.REFRESH_TOKEN, null,
                null, token.getRefreshToken(), null, null, null);
        useToken(refreshed.getAccessToken());
        assertThat(jobs.getAllJobs(API_VERSION, null, null, null, null, null, null).getData()).hasSize(3);
        assertThat(journal("POST", "/api/oauth2/token").get(1).getBodyAsString())
                .contains("grant_type=refresh_token");
    }

    private Error readError(ApiException e) {
        try {
            return client.getObjectMapper().readValue(e.getResponseBody(), Error.class);
        } catch (IOException io) {
            throw new AssertionError("not Veeam's Error body: " + e.getResponseBody(), io);
        }
    }
}
