package storetest

import (
	"context"
	"database/sql"
	"testing"

	"closedset/audit"
	"closedset/ops"
	"closedset/store"
)

// TestMigrations applies every migration to db, an empty database, and
// then again: the second time must change nothing.
func TestMigrations(t *testing.T, db *sql.DB, d store.Dialect) {
	ctx := context.Background()
	n, err := store.Migrate(ctx, db, d, nil)
	if err != nil {
		t.Fatalf("Migrate on an empty database: %v", err)
	}
	if n != store.SchemaVersion() || n == 0 {
		t.Fatalf("Migrate applied %d migrations, want %d", n, store.SchemaVersion())
	}
	again, err := store.Migrate(ctx, db, d, nil)
	if err != nil || again != 0 {
		t.Fatalf("Migrate again = %d, %v; want 0, nil", again, err)
	}
	var rows, top int
	if err := db.QueryRowContext(ctx, `SELECT COUNT(*), MAX(version) FROM schema_migrations`).Scan(&rows, &top); err != nil {
		t.Fatal(err)
	}
	if rows != n || top != n {
		t.Fatalf("schema_migrations has %d rows up to %d, want %d", rows, top, n)
	}
	var head int
	if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_head`).Scan(&head); err != nil || head != 1 {
		t.Fatalf("audit_head has %d rows, %v; want 1", head, err)
	}
}

// TestScenePresentMigration stores a scene the way schema 6 did (its
// speakers only) and migrates: the scene's present characters are its
// speakers, and a scene stored after lists its own.
func TestScenePresentMigration(t *testing.T, db *sql.DB, d store.Dialect) {
	ctx := context.Background()
	if _, err := store.MigrateTo(ctx, db, d, 6, nil); err != nil {
		t.Fatalf("migrating to 6: %v", err)
	}
	for _, q := range []string{
		`INSERT INTO users (id, email, name, password_hash, admin, created_us) VALUES (1, 'ic@example.com', 'IC', 'h', false, 1)`,
		`INSERT INTO productions (id, title, policy, time_zone, created_by, created_us) VALUES (1, 'P', 'sag_aftra', 'UTC', 1, 1)`,
		`INSERT INTO scripts (id, production_id, title, created_us) VALUES (1, 1, 'S', 1)`,
		`INSERT INTO revisions (id, script_id, seq, title, filename, format, colour, draft_date, sha256, size, uploaded_by, uploaded_us, scene_count, flagged_count)
			VALUES (1, 1, 1, 'S', 's.fountain', 'fountain', '', '', 'x', 1, 1, 1, 1, 0)`,
		`INSERT INTO scenes (id, revision_id, idx, number, heading, line, page, eighths, characters, text, text_hash, needs_ic)
			VALUES (1, 1, 1, '', 'INT. A - DAY', 1, 1, 1, '["NORA","THEO"]', 't', 'h', false)`,
	} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			t.Fatalf("schema 6: %v", err)
		}
	}
	if n, err := store.Migrate(ctx, db, d, nil); err != nil || n != store.SchemaVersion()-6 {
		t.Fatalf("Migrate from 6 = %d, %v", n, err)
	}
	var present string
	if err := db.QueryRowContext(ctx, `SELECT present FROM scenes WHERE id = 1`).Scan(&present); err != nil {
		t.Fatal(err)
	}
	if present != `["NORA","THEO"]` {
		t.Errorf("a scene stored before the migration has present %s, want its speakers", present)
	}
}

// TestLedgerBindingMigration stores ledger rows the way schema 12 did
// (bound to no event) and opens the store: one system event binds them,
// the ledger then verifies, and opening again binds nothing more.
func TestLedgerBindingMigration(t *testing.T, db *sql.DB, d store.Dialect) {
	ctx := context.Background()
	if _, err := store.MigrateTo(ctx, db, d, 12, nil); err != nil {
		t.Fatalf("migrating to 12: %v", err)
	}
	for _, q := range []string{
		`INSERT INTO users (id, email, name, password_hash, admin, created_us) VALUES (1, 'ic@example.com', 'IC', 'h', false, 1)`,
		`INSERT INTO productions (id, title, policy, time_zone, created_by, created_us) VALUES (1, 'P', 'sag_aftra', 'UTC', 1, 1)`,
		`INSERT INTO production_policies (id, production_id, content, by_id, at_us) VALUES (1, 1, '{}', 1, 2)`,
		`INSERT INTO performers (id, production_id, user_id, name, email, phone, date_of_birth, representative, created_by, created_us)
			VALUES (1, 1, 0, 'Nora', '', '', '1990-01-01', '', 1, 3)`,
		`INSERT INTO boundaries (id, performer_id, version, sealed, by_id, at_us) VALUES (1, 1, 1, 'c2VhbGVk', 1, 4)`,
		`INSERT INTO boundaries (id, performer_id, version, sealed, by_id, at_us) VALUES (2, 1, 2, 'c2VhbGVkMg', 1, 5)`,
	} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			t.Fatalf("schema 12: %v", err)
		}
	}
	open := func() ops.Store {
		s, err := store.Open(ctx, store.Config{Dialect: d, Read: db, Write: db})
		if err != nil {
			t.Fatalf("Open: %v", err)
		}
		return s
	}
	s := open()
	var events []audit.Event
	for e, err := range s.AuditEvents(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		events = append(events, e)
	}
	if len(events) != 1 || events[0].Action != "ledger.bind" || len(events[0].Rows) != 3 {
		t.Fatalf("after the upgrade the chain is %+v; want one ledger.bind naming 3 rows", events)
	}
	if _, err := audit.Verify(s.AuditEvents(ctx)); err != nil {
		t.Fatal(err)
	}
	if breaks, err := s.VerifyLedger(ctx); err != nil || len(breaks) != 0 {
		t.Fatalf("VerifyLedger = %v, %v", breaks, err)
	}
	if head, err := open().Head(ctx); err != nil || head != 1 {
		t.Fatalf("opening again: head %d, %v; want 1", head, err)
	}
}
