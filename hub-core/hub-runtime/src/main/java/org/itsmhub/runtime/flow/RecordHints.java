package org.itsmhub.runtime.flow;

import java.util.List;

import org.itsmhub.api.connector.ChangeHint;

/**
 * The records a cycle is limited to, and the connection they live in: from a webhook, or a dead
 * letter being replayed. Empty for a scheduled or manual cycle, which reads everything changed.
 *
 * @param connection the connection the hinted records belong to; null when there are none
 * @param items      the hinted records
 */
public record RecordHints(String connection, List<ChangeHint> items) {

    private static final RecordHints NONE = new RecordHints(null, List.of());

    public RecordHints {
        items = List.copyOf(items);
        if (!items.isEmpty() && (connection == null || connection.isBlank())) {
            throw new IllegalArgumentException("hinted records need their connection");
        }
    }

    public static RecordHints none() {
        return NONE;
    }

    public boolean isEmpty() {
        return items.isEmpty();
    }

    /** Whether these are the records of a dead letter being replayed (every hint's event says so). */
    public boolean isReplay() {
        return !items.isEmpty() && items.stream().allMatch(h -> DeadLetterReplay.REPLAY_EVENT.equals(h.event()));
    }
}
