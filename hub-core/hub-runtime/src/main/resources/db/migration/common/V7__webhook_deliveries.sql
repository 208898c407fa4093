-- Webhook deliveries seen, by the vendor's delivery id (Jira: X-Atlassian-Webhook-Identifier), so that a
-- delivery sent again within the replay window is acknowledged but not processed twice, on any node.
CREATE TABLE webhook_deliveries (
    tenant_id        VARCHAR(100)  NOT NULL,
    connection_id    VARCHAR(100)  NOT NULL,
    delivery_id      VARCHAR(200)  NOT NULL,
    received_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT pk_webhook_deliveries PRIMARY KEY (tenant_id, connection_id, delivery_id)
);
CREATE INDEX ix_webhook_deliveries_received ON webhook_deliveries (received_at);
