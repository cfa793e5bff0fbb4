package main

import (
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"closedset/seal"
)

// backupKeyEnv names the environment variable that carries the backup key
// (64 hex digits) instead of a key file.
const backupKeyEnv = "CLOSEDSET_BACKUP_KEY"

// backupKeyName is the backup key file beside a SQLite database.
const backupKeyName = "backup.key"

// backupKeyHint says where a backup key comes from, for messages.
const backupKeyHint = "give it with --backup-key-file FILE or $" + backupKeyEnv

func backupKeyFlag(fs *flag.FlagSet) *string {
	return fs.String("backup-key-file", "", "the backup key `FILE` (default: "+backupKeyName+" beside a SQLite database; with PostgreSQL required unless $"+backupKeyEnv+" is set)")
}

// backupKey finds the key that authenticates backups (HMAC-SHA-256), kept
// apart from the database like the seal key: $CLOSEDSET_BACKUP_KEY (hex),
// else the --backup-key-file file, which must exist, else for a SQLite
// database backup.key beside it, created (0600) at the first backup when
// create is set. With PostgreSQL the key is never made up on the spot.
// For a restore (create unset) a missing default key file is no error: it
// returns the zero key, and Restore names the key the backup needs. The
// key is never printed; its id (seal.Key.ID) is.
func backupKey(d database, file string, create bool) (seal.Key, error) {
	if v := os.Getenv(backupKeyEnv); v != "" {
		k, err := seal.KeyFromHex(strings.TrimSpace(v))
		if err != nil {
			return seal.Key{}, usageError("$%s must be 64 hex digits (openssl rand -hex 32 makes one): %v", backupKeyEnv, err)
		}
		return k, nil
	}
	if file != "" {
		k, err := seal.LoadKey(file)
		if err != nil {
			return seal.Key{}, usageError("--backup-key-file %s: %v", file, err)
		}
		return k, nil
	}
	if d.Path == "" {
		if create {
			return seal.Key{}, usageError("with PostgreSQL, set $%s (openssl rand -hex 32) or --backup-key-file; keep it apart from the database and its backups", backupKeyEnv)
		}
		return seal.Key{}, nil
	}
	path := filepath.Join(d.Dir(), backupKeyName)
	if path == seal.KeyFile(d.Path) {
		return seal.Key{}, usageError("the database %s would share its key file %s with the seal key: rename the database, or %s", d.Path, path, backupKeyHint)
	}
	if !create {
		k, err := seal.LoadKey(path)
		if errors.Is(err, fs.ErrNotExist) {
			return seal.Key{}, nil
		}
		if err != nil {
			return seal.Key{}, fmt.Errorf("the backup key: %w", err)
		}
		return k, nil
	}
	k, err := seal.LoadOrCreateKey(path)
	if err != nil {
		return seal.Key{}, fmt.Errorf("the backup key: %w", err)
	}
	return k, nil
}
