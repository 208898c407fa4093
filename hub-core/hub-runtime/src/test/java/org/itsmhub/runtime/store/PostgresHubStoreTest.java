package org.itsmhub.runtime.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.quartz.impl.jdbcjobstore.PostgreSQLDelegate;

/**
 * The store contract on PostgreSQL: one server and one fresh schema for the class (see
 * {@link PostgresTestServer}), tables emptied before each test.
 */
class PostgresHubStoreTest extends AbstractHubStoreTest {

    private static PostgresTestServer server;
    private static StoreSettings settings;

    @BeforeAll
    static void startServer() {
        server = PostgresTestServer.start();
        settings = server.freshSchema();
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Override
    StoreSettings settings() {
        return settings;
    }

    @Override
    String quartzDelegateClass() {
        return PostgreSQLDelegate.class.getName();
    }

    @Override
    void emptyTables(DataSource dataSource) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            st.execute("TRUNCATE links, cursors, outbox, dead_letters, sync_runs, finding_states, finding_tickets"
                    + " RESTART IDENTITY");
            // The audit log refuses TRUNCATE; its owner may lift that for the length of this transaction.
            st.execute("ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_truncate");
            st.execute("TRUNCATE audit_log RESTART IDENTITY");
            st.execute("ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_truncate");
            c.commit();
        }
    }

    @Test
    void theDatabaseRejectsTruncatingTheAuditLog() {
        store.auditLog().append(audit("INC001", "create"));

        assertThatThrownBy(() -> execute("TRUNCATE audit_log"))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("append-only");
    }

    @Test
    void aSecondNodesCycleOfTheSameSyncWaitsUntilTheFirstReleasesItsLock() throws Exception {
        // two stores on one database stand for two hub nodes
        try (HubStore otherNode = HubStore.open(settings(), clock)) {
            SyncLocks.Held first = store.syncLocks().acquire(TENANT, SYNC);
            CompletableFuture<SyncLocks.Held> second = CompletableFuture
                    .supplyAsync(() -> otherNode.syncLocks().acquire(TENANT, SYNC));
            SyncLocks.Held otherSync = CompletableFuture.supplyAsync(() -> otherNode.syncLocks()
                    .acquire(TENANT, "acme-signals")).get(10, TimeUnit.SECONDS); // not held up

            Thread.sleep(300); // the second acquire is under way
            assertThat(second).as("the same sync on another node waits").isNotDone();
            otherSync.close();
            first.close();

            second.get(10, TimeUnit.SECONDS).close();
        }
    }
}
