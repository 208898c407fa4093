package org.itsmhub.api.connector;

import java.util.List;

/**
 * One page of records read from a vendor, and where to continue.
 *
 * <p>A record on the page that cannot be decoded or mapped does not fail the page: it goes into
 * {@link #rejected()} and the connector still returns the other records and the next cursor, so
 * one bad record never blocks a sync (the hub dead-letters it with its raw body).
 *
 * @param items    the records, in the vendor's change order (oldest change first where possible)
 * @param next     where the next read starts; after the last page, the cursor to store for the next
 *                 cycle. Never null.
 * @param hasMore  whether another page is available right now
 * @param rejected the records of this page that could not be read, in page order; empty when all
 *                 could (since 0.3)
 * @since 0.1
 */
public record Page<T>(List<T> items, Cursor next, boolean hasMore, List<RejectedRecord> rejected) {

    public Page {
        items = List.copyOf(items);
        rejected = rejected == null ? List.of() : List.copyOf(rejected);
        if (next == null) {
            throw new IllegalArgumentException("a page needs a next cursor");
        }
    }

    /** A page on which every record could be read. */
    public Page(List<T> items, Cursor next, boolean hasMore) {
        this(items, next, hasMore, List.of());
    }

    public static <T> Page<T> last(List<T> items, Cursor next) {
        return new Page<>(items, next, false);
    }

    /**
     * This page with these rejected records (replacing any it had).
     *
     * @since 0.3
     */
    public Page<T> withRejected(List<RejectedRecord> rejected) {
        return new Page<>(items, next, hasMore, rejected);
    }
}
