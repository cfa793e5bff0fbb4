-- Who is in a scene: the characters present, speaking or not (the
-- breakdown's "present"), beside its speakers in characters. A scene
-- stored before the reader found silent characters keeps its speakers as
-- the ones present.
ALTER TABLE scenes ADD COLUMN present TEXT NOT NULL DEFAULT '[]'; -- JSON array of names
UPDATE scenes SET present = characters;
