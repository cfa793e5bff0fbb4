-- Alerts (issue 17): each user's choice of channels, their browsers'
-- Web Push subscriptions, and the outbox of messages to deliver.
--
-- The outbox is housekeeping, not a record: its rows change state as a
-- worker delivers them (queued, sent, failed), so it is outside the
-- ledger. A row is written in the same transaction as the event that
-- causes it (a withdrawal, a pause, a new rider), so an alert is queued
-- exactly when its event commits, and a queued row survives a restart.
-- No reason, boundary or note is ever put in a row: only the short
-- notice ("Consent changed for scene 12") and a link.
-- alert_scans keeps the keys of the time-based alerts already queued (a
-- rider due in 24 hours, a request due), so a periodic scan queues each
-- once.

CREATE TABLE alert_prefs (
	user_id BIGINT PRIMARY KEY REFERENCES users (id),
	email   BOOLEAN NOT NULL,
	push    BOOLEAN NOT NULL,
	at_us   BIGINT NOT NULL
);

CREATE TABLE push_subscriptions (
	id       {{id}},
	user_id  BIGINT NOT NULL REFERENCES users (id),
	endpoint TEXT NOT NULL UNIQUE,
	p256dh   TEXT NOT NULL,
	auth     TEXT NOT NULL,
	at_us    BIGINT NOT NULL
);
CREATE INDEX push_subscriptions_user ON push_subscriptions (user_id, id);

-- user_id is 0 for a message to someone with no account yet (an
-- invitation); address is the e-mail address for the email channel, ''
-- for push (delivered to the user's subscriptions at the time).
CREATE TABLE alert_outbox (
	id         {{id}},
	user_id    BIGINT NOT NULL,
	channel    TEXT NOT NULL,
	address    TEXT NOT NULL,
	subject    TEXT NOT NULL,
	body       TEXT NOT NULL,
	url        TEXT NOT NULL,
	state      TEXT NOT NULL,
	attempts   INTEGER NOT NULL,
	next_us    BIGINT NOT NULL,
	created_us BIGINT NOT NULL,
	done_us    BIGINT NOT NULL,
	last_error TEXT NOT NULL
);
CREATE INDEX alert_outbox_due ON alert_outbox (state, next_us);

CREATE TABLE alert_scans (
	scan_key TEXT PRIMARY KEY,
	at_us    BIGINT NOT NULL
);
