package org.itsmhub.runtime.flow;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.support.DefaultExchange;
import org.itsmhub.api.error.ConnectorException;
import org.itsmhub.runtime.config.SyncConfig;
import org.itsmhub.runtime.connection.ConnectionRegistry;
import org.itsmhub.runtime.store.HubStore;
import org.itsmhub.runtime.store.StoreException;
import org.itsmhub.runtime.store.SyncCounts;
import org.itsmhub.runtime.store.SyncLeaseRepository;
import org.itsmhub.runtime.store.SyncLocks;
import org.itsmhub.runtime.store.SyncRunOutcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Runs one cycle of a sync: records the run, hands a {@link SyncContext} to the sync's route
 * (instantiated from its template, starting at {@code direct:sync-<id>}), and records the outcome
 * and counts. Every trigger goes through here: the Quartz schedule, {@code run --once}, webhooks and
 * the admin API.
 *
 * <p>Cycles of one sync never overlap: a trigger that arrives while a cycle runs waits for it to
 * finish, on this node by a lock in memory, beside an H2 file store by {@link SyncLocks} (a file
 * lock shared with the CLI commands an admin runs beside the hub) and across nodes by the sync's
 * lease ({@link SyncLeaseRepository}): a row with a deadline and a fencing token, taken in one short
 * transaction, renewed by a heartbeat every third of its length and released at the end. A cycle
 * that finds the lease held polls for it, says once which node holds it (with its run and when the
 * lease ends) and gives up after {@link LeaseSettings#waitLimit()}: its run ends as FAILED. A lease
 * left to expire (its node frozen, partitioned or killed) is taken over with the next token, and
 * the run it was held for becomes ABANDONED. Every call the cycle makes to a connection or to the
 * store first checks that the lease is still its own ({@link SyncLease}); a cycle that lost it stops
 * before its next write and its run ends as ABANDONED.
 *
 * <p>{@link #run} runs the cycle on the caller's thread and returns when it ended;
 * {@link #startInBackground} records the run, hands the cycle to a thread of the hub's own and
 * returns the run id at once, for callers that must not wait (an HTTP request: a vendor that
 * hangs would otherwise hold the request, and a Vert.x thread, for as long as it hangs).
 */
public final class SyncRunner {

    private static final Logger LOG = LoggerFactory.getLogger(SyncRunner.class);

    private final Map<String, SyncConfig> syncs;
    private final CamelContext camel;
    private final ConnectionRegistry connections;
    private final HubStore store;
    private final Clock clock;
    private final MeterRegistry meters;
    private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();
    private final Map<String, SyncResult> lastResults = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> consecutiveFailures = new ConcurrentHashMap<>();
    /** The run holding each sync's lock on this node. */
    private final Map<String, Long> active = new ConcurrentHashMap<>();
    /** Runs accepted by {@link #startInBackground} that have not ended yet. */
    private final Map<String, Long> accepted = new ConcurrentHashMap<>();
    private final Map<String, Instant> running = new ConcurrentHashMap<>();
    private final LeaseSettings leases;
    private ProducerTemplate producer;
    private ExecutorService background;
    private ScheduledExecutorService heartbeats;

    /**
     * What {@link #startInBackground} did.
     *
     * @param runId   the {@code sync_runs} id of the run started, or of the run already in progress
     * @param started false when a cycle of this sync was already running or waiting on this node,
     *                so none was started
     */
    public record BackgroundRun(long runId, boolean started) {
    }

    public SyncRunner(List<SyncConfig> syncs, CamelContext camel, ConnectionRegistry connections, HubStore store,
            Clock clock, MeterRegistry meters) {
        this(syncs, camel, connections, store, clock, meters, LeaseSettings.defaults(), null);
    }

    /**
     * @param heartbeats where leases are renewed; null for a thread of the Camel context's own (tests
     *                   pass a scheduler they can stall, as a frozen node's would be)
     */
    public SyncRunner(List<SyncConfig> syncs, CamelContext camel, ConnectionRegistry connections, HubStore store,
            Clock clock, MeterRegistry meters, LeaseSettings leases, ScheduledExecutorService heartbeats) {
        this.leases = leases;
        this.heartbeats = heartbeats;
        Map<String, SyncConfig> byId = new LinkedHashMap<>();
        syncs.forEach(s -> byId.put(s.id(), s));
        this.syncs = byId;
        this.camel = camel;
        this.connections = connections;
        this.store = store;
        this.clock = clock;
        this.meters = meters;
        for (SyncConfig sync : syncs) {
            AtomicInteger failures = consecutiveFailures.computeIfAbsent(sync.id(), id -> new AtomicInteger());
            Gauge.builder("itsmhub.sync.consecutive.failures", failures, AtomicInteger::get)
                    .description("cycles of this sync that failed in a row (0 after a cycle that did not fail)")
                    .tag("tenant", sync.tenant()).tag("sync", sync.id()).register(meters);
        }
    }

    /** The route every trigger sends to for a sync. Route templates start here. */
    public static String entryEndpoint(String syncId) {
        return "direct:sync-" + syncId;
    }

    public List<SyncConfig> syncs() {
        return List.copyOf(syncs.values());
    }

    public Optional<SyncConfig> sync(String syncId) {
        return Optional.ofNullable(syncs.get(syncId));
    }

    /** The latest result of each sync that ran since start-up. */
    public Map<String, SyncResult> lastResults() {
        return Map.copyOf(lastResults);
    }

    /**
     * How many cycles of each sync failed in a row, counting cycles that could not even start or
     * record their run (a store that refuses writes); 0 after a cycle that succeeded or partly did.
     */
    public Map<String, Integer> consecutiveFailures() {
        Map<String, Integer> copy = new LinkedHashMap<>();
        syncs.keySet().forEach(id -> copy.put(id, consecutiveFailures.get(id).get()));
        return copy;
    }

    /** The syncs whose cycle runs right now, with when it started. */
    public Map<String, Instant> running() {
        return Map.copyOf(running);
    }

    /** Runs one scheduled (or manual) cycle. */
    public SyncResult run(String syncId) {
        return run(syncId, RecordHints.none());
    }

    /** Runs one cycle, limited to the hinted records when there are any. */
    public SyncResult run(String syncId, RecordHints hints) {
        SyncConfig sync = syncs.get(syncId);
        if (sync == null) {
            throw new IllegalArgumentException("no sync '" + syncId + "' is configured");
        }
        return runWithLocks(sync, hints, null);
    }

    /**
     * Records a run of this sync and starts its cycle on a background thread, unless a cycle of it
     * is already running or waiting on this node; returns at once either way. The run's row in
     * {@code sync_runs} is RUNNING from now on (while the cycle waits for its lock, too) and tells
     * how it ended.
     *
     * @throws IllegalArgumentException if no such sync is configured
     */
    public synchronized BackgroundRun startInBackground(String syncId) {
        SyncConfig sync = syncs.get(syncId);
        if (sync == null) {
            throw new IllegalArgumentException("no sync '" + syncId + "' is configured");
        }
        Long busy = accepted.get(syncId);
        if (busy == null) {
            busy = active.get(syncId);
        }
        if (busy != null) {
            return new BackgroundRun(busy, false);
        }
        long runId;
        try {
            runId = store.syncRuns().start(sync.tenant(), syncId);
        } catch (RuntimeException e) {
            consecutiveFailures.get(syncId).incrementAndGet();
            throw e;
        }
        accepted.put(syncId, runId);
        try {
            background().execute(() -> runInBackground(sync, runId));
        } catch (RuntimeException e) {
            accepted.remove(syncId, runId);
            endUnfinished(runId, e);
            throw e;
        }
        return new BackgroundRun(runId, true);
    }

    private void runInBackground(SyncConfig sync, long runId) {
        try {
            runWithLocks(sync, RecordHints.none(), runId);
        } catch (RuntimeException e) {
            LOG.error("Sync {} ({}) run {} failed: {}", sync.id(), sync.tenant(), runId, describe(e), e);
            endUnfinished(runId, e);
        } finally {
            accepted.remove(sync.id(), runId);
        }
    }

    /** Records a run that could not even start its cycle (e.g. its lock) as failed, so it is not RUNNING forever. */
    private void endUnfinished(long runId, RuntimeException cause) {
        try {
            store.syncRuns().finish(runId, SyncCounts.ZERO, SyncRunOutcome.FAILED, describe(cause));
        } catch (StoreException e) {
            LOG.debug("Run {} could not be recorded as failed: {}", runId, e.getMessage());
        }
    }

    private SyncResult runWithLocks(SyncConfig sync, RecordHints hints, Long acceptedRunId) {
        ReentrantLock lock = locks.computeIfAbsent(sync.id(), id -> new ReentrantLock());
        AtomicInteger failures = consecutiveFailures.get(sync.id());
        lock.lock();
        try (SyncLocks.Held besideTheHub = store.syncLocks().acquire(sync.tenant(), sync.id())) {
            long runId = acceptedRunId != null ? acceptedRunId : store.syncRuns().start(sync.tenant(), sync.id());
            active.put(sync.id(), runId);
            running.put(sync.id(), clock.instant());
            try {
                Instant started = clock.instant();
                SyncLease lease;
                try {
                    lease = takeLease(sync, runId);
                } catch (LeaseWaitException e) {
                    failures.incrementAndGet();
                    return ended(sync, runId, started, SyncRunOutcome.FAILED, new SyncSummary(), e.getMessage());
                }
                try (lease) {
                    SyncResult result = runLocked(sync, hints, runId, lease);
                    if (result.outcome() == SyncRunOutcome.FAILED) {
                        failures.incrementAndGet();
                    } else if (result.outcome() != SyncRunOutcome.ABANDONED) {
                        failures.set(0);
                    }
                    return result;
                }
            } finally {
                active.remove(sync.id());
                running.remove(sync.id());
            }
        } catch (RuntimeException e) {
            failures.incrementAndGet();
            throw e;
        } finally {
            lock.unlock();
        }
    }

    /** A cycle that could not take the lease in time. */
    private static final class LeaseWaitException extends Exception {
        LeaseWaitException(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Takes the sync's lease for this run, polling while another node holds it; logs one line when
     * it has to wait and one when it gives up. Never blocks in the database: each attempt is one
     * short transaction.
     */
    private SyncLease takeLease(SyncConfig sync, long runId) throws LeaseWaitException {
        SyncLeaseRepository repository = store.syncLeases();
        Instant giveUpAt = clock.instant().plus(leases.waitLimit());
        boolean told = false;
        while (true) {
            Instant sentAt = clock.instant();
            SyncLeaseRepository.Acquisition attempt = repository.acquire(sync.tenant(), sync.id(), leases.node(), runId,
                    leases.length());
            SyncLeaseRepository.Lease lease = attempt.lease();
            if (attempt.acquired()) {
                SyncLeaseRepository.Lease previous = attempt.takenOver();
                if (previous != null) {
                    LOG.warn("Sync {} ({}) run {}: took the lease over from node {}, whose lease ended at {} unrenewed;"
                                    + " its run {} is ABANDONED (token {}→{})", sync.id(), sync.tenant(), runId,
                            previous.holder(), previous.expiresAt(), previous.runId(), previous.token(), lease.token());
                }
                SyncLease held = new SyncLease(repository, lease, sentAt, leases.length(), clock);
                held.keepAlive(heartbeats());
                return held;
            }
            String holder = "node " + lease.holder() + " (run " + lease.runId() + ") holds its lease until "
                    + lease.expiresAt();
            if (!clock.instant().isBefore(giveUpAt)) {
                String message = "gave up after waiting " + leases.waitLimit() + " (hub.cluster.lease-wait): " + holder;
                LOG.warn("Sync {} ({}) run {} {}", sync.id(), sync.tenant(), runId, message);
                throw new LeaseWaitException(message);
            }
            if (!told) {
                told = true;
                LOG.info("Sync {} ({}) run {} waits: {} unless renewed; waiting at most {}", sync.id(), sync.tenant(),
                        runId, holder, leases.waitLimit());
            }
            try {
                Thread.sleep(leases.pollInterval().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LeaseWaitException("interrupted while waiting: " + holder);
            }
        }
    }

    /** Runs every configured sync one cycle, in config order. */
    public List<SyncResult> runAllOnce() {
        List<SyncResult> results = new ArrayList<>();
        for (String id : syncs.keySet()) {
            results.add(run(id));
        }
        return results;
    }

    private SyncResult runLocked(SyncConfig sync, RecordHints hints, long runId, SyncLease lease) {
        Instant started = clock.instant();
        SyncContext context = new SyncContext(runId, sync.tenant(), sync.id(), sync.flow(), sync.parameters(), hints,
                connections, store.guardedBy(lease::checkStillHeld), clock, lease::checkStillHeld);
        Exchange exchange = new DefaultExchange(camel);
        exchange.setProperty(SyncContext.EXCHANGE_PROPERTY, context);
        String message = null;
        try {
            producer().send(entryEndpoint(sync.id()), exchange);
            if (exchange.getException() != null && !lease.lost()) {
                message = describe(exchange.getException());
                logFailure(sync, message, exchange.getException());
            }
        } catch (RuntimeException e) {
            if (!lease.lost()) {
                message = describe(e);
                logFailure(sync, message, e);
            }
        }
        SyncSummary summary = context.summary();
        try {
            lease.checkStillHeld(); // a node frozen after its last write: another node may have marked its run
        } catch (LeaseLostException e) {
            // reported below
        }
        if (lease.lost()) {
            return abandoned(sync, runId, started, lease, summary);
        }
        SyncRunOutcome outcome = message != null ? SyncRunOutcome.FAILED
                : summary.failed() > 0 ? SyncRunOutcome.PARTIAL : SyncRunOutcome.SUCCEEDED;
        return ended(sync, runId, started, outcome, summary, message);
    }

    /** A cycle that stopped because its node lost the lease: one line naming who took it over. */
    private SyncResult abandoned(SyncConfig sync, long runId, Instant started, SyncLease lease, SyncSummary summary) {
        Optional<SyncLeaseRepository.Lease> now = store.syncLeases().get(sync.tenant(), sync.id());
        String message = now.filter(l -> l.token() != lease.token())
                .map(l -> "node " + leases.node() + " lost its lease to node " + l.holder() + " (token " + lease.token()
                        + "→" + l.token() + "); stopped before writing")
                .orElse("node " + leases.node() + " let its lease (token " + lease.token()
                        + ") go unrenewed too long; stopped before writing");
        LOG.warn("Sync {} ({}) run {}: {}", sync.id(), sync.tenant(), runId, message);
        Instant ended = clock.instant();
        store.syncRuns().abandon(runId, summary.toCounts(), message);
        SyncResult result = new SyncResult(sync.tenant(), sync.id(), sync.flow(), SyncRunOutcome.ABANDONED, summary,
                Duration.between(started, ended), message);
        lastResults.put(sync.id(), result);
        record(result);
        return result;
    }

    private SyncResult ended(SyncConfig sync, long runId, Instant started, SyncRunOutcome outcome, SyncSummary summary,
            String message) {
        Instant ended = clock.instant();
        store.syncRuns().finish(runId, summary.toCounts(), outcome, message);
        SyncResult result = new SyncResult(sync.tenant(), sync.id(), sync.flow(), outcome, summary,
                Duration.between(started, ended), message);
        lastResults.put(sync.id(), result);
        record(result);
        LOG.info("Sync {} ({}) {}: {} in {} ms", sync.id(), sync.tenant(), outcome, summary,
                result.duration().toMillis());
        return result;
    }

    private void record(SyncResult result) {
        Timer.builder("itsmhub.sync.duration").tag("tenant", result.tenant()).tag("sync", result.syncId())
                .tag("outcome", result.outcome().name()).register(meters).record(result.duration());
        count(result, "read", result.summary().read());
        count(result, "created", result.summary().created());
        count(result, "updated", result.summary().updated());
        count(result, "unchanged", result.summary().unchanged());
        count(result, "skipped", result.summary().skipped());
        count(result, "failed", result.summary().failed());
    }

    private void count(SyncResult result, String kind, long n) {
        Counter.builder("itsmhub.sync.records").tag("tenant", result.tenant()).tag("sync", result.syncId())
                .tag("result", kind).register(meters).increment(n);
    }

    /**
     * Camel's executor service manager shuts the pool down with the context. Unbounded is safe:
     * at most one background run per sync is accepted at a time.
     */
    private synchronized ExecutorService background() {
        if (background == null) {
            background = camel.getExecutorServiceManager().newCachedThreadPool(this, "sync-run");
        }
        return background;
    }

    private synchronized ScheduledExecutorService heartbeats() {
        if (heartbeats == null) {
            heartbeats = camel.getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "sync-lease");
        }
        return heartbeats;
    }

    private synchronized ProducerTemplate producer() {
        if (producer == null) {
            producer = camel.createProducerTemplate();
        }
        return producer;
    }

    /**
     * A vendor's failure (a {@link ConnectorException}: unreachable, refused credentials, ...) is an
     * expected condition: one line, whose message names the connection and the config key to check;
     * the stack trace only at DEBUG. Anything else is a bug and keeps its stack trace.
     */
    private static void logFailure(SyncConfig sync, String message, Throwable e) {
        if (connectorFailure(e)) {
            LOG.error("Sync {} ({}) failed: {}", sync.id(), sync.tenant(), message);
            LOG.debug("Sync {} ({}) failure in full", sync.id(), sync.tenant(), e);
        } else {
            LOG.error("Sync {} ({}) failed: {}", sync.id(), sync.tenant(), message, e);
        }
    }

    private static boolean connectorFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ConnectorException) {
                return true;
            }
        }
        return false;
    }

    private static String describe(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getMessage() == null) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }
}
