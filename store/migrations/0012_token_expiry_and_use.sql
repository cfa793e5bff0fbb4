-- Credentials (issue 12): an API token may expire (expires_us, 0: never),
-- and its owner sees when it was last used. The last use is kept apart in
-- token_uses, written at most every few minutes and outside the audit
-- chain: it is housekeeping, like sweeping expired sessions, not a record,
-- and a write per request would put every API call in the writers' line.
ALTER TABLE api_tokens ADD COLUMN expires_us BIGINT NOT NULL DEFAULT 0;

CREATE TABLE token_uses (
	token_id BIGINT PRIMARY KEY REFERENCES api_tokens (id) ON DELETE CASCADE,
	used_us  BIGINT NOT NULL
);
