-- A review carried to the next draft of a script, because the scene's text
-- did not change, names the draft (revision seq) it was made on; 0 for a
-- review made on the flag itself.
ALTER TABLE flag_reviews ADD COLUMN carried_from_seq INTEGER NOT NULL DEFAULT 0;
