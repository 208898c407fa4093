package org.itsmhub.runtime.flow;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.itsmhub.runtime.store.StoreException;
import org.itsmhub.runtime.store.SyncLeaseRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lease a cycle holds on its sync ({@link SyncLeaseRepository}), kept alive by a heartbeat and
 * checked before every write the cycle makes.
 *
 * <p><b>Fencing, cheaply.</b> Only the heartbeat touches the database: every third of the lease it
 * extends the lease row if its token is still this cycle's, and remembers when it sent that
 * renewal. A write ({@link #checkStillHeld}) costs no query: it is allowed only while the last
 * successful renewal is younger than the lease minus a safety margin of a third. The row the
 * renewal wrote lasts a whole lease from a moment no earlier than that, so by the time another node
 * may take the lease over (the row expired by its clock) this node has refused writes for at least
 * a third of the lease — the margin that absorbs clock drift between nodes and a renewal's own
 * latency. A node frozen past that point (SIGSTOP, a long GC, a VM pause, a partition) finds on
 * waking that its last renewal is too old and stops before its next write, whether or not its
 * heartbeat has noticed the takeover yet. What fencing cannot stop is a single write already on the
 * wire when the freeze began; the outbox and correlation ids make such a write recognisable to the
 * node that took over.
 *
 * <p>Thread-safe: the heartbeat thread renews, the cycle's thread checks.
 */
final class SyncLease implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SyncLease.class);

    private final SyncLeaseRepository leases;
    private final String tenant;
    private final String syncId;
    private final String holder;
    private final long token;
    private final long runId;
    private final Duration length;
    private final Clock clock;
    /** When the statement that last extended the lease was sent (taken before sending it). */
    private volatile Instant renewedAt;
    /** Why this cycle may no longer write: null while it may. */
    private volatile String lost;
    private volatile boolean renewalFailing;
    private ScheduledFuture<?> heartbeat;

    SyncLease(SyncLeaseRepository leases, SyncLeaseRepository.Lease lease, Instant sentAt, Duration length,
            Clock clock) {
        this.leases = leases;
        this.tenant = lease.tenantId();
        this.syncId = lease.syncId();
        this.holder = lease.holder();
        this.token = lease.token();
        this.runId = lease.runId() == null ? 0 : lease.runId();
        this.length = length;
        this.clock = clock;
        this.renewedAt = sentAt;
    }

    long token() {
        return token;
    }

    /** Starts renewing every third of the lease on the given scheduler. */
    void keepAlive(ScheduledExecutorService scheduler) {
        long every = Math.max(1, length.toMillis() / 3);
        heartbeat = scheduler.scheduleAtFixedRate(this::renew, every, every, TimeUnit.MILLISECONDS);
    }

    /**
     * Throws unless this cycle may still write: its lease was not taken over, as far as the last
     * renewal knows, and that renewal is younger than the lease minus the margin. No database call.
     *
     * @throws LeaseLostException naming why
     */
    void checkStillHeld() {
        String why = lost;
        if (why == null) {
            Instant deadline = renewedAt.plus(length.minus(margin()));
            if (!clock.instant().isBefore(deadline)) {
                why = "its lease (token " + token + ") was last renewed at " + renewedAt
                        + ", too long ago to write safely";
                lost = why;
            }
        }
        if (why != null) {
            throw new LeaseLostException(why);
        }
    }

    /** Whether a check refused a write or a renewal found the lease taken over. */
    boolean lost() {
        return lost != null;
    }

    private Duration margin() {
        return length.dividedBy(3);
    }

    private void renew() {
        if (lost != null) {
            return;
        }
        Instant sentAt = clock.instant();
        try {
            if (leases.renew(tenant, syncId, holder, token, length)) {
                renewedAt = sentAt;
                if (renewalFailing) {
                    renewalFailing = false;
                    LOG.info("Sync {} ({}) run {}: renewing its lease works again", syncId, tenant, runId);
                }
            } else {
                lost = "its lease (token " + token + ") was taken over";
            }
        } catch (RuntimeException e) {
            // the store is unreachable (a StoreException) or anything else: never kill the heartbeat;: the check stops writes once the last renewal is too old
            if (!renewalFailing) {
                renewalFailing = true;
                LOG.warn("Sync {} ({}) run {}: renewing its lease failed (writes stop at {} unless a renewal"
                        + " succeeds): {}", syncId, tenant, runId, renewedAt.plus(length.minus(margin())),
                        e.getMessage());
            }
        }
    }

    /** Stops the heartbeat and gives the lease up, if this cycle still holds it. */
    @Override
    public void close() {
        if (heartbeat != null) {
            heartbeat.cancel(false);
        }
        try {
            leases.release(tenant, syncId, holder, token);
        } catch (StoreException e) {
            LOG.warn("Sync {} ({}) run {}: releasing its lease failed; it ends by itself at the latest one lease"
                    + " length after its last renewal: {}", syncId, tenant, runId, e.getMessage());
        }
    }
}
