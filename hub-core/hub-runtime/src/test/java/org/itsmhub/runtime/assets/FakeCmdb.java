package org.itsmhub.runtime.assets;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

import org.itsmhub.api.config.ConfigProblem;
import org.itsmhub.api.connector.AssetSink;
import org.itsmhub.api.connector.Connector;
import org.itsmhub.api.error.DataMappingException;
import org.itsmhub.api.model.Asset;
import org.itsmhub.api.model.ExternalRef;

/**
 * An in-memory CMDB that behaves as {@link AssetSink} promises: an upsert updates the item with the
 * correlation id (or the same serial) and creates one otherwise. Every write is logged.
 */
final class FakeCmdb implements Connector, AssetSink {

    /** One configuration item. */
    static final class Item {
        final String id;
        String correlationId;
        Asset asset;
        String staleReason;

        Item(String id, String correlationId, Asset asset) {
            this.id = id;
            this.correlationId = correlationId;
            this.asset = asset;
        }
    }

    private final String connection;
    private final Map<String, Item> items = new LinkedHashMap<>();
    private final List<String> writes = new ArrayList<>();
    private Predicate<Asset> rejects = a -> false;

    FakeCmdb(String connection) {
        this.connection = connection;
    }

    void reject(Predicate<Asset> which) {
        rejects = which;
    }

    List<Item> items() {
        return List.copyOf(items.values());
    }

    /** {@code create <id>}, {@code update <id>}, {@code stale <id>}, in order. */
    List<String> writes() {
        return List.copyOf(writes);
    }

    void clearWrites() {
        writes.clear();
    }

    @Override
    public ExternalRef upsert(Asset asset, String correlationId) {
        if (rejects.test(asset)) {
            throw new DataMappingException("the CMDB rejected " + asset.name() + ": name is mandatory");
        }
        Item item = items.values().stream().filter(i -> correlationId.equals(i.correlationId)).findFirst()
                .or(() -> items.values().stream().filter(i -> asset.identity().serial() != null
                        && asset.identity().serial().equals(i.asset.identity().serial())).findFirst())
                .orElse(null);
        if (item == null) {
            item = new Item("ci" + (items.size() + 1), correlationId, asset);
            items.put(item.id, item);
            writes.add("create " + item.id);
        } else {
            item.asset = asset;
            writes.add("update " + item.id);
        }
        return ExternalRef.of("fakecmdb", connection, item.id);
    }

    @Override
    public void markStale(String id, String reason) {
        Item item = items.get(id);
        if (item == null) {
            throw new DataMappingException("no item " + id);
        }
        item.staleReason = reason;
        writes.add("stale " + id);
    }

    @Override
    public Optional<ExternalRef> findByCorrelationId(String correlationId) {
        return items.values().stream().filter(i -> correlationId.equals(i.correlationId)).findFirst()
                .map(i -> ExternalRef.of("fakecmdb", connection, i.id));
    }

    @Override
    public List<ConfigProblem> checkConnection() {
        return List.of();
    }

    @Override
    public void close() {
    }
}
