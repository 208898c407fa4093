package org.itsmhub.runtime.assets;

import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;

import org.apache.camel.ExchangeProperty;
import org.itsmhub.api.connector.AssetSink;
import org.itsmhub.api.connector.AssetSource;
import org.itsmhub.api.connector.ChangeHint;
import org.itsmhub.api.connector.ReadRequest;
import org.itsmhub.api.error.ConnectorException;
import org.itsmhub.api.model.Asset;
import org.itsmhub.api.model.ExternalRef;
import org.itsmhub.runtime.connection.ConnectorCalls;
import org.itsmhub.runtime.flow.CursorPages;
import org.itsmhub.runtime.flow.RejectedRecords;
import org.itsmhub.runtime.flow.OpenDeadLetters;
import org.itsmhub.runtime.flow.SyncContext;
import org.itsmhub.runtime.store.NewAuditEntry;
import org.itsmhub.runtime.store.NewDeadLetter;
import org.itsmhub.runtime.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps of the {@code assets-to-cmdb} flow (see {@code routes/assets-to-cmdb.yaml}): feeds the
 * tenant's {@link AssetRegister} from the sync's asset sources and pushes the register to a CMDB.
 *
 * <p>Each cycle:
 * <ol>
 *   <li>reads every source's assets changed since that source's cursor (one cursor per source and
 *       sync, stored after each page) and registers them;</li>
 *   <li>pushes every register asset whose version this CMDB connection has not seen, if its merged
 *       content ({@link MergedAsset}) differs from what was pushed last, with
 *       {@link AssetSink#upsert} and a correlation id stable per register asset
 *       ({@code itsmhub:<tenant>:asset:<id>}); the item's ref is stored;</li>
 *   <li>marks the items of assets unseen for {@code stale-after}, and of assets merged into another,
 *       stale once ({@link AssetSink#markStale}); nothing is ever deleted. An asset seen again is
 *       pushed again (even when its content is unchanged) and may go stale again later.</li>
 * </ol>
 * A quiet cycle (no source has changes) therefore writes nothing. Every CMDB write goes to the audit
 * log; a record or asset that fails becomes a dead letter and the others keep flowing.
 */
public final class AssetsToCmdbFlow {

    /** The name route templates use to call this bean. */
    public static final String BEAN_NAME = "assetsToCmdb";

    private static final Logger LOG = LoggerFactory.getLogger(AssetsToCmdbFlow.class);

    private final ConnectorCalls calls;

    public AssetsToCmdbFlow(ConnectorCalls calls) {
        this.calls = calls;
    }

    /** The correlation id of a register asset's CMDB item. */
    public static String correlationId(String tenant, long assetId) {
        return "itsmhub:" + tenant + ":asset:" + assetId;
    }

    /** One cycle of the sync. */
    public void run(@ExchangeProperty(SyncContext.EXCHANGE_PROPERTY) SyncContext sync) {
        AssetsToCmdbSettings settings = AssetsToCmdbSettings.from(sync);
        Cycle cycle = new Cycle(sync, settings,
                new AssetRegister(new AssetRegisterRepository(sync.store().dataSource(), sync.clock())));
        if (!sync.hints().isEmpty() && settings.cmdb().equals(sync.hints().connection())) {
            cycle.pushHinted(); // a dead letter of a push being replayed
            return;
        }
        RuntimeException readFailure = null;
        for (String source : settings.sources()) {
            try {
                cycle.readSource(source);
            } catch (RuntimeException e) {
                LOG.warn("Sync {}: reading assets from {} failed: {}", sync.syncId(), source, e.getMessage());
                readFailure = readFailure != null ? readFailure : e;
            }
        }
        cycle.liftStaleMarks();
        cycle.push();
        cycle.markStale();
        if (readFailure != null) {
            throw readFailure;
        }
    }

    private final class Cycle {
        private final SyncContext sync;
        private final AssetsToCmdbSettings settings;
        private final AssetRegister register;
        private final AssetRegisterRepository repository;
        private final String stream;
        private final AssetSink sink;
        private final java.util.Map<String, AssetSource> sources = new java.util.LinkedHashMap<>();
        private final OpenDeadLetters letters;
        /** Per register asset, the records read this cycle that changed it: they count with its push. */
        private final java.util.Map<Long, Long> changedRecords = new java.util.HashMap<>();

        /** Resolves every connection first: one of another tenant, or of the wrong kind, fails the cycle at once. */
        Cycle(SyncContext sync, AssetsToCmdbSettings settings, AssetRegister register) {
            this.sync = sync;
            this.settings = settings;
            this.register = register;
            this.repository = register.repository();
            this.stream = "assets-to-cmdb:" + sync.syncId();
            this.sink = sync.capability("cmdb-connection", AssetSink.class);
            for (String connection : settings.sources()) {
                sources.put(connection, sync.capability(connection, "source-connections", AssetSource.class));
            }
            this.letters = OpenDeadLetters.load(sync);
        }

        void readSource(String connection) {
            AssetSource source = sources.get(connection);
            CursorPages.read(sync, connection, stream, cursor -> call(connection, "read assets",
                    () -> source.readAssets(new ReadRequest(cursor, java.util.Map.of(), settings.pageSize(),
                            settings.firstSyncSince()))), page -> {
                                new RejectedRecords(sync, letters, "asset").deadLetter(connection, page.rejected());
                                for (Asset asset : page.items()) {
                                    sync.summary().addRead(1);
                                    registerOne(connection, asset);
                                }
                            });
        }

        private void registerOne(String connection, Asset read) {
            // the record is keyed by the connection the sync read it through, whatever the plugin wrote
            Asset asset = new Asset(new ExternalRef(read.ref().system(), connection, read.ref().id(),
                    read.ref().url()), read.identity(), read.name(), read.os(), read.osVersion(), read.owner(),
                    read.lastSeen(), read.attributes());
            try {
                AssetRegister.Registered r = register.register(sync.tenant(), asset);
                if (r.outcome() == AssetRegister.Outcome.UNCHANGED) {
                    sync.summary().addUnchanged(1);
                } else {
                    changedRecords.merge(r.assetId(), 1L, Long::sum);
                }
                if (!r.mergedAway().isEmpty()) {
                    LOG.info("Sync {}: {} merged asset(s) {} into asset {}", sync.syncId(), asset.ref(),
                            r.mergedAway(), r.assetId());
                }
                letters.synced(connection, "asset:" + asset.ref().id(), asset.ref().id());
            } catch (StoreException | IllegalArgumentException | IllegalStateException e) {
                deadLetter(connection, "asset:" + asset.ref().id(), asset.toString(), e, 1);
            }
        }

        void push() {
            for (AssetRegisterRepository.Pending p : repository.pendingPushes(sync.tenant(), settings.cmdb())) {
                pushOne(p.assetId(), p.version());
            }
            // changed records whose asset needed no push (merged away, or the same content)
            sync.summary().addUnchanged(changedRecords.values().stream().mapToLong(Long::longValue).sum());
            changedRecords.clear();
        }

        void pushHinted() {
            for (ChangeHint hint : sync.hints().items()) {
                if (hint.kind() != ChangeHint.Kind.ASSET) {
                    continue;
                }
                long id;
                try {
                    id = Long.parseLong(hint.id());
                } catch (NumberFormatException e) {
                    continue;
                }
                repository.asset(sync.tenant(), id).filter(a -> a.mergedInto() == null)
                        .ifPresent(a -> pushOne(a.id(), a.version()));
            }
        }

        /**
         * Pushes one asset; its outcome counts once for every record read this cycle that changed it,
         * or once, as a record read, for an asset pushed without one (an earlier push retried).
         */
        private void pushOne(long assetId, long version) {
            Long records = changedRecords.remove(assetId);
            if (records == null) {
                sync.summary().addRead(1);
            }
            long weight = records == null ? 1 : records;
            MergedAsset merged = null;
            try {
                merged = MergedAsset.of(assetId, repository.records(sync.tenant(), assetId), settings.sources());
                Optional<CmdbPush> last = repository.push(sync.tenant(), assetId, settings.cmdb());
                if (last.isPresent() && last.get().contentHash().equals(merged.hash())) {
                    repository.markPushedVersion(sync.tenant(), assetId, settings.cmdb(), version);
                    letters.synced(settings.cmdb(), "asset:" + assetId, last.get().ci().id());
                    sync.summary().addUnchanged(weight);
                    return;
                }
                String correlationId = last.map(CmdbPush::correlationId)
                        .orElse(correlationId(sync.tenant(), assetId));
                Asset content = merged.asset();
                ExternalRef ci = call(settings.cmdb(), "upsert asset", () -> sink.upsert(content, correlationId));
                repository.savePush(sync.tenant(), assetId, settings.cmdb(), correlationId, version, merged.hash(),
                        ci);
                audit(ci.id(), last.isPresent() ? "cmdb-update" : "cmdb-create", "register asset " + assetId
                        + " (correlation id " + correlationId + ") from "
                        + content.attributes().get("itsmhub.sources"));
                if (last.isPresent()) {
                    sync.summary().addUpdated(weight);
                } else {
                    sync.summary().addCreated(weight);
                }
                letters.synced(settings.cmdb(), "asset:" + assetId, ci.id());
            } catch (ConnectorException | StoreException | IllegalArgumentException | IllegalStateException e) {
                deadLetter(settings.cmdb(), "asset:" + assetId, merged == null ? "register asset " + assetId
                        : merged.asset().toString(), e, weight);
            }
        }

        /** Assets marked stale that a source saw again are pushed again in this cycle. */
        void liftStaleMarks() {
            Instant cutoff = sync.clock().instant().minus(settings.staleAfter());
            int lifted = repository.liftStaleMarks(sync.tenant(), settings.cmdb(), cutoff);
            if (lifted > 0) {
                LOG.info("Sync {}: {} stale asset(s) were seen again", sync.syncId(), lifted);
            }
        }

        void markStale() {
            Instant cutoff = sync.clock().instant().minus(settings.staleAfter());
            for (AssetRegisterRepository.StaleItem item : repository.unmarkedStaleItems(sync.tenant(), settings.cmdb(),
                    cutoff)) {
                CmdbPush p = item.push();
                sync.summary().addRead(1); // a CI taken up again: its mark is the outcome
                String reason = item.mergedInto() != null
                        ? "ITSM Hub: register asset " + p.assetId() + " was merged into asset " + item.mergedInto()
                                + "; this item is superseded"
                        : "ITSM Hub: not seen by any source since " + item.seenAt() + " (stale after "
                                + settings.staleAfter().toDays() + " days)";
                try {
                    call(settings.cmdb(), "mark stale", () -> {
                        sink.markStale(p.ci().id(), reason);
                        return null;
                    });
                    repository.markStale(sync.tenant(), p.assetId(), settings.cmdb());
                    audit(p.ci().id(), "cmdb-stale", reason);
                    sync.summary().addUpdated(1);
                    letters.synced(settings.cmdb(), "asset:" + p.assetId(), p.ci().id());
                } catch (ConnectorException | StoreException | IllegalArgumentException | IllegalStateException e) {
                    deadLetter(settings.cmdb(), "asset:" + p.assetId(), reason, e, 1);
                }
            }
        }


        private void deadLetter(String connection, String recordRef, String payload, RuntimeException e, long records) {
            LOG.warn("Sync {}: {} on {} failed: {}", sync.syncId(), recordRef, connection, e.getMessage());
            sync.store().deadLetters().add(new NewDeadLetter(sync.tenant(), sync.syncId(), connection, recordRef,
                    payload, String.valueOf(e.getMessage()), e.getClass().getSimpleName()));
            sync.summary().addFailed(records);
        }

        private void audit(String recordId, String action, String detail) {
            sync.store().auditLog().append(new NewAuditEntry(sync.tenant(), sync.syncId(), "sync:" + sync.syncId(),
                    sync.pluginOf(settings.cmdb()), settings.cmdb(), recordId, action, null, detail));
        }

        private <T> T call(String connection, String operation, Supplier<T> call) {
            return calls.call(sync.tenant(), connection, operation, call);
        }
    }
}
