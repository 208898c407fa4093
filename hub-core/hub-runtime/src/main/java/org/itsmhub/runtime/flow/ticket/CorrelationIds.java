package org.itsmhub.runtime.flow.ticket;

import java.util.Optional;

/**
 * The correlation id the ticket sync writes into every twin it creates, in the create call itself:
 * {@code ih:<sync id>:<origin side L|R>:<origin record id>}. It names the record the twin was made
 * from, so the hub recognises its own twin even if it crashed before storing the link, and can look
 * a twin up in the target before creating one (no duplicates on restart). Sync ids are unique
 * across the config, so two syncs never claim each other's twins.
 */
final class CorrelationIds {

    private static final String PREFIX = "ih:";

    private CorrelationIds() {
    }

    static String of(String syncId, Side origin, String originId) {
        return PREFIX + syncId + ":" + origin.letter() + ":" + originId;
    }

    /** The origin named by a correlation id of this sync, if it is one. */
    static Optional<Origin> parse(String syncId, String correlationId) {
        if (correlationId == null || !correlationId.startsWith(PREFIX + syncId + ":")) {
            return Optional.empty();
        }
        String rest = correlationId.substring(PREFIX.length() + syncId.length() + 1);
        if (rest.length() < 3 || rest.charAt(1) != ':') {
            return Optional.empty();
        }
        Side side = rest.charAt(0) == 'L' ? Side.LEFT : rest.charAt(0) == 'R' ? Side.RIGHT : null;
        return side == null ? Optional.empty() : Optional.of(new Origin(side, rest.substring(2)));
    }

    /** The record a twin was made from. */
    record Origin(Side side, String id) {
    }

    /** The two sides of a ticket sync. */
    enum Side {
        LEFT('L'), RIGHT('R');

        private final char letter;

        Side(char letter) {
            this.letter = letter;
        }

        char letter() {
            return letter;
        }

        Side other() {
            return this == LEFT ? RIGHT : LEFT;
        }
    }
}
