package org.itsmhub.runtime.flow;

import java.util.function.Consumer;
import java.util.function.Function;

import org.itsmhub.api.connector.Cursor;
import org.itsmhub.api.connector.Page;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a source page by page from the cursor a sync stored for it, handing each page on and
 * storing the cursor after it, so a restart resumes after the last page handled. One cycle reads at
 * most {@value #MAX_PAGES_PER_CYCLE} pages; the next cycle continues from there.
 */
public final class CursorPages {

    /** Enough for a first sync of a large system, few enough that one cycle cannot run forever. */
    public static final int MAX_PAGES_PER_CYCLE = 1000;

    private static final Logger LOG = LoggerFactory.getLogger(CursorPages.class);

    private CursorPages() {
    }

    /**
     * @param stream what is read, e.g. {@code ticket-sync:<sync id>}: one cursor per sync, connection
     *               and stream
     * @param read   reads the page after the cursor (null: the source's first page)
     * @param handle handles one page, before its cursor is stored
     */
    public static <T> void read(SyncContext sync, String connection, String stream, Function<Cursor, Page<T>> read,
            Consumer<Page<T>> handle) {
        Cursor cursor = sync.store().cursors().get(sync.tenant(), connection, stream)
                .map(c -> Cursor.of(c.value())).orElse(null);
        for (int pages = 0; pages < MAX_PAGES_PER_CYCLE; pages++) {
            Page<T> page = read.apply(cursor);
            handle.accept(page);
            sync.store().cursors().put(sync.tenant(), connection, stream, page.next().value());
            cursor = page.next();
            if (!page.hasMore()) {
                return;
            }
        }
        LOG.warn("Sync {}: stopped reading {} after {} pages this cycle; the next cycle continues", sync.syncId(),
                connection, MAX_PAGES_PER_CYCLE);
    }
}
