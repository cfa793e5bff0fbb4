package storetest

import (
	"bytes"
	"closedset"
	"context"
	"crypto/rand"
	"strings"
	"testing"
	"time"

	"closedset/audit"
	"closedset/auth"
	"closedset/store"
	"closedset/textfield"
)

func testUsers(t *testing.T, open Opener) {
	ctx := context.Background()
	s := open(t)
	if n, err := s.CountUsers(ctx); err != nil || n != 0 {
		t.Fatalf("CountUsers on a new store = %d, %v; want 0", n, err)
	}
	admin, err := s.CreateUser(ctx, audit.System, auth.NewUser{Email: "ada@example.com", Name: "Ada", PasswordHash: fakeHash, Admin: true})
	if err != nil {
		t.Fatal(err)
	}
	if admin.ID == 0 || !admin.Admin || admin.Created.IsZero() || admin.PasswordHash != fakeHash {
		t.Fatalf("CreateUser = %+v", admin)
	}
	got, err := s.User(ctx, admin.ID)
	if err != nil {
		t.Fatal(err)
	}
	mustJSONEqual(t, "User", got, admin)
	bob := addUser(t, s, "bob@example.com", "Bob")
	if n, err := s.CountUsers(ctx); err != nil || n != 2 {
		t.Fatalf("CountUsers = %d, %v; want 2", n, err)
	}
	if err := s.SetPassword(ctx, admin.Actor(), bob.ID, "$argon2id$new"); err != nil {
		t.Fatal(err)
	}
	if u, _ := s.User(ctx, bob.ID); u.PasswordHash != "$argon2id$new" {
		t.Fatalf("after SetPassword the hash is %q", u.PasswordHash)
	}
	wantKind(t, "SetPassword of a stranger", s.SetPassword(ctx, admin.Actor(), 999, fakeHash), closedset.NotFound)
	wantKind(t, "SetPassword to nothing", s.SetPassword(ctx, admin.Actor(), bob.ID, ""), closedset.Invalid)
}

func testEmailCase(t *testing.T, open Opener) {
	ctx := context.Background()
	s := open(t)
	u, err := s.CreateUser(ctx, audit.System, auth.NewUser{Email: " Nora.Vance@Example.COM ", Name: "Nora", PasswordHash: fakeHash})
	if err != nil {
		t.Fatal(err)
	}
	if u.Email != "nora.vance@example.com" {
		t.Fatalf("email stored as %q, want it lower-cased", u.Email)
	}
	for _, e := range []string{"nora.vance@example.com", "NORA.VANCE@EXAMPLE.COM", "Nora.Vance@example.com"} {
		got, err := s.UserByEmail(ctx, e)
		if err != nil || got.ID != u.ID {
			t.Fatalf("UserByEmail(%q) = %d, %v; want user %d", e, got.ID, err, u.ID)
		}
	}
	_, err = s.CreateUser(ctx, audit.System, auth.NewUser{Email: "NORA.vance@example.com", Name: "Other", PasswordHash: fakeHash})
	wantKind(t, "CreateUser with a taken email in other case", err, closedset.Conflict)
	_, err = s.UserByEmail(ctx, "nobody@example.com")
	wantKind(t, "UserByEmail of a stranger", err, closedset.NotFound)
}

func testInvalidUsers(t *testing.T, open Opener) {
	ctx := context.Background()
	s := open(t)
	for _, tc := range []struct {
		name string
		u    auth.NewUser
	}{
		{"no email", auth.NewUser{Name: "A", PasswordHash: fakeHash}},
		{"no at sign", auth.NewUser{Email: "a.example.com", Name: "A", PasswordHash: fakeHash}},
		{"two at signs", auth.NewUser{Email: "a@b@example.com", Name: "A", PasswordHash: fakeHash}},
		{"long email", auth.NewUser{Email: strings.Repeat("a", 250) + "@example.com", Name: "A", PasswordHash: fakeHash}},
		{"no name", auth.NewUser{Email: "a@example.com", PasswordHash: fakeHash}},
		{"long name", auth.NewUser{Email: "a@example.com", Name: strings.Repeat("n", textfield.MaxName+1), PasswordHash: fakeHash}},
		{"control character in name", auth.NewUser{Email: "a@example.com", Name: "A\nB", PasswordHash: fakeHash}},
		{"no password hash", auth.NewUser{Email: "a@example.com", Name: "A"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := s.CreateUser(ctx, audit.System, tc.u)
			wantKind(t, "CreateUser", err, closedset.Invalid)
		})
	}
	if n, _ := s.CountUsers(ctx); n != 0 {
		t.Fatalf("%d users after refused creations, want 0", n)
	}
	if ev := events(t, s); len(ev) != 0 {
		t.Fatalf("%d events after refused creations, want 0", len(ev))
	}
}

