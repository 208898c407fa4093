package org.itsmhub.api.connector;

import java.util.EnumSet;
import java.util.Set;

/**
 * The capability interfaces a connector can implement, for listings and checks.
 *
 * @since 0.1
 */
public enum Capability {
    TICKET_SOURCE(TicketSource.class),
    TICKET_SINK(TicketSink.class),
    ASSET_SOURCE(AssetSource.class),
    FINDING_SOURCE(FindingSource.class),
    ASSET_SINK(AssetSink.class),
    WEBHOOK(WebhookParser.class);

    private final Class<?> type;

    Capability(Class<?> type) {
        this.type = type;
    }

    public Class<?> type() {
        return type;
    }

    /** The capabilities a connector class implements. */
    public static Set<Capability> of(Class<? extends Connector> connectorType) {
        Set<Capability> result = EnumSet.noneOf(Capability.class);
        for (Capability c : values()) {
            if (c.type.isAssignableFrom(connectorType)) {
                result.add(c);
            }
        }
        return result;
    }

    /** Lower-case, dashed name for listings, e.g. {@code ticket-source}. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
