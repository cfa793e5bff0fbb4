package storetest

import (
	"context"
	"database/sql"
	"testing"

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
