package org.itsmhub.plugin.veeam;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.itsmhub.plugin.support.json.JsonCodec;
import org.itsmhub.plugin.veeam.dto.VeeamJob;
import org.itsmhub.plugin.veeam.dto.VeeamJobState;
import org.itsmhub.plugin.veeam.dto.VeeamResult;
import org.itsmhub.plugin.veeam.dto.VeeamSession;
import org.itsmhub.plugin.veeam.dto.VeeamToken;
import org.itsmhub.testkit.contract.VendorTestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * Veeam's own examples (testdata, extracted from its 1.1-rev0 OpenAPI document, the one revision whose
 * document may be redistributed) decode without loss.
 */
class VeeamFixturesTest {

    private static final String EXAMPLES = "examples/vbr_1.1-rev0_";

    private static JsonNode tree(String relative) {
        return JsonCodec.readTree(VendorTestData.read("veeam", relative), relative);
    }

    private static <T> T decode(String relative, TypeReference<T> type) throws IOException {
        return JsonCodec.mapper().readValue(VendorTestData.read("veeam", relative), type);
    }

    /** Every field the DTO maps holds the fixture's value; none is dropped or altered. */
    static void assertNothingLost(String where, JsonNode original, JsonNode decoded) {
        if (decoded.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = decoded.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                JsonNode source = original.get(field.getKey());
                if (field.getValue().isNull()) {
                    assertThat(source == null || source.isNull()).as(where + "." + field.getKey() + " was dropped").isTrue();
                } else {
                    assertThat(source).as(where + "." + field.getKey() + " is not in the fixture").isNotNull();
                    assertNothingLost(where + "." + field.getKey(), source, field.getValue());
                }
            }
        } else if (decoded.isArray()) {
            assertThat(decoded.size()).as(where + " length").isEqualTo(original.size());
            for (int i = 0; i < decoded.size(); i++) {
                assertNothingLost(where + "[" + i + "]", original.get(i), decoded.get(i));
            }
        } else {
            assertThat(decoded.asText()).as(where).isEqualTo(original.asText());
        }
    }

    @Test
    void theTokenExampleDecodesWithEveryField() throws IOException {
        String file = EXAMPLES + "POST_api_oauth2_token_200_example.json";
        VeeamToken token = decode(file, new TypeReference<>() { });

        assertThat(token.accessToken()).startsWith("eyJ");
        assertThat(token.refreshToken()).startsWith("eyJ");
        assertThat(token.tokenType()).isEqualTo("bearer");
        assertThat(token.expiresIn()).isEqualTo(900L);
        assertThat(token.issued()).isEqualTo("2022-04-24T14:24:18+01:00");
        assertThat(token.expires()).isEqualTo("2022-04-24T14:39:18+01:00");
        assertThat(token.toString()).doesNotContain("eyJ");
        assertNothingLost(file, tree(file), JsonCodec.mapper().valueToTree(token));
    }

    @Test
    void theJobStatesExampleDecodesWithEveryMappedField() throws IOException {
        String file = EXAMPLES + "GET_api_v1_jobs_states_200_example.json";
        VeeamResult<VeeamJobState> states = decode(file, new TypeReference<>() { });

        assertThat(states.items()).extracting(VeeamJobState::name).containsExactly("AD Backup", "Exchange Backup",
                "Oracle Backup");
        assertThat(states.items()).extracting(VeeamJobState::lastResult).containsExactly("None", "Warning", "None");
        // 1.1-rev0 spells the status in lower case ("running"), later revisions capitalise it
        assertThat(states.items()).extracting(VeeamJobState::status).containsExactly("running", "inactive", "running");
        assertThat(states.items().get(1).lastRun()).isEqualTo("2021-02-20T06:53:17.747+03:00");
        assertThat(states.items().get(2).nextRun()).isEqualTo("2022-02-05T16:00:00+03:00");
        assertThat(states.items().get(1).sessionId()).isEqualTo("4c5f14a6-b883-4b83-891a-d520809e4284");
        assertThat(states.pagination().total()).isEqualTo(3);
        assertNothingLost(file, tree(file), JsonCodec.mapper().valueToTree(states));
    }

    @Test
    void theSessionsExamplesDecodeWithEveryMappedField() throws IOException {
        String list = EXAMPLES + "GET_api_v1_sessions_200_example.json";
        VeeamResult<VeeamSession> sessions = decode(list, new TypeReference<>() { });
        VeeamSession failed = sessions.items().get(0);
        assertThat(failed.result().result()).isEqualTo("Failed");
        assertThat(failed.result().message()).isEqualTo("Creating synthetic full backup (22% done)");
        assertThat(failed.name()).isEqualTo("Backup Job 1");
        assertThat(failed.creationTime()).isEqualTo("2021-12-04T06:13:34.983+01:00");
        assertThat(failed.jobId()).as("1.1-rev0 sessions carry no jobId (it came with 1.2)").isNull();
        assertThat(sessions.pagination().total()).isEqualTo(307);
        assertNothingLost(list, tree(list), JsonCodec.mapper().valueToTree(sessions));

        String one = EXAMPLES + "GET_api_v1_sessions_id_200_example.json";
        VeeamSession session = decode(one, new TypeReference<>() { });
        assertThat(session.sessionType()).isEqualTo("ConfigurationBackup");
        assertThat(session.result().result()).isEqualTo("Success");
        assertNothingLost(one, tree(one), JsonCodec.mapper().valueToTree(session));
    }

    @Test
    void theJobsListExampleYieldsItsProtectedMachine() throws IOException {
        String file = EXAMPLES + "GET_api_v1_jobs_200_example.json";
        VeeamResult<VeeamJob> jobs = decode(file, new TypeReference<>() { });

        assertThat(jobs.pagination().total()).isEqualTo(3);
        VeeamJob job = jobs.items().get(0);
        assertThat(job.includedObjects()).extracting(VeeamJob.InventoryObject::name).containsExactly("filesrv02");
        assertNothingLost(file, tree(file), JsonCodec.mapper().valueToTree(jobs));
        VeeamAssetMapper mapper = new VeeamAssetMapper("c1");
        assertThat(mapper.toAsset(job, job.includedObjects().get(0)).ref().id()).isEqualTo("vcenter01.tech.local/vm-45006");
    }

    static Stream<String> singleJobExamples() throws IOException {
        try (Stream<Path> files = Files.list(VendorTestData.root().resolve("veeam/examples"))) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.contains("GET_api_v1_jobs_id_200_")).sorted()
                    .toList().stream();
        }
    }

    @ParameterizedTest
    @MethodSource("singleJobExamples")
    void everySingleJobExampleDecodesWithEveryMappedField(String name) throws IOException {
        String file = "examples/" + name;
        VeeamJob job = decode(file, new TypeReference<>() { });

        assertThat(job.id()).isNotBlank();
        assertThat(job.type()).isNotBlank();
        JsonNode decoded = JsonCodec.mapper().valueToTree(job);
        assertNothingLost(file, tree(file), decoded);
        JsonNode includes = tree(file).path("virtualMachines").path("includes");
        assertThat(job.includedObjects()).hasSize(includes.size());
    }

    @Test
    void theMachineOfTheVmJobExampleBecomesAnAsset() throws IOException {
        VeeamAssetMapper mapper = new VeeamAssetMapper("c1");
        VeeamJob job = decode(EXAMPLES + "GET_api_v1_jobs_id_200_example.json", new TypeReference<>() { });

        assertThat(job.name()).isEqualTo("Oracle Backup");
        assertThat(job.includedObjects()).filteredOn(mapper::isMachine).singleElement().satisfies(o -> {
            assertThat(mapper.toAsset(job, o).ref().id()).isEqualTo("172.17.52.34/vm-61281");
            assertThat(mapper.toAsset(job, o).name()).isEqualTo("srv45");
            assertThat(mapper.toAsset(job, o).attributes()).containsEntry("protectedByJobId",
                    "75fc491a-d158-4380-a433-ebc42a28e4df");
        });
    }

    /**
     * Later revisions' single-job examples (1.3-rev1, whose document may not be redistributed here)
     * carry an included object flat, with {@code urn} and {@code platform}, instead of nested as
     * {@code inventoryObject}. The job below is written here in that shape; its values are made up.
     */
    @Test
    void flatIncludedObjectsOfLaterRevisionsBecomeAssetsToo() throws IOException {
        String job = """
                {"type":"HyperVBackup","id":"0b7d6f0e-3c1a-4e55-9d2b-6a1f4c8e2d10","name":"Hyper-V nightly",
                 "description":"","isDisabled":false,"virtualMachines":{"includes":[
                  {"type":"VirtualMachine","hostName":"hv01.acme.local","name":"sql01",
                   "objectId":"3f2a9c4e-8b7d-4e21-a6c5-0d9e8f7b6a54","urn":"Host:hv01.acme.local;Vm:sql01",
                   "platform":"HyperV","size":"0 B"},
                  {"type":"vApp","hostName":"vcd01.acme.local","name":"web-tier",
                   "objectId":"urn:vcloud:vapp:6c1d2e3f-4a5b-4c6d-8e7f-901a2b3c4d5e","urn":null,
                   "platform":"CloudDirector","size":"0 B"},
                  {"type":"Host","hostName":"hv01.acme.local","name":"hv01","objectId":"host-7"}]}}
                """;
        VeeamJob decoded = JsonCodec.mapper().readValue(job, VeeamJob.class);
        VeeamAssetMapper mapper = new VeeamAssetMapper("c1");

        List<org.itsmhub.api.model.Asset> assets = decoded.includedObjects().stream().filter(mapper::isMachine)
                .map(o -> mapper.toAsset(decoded, o)).toList();

        assertThat(assets).extracting(a -> a.ref().id()).containsExactly(
                "hv01.acme.local/3f2a9c4e-8b7d-4e21-a6c5-0d9e8f7b6a54",
                "vcd01.acme.local/urn:vcloud:vapp:6c1d2e3f-4a5b-4c6d-8e7f-901a2b3c4d5e");
        assertThat(assets.get(0).attributes()).containsEntry("urn", "Host:hv01.acme.local;Vm:sql01")
                .containsEntry("platform", "HyperV");
        assertThat(assets.get(1).attributes()).containsEntry("platform", "CloudDirector").doesNotContainKey("urn");
    }
}
