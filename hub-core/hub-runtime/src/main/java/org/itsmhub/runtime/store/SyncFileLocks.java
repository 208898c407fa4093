package org.itsmhub.runtime.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Cross-process locks on one byte each of a lock file, for {@link SyncLocks} on an H2 file store.
 *
 * <p>The operating system keeps file locks per process, and Java refuses a second lock on the same
 * byte from the same JVM, so a lock in memory per (file, byte) goes first and makes the lock
 * reentrant for one thread. One channel per file stays open for the life of the JVM: on POSIX,
 * closing any channel to a file would drop every lock the process holds on it.
 */
final class SyncFileLocks {

    private static final Map<Path, FileChannel> CHANNELS = new ConcurrentHashMap<>();
    private static final Map<String, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();

    private SyncFileLocks() {
    }

    static SyncLocks.Held acquire(Path lockFile, int key) {
        long position = Integer.toUnsignedLong(key);
        ReentrantLock local = IN_PROCESS.computeIfAbsent(lockFile + "#" + position, k -> new ReentrantLock());
        local.lock();
        if (local.getHoldCount() > 1) {
            return local::unlock;
        }
        FileLock held;
        try {
            held = channel(lockFile).lock(position, 1, false);
        } catch (IOException | RuntimeException e) {
            local.unlock();
            throw new StoreException("Locking a sync in " + lockFile + " failed: " + e.getMessage(), e);
        }
        return () -> {
            try {
                held.release();
            } catch (IOException e) {
                // the lock goes with the process at the latest; nothing else to do
            } finally {
                local.unlock();
            }
        };
    }

    private static FileChannel channel(Path lockFile) {
        return CHANNELS.computeIfAbsent(lockFile, f -> {
            try {
                Files.createDirectories(f.getParent());
                return FileChannel.open(f, StandardOpenOption.CREATE, StandardOpenOption.READ,
                        StandardOpenOption.WRITE);
            } catch (IOException e) {
                throw new StoreException("Opening the sync lock file " + f + " failed: " + e.getMessage(), e);
            }
        });
    }
}
