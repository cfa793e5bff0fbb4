package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"closedset/ops"
	"closedset/store"
	"closedset/store/sqlite"
)

// defaultDB is where an installation keeps its data when nothing says
// otherwise: a folder beside where closedset runs.
const defaultDB = "sqlite:./closedset-data/closedset.db"

// dbEnv names the environment variable that selects the database when
// --db is not given.
const dbEnv = "CLOSEDSET_DB"

// database is a parsed database URL: exactly one of Path and URL is set.
type database struct {
	Path string // SQLite file
	URL  string // PostgreSQL connection URL
}

// String names the database for messages, without a PostgreSQL password.
func (d database) String() string {
	if d.Path != "" {
		return "sqlite:" + d.Path
	}
	if u, err := url.Parse(d.URL); err == nil {
		return u.Redacted()
	}
	return "postgres://..."
}

// Dir is the folder of a SQLite database: the data folder, where the
// server's key file lives beside it. "" for PostgreSQL.
func (d database) Dir() string {
	if d.Path == "" {
		return ""
	}
	return filepath.Dir(d.Path)
}

// parseDB reads a database URL: sqlite:PATH (sqlite:///abs/path also
// works), postgres://... or postgresql://... . A mistake is a usage error
// naming the URL, with any password left out.
func parseDB(s string) (database, error) {
	s = strings.TrimSpace(s)
	switch {
	case strings.HasPrefix(s, "sqlite:"):
		p := strings.TrimPrefix(s, "sqlite:")
		p = strings.TrimPrefix(p, "//")
		if p == "" {
			return database{}, usageError("database URL %q names no file (want sqlite:PATH)", s)
		}
		if strings.ContainsRune(p, 0) {
			return database{}, usageError("database URL %q: the path contains a NUL byte", s)
		}
		return database{Path: filepath.Clean(p)}, nil
	case strings.HasPrefix(s, "postgres://"), strings.HasPrefix(s, "postgresql://"):
		u, err := url.Parse(s)
		if err != nil {
			return database{}, usageError("database URL is not a valid postgres:// URL (%s)", redactErr(err))
		}
		if u.Host == "" {
			return database{}, usageError("database URL %q names no host", u.Redacted())
		}
		return database{URL: s}, nil
	}
	shown := s
	if u, err := url.Parse(s); err == nil && u.User != nil {
		shown = u.Redacted()
	}
	return database{}, usageError("database URL %q: want sqlite:PATH or postgres://USER@HOST/DB (default %s)", shown, defaultDB)
}

// redactErr keeps a URL parse error's reason without the URL, which may
// carry a password.
func redactErr(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err.Error()
	}
	return "malformed"
}

// dbFlag registers --db on a command's flags; the returned func resolves
// the choice: the flag, else CLOSEDSET_DB, else the default.
func dbFlag(fs *flag.FlagSet) func() (database, error) {
	v := fs.String("db", "", "database `URL`: sqlite:PATH or postgres://... (default $"+dbEnv+", else "+defaultDB+")")
	return func() (database, error) {
		s := *v
		if s == "" {
			s = os.Getenv(dbEnv)
		}
		if s == "" {
			s = defaultDB
		}
		return parseDB(s)
	}
}

// openMode says whether opening may create a new SQLite database.
type openMode int

const (
	// mayCreate makes the data folder and a new database if there is none:
	// serve, user create and restore start installations.
	mayCreate openMode = iota
	// mustExist refuses a SQLite file that is not there, so that a mistyped
	// path is an error rather than a new empty database.
	mustExist
)

// openFlagged opens the store a command's --db flag (or $CLOSEDSET_DB)
// names, returning which one it is for messages.
func openFlagged(ctx context.Context, db func() (database, error), mode openMode) (ops.Store, database, error) {
	d, err := db()
	if err != nil {
		return nil, database{}, err
	}
	st, err := openStore(ctx, d, mode)
	return st, d, err
}

// openStore opens the database, applying its migrations.
func openStore(ctx context.Context, db database, mode openMode, opts ...store.Option) (ops.Store, error) {
	if db.Path == "" {
		s, err := openPostgres(ctx, db.URL, opts...)
		if err != nil {
			return nil, fmt.Errorf("open %s: %w", db, err)
		}
		return s, nil
	}
	if mode == mustExist {
		if _, err := os.Stat(db.Path); err != nil {
			return nil, fmt.Errorf("no database at %s (%v); --db or %s selects another", db.Path, unwrapPathError(err), dbEnv)
		}
	} else if err := os.MkdirAll(db.Dir(), 0o700); err != nil {
		return nil, fmt.Errorf("create the data folder: %w", err)
	}
	s, err := sqlite.Open(ctx, db.Path, opts...)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", db, err)
	}
	return s, nil
}
