-- The audit chain is append-only: an UPDATE or DELETE of an event is
-- refused. (Someone with the database file can still drop these triggers;
-- audit.Verify then names the first event they changed.)
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN
	SELECT RAISE(ABORT, 'audit_events is append-only: corrections are new events');
END;

CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN
	SELECT RAISE(ABORT, 'audit_events is append-only: corrections are new events');
END;
