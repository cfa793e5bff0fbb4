-- Consents, withdrawals (with their reasons) and signatures are the
-- record of what a performer agreed to and took back: an UPDATE, DELETE or
-- TRUNCATE is refused. A correction is a new row.
CREATE FUNCTION consent_record_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION '% is append-only: a change is a new row', TG_TABLE_NAME;
END
$$;

CREATE TRIGGER consents_no_update BEFORE UPDATE OR DELETE ON consents
	FOR EACH ROW EXECUTE FUNCTION consent_record_append_only();
CREATE TRIGGER consents_no_truncate BEFORE TRUNCATE ON consents
	FOR EACH STATEMENT EXECUTE FUNCTION consent_record_append_only();

CREATE TRIGGER withdrawals_no_update BEFORE UPDATE OR DELETE ON withdrawals
	FOR EACH ROW EXECUTE FUNCTION consent_record_append_only();
CREATE TRIGGER withdrawals_no_truncate BEFORE TRUNCATE ON withdrawals
	FOR EACH STATEMENT EXECUTE FUNCTION consent_record_append_only();

CREATE TRIGGER withdrawal_reasons_no_update BEFORE UPDATE OR DELETE ON withdrawal_reasons
	FOR EACH ROW EXECUTE FUNCTION consent_record_append_only();
CREATE TRIGGER withdrawal_reasons_no_truncate BEFORE TRUNCATE ON withdrawal_reasons
	FOR EACH STATEMENT EXECUTE FUNCTION consent_record_append_only();

CREATE TRIGGER rider_signatures_no_update BEFORE UPDATE OR DELETE ON rider_signatures
	FOR EACH ROW EXECUTE FUNCTION consent_record_append_only();
CREATE TRIGGER rider_signatures_no_truncate BEFORE TRUNCATE ON rider_signatures
	FOR EACH STATEMENT EXECUTE FUNCTION consent_record_append_only();
