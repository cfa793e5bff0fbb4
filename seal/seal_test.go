package seal_test

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"closedset/seal"
)

func testKey(t testing.TB) seal.Key {
	t.Helper()
	k, err := seal.NewKey()
	if err != nil {
		t.Fatal(err)
	}
	return k
}

var aad = []byte("boundaries:performer:42")

func TestSealedBytesOpenWithTheSameKeyAndRow(t *testing.T) {
	k := testKey(t)
	for _, plain := range [][]byte{nil, []byte("no touch: lower back"), bytes.Repeat([]byte("x"), 70000)} {
		sealed, err := seal.Seal(k, plain, aad)
		if err != nil {
			t.Fatal(err)
		}
		if len(sealed) != len(plain)+seal.Overhead {
			t.Errorf("sealed %d bytes into %d, want %d", len(plain), len(sealed), len(plain)+seal.Overhead)
		}
		if len(plain) > 0 && bytes.Contains(sealed, plain) {
			t.Fatal("the sealed bytes contain the plaintext")
		}
		got, err := seal.Open(k, sealed, aad)
		if err != nil || !bytes.Equal(got, plain) {
			t.Fatalf("Open = %q, %v; want the plaintext", got, err)
		}
	}
}

func TestSealingTwiceGivesDifferentBytes(t *testing.T) {
	k := testKey(t)
	a, _ := seal.Seal(k, []byte("same"), aad)
	b, _ := seal.Seal(k, []byte("same"), aad)
	if bytes.Equal(a, b) {
		t.Fatal("two seals of the same plaintext are equal: the nonce is not random")
	}
}

func TestAnyChangedByteIsRefused(t *testing.T) {
	k := testKey(t)
	sealed, err := seal.Seal(k, []byte("no touch: lower back"), aad)
	if err != nil {
		t.Fatal(err)
	}
	for i := range sealed {
		for _, bit := range []byte{0x01, 0x80} {
			bad := bytes.Clone(sealed)
			bad[i] ^= bit
			if _, err := seal.Open(k, bad, aad); err == nil {
				t.Fatalf("byte %d changed (^%#x): Open accepted it", i, bit)
			}
		}
	}
	for n := range len(sealed) {
		if _, err := seal.Open(k, sealed[:n], aad); !errors.Is(err, seal.ErrBroken) {
			t.Fatalf("cut to %d bytes: Open = %v, want ErrBroken", n, err)
		}
	}
	if _, err := seal.Open(k, append(bytes.Clone(sealed), 0), aad); err == nil {
		t.Fatal("a byte appended: Open accepted it")
	}
}

func TestSealedBytesOfAnotherRowAreRefused(t *testing.T) {
	k := testKey(t)
	sealed, _ := seal.Seal(k, []byte("notes"), []byte("boundaries:performer:42"))
	for _, other := range []string{"boundaries:performer:43", "boundaries:performer:4", "", "withdrawal:performer:42"} {
		if _, err := seal.Open(k, sealed, []byte(other)); !errors.Is(err, seal.ErrBroken) {
			t.Errorf("opened as %q: %v, want ErrBroken", other, err)
		}
	}
}

func TestAnotherKeyIsNamed(t *testing.T) {
	k1, k2 := testKey(t), testKey(t)
	sealed, _ := seal.Seal(k1, []byte("notes"), aad)
	_, err := seal.Open(k2, sealed, aad)
	if !errors.Is(err, seal.ErrAnotherKey) {
		t.Fatalf("Open with another key = %v, want ErrAnotherKey", err)
	}
	if !strings.Contains(err.Error(), "sealed with another key") || !strings.Contains(err.Error(), k2.ID()) {
		t.Fatalf("error %q does not say another key sealed it", err)
	}
}

func TestKeysNeverPrint(t *testing.T) {
	k := testKey(t)
	hexKey := fmt.Sprintf("%x", k[:])
	var logged bytes.Buffer
	slog.New(slog.NewTextHandler(&logged, nil)).Info("key", "key", k)
	for _, s := range []string{k.String(), fmt.Sprint(k), fmt.Sprintf("%v %+v %#v %s", k, k, k, k), logged.String()} {
		if strings.Contains(s, hexKey) || strings.Contains(s, fmt.Sprint(k[:])) {
			t.Fatalf("the key shows in %q", s)
		}
		if !strings.Contains(s, "redacted") {
			t.Fatalf("%q does not say redacted", s)
		}
	}
}

