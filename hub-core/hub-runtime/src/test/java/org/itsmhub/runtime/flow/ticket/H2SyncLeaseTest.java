package org.itsmhub.runtime.flow.ticket;

import java.nio.file.Path;
import java.sql.SQLException;

import org.h2.tools.Server;
import org.itsmhub.runtime.store.StoreSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * Leases on H2, reached through an H2 TCP server on 127.0.0.1 as two nodes would: two nodes in one
 * JVM on one H2 file URL would queue on the file lock kept for the CLI beside the hub before they
 * reach the lease, and an in-memory database kept open outlives the session that parsed its check
 * constraints (see {@code HubStore.open}).
 */
class H2SyncLeaseTest extends AbstractSyncLeaseTest {

    @TempDir
    Path base;
    private Server server;

    @Override
    StoreSettings settings() {
        if (server == null) {
            try {
                server = Server.createTcpServer("-tcpPort", "0", "-baseDir", base.toString(), "-ifNotExists").start();
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }
        return new StoreSettings("jdbc:h2:tcp://127.0.0.1:" + server.getPort() + "/leases", "sa", "");
    }

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.stop();
        }
    }
}
