package org.itsmhub.runtime.flow.ticket;

import org.itsmhub.runtime.store.PostgresTestServer;
import org.itsmhub.runtime.store.StoreSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Leases on PostgreSQL: one server for the class, a fresh schema for each test. */
class PostgresSyncLeaseTest extends AbstractSyncLeaseTest {

    private static PostgresTestServer server;
    private StoreSettings settings;

    @BeforeAll
    static void startServer() {
        server = PostgresTestServer.start();
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Override
    StoreSettings settings() {
        if (settings == null) { // a new test instance per test: a fresh schema each
            settings = server.freshSchema();
        }
        return settings;
    }
}
