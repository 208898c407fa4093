-- A dead letter whose record a later cycle synced is closed by that cycle as RESOLVED.
ALTER TABLE dead_letters DROP CONSTRAINT ck_dead_letters_status;
ALTER TABLE dead_letters ADD CONSTRAINT ck_dead_letters_status
    CHECK (status IN ('OPEN', 'REPLAYED', 'DISCARDED', 'RESOLVED'));
