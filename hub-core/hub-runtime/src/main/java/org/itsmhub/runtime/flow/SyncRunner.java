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
import java.util.concurrent.locks.ReentrantLock;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.support.DefaultExchange;
import org.itsmhub.api.error.ConnectorException;
import org.itsmhub.runtime.config.SyncConfig;
import org.itsmhub.runtime.connection.ConnectionRegistry;
import org.itsmhub.runtime.store.HubStore;
import org.itsmhub.runtime.store.SyncCounts;
import org.itsmhub.runtime.store.SyncLocks;
import org.itsmhub.runtime.store.SyncRunOutcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Runs one cycle of a sync: records the run, hands a {@link SyncContext} to the sync's route
 * (instantiated from its template, starting at {@code direct:sync-<id>}), and records the outcome
 * and counts. Every trigger goes through here: the Quartz schedule, {@code run --once}, webhooks and
 * the admin API.
 *
 * <p>Cycles of one sync never overlap: a trigger that arrives while a cycle runs waits for it to
 * finish, on this node by a lock in memory and, on a PostgreSQL store shared by several nodes, by
 * an advisory lock in the database ({@link SyncLocks}).
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
    private ProducerTemplate producer;

    public SyncRunner(List<SyncConfig> syncs, CamelContext camel, ConnectionRegistry connections, HubStore store,
            Clock clock, MeterRegistry meters) {
        Map<String, SyncConfig> byId = new LinkedHashMap<>();
        syncs.forEach(s -> byId.put(s.id(), s));
        this.syncs = byId;
        this.camel = camel;
        this.connections = connections;
        this.store = store;
        this.clock = clock;
        this.meters = meters;
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
        ReentrantLock lock = locks.computeIfAbsent(syncId, id -> new ReentrantLock());
        lock.lock();
        try (SyncLocks.Held acrossNodes = store.syncLocks().acquire(sync.tenant(), syncId)) {
            return runLocked(sync, hints);
        } finally {
            lock.unlock();
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

    private SyncResult runLocked(SyncConfig sync, RecordHints hints) {
        Instant started = clock.instant();
        long runId = store.syncRuns().start(sync.tenant(), sync.id());
        SyncContext context = new SyncContext(sync.tenant(), sync.id(), sync.flow(), sync.parameters(), hints,
                connections, store, clock);
        Exchange exchange = new DefaultExchange(camel);
        exchange.setProperty(SyncContext.EXCHANGE_PROPERTY, context);
        String message = null;
        try {
            producer().send(entryEndpoint(sync.id()), exchange);
            if (exchange.getException() != null) {
                message = describe(exchange.getException());
                logFailure(sync, message, exchange.getException());
            }
        } catch (RuntimeException e) {
            message = describe(e);
            logFailure(sync, message, e);
        }
        SyncSummary summary = context.summary();
        SyncRunOutcome outcome = message != null ? SyncRunOutcome.FAILED
                : summary.failed() > 0 ? SyncRunOutcome.PARTIAL : SyncRunOutcome.SUCCEEDED;
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
        count(result, "failed", result.summary().failed());
    }

    private void count(SyncResult result, String kind, long n) {
        Counter.builder("itsmhub.sync.records").tag("tenant", result.tenant()).tag("sync", result.syncId())
                .tag("result", kind).register(meters).increment(n);
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
