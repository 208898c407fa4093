package org.itsmhub.runtime.flow.ticket;

import java.time.Instant;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.itsmhub.runtime.flow.SyncContext;
import org.itsmhub.runtime.flow.ticket.CorrelationIds.Side;

/**
 * The {@code ticket-sync} flow parameters of one sync, parsed; see {@code routes/ticket-sync.yaml}.
 */
record TicketSyncSettings(String leftConnection, String rightConnection, Set<Side> readFrom,
        Map<Side, Map<String, String>> filters, Set<SyncedField> fields, Map<SyncedField, Side> owners,
        int pageSize, Instant firstSyncSince) {

    static TicketSyncSettings from(SyncContext sync) {
        String direction = sync.parameter("direction", "both");
        Set<Side> readFrom = switch (direction) {
            case "both" -> EnumSet.of(Side.LEFT, Side.RIGHT);
            case "left-to-right" -> EnumSet.of(Side.LEFT);
            case "right-to-left" -> EnumSet.of(Side.RIGHT);
            default -> throw new IllegalArgumentException("direction must be both, left-to-right or right-to-left, was '"
                    + direction + "'");
        };
        Map<Side, Map<String, String>> filters = new EnumMap<>(Side.class);
        filters.put(Side.LEFT, pairs(sync.parameter("left-filter", "")));
        filters.put(Side.RIGHT, pairs(sync.parameter("right-filter", "")));
        Set<SyncedField> fields = EnumSet.noneOf(SyncedField.class);
        for (String name : sync.parameter("sync-fields", "title,description,status,priority,assignment-group")
                .split(",")) {
            if (!name.isBlank()) {
                fields.add(SyncedField.byParameterName(name));
            }
        }
        Map<SyncedField, Side> owners = new EnumMap<>(SyncedField.class);
        pairs(sync.parameter("field-owners", "")).forEach((field, side) -> owners.put(SyncedField.byParameterName(field),
                switch (side) {
                    case "left" -> Side.LEFT;
                    case "right" -> Side.RIGHT;
                    default -> throw new IllegalArgumentException("field-owners: owner of " + field
                            + " must be left or right, was '" + side + "'");
                }));
        int pageSize = Integer.parseInt(sync.parameter("page-size", "50"));
        String since = sync.parameter("first-sync-since", "");
        return new TicketSyncSettings(sync.requiredParameter("left-connection"),
                sync.requiredParameter("right-connection"), readFrom, filters, fields, owners, pageSize,
                since.isBlank() ? null : Instant.parse(since));
    }

    String connection(Side side) {
        return side == Side.LEFT ? leftConnection : rightConnection;
    }

    /** One-way syncs never write to the side they read from. */
    boolean writes(Side side) {
        return readFrom.contains(side.other());
    }

    private static Map<String, String> pairs(String text) {
        Map<String, String> map = new LinkedHashMap<>();
        for (String pair : text.split(",")) {
            if (pair.isBlank()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("expected key=value, was '" + pair.trim() + "'");
            }
            map.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
        }
        return map;
    }
}
