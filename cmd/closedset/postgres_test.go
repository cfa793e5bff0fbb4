package main

import (
	"closedset/store/postgres/pgtest"
	"context"
	"path/filepath"
	"strings"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"
)

// TestSQLiteBackupRestoresIntoPostgres: an installation outgrowing its
// SQLite file moves to PostgreSQL with backup and restore, and the
// commands work the same on the new database.
func TestSQLiteBackupRestoresIntoPostgres(t *testing.T) {
	pg := pgtest.Database(t)
	path := newDB(t)
	st := openPath(t, path)
	ic := addUser(t, st, "ic@example.org", "Ivy Coordinator", false)
	if _, err := loadDemo(context.Background(), demoOps(t, st), ic); err != nil {
		t.Fatal(err)
	}
	want := snapshot(t, st, []string{"ic@example.org"})
	out := filepath.Join(t.TempDir(), "b")
	if code, _, stderr := runCLI(t, "", "backup", "--out", out, "--db", "sqlite:"+path); code != 0 {
		t.Fatal(stderr)
	}
	if code, stdout, stderr := runCLI(t, "", "restore", "--db", pg, "--backup-key-file", backupKeyOf(path), out); code != 0 || !strings.Contains(stdout, "1 users, 1 productions, 2 script revisions") {
		t.Fatalf("restore into PostgreSQL: exit %d: %s%s", code, stdout, stderr)
	}
	// With PostgreSQL the backup key is never made up on the spot.
	t.Setenv(backupKeyEnv, "")
	if code, _, stderr := runCLI(t, "", "backup", "--out", out+".pg", "--db", pg); code != 2 || !strings.Contains(stderr, "with PostgreSQL, set $"+backupKeyEnv) {
		t.Errorf("backup of PostgreSQL without a key: exit %d: %s", code, stderr)
	}
	if code, _, stderr := runCLI(t, "", "backup", "--out", out+".pg", "--db", pg, "--backup-key-file", backupKeyOf(path)); code != 0 {
		t.Errorf("backup of PostgreSQL with a key file: exit %d: %s", code, stderr)
	}
	code, tok, stderr := runCLI(t, "", "token", "create", "--email", "ic@example.org", "--db", pg)
	if code != 0 || !strings.HasPrefix(tok, "cs_") {
		t.Fatalf("token create on PostgreSQL: exit %d: %s", code, stderr)
	}
	code, stdout, stderr := runCLI(t, "", "audit", "verify", "--db", pg)
	if code != 0 || !strings.HasPrefix(stdout, "audit chain intact: ") {
		t.Fatalf("audit verify on PostgreSQL: exit %d: %s%s", code, stdout, stderr)
	}
	db, err := parseDB(pg)
	if err != nil {
		t.Fatal(err)
	}
	ps, err := openStore(context.Background(), db, mustExist)
	if err != nil {
		t.Fatal(err)
	}
	defer ps.Close()
	// The token's event follows the restored chain; all else is as backed up.
	got := snapshot(t, ps, []string{"ic@example.org"})
	cut := func(s string) string { return s[:strings.LastIndex(s, "audit ")] }
	if cut(got) != cut(want) {
		t.Errorf("PostgreSQL holds:\n%s\nSQLite held:\n%s", got, want)
	}
}
