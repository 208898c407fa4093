package org.itsmhub.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.itsmhub.e2e.SandboxConfig.freshdesk;
import static org.itsmhub.e2e.SandboxConfig.servicenow;
import static org.itsmhub.e2e.SandboxConfig.tenant;
import static org.itsmhub.e2e.SandboxConfig.ticketSync;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
 * A start older than the connectors' default windows ({@code read --since}, ticket-sync's
 * {@code first-sync-since}) reaches the vendor through the real plugin zips: the sandboxes seeded with
 * records last changed in 2015 (Freshdesk) and 2019 (ServiceNow) answer them only when it does.
 */
class ReadSinceThroughSandboxesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path SNOW_SEED = VendorTestData.path("servicenow", "itential_GET_table_incident_by_sys_id.json");
    private static final Path FRESHDESK_SEED = VendorTestData.path("freshdesk", "python-freshdesk_v2_all_tickets.json");

    @TempDir
    Path home;

    private final List<VendorSandbox> sandboxes = new ArrayList<>();

    @AfterEach
    void stop() {
        sandboxes.forEach(VendorSandbox::close);
    }

    private VendorSandbox start(String vendor, Path seed) {
        VendorSandbox sandbox = SandboxCommand.providers().get(vendor).create(SandboxOptions.defaults()
                .withSeeds(List.of(new SandboxOptions.Seed(null, seed))));
        sandbox.start();
        sandboxes.add(sandbox);
        return sandbox;
    }

    @Test
    void readSinceReachesAnIncidentOlderThanTheDefaultWindowAndAnEmptyReadNamesItsWindow() throws Exception {
        VendorSandbox snow = start("servicenow", SNOW_SEED);
        E2eHub hub = new E2eHub(home);
        Path config = hub.config(tenant("acme", servicenow("acme-snow", snow), ""));
        Instant before = Instant.now().minusSeconds(1);

        E2eHub.Run plain = hub.cli("read", "--config", config.toString(), "--connection", "acme/acme-snow");
        E2eHub.Run since = hub.cli("read", "--config", config.toString(), "--connection", "acme/acme-snow",
                "--since", "2000-01-01T00:00:00Z");

        assertThat(plain.exitCode()).as(plain.err()).isZero();
        assertThat(plain.out()).isEmpty();
        Matcher window = Pattern.compile("read 0 record\\(s\\) from acme/acme-snow changed between (\\S+) and (\\S+) "
                + "\\(the connector's default start; --since reads further back\\)").matcher(plain.err());
        assertThat(window.find()).as(plain.err()).isTrue();
        Instant to = Instant.parse(window.group(2));
        assertThat(to).isBetween(before, Instant.now());
        assertThat(Duration.between(Instant.parse(window.group(1)), to)).as("initial.lookback").isEqualTo(Duration.ofDays(7));

        assertThat(since.exitCode()).as(since.err()).isZero();
        JsonNode seeded = JSON.readTree(SNOW_SEED.toFile()).get("result");
        String sysId = (seeded.isArray() ? seeded.get(0) : seeded).get("sys_id").asText();
        assertThat(since.out().lines().map(l -> json(l).get("ref").get("id").asText()).toList()).containsExactly(sysId);
        assertThat(since.err()).contains("read 1 record(s) from acme/acme-snow");
        assertThat(snow.wiremock().getAllServeEvents()).anySatisfy(e -> assertThat(
                e.getRequest().queryParameter("sysparm_query").firstValue()).startsWith("sys_updated_on>=2000-01-01 00:00:00^"));
    }

    @Test
    void firstSyncSinceSyncsTicketsOlderThanEitherConnectorsDefaultWindow() throws Exception {
        VendorSandbox snow = start("servicenow", SNOW_SEED);
        VendorSandbox fd = start("freshdesk", FRESHDESK_SEED);
        VendorApi snowApi = new VendorApi(snow.baseUrl(), "admin", "sandbox-password");
        VendorApi fdApi = new VendorApi(fd.baseUrl(), "sandbox-api-key", "X");
        E2eHub hub = new E2eHub(home);
        Path config = hub.config(tenant("acme",
                servicenow("acme-snow", snow) + freshdesk("acme-freshdesk", fd,
                        "default.requester.email: servicedesk@msp.example"),
                ticketSync("acme-tickets", "acme-snow", "acme-freshdesk",
                        "first-sync-since: \"2000-01-01T00:00:00Z\"")));

        E2eHub.Run run = hub.cli("run", "--config", config.toString(), "--once");

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).containsPattern("acme-tickets\\s+acme\\s+ticket-sync\\s+SUCCEEDED\\s+\\d+\\s+2");
        long fdId = JSON.readTree(FRESHDESK_SEED.toFile()).get(0).get("id").asLong();
        assertThat(snowApi.get("/api/now/table/incident?sysparm_query=correlation_id%3Dih:acme-tickets:R:" + fdId)
                .get("result")).as("the 2015 Freshdesk ticket has a ServiceNow twin").hasSize(1);
        assertThat(fdApi.get("/api/v2/tickets?updated_since=2000-01-01T00:00:00Z")).as("the seeded ticket and the "
                + "twin of the 2019 incident").hasSize(2);
    }

    private static JsonNode json(String line) {
        try {
            return JSON.readTree(line);
        } catch (Exception e) {
            throw new AssertionError("not a JSON line: " + line, e);
        }
    }
}
