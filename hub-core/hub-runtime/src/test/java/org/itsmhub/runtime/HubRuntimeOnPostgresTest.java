package org.itsmhub.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;

import org.itsmhub.runtime.config.HubConfig;
import org.itsmhub.runtime.config.HubSettings;
import org.itsmhub.runtime.store.HubStore;
import org.itsmhub.runtime.store.PostgresTestServer;
import org.itsmhub.runtime.store.StoreSettings;
import org.itsmhub.runtime.store.SyncRunOutcome;
import org.itsmhub.runtime.testing.HubFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hub on PostgreSQL: the same sync fired by Quartz, with its schedule in the clustered job store. */
class HubRuntimeOnPostgresTest {

    private static PostgresTestServer postgres;

    @TempDir
    Path home;

    @BeforeAll
    static void startPostgres() {
        postgres = PostgresTestServer.start();
    }

    @AfterAll
    static void stopPostgres() {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void schedulesLiveInTheClusteredJobStoreAndFireOnOneNode() throws Exception {
        StoreSettings db = postgres.freshSchema();
        HubFixture fixture = new HubFixture(home);
        Path config = fixture.config(db.url(), db.user(), db.password(), HubFixture.acmeProbeTenant("* * * * * ?"));
        try (HubBootstrap boot = HubBootstrap.load(config, name -> null)) {
            assertThat(boot.result().issues()).isEmpty();
            HubConfig hubConfig = boot.result().config();
            HubSettings.Store s = hubConfig.hub().store();
            try (HubStore store = HubStore.open(new StoreSettings(s.url(), s.user(), s.password().reveal()));
                    HubRuntime runtime = new HubRuntime(hubConfig, boot.plugins(), store, Clock.systemUTC(),
                            HubRuntime.Mode.SERVE)) {
                runtime.start();

                await().atMost(Duration.ofSeconds(20)).until(() -> store.syncRuns().latest("acme", "acme-check")
                        .filter(r -> r.outcome() == SyncRunOutcome.SUCCEEDED).isPresent());
                try (Connection c = store.dataSource().getConnection(); Statement st = c.createStatement()) {
                    assertThat(count(st, "select count(*) from qrtz_triggers where trigger_name like '%acme-check%'"))
                            .isEqualTo(1);
                    // this node checked in to the cluster, under the name every node shares
                    assertThat(count(st, "select count(*) from qrtz_scheduler_state where sched_name like 'itsm-hub%'"))
                            .isEqualTo(1);
                }
            }
        }
    }

    private static long count(Statement st, String sql) throws Exception {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
