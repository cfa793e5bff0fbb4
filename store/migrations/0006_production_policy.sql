-- A production's tightening of its policy pack (consent.Tighten): the
-- policy in force as JSON, appended on every change; the latest row is in
-- force, and none means the pack as published.
CREATE TABLE production_policies (
	id            {{id}},
	production_id BIGINT NOT NULL REFERENCES productions (id),
	content       TEXT NOT NULL,
	by_id         BIGINT NOT NULL REFERENCES users (id),
	at_us         BIGINT NOT NULL
);
CREATE INDEX production_policies_production ON production_policies (production_id, id);
