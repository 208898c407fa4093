package org.itsmhub.runtime.flow;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.itsmhub.runtime.store.DeadLetter;
import org.itsmhub.runtime.store.NewAuditEntry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The open dead letters of one sync, read once when a cycle starts, so that a record that fails
 * in one cycle and syncs in a later one closes its letter by itself: the letter becomes RESOLVED
 * and the audit log names the run that resolved it ({@code action = dead-letter-resolved}). A
 * cycle with no open letters pays one query and nothing per record.
 *
 * <p>A replay ({@link DeadLetterReplay}) loads none: the replay itself marks its letter REPLAYED.
 * Letters added during the cycle are known here only when the flow says so ({@link #opened}); a
 * record that fails again keeps its letter open either way. Not thread-safe: one cycle, one thread.
 */
public final class OpenDeadLetters {

    private static final Logger LOG = LoggerFactory.getLogger(OpenDeadLetters.class);

    private final SyncContext sync;
    /** By connection and record ref; the store keeps at most one open letter for each. */
    private final Map<String, DeadLetter> open = new HashMap<>();

    private OpenDeadLetters(SyncContext sync, List<DeadLetter> letters) {
        this.sync = sync;
        letters.forEach(l -> open.put(key(l.connectionId(), l.recordRef()), l));
    }

    /** The sync's open letters, or none for a replay. */
    public static OpenDeadLetters load(SyncContext sync) {
        return new OpenDeadLetters(sync, sync.hints().isReplay() ? List.of()
                : sync.store().deadLetters().listOpen(sync.tenant(), sync.syncId()));
    }

    /** The letters still open, in no particular order. */
    public List<DeadLetter> letters() {
        return List.copyOf(open.values());
    }

    /**
     * Called when a record synced: closes its open letter, if it has one, as resolved by this run.
     *
     * @param connectionId the connection the letter names
     * @param recordRef    the letter's record, e.g. {@code ticket:INC001}
     * @param recordId     the record's id for the audit log
     */
    public void synced(String connectionId, String recordRef, String recordId) {
        DeadLetter letter = open.remove(key(connectionId, recordRef));
        if (letter == null || !sync.store().deadLetters().resolve(letter.id())) {
            return; // none, or closed meanwhile by a person
        }
        String run = sync.runId() == 0 ? "this cycle" : "run " + sync.runId();
        sync.store().auditLog().append(new NewAuditEntry(sync.tenant(), sync.syncId(), "sync:" + sync.syncId(),
                sync.pluginOf(connectionId), connectionId, recordId, "dead-letter-resolved", "",
                "dead letter " + letter.id() + " resolved by " + run + ": the record synced after "
                        + letter.attempts() + " failed attempt(s), the last: " + abbreviate(letter.errorMessage())));
        LOG.info("Sync {}: dead letter {} ({}/{}) resolved by {}", sync.syncId(), letter.id(), connectionId, recordRef,
                run);
    }

    /**
     * Whether the record has an open letter holding exactly this payload: a rejected record read
     * again unchanged, which needs no second letter ({@link RejectedRecords}).
     */
    public boolean isOpenWith(String connectionId, String recordRef, String payload) {
        DeadLetter letter = open.get(key(connectionId, recordRef));
        return letter != null && payload != null && payload.equals(letter.payload());
    }

    /** A letter this cycle added or bumped: known from now on, e.g. when the same record comes again. */
    public void opened(DeadLetter letter) {
        open.put(key(letter.connectionId(), letter.recordRef()), letter);
    }

    private static String abbreviate(String s) {
        return s.length() <= 300 ? s : s.substring(0, 300) + "...";
    }

    private static String key(String connectionId, String recordRef) {
        return connectionId + '\n' + recordRef;
    }
}
