package org.itsmhub.api.connector;

import java.time.Instant;
import java.util.Map;

/**
 * What a sync asks a source for.
 *
 * @param cursor   where to continue, or null for a first read (the connector decides how far back
 *                 a first read goes, usually from its config)
 * @param filter   which records qualify, as flow parameters the connector documents (e.g.
 *                 {@code group}, {@code request.type}); never null
 * @param pageSize the most records to return in one page; the connector may return fewer
 * @param since    for a first read ({@code cursor == null}) only: start at this time instead of the
 *                 connector's configured default; null for the default. Ignored when a cursor is given.
 * @since 0.1
 */
public record ReadRequest(Cursor cursor, Map<String, String> filter, int pageSize, Instant since) {

    /** A read without an explicit start time. */
    public ReadRequest(Cursor cursor, Map<String, String> filter, int pageSize) {
        this(cursor, filter, pageSize, null);
    }

    public ReadRequest {
        filter = filter == null ? Map.of() : Map.copyOf(filter);
        if (pageSize < 1) {
            throw new IllegalArgumentException("page size must be positive");
        }
    }

    public static ReadRequest from(Cursor cursor) {
        return new ReadRequest(cursor, Map.of(), 100);
    }
}
