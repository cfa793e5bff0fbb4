-- People (issue 11): an admin disables an account (it cannot sign in, its
-- sessions and tokens stop working at once) and enables it again; a
-- performer taken off the cast is marked removed, never deleted, since
-- their riders, consents and withdrawals are history (0: on the cast).
ALTER TABLE users ADD COLUMN disabled BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE performers ADD COLUMN removed_us BIGINT NOT NULL DEFAULT 0;
