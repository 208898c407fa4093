package org.itsmhub.runtime.assets;

import java.time.Instant;

import org.itsmhub.api.model.Asset;

/**
 * One source record in the register: a device as one connection sees it, and the asset it belongs to.
 *
 * @param pk          the row id
 * @param assetId     the register asset it is part of
 * @param asset       the record as last read (its ref names the connection and the vendor's id)
 * @param contentHash hash of the stored record, to tell a changed record from a re-read one
 * @param seenAt      the source's own last-seen time, or when the hub read it if the source has none
 */
public record SourceRecord(long pk, long assetId, Asset asset, String contentHash, Instant seenAt,
        Instant firstReadAt, Instant lastReadAt) {

    /** {@code system:connection/id}, as evidence names records. */
    public String label() {
        return asset.ref().toString();
    }
}
