package org.itsmhub.plugin.veeam;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;

/** Veeam's answers in its own format, for WireMock. */
final class VeeamStubs {

    static final String TOKEN_PATH = "/api/oauth2/token";
    static final String STATES_PATH = "/api/v1/jobs/states";
    static final String JOBS_PATH = "/api/v1/jobs";
    static final String SESSIONS_PATH = "/api/v1/sessions";

    private VeeamStubs() {
    }

    static String token(String access, String refresh, long expiresIn) {
        return "{\"access_token\":\"" + access + "\",\"token_type\":\"bearer\",\"refresh_token\":\"" + refresh
                + "\",\"expires_in\":" + expiresIn + ",\".issued\":\"2025-04-24T15:24:18+02:00\","
                + "\".expires\":\"2025-04-24T15:39:18+02:00\"}";
    }

    static String error(String code, String message) {
        return "{\"errorCode\":\"" + code + "\",\"message\":\"" + message + "\"}";
    }

    /** The password grant answers with {@code access}; any other grant is not stubbed. */
    static void stubLogin(WireMockExtension vendor, String access, String refresh, long expiresIn) {
        vendor.stubFor(post(urlPathEqualTo(TOKEN_PATH)).withRequestBody(containing("grant_type=password"))
                .willReturn(json(200, token(access, refresh, expiresIn))));
    }

    static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body);
    }

    static String time(Instant t) {
        return t == null ? null : t.atOffset(ZoneOffset.ofHours(2)).toString();
    }

    static String jobState(String id, String name, String status, String lastResult, Instant lastRun) {
        return "{\"type\":\"VSphereBackup\",\"status\":\"" + status + "\",\"lastResult\":\"" + lastResult
                + "\",\"workload\":\"Vm\",\"id\":\"" + id + "\",\"name\":\"" + name + "\",\"description\":\"\","
                + (lastRun == null ? "" : "\"lastRun\":\"" + time(lastRun) + "\",")
                + "\"repositoryId\":\"88788f9e-d8f5-4eb4-bc4f-9b3f5403bcec\",\"repositoryName\":\"Default Backup Repository\","
                + "\"objectsCount\":1,\"sessionId\":\"6c76bb17-8695-4f7c-981f-670789edd8f3\",\"highPriority\":false,"
                + "\"progressPercent\":100}";
    }

    static String job(String id, String name, List<String[]> vms) {
        List<String> includes = new ArrayList<>();
        for (String[] vm : vms) {
            includes.add("{\"inventoryObject\":{\"type\":\"VirtualMachine\",\"hostName\":\"" + vm[0]
                    + "\",\"name\":\"" + vm[1] + "\",\"objectId\":\"" + vm[2] + "\"},\"size\":\"43.5 GB\"}");
        }
        return "{\"type\":\"Backup\",\"id\":\"" + id + "\",\"name\":\"" + name + "\",\"description\":\"\","
                + "\"isDisabled\":false,\"isHighPriority\":false,\"virtualMachines\":{\"includes\":["
                + String.join(",", includes) + "],\"excludes\":{\"vms\":[],\"disks\":[]}}}";
    }

    static String session(String jobId, String result, Instant created) {
        return "{\"sessionType\":\"BackupJob\",\"state\":\"Stopped\",\"id\":\"c924ee2f-1197-4b37-8de3-009c1977f347\","
                + "\"name\":\"Backup Job 1\",\"jobId\":\"" + jobId + "\",\"creationTime\":\"" + time(created)
                + "\",\"endTime\":\"" + time(created.plusSeconds(600)) + "\",\"progressPercent\":100,"
                + "\"result\":{\"result\":\"" + result + "\",\"message\":\"\",\"isCanceled\":false},\"usn\":0}";
    }

    static String result(List<String> data, int total, int skip, int limit) {
        return "{\"data\":[" + String.join(",", data) + "],\"pagination\":{\"total\":" + total + ",\"count\":"
                + data.size() + ",\"skip\":" + skip + ",\"limit\":" + limit + "}}";
    }

    /**
     * Stubs {@code path} to serve {@code records} with Veeam's skip/limit paging, for every skip and
     * every limit up to 10 the client may ask with.
     */
    static void stubPaged(WireMockExtension vendor, String path, List<String> records) {
        for (int limit = 1; limit <= 10; limit++) {
            for (int skip = 0; skip <= records.size(); skip++) {
                List<String> slice = records.subList(skip, Math.min(records.size(), skip + limit));
                vendor.stubFor(get(urlPathEqualTo(path)).withQueryParam("skip", equalTo(Integer.toString(skip)))
                        .withQueryParam("limit", equalTo(Integer.toString(limit)))
                        .willReturn(json(200, result(slice, records.size(), skip, limit))));
            }
        }
    }

    /** Stubs the newest successful session of {@code jobId} (none when {@code created} is null). */
    static void stubLastSuccess(WireMockExtension vendor, String jobId, Instant created) {
        List<String> data = created == null ? List.of() : List.of(session(jobId, "Success", created));
        vendor.stubFor(get(urlPathEqualTo(SESSIONS_PATH)).withQueryParam("jobIdFilter", equalTo(jobId))
                .willReturn(json(200, result(data, data.size(), 0, 1))));
    }

    static Map<String, Object> config(String baseUrl, String password) {
        return Map.of("base.url", baseUrl, "username", "ACME\\svc-itsmhub", "password", password);
    }

    /** Answers every read of {@code path} with all of {@code records} on one page, whatever skip and limit. */
    static void stubOnePage(WireMockExtension vendor, String path, List<String> records) {
        vendor.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(
                com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo(path)).atPriority(1)
                .willReturn(com.github.tomakehurst.wiremock.client.WireMock.okJson(
                        result(records, records.size(), 0, records.size()))));
    }
}
