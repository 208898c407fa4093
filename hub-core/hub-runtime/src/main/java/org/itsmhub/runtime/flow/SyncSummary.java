package org.itsmhub.runtime.flow;

import java.util.concurrent.atomic.AtomicLong;

import org.itsmhub.runtime.store.SyncCounts;

/**
 * The counts one sync cycle reports. Every record a cycle handles is read once and ends in exactly
 * one outcome, so {@code read = created + updated + unchanged + skipped + failed}:
 * <ul>
 *   <li>created / updated: a write it caused created or updated something in the target system (a
 *       record that went into a ticket or CI together with others counts with that write);</li>
 *   <li>unchanged: nothing to write, the target already matches;</li>
 *   <li>skipped: the sync does not act on it (below a severity threshold, nothing to clear, a
 *       duplicate on the page, an unreadable record whose dead letter is already open);</li>
 *   <li>failed: it could not be written and became a dead letter.</li>
 * </ul>
 * A record the cycle takes up again without reading it from a source (a dead letter retried, a
 * linked pair checked and found lost, a pending CMDB push, a stale mark) counts as read too.
 * Flow steps add to it while the cycle runs; thread-safe because steps may split work in parallel.
 */
public final class SyncSummary {

    private final AtomicLong read = new AtomicLong();
    private final AtomicLong created = new AtomicLong();
    private final AtomicLong updated = new AtomicLong();
    private final AtomicLong unchanged = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();

    public void addRead(long n) { read.addAndGet(n); }
    public void addCreated(long n) { created.addAndGet(n); }
    public void addUpdated(long n) { updated.addAndGet(n); }
    public void addUnchanged(long n) { unchanged.addAndGet(n); }
    public void addSkipped(long n) { skipped.addAndGet(n); }
    public void addFailed(long n) { failed.addAndGet(n); }

    public long read() { return read.get(); }
    public long created() { return created.get(); }
    public long updated() { return updated.get(); }
    public long unchanged() { return unchanged.get(); }
    public long skipped() { return skipped.get(); }
    public long failed() { return failed.get(); }

    /** Whether every record read has exactly one outcome (what the flows' tests check). */
    public boolean addsUp() {
        return read() == created() + updated() + unchanged() + skipped() + failed();
    }

    /** The counts as stored in {@code sync_runs} (without skipped, which is read minus the others). */
    public SyncCounts toCounts() {
        return new SyncCounts(Math.toIntExact(read()), Math.toIntExact(created()), Math.toIntExact(updated()),
                Math.toIntExact(unchanged()), Math.toIntExact(failed()));
    }

    @Override
    public String toString() {
        return "read=" + read + " created=" + created + " updated=" + updated + " unchanged=" + unchanged
                + " skipped=" + skipped + " failed=" + failed;
    }
}
