package org.itsmhub.runtime.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
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
            st.execute("TRUNCATE links, cursors, outbox, dead_letters, sync_runs, sync_leases, finding_states, finding_tickets"
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
    void noSessionLevelAdvisoryLockIsHeldForACycleSoAFrozenNodeCannotBlockTheOthers() throws Exception {
        try (SyncLocks.Held held = store.syncLocks().acquire(TENANT, SYNC);
                Connection c = store.dataSource().getConnection(); Statement st = c.createStatement();
                java.sql.ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'")) {
            rs.next();
            assertThat(rs.getInt(1)).as("the sync's lease keeps nodes apart, with a deadline").isZero();
        }
    }
}
