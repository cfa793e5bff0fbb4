-- The IC's own record (issue 16): the profile an IC keeps of their
-- training, Mental Health First Aid, background check, applied work, set
-- days and certification; the proof files behind it, kept only sealed
-- (package seal) like boundaries; the productions an IC shares their
-- proofs with; a trainer's sign-offs of a trainee's pathway stages; and
-- each production's lead IC of record. The trainer is an installation
-- role, a column of users like admin.
--
-- No column is NULL: 0 or '' stands for "none". Every new table is
-- append-only (the triggers below): a profile is a new version, sharing
-- or naming again is a new row, and the latest row is the state.

ALTER TABLE users ADD COLUMN trainer BOOLEAN NOT NULL DEFAULT FALSE;

-- A profile version's content is the canonical JSON of
-- credentials.Profile: proofs by id, never their bytes.
CREATE TABLE ic_profiles (
	id      {{id}},
	user_id BIGINT NOT NULL REFERENCES users (id),
	version INTEGER NOT NULL,
	content {{blob}} NOT NULL,
	by_id   BIGINT NOT NULL REFERENCES users (id),
	at_us   BIGINT NOT NULL,
	UNIQUE (user_id, version)
);

-- A proof file (a certificate, a call sheet, a pay stub): its bytes
-- sealed with ops.ProofAAD, its name and type as the IC gave them.
CREATE TABLE proof_files (
	id         {{id}},
	user_id    BIGINT NOT NULL REFERENCES users (id),
	name       TEXT NOT NULL,
	media_type TEXT NOT NULL,
	size       BIGINT NOT NULL,
	sealed     {{blob}} NOT NULL,
	by_id      BIGINT NOT NULL REFERENCES users (id),
	at_us      BIGINT NOT NULL
);
CREATE INDEX proof_files_user ON proof_files (user_id, id);

-- Whether an IC shares their proofs with a production's producers: the
-- latest row of the pair holds.
CREATE TABLE proof_shares (
	id            {{id}},
	user_id       BIGINT NOT NULL REFERENCES users (id),
	production_id BIGINT NOT NULL REFERENCES productions (id),
	shared        BOOLEAN NOT NULL,
	by_id         BIGINT NOT NULL REFERENCES users (id),
	at_us         BIGINT NOT NULL
);
CREATE INDEX proof_shares_pair ON proof_shares (user_id, production_id, id);

-- A trainer's sign-off of a trainee's stage (credentials.Pathway).
CREATE TABLE stage_signoffs (
	id      {{id}},
	user_id BIGINT NOT NULL REFERENCES users (id),
	stage   TEXT NOT NULL,
	note    TEXT NOT NULL,
	by_id   BIGINT NOT NULL REFERENCES users (id),
	at_us   BIGINT NOT NULL,
	UNIQUE (user_id, stage)
);

-- A production's lead IC of record: the latest naming holds.
CREATE TABLE ic_of_record (
	id            {{id}},
	production_id BIGINT NOT NULL REFERENCES productions (id),
	user_id       BIGINT NOT NULL REFERENCES users (id),
	by_id         BIGINT NOT NULL REFERENCES users (id),
	at_us         BIGINT NOT NULL
);
CREATE INDEX ic_of_record_production ON ic_of_record (production_id, id);

CREATE TRIGGER ic_profiles_no_update BEFORE UPDATE ON ic_profiles
BEGIN
	SELECT RAISE(ABORT, 'ic_profiles is append-only: a change is a new row');
END;
CREATE TRIGGER ic_profiles_no_delete BEFORE DELETE ON ic_profiles
BEGIN
	SELECT RAISE(ABORT, 'ic_profiles is append-only: a change is a new row');
END;
CREATE TRIGGER proof_files_no_update BEFORE UPDATE ON proof_files
BEGIN
	SELECT RAISE(ABORT, 'proof_files is append-only: a change is a new row');
END;
CREATE TRIGGER proof_files_no_delete BEFORE DELETE ON proof_files
BEGIN
	SELECT RAISE(ABORT, 'proof_files is append-only: a change is a new row');
END;
CREATE TRIGGER proof_shares_no_update BEFORE UPDATE ON proof_shares
BEGIN
	SELECT RAISE(ABORT, 'proof_shares is append-only: a change is a new row');
END;
CREATE TRIGGER proof_shares_no_delete BEFORE DELETE ON proof_shares
BEGIN
	SELECT RAISE(ABORT, 'proof_shares is append-only: a change is a new row');
END;
CREATE TRIGGER stage_signoffs_no_update BEFORE UPDATE ON stage_signoffs
BEGIN
	SELECT RAISE(ABORT, 'stage_signoffs is append-only: a change is a new row');
END;
CREATE TRIGGER stage_signoffs_no_delete BEFORE DELETE ON stage_signoffs
BEGIN
	SELECT RAISE(ABORT, 'stage_signoffs is append-only: a change is a new row');
END;
CREATE TRIGGER ic_of_record_no_update BEFORE UPDATE ON ic_of_record
BEGIN
	SELECT RAISE(ABORT, 'ic_of_record is append-only: a change is a new row');
END;
CREATE TRIGGER ic_of_record_no_delete BEFORE DELETE ON ic_of_record
BEGIN
	SELECT RAISE(ABORT, 'ic_of_record is append-only: a change is a new row');
END;
