package main

import (
	"strings"
	"testing"
)

func TestDatabaseURLs(t *testing.T) {
	tests := []struct {
		in       string
		path     string
		postgres bool
		err      string
	}{
		{in: "sqlite:./closedset-data/closedset.db", path: "closedset-data/closedset.db"},
		{in: "sqlite:/var/lib/closedset/db.sqlite", path: "/var/lib/closedset/db.sqlite"},
		{in: "sqlite:///var/lib/closedset/db.sqlite", path: "/var/lib/closedset/db.sqlite"},
		{in: "postgres://cs@db.internal/closedset?sslmode=require", postgres: true},
		{in: "postgresql://cs:pw@localhost:5432/closedset", postgres: true},
		{in: "sqlite:", err: "names no file"},
		{in: "postgres:///closedset", err: "names no host"},
		{in: "mysql://root@localhost/cs", err: `"mysql://root@localhost/cs": want sqlite:PATH or postgres://`},
		{in: "./closedset.db", err: `"./closedset.db": want sqlite:PATH`},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			d, err := parseDB(tt.in)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("error %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if d.Path != tt.path || (d.URL != "") != tt.postgres {
				t.Errorf("got %+v", d)
			}
		})
	}
}

// TestBadDatabaseURLIsAUsageError: every command that opens the database
// names the URL it could not use, exits 2, and never prints a password.
func TestBadDatabaseURLIsAUsageError(t *testing.T) {
	for _, args := range [][]string{
		{"audit", "verify", "--db", "mysql://root:hunter2@localhost/cs"},
		{"token", "create", "--email", "a@b.c", "--db", "mysql://root:hunter2@localhost/cs"},
		{"backup", "--out", "x", "--db", "mysql://root:hunter2@localhost/cs"},
		{"restore", "--db", "mysql://root:hunter2@localhost/cs", "x"},
		{"serve", "--db", "mysql://root:hunter2@localhost/cs"},
		{"user", "create", "--email", "a@b.c", "--name", "A", "--db", "mysql://root:hunter2@localhost/cs"},
	} {
		t.Run(args[0], func(t *testing.T) {
			code, _, stderr := runCLI(t, "a long enough password\n", args...)
			if code != 2 || !strings.Contains(stderr, "mysql://root:xxxxx@localhost/cs") || strings.Contains(stderr, "hunter2") {
				t.Errorf("exit %d, stderr %q", code, stderr)
			}
		})
	}
}

func TestDatabaseFromEnvironment(t *testing.T) {
	t.Setenv(dbEnv, "sqlite:"+t.TempDir()+"/missing.db")
	code, _, stderr := runCLI(t, "", "audit", "verify")
	if code != 1 || !strings.Contains(stderr, "no database at") || !strings.Contains(stderr, "missing.db") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}
