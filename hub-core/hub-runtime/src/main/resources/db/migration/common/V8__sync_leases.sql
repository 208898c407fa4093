-- One row per sync that ever ran: which node holds the right to run its cycle, until when, and
-- the fencing token, raised by one at every takeover, so a node that lost the lease can tell.
-- A released lease keeps its row (expires_at in the past, run_id NULL) so the token never goes back.
CREATE TABLE sync_leases (
    tenant_id   VARCHAR(100) NOT NULL,
    sync_id     VARCHAR(100) NOT NULL,
    holder      VARCHAR(200) NOT NULL,
    token       BIGINT       NOT NULL,
    run_id      BIGINT,
    expires_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT pk_sync_leases PRIMARY KEY (tenant_id, sync_id)
);

-- A run whose node lost its lease (frozen, partitioned, killed) ends as ABANDONED.
ALTER TABLE sync_runs DROP CONSTRAINT ck_sync_runs_outcome;
ALTER TABLE sync_runs ADD CONSTRAINT ck_sync_runs_outcome
    CHECK (outcome IN ('RUNNING', 'SUCCEEDED', 'FAILED', 'PARTIAL', 'ABANDONED'));
