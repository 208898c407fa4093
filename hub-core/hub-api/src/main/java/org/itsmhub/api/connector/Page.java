package org.itsmhub.api.connector;

import java.util.List;

/**
 * One page of records read from a vendor, and where to continue.
 *
 * @param items   the records, in the vendor's change order (oldest change first where possible)
 * @param next    where the next read starts; after the last page, the cursor to store for the next
 *                cycle. Never null.
 * @param hasMore whether another page is available right now
 * @since 0.1
 */
public record Page<T>(List<T> items, Cursor next, boolean hasMore) {

    public Page {
        items = List.copyOf(items);
        if (next == null) {
            throw new IllegalArgumentException("a page needs a next cursor");
        }
    }

    public static <T> Page<T> last(List<T> items, Cursor next) {
        return new Page<>(items, next, false);
    }
}
