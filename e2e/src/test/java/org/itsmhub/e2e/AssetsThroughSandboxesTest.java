package org.itsmhub.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.itsmhub.e2e.SandboxConfig.assetsToCmdb;
import static org.itsmhub.e2e.SandboxConfig.intune;
import static org.itsmhub.e2e.SandboxConfig.nessus;
import static org.itsmhub.e2e.SandboxConfig.servicenow;
import static org.itsmhub.e2e.SandboxConfig.tenant;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.StreamSupport;

import org.itsmhub.sandbox.SandboxCommand;
import org.itsmhub.sandbox.SandboxOptions;
import org.itsmhub.sandbox.VendorSandbox;
import org.itsmhub.testkit.contract.VendorTestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

/**
 * The assets-to-cmdb flow through the real Intune, Nessus and ServiceNow plugin zips against their
 * sandboxes. The Nessus sandbox serves a real scan export with two hosts; the Intune sandbox serves the
 * project's three managed devices (testdata/intune), the first given the MAC address of the scan's host
 * 192.168.1.3 as its Wi-Fi MAC (in Graph's spelling, without separators), so one device is known to both
 * sources.
 */
class AssetsThroughSandboxesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SCAN = "libnessus_nessus_report_test_local.nessus";
    private static final String SHARED_MAC = "88:1f:a1:23:ee:02";

    @TempDir
    Path home;

    @RegisterExtension
    final Sandboxes sandboxes = new Sandboxes();

    /** The managed devices, the first (a laptop) with the scanned host's MAC as its Wi-Fi MAC. */
    private Path intuneSeed() throws Exception {
        ObjectNode seed = (ObjectNode) JSON.readTree(VendorTestData.path("intune", "managedDevices_list_itsmhub.json")
                .toFile());
        ((ObjectNode) seed.get("value").get(0)).put("wiFiMacAddress", "881FA123EE02");
        Path file = Files.createDirectories(home.resolve("seeds")).resolve("intune-devices.json");
        Files.writeString(file, seed.toString());
        return file;
    }

    private record Setup(E2eHub hub, Path config, VendorSandbox intune, VendorSandbox servicenow, String deviceId) {
    }

    private Setup setUp(String... syncExtra) throws Exception {
        Path intuneSeed = intuneSeed();
        VendorSandbox intuneSandbox = sandboxes.start("intune", List.of(new SandboxOptions.Seed(null, intuneSeed)));
        VendorSandbox nessusSandbox = sandboxes.start("nessus", List.of(new SandboxOptions.Seed(null,
                VendorTestData.path("nessus", SCAN))));
        VendorSandbox servicenowSandbox = sandboxes.start("servicenow", List.of());
        E2eHub hub = new E2eHub(home);
        Path config = hub.config(tenant("acme",
                intune("acme-intune", intuneSandbox) + nessus("acme-nessus", nessusSandbox)
                        + servicenow("acme-snow", servicenowSandbox),
                assetsToCmdb("acme-assets", "acme-intune,acme-nessus", "acme-snow", syncExtra)));
        String deviceId = JSON.readTree(intuneSeed.toFile()).get("value").get(0).get("id").asText();
        return new Setup(hub, config, intuneSandbox, servicenowSandbox, deviceId);
    }

    @Test
    void anIntuneDeviceAndANessusHostWithTheSameMacBecomeOneCiAndLaterCyclesCreateNothing() throws Exception {
        Setup s = setUp("stale-after: 36500d");
        VendorApi snow = new VendorApi(s.servicenow().baseUrl(), "admin", "sandbox-password");

        E2eHub.Run first = s.hub().cli("run", "--config", s.config().toString(), "--once");

        assertThat(first.exitCode()).as(first.out() + first.err()).isZero();
        // the summary counts records: all five read went into a created CI (two of them into the same one)
        assertThat(first.out())
                .containsPattern("acme-assets\\s+acme\\s+assets-to-cmdb\\s+SUCCEEDED\\s+5\\s+5\\s+0\\s+0\\s+0\\s+0");
        List<JsonNode> cis = cis(snow);
        assertThat(cis).as("the scan's two hosts, one of them an Intune device, and the two other devices").hasSize(4);
        JsonNode laptop = cis.stream().filter(ci -> ci.path("mac_address").asText().toLowerCase(Locale.ROOT)
                .equals(SHARED_MAC)).findFirst().orElseThrow();
        assertThat(laptop.get("serial_number").asText()).isEqualTo("7Q2M4R3"); // from Intune
        assertThat(laptop.get("fqdn").asText()).isEqualTo("conserve.local"); // from Nessus
        assertThat(laptop.get("name").asText()).isEqualTo("LT-BER-0142"); // Intune is the first source
        assertThat(laptop.get("correlation_id").asText()).matches("itsmhub:acme:asset:\\d+");
        assertThat(cis).extracting(ci -> ci.get("correlation_id").asText()).doesNotHaveDuplicates();
        assertThat(writes(s.servicenow())).filteredOn(w -> w.startsWith("POST")).hasSize(4)
                .allSatisfy(w -> assertThat(w).contains("/api/now/table/cmdb_ci_computer"));

        // the device checks in: its CI is updated in place, nothing is created
        int writesBefore = writes(s.servicenow()).size();
        new VendorApi(s.intune().baseUrl(), "control", "control").post("/__sandbox/devices/" + s.deviceId(),
                "{\"lastSyncDateTime\": \"now\"}");
        E2eHub.Run second = s.hub().cli("run", "--config", s.config().toString(), "--once");

        assertThat(second.exitCode()).as(second.out() + second.err()).isZero();
        List<String> secondWrites = writes(s.servicenow()).subList(writesBefore, writes(s.servicenow()).size());
        assertThat(secondWrites).singleElement().satisfies(w -> assertThat(w)
                .startsWith("PATCH").contains(laptop.get("sys_id").asText()));
        assertThat(cis(snow)).hasSize(4);

        // nothing changed anywhere: no write request at all
        int writesBeforeQuiet = writes(s.servicenow()).size();
        E2eHub.Run quiet = s.hub().cli("run", "--config", s.config().toString(), "--once");

        assertThat(quiet.exitCode()).as(quiet.out() + quiet.err()).isZero();
        assertThat(quiet.out())
                .containsPattern("acme-assets\\s+acme\\s+assets-to-cmdb\\s+SUCCEEDED\\s+\\d+\\s+0\\s+0\\s+");
        assertThat(writes(s.servicenow())).hasSize(writesBeforeQuiet);

        E2eHub.Run assets = s.hub().cli("assets", "--config", s.config().toString(), "--tenant", "acme");

        assertThat(assets.exitCode()).as(assets.err()).isZero();
        assertThat(assets.out())
                .contains("source    intune:acme-intune/" + s.deviceId())
                .contains("source    nessus:acme-nessus/192.168.1.3")
                .containsPattern("match +nessus:acme-nessus/192\\.168\\.1\\.3: joined asset \\d+: "
                        + "same mac 88:1F:A1:23:EE:02 as intune:acme-intune/" + s.deviceId())
                .contains("cmdb      acme-snow " + laptop.get("sys_id").asText())
                .contains("4 asset(s) from 5 source record(s) in tenant acme");
    }

    @Test
    void devicesUnseenForStaleAfterAreMarkedStaleOnceAndNeverDeleted() throws Exception {
        Setup s = setUp("stale-after: 30d"); // the fixtures were last seen in 2013 and 2024
        VendorApi snow = new VendorApi(s.servicenow().baseUrl(), "admin", "sandbox-password");

        E2eHub.Run first = s.hub().cli("run", "--config", s.config().toString(), "--once");

        assertThat(first.exitCode()).as(first.out() + first.err()).isZero();
        List<JsonNode> cis = cis(snow);
        assertThat(cis).hasSize(4).allSatisfy(ci -> assertThat(ci.get("install_status").asText()).isEqualTo("100"));
        assertThat(writes(s.servicenow())).filteredOn(w -> w.startsWith("PATCH")).hasSize(4);

        int writesBefore = writes(s.servicenow()).size();
        E2eHub.Run again = s.hub().cli("run", "--config", s.config().toString(), "--once");

        assertThat(again.exitCode()).as(again.out() + again.err()).isZero();
        assertThat(writes(s.servicenow())).as("marked once").hasSize(writesBefore);
        assertThat(cis(snow)).hasSize(4);
    }

    private static List<JsonNode> cis(VendorApi snow) {
        JsonNode result = snow.get("/api/now/table/cmdb_ci_computer?sysparm_limit=100").get("result");
        return StreamSupport.stream(result.spliterator(), false).toList();
    }

    /** The write requests the sandbox received, oldest first, as {@code METHOD url}. */
    private static List<String> writes(VendorSandbox sandbox) {
        List<ServeEvent> events = new ArrayList<>(sandbox.wiremock().getAllServeEvents());
        java.util.Collections.reverse(events);
        return events.stream().map(ServeEvent::getRequest)
                .filter(r -> !r.getMethod().getName().equals("GET"))
                .map(r -> r.getMethod().getName() + " " + r.getUrl()).toList();
    }
}
