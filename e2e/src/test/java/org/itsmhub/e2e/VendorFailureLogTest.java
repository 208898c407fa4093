package org.itsmhub.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.itsmhub.e2e.SandboxConfig.freshdesk;
import static org.itsmhub.e2e.SandboxConfig.tenant;
import static org.itsmhub.e2e.SandboxConfig.ticketSync;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.itsmhub.sandbox.SandboxCommand;
import org.itsmhub.sandbox.SandboxOptions;
import org.itsmhub.sandbox.VendorSandbox;
import org.itsmhub.testkit.contract.VendorTestData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an admin sees on stderr when a vendor fails during {@code run --once}: one line per failing
 * call naming the connection, the operation, the status or cause and the config key to check; no
 * stack trace (those are at DEBUG), no CXF warnings, no Camel message history.
 */
class VendorFailureLogTest {

    @TempDir
    Path home;

    private final List<VendorSandbox> sandboxes = new ArrayList<>();
    private final ByteArrayOutputStream logs = new ByteArrayOutputStream();
    private PrintStream originalErr;

    @BeforeEach
    void captureLogs() {
        originalErr = System.err;
        // the hub logs to stderr; logback's console appender looks System.err up on every write
        System.setErr(new PrintStream(logs, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void stop() {
        System.setErr(originalErr);
        sandboxes.forEach(VendorSandbox::close);
    }

    private VendorSandbox start(String vendor, List<SandboxOptions.Seed> seeds) {
        VendorSandbox sandbox = SandboxCommand.providers().get(vendor).create(SandboxOptions.defaults().withSeeds(seeds));
        sandbox.start();
        sandboxes.add(sandbox);
        return sandbox;
    }

    /** Freshdesk's seeded tickets synced to a ServiceNow connection at {@code url} with {@code password}. */
    private List<String> runOnceAgainstServiceNow(String url, String password) {
        VendorSandbox freshdesk = start("freshdesk", List.of(new SandboxOptions.Seed(null,
                VendorTestData.path("freshdesk", "python-freshdesk_v2_all_tickets.json"))));
        E2eHub hub = new E2eHub(home);
        String snow = "      acme-snow:\n        plugin: servicenow\n        instance.url: " + url
                + "\n        auth.user: admin\n        auth.password: " + password + "\n";
        Path config = hub.config(tenant("acme", snow + freshdesk("acme-freshdesk", freshdesk,
                "initial.since: \"2000-01-01T00:00:00Z\"", "default.requester.email: servicedesk@msp.example"),
                ticketSync("acme-tickets", "acme-snow", "acme-freshdesk")));

        E2eHub.Run run = hub.cli("run", "--config", config.toString(), "--once");

        originalErr.println("run --once printed on stderr:\n" + logs.toString(StandardCharsets.UTF_8));
        assertThat(run.out()).contains("acme-tickets");
        return logs.toString(StandardCharsets.UTF_8).lines().toList();
    }

    private static List<String> problems(List<String> lines) {
        return lines.stream().filter(l -> l.contains(" WARN ") || l.contains(" ERROR ")).toList();
    }

    @Test
    void anUnreachableInstanceGivesOneLinePerFailingCallNamingTheUrlKeyAndNoStackTrace() throws Exception {
        int closedPort = E2eHub.freePort();

        List<String> lines = runOnceAgainstServiceNow("http://127.0.0.1:" + closedPort, "sandbox-password");

        assertThat(lines).noneMatch(l -> l.startsWith("\tat ") || l.startsWith("Caused by"))
                .noneMatch(l -> l.contains("Message History")).noneMatch(l -> l.contains("org.apache.cxf"));
        assertThat(problems(lines)).isNotEmpty().allSatisfy(l -> assertThat(l).contains("acme-snow")
                .contains("instance.url"));
        assertThat(lines).hasSizeLessThanOrEqualTo(15);
    }

    @Test
    void aWrongPasswordGivesOneLineNamingAuthPasswordAndNoStackTrace() throws Exception {
        VendorSandbox servicenow = start("servicenow", List.of());

        List<String> lines = runOnceAgainstServiceNow(servicenow.baseUrl(), "wrong-password");

        assertThat(lines).noneMatch(l -> l.startsWith("\tat ") || l.startsWith("Caused by"))
                .noneMatch(l -> l.contains("Message History")).noneMatch(l -> l.contains("wrong-password"));
        assertThat(problems(lines)).isNotEmpty().allSatisfy(l -> assertThat(l).contains("acme-snow")
                .contains("HTTP 401").contains("auth.password"));
        assertThat(lines).hasSizeLessThanOrEqualTo(15);
    }

    /** CXF (inside camel-servicenow) logs a failed call as a WARN stack trace of its own. */
    @Test
    void aWriteThroughCamelServiceNowThatBreaksOnTheWireGivesOneLineAndNoCxfStackTrace() throws Exception {
        com.github.tomakehurst.wiremock.WireMockServer instance = new com.github.tomakehurst.wiremock.WireMockServer(
                com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig().bindAddress("127.0.0.1")
                        .dynamicPort());
        instance.start();
        try {
            instance.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(
                    com.github.tomakehurst.wiremock.client.WireMock.anyUrl()).willReturn(
                            com.github.tomakehurst.wiremock.client.WireMock.okJson("{\"result\":[]}")));
            instance.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(
                    com.github.tomakehurst.wiremock.client.WireMock.anyUrl()).willReturn(
                            com.github.tomakehurst.wiremock.client.WireMock.aResponse().withFault(
                                    com.github.tomakehurst.wiremock.http.Fault.CONNECTION_RESET_BY_PEER)));

            List<String> lines = runOnceAgainstServiceNow("http://127.0.0.1:" + instance.port(), "sandbox-password");

            assertThat(lines).noneMatch(l -> l.startsWith("\tat ") || l.startsWith("Caused by"))
                    .noneMatch(l -> l.contains("Message History")).noneMatch(l -> l.contains("org.apache.cxf"));
            assertThat(problems(lines)).singleElement().satisfies(l -> assertThat(l).contains("acme-snow")
                    .contains("create incident record"));
            // a create cut off on the wire may have happened: it is not repeated in its cycle (that could
            // duplicate the incident while the instance's search lags); the next cycles look its twin up
            assertThat(instance.findAll(com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor(
                    com.github.tomakehurst.wiremock.client.WireMock.anyUrl()))).hasSize(1);
        } finally {
            instance.stop();
        }
    }
}
