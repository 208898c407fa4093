package org.itsmhub.runtime.store;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * Keeps the cycles of one sync from overlapping between the hub and the CLI commands an admin runs
 * beside it on an H2 file store ({@code run --once}, {@code dlq replay}; they share the file, see
 * {@link H2Sharing}): a cycle holds a lock on one byte of a lock file next to the store
 * ({@code <store>.synclock}), which the operating system releases when the process ends, even on
 * {@code kill -9}. Across the nodes of a cluster it is the sync's lease that keeps cycles apart
 * ({@link SyncLeaseRepository}, on every store); this lock only makes a CLI command beside the hub
 * wait quietly for the hub's cycle instead of polling the lease. On PostgreSQL there is no lock
 * here any more: a session-level advisory lock held by a frozen or partitioned node blocked
 * every other node for as long as the TCP session lived.
 */
public final class SyncLocks {

    /** A held lock; closing it releases it. */
    public interface Held extends AutoCloseable {
        @Override
        void close();
    }

    private static final Held NOTHING = () -> { };

    private final DatabaseVendor vendor;
    private final StoreSettings settings;

    SyncLocks(DatabaseVendor vendor, StoreSettings settings) {
        this.vendor = vendor;
        this.settings = settings;
    }

    /** Waits until no other process on this H2 file runs a cycle of this sync, then holds the lock until closed. */
    public Held acquire(String tenantId, String syncId) {
        if (vendor == DatabaseVendor.H2) {
            return H2Sharing.baseFile(settings.url())
                    .map(base -> SyncFileLocks.acquire(base.resolveSibling(base.getFileName() + ".synclock"),
                            key(tenantId + "/" + syncId)))
                    .orElse(NOTHING);
        }
        return NOTHING;
    }

    /** A stable 32-bit key per name; two names sharing a key only wait for each other needlessly. */
    static int key(String name) {
        CRC32 crc = new CRC32();
        crc.update(name.getBytes(StandardCharsets.UTF_8));
        return (int) crc.getValue();
    }
}
