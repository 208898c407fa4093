package org.itsmhub.runtime.store;

/** What one sync run did with the records it read. */
public record SyncCounts(int read, int created, int updated, int unchanged, int failed) {

    public static final SyncCounts ZERO = new SyncCounts(0, 0, 0, 0, 0);

    public SyncCounts {
        if (read < 0 || created < 0 || updated < 0 || unchanged < 0 || failed < 0) {
            throw new IllegalArgumentException("counts must not be negative");
        }
    }
}
