package store

import (
	"database/sql"
	"strings"
)

// Dialect is what one SQL backend does differently from the others. The
// queries are written once, for both: placeholders are $1, $2, ... (which
// SQLite reads as numbered parameters too), new ids come back with
// RETURNING, conflicts are skipped with ON CONFLICT DO NOTHING. What is
// left differs only in the schema's types, in how a write transaction takes
// the lock that orders the audit chain, and in snapshot reads.
type Dialect struct {
	// Name picks the backend's own migration files (NNNN_name.Name.sql)
	// and names the backend in errors: "sqlite", "postgres".
	Name string
	// ID is the type of an id column that the database numbers on insert
	// but that a restore may also set.
	ID string
	// Blob is the type of a column of bytes.
	Blob string

	// LockHead reads the audit chain's head (seq, hash) as the first
	// statement of every write transaction, taking whatever lock makes
	// write transactions run one after another, across every process
	// sharing the database.
	LockHead string
	// MigrateLock, when set, is run first in the migration transaction so
	// that two processes starting at once do not both migrate.
	MigrateLock string
	// Snapshot are the options of a read transaction that sees one
	// consistent state of the whole database (Backup, multi-query reads).
	Snapshot sql.TxOptions
	// ResetID, when set, is a statement with one %[1]s (a table name) run
	// after a restore, so that new rows are numbered after the restored
	// ids.
	ResetID string
	// Notify, when set, is run in every write transaction that appended
	// events, with one parameter (the new head's seq, in decimal), to tell
	// the other servers sharing the database of the commit: PostgreSQL's
	// NOTIFY, which is delivered only if the transaction commits.
	Notify string
	// IsUnique reports whether err is a unique constraint violation.
	IsUnique func(error) bool
}

// schemaReplacer fills the type placeholders of a migration file.
func (d Dialect) schemaReplacer() *strings.Replacer {
	return strings.NewReplacer("{{id}}", d.ID, "{{blob}}", d.Blob)
}
