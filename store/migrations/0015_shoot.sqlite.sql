-- The shoot day's record (issue 13, part B): rehearsals, takes and the
-- performers' check-ins before each, pauses of a scene and their resumes,
-- deviations from the plan, step-outs and debriefs at wrap, the crew's
-- debrief, and the signed versions of end-of-day reports.
--
-- A performer's debrief notes are kept only sealed (package seal), like
-- boundaries. No column is NULL: 0 or '' stands for "none". Every table
-- is append-only (the triggers below): a correction is a new row, and a
-- state (a take rolled, a scene paused) is computed from the rows.

CREATE TABLE rehearsals (
	id           {{id}},
	scene_id     BIGINT NOT NULL REFERENCES scenes (id),
	walked       TEXT NOT NULL,
	changes      TEXT NOT NULL,
	plan_version INTEGER NOT NULL, -- the version its changes made; 0: none
	by_id        BIGINT NOT NULL REFERENCES users (id),
	at_us        BIGINT NOT NULL
);
CREATE INDEX rehearsals_scene ON rehearsals (scene_id, id);

-- Who was at a rehearsal: performers by id (name ''), others by name
-- (performer_id 0).
CREATE TABLE rehearsal_people (
	rehearsal_id BIGINT NOT NULL REFERENCES rehearsals (id),
	idx          INTEGER NOT NULL,
	performer_id BIGINT NOT NULL,
	name         TEXT NOT NULL,
	role         TEXT NOT NULL,
	PRIMARY KEY (rehearsal_id, idx)
);

CREATE TABLE takes (
	id        {{id}},
	scene_id  BIGINT NOT NULL REFERENCES scenes (id),
	number    INTEGER NOT NULL,
	plan_hash TEXT NOT NULL,
	by_id     BIGINT NOT NULL REFERENCES users (id),
	at_us     BIGINT NOT NULL,
	UNIQUE (scene_id, number)
);

-- The performers in the action when the take was logged: who checks in.
CREATE TABLE take_performers (
	take_id      BIGINT NOT NULL REFERENCES takes (id),
	performer_id BIGINT NOT NULL REFERENCES performers (id),
	PRIMARY KEY (take_id, performer_id)
);

CREATE TABLE check_ins (
	id           {{id}},
	take_id      BIGINT NOT NULL REFERENCES takes (id),
	performer_id BIGINT NOT NULL REFERENCES performers (id),
	answer       TEXT NOT NULL, -- yes, pause, stop
	on_behalf    BOOLEAN NOT NULL, -- an IC recorded the performer's word
	by_id        BIGINT NOT NULL REFERENCES users (id),
	at_us        BIGINT NOT NULL
);
CREATE INDEX check_ins_take ON check_ins (take_id, id);

CREATE TABLE scene_pauses (
	id           {{id}},
	scene_id     BIGINT NOT NULL REFERENCES scenes (id),
	take_id      BIGINT NOT NULL REFERENCES takes (id),
	performer_id BIGINT NOT NULL REFERENCES performers (id),
	by_id        BIGINT NOT NULL REFERENCES users (id),
	at_us        BIGINT NOT NULL
);
CREATE INDEX scene_pauses_scene ON scene_pauses (scene_id, id);

-- A resume ends every pause of the scene up to through_pause_id.
CREATE TABLE scene_resumes (
	id               {{id}},
	scene_id         BIGINT NOT NULL REFERENCES scenes (id),
	through_pause_id BIGINT NOT NULL REFERENCES scene_pauses (id),
	by_id            BIGINT NOT NULL REFERENCES users (id),
	at_us            BIGINT NOT NULL
);
CREATE INDEX scene_resumes_scene ON scene_resumes (scene_id, id);

CREATE TABLE deviations (
	id        {{id}},
	take_id   BIGINT NOT NULL REFERENCES takes (id),
	text      TEXT NOT NULL,
	agreed_by TEXT NOT NULL, -- performer ids, comma-separated
	incident  BOOLEAN NOT NULL,
	by_id     BIGINT NOT NULL REFERENCES users (id),
	at_us     BIGINT NOT NULL
);
CREATE INDEX deviations_take ON deviations (take_id, id);

CREATE TABLE step_outs (
	id           {{id}},
	scene_id     BIGINT NOT NULL REFERENCES scenes (id),
	performer_id BIGINT NOT NULL REFERENCES performers (id),
	by_id        BIGINT NOT NULL REFERENCES users (id),
	at_us        BIGINT NOT NULL
);
CREATE INDEX step_outs_scene ON step_outs (scene_id, id);

CREATE TABLE debriefs (
	id           {{id}},
	scene_id     BIGINT NOT NULL REFERENCES scenes (id),
	performer_id BIGINT NOT NULL REFERENCES performers (id),
	sealed       {{blob}} NOT NULL, -- the notes, sealed; empty: none
	follow_up    BOOLEAN NOT NULL,
	by_id        BIGINT NOT NULL REFERENCES users (id),
	at_us        BIGINT NOT NULL
);
CREATE INDEX debriefs_scene ON debriefs (scene_id, id);

CREATE TABLE crew_debriefs (
	id       {{id}},
	scene_id BIGINT NOT NULL REFERENCES scenes (id),
	held_by  TEXT NOT NULL,
	held_us  BIGINT NOT NULL,
	notes    TEXT NOT NULL,
	by_id    BIGINT NOT NULL REFERENCES users (id),
	at_us    BIGINT NOT NULL
);
CREATE INDEX crew_debriefs_scene ON crew_debriefs (scene_id, id);

