package secretfile

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

func TestCreateOnceAndPrivate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "k")
	if err := Create(path, []byte("one\n")); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("key file %v %v: want mode 0600", fi, err)
	}
	// A second writer finds it there and leaves it as it is.
	if err := Create(path, []byte("two\n")); !errors.Is(err, fs.ErrExist) {
		t.Fatalf("second Create: %v, want fs.ErrExist", err)
	}
	if data, _ := os.ReadFile(path); string(data) != "one\n" {
		t.Fatalf("the file holds %q, want the first key", data)
	}
	// No folder: an error, and nothing written.
	if err := Create(filepath.Join(t.TempDir(), "no", "k"), []byte("x")); err == nil || errors.Is(err, fs.ErrExist) {
		t.Fatalf("Create in a missing folder: %v", err)
	}
}
