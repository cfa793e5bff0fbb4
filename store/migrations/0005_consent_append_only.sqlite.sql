-- Consents, withdrawals (with their reasons) and signatures are the
-- record of what a performer agreed to and took back: an UPDATE or DELETE
-- is refused. A correction is a new row.
CREATE TRIGGER consents_no_update BEFORE UPDATE ON consents
BEGIN
	SELECT RAISE(ABORT, 'consents is append-only: a change is a new consent or a withdrawal');
END;
CREATE TRIGGER consents_no_delete BEFORE DELETE ON consents
BEGIN
	SELECT RAISE(ABORT, 'consents is append-only: a change is a new consent or a withdrawal');
END;

CREATE TRIGGER withdrawals_no_update BEFORE UPDATE ON withdrawals
BEGIN
	SELECT RAISE(ABORT, 'withdrawals is append-only: a withdrawal stands');
END;
CREATE TRIGGER withdrawals_no_delete BEFORE DELETE ON withdrawals
BEGIN
	SELECT RAISE(ABORT, 'withdrawals is append-only: a withdrawal stands');
END;

CREATE TRIGGER withdrawal_reasons_no_update BEFORE UPDATE ON withdrawal_reasons
BEGIN
	SELECT RAISE(ABORT, 'withdrawal_reasons is append-only');
END;
CREATE TRIGGER withdrawal_reasons_no_delete BEFORE DELETE ON withdrawal_reasons
BEGIN
	SELECT RAISE(ABORT, 'withdrawal_reasons is append-only');
END;

CREATE TRIGGER rider_signatures_no_update BEFORE UPDATE ON rider_signatures
BEGIN
	SELECT RAISE(ABORT, 'rider_signatures is append-only: a signature stands');
END;
CREATE TRIGGER rider_signatures_no_delete BEFORE DELETE ON rider_signatures
BEGIN
	SELECT RAISE(ABORT, 'rider_signatures is append-only: a signature stands');
END;
