package org.itsmhub.runtime.flow;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

import org.itsmhub.api.connector.RejectedRecord;
import org.itsmhub.runtime.store.DeadLetter;
import org.itsmhub.runtime.store.NewDeadLetter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The records a source could not read ({@link org.itsmhub.api.connector.Page#rejected()}): each
 * becomes a dead letter holding its raw body (as the connector cut it, at most 64 KiB) and counts as
 * read and failed; the cycle goes on with the rest of the page. One WARN line per record, no stack
 * trace.
 *
 * <p>The letter's record is {@code <kind>:<vendor id>}, the ref the record has when it syncs, so a
 * record fixed at the vendor resolves its letter by itself; a record without a readable id is
 * {@code <kind>:unidentified-<hash of its raw body>}. A record read again while its letter is open
 * with the same raw body (an overlapping read window) adds nothing: no new letter, no new attempt,
 * no log line above DEBUG; it counts as read and skipped.
 */
public final class RejectedRecords {

    /** The {@code error_type} of these letters. */
    public static final String ERROR_TYPE = "RejectedRecord";
    /** How a record without a readable id is named in its letter. */
    public static final String UNIDENTIFIED = "unidentified-";

    private static final Logger LOG = LoggerFactory.getLogger(RejectedRecords.class);

    private final SyncContext sync;
    private final OpenDeadLetters letters;
    private final String kind;

    /**
     * @param kind what the records are, as in their letters' refs: {@code ticket}, {@code asset},
     *             {@code finding}
     */
    public RejectedRecords(SyncContext sync, OpenDeadLetters letters, String kind) {
        this.sync = sync;
        this.letters = letters;
        this.kind = kind;
    }

    /** Dead-letters one page's rejected records read from {@code connection}. */
    public void deadLetter(String connection, List<RejectedRecord> rejected) {
        for (RejectedRecord r : rejected) {
            sync.summary().addRead(1);
            String ref = ref(kind, r);
            if (letters.isOpenWith(connection, ref, r.raw())) {
                // known and waiting in its letter: not a new failure, so a quiet cycle that re-reads it
                // (an overlapping window) is not PARTIAL because of it
                sync.summary().addSkipped(1);
                LOG.debug("Sync {}: {} from {} read again, still rejected; its letter is open", sync.syncId(), ref,
                        connection);
                continue;
            }
            sync.summary().addFailed(1);
            String message = "rejected on read: " + r.reason() + " (raw record " + r.rawSize() + " bytes"
                    + (r.truncated() ? ", the first " + RejectedRecord.utf8Length(r.raw()) + " kept" : "") + ")";
            DeadLetter letter = sync.store().deadLetters().add(new NewDeadLetter(sync.tenant(), sync.syncId(),
                    connection, ref, r.raw(), message, ERROR_TYPE));
            letters.opened(letter);
            LOG.warn("Sync {}: {} from {} could not be read, dead letter {}: {}", sync.syncId(), ref, connection,
                    letter.id(), message);
        }
    }

    /** The letter's record ref of a rejected record. */
    static String ref(String kind, RejectedRecord r) {
        return kind + ":" + (r.vendorId() != null ? r.vendorId() : UNIDENTIFIED + hash(r.raw()));
    }

    private static String hash(String raw) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(raw.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
