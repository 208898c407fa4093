package org.itsmhub.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.itsmhub.e2e.SandboxConfig.freshdesk;
import static org.itsmhub.e2e.SandboxConfig.servicenow;
import static org.itsmhub.e2e.SandboxConfig.tenant;
import static org.itsmhub.e2e.SandboxConfig.ticketSync;
import static org.itsmhub.e2e.SandboxConfig.tlsTrust;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.itsmhub.sandbox.SandboxCommand;
import org.itsmhub.sandbox.SandboxOptions;
import org.itsmhub.sandbox.VendorSandbox;
import org.itsmhub.testkit.contract.VendorTestData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

/**
 * The ticket sync against both sandboxes in their https mode, each connection trusting exactly its
 * sandbox's self-signed certificate through {@code tls.trust: ${file:...}}, as an admin writes it.
 */
class TicketSyncOverHttpsTest {

    @TempDir
    Path home;

    private final List<VendorSandbox> sandboxes = new ArrayList<>();

    @AfterEach
    void stop() {
        sandboxes.forEach(VendorSandbox::close);
    }

    private VendorSandbox startHttps(String vendor, List<SandboxOptions.Seed> seeds) {
        VendorSandbox sandbox = SandboxCommand.providers().get(vendor)
                .create(SandboxOptions.defaults().withSeeds(seeds).withTls(home.resolve("tls")));
        sandbox.start();
        sandboxes.add(sandbox);
        return sandbox;
    }

    @Test
    void freshdeskTicketsGetServiceNowTwinsOverHttpsWithEachConnectionTrustingItsSandboxsCertificate() throws Exception {
        Path seed = VendorTestData.path("freshdesk", "python-freshdesk_v2_all_tickets.json");
        VendorSandbox freshdesk = startHttps("freshdesk", List.of(new SandboxOptions.Seed(null, seed)));
        VendorSandbox servicenow = startHttps("servicenow", List.of());
        E2eHub hub = new E2eHub(home);
        Path config = hub.config(tenant("acme",
                servicenow("acme-snow", servicenow, tlsTrust(servicenow)) + freshdesk("acme-freshdesk", freshdesk,
                        "initial.since: \"2000-01-01T00:00:00Z\"", "default.requester.email: servicedesk@msp.example",
                        tlsTrust(freshdesk)),
                ticketSync("acme-tickets", "acme-snow", "acme-freshdesk")));
        int seeded = new ObjectMapper().readTree(seed.toFile()).size();

        E2eHub.Run run = hub.cli("run", "--config", config.toString(), "--once");

        assertThat(servicenow.baseUrl()).startsWith("https://");
        assertThat(freshdesk.baseUrl()).startsWith("https://");
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).containsPattern("acme-tickets\\s+acme\\s+ticket-sync\\s+SUCCEEDED\\s+\\d+\\s+" + seeded);
        assertThat(run.out() + run.err()).doesNotContain("BEGIN CERTIFICATE");
        assertThat(requests(freshdesk, "GET", "/api/v2/tickets")).isNotEmpty();
        List<LoggedRequest> creates = requests(servicenow, "POST", "/api/now/table/incident");
        assertThat(creates).hasSize(seeded).allSatisfy(r -> assertThat(r.getBodyAsString())
                .contains("\"correlation_id\":\"ih:acme-tickets:R:"));
    }

    private static List<LoggedRequest> requests(VendorSandbox sandbox, String method, String path) {
        return sandbox.wiremock().getAllServeEvents().stream().map(e -> e.getRequest())
                .filter(r -> r.getMethod().getName().equals(method) && r.getUrl().split("\\?")[0].equals(path))
                .map(r -> (LoggedRequest) r).toList();
    }
}
