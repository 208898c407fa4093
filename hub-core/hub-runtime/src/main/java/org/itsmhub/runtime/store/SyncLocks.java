package org.itsmhub.runtime.store;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Properties;
import java.util.zip.CRC32;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the cycles of one sync from overlapping across hub nodes that share a PostgreSQL store.
 * Quartz already fires each schedule on one node only, but a webhook or an admin-API run arrives
 * on whichever node the load balancer picks. On PostgreSQL a cycle holds a session-level advisory
 * lock on (tenant, sync) for its whole length, on a connection of its own outside the pool (so
 * long cycles never starve the pool the cycle itself needs); another node's cycle of the same sync
 * waits for it. On an H2 file store the hub and the CLI commands beside it ({@code run --once},
 * {@code dlq replay}) share the file (see {@link H2Sharing}), so a cycle holds a lock on one byte of
 * a lock file next to the store ({@code <store>.synclock}), which the operating system releases
 * when the process ends, even on {@code kill -9}.
 */
public final class SyncLocks {

    /** A held lock; closing it releases it. */
    public interface Held extends AutoCloseable {
        @Override
        void close();
    }

    private static final Logger LOG = LoggerFactory.getLogger(SyncLocks.class);
    private static final Held NOTHING = () -> { };

    private final DatabaseVendor vendor;
    private final StoreSettings settings;

    SyncLocks(DatabaseVendor vendor, StoreSettings settings) {
        this.vendor = vendor;
        this.settings = settings;
    }

    /** Waits until no other node runs a cycle of this sync, then holds the lock until closed. */
    public Held acquire(String tenantId, String syncId) {
        if (vendor == DatabaseVendor.H2) {
            return H2Sharing.baseFile(settings.url())
                    .map(base -> SyncFileLocks.acquire(base.resolveSibling(base.getFileName() + ".synclock"),
                            key(tenantId + "/" + syncId)))
                    .orElse(NOTHING);
        }
        if (vendor != DatabaseVendor.POSTGRESQL) {
            return NOTHING;
        }
        int tenantKey = key(tenantId);
        int syncKey = key(syncId);
        String operation = "Locking sync " + tenantId + "/" + syncId + " across nodes";
        Connection connection = null;
        try {
            connection = open();
            try (PreparedStatement lock = connection.prepareStatement("SELECT pg_advisory_lock(?, ?)")) {
                lock.setInt(1, tenantKey);
                lock.setInt(2, syncKey);
                lock.execute();
            }
        } catch (SQLException e) {
            closeQuietly(connection);
            throw Jdbc.failure(operation, e);
        }
        Connection held = connection;
        return () -> {
            try (PreparedStatement unlock = held.prepareStatement("SELECT pg_advisory_unlock(?, ?)")) {
                unlock.setInt(1, tenantKey);
                unlock.setInt(2, syncKey);
                unlock.execute();
            } catch (SQLException e) {
                // closing the session below releases a session-level lock anyway
                LOG.warn("Unlocking sync {}/{} failed: {}", tenantId, syncId, e.getMessage());
            } finally {
                closeQuietly(held);
            }
        };
    }

    private Connection open() throws SQLException {
        Properties props = new Properties();
        if (settings.user() != null) {
            props.setProperty("user", settings.user());
        }
        if (settings.password() != null) {
            props.setProperty("password", settings.password());
        }
        return DriverManager.getConnection(settings.url(), props);
    }

    /** A stable 32-bit key per name; two names sharing a key only wait for each other needlessly. */
    static int key(String name) {
        CRC32 crc = new CRC32();
        crc.update(name.getBytes(StandardCharsets.UTF_8));
        return (int) crc.getValue();
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                LOG.debug("Closing a lock connection failed: {}", e.getMessage());
            }
        }
    }
}
