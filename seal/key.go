package seal

import (
	"closedset"
	"closedset/internal/secretfile"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// KeyFromHex reads a key written as 64 hex digits, as CLOSEDSET_KEY holds
// it. Its errors never repeat the value.
func KeyFromHex(s string) (Key, error) {
	k, err := parseHex(s)
	if err != nil {
		return Key{}, fmt.Errorf("seal: %w", err)
	}
	return k, nil
}

func parseHex(s string) (Key, error) {
	s = strings.TrimSpace(s)
	if len(s) != 2*len(Key{}) {
		return Key{}, closedset.Errorf(closedset.Invalid, "the key must be %d hex digits (32 bytes), got %d characters", 2*len(Key{}), len(s))
	}
	b, err := hex.DecodeString(s)
	if err != nil {
		return Key{}, closedset.Errorf(closedset.Invalid, "the key must be hex digits only (0-9, a-f)")
	}
	k := Key(b)
	if k == (Key{}) {
		return Key{}, closedset.Errorf(closedset.Invalid, "the key is all zeros: generate a random one (openssl rand -hex 32)")
	}
	return k, nil
}

// NewKey returns a random key.
func NewKey() (Key, error) {
	var k Key
	if _, err := rand.Read(k[:]); err != nil {
		return Key{}, fmt.Errorf("seal: reading a random key: %w", err)
	}
	return k, nil
}

// KeyFile is where the key of the SQLite database at dbPath lives when
// CLOSEDSET_KEY is not set: beside the database file, never inside it
// (closedset-data/closedset.db has closedset-data/closedset.key). A backup
// of the database holds only sealed bytes; the key is backed up apart.
func KeyFile(dbPath string) string {
	base := filepath.Base(dbPath)
	if ext := filepath.Ext(base); ext != "" && ext != base {
		base = strings.TrimSuffix(base, ext)
	}
	return filepath.Join(filepath.Dir(dbPath), base+".key")
}

// LoadOrCreateKey reads the key file at path, or creates it with a random
// key and permissions 0600 when there is none. Its folder must exist. It
// refuses a key file that its group or others may read or write: such a
// key may already be known to someone else.
func LoadOrCreateKey(path string) (Key, error) {
	if fi, err := os.Stat(filepath.Dir(path)); err != nil || !fi.IsDir() {
		return Key{}, fmt.Errorf("seal: the key file's folder %s does not exist", filepath.Dir(path))
	}
	k, err := readKey(path)
	if !errors.Is(err, fs.ErrNotExist) {
		return k, err
	}
	if k, err = NewKey(); err != nil {
		return Key{}, err
	}
	err = secretfile.Create(path, []byte(hex.EncodeToString(k[:])+"\n"))
	if errors.Is(err, fs.ErrExist) {
		return readKey(path) // another process made it first
	}
	if err != nil {
		return Key{}, fmt.Errorf("seal: the key file: %w", err)
	}
	return k, nil
}

// LoadKey reads the existing key file at path, with LoadOrCreateKey's
// checks; it never creates one. Its error wraps fs.ErrNotExist when there
// is no file.
func LoadKey(path string) (Key, error) {
	k, err := readKey(path)
	if errors.Is(err, fs.ErrNotExist) {
		return Key{}, fmt.Errorf("seal: no key file at %s: %w", path, err)
	}
	return k, err
}

// readKey reads an existing key file, refusing one others may read.
func readKey(path string) (Key, error) {
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return Key{}, err
		}
		return Key{}, fmt.Errorf("seal: opening the key file: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return Key{}, fmt.Errorf("seal: the key file %s: %w", path, err)
	}
	if !fi.Mode().IsRegular() {
		return Key{}, fmt.Errorf("seal: the key file %s is not a regular file", path)
	}
	if perm := fi.Mode().Perm(); perm&0o077 != 0 {
		return Key{}, fmt.Errorf("seal: the key file %s is readable or writable by its group or others (mode %04o): run chmod 600 on it, and replace the key if anyone else may have read it", path, perm)
	}
	b := make([]byte, 200)
	n, err := f.Read(b)
	if err != nil {
		return Key{}, fmt.Errorf("seal: reading the key file %s: %w", path, err)
	}
	k, err := parseHex(string(b[:n]))
	if err != nil {
		return Key{}, fmt.Errorf("seal: the key file %s: %w", path, err)
	}
	return k, nil
}
