package org.itsmhub.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

import org.itsmhub.sandbox.SandboxCommand;
import org.itsmhub.sandbox.SandboxOptions;
import org.itsmhub.sandbox.VendorSandbox;
import org.itsmhub.testkit.contract.VendorTestData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * {@code itsm-hub read} through the real plugin zips against each vendor sandbox seeded with a real
 * fixture returns every seeded ticket.
 */
class ReadThroughSandboxesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path home;

    private VendorSandbox sandbox;

    @AfterEach
    void stop() {
        if (sandbox != null) {
            sandbox.close();
        }
    }

    private VendorSandbox start(String vendor, Path seed) {
        sandbox = SandboxCommand.providers().get(vendor).create(SandboxOptions.defaults()
                .withSeeds(List.of(new SandboxOptions.Seed(null, seed))));
        sandbox.start();
        return sandbox;
    }

    @Test
    void readingFreshdeskReturnsEverySeededTicket() throws Exception {
        Path seed = VendorTestData.path("freshdesk", "python-freshdesk_v2_all_tickets.json");
        start("freshdesk", seed);
        E2eHub hub = new E2eHub(home);
        Path config = hub.config(SandboxConfig.tenant("acme",
                SandboxConfig.freshdesk("acme-freshdesk", sandbox, "initial.since: \"2000-01-01T00:00:00Z\""), ""));

        E2eHub.Run run = hub.cli("read", "--config", config.toString(), "--connection", "acme/acme-freshdesk");

        assertThat(run.exitCode()).as(run.err()).isZero();
        List<String> lines = run.out().lines().toList();
        JsonNode seeded = JSON.readTree(seed.toFile());
        assertThat(lines).hasSize(seeded.size());
        List<String> seededIds = new java.util.ArrayList<>();
        seeded.forEach(t -> seededIds.add(t.get("id").asText()));
        assertThat(lines.stream().map(ReadThroughSandboxesTest::id).toList())
                .containsExactlyInAnyOrderElementsOf(seededIds);
    }

    @Test
    void readingJiraReturnsEverySeededTicket() throws Exception {
        Path seed = VendorTestData.path("jira", "spec-examples/GET_rest_api_3_search_jql_200_example.json");
        start("jira", seed);
        E2eHub hub = new E2eHub(home);
        Path config = hub.config(SandboxConfig.tenant("acme",
                SandboxConfig.jira("acme-jira", sandbox, "project: EX", "correlation.mode: label"), ""));

        E2eHub.Run run = hub.cli("read", "--config", config.toString(), "--connection", "acme/acme-jira");

        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode seeded = JSON.readTree(seed.toFile()).get("issues");
        assertThat(run.out().lines().map(ReadThroughSandboxesTest::id).toList())
                .containsExactly(seeded.get(0).get("key").asText());
    }

    @Test
    void readingServiceNowReturnsEverySeededTicket() throws Exception {
        Path seed = VendorTestData.path("servicenow", "itential_GET_table_incident_by_sys_id.json");
        start("servicenow", seed);
        E2eHub hub = new E2eHub(home);
        Path config = hub.config(SandboxConfig.tenant("acme",
                SandboxConfig.servicenow("acme-snow", sandbox, "initial.lookback: 36500d"), ""));

        E2eHub.Run run = hub.cli("read", "--config", config.toString(), "--connection", "acme/acme-snow");

        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode result = JSON.readTree(seed.toFile()).get("result");
        JsonNode first = result.isArray() ? result.get(0) : result;
        assertThat(run.out().lines().map(ReadThroughSandboxesTest::id).toList())
                .containsExactly(first.get("sys_id").asText());
    }

    @Test
    void readingNessusReturnsEverySeededHostAndFindingAsTheFileImportDoes() throws Exception {
        Path seed = VendorTestData.path("nessus", "reptor_nessus_multi_host.nessus");
        start("nessus", seed);
        E2eHub hub = new E2eHub(home);
        Path config = hub.config(SandboxConfig.tenant("acme",
                SandboxConfig.nessus("acme-nessus", sandbox), ""));

        E2eHub.Run read = hub.cli("read", "--config", config.toString(), "--connection", "acme/acme-nessus");
        E2eHub.Run imported = hub.cli("import", "nessus", seed.toString(), "--tenant", "acme",
                "--plugins-dir", home.resolve("plugins").toString());

        assertThat(read.exitCode()).as(read.err()).isZero();
        assertThat(imported.exitCode()).as(imported.err()).isZero();
        List<JsonNode> records = read.out().lines().map(ReadThroughSandboxesTest::json).toList();
        assertThat(records.stream().filter(r -> r.has("identity"))).hasSize(4); // the file's 4 hosts
        List<String> findingKeys = records.stream().filter(r -> r.has("key")).map(r -> r.get("key").asText()).toList();
        List<String> importedKeys = imported.out().lines().map(l -> json(l).get("key").asText()).toList();
        assertThat(findingKeys).isNotEmpty().containsExactlyInAnyOrderElementsOf(importedKeys);
    }

    @Test
    void readingVeeamReturnsTheSeededJobsAsFindingsAndTheirMachinesAsAssets() throws Exception {
        Path seed = VendorTestData.path("veeam", "examples/vbr_1.1-rev0_GET_api_v1_jobs_states_200_example.json");
        start("veeam", seed);
        E2eHub hub = new E2eHub(home);
        Path config = hub.config(SandboxConfig.tenant("acme",
                SandboxConfig.veeam("acme-veeam", sandbox), ""));

        E2eHub.Run read = hub.cli("read", "--config", config.toString(), "--connection", "acme/acme-veeam");

        assertThat(read.exitCode()).as(read.err()).isZero();
        List<JsonNode> records = read.out().lines().map(ReadThroughSandboxesTest::json).toList();
        int jobs = JSON.readTree(seed.toFile()).get("data").size();
        assertThat(records.stream().filter(r -> r.has("key"))).as("one backup finding per job that ran")
                .isNotEmpty().allSatisfy(f -> assertThat(f.get("key").asText()).startsWith("veeam:"))
                .hasSizeLessThanOrEqualTo(2 * jobs);
        assertThat(records.stream().filter(r -> r.has("identity"))).isNotEmpty();
    }

    @Test
    void readingIntuneReturnsTheSeededDevicesAndTheirFindings() throws Exception {
        Path seed = VendorTestData.path("intune", "managedDevices_list_itsmhub.json");
        start("intune", seed);
        E2eHub hub = new E2eHub(home);
        Path config = hub.config(SandboxConfig.tenant("acme",
                SandboxConfig.intune("acme-intune", sandbox), ""));

        E2eHub.Run read = hub.cli("read", "--config", config.toString(), "--connection", "acme/acme-intune");

        assertThat(read.exitCode()).as(read.err()).isZero();
        List<JsonNode> records = read.out().lines().map(ReadThroughSandboxesTest::json).toList();
        List<String> deviceIds = JSON.readTree(seed.toFile()).get("value").findValuesAsText("id");
        assertThat(deviceIds).hasSize(3);
        assertThat(records.stream().filter(r -> r.has("identity")).map(a -> a.get("ref").get("id").asText()))
                .containsExactlyInAnyOrderElementsOf(deviceIds);
        List<String> keys = records.stream().filter(r -> r.has("key")).map(f -> f.get("key").asText()).toList();
        assertThat(keys).allSatisfy(k -> assertThat(deviceIds).anySatisfy(id -> assertThat(k).contains(":" + id + ":")));
        assertThat(deviceIds).allSatisfy(id -> assertThat(keys).anySatisfy(k -> assertThat(k).contains(":" + id + ":")));
    }

    private static JsonNode json(String line) {
        try {
            return JSON.readTree(line);
        } catch (Exception e) {
            throw new AssertionError("not a JSON line: " + line, e);
        }
    }

    private static String id(String jsonLine) {
        try {
            return JSON.readTree(jsonLine).get("ref").get("id").asText();
        } catch (Exception e) {
            throw new AssertionError("not a JSON line: " + jsonLine, e);
        }
    }
}
