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
	now := t0
	s := open(t, store.WithClock(func() time.Time { return now }))
	u := addUser(t, s, "theo@example.com", "Theo")
	other := addUser(t, s, "olga@example.com", "Olga")
	_, hash, err := auth.NewToken(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := s.CreateToken(ctx, u.Actor(), auth.TokenRecord{UserID: u.ID, Name: "laptop", Hash: hash})
	if err != nil {
		t.Fatal(err)
	}
	if tok.ID == 0 || tok.UserID != u.ID || tok.Name != "laptop" || !tok.Created.Equal(t0) || !tok.Expires.IsZero() {
		t.Fatalf("CreateToken = %+v", tok)
	}
	got, gt, err := s.TokenUser(ctx, hash, now)
	if err != nil || got.ID != u.ID || gt.ID != tok.ID || !gt.LastUsed.IsZero() {
		t.Fatalf("TokenUser = %d %+v, %v; want %d", got.ID, gt, err, u.ID)
	}
	_, _, err = s.TokenUser(ctx, bytes.Repeat([]byte{1}, len(hash)), now)
	wantKind(t, "TokenUser of an unknown token", err, closedset.NotFound)
	_, err = s.CreateToken(ctx, u.Actor(), auth.TokenRecord{UserID: u.ID, Name: "again", Hash: hash})
	wantKind(t, "CreateToken with a taken hash", err, closedset.Conflict)
	_, err = s.CreateToken(ctx, u.Actor(), auth.TokenRecord{UserID: 999, Name: "x", Hash: []byte{2}})
	wantKind(t, "CreateToken for a stranger", err, closedset.NotFound)
	_, err = s.CreateToken(ctx, u.Actor(), auth.TokenRecord{UserID: u.ID, Name: "", Hash: []byte{2}})
	wantKind(t, "CreateToken without a name", err, closedset.Invalid)
	_, err = s.CreateToken(ctx, u.Actor(), auth.TokenRecord{UserID: u.ID, Name: "x", Hash: []byte{2}, Expires: t0})
	wantKind(t, "CreateToken expiring at once", err, closedset.Invalid)

	// A token past its expiry fails; until then it works.
	short, err := s.CreateToken(ctx, u.Actor(), auth.TokenRecord{UserID: u.ID, Name: "ci", Hash: []byte("short-lived"), Expires: t0.Add(48 * time.Hour)})
	if err != nil || !short.Expires.Equal(t0.Add(48*time.Hour)) {
		t.Fatalf("CreateToken with an expiry = %+v, %v", short, err)
	}
	if _, _, err := s.TokenUser(ctx, []byte("short-lived"), t0.Add(48*time.Hour-time.Microsecond)); err != nil {
		t.Errorf("a token just before its expiry: %v", err)
	}
	_, _, err = s.TokenUser(ctx, []byte("short-lived"), t0.Add(48*time.Hour))
	wantKind(t, "a token at its expiry", err, closedset.NotFound)

	// A use is noted without an event, and only moves forward.
	before := len(events(t, s))
	if err := s.NoteTokenUse(ctx, tok.ID, t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := s.NoteTokenUse(ctx, tok.ID, t0.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if n := len(events(t, s)); n != before {
		t.Errorf("noting a token's use appended %d events, want none", n-before)
	}
	if _, gt, err := s.TokenUser(ctx, hash, now); err != nil || !gt.LastUsed.Equal(t0.Add(time.Hour)) {
		t.Errorf("last used = %v, %v; want %v", gt.LastUsed, err, t0.Add(time.Hour))
	}

	list, err := s.TokensOf(ctx, u.ID)
	if err != nil || len(list) != 2 || list[0].ID != short.ID || list[1].ID != tok.ID || !list[1].LastUsed.Equal(t0.Add(time.Hour)) {
		t.Fatalf("TokensOf = %+v, %v", list, err)
	}
	if list, err := s.TokensOf(ctx, other.ID); err != nil || len(list) != 0 {
		t.Errorf("TokensOf another user = %+v, %v", list, err)
	}

	// Revoking: only the owner's own; the token stops at once.
	wantKind(t, "revoking another's token", s.RevokeToken(ctx, other.Actor(), other.ID, tok.ID), closedset.NotFound)
	if err := s.RevokeToken(ctx, u.Actor(), u.ID, tok.ID); err != nil {
		t.Fatal(err)
	}
	_, _, err = s.TokenUser(ctx, hash, now)
	wantKind(t, "a revoked token", err, closedset.NotFound)
	wantKind(t, "revoking twice", s.RevokeToken(ctx, u.Actor(), u.ID, tok.ID), closedset.NotFound)
	if e := events(t, s); e[len(e)-1].Action != "token.revoke" {
		t.Errorf("the last event is %s, want token.revoke", e[len(e)-1].Action)
	}
	if err := s.NoteTokenUse(ctx, tok.ID, t0.Add(2*time.Hour)); err != nil {
		t.Errorf("noting the use of a token revoked meanwhile: %v", err)
	}
}

// testPasswordChangeEndsCredentials: a new password ends every session and
// token of the user in its one transaction and event; a rehash of the same
// password keeps them, and loses to a change made meanwhile.
func testPasswordChangeEndsCredentials(t *testing.T, open Opener) {
	ctx := context.Background()
	s := open(t, store.WithClock(func() time.Time { return t0 }))
	u := addUser(t, s, "theo@example.com", "Theo")
	other := addUser(t, s, "olga@example.com", "Olga")
	for _, who := range []auth.User{u, other} {
		if err := s.CreateSession(ctx, auth.Session{Hash: []byte("session-" + who.Email), UserID: who.ID, Created: t0, Expires: t0.Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.CreateToken(ctx, who.Actor(), auth.TokenRecord{UserID: who.ID, Name: "cli", Hash: []byte("token-" + who.Email)}); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.RehashPassword(ctx, u.Actor(), u.ID, fakeHash, "$argon2id$stronger"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.TokenUser(ctx, []byte("token-"+u.Email), t0); err != nil {
		t.Fatalf("a token after a rehash: %v", err)
	}
	err := s.RehashPassword(ctx, u.Actor(), u.ID, fakeHash, "$argon2id$stale")
	wantKind(t, "a rehash of a hash changed meanwhile", err, closedset.Conflict)
	wantKind(t, "a rehash of no one", s.RehashPassword(ctx, u.Actor(), 999, fakeHash, "$argon2id$x"), closedset.NotFound)

	if err := s.SetPassword(ctx, u.Actor(), u.ID, "$argon2id$new"); err != nil {
		t.Fatal(err)
	}
	_, _, err = s.SessionUser(ctx, []byte("session-"+u.Email), t0)
	wantKind(t, "a session after a password change", err, closedset.NotFound)
	_, _, err = s.TokenUser(ctx, []byte("token-"+u.Email), t0)
	wantKind(t, "a token after a password change", err, closedset.NotFound)
	if list, err := s.TokensOf(ctx, u.ID); err != nil || len(list) != 0 {
		t.Errorf("tokens after a password change: %+v, %v", list, err)
	}
	if _, _, err := s.SessionUser(ctx, []byte("session-"+other.Email), t0); err != nil {
		t.Errorf("another user's session after the change: %v", err)
	}
	if _, _, err := s.TokenUser(ctx, []byte("token-"+other.Email), t0); err != nil {
		t.Errorf("another user's token after the change: %v", err)
	}
	e := events(t, s)
	if last := e[len(e)-1]; last.Action != "user.password" || e[len(e)-2].Action != "user.password.rehash" {
		t.Errorf("the last events are %s, %s; want user.password.rehash, user.password", e[len(e)-2].Action, last.Action)
	}
}
