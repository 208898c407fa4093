package org.itsmhub.runtime.store;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;

/** Table {@code webhook_deliveries}: the vendor delivery ids seen lately, per connection. */
public final class WebhookDeliveryRepository {

    private final Jdbc jdbc;

    WebhookDeliveryRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Records a delivery and says whether it is new: false when the same id arrived within {@code window}
     * (on any node sharing the store). Ids older than the window are forgotten on the way.
     */
    public boolean firstSeen(String tenantId, String connectionId, String deliveryId, Duration window) {
        Require.notBlank(tenantId, "tenantId");
        Require.notBlank(connectionId, "connectionId");
        Require.notBlank(deliveryId, "deliveryId");
        Instant now = jdbc.now();
        Instant oldest = now.minus(window);
        String id = deliveryId.length() > 200 ? deliveryId.substring(0, 200) : deliveryId;
        return jdbc.withConnection("Recording webhook delivery " + tenantId + "/" + connectionId + "/" + id, c -> {
            Jdbc.update(c, "DELETE FROM webhook_deliveries WHERE received_at < ?", oldest);
            try {
                Jdbc.update(c, "INSERT INTO webhook_deliveries (tenant_id, connection_id, delivery_id, received_at)"
                        + " VALUES (?, ?, ?, ?)", tenantId, connectionId, id, now);
                return true;
            } catch (SQLException e) {
                if (Jdbc.isUniqueViolation(e)) {
                    return false;
                }
                throw e;
            }
        });
    }
}
