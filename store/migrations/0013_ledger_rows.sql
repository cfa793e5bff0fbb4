-- The chain covers the ledger (issue 12): an event names the ledger rows it
-- wrote (consents, withdrawals, signatures, plans, boundaries' sealed bytes,
-- ...) with a hash of each, as "table:key:hash" words (audit.FormatRows),
-- and its own hash covers them. `closedset audit verify` recomputes every
-- hash from the tables: a deleted, edited or added ledger row is reported,
-- however the triggers were got round.
ALTER TABLE audit_events ADD COLUMN bound_rows TEXT NOT NULL DEFAULT '';

-- Rows written before this step are bound once, by one system event the
-- first server on the new schema appends (store.Open); this row says it
-- was done. Restore derives it, as it does audit_head.
CREATE TABLE ledger_binding (
	id       INTEGER PRIMARY KEY CHECK (id = 1),
	bound_us BIGINT NOT NULL
);
