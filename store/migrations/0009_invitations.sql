-- Invitations (issue 11, roles and people): a producer or IC invites
-- someone without an account to a role in a production. The link's
-- one-time token is kept only as its hash, like sessions and API tokens.
-- An invitation is pending until it is accepted (accepted_us and the
-- account it made), revoked, or expires; 0 stands for "not yet".
CREATE TABLE invitations (
	id            {{id}},
	production_id BIGINT NOT NULL REFERENCES productions (id),
	email         TEXT NOT NULL, -- lower-cased by the store
	role          TEXT NOT NULL,
	hash          {{blob}} NOT NULL UNIQUE, -- of the token; never its plaintext
	invited_by    BIGINT NOT NULL REFERENCES users (id),
	created_us    BIGINT NOT NULL,
	expires_us    BIGINT NOT NULL,
	accepted_us   BIGINT NOT NULL,
	accepted_by   BIGINT NOT NULL, -- the account made by accepting; 0: none yet
	revoked_us    BIGINT NOT NULL,
	revoked_by    BIGINT NOT NULL
);
CREATE INDEX invitations_production ON invitations (production_id, id);