func testSessions(t *testing.T, open Opener) {
	ctx := context.Background()
	now := t0
	s := open(t, store.WithClock(func() time.Time { return now }))
	u := addUser(t, s, "nora@example.com", "Nora")
	hash := bytes.Repeat([]byte{7}, 32)
	ss := auth.Session{Hash: hash, UserID: u.ID, Created: t0, Expires: t0.Add(12 * time.Hour)}
	if err := s.CreateSession(ctx, ss); err != nil {
		t.Fatal(err)
	}
	got, gs, err := s.SessionUser(ctx, hash, t0.Add(time.Hour))
	if err != nil || got.ID != u.ID {
		t.Fatalf("SessionUser = %d, %v; want user %d", got.ID, err, u.ID)
	}
	mustJSONEqual(t, "Session", gs, ss)
	_, _, err = s.SessionUser(ctx, hash, t0.Add(12*time.Hour))
	wantKind(t, "SessionUser at its expiry", err, closedset.NotFound)
	_, _, err = s.SessionUser(ctx, bytes.Repeat([]byte{8}, 32), t0)
	wantKind(t, "SessionUser of an unknown session", err, closedset.NotFound)
	err = s.CreateSession(ctx, ss)
	wantKind(t, "CreateSession twice", err, closedset.Conflict)
	err = s.CreateSession(ctx, auth.Session{Hash: []byte{1}, UserID: 999, Created: t0, Expires: t0.Add(time.Hour)})
	wantKind(t, "CreateSession of a stranger", err, closedset.NotFound)
	err = s.CreateSession(ctx, auth.Session{Hash: []byte{1}, UserID: u.ID, Created: t0, Expires: t0})
	wantKind(t, "CreateSession that expires at once", err, closedset.Invalid)

	if err := s.DeleteSession(ctx, hash); err != nil {
		t.Fatal(err)
	}
	_, _, err = s.SessionUser(ctx, hash, t0.Add(time.Hour))
	wantKind(t, "SessionUser after DeleteSession", err, closedset.NotFound)
	if err := s.DeleteSession(ctx, hash); err != nil {
		t.Fatalf("DeleteSession of a deleted session: %v, want nil", err)
	}
	ev := events(t, s)
	if n := len(ev); n != 3 || ev[1].Action != "session.create" || ev[2].Action != "session.delete" || ev[1].Actor != u.Actor() {
		t.Fatalf("events = %+v; want user.create, session.create and session.delete by the user", ev)
	}

	// A sign-in sweeps out the sessions expired by then.
	old := []byte("old session")
	if err := s.CreateSession(ctx, auth.Session{Hash: old, UserID: u.ID, Created: t0, Expires: t0.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	now = t0.Add(2 * time.Hour)
	if err := s.CreateSession(ctx, auth.Session{Hash: []byte("new session"), UserID: u.ID, Expires: now.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	_, _, err = s.SessionUser(ctx, old, t0)
	wantKind(t, "SessionUser of a swept session", err, closedset.NotFound)
	_, ns, err := s.SessionUser(ctx, []byte("new session"), now)
	if err != nil || !ns.Created.Equal(now) {
		t.Fatalf("a session without a created time = %+v, %v; want it created at the store's now", ns, err)
	}
}

func testTokens(t *testing.T, open Opener) {
	ctx := context.Background()
	s := open(t)
	u := addUser(t, s, "theo@example.com", "Theo")
	_, hash, err := auth.NewToken(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := s.CreateToken(ctx, u.Actor(), auth.TokenRecord{UserID: u.ID, Name: "laptop", Hash: hash})
	if err != nil {
		t.Fatal(err)
	}
	if tok.ID == 0 || tok.UserID != u.ID || tok.Name != "laptop" || tok.Created.IsZero() {
		t.Fatalf("CreateToken = %+v", tok)
	}
	got, err := s.TokenUser(ctx, hash)
	if err != nil || got.ID != u.ID {
		t.Fatalf("TokenUser = %d, %v; want %d", got.ID, err, u.ID)
	}
	_, err = s.TokenUser(ctx, bytes.Repeat([]byte{1}, len(hash)))
	wantKind(t, "TokenUser of an unknown token", err, closedset.NotFound)
	_, err = s.CreateToken(ctx, u.Actor(), auth.TokenRecord{UserID: u.ID, Name: "again", Hash: hash})
	wantKind(t, "CreateToken with a taken hash", err, closedset.Conflict)
	_, err = s.CreateToken(ctx, u.Actor(), auth.TokenRecord{UserID: 999, Name: "x", Hash: []byte{2}})
	wantKind(t, "CreateToken for a stranger", err, closedset.NotFound)
	_, err = s.CreateToken(ctx, u.Actor(), auth.TokenRecord{UserID: u.ID, Name: "", Hash: []byte{2}})
	wantKind(t, "CreateToken without a name", err, closedset.Invalid)
}
