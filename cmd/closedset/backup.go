package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"iter"
	"os"
	"path/filepath"
	"syscall"

	"closedset/audit"
	"closedset/ops"
	"closedset/seal"
	"closedset/store"
)

func runBackup(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlags("backup", stderr)
	out := fs.String("out", "", "the backup `FILE` to write (replaced whole, never left half-written)")
	keyFile := backupKeyFlag(fs)
	db := dbFlag(fs)
	fs.Usage = func() {
		fmt.Fprintln(stderr, `Usage: closedset backup --out FILE [--db URL] [--backup-key-file FILE]

Writes a consistent copy of the whole database to FILE while the server
keeps serving. The file is readable by its owner only; it holds every
record, performer-private data still encrypted. It is authenticated with
the backup key (HMAC-SHA-256): $CLOSEDSET_BACKUP_KEY, --backup-key-file,
or backup.key beside a SQLite database, made at the first backup. Keep the
key apart from the backups: closedset restore needs it, and refuses a
backup changed by anyone without it.`)
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 0 {
		return usageError("unexpected argument %q", fs.Arg(0))
	}
	if *out == "" {
		return usageError("--out FILE is required")
	}
	ctx := context.Background()
	st, d, err := openFlagged(ctx, db, mustExist)
	if err != nil {
		return err
	}
	defer st.Close()
	key, err := backupKey(d, *keyFile, true)
	if err != nil {
		return err
	}
	n, err := writeBackup(ctx, st, *out, key)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "backup of %s written to %s (%d bytes, backup key %s)\n", d, *out, n, key.ID())
	return nil
}

// writeBackup writes the store's backup to a new temporary file beside
// path, makes it durable, and only then renames it over path: a crash
// leaves the old backup or the new one, never a torn file under the real
// name. The temporary file has a random name and is created exclusively,
// never through a symlink (O_EXCL|O_NOFOLLOW): a link planted beside the
// backup cannot make it write elsewhere.
func writeBackup(ctx context.Context, st ops.Store, path string, key seal.Key) (int64, error) {
	f, tmp, err := createTemp(path)
	if err != nil {
		return 0, err
	}
	cw := &countingWriter{w: f}
	err = st.Backup(ctx, cw, key)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return 0, fmt.Errorf("write the backup %s: %w", path, err)
	}
	// The rename is durable once the folder is synced.
	if dir, err := os.Open(filepath.Dir(path)); err == nil {
		dir.Sync()
		dir.Close()
	}
	return cw.n, nil
}

// createTemp creates path.RANDOM.tmp, 0600, exclusively and without
// following a symlink.
func createTemp(path string) (*os.File, string, error) {
	for range 10 {
		var r [8]byte
		if _, err := rand.Read(r[:]); err != nil {
			return nil, "", fmt.Errorf("make a temporary name: %w", err)
		}
		tmp := path + "." + hex.EncodeToString(r[:]) + ".tmp"
		f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL|syscall.O_NOFOLLOW, 0o600)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return nil, "", fmt.Errorf("create %s: %w", tmp, unwrapPathError(err))
		}
		return f, tmp, nil
	}
	return nil, "", fmt.Errorf("create a temporary file beside %s: every name tried exists", path)
}

type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

func runRestore(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlags("restore", stderr)
	keyFile := backupKeyFlag(fs)
	db := dbFlag(fs)
	fs.Usage = func() {
		fmt.Fprintln(stderr, `Usage: closedset restore [--db URL] [--backup-key-file FILE] FILE

Loads a backup made by closedset backup into an empty database (a new
SQLite file, or an empty PostgreSQL database). It needs the backup key the
backup was made with ($CLOSEDSET_BACKUP_KEY, --backup-key-file, or
backup.key beside the SQLite database restored into), and names that key's
id when it is not given. It refuses a database that already has users,
and writes nothing when the backup's MAC, its audit chain or the chain's
anchor does not verify.`)
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usageError("want one backup FILE, got %d", fs.NArg())
	}
	path := fs.Arg(0)
	d, err := db()
	if err != nil {
		return err
	}
	f, err := os.Open(path)
	if err != nil {
		return &exitError{code: 2, err: fmt.Errorf("%s: %w", path, unwrapPathError(err))}
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && fi.IsDir() {
		return &exitError{code: 2, err: fmt.Errorf("%s: is a folder, not a backup file", path)}
	}
	key, err := backupKey(d, *keyFile, false)
	if err != nil {
		return err
	}
	ctx := context.Background()
	st, err := openStore(ctx, d, mayCreate)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := st.Restore(ctx, f, key); err != nil {
		if errors.Is(err, store.ErrBackupKey) {
			return fmt.Errorf("restore %s into %s: %w; %s", path, d, err, backupKeyHint)
		}
		return fmt.Errorf("restore %s into %s: %w", path, d, err)
	}
	users, err := st.CountUsers(ctx)
	if err != nil {
		return fmt.Errorf("count the restored users: %w", err)
	}
	head, actions, err := verifyCounting(st.AuditEvents(ctx))
	var be *audit.BrokenError
	if errors.As(err, &be) {
		return fmt.Errorf("restored, but the audit chain does not verify at event %d: %s", be.Seq, be.Msg)
	}
	if err != nil {
		return fmt.Errorf("verify the restored audit chain: %w", err)
	}
	fmt.Fprintf(stdout, "restored %s into %s: %d users, %d productions, %d script revisions, %d flag reviews; audit chain intact with %d events, last hash %s\n",
		path, d, users, actions["production.create"], actions["script.upload"], actions["flag.review"], head.Count, short(head.Hash))
	return nil
}

// verifyCounting is audit.Verify that also counts the events of each
// action: what a restore reports it brought back.
func verifyCounting(events iter.Seq2[audit.Event, error]) (audit.Anchor, map[string]int, error) {
	var v audit.Verifier
	actions := map[string]int{}
	for e, err := range events {
		if err != nil {
			return v.Head(), actions, err
		}
		if err := v.Add(e); err != nil {
			break
		}
		actions[e.Action]++
	}
	head, err := v.Finish()
	return head, actions, err
}
