-- The records of closedset. Written once for both backends: {{id}} and
-- {{blob}} are filled with each backend's types (see store.Dialect).
--
-- Times are BIGINT microseconds since 1970-01-01 UTC, columns named *_us:
-- one spelling on both backends and in backups, and the precision of the
-- audit chain. Lists (characters, areas, evidence) are JSON text.

CREATE TABLE users (
	id            {{id}},
	email         TEXT NOT NULL UNIQUE, -- lower-cased by the store
	name          TEXT NOT NULL,
	password_hash TEXT NOT NULL,
	admin         BOOLEAN NOT NULL,
	created_us    BIGINT NOT NULL
);

CREATE TABLE sessions (
	hash       {{blob}} PRIMARY KEY, -- of the session id; the id lives only in the cookie
	user_id    BIGINT NOT NULL REFERENCES users (id),
	created_us BIGINT NOT NULL,
	expires_us BIGINT NOT NULL
);
CREATE INDEX sessions_expires ON sessions (expires_us);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_tokens (
	id         {{id}},
	user_id    BIGINT NOT NULL REFERENCES users (id),
	name       TEXT NOT NULL,
	hash       {{blob}} NOT NULL UNIQUE, -- of the token; never its plaintext
	created_us BIGINT NOT NULL
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

CREATE TABLE productions (
	id         {{id}},
	title      TEXT NOT NULL,
	policy     TEXT NOT NULL,
	time_zone  TEXT NOT NULL,
	created_by BIGINT NOT NULL REFERENCES users (id),
	created_us BIGINT NOT NULL
);

-- One row per role: a member may hold several. The primary key serves
-- Roles(production, user), on the path of every request.
CREATE TABLE members (
	production_id BIGINT NOT NULL REFERENCES productions (id),
	user_id       BIGINT NOT NULL REFERENCES users (id),
	role          TEXT NOT NULL,
	added_us      BIGINT NOT NULL,
	PRIMARY KEY (production_id, user_id, role)
);
CREATE INDEX members_user ON members (user_id, production_id);

CREATE TABLE scripts (
	id            {{id}},
	production_id BIGINT NOT NULL REFERENCES productions (id),
	title         TEXT NOT NULL,
	created_us    BIGINT NOT NULL
);
CREATE INDEX scripts_production ON scripts (production_id, id);

CREATE TABLE revisions (
	id            {{id}},
	script_id     BIGINT NOT NULL REFERENCES scripts (id),
	seq           INTEGER NOT NULL,
	title         TEXT NOT NULL,
	filename      TEXT NOT NULL,
	format        TEXT NOT NULL,
	colour        TEXT NOT NULL,
	draft_date    TEXT NOT NULL,
	sha256        TEXT NOT NULL,
	size          BIGINT NOT NULL,
	uploaded_by   BIGINT NOT NULL REFERENCES users (id),
	uploaded_us   BIGINT NOT NULL,
	scene_count   INTEGER NOT NULL,
	flagged_count INTEGER NOT NULL,
	UNIQUE (script_id, seq) -- also finds a script's latest revision
);

-- The original file apart from its revision, so that reading revisions
-- never pages through megabytes of script.
CREATE TABLE revision_files (
	revision_id BIGINT PRIMARY KEY REFERENCES revisions (id),
	data        {{blob}} NOT NULL
);

CREATE TABLE scenes (
	id          {{id}},
	revision_id BIGINT NOT NULL REFERENCES revisions (id),
	idx         INTEGER NOT NULL, -- 1-based order in the script
	number      TEXT NOT NULL,
	heading     TEXT NOT NULL,
	line        INTEGER NOT NULL,
	page        INTEGER NOT NULL,
	eighths     INTEGER NOT NULL,
	characters  TEXT NOT NULL, -- JSON array of names
	text        TEXT NOT NULL,
	text_hash   TEXT NOT NULL,
	needs_ic    BOOLEAN NOT NULL,
	UNIQUE (revision_id, idx)
);

CREATE TABLE flags (
	id         {{id}},
	scene_id   BIGINT NOT NULL REFERENCES scenes (id),
	idx        INTEGER NOT NULL, -- order in the scene, as the breakdown gave it
	category   TEXT NOT NULL,
	level      TEXT NOT NULL,
	kind       TEXT NOT NULL,
	areas      TEXT NOT NULL, -- JSON array
	confidence DOUBLE PRECISION NOT NULL,
	evidence   TEXT NOT NULL, -- JSON array of {line, text, match}
	characters TEXT NOT NULL, -- JSON array of names
	UNIQUE (scene_id, idx)
);

-- Append-only: the latest review (highest id) of a flag is its state.
CREATE TABLE flag_reviews (
	id       {{id}},
	flag_id  BIGINT NOT NULL REFERENCES flags (id),
	decision TEXT NOT NULL,
	note     TEXT NOT NULL,
	by_id    BIGINT NOT NULL REFERENCES users (id),
	by_name  TEXT NOT NULL, -- the reviewer as known then, like the audit chain
	at_us    BIGINT NOT NULL
);
CREATE INDEX flag_reviews_flag ON flag_reviews (flag_id, id);

-- The audit chain (package audit). Append-only: nothing updates or deletes
-- a row (migration 2 adds triggers that refuse to); corrections are new
-- events. actor_id is not a foreign key: 0 is the system.
CREATE TABLE audit_events (
	seq        BIGINT PRIMARY KEY,
	at_us      BIGINT NOT NULL,
	actor_id   BIGINT NOT NULL,
	actor_name TEXT NOT NULL,
	action     TEXT NOT NULL,
	object     TEXT NOT NULL,
	digest     TEXT NOT NULL,
	prev_hash  TEXT NOT NULL,
	hash       TEXT NOT NULL
);

-- The chain's head, one row. Every write transaction reads it first with
-- the dialect's lock (FOR UPDATE on PostgreSQL), which puts the writers of
-- every process in one line, and moves it with the event it appends.
CREATE TABLE audit_head (
	id   INTEGER PRIMARY KEY CHECK (id = 1),
	seq  BIGINT NOT NULL,
	hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
