package postgres_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"

	"closedset/store"
	"closedset/store/postgres"
	"closedset/store/sqlite"
	"closedset/store/storetest"
)

// server returns the URL of the PostgreSQL the tests may use (make test
// starts one: scripts/testpg). Without one the test skips, or fails in CI.
func server(t testing.TB) string {
	t.Helper()
	u := os.Getenv("CLOSEDSET_TEST_POSTGRES")
	if u == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("CLOSEDSET_TEST_POSTGRES is not set: PostgreSQL tests must run in CI (make test starts one)")
		}
		t.Skip("CLOSEDSET_TEST_POSTGRES is not set; run make test, or scripts/testpg run go test ./store/postgres/")
	}
	return u
}

// freshDatabase creates an empty database on the test server, dropped at
// the end of the test, and returns its URL.
func freshDatabase(t testing.TB) string {
	t.Helper()
	admin := server(t)
	db, err := sql.Open("pgx", admin)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	b := make([]byte, 6)
	rand.Read(b)
	name := "closedset_test_" + hex.EncodeToString(b)
	if _, err := db.Exec(`CREATE DATABASE ` + name); err != nil {
		t.Fatalf("creating a test database: %v", err)
	}
	t.Cleanup(func() {
		db, err := sql.Open("pgx", admin)
		if err != nil {
			t.Error(err)
			return
		}
		defer db.Close()
		if _, err := db.Exec(`DROP DATABASE ` + name + ` WITH (FORCE)`); err != nil {
			t.Errorf("dropping the test database: %v", err)
		}
	})
	u, err := url.Parse(admin)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	return u.String()
}

func open(t *testing.T, opts ...store.Option) store.Store {
	t.Helper()
	s, err := postgres.Open(context.Background(), freshDatabase(t), opts...)
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
	storetest.RunTamper(t, func(t *testing.T) (store.Store, storetest.Raw) {
		u := freshDatabase(t)
		s, err := postgres.Open(context.Background(), u)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		db := rawDB(t, u)
		return s, storetest.Raw{
			Exec: func(q string, args ...any) error {
				_, err := db.Exec(q, args...)
				return err
			},
			DropGuards: `DROP TRIGGER audit_events_no_update ON audit_events; DROP TRIGGER audit_events_no_truncate ON audit_events`,
		}
	})
}

// rawDB connects as the database's owner would, without the store.
func rawDB(t *testing.T, u string) *sql.DB {
	t.Helper()
	db, err := sql.Open("pgx", u)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestMigrationsApplyOnceToAnEmptyDatabase(t *testing.T) {
	storetest.TestMigrations(t, rawDB(t, freshDatabase(t)), postgres.Dialect)
}

// TestServersShareOneChain opens the database twice, as two servers
// would, and writes through both at once: the chain stays one chain.
func TestServersShareOneChain(t *testing.T) {
	u := freshDatabase(t)
	var stores []store.Store
	for range 2 {
		s, err := postgres.Open(context.Background(), u)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		stores = append(stores, s)
	}
	storetest.SharedWriters(t, stores)
}

func TestAPasswordStaysOutOfErrors(t *testing.T) {
	_, err := postgres.Open(context.Background(), "postgres://user:hunter2@127.0.0.1:1/db?connect_timeout=1")
	if err == nil {
		t.Fatal("connected to nothing")
	}
	if got := err.Error(); strings.Contains(got, "hunter2") {
		t.Fatalf("the error shows the password: %s", got)
	}
}

func TestSQLiteBackupRestoresIntoPostgreSQL(t *testing.T) {
	server(t)
	storetest.CrossRestore(t, func(t *testing.T, opts ...store.Option) store.Store {
		s, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "closedset.db"), opts...)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}, open)
}
