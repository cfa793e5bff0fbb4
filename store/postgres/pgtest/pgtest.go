// Package pgtest gives tests a fresh PostgreSQL database on the server
// `make test` starts (scripts/testpg, named by CLOSEDSET_TEST_POSTGRES).
// Without a server a test skips, or fails when CI=true: PostgreSQL tests
// must never be skipped in CI.
package pgtest

import (
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // the pgx driver for database/sql
)

// Server returns the URL of the test server's admin database.
func Server(t testing.TB) string {
	t.Helper()
	u := os.Getenv("CLOSEDSET_TEST_POSTGRES")
	if u == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("CLOSEDSET_TEST_POSTGRES is not set: PostgreSQL tests must run in CI (make test starts one)")
		}
		t.Skip("CLOSEDSET_TEST_POSTGRES is not set; run make test, or scripts/testpg run go test ./...")
	}
	return u
}

// Database creates an empty database on the test server, dropped (with
// its connections) when the test ends, and returns its URL.
func Database(t testing.TB) string {
	t.Helper()
	admin := Server(t)
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
