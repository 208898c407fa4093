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
import org.itsmhub.testkit.contract.SharedFixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;

/** Veeam's own examples (shared fixtures, extracted from its OpenAPI document) decode without loss. */
class VeeamFixturesTest {

    private static final String EXAMPLES = "examples/vbr_1.3-rev1_";

    private static JsonNode tree(String relative) {
        return JsonCodec.readTree(SharedFixtures.read("veeam", relative), relative);
    }

    private static <T> T decode(String relative, TypeReference<T> type) throws IOException {
        return JsonCodec.mapper().readValue(SharedFixtures.read("veeam", relative), type);
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
        String file = EXAMPLES + "POST_api_oauth2_token_200_TokenModelExample.json";
        VeeamToken token = decode(file, new TypeReference<>() { });

        assertThat(token.accessToken()).startsWith("eyJ");
        assertThat(token.refreshToken()).startsWith("eyJ");
        assertThat(token.expiresIn()).isEqualTo(900L);
        assertThat(token.toString()).doesNotContain("eyJ");
        assertNothingLost(file, tree(file), JsonCodec.mapper().valueToTree(token));
    }

    @Test
    void theJobStatesExampleDecodesWithEveryMappedField() throws IOException {
        String file = EXAMPLES + "GET_api_v1_jobs_states_200_JobStatesResultExample.json";
        VeeamResult<VeeamJobState> states = decode(file, new TypeReference<>() { });

        assertThat(states.items()).extracting(VeeamJobState::name).containsExactly("Linux backup job", "PostgreSQL backup");
        assertThat(states.items()).extracting(VeeamJobState::lastResult).containsExactly("Success", "None");
        assertThat(states.pagination().total()).isEqualTo(2);
        assertNothingLost(file, tree(file), JsonCodec.mapper().valueToTree(states));
    }

    @Test
    void theSessionsExamplesDecodeWithEveryMappedField() throws IOException {
        String list = EXAMPLES + "GET_api_v1_sessions_200_SessionsResultExample.json";
        VeeamResult<VeeamSession> sessions = decode(list, new TypeReference<>() { });
        assertThat(sessions.items().get(0).result().result()).isEqualTo("Failed");
        assertThat(sessions.items().get(0).jobId()).isEqualTo("c05dfa57-f59a-4e90-8065-b7f5d3276406");
        assertThat(sessions.pagination().total()).isEqualTo(307);
        assertNothingLost(list, tree(list), JsonCodec.mapper().valueToTree(sessions));

        String one = EXAMPLES + "GET_api_v1_sessions_id_200_SessionModelExample.json";
        assertNothingLost(one, tree(one), JsonCodec.mapper().valueToTree(decode(one, new TypeReference<VeeamSession>() { })));
    }

    @Test
    void theJobsListExampleYieldsItsProtectedMachine() throws IOException {
        String file = EXAMPLES + "GET_api_v1_jobs_200_JobsResultExample.json";
        VeeamResult<VeeamJob> jobs = decode(file, new TypeReference<>() { });

        assertThat(jobs.pagination().total()).isEqualTo(3);
        VeeamJob job = jobs.items().get(0);
        assertThat(job.includedObjects()).extracting(VeeamJob.InventoryObject::name).containsExactly("filesrv02");
        assertNothingLost(file, tree(file), JsonCodec.mapper().valueToTree(jobs));
        VeeamAssetMapper mapper = new VeeamAssetMapper("c1");
        assertThat(mapper.toAsset(job, job.includedObjects().get(0)).ref().id()).isEqualTo("vcenter01.tech.local/vm-45006");
    }

    static Stream<String> singleJobExamples() throws IOException {
        try (Stream<Path> files = Files.list(SharedFixtures.root().resolve("veeam/examples"))) {
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
    void machinesOfTheVmJobExamplesBecomeAssets() throws IOException {
        VeeamAssetMapper mapper = new VeeamAssetMapper("c1");
        List<String> ids = new java.util.ArrayList<>();
        for (String kind : List.of("vSphereBackupJobModelExample", "vSphereReplicaJobModelExample",
                "HyperVBackupJobModelExample", "CloudDirectorBackupJobModelExample")) {
            VeeamJob job = decode("examples/vbr_1.3-rev1_GET_api_v1_jobs_id_200_" + kind + ".json", new TypeReference<>() { });
            job.includedObjects().stream().filter(mapper::isMachine).forEach(o -> ids.add(mapper.toAsset(job, o).ref().id()));
        }
        assertThat(ids).contains("vcenter01.tech.local/vm-11864",
                "pdctwhv02.tech.local/8649c156-cbdc-4379-af4d-f12acb5df29e",
                "prgclouddirector02.tech.local/urn:vcloud:vapp:12871a90-c43a-445e-a9d0-819d54030295");
    }
}
