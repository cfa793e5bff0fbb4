package main

import (
	"context"
	"crypto/rand"
	"path/filepath"
	"sync"
	"testing"

	"closedset/auth"
	"closedset/ops"
	"closedset/store/sqlite"
)

// testHash is one real argon2id hash shared by every user the tests make
// through the store, so that only the tests of `user create` pay for
// hashing.
var testHash = sync.OnceValue(func() string {
	h, err := auth.HashPassword("correct horse battery staple", rand.Reader)
	if err != nil {
		panic(err)
	}
	return h
})

// newDB makes an empty SQLite database in a temp folder and returns its
// path, for the commands under test to open with --db.
func newDB(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "closedset.db")
	st := openPath(t, path)
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// openPath opens the SQLite database at path for the test to look into,
// closed when the test ends.
func openPath(t *testing.T, path string) ops.Store {
	t.Helper()
	st, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func addUser(t *testing.T, st ops.Store, email, name string, admin bool) auth.User {
	t.Helper()
	u, err := st.CreateUser(context.Background(), operator("test"), auth.NewUser{Email: email, Name: name, PasswordHash: testHash(), Admin: admin})
	if err != nil {
		t.Fatal(err)
	}
	return u
}
