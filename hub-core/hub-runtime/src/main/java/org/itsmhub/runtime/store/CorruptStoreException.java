package org.itsmhub.runtime.store;

import java.nio.file.Path;

/**
 * The store's file cannot be read whole: pages that fail H2's checksums, rows or index entries that
 * cannot be read. The message is one line naming the file; the hub refuses to start on it, since
 * syncing from a store that lost links would duplicate twins.
 */
public final class CorruptStoreException extends StoreException {

    private static final long serialVersionUID = 1L;

    private final transient Path file;

    public CorruptStoreException(Path file, String detail, Throwable cause) {
        super("the store " + file + " is corrupt (" + detail + "); restore it from a backup, or move it away to"
                + " start with an empty store (docs/operations.md, \"A corrupt store\")", cause);
        this.file = file;
    }

    /** The damaged file. */
    public Path file() {
        return file;
    }
}
