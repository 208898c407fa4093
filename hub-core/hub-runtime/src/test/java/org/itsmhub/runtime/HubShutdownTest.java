package org.itsmhub.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import org.itsmhub.runtime.flow.SyncResult;
import org.itsmhub.runtime.store.HubStore;
import org.itsmhub.runtime.testing.HubFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the hub logs when it is stopped (SIGTERM and Ctrl-C run {@link HubRuntime#close()} from a shutdown hook). */
class HubShutdownTest {

    @TempDir
    Path home;

    private final ByteArrayOutputStream logs = new ByteArrayOutputStream();
    private PrintStream originalErr;

    @BeforeEach
    void captureLogs() {
        originalErr = System.err;
        System.setErr(new PrintStream(logs, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreStderr() {
        System.setErr(originalErr);
    }

    @Test
    void stoppingLogsTheCyclesThatWereRunningAndThatTheyFinished() throws Exception {
        HubFixture fixture = new HubFixture(home).route("slow.yaml", """
                - routeTemplate:
                    id: slow
                    parameters:
                      - name: sync-id
                    from:
                      uri: "direct:sync-{{sync-id}}"
                      steps:
                        - delay:
                            constant: "1500"
                """);
        Path config = fixture.config(HubFixture.acmeProbeTenant("0 0 3 * * ?") + """
                      - id: acme-slow
                        flow: slow
                        schedule: "0 0 4 * * ?"
                """);
        try (HubBootstrap boot = HubBootstrap.load(config, name -> null);
                HubStore store = boot.openStore()) {
            HubRuntime runtime = new HubRuntime(boot.result().config(), boot.plugins(), store, Clock.systemUTC(),
                    HubRuntime.Mode.SERVE);
            runtime.start();
            CompletableFuture<SyncResult> cycle = CompletableFuture.supplyAsync(() -> runtime.syncs().run("acme-slow"));
            await().atMost(Duration.ofSeconds(10)).until(() -> runtime.syncs().running().containsKey("acme-slow"));

            runtime.close();
            runtime.close(); // the command closes it again after the shutdown hook: nothing more happens

            assertThat(cycle.get().completed()).isTrue();
        }
        String log = logs.toString(StandardCharsets.UTF_8);
        assertThat(log).containsPattern("Stopping ITSM Hub: 1 sync cycle\\(s\\) running \\(acme-slow for \\d+ ms\\), "
                + "waiting up to 15 s for them to finish");
        assertThat(log).containsPattern("ITSM Hub stopped after \\d+ ms; finished while stopping: acme-slow\\R");
        assertThat(log.lines().filter(l -> l.contains("Stopping ITSM Hub"))).hasSize(1);
    }
}
