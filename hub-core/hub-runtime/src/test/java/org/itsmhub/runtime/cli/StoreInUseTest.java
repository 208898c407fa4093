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
import java.util.List;
import java.util.Properties;

import org.itsmhub.runtime.logging.LogRedaction;
import org.itsmhub.runtime.testing.HubFixture;
import org.itsmhub.runtime.testing.StoreHolder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

/**
 * The commands that read or change the store, run while another process (a running hub) holds the
 * default H2 store open, through the real command line.
 */
class StoreInUseTest {

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
        System.setErr(new PrintStream(logs, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreStderr() {
        System.setErr(originalErr);
        LogRedaction.clear();
    }

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
            assertThat(run("run", "--config", config.toString(), "--once")).as(this::diagnostics).isEqualTo(0);
            assertThat(out.toString()).contains("PARTIAL");

            assertThat(run("dlq", "list", "--config", config.toString())).as(this::diagnostics).isEqualTo(0);
            assertThat(out.toString()).contains("ticket:P-0").contains("requester is required")
                    .contains("1 dead letter(s)");
            String id = out.toString().lines().filter(l -> l.contains("ticket:P-0")).findFirst().orElseThrow()
                    .trim().split("\\s+")[0];

            Files.delete(reject);
            assertThat(run("dlq", "replay", id, "--config", config.toString())).as(this::diagnostics).isEqualTo(0);
            assertThat(out.toString()).contains(id + ": replayed").contains("1 replayed, 0 still failing");

            assertThat(run("assets", "--config", config.toString(), "--tenant", "acme")).as(this::diagnostics).isEqualTo(0);
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
            assertThat(run("dlq", "list", "--config", config.toString())).as(this::diagnostics).isEqualTo(1);
        }

        assertThat(err.toString().lines()).singleElement().satisfies(line -> assertThat(line)
                .startsWith("itsm-hub: the store jdbc:h2:file:" + home + "/data/hub is held by another process")
                .contains("stop that process"));
        assertThat(logs.toString(StandardCharsets.UTF_8)).doesNotContain("\tat ").doesNotContain("Exception");
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

    private int run(String... args) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        CommandLine cli = ItsmHubCli.newCommandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }
}
