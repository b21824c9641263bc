-- Events published once for facts that were written before anyone consumed them (the
-- classifier loaded at first start, programmes of early demo data): see
-- seed::events_backfill.
CREATE TABLE event_backfill (
    name TEXT PRIMARY KEY,
    done_at BIGINT NOT NULL
);
