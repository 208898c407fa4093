package org.itsmhub.runtime.flow.ticket;

import java.time.Instant;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

import org.itsmhub.runtime.flow.FlowParameters;
import org.itsmhub.runtime.flow.SyncContext;
import org.itsmhub.runtime.flow.ticket.CorrelationIds.Side;

/**
 * The {@code ticket-sync} flow parameters of one sync, parsed; see {@code routes/ticket-sync.yaml}.
 */
record TicketSyncSettings(String leftConnection, String rightConnection, Set<Side> readFrom,
        Map<Side, Map<String, String>> filters, Set<SyncedField> fields, Map<SyncedField, Side> owners,
        int pageSize, Instant firstSyncSince, int reconcileEvery, int reconcileBatch, boolean backLink) {

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
        filters.put(Side.LEFT, FlowParameters.pairs(sync.parameter("left-filter", "")));
        filters.put(Side.RIGHT, FlowParameters.pairs(sync.parameter("right-filter", "")));
        Set<SyncedField> fields = EnumSet.noneOf(SyncedField.class);
        for (String name : sync.parameter("sync-fields", "title,description,status,priority,assignment-group")
                .split(",")) {
            if (!name.isBlank()) {
                fields.add(SyncedField.byParameterName(name));
            }
        }
        Map<SyncedField, Side> owners = new EnumMap<>(SyncedField.class);
        FlowParameters.pairs(sync.parameter("field-owners", "")).forEach((field, side) -> owners.put(SyncedField.byParameterName(field),
                switch (side) {
                    case "left" -> Side.LEFT;
                    case "right" -> Side.RIGHT;
                    default -> throw new IllegalArgumentException("field-owners: owner of " + field
                            + " must be left or right, was '" + side + "'");
                }));
        int pageSize = Integer.parseInt(sync.parameter("page-size", "50"));
        String since = sync.parameter("first-sync-since", "");
        int reconcileEvery = nonNegative(sync, "reconcile-every", "10");
        int reconcileBatch = nonNegative(sync, "reconcile-batch", "50");
        boolean backLink = switch (sync.parameter("back-link", "none").trim()) {
            case "none" -> false;
            case "comment" -> true;
            default -> throw new IllegalArgumentException("back-link must be none or comment, was '"
                    + sync.parameter("back-link", "") + "'");
        };
        return new TicketSyncSettings(sync.requiredParameter("left-connection"),
                sync.requiredParameter("right-connection"), readFrom, filters, fields, owners, pageSize,
                since.isBlank() ? null : Instant.parse(since), reconcileEvery, reconcileBatch, backLink);
    }

    String connection(Side side) {
        return side == Side.LEFT ? leftConnection : rightConnection;
    }

    /** One-way syncs never write to the side they read from. */
    boolean writes(Side side) {
        return readFrom.contains(side.other());
    }

    private static int nonNegative(SyncContext sync, String name, String defaultValue) {
        String text = sync.parameter(name, defaultValue).trim();
        try {
            int value = Integer.parseInt(text);
            if (value >= 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(name + " must be a whole number, 0 or more, was '" + text + "'");
    }
}
