-- The shoot day, part A (issue 13): department requests and their states,
-- shoot days and their scenes, closed-set lists and their approvals.
--
-- Every table here is a history: a request's state changes, a day's scene
-- lists, a scene's closed-set versions and their approvals are appended,
-- never updated; the latest row is the state. The triggers below refuse
-- UPDATE and DELETE. No column is NULL: 0 stands for "none" where a
-- reference is optional, as in migration 4.

-- A request of the IC to one department (a production role: costume,
-- hmu, props, stunts, camera, ad) for one scene, due before its call.
CREATE TABLE department_requests (
	id            {{id}},
	production_id BIGINT NOT NULL REFERENCES productions (id),
	scene_id      BIGINT NOT NULL REFERENCES scenes (id),
	department    TEXT NOT NULL,
	text          TEXT NOT NULL,
	due_us        BIGINT NOT NULL,
	performer_id  BIGINT NOT NULL, -- the performer it is for; 0: the scene
	by_id         BIGINT NOT NULL REFERENCES users (id),
	at_us         BIGINT NOT NULL
);
CREATE INDEX department_requests_scene ON department_requests (scene_id, id);
CREATE INDEX department_requests_production ON department_requests (production_id, department, id);

-- Each change of a request's state, the first one (open) written with
-- the request; the latest is its state.
CREATE TABLE request_states (
	id         {{id}},
	request_id BIGINT NOT NULL REFERENCES department_requests (id),
	state      TEXT NOT NULL,
	note       TEXT NOT NULL,
	by_id      BIGINT NOT NULL REFERENCES users (id),
	at_us      BIGINT NOT NULL
);
CREATE INDEX request_states_request ON request_states (request_id, id);

-- A production's shoot days, one per date (YYYY-MM-DD, the production's
-- calendar).
CREATE TABLE shoot_days (
	id            {{id}},
	production_id BIGINT NOT NULL REFERENCES productions (id),
	day           TEXT NOT NULL,
	by_id         BIGINT NOT NULL REFERENCES users (id),
	at_us         BIGINT NOT NULL,
	UNIQUE (production_id, day)
);

-- Each version of a day's scene list; shoot_day_scenes holds its scenes
-- in order (a version may hold none).
CREATE TABLE shoot_day_versions (
	id      {{id}},
	day_id  BIGINT NOT NULL REFERENCES shoot_days (id),
	version INTEGER NOT NULL,
	by_id   BIGINT NOT NULL REFERENCES users (id),
	at_us   BIGINT NOT NULL,
	UNIQUE (day_id, version)
);

CREATE TABLE shoot_day_scenes (
	version_id BIGINT NOT NULL REFERENCES shoot_day_versions (id),
	idx        INTEGER NOT NULL,
	scene_id   BIGINT NOT NULL REFERENCES scenes (id),
	PRIMARY KEY (version_id, idx)
);

-- A scene's closed-set list, every version kept: content is the list's
-- canonical JSON (production.ClosedSet), hash its identity. Versions are
-- numbered through the scene's lineage, so a list follows its scene into
-- a new draft.
CREATE TABLE closed_set_versions (
	id       {{id}},
	scene_id BIGINT NOT NULL REFERENCES scenes (id),
	version  INTEGER NOT NULL,
	hash     TEXT NOT NULL,
	content  TEXT NOT NULL,
	by_id    BIGINT NOT NULL REFERENCES users (id),
	at_us    BIGINT NOT NULL
);
CREATE INDEX closed_set_versions_scene ON closed_set_versions (scene_id, id);

-- An approval names the version it approves, in one capacity (ic or ad),
-- once.
CREATE TABLE closed_set_approvals (
	id         {{id}},
	version_id BIGINT NOT NULL REFERENCES closed_set_versions (id),
	role       TEXT NOT NULL,
	by_id      BIGINT NOT NULL REFERENCES users (id),
	at_us      BIGINT NOT NULL,
	UNIQUE (version_id, role)
);

CREATE FUNCTION shoot_day_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION '% is append-only: a change is a new row', TG_TABLE_NAME;
END
$$;

CREATE TRIGGER department_requests_no_update BEFORE UPDATE OR DELETE ON department_requests
	FOR EACH ROW EXECUTE FUNCTION shoot_day_append_only();
CREATE TRIGGER department_requests_no_truncate BEFORE TRUNCATE ON department_requests
	FOR EACH STATEMENT EXECUTE FUNCTION shoot_day_append_only();

CREATE TRIGGER request_states_no_update BEFORE UPDATE OR DELETE ON request_states
	FOR EACH ROW EXECUTE FUNCTION shoot_day_append_only();
CREATE TRIGGER request_states_no_truncate BEFORE TRUNCATE ON request_states
	FOR EACH STATEMENT EXECUTE FUNCTION shoot_day_append_only();

CREATE TRIGGER shoot_days_no_update BEFORE UPDATE OR DELETE ON shoot_days
	FOR EACH ROW EXECUTE FUNCTION shoot_day_append_only();
CREATE TRIGGER shoot_days_no_truncate BEFORE TRUNCATE ON shoot_days
	FOR EACH STATEMENT EXECUTE FUNCTION shoot_day_append_only();

CREATE TRIGGER shoot_day_versions_no_update BEFORE UPDATE OR DELETE ON shoot_day_versions
	FOR EACH ROW EXECUTE FUNCTION shoot_day_append_only();
CREATE TRIGGER shoot_day_versions_no_truncate BEFORE TRUNCATE ON shoot_day_versions
	FOR EACH STATEMENT EXECUTE FUNCTION shoot_day_append_only();

CREATE TRIGGER shoot_day_scenes_no_update BEFORE UPDATE OR DELETE ON shoot_day_scenes
	FOR EACH ROW EXECUTE FUNCTION shoot_day_append_only();
CREATE TRIGGER shoot_day_scenes_no_truncate BEFORE TRUNCATE ON shoot_day_scenes
	FOR EACH STATEMENT EXECUTE FUNCTION shoot_day_append_only();

CREATE TRIGGER closed_set_versions_no_update BEFORE UPDATE OR DELETE ON closed_set_versions
	FOR EACH ROW EXECUTE FUNCTION shoot_day_append_only();
CREATE TRIGGER closed_set_versions_no_truncate BEFORE TRUNCATE ON closed_set_versions
	FOR EACH STATEMENT EXECUTE FUNCTION shoot_day_append_only();

CREATE TRIGGER closed_set_approvals_no_update BEFORE UPDATE OR DELETE ON closed_set_approvals
	FOR EACH ROW EXECUTE FUNCTION shoot_day_append_only();
CREATE TRIGGER closed_set_approvals_no_truncate BEFORE TRUNCATE ON closed_set_approvals
	FOR EACH STATEMENT EXECUTE FUNCTION shoot_day_append_only();
