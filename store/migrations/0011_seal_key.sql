-- The seal key's id (issue 12): recorded by the first server that uses a
-- key on this database, so that a server started with another key refuses
-- to start instead of sealing new boundaries that the old ones cannot be
-- read beside. The id is seal.Key.ID, the first 8 bytes of the key's
-- SHA-256 in hex: it names the key and reveals nothing of it. One row.
CREATE TABLE seal_key (
	id     INTEGER PRIMARY KEY CHECK (id = 1),
	key_id TEXT NOT NULL,
	at_us  BIGINT NOT NULL
);
