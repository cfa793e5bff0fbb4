-- A flag's situation (issue 14): what the breakdown read the scene as
-- when it raised the flag ("setting: strip club; shown: g-string"),
-- shown beside its evidence lines. Flags stored before it have none.
ALTER TABLE flags ADD COLUMN situation TEXT NOT NULL DEFAULT '';