-- The signed versions of a shoot day's end-of-day report.
CREATE TABLE day_reports (
	id            {{id}},
	production_id BIGINT NOT NULL REFERENCES productions (id),
	shoot_day_id  BIGINT NOT NULL,
	version       INTEGER NOT NULL,
	content       {{blob}} NOT NULL, -- canonical JSON (shoot.DayReport)
	hash          TEXT NOT NULL,
	signed_by     BIGINT NOT NULL REFERENCES users (id),
	signed_us     BIGINT NOT NULL,
	UNIQUE (shoot_day_id, version)
);

CREATE TRIGGER rehearsals_no_update BEFORE UPDATE ON rehearsals
BEGIN
	SELECT RAISE(ABORT, 'rehearsals is append-only: a change is a new row');
END;
CREATE TRIGGER rehearsals_no_delete BEFORE DELETE ON rehearsals
BEGIN
	SELECT RAISE(ABORT, 'rehearsals is append-only: a change is a new row');
END;
CREATE TRIGGER rehearsal_people_no_update BEFORE UPDATE ON rehearsal_people
BEGIN
	SELECT RAISE(ABORT, 'rehearsal_people is append-only: a change is a new row');
END;
CREATE TRIGGER rehearsal_people_no_delete BEFORE DELETE ON rehearsal_people
BEGIN
	SELECT RAISE(ABORT, 'rehearsal_people is append-only: a change is a new row');
END;
CREATE TRIGGER takes_no_update BEFORE UPDATE ON takes
BEGIN
	SELECT RAISE(ABORT, 'takes is append-only: a change is a new row');
END;
CREATE TRIGGER takes_no_delete BEFORE DELETE ON takes
BEGIN
	SELECT RAISE(ABORT, 'takes is append-only: a change is a new row');
END;
CREATE TRIGGER take_performers_no_update BEFORE UPDATE ON take_performers
BEGIN
	SELECT RAISE(ABORT, 'take_performers is append-only: a change is a new row');
END;
CREATE TRIGGER take_performers_no_delete BEFORE DELETE ON take_performers
BEGIN
	SELECT RAISE(ABORT, 'take_performers is append-only: a change is a new row');
END;
CREATE TRIGGER check_ins_no_update BEFORE UPDATE ON check_ins
BEGIN
	SELECT RAISE(ABORT, 'check_ins is append-only: a change is a new row');
END;
CREATE TRIGGER check_ins_no_delete BEFORE DELETE ON check_ins
BEGIN
	SELECT RAISE(ABORT, 'check_ins is append-only: a change is a new row');
END;
CREATE TRIGGER scene_pauses_no_update BEFORE UPDATE ON scene_pauses
BEGIN
	SELECT RAISE(ABORT, 'scene_pauses is append-only: a change is a new row');
END;
CREATE TRIGGER scene_pauses_no_delete BEFORE DELETE ON scene_pauses
BEGIN
	SELECT RAISE(ABORT, 'scene_pauses is append-only: a change is a new row');
END;
CREATE TRIGGER scene_resumes_no_update BEFORE UPDATE ON scene_resumes
BEGIN
	SELECT RAISE(ABORT, 'scene_resumes is append-only: a change is a new row');
END;
CREATE TRIGGER scene_resumes_no_delete BEFORE DELETE ON scene_resumes
BEGIN
	SELECT RAISE(ABORT, 'scene_resumes is append-only: a change is a new row');
END;
CREATE TRIGGER deviations_no_update BEFORE UPDATE ON deviations
BEGIN
	SELECT RAISE(ABORT, 'deviations is append-only: a change is a new row');
END;
CREATE TRIGGER deviations_no_delete BEFORE DELETE ON deviations
BEGIN
	SELECT RAISE(ABORT, 'deviations is append-only: a change is a new row');
END;
CREATE TRIGGER step_outs_no_update BEFORE UPDATE ON step_outs
BEGIN
	SELECT RAISE(ABORT, 'step_outs is append-only: a change is a new row');
END;
CREATE TRIGGER step_outs_no_delete BEFORE DELETE ON step_outs
BEGIN
	SELECT RAISE(ABORT, 'step_outs is append-only: a change is a new row');
END;
CREATE TRIGGER debriefs_no_update BEFORE UPDATE ON debriefs
BEGIN
	SELECT RAISE(ABORT, 'debriefs is append-only: a change is a new row');
END;
CREATE TRIGGER debriefs_no_delete BEFORE DELETE ON debriefs
BEGIN
	SELECT RAISE(ABORT, 'debriefs is append-only: a change is a new row');
END;
CREATE TRIGGER crew_debriefs_no_update BEFORE UPDATE ON crew_debriefs
BEGIN
	SELECT RAISE(ABORT, 'crew_debriefs is append-only: a change is a new row');
END;
CREATE TRIGGER crew_debriefs_no_delete BEFORE DELETE ON crew_debriefs
BEGIN
	SELECT RAISE(ABORT, 'crew_debriefs is append-only: a change is a new row');
END;
CREATE TRIGGER day_reports_no_update BEFORE UPDATE ON day_reports
BEGIN
	SELECT RAISE(ABORT, 'day_reports is append-only: a change is a new row');
END;
CREATE TRIGGER day_reports_no_delete BEFORE DELETE ON day_reports
BEGIN
	SELECT RAISE(ABORT, 'day_reports is append-only: a change is a new row');
END;
