package org.itsmhub.runtime.flow;

import java.util.concurrent.atomic.AtomicLong;

import org.itsmhub.runtime.store.SyncCounts;

/**
 * The counts one sync cycle reports: what it read, created, updated, found unchanged and failed on.
 * Flow steps add to it while the cycle runs; thread-safe because steps may split work in parallel.
 */
public final class SyncSummary {

    private final AtomicLong read = new AtomicLong();
    private final AtomicLong created = new AtomicLong();
    private final AtomicLong updated = new AtomicLong();
    private final AtomicLong unchanged = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();

    public void addRead(long n) { read.addAndGet(n); }
    public void addCreated(long n) { created.addAndGet(n); }
    public void addUpdated(long n) { updated.addAndGet(n); }
    public void addUnchanged(long n) { unchanged.addAndGet(n); }
    public void addFailed(long n) { failed.addAndGet(n); }

    public long read() { return read.get(); }
    public long created() { return created.get(); }
    public long updated() { return updated.get(); }
    public long unchanged() { return unchanged.get(); }
    public long failed() { return failed.get(); }

    /** The counts as stored in {@code sync_runs}. */
    public SyncCounts toCounts() {
        return new SyncCounts(Math.toIntExact(read()), Math.toIntExact(created()), Math.toIntExact(updated()),
                Math.toIntExact(unchanged()), Math.toIntExact(failed()));
    }

    @Override
    public String toString() {
        return "read=" + read + " created=" + created + " updated=" + updated + " unchanged=" + unchanged
                + " failed=" + failed;
    }
}
