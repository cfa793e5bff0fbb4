// Package sqlite opens closedset's embedded store: one SQLite file (pure
// Go, modernc.org/sqlite) in WAL mode, for one server.
//
// Its invariant, with package store's: a write that returned nil is on
// disk (synchronous=FULL), and writers never fail for the lock: this
// process's writers queue for its one write connection, and a write
// transaction takes the file's write lock when it begins (BEGIN IMMEDIATE),
// waiting for another process's writer rather than failing midway.
package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"closedset/ops"
	"closedset/store"
)

// Dialect is SQLite's part of the SQL: the head lock needs no clause, as
// every write transaction begins IMMEDIATE and so already holds the
// database's one write lock.
var Dialect = store.Dialect{
	Name:     "sqlite",
	ID:       "INTEGER PRIMARY KEY",
	Blob:     "BLOB",
	LockHead: `SELECT seq, hash FROM audit_head WHERE id = 1`,
	// A deferred read transaction in WAL mode reads one snapshot, taken
	// at its first read, without blocking writers.
	Snapshot: sql.TxOptions{ReadOnly: true},
	IsUnique: func(err error) bool {
		var e *sqlite.Error
		return errors.As(err, &e) && (e.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || e.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY)
	},
}

// busyTimeout is how long, in milliseconds, a connection waits for
// another process's lock before failing: long, as the wait is for another
// writer to commit.
const busyTimeout = 30000

// Open opens (creating it, and its folder, if need be) the SQLite store at
// path and migrates it. The folder is made 0700 and the file 0600: they
// hold password hashes and performer data.
func Open(ctx context.Context, path string, opts ...store.Option) (ops.Store, error) {
	if path == "" {
		return nil, fmt.Errorf("sqlite: no database path")
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(abs), 0o700); err != nil {
		return nil, fmt.Errorf("sqlite: making the data folder: %w", err)
	}
	// Create the file with its mode before SQLite does with the umask's;
	// SQLite gives its -wal and -shm files the database file's mode.
	f, err := os.OpenFile(abs, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	f.Close()

	write, err := openDB(dsn(abs, "_txlock=immediate"))
	if err != nil {
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	// One write connection: the process's writers wait in line in Go.
	write.SetMaxOpenConns(1)
	read, err := openDB(dsn(abs, "_pragma=query_only(1)"))
	if err != nil {
		write.Close()
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	n := max(4, 2*runtime.GOMAXPROCS(0))
	read.SetMaxOpenConns(n)
	read.SetMaxIdleConns(n)
	s, err := store.Open(ctx, store.Config{Dialect: Dialect, Read: read, Write: write, Options: store.Apply(opts...)})
	if err != nil {
		write.Close()
		read.Close()
		return nil, fmt.Errorf("sqlite: %s: %w", path, err)
	}
	return s, nil
}

// openDB is a pool of connections to dsn, each keeping the statements it
// has compiled (stmtcache.go).
func openDB(dsn string) (*sql.DB, error) {
	c, err := newConnector(dsn)
	if err != nil {
		return nil, err
	}
	return sql.OpenDB(c), nil
}

// dsn is the connection string of every connection to the file: WAL,
// foreign keys enforced, every commit synced (FULL), and a busy timeout
// for locks held by other processes.
func dsn(path string, extra ...string) string {
	q := []string{
		fmt.Sprintf("_pragma=busy_timeout(%d)", busyTimeout),
		"_pragma=journal_mode(WAL)",
		"_pragma=foreign_keys(1)",
		"_pragma=synchronous(FULL)",
	}
	q = append(q, extra...)
	return "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + strings.Join(q, "&")
}
