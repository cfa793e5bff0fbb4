package store

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"regexp"
	"strconv"
	"time"
)

// migrationFiles are the schema's migrations, numbered from 0001. A file
// NNNN_name.sql is for every backend; NNNN_name.BACKEND.sql is that
// backend's own version of step NNNN, for what cannot be written once
// (triggers). Every backend has exactly one file for every number.
//
//go:embed migrations/*.sql
var migrationFiles embed.FS

var migrationName = regexp.MustCompile(`^(\d{4})_([a-z0-9_]+)(?:\.([a-z]+))?\.sql$`)

// migration is one step of the schema, as one backend runs it.
type migration struct {
	version int
	name    string // the file name
	sql     string // with the dialect's types filled in
}

// migrations returns d's steps in order, checking that the numbers run
// from 1 without a gap or a double.
func migrations(d Dialect) ([]migration, error) {
	entries, err := fs.ReadDir(migrationFiles, "migrations")
	if err != nil {
		return nil, fmt.Errorf("store: reading migrations: %w", err)
	}
	byVersion := map[int]migration{}
	for _, e := range entries {
		m := migrationName.FindStringSubmatch(e.Name())
		if m == nil {
			return nil, fmt.Errorf("store: migration file %s is not named NNNN_name[.backend].sql", e.Name())
		}
		if m[3] != "" && m[3] != d.Name {
			continue
		}
		v, _ := strconv.Atoi(m[1])
		if prev, dup := byVersion[v]; dup {
			return nil, fmt.Errorf("store: migrations %s and %s both have number %d for %s", prev.name, e.Name(), v, d.Name)
		}
		body, err := fs.ReadFile(migrationFiles, "migrations/"+e.Name())
		if err != nil {
			return nil, fmt.Errorf("store: reading migration %s: %w", e.Name(), err)
		}
		byVersion[v] = migration{version: v, name: e.Name(), sql: d.schemaReplacer().Replace(string(body))}
	}
	out := make([]migration, len(byVersion))
	for v, m := range byVersion {
		if v < 1 || v > len(out) {
			return nil, fmt.Errorf("store: migrations for %s are not numbered 1 to %d without a gap (found %s)", d.Name, len(out), m.name)
		}
		out[v-1] = m
	}
	return out, nil
}

// SchemaVersion is the number of the last migration: the schema a backup
// records and a restore requires.
func SchemaVersion() int {
	n := 0
	entries, _ := fs.ReadDir(migrationFiles, "migrations")
	for _, e := range entries {
		if m := migrationName.FindStringSubmatch(e.Name()); m != nil {
			v, _ := strconv.Atoi(m[1])
			n = max(n, v)
		}
	}
	return n
}

// Migrate brings db's schema up to date in one transaction: it applies the
// migrations not yet recorded in schema_migrations and records them. On an
// up-to-date database it changes nothing. It returns how many it applied.
func Migrate(ctx context.Context, db *sql.DB, d Dialect, now func() time.Time) (applied int, err error) {
	return MigrateTo(ctx, db, d, SchemaVersion(), now)
}

// MigrateTo is Migrate up to the schema version only: the tests of a
// migration write rows the way the schema before it held them.
func MigrateTo(ctx context.Context, db *sql.DB, d Dialect, version int, now func() time.Time) (applied int, err error) {
	steps, err := migrations(d)
	if err != nil {
		return 0, err
	}
	if version < len(steps) {
		steps = steps[:max(version, 0)]
	}
	if now == nil {
		now = time.Now
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("store: migrate: %w", err)
	}
	defer tx.Rollback()
	if d.MigrateLock != "" {
		if _, err := tx.ExecContext(ctx, d.MigrateLock); err != nil {
			return 0, fmt.Errorf("store: migrate: taking the migration lock: %w", err)
		}
	}
	if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    BIGINT PRIMARY KEY,
		name       TEXT NOT NULL,
		applied_us BIGINT NOT NULL
	)`); err != nil {
		return 0, fmt.Errorf("store: migrate: %w", err)
	}
	var current int
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&current); err != nil {
		return 0, fmt.Errorf("store: migrate: reading the schema version: %w", err)
	}
	if current > len(steps) {
		return 0, fmt.Errorf("store: the database has schema %d, newer than this program's %d: run a newer closedset", current, len(steps))
	}
	for _, m := range steps[current:] {
		if _, err := tx.ExecContext(ctx, m.sql); err != nil {
			return 0, fmt.Errorf("store: migration %s: %w", m.name, err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name, applied_us) VALUES ($1, $2, $3)`,
			m.version, m.name, now().UnixMicro()); err != nil {
			return 0, fmt.Errorf("store: recording migration %s: %w", m.name, err)
		}
		applied++
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("store: migrate: %w", err)
	}
	return applied, nil
}
