package org.itsmhub.api.connector;

import java.time.Instant;

/**
 * What a webhook says changed: enough for the hub to sync just that record, which it then reads
 * through the normal source (webhook payloads are hints, never the truth).
 *
 * @param kind       ticket, asset or finding
 * @param id         the vendor's id of the record
 * @param event      the vendor's event name (e.g. {@code jira:issue_updated}), or null
 * @param occurredAt when the vendor says it happened, or null
 * @since 0.1
 */
public record ChangeHint(Kind kind, String id, String event, Instant occurredAt) {

    public enum Kind { TICKET, ASSET, FINDING }

    public ChangeHint {
        if (kind == null || id == null || id.isBlank()) {
            throw new IllegalArgumentException("a change hint needs a kind and an id");
        }
    }
}
