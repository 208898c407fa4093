package org.itsmhub.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.itsmhub.api.model.Asset;
import org.itsmhub.api.model.AssetIdentity;
import org.itsmhub.api.model.ExternalRef;
import org.itsmhub.runtime.assets.AssetRegister;
import org.itsmhub.runtime.assets.AssetRegisterRepository;
import org.itsmhub.runtime.store.HubStore;
import org.itsmhub.runtime.store.StoreSettings;
import org.itsmhub.runtime.testing.HubFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import picocli.CommandLine;

/** {@code itsm-hub assets} on a register an earlier cycle filled: an Intune device and a Nessus host with one MAC. */
class AssetsCommandTest {

    private static final Instant SEEN = Instant.parse("2026-11-20T08:00:00Z");

    @TempDir
    Path home;

    private Path config;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void fillTheRegister() {
        HubFixture fixture = new HubFixture(home);
        config = fixture.config(HubFixture.acmeProbeTenant("0 0 3 * * ?"));
        try (HubStore store = HubStore.open(new StoreSettings("jdbc:h2:file:" + home + "/data/hub", "", ""))) {
            AssetRegisterRepository repository = new AssetRegisterRepository(store.dataSource(), Clock.systemUTC());
            AssetRegister register = new AssetRegister(repository);
            long asset = register.register("acme", new Asset(ExternalRef.of("intune", "acme-intune", "dev-1"),
                    new AssetIdentity("PF3X9K2", "laptop-ann", null, List.of("88-1f-a1-23-ee-02"), List.of(),
                            Map.of("intuneDeviceId", "dev-1")), "LAPTOP-ANN", "Windows", "11", null, SEEN,
                    Map.of())).assetId();
            register.register("acme", new Asset(ExternalRef.of("nessus", "acme-nessus", "192.168.1.3"),
                    new AssetIdentity(null, null, "conserve.local", List.of("88:1F:A1:23:EE:02"),
                            List.of("192.168.1.3"), Map.of()), "conserve.local", null, null, null, SEEN, Map.of()));
            repository.savePush("acme", asset, "acme-snow", "itsmhub:acme:asset:" + asset, 2, "hash",
                    ExternalRef.of("servicenow", "acme-snow", "a1b2c3"));
            register.register("globex", new Asset(ExternalRef.of("intune", "globex-intune", "dev-7"),
                    new AssetIdentity("GLOBEX-SN", null, null, List.of(), List.of(), Map.of()), "GLOBEX-PC", null,
                    null, null, SEEN, Map.of()));
        }
    }

    @Test
    void theTableShowsEachAssetWithBothSourcesTheMatchEvidenceAndItsCmdbItem() {
        assertThat(run("assets", "--config", config.toString(), "--tenant", "acme")).as(err.toString()).isZero();

        String text = out.toString();
        assertThat(text).contains("ASSET 1  LAPTOP-ANN")
                .contains("serial PF3X9K2")
                .contains("mac 88:1F:A1:23:EE:02")
                .contains("source    intune:acme-intune/dev-1  LAPTOP-ANN")
                .contains("source    nessus:acme-nessus/192.168.1.3  conserve.local")
                .contains("cmdb      acme-snow a1b2c3 (correlation id itsmhub:acme:asset:1)")
                .containsPattern("evidence  \\S+ match    nessus:acme-nessus/192\\.168\\.1\\.3: joined asset 1: "
                        + "same mac 88:1F:A1:23:EE:02 as intune:acme-intune/dev-1")
                .contains("1 asset(s) from 2 source record(s) in tenant acme")
                .doesNotContain("GLOBEX");
    }

    @Test
    void jsonLinesGiveOneObjectPerAssetWithSourcesAndEvidence() throws Exception {
        assertThat(run("assets", "--config", config.toString(), "--tenant", "acme", "--format", "jsonl"))
                .as(err.toString()).isZero();

        List<String> lines = out.toString().lines().toList();
        assertThat(lines).hasSize(1);
        JsonNode asset = new ObjectMapper().readTree(lines.get(0));
        assertThat(asset.get("id").asLong()).isEqualTo(1);
        assertThat(asset.get("sources")).extracting(s -> s.get("ref").get("connection").asText())
                .containsExactly("acme-intune", "acme-nessus");
        assertThat(asset.get("evidence")).extracting(e -> e.get("action").asText()).containsExactly("new", "match");
        assertThat(asset.get("evidence").get(1).get("attribute").asText()).isEqualTo("mac");
        assertThat(asset.get("cmdb").get(0).get("ci").get("id").asText()).isEqualTo("a1b2c3");
        assertThat(err.toString()).contains("1 asset(s) from 2 source record(s)");
    }

    @Test
    void anUnknownTenantIsAClearErrorWithExitCode2() {
        assertThat(run("assets", "--config", config.toString(), "--tenant", "initech")).isEqualTo(2);

        assertThat(err.toString()).contains("unknown tenant 'initech'").contains("tenants in").contains("acme");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void anUnknownFormatIsRejectedWithExitCode2() {
        assertThat(run("assets", "--config", config.toString(), "--tenant", "acme", "--format", "xml")).isEqualTo(2);

        assertThat(err.toString()).contains("--format must be table or jsonl");
    }

    private int run(String... args) {
        CommandLine cli = ItsmHubCli.newCommandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }
}
