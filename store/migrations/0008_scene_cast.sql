-- The IC's choices of who is in a scene beyond the characters the script
-- shows present: a performer put in by hand (in_scene true) or taken out
-- (false). Appended on every choice; the latest per performer holds. A new
-- draft carries the choices of a matched scene to its match.
CREATE TABLE scene_cast (
	id           {{id}},
	scene_id     BIGINT NOT NULL REFERENCES scenes (id),
	performer_id BIGINT NOT NULL REFERENCES performers (id),
	in_scene     BOOLEAN NOT NULL,
	by_id        BIGINT NOT NULL REFERENCES users (id),
	at_us        BIGINT NOT NULL
);
CREATE INDEX scene_cast_scene ON scene_cast (scene_id, performer_id, id);
