package org.itsmhub.runtime.assets;

import java.util.ArrayList;
import java.util.List;

import org.itsmhub.api.config.ConfigProblem;
import org.itsmhub.api.connector.AssetSource;
import org.itsmhub.api.connector.Connector;
import org.itsmhub.api.connector.Cursor;
import org.itsmhub.api.connector.Page;
import org.itsmhub.api.connector.ReadRequest;
import org.itsmhub.api.model.Asset;

/** An asset source whose changes a test appends; the cursor is the position in that list. */
final class FakeAssetSource implements Connector, AssetSource {

    private final List<Asset> changes = new ArrayList<>();
    private int reads;
    private RuntimeException failure;

    void changed(Asset... assets) {
        changes.addAll(List.of(assets));
    }

    private List<org.itsmhub.api.connector.RejectedRecord> unreadable = List.of();

    /** The next page read carries these records the source could not read. */
    void cannotRead(org.itsmhub.api.connector.RejectedRecord... records) {
        unreadable = List.of(records);
    }

    void failWith(RuntimeException e) {
        failure = e;
    }

    int reads() {
        return reads;
    }

    @Override
    public Page<Asset> readAssets(ReadRequest request) {
        reads++;
        if (failure != null) {
            throw failure;
        }
        int from = request.cursor() == null ? 0 : Integer.parseInt(request.cursor().value());
        int to = Math.min(changes.size(), from + request.pageSize());
        List<org.itsmhub.api.connector.RejectedRecord> rejected = unreadable;
        unreadable = List.of();
        return new Page<>(changes.subList(from, to), Cursor.of(Integer.toString(to)), to < changes.size(), rejected);
    }

    @Override
    public List<ConfigProblem> checkConnection() {
        return List.of();
    }

    @Override
    public void close() {
    }
}
