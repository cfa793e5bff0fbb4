-- Calendar feeds (issue 17): each user's iCalendar feed is read at a
-- secret URL, whose token is kept only as its hash, like an API token's;
-- its owner lists and revokes their feeds on their account page. The feed
-- itself is computed from the records on every request: nothing of it is
-- stored.
CREATE TABLE calendar_feeds (
	id         {{id}},
	user_id    BIGINT NOT NULL REFERENCES users (id),
	name       TEXT NOT NULL,
	hash       {{blob}} NOT NULL UNIQUE, -- of the token; never its plaintext
	created_us BIGINT NOT NULL
);
CREATE INDEX calendar_feeds_user ON calendar_feeds (user_id);
