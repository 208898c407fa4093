package org.itsmhub.runtime.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quartz.impl.jdbcjobstore.StdJDBCDelegate;

/** The store contract on embedded H2, in a fresh database file per test. */
class H2HubStoreTest extends AbstractHubStoreTest {

    @TempDir
    Path dir;

    @Override
    StoreSettings settings() {
        return StoreSettings.h2File(dir.resolve("hub"));
    }

    @Override
    String quartzDelegateClass() {
        return StdJDBCDelegate.class.getName();
    }

    @Test
    void onH2WhereOneProcessOwnsTheFileTheCrossNodeSyncLockHoldsNothing() {
        try (SyncLocks.Held first = store.syncLocks().acquire(TENANT, SYNC);
                SyncLocks.Held second = store.syncLocks().acquire(TENANT, SYNC)) {
            assertThat(first).isSameAs(second);
        }
    }
}
