package sqlite_test

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"testing"

	"closedset/audit"
	"closedset/auth"
	"closedset/ops"
	"closedset/store"
	"closedset/store/sqlite"
	"closedset/store/storetest"
)

func open(t *testing.T, opts ...store.Option) ops.Store {
	t.Helper()
	s, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "data", "closedset.db"), opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestConformance(t *testing.T) {
	storetest.Run(t, open)
}

func TestTamperedChainIsNamed(t *testing.T) {
	storetest.RunTamper(t, func(t *testing.T) (ops.Store, storetest.Raw) {
		path := filepath.Join(t.TempDir(), "closedset.db")
		s, err := sqlite.Open(context.Background(), path)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		db := rawDB(t, path)
		return s, storetest.Raw{
			Exec: func(q string, args ...any) error {
				_, err := db.Exec(q, args...)
				return err
			},
			DropGuards:       `DROP TRIGGER audit_events_no_update; DROP TRIGGER audit_events_no_delete`,
			DropLedgerGuards: `DROP TRIGGER consents_no_update; DROP TRIGGER consents_no_delete; DROP TRIGGER withdrawals_no_update; DROP TRIGGER withdrawals_no_delete; DROP TRIGGER withdrawal_reasons_no_update; DROP TRIGGER withdrawal_reasons_no_delete; DROP TRIGGER rider_signatures_no_update; DROP TRIGGER rider_signatures_no_delete`,
		}
	})
}

// rawDB opens the file as an attacker with file access would: plain
// SQLite, no store.
func rawDB(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestMigrationsApplyOnceToAnEmptyDatabase(t *testing.T) {
	storetest.TestMigrations(t, rawDB(t, filepath.Join(t.TempDir(), "empty.db")), sqlite.Dialect)
}

func TestScenesStoredBeforePresenceKeepTheirSpeakers(t *testing.T) {
	storetest.TestScenePresentMigration(t, rawDB(t, filepath.Join(t.TempDir(), "old.db")), sqlite.Dialect)
}

func TestReopenKeepsData(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "closedset.db")
	s, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateUser(ctx, audit.System, auth.NewUser{Email: "a@example.com", Name: "A", PasswordHash: "h"}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s, err = sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if n, err := s.CountUsers(ctx); err != nil || n != 1 {
		t.Fatalf("after reopening, %d users, %v; want 1", n, err)
	}
}

func TestDataFolderAndFileArePrivate(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "closedset-data")
	path := filepath.Join(dir, "closedset.db")
	s, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, tc := range []struct {
		path string
		mode os.FileMode
	}{{dir, 0o700}, {path, 0o600}, {path + "-wal", 0o600}} {
		fi, err := os.Stat(tc.path)
		if err != nil {
			t.Fatal(err)
		}
		if got := fi.Mode().Perm(); got != tc.mode {
			t.Errorf("%s has mode %o, want %o", filepath.Base(tc.path), got, tc.mode)
		}
	}
}

func TestLedgerRowsWrittenBeforeTheBindingAreBound(t *testing.T) {
	storetest.TestLedgerBindingMigration(t, rawDB(t, filepath.Join(t.TempDir(), "old.db")), sqlite.Dialect)
}