func TestKeyFromHex(t *testing.T) {
	good := strings.Repeat("0f", 32)
	for _, tc := range []struct {
		name, in, err string
	}{
		{"good", good, ""},
		{"good with newline", good + "\n", ""},
		{"upper case", strings.ToUpper(good), ""},
		{"empty", "", "64 hex digits"},
		{"short", good[:62], "64 hex digits"},
		{"long", good + "00", "64 hex digits"},
		{"not hex", strings.Repeat("zz", 32), "hex digits only"},
		{"zeros", strings.Repeat("00", 32), "all zeros"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			k, err := seal.KeyFromHex(tc.in)
			if tc.err == "" {
				if err != nil || fmt.Sprintf("%x", k[:]) != good {
					t.Fatalf("KeyFromHex = %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Fatalf("KeyFromHex = %v, want an error saying %q", err, tc.err)
			}
			if len(tc.in) > 8 && strings.Contains(err.Error(), tc.in) {
				t.Fatalf("the error %q repeats the value", err)
			}
		})
	}
}

func TestKeyFileIsBesideTheDatabase(t *testing.T) {
	for db, want := range map[string]string{
		"closedset-data/closedset.db": "closedset-data/closedset.key",
		"/srv/cs/prod.sqlite":         "/srv/cs/prod.key",
		"data/closedset":              "data/closedset.key",
	} {
		if got := seal.KeyFile(db); got != filepath.FromSlash(want) {
			t.Errorf("KeyFile(%s) = %s, want %s", db, got, want)
		}
	}
}

func TestKeyFileIsCreatedPrivateAndReadBack(t *testing.T) {
	path := filepath.Join(t.TempDir(), "closedset.key")
	k, err := seal.LoadOrCreateKey(path)
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Fatalf("the key file has mode %o, want 600", fi.Mode().Perm())
	}
	again, err := seal.LoadOrCreateKey(path)
	if err != nil || again != k {
		t.Fatalf("LoadOrCreateKey again = %v; want the same key", err)
	}
}

func TestKeyFileReadableByOthersIsRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "closedset.key")
	if _, err := seal.LoadOrCreateKey(path); err != nil {
		t.Fatal(err)
	}
	for _, mode := range []os.FileMode{0o640, 0o604, 0o620, 0o666} {
		if err := os.Chmod(path, mode); err != nil {
			t.Fatal(err)
		}
		_, err := seal.LoadOrCreateKey(path)
		if err == nil || !strings.Contains(err.Error(), "readable or writable by its group or others") {
			t.Fatalf("mode %o: LoadOrCreateKey = %v, want a refusal naming the permissions", mode, err)
		}
	}
}

func TestKeyFileNeedsItsFolder(t *testing.T) {
	path := filepath.Join(t.TempDir(), "missing", "closedset.key")
	if _, err := seal.LoadOrCreateKey(path); err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Fatalf("LoadOrCreateKey = %v, want an error naming the missing folder", err)
	}
}

func TestDamagedKeyFileIsRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "closedset.key")
	if err := os.WriteFile(path, []byte("not a key\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := seal.LoadOrCreateKey(path); err == nil || !strings.Contains(err.Error(), "64 hex digits") {
		t.Fatalf("LoadOrCreateKey = %v, want an error about the key's form", err)
	}
}

func FuzzOpen(f *testing.F) {
	var k seal.Key
	copy(k[:], "fuzzing key, not a secret, 32 b!")
	good, _ := seal.Seal(k, []byte("plain"), aad)
	f.Add(good, aad)
	f.Add([]byte{1}, []byte(nil))
	f.Add(make([]byte, seal.Overhead), []byte("x"))
	f.Fuzz(func(t *testing.T, sealed, a []byte) {
		plain, err := seal.Open(k, sealed, a)
		// Only what Seal made under this key and aad opens (each fuzzing
		// process seals its own seed, so the bytes themselves differ).
		if err == nil && (!bytes.Equal(a, aad) || string(plain) != "plain") {
			t.Fatalf("Open accepted %x / %q", sealed, a)
		}
	})
}
