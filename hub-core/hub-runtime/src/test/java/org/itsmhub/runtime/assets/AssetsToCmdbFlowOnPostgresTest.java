package org.itsmhub.runtime.assets;

import org.itsmhub.runtime.store.PostgresTestServer;
import org.itsmhub.runtime.store.StoreSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The assets-to-cmdb flow with its register on PostgreSQL: one server for the class, a fresh schema per test. */
class AssetsToCmdbFlowOnPostgresTest extends AssetsToCmdbFlowTest {

    private static PostgresTestServer server;

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
    StoreSettings storeSettings() {
        return server.freshSchema();
    }
}
