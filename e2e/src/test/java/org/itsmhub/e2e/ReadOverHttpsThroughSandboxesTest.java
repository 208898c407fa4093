package org.itsmhub.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.itsmhub.e2e.SandboxConfig.tenant;
import static org.itsmhub.e2e.SandboxConfig.tlsTrust;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import org.itsmhub.sandbox.VendorSandbox;
import org.itsmhub.testkit.contract.VendorTestData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.http.HttpHeader;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

/**
 * Each vendor's sandbox in its https mode, read through the real plugin zip with {@code itsm-hub read}
 * by a connection that trusts exactly the sandbox's self-signed certificate through
 * {@code tls.trust: ${file:...}}; and the same connection without {@code tls.trust}, whose live check
 * fails in one line at that key before any request is sent. One hub installation serves every case.
 */
class ReadOverHttpsThroughSandboxesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Every credential the sandboxes accept (docs/sandbox.md): none may appear in what the hub prints. */
    private static final List<String> SECRETS = List.of("sandbox-api-key", "sandbox-api-token", "sandbox-password",
            "sandbox-access-key", "sandbox-secret-key", "sandbox-client-secret");

    @TempDir
    static Path home;

    private static E2eHub hub;

    @TempDir
    Path tls;

    @RegisterExtension
    final Sandboxes sandboxes = new Sandboxes();

    private final ByteArrayOutputStream logs = new ByteArrayOutputStream();
    private PrintStream originalErr;

    @BeforeAll
    static void install() {
        hub = new E2eHub(home);
    }

    @BeforeEach
    void captureLogs() {
        originalErr = System.err;
        // the hub logs to stderr; logback's console appender looks System.err up on every write
        System.setErr(new PrintStream(logs, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreLogs() {
        System.setErr(originalErr);
    }

    /** What reading a vendor's seeded sandbox must print. */
    @FunctionalInterface
    interface Expectation {
        void check(List<JsonNode> records, Path seed) throws Exception;
    }

    /** How an admin connects to one vendor; {@code header} is where the hub's credentials travel. */
    @FunctionalInterface
    interface ConnectionYaml {
        String write(String id, VendorSandbox sandbox, String... extra);
    }

    record Vendor(String id, String seed, ConnectionYaml connection, List<String> extra, String header,
            Expectation expectation) {

        Path seedPath() {
            return VendorTestData.path(id, seed);
        }

        String connectionId() {
            return "acme-" + id;
        }

        String yaml(VendorSandbox sandbox, String... more) {
            List<String> keys = new ArrayList<>(extra);
            keys.addAll(List.of(more));
            return tenant("acme", connection.write(connectionId(), sandbox, keys.toArray(String[]::new)), "");
        }
    }

    static Stream<Named<Vendor>> vendors() {
        return Stream.of(
                new Vendor("freshdesk", "python-freshdesk_v2_all_tickets.json", SandboxConfig::freshdesk,
                        List.of("initial.since: \"2000-01-01T00:00:00Z\""), "Authorization", (records, seed) -> {
                            List<String> seededIds = JSON.readTree(seed.toFile()).findValuesAsText("id");
                            assertThat(seededIds).isNotEmpty();
                            assertThat(records).extracting(r -> r.get("ref").get("id").asText())
                                    .containsExactlyInAnyOrderElementsOf(seededIds);
                        }),
                new Vendor("jira", "spec-examples/GET_rest_api_3_search_jql_200_example.json", SandboxConfig::jira,
                        List.of("project: EX", "correlation.mode: label"), "Authorization", (records, seed) -> {
                            JsonNode issues = JSON.readTree(seed.toFile()).get("issues");
                            List<String> keys = new ArrayList<>();
                            issues.forEach(i -> keys.add(i.get("key").asText()));
                            assertThat(records).extracting(r -> r.get("ref").get("id").asText())
                                    .containsExactlyInAnyOrderElementsOf(keys);
                        }),
                new Vendor("servicenow", "itential_GET_table_incident_by_sys_id.json", SandboxConfig::servicenow,
                        List.of("initial.lookback: 36500d"), "Authorization", (records, seed) -> {
                            JsonNode result = JSON.readTree(seed.toFile()).get("result");
                            JsonNode first = result.isArray() ? result.get(0) : result;
                            assertThat(records).extracting(r -> r.get("ref").get("id").asText())
                                    .containsExactly(first.get("sys_id").asText());
                        }),
                new Vendor("veeam", "examples/vbr_1.1-rev0_GET_api_v1_jobs_states_200_example.json",
                        SandboxConfig::veeam, List.of(), "Authorization", (records, seed) -> {
                            List<String> jobIds = new ArrayList<>();
                            List<String> machines = new ArrayList<>(); // docs/connectors/veeam.md: <job-name>-vmN
                            for (JsonNode job : JSON.readTree(seed.toFile()).get("data")) {
                                jobIds.add(job.get("id").asText());
                                for (int i = 1; i <= job.get("objectsCount").asInt(); i++) {
                                    machines.add(job.get("name").asText().toLowerCase(Locale.ROOT)
                                            .replaceAll("[^a-z0-9]+", "-") + "-vm" + i);
                                }
                            }
                            assertThat(jobIds).hasSize(3);
                            assertThat(records.stream().filter(r -> r.has("identity")).map(r -> r.get("name").asText()))
                                    .as("every machine a seeded job protects").containsExactlyInAnyOrderElementsOf(machines);
                            List<String> keys = findings(records);
                            assertThat(keys).allSatisfy(k -> assertThat(k).startsWith("veeam:"));
                            assertThat(jobIds).as("a backup finding for every seeded job").allSatisfy(id ->
                                    assertThat(keys).anySatisfy(k -> assertThat(k).contains(":job:" + id + ":")));
                        }),
                new Vendor("intune", "managedDevices_list_itsmhub.json", SandboxConfig::intune, List.of(),
                        "Authorization", (records, seed) -> {
                            List<String> deviceIds = JSON.readTree(seed.toFile()).get("value").findValuesAsText("id");
                            assertThat(deviceIds).hasSize(3);
                            assertThat(assets(records)).containsExactlyInAnyOrderElementsOf(deviceIds);
                            List<String> keys = findings(records);
                            assertThat(deviceIds).allSatisfy(id -> assertThat(keys)
                                    .anySatisfy(k -> assertThat(k).contains(":" + id + ":")));
                            assertThat(keys).allSatisfy(k -> assertThat(deviceIds)
                                    .anySatisfy(id -> assertThat(k).contains(":" + id + ":")));
                        }),
                new Vendor("nessus", "reptor_nessus_multi_host.nessus", SandboxConfig::nessus, List.of(), "X-ApiKeys",
                        (records, seed) -> {
                            assertThat(assets(records)).hasSize(4); // the file's 4 hosts
                            E2eHub.Run imported = hub.cli("import", "nessus", seed.toString(), "--tenant", "acme",
                                    "--plugins-dir", home.resolve("plugins").toString());
                            assertThat(imported.exitCode()).as(imported.err()).isZero();
                            assertThat(findings(records)).as("what importing the scan's file gives").isNotEmpty()
                                    .containsExactlyInAnyOrderElementsOf(imported.out().lines()
                                            .map(l -> json(l).get("key").asText()).toList());
                        }))
                .map(v -> Named.of(v.id(), v));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vendors")
    void readingOverHttpsTrustingTheSandboxsCertificateFromAFileReturnsEverySeededRecord(Vendor vendor)
            throws Exception {
        VendorSandbox sandbox = sandboxes.startHttps(vendor.id(), tls, vendor.seedPath());
        Path config = hub.config(vendor.yaml(sandbox, tlsTrust(sandbox)));

        E2eHub.Run read = hub.cli("read", "--config", config.toString(), "--connection", "acme/" + vendor.connectionId());

        assertThat(sandbox.baseUrl()).startsWith("https://127.0.0.1:");
        assertThat(read.exitCode()).as(read.err() + logs()).isZero();
        vendor.expectation().check(read.out().lines().map(ReadOverHttpsThroughSandboxesTest::json).toList(),
                vendor.seedPath());
        List<LoggedRequest> journal = journal(sandbox);
        assertThat(journal).isNotEmpty().allSatisfy(r -> assertThat(r.getAbsoluteUrl()).startsWith("https://"));
        assertThat(journal).as("the hub's credentials reached the sandbox over https")
                .anySatisfy(r -> assertThat(r.getHeader(vendor.header())).isNotBlank());
        assertPrintsNoSecret(read, sandbox);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vendors")
    void withoutTlsTrustTheConnectionCheckFailsInOneLineAtTlsTrustBeforeAnyRequestIsSent(Vendor vendor) {
        VendorSandbox sandbox = sandboxes.startHttps(vendor.id(), tls, vendor.seedPath());
        Path config = hub.config(vendor.yaml(sandbox));

        E2eHub.Run check = hub.cli("validate", "--config", config.toString(), "--check-connections");

        assertThat(check.exitCode()).as(check.out() + check.err() + logs()).isEqualTo(1);
        assertThat(check.err().lines()).singleElement().asString()
                .startsWith(config + ": tenants.acme.connections." + vendor.connectionId() + ".tls.trust: ")
                .contains("TLS: the server's certificate is not trusted (set tls.trust to its PEM");
        assertThat(check.out()).contains("is valid; 1 live check problem(s)");
        assertThat(check.out() + check.err() + logs()).doesNotContainPattern("(?m)^\\s+at [\\w.$]+\\(")
                .doesNotContain("Caused by:");
        assertThat(journal(sandbox)).as("the handshake failed before any request was sent").isEmpty();
        assertPrintsNoSecret(check, sandbox);
    }

    /**
     * Over https the plugins' shared OkHttp client negotiates HTTP/2, whose connections each have a
     * reader thread running the plugin's OkHttp. Every plugin's {@code stop()} releases that client
     * ({@code VendorHttpClients.shutdown()}) before PF4J closes the plugin's class loader; when one
     * did not, the connection outlived the plugin and its reader died, when the server later closed
     * it, printing {@code NoClassDefFoundError: okio/internal/_AtomicKt} on stderr past the
     * redacting logger (and leaking a socket and a thread per connection in a JVM that outlives the hub).
     */
    @Test
    void onceAReadOverHttpsReturnsTheHubHoldsNoHttp2ConnectionOfItsUnloadedPlugins() {
        Vendor freshdesk = vendors().filter(v -> v.getName().equals("freshdesk")).findFirst().orElseThrow().getPayload();
        VendorSandbox sandbox = sandboxes.startHttps(freshdesk.id(), tls, freshdesk.seedPath());
        Path config = hub.config(freshdesk.yaml(sandbox, tlsTrust(sandbox)));

        E2eHub.Run read = hub.cli("read", "--config", config.toString(), "--connection", "acme/" + freshdesk.connectionId());

        assertThat(read.exitCode()).as(read.err() + logs()).isZero();
        // the pool would keep the idle connection 20 s; stop() closes it and waits for its reader
        assertThat(http2ReaderThreads()).as("HTTP/2 readers left once the command returned").isEmpty();
    }

    private static List<String> http2ReaderThreads() {
        return Thread.getAllStackTraces().entrySet().stream()
                .filter(e -> Arrays.stream(e.getValue()).anyMatch(
                        f -> f.getClassName().equals("okhttp3.internal.http2.Http2Connection$ReaderRunnable")))
                .map(e -> e.getKey().getName()).toList();
    }

    private String logs() {
        return logs.toString(StandardCharsets.UTF_8);
    }

    /**
     * Neither a configured credential nor one the hub sent (a token the sandbox issued, a Basic
     * header's encoding) is in the command's output or the hub's log.
     */
    private void assertPrintsNoSecret(E2eHub.Run run, VendorSandbox sandbox) {
        String printed = run.out() + run.err() + logs();
        List<String> sent = new ArrayList<>(SECRETS);
        for (LoggedRequest r : journal(sandbox)) {
            for (HttpHeader h : r.getHeaders().all()) {
                if (h.keyEquals("Authorization") || h.keyEquals("X-ApiKeys")) {
                    String value = h.firstValue();
                    sent.add(value.substring(value.indexOf(' ') + 1));
                }
            }
        }
        assertThat(sent).allSatisfy(secret -> assertThat(printed).doesNotContain(secret));
    }

    private static List<LoggedRequest> journal(VendorSandbox sandbox) {
        return sandbox.wiremock().getAllServeEvents().stream().map(e -> e.getRequest()).toList();
    }

    private static List<String> findings(List<JsonNode> records) {
        return records.stream().filter(r -> r.has("key")).map(r -> r.get("key").asText()).toList();
    }

    private static List<String> assets(List<JsonNode> records) {
        return records.stream().filter(r -> r.has("identity")).map(r -> r.get("ref").get("id").asText()).toList();
    }

    private static JsonNode json(String line) {
        try {
            return JSON.readTree(line);
        } catch (Exception e) {
            throw new AssertionError("not a JSON line: " + line, e);
        }
    }
}
