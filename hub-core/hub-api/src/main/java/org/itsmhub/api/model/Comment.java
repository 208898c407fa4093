package org.itsmhub.api.model;

import java.time.Instant;

/**
 * One comment on a ticket.
 *
 * @param ref        where the comment lives, or null for a comment not yet written anywhere
 * @param author     who wrote it, or null if the vendor does not say
 * @param body       plain text (connectors convert rich formats such as ADF or HTML); never null
 * @param createdAt  when it was written; never null
 * @param visibility public reply or internal note; never null
 */
public record Comment(ExternalRef ref, Person author, String body, Instant createdAt, Visibility visibility) {

    public Comment {
        Checks.notNull(body, "body");
        Checks.notNull(createdAt, "createdAt");
        Checks.notNull(visibility, "visibility");
    }

    public boolean isInternal() {
        return visibility == Visibility.INTERNAL;
    }
}
