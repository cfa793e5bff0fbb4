package sqlite_test

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"closedset/store/sqlite"
	"closedset/store/storetest"
)

// TestPrivateDataIsNotInTheDatabaseFiles stores sealed boundaries and a
// sealed withdrawal reason holding a canary and looks for it in the
// database file and its write-ahead log, while the store is open and
// after it closed.
func TestPrivateDataIsNotInTheDatabaseFiles(t *testing.T) {
	const canary = "CANARY-7f3a-lower-back-scar"
	path := filepath.Join(t.TempDir(), "closedset.db")
	s, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	storetest.WriteSealedCanary(t, s, canary)
	look := func(when string) {
		t.Helper()
		seen := 0
		for _, f := range []string{path, path + "-wal", path + "-shm", path + "-journal"} {
			b, err := os.ReadFile(f)
			if errors.Is(err, fs.ErrNotExist) {
				continue
			}
			if err != nil {
				t.Fatal(err)
			}
			seen++
			if bytes.Contains(b, []byte(canary)) || bytes.Contains(b, []byte("lower-back-scar")) {
				t.Errorf("%s: %s holds the private canary in plaintext", when, filepath.Base(f))
			}
		}
		if seen == 0 {
			t.Fatalf("%s: no database file to look in", when)
		}
	}
	look("while open")
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	look("after closing")
}
