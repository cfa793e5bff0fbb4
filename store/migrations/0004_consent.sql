-- The consent ledger (issue 5): performers, their private boundaries,
-- call times, versioned intimacy plans, riders, signatures, consents and
-- their withdrawals, and the guardians and studio teachers of scenes with
-- minors.
--
-- The store keeps plans and riders as opaque bytes (the consent and docs
-- packages' canonical content) with their hashes, and boundaries and
-- withdrawal reasons only sealed (package seal): it never sees their
-- plaintext. No column is NULL: 0 stands for "none" where a reference is
-- optional, so that backups stay one plain form.
--
-- History matters here: boundaries, call times, plan versions, consents,
-- withdrawals, signatures and safeguards are appended, never updated; the
-- latest row (highest id or version) is the state. Migration 5 adds
-- triggers refusing UPDATE and DELETE of consents, withdrawals and
-- signatures.

CREATE TABLE performers (
	id             {{id}},
	production_id  BIGINT NOT NULL REFERENCES productions (id),
	user_id        BIGINT NOT NULL, -- the performer's account; 0: none yet
	name           TEXT NOT NULL,
	email          TEXT NOT NULL,
	phone          TEXT NOT NULL,
	date_of_birth  TEXT NOT NULL, -- YYYY-MM-DD
	representative TEXT NOT NULL,
	created_by     BIGINT NOT NULL REFERENCES users (id),
	created_us     BIGINT NOT NULL
);
CREATE INDEX performers_production ON performers (production_id, id);
CREATE INDEX performers_user ON performers (user_id, production_id);

-- The characters a performer plays, upper-cased as the breakdown names
-- them, so that a scene's performers are found by its characters.
CREATE TABLE performer_characters (
	performer_id BIGINT NOT NULL REFERENCES performers (id),
	idx          INTEGER NOT NULL, -- order as given
	name         TEXT NOT NULL,
	PRIMARY KEY (performer_id, idx),
	UNIQUE (performer_id, name)
);
CREATE INDEX performer_characters_name ON performer_characters (name);

-- Boundaries: sealed bytes only, every version kept.
CREATE TABLE boundaries (
	id           {{id}},
	performer_id BIGINT NOT NULL REFERENCES performers (id),
	version      INTEGER NOT NULL,
	sealed       {{blob}} NOT NULL,
	by_id        BIGINT NOT NULL REFERENCES users (id),
	at_us        BIGINT NOT NULL,
	UNIQUE (performer_id, version)
);

-- A scene carried to the matching scene of a later draft (CarryPlan): its
-- consents, call time and safeguards are read through this link.
CREATE TABLE scene_lineage (
	scene_id      BIGINT PRIMARY KEY REFERENCES scenes (id),
	from_scene_id BIGINT NOT NULL REFERENCES scenes (id),
	by_id         BIGINT NOT NULL REFERENCES users (id),
	at_us         BIGINT NOT NULL
);

CREATE TABLE call_times (
	id       {{id}},
	scene_id BIGINT NOT NULL REFERENCES scenes (id),
	call_us  BIGINT NOT NULL,
	by_id    BIGINT NOT NULL REFERENCES users (id),
	at_us    BIGINT NOT NULL
);
CREATE INDEX call_times_scene ON call_times (scene_id, id);

CREATE TABLE plan_versions (
	id           {{id}},
	scene_id     BIGINT NOT NULL REFERENCES scenes (id),
	version      INTEGER NOT NULL,
	hash         TEXT NOT NULL, -- of content, as the consent package computes it
	content      {{blob}} NOT NULL, -- canonical JSON
	carried_from BIGINT NOT NULL, -- the scene it was carried from; 0: written here
	by_id        BIGINT NOT NULL REFERENCES users (id),
	at_us        BIGINT NOT NULL,
	UNIQUE (scene_id, version)
);
CREATE INDEX plan_versions_hash ON plan_versions (scene_id, hash);

CREATE TABLE riders (
	id            {{id}},
	production_id BIGINT NOT NULL REFERENCES productions (id),
	performer_id  BIGINT NOT NULL REFERENCES performers (id),
	digest        TEXT NOT NULL, -- of content: what the performer signs
	content       {{blob}} NOT NULL, -- canonical content, for re-rendering
	issued_by     BIGINT NOT NULL REFERENCES users (id),
	delivered_us  BIGINT NOT NULL
);
CREATE INDEX riders_performer ON riders (performer_id, id);

CREATE TABLE rider_scenes (
	rider_id        BIGINT NOT NULL REFERENCES riders (id),
	idx             INTEGER NOT NULL,
	scene_id        BIGINT NOT NULL REFERENCES scenes (id),
	plan_version    INTEGER NOT NULL,
	plan_hash       TEXT NOT NULL,
	scene_text_hash TEXT NOT NULL,
	PRIMARY KEY (rider_id, idx),
	UNIQUE (rider_id, scene_id)
);

-- One signature per rider: the primary key refuses a second.
CREATE TABLE rider_signatures (
	rider_id   BIGINT PRIMARY KEY REFERENCES riders (id),
	user_id    BIGINT NOT NULL REFERENCES users (id),
	typed_name TEXT NOT NULL,
	ip         TEXT NOT NULL,
	user_agent TEXT NOT NULL,
	digest     TEXT NOT NULL,
	signed_us  BIGINT NOT NULL
);

-- A consent names the plan and the scene text it was given to, by hash.
-- kind: signed (a rider's signature) or reconfirmed (a reduction
-- confirmed under the same rider).
CREATE TABLE consents (
	id              {{id}},
	performer_id    BIGINT NOT NULL REFERENCES performers (id),
	scene_id        BIGINT NOT NULL REFERENCES scenes (id),
	rider_id        BIGINT NOT NULL REFERENCES riders (id),
	kind            TEXT NOT NULL,
	plan_hash       TEXT NOT NULL,
	scene_text_hash TEXT NOT NULL,
	by_id           BIGINT NOT NULL REFERENCES users (id),
	given_us        BIGINT NOT NULL
);
CREATE INDEX consents_scene ON consents (scene_id, performer_id, id);
CREATE INDEX consents_performer ON consents (performer_id, id);

-- A withdrawal ends the consent it names, at once. Its reason, if the
-- performer gave one, is kept apart and sealed.
CREATE TABLE withdrawals (
	id           {{id}},
	consent_id   BIGINT NOT NULL UNIQUE REFERENCES consents (id),
	scene_id     BIGINT NOT NULL REFERENCES scenes (id), -- the scene it was made on
	performer_id BIGINT NOT NULL REFERENCES performers (id),
	on_behalf    BOOLEAN NOT NULL, -- an IC recorded the performer's word
	by_id        BIGINT NOT NULL REFERENCES users (id),
	at_us        BIGINT NOT NULL
);

CREATE TABLE withdrawal_reasons (
	withdrawal_id BIGINT PRIMARY KEY REFERENCES withdrawals (id),
	sealed        {{blob}} NOT NULL
);

-- Guardians of minor performers and studio teachers, per scene; the
-- latest naming wins.
CREATE TABLE guardians (
	id           {{id}},
	scene_id     BIGINT NOT NULL REFERENCES scenes (id),
	performer_id BIGINT NOT NULL REFERENCES performers (id),
	name         TEXT NOT NULL,
	by_id        BIGINT NOT NULL REFERENCES users (id),
	at_us        BIGINT NOT NULL
);
CREATE INDEX guardians_scene ON guardians (scene_id, performer_id, id);

CREATE TABLE studio_teachers (
	id       {{id}},
	scene_id BIGINT NOT NULL REFERENCES scenes (id),
	name     TEXT NOT NULL,
	by_id    BIGINT NOT NULL REFERENCES users (id),
	at_us    BIGINT NOT NULL
);
CREATE INDEX studio_teachers_scene ON studio_teachers (scene_id, id);
