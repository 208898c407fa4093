package org.itsmhub.runtime.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.channels.FileChannel;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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
    void onH2ACycleLocksItsOwnByteOfALockFileBesideTheStoreSoThatOtherProcessesWait() throws Exception {
        Path lockFile = dir.resolve("hub.synclock");
        long position = Integer.toUnsignedLong(SyncLocks.key(TENANT + "/" + SYNC));
        // closing any channel drops all of a process's locks on the file: this one closes last
        try (FileChannel other = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            try (SyncLocks.Held first = store.syncLocks().acquire(TENANT, SYNC);
                    SyncLocks.Held again = store.syncLocks().acquire(TENANT, SYNC)) { // the same thread may nest
                // the JVM refuses what the operating system would make another process wait for
                assertThatThrownBy(() -> other.tryLock(position, 1, false))
                        .isInstanceOf(OverlappingFileLockException.class);
                assertThat(other.tryLock(position + 1, 1, false)).isNotNull().satisfies(l -> l.release());
            }
            assertThat(other.tryLock(position, 1, false)).isNotNull().satisfies(l -> l.release());
        }
        try (SyncLocks.Held afterwards = store.syncLocks().acquire(TENANT, SYNC)) {
            assertThat(Files.exists(lockFile)).isTrue();
        }
    }
}
