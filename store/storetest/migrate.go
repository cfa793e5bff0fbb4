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
