package org.itsmhub.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.itsmhub.runtime.logging.LogRedaction;
import org.itsmhub.runtime.store.HubStore;
import org.itsmhub.runtime.store.StoreSettings;
import org.itsmhub.runtime.testing.StoreFiles;
import org.itsmhub.runtime.testing.HubFixture;
import org.itsmhub.runtime.testing.StoreHolder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

/** The commands as an admin runs them, on a real plugin zip and the repository's route templates. */
class CliTest {

    @TempDir
    Path home;

    private HubFixture fixture;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final ByteArrayOutputStream logs = new ByteArrayOutputStream();
    private PrintStream originalErr;

    @BeforeEach
    void captureLogs() {
        fixture = new HubFixture(home);
        originalErr = System.err;
        // the hub logs to stderr; logback's console appender looks System.err up on every write
        System.setErr(new PrintStream(logs, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreStderr() {
        System.setErr(originalErr);
        LogRedaction.clear();
    }

    @Test
    void validateAcceptsAValidConfigWithExitCode0() {
        Path config = fixture.config(HubFixture.acmeProbeTenant("0 */5 * * * ?"));

        assertThat(run("validate", "--config", config.toString())).isEqualTo(0);
        assertThat(out.toString()).contains("is valid: 1 tenant(s), 1 connection(s), 1 sync(s)");
    }

    @Test
    void validateListsEveryProblemWithFileLineAndColumnAndExitCode2() {
        Path config = fixture.config("""
                tenants:
                  acme:
                    connections:
                      acme-probe:
                        plugin: probe
                        healthy: maybe
                      acme-other:
                        plugin: nosuchplugin
                    syncs:
                      - id: acme-check
                        flow: connection-check
                        schedule: "every five minutes"
                        connections: acme-probe
                """);

        assertThat(run("validate", "--config", config.toString())).isEqualTo(2);
        String[] problems = err.toString().lines().filter(l -> l.startsWith(config.toString())).toArray(String[]::new);
        // the hub section written by the fixture takes 5 lines, so the tenants start on line 6
        assertThat(problems).anySatisfy(p -> assertThat(p)
                .startsWith(config + ":9:7: tenants.acme.connections.acme-probe")
                .contains("api.key"));
        assertThat(problems).anySatisfy(p -> assertThat(p)
                .startsWith(config + ":11:18: tenants.acme.connections.acme-probe.healthy:"));
        assertThat(problems).anySatisfy(p -> assertThat(p)
                .startsWith(config + ":13:17: tenants.acme.connections.acme-other.plugin:").contains("probe"));
        assertThat(problems).anySatisfy(p -> assertThat(p)
                .startsWith(config + ":17:19: tenants.acme.syncs[0].schedule:"));
        assertThat(err.toString()).contains("has 4 problem(s)");
    }

    @Test
    void validateWithCheckConnectionsReportsAFailedLiveCheckAgainstItsKey() {
        Path config = fixture.config(HubFixture.acmeProbeTenant("0 */5 * * * ?").replace(
                "api.key: \"${file:probe.key}\"", "api.key: \"${file:probe.key}\"\n        healthy: false"));

        assertThat(run("validate", "--config", config.toString(), "--check-connections")).isEqualTo(1);
        assertThat(err.toString()).contains("tenants.acme.connections.acme-probe.api.key: the probe rejected the key");
    }

    @Test
    void runOncePrintsASummaryPerSyncAndExits0WhenEveryCycleCompleted() {
        Path config = fixture.config(HubFixture.acmeProbeTenant("0 0 3 * * ?"));

        assertThat(run("run", "--config", config.toString(), "--once")).isEqualTo(0);
        assertThat(out.toString()).containsPattern("acme-check\\s+acme\\s+connection-check\\s+SUCCEEDED\\s+1\\s+0\\s+0\\s+1\\s+0\\s+0\\s")
                .contains("1 of 1 sync cycle(s) completed");
    }

    @Test
    void aRoutesFolderThatIsASymbolicLinkIsFollowed() throws Exception {
        // admins keep their templates in one place and link it into each hub's folder; Camel's file
        // scan does not follow a link at the root, so it found no template and the hub did not start
        Path linked = Files.createSymbolicLink(fixture.home().resolve("linked-routes"), fixture.routes());
        Path config = fixture.config(HubFixture.acmeProbeTenant("0 0 3 * * ?"));
        Files.writeString(config, Files.readString(config)
                .replace("routes-dir: " + fixture.routes(), "routes-dir: " + linked));

        assertThat(run("run", "--config", config.toString(), "--once")).isEqualTo(0);
        assertThat(out.toString()).containsPattern("acme-check\\s+acme\\s+connection-check\\s+SUCCEEDED");
    }

    @Test
    void runOnceExits1WhenACycleCannotComplete() {
        fixture.route("broken.yaml", """
                - routeTemplate:
                    id: broken
                    parameters:
                      - name: sync-id
                    from:
                      uri: "direct:sync-{{sync-id}}"
                      steps:
                        - throwException:
                            exceptionType: java.lang.IllegalStateException
                            message: the vendor is on fire
                """);
        Path config = fixture.config(HubFixture.acmeProbeTenant("0 0 3 * * ?") + """
                      - id: acme-broken
                        flow: broken
                        schedule: "0 0 4 * * ?"
                """);

        assertThat(run("run", "--config", config.toString(), "--once")).isEqualTo(1);
        assertThat(out.toString()).containsPattern("acme-broken\\s+acme\\s+broken\\s+FAILED")
                .contains("acme-broken: IllegalStateException: the vendor is on fire")
                .contains("1 of 2 sync cycle(s) completed");
    }

    @Test
    void runWithAnInvalidConfigStartsNothingAndExits2() {
        Path config = fixture.config("tenants:\n  Acme Corp: {}\n");

        assertThat(run("run", "--config", config.toString(), "--once")).isEqualTo(2);
        assertThat(err.toString()).contains("tenants.Acme Corp").contains("nothing was started");
    }

    @Test
    void secretsNeverAppearInLogsOrOutputEvenWhenAPluginLogsThem() {
        Path config = fixture.config(HubFixture.acmeProbeTenant("0 0 3 * * ?"));

        assertThat(run("run", "--config", config.toString(), "--once")).isEqualTo(0);

        String logText = logs.toString(StandardCharsets.UTF_8);
        assertThat(logText).contains("probe acme-probe connecting with key [hidden]");
        assertThat(logText + out + err).doesNotContain(HubFixture.PROBE_KEY);
    }

    @Test
    void readPrintsWhatTheConnectorReadsAsCanonicalJsonLines() {
        Path config = fixture.config(HubFixture.acmeProbeTenant("0 0 3 * * ?").replace(
                "api.key: \"${file:probe.key}\"", "api.key: \"${file:probe.key}\"\n        tickets: [a, b, c, d, e]"));

        assertThat(run("read", "--config", config.toString(), "--connection", "acme/acme-probe")).isEqualTo(0);
        assertThat(out.toString().lines().toList()).hasSize(5).first().asString()
                .contains("\"title\":\"a\"").contains("\"status\":\"OPEN\"").contains("\"id\":\"P-0\"");
        assertThat(err.toString()).contains("read 5 record(s) from acme/acme-probe");

        out.getBuffer().setLength(0);
        assertThat(run("read", "--config", config.toString(), "--connection", "acme/acme-probe", "--limit", "2"))
                .isEqualTo(0);
        assertThat(out.toString().lines().toList()).hasSize(2);
    }

    @Test
    void readNamesEachRecordTheConnectorCouldNotReadAndPrintsTheOthers() {
        Path config = fixture.config(HubFixture.acmeProbeTenant("0 0 3 * * ?").replace(
                "api.key: \"${file:probe.key}\"", "api.key: \"${file:probe.key}\"\n        tickets: [a, \"!b\", c]"));

        assertThat(run("read", "--config", config.toString(), "--connection", "acme/acme-probe")).isEqualTo(0);

        assertThat(out.toString().lines().toList()).hasSize(2);
        assertThat(err.toString()).contains("could not read record P-1: probe cannot read !b (raw record 14 bytes)\n")
                .contains("read 2 record(s) from acme/acme-probe");
    }

    @Test
    void anEmptyReadSaysWhichWindowItRead() {
        Path config = fixture.config(HubFixture.acmeProbeTenant("0 0 3 * * ?").replace(
                "api.key: \"${file:probe.key}\"", "api.key: \"${file:probe.key}\"\n        tickets: []"));
        Instant before = Instant.now().truncatedTo(ChronoUnit.SECONDS);

        assertThat(run("read", "--config", config.toString(), "--connection", "acme/acme-probe",
                "--since", "2000-01-01T00:00:00Z")).isEqualTo(0);

        assertThat(out.toString()).isEmpty();
        Matcher window = Pattern.compile("read 0 record\\(s\\) from acme/acme-probe changed between "
                + "2000-01-01T00:00:00Z and (\\S+)\\n").matcher(err.toString());
        assertThat(window.find()).as(err.toString()).isTrue();
        assertThat(Instant.parse(window.group(1))).isBetween(before, Instant.now());
    }

    @Test
    void readRefusesAConnectionOfNoTenantAndABadSince() {
        Path config = fixture.config(HubFixture.acmeProbeTenant("0 0 3 * * ?"));

        assertThat(run("read", "--config", config.toString(), "--connection", "globex/acme-probe")).isEqualTo(2);
        assertThat(err.toString()).contains("tenant 'globex' has no connection 'acme-probe'");
        assertThat(run("read", "--config", config.toString(), "--connection", "acme/acme-probe", "--since", "yesterday"))
                .isEqualTo(2);
    }

    @Test
    void aRecordThatCouldNotBeWrittenIsListedShownAndReplayedOnceTheCauseIsFixed() throws Exception {
        Path reject = home.resolve("reject-creates");
        java.nio.file.Files.writeString(reject, "the customer's tool wants a requester");
        Path config = fixture.config("""
                tenants:
                  acme:
                    connections:
                      acme-desk:
                        plugin: probe
                        api.key: "${file:probe.key}"
                        tickets: [Printer on fire]
                      acme-tool:
                        plugin: probe
                        api.key: "${file:probe.key}"
                        reject.file: "%s"
                    syncs:
                      - id: acme-tickets
                        flow: ticket-sync
                        schedule: "0 0 3 * * ?"
                        left-connection: acme-desk
                        right-connection: acme-tool
                        direction: left-to-right
                """.formatted(reject));

        assertThat(run("run", "--config", config.toString(), "--once")).isEqualTo(0);
        assertThat(out.toString()).containsPattern("acme-tickets\\s+acme\\s+ticket-sync\\s+PARTIAL\\s+1\\s+0\\s+0\\s+0\\s+0\\s+1");

        out.getBuffer().setLength(0);
        assertThat(run("dlq", "list", "--config", config.toString())).isEqualTo(0);
        assertThat(out.toString()).contains("acme-tickets").contains("ticket:P-0").contains("requester is required")
                .contains("1 dead letter(s)");
        String id = out.toString().lines().skip(1).findFirst().orElseThrow().trim().split("\\s+")[0];

        out.getBuffer().setLength(0);
        assertThat(run("dlq", "show", id, "--config", config.toString())).isEqualTo(0);
        assertThat(out.toString()).contains("Printer on fire").contains("attempts:      1");

        out.getBuffer().setLength(0);
        assertThat(run("dlq", "replay", id, "--config", config.toString())).isEqualTo(1);
        assertThat(out.toString()).contains(id + ": still failing").contains("0 replayed, 1 still failing");

        java.nio.file.Files.delete(reject); // the admin fixed the cause
        out.getBuffer().setLength(0);
        assertThat(run("dlq", "replay", id, "--config", config.toString())).isEqualTo(0);
        assertThat(out.toString()).contains(id + ": replayed").contains("1 replayed, 0 still failing");

        out.getBuffer().setLength(0);
        assertThat(run("dlq", "list", "--config", config.toString())).isEqualTo(0);
        assertThat(out.toString()).contains("0 dead letter(s)");
    }

    @Test
    void pluginsListsEachConnectorWithVersionAndCapabilities() {
        assertThat(run("plugins", "--plugins-dir", fixture.plugins().toString())).isEqualTo(0);
        assertThat(out.toString()).containsPattern("probe\\s+1\\.0\\.0\\s+ticket-sink,ticket-source,webhook\\s+Probe connector");
    }

    @Test
    void aPluginHasOneVersionInTheLogInPluginsAndInHealthTheOneItsDescriptorNames() {
        Path config = fixture.config(HubFixture.acmeProbeTenant("0 0 3 * * ?"));

        assertThat(run("plugins", "--plugins-dir", fixture.plugins().toString())).isEqualTo(0);
        assertThat(run("run", "--config", config.toString(), "--once")).isEqualTo(0);

        assertThat(out.toString()).containsPattern("probe\\s+1\\.0\\.0\\s");
        String log = logs.toString(StandardCharsets.UTF_8);
        assertThat(log).contains("[probe 1.0.0]").contains("Opening connection acme/acme-probe (plugin probe)");
        // the stale version appears only where the hub says it ignores it (once per command)
        assertThat(log.lines().filter(l -> l.contains("0.0.9-stale"))).hasSize(2).allSatisfy(l -> assertThat(l)
                .contains("WARN").contains("its descriptor (plugin.version) 1.0.0; the hub reports 1.0.0"));
    }

    @Test
    void aMissingPluginsFolderIsOneLineSayingWhichKeyNotAStackTrace() throws Exception {
        Path config = fixture.config(HubFixture.acmeProbeTenant("0 0 3 * * ?"));
        java.nio.file.Files.writeString(config, java.nio.file.Files.readString(config)
                .replace("plugins-dir: " + fixture.plugins(), "plugins-dir: " + home.resolve("no-plugins")));

        // the config's validation names the key at its line, like every other problem of the file (exit 2)
        assertThat(run("dlq", "list", "--config", config.toString())).isEqualTo(2);

        assertThat(err.toString().lines().filter(l -> l.contains("no-plugins"))).singleElement().asString()
                .contains(config.getFileName().toString()).contains("hub.plugins-dir");
        assertThat(logs.toString(StandardCharsets.UTF_8)).doesNotContain("\tat ");
    }

    @Test
    void versionAndHelpWork() {
        assertThat(run("version")).isEqualTo(0);
        assertThat(out.toString()).startsWith("itsm-hub ").doesNotContain("unknown");
        assertThat(run("run", "--help")).isEqualTo(0);
        assertThat(out.toString()).contains("--once").contains("--config");
    }

    @Test
    void aMissingRequiredOptionIsAUsageErrorWithExitCode2() {
        assertThat(run("validate")).isEqualTo(2);
        assertThat(err.toString()).contains("Missing required option: '--config=FILE'");
    }

    // --- while another process (a running hub) holds the default H2 store open ------------------

    @Test
    void runOnceDlqListDlqReplayAndAssetsWorkWhileTheHubHoldsTheH2Store() throws Exception {
        Path reject = Files.writeString(home.resolve("reject-creates"), "the customer's tool wants a requester");
        Path config = fixture.config("""
                tenants:
                  acme:
                    connections:
                      acme-desk:
                        plugin: probe
                        api.key: "${file:probe.key}"
                        tickets: [Printer on fire]
                      acme-tool:
                        plugin: probe
                        api.key: "${file:probe.key}"
                        reject.file: "%s"
                    syncs:
                      - id: acme-tickets
                        flow: ticket-sync
                        schedule: "0 0 3 * * ?"
                        left-connection: acme-desk
                        right-connection: acme-tool
                        direction: left-to-right
                """.formatted(reject));

        try (StoreHolder hub = StoreHolder.start(storeUrl(), false, home.resolve("holder.log"))) {
            assertThat(runAlone("run", "--config", config.toString(), "--once")).as(this::diagnostics).isEqualTo(0);
            assertThat(out.toString()).contains("PARTIAL");

            assertThat(runAlone("dlq", "list", "--config", config.toString())).as(this::diagnostics).isEqualTo(0);
            assertThat(out.toString()).contains("ticket:P-0").contains("requester is required")
                    .contains("1 dead letter(s)");
            String id = out.toString().lines().filter(l -> l.contains("ticket:P-0")).findFirst().orElseThrow()
                    .trim().split("\\s+")[0];

            Files.delete(reject);
            assertThat(runAlone("dlq", "replay", id, "--config", config.toString())).as(this::diagnostics).isEqualTo(0);
            assertThat(out.toString()).contains(id + ": replayed").contains("1 replayed, 0 still failing");

            assertThat(runAlone("assets", "--config", config.toString(), "--tenant", "acme")).as(this::diagnostics).isEqualTo(0);
            assertThat(out.toString()).contains("0 asset(s) from 0 source record(s) in tenant acme");

            // the hub serves the file to the commands on loopback only
            Properties lock = new Properties();
            try (var in = Files.newInputStream(home.resolve("data/hub.lock.db"))) {
                lock.load(in);
            }
            String[] server = lock.getProperty("server").split(":");
            assertThat(InetAddress.getByName(server[0]).isLoopbackAddress()).as(lock::toString).isTrue();
            assertThat(listeningAddresses(Integer.parseInt(server[1]))).containsOnly("127.0.0.1");
        }
        assertThat(err.toString()).isEmpty();
        assertThat(logs.toString(StandardCharsets.UTF_8)).doesNotContain("\tat ").doesNotContain("locked");
    }

    @Test
    void aStoreHeldByAProcessThatDoesNotShareItIsReportedInOneLineSayingWhatToDo() throws Exception {
        Path config = fixture.config(HubFixture.acmeProbeTenant("0 0 3 * * ?"));

        try (StoreHolder other = StoreHolder.start(storeUrl(), true, home.resolve("holder.log"))) {
            assertThat(runAlone("dlq", "list", "--config", config.toString())).as(this::diagnostics).isEqualTo(1);
        }

        assertThat(err.toString().lines()).singleElement().satisfies(line -> assertThat(line)
                .startsWith("itsm-hub: the store jdbc:h2:file:" + home + "/data/hub is held by another process")
                .contains("stop that process"));
        assertThat(logs.toString(StandardCharsets.UTF_8)).doesNotContain("\tat ").doesNotContain("Exception");
    }

    @Test
    void aStoreFileWith32KbOfGarbageIsRefusedByRunAndByStoreCheckInOneLineNamingTheFileWithExitCode2() {
        Path config = fixture.config(HubFixture.acmeProbeTenant("0 0 3 * * ?"));
        try (HubStore store = HubStore.open(new StoreSettings(storeUrl(), "", ""))) {
            StoreFiles.link(store, 10_000);
        }
        Path file = home.resolve("data/hub.mv.db");
        assertThat(runAlone("store", "check", "--config", config.toString())).as(this::diagnostics).isEqualTo(0);
        assertThat(out.toString()).startsWith("the store " + file + " is healthy: ").contains(" rows read in ");

        StoreFiles.overwriteMiddle(file, 32 * 1024);

        for (String[] command : List.of(new String[] {"run", "--config", config.toString(), "--once"},
                new String[] {"store", "check", "--config", config.toString()})) {
            assertThat(runAlone(command)).as(this::diagnostics).isEqualTo(2);
            assertThat(err.toString().lines()).as(this::diagnostics).singleElement().satisfies(line -> assertThat(line)
                    .startsWith("itsm-hub: the store " + file + " is corrupt (").contains("restore it from a backup"));
            assertThat(out.toString()).doesNotContain("sync cycle(s) completed");
        }
    }

    /** The addresses a port listens on, from Linux's socket tables (127.0.0.1 elsewhere). */
    private static List<String> listeningAddresses(int port) throws IOException {
        if (!Files.isReadable(Path.of("/proc/net/tcp"))) {
            return List.of("127.0.0.1");
        }
        String local = String.format(":%04X", port);
        List<String> found = new java.util.ArrayList<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path file = Path.of(table);
            if (!Files.isReadable(file)) {
                continue;
            }
            Files.readAllLines(file).stream().skip(1).map(l -> l.trim().split("\\s+"))
                    .filter(f -> f[1].endsWith(local) && f[3].equals("0A"))
                    .map(f -> f[1].substring(0, f[1].indexOf(':')))
                    // 127.0.0.1 in IPv4's table, or as an IPv4-mapped address in IPv6's
                    .map(a -> a.equals("0100007F") || a.equals("0000000000000000FFFF00000100007F") ? "127.0.0.1" : a)
                    .forEach(found::add);
        }
        return found;
    }

    private String diagnostics() {
        return "stdout:\n" + out + "\nstderr:\n" + err + "\nlogs:\n" + logs.toString(StandardCharsets.UTF_8);
    }

    private String storeUrl() {
        return "jdbc:h2:file:" + home + "/data/hub";
    }

    /** Runs one command with fresh output buffers. */
    private int runAlone(String... args) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        return run(args);
    }

    private int run(String... args) {
        CommandLine cli = ItsmHubCli.newCommandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }
}
