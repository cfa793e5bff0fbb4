package storetest

import (
	"bytes"
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"closedset/audit"
	"closedset/auth"
	"closedset/ops"
	"closedset/production"
)

func testOneEventPerWrite(t *testing.T, open Opener) {
	ctx := context.Background()
	s := open(t)
	h := LoadHarbor(t)
	var (
		admin, pat auth.User
		p          production.Production
		r          production.Revision
		flagID     int64
	)
	steps := []struct {
		action string
		object func() string
		actor  func() audit.Actor
		write  func() error
	}{
		{"user.create", func() string { return audit.Object("user", admin.ID) }, func() audit.Actor { return audit.System }, func() (err error) {
			admin, err = s.CreateUser(ctx, audit.System, auth.NewUser{Email: "ada@example.com", Name: "Ada", PasswordHash: fakeHash, Admin: true})
			return err
		}},
		{"user.create", func() string { return audit.Object("user", pat.ID) }, func() audit.Actor { return admin.Actor() }, func() (err error) {
			pat, err = s.CreateUser(ctx, admin.Actor(), auth.NewUser{Email: "pat@example.com", Name: "Pat", PasswordHash: fakeHash})
			return err
		}},
		{"user.password", func() string { return audit.Object("user", pat.ID) }, func() audit.Actor { return admin.Actor() }, func() error {
			return s.SetPassword(ctx, admin.Actor(), pat.ID, "$argon2id$other")
		}},
		{"session.create", func() string { return audit.Object("user", pat.ID) }, func() audit.Actor { return pat.Actor() }, func() error {
			return s.CreateSession(ctx, auth.Session{Hash: []byte("session"), UserID: pat.ID, Created: t0, Expires: t0.Add(time.Hour)})
		}},
		{"token.create", func() string { return audit.Object("token", 1) }, func() audit.Actor { return pat.Actor() }, func() error {
			_, err := s.CreateToken(ctx, pat.Actor(), auth.TokenRecord{UserID: pat.ID, Name: "ci", Hash: []byte("token")})
			return err
		}},
		{"production.create", func() string { return audit.Object("production", p.ID) }, func() audit.Actor { return pat.Actor() }, func() (err error) {
			p, err = s.CreateProduction(ctx, pat.Actor(), production.NewProduction{Title: "Harbor Lights", Policy: "equity_uk", TimeZone: "Europe/London"})
			return err
		}},
		{"member.add", func() string { return audit.Object("production", p.ID) }, func() audit.Actor { return pat.Actor() }, func() error {
			_, err := s.AddMember(ctx, pat.Actor(), p.ID, admin.ID, auth.IC)
			return err
		}},
		{"member.remove", func() string { return audit.Object("production", p.ID) }, func() audit.Actor { return pat.Actor() }, func() error {
			return s.RemoveMember(ctx, pat.Actor(), p.ID, admin.ID, auth.IC)
		}},
		{"script.upload", func() string { return audit.Object("revision", r.ID) }, func() audit.Actor { return pat.Actor() }, func() (err error) {
			r, err = s.AddRevision(ctx, pat.Actor(), NewRevision(h, p.ID, 0))
			return err
		}},
		{"flag.review", func() string { return audit.Object("flag", flagID) }, func() audit.Actor { return pat.Actor() }, func() error {
			scenes, err := s.Scenes(ctx, r.ID)
			if err != nil {
				return err
			}
			for _, sc := range scenes {
				if len(sc.Flags) > 0 {
					flagID = sc.Flags[0].ID
					break
				}
			}
			_, err = s.ReviewFlag(ctx, pat.Actor(), flagID, production.Confirmed, "")
			return err
		}},
		{"session.delete", func() string { return audit.Object("user", pat.ID) }, func() audit.Actor { return pat.Actor() }, func() error {
			return s.DeleteSession(ctx, []byte("session"))
		}},
	}
	if head, err := s.Head(ctx); err != nil || head != 0 {
		t.Fatalf("an empty store's head is %d, %v; want 0", head, err)
	}
	for i, st := range steps {
		if err := st.write(); err != nil {
			t.Fatalf("step %d (%s): %v", i+1, st.action, err)
		}
		// The head moves with every write: live page updates rely on it.
		if head, err := s.Head(ctx); err != nil || head != int64(i+1) {
			t.Fatalf("after step %d (%s) the head is %d, %v; want %d", i+1, st.action, head, err, i+1)
		}
		ev := events(t, s)
		if len(ev) != i+1 {
			t.Fatalf("after step %d (%s) the chain has %d events, want %d", i+1, st.action, len(ev), i+1)
		}
		e := ev[i]
		if e.Action != st.action || e.Object != st.object() || e.Actor != st.actor() || e.Seq != int64(i+1) {
			t.Fatalf("step %d: event %+v, want %s on %s by %+v", i+1, e, st.action, st.object(), st.actor())
		}
	}
	a := verify(t, s)
	if a.Count != int64(len(steps)) {
		t.Fatalf("verified %d events, want %d", a.Count, len(steps))
	}
}

// testNoSecretsInEvents pins what the digests of the events that touch
// secrets cover: the documented changes, never a hash or file bytes.
func testNoSecretsInEvents(t *testing.T, open Opener) {
	ctx := context.Background()
	s := open(t)
	h := LoadHarbor(t)
	u := addUser(t, s, "pat@example.com", "Pat")
	if err := s.SetPassword(ctx, u.Actor(), u.ID, "$argon2id$secret"); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateSession(ctx, auth.Session{Hash: []byte("session-hash"), UserID: u.ID, Created: t0, Expires: t0.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	tok, err := s.CreateToken(ctx, u.Actor(), auth.TokenRecord{UserID: u.ID, Name: "ci", Hash: []byte("token-hash")})
	if err != nil {
		t.Fatal(err)
	}
	p := addProduction(t, s, u, "Harbor Lights")
	r, err := s.AddRevision(ctx, u.Actor(), NewRevision(h, p.ID, 0))
	if err != nil {
		t.Fatal(err)
	}
	want := []any{
		map[string]any{"id": u.ID, "email": u.Email, "name": u.Name, "admin": false},
		map[string]any{"user": u.ID, "sessions": 0, "tokens": 0},
		map[string]any{"user": u.ID, "created": t0, "expires": t0.Add(time.Hour)},
		map[string]any{"id": tok.ID, "user": u.ID, "name": "ci"},
		map[string]any{"id": p.ID, "title": p.Title, "policy": p.Policy, "time_zone": p.TimeZone, "producer": u.ID},
		map[string]any{"production": p.ID, "script": r.ScriptID, "revision": r.ID, "seq": 1, "filename": "harbor.fountain",
			"sha256": h.Draft.SHA256, "size": len(h.Data), "scenes": len(h.Draft.Scenes), "carried_reviews": 0},
	}
	ev := events(t, s)
	if len(ev) != len(want) {
		t.Fatalf("%d events, want %d", len(ev), len(want))
	}
	for i, e := range ev {
		d, err := audit.Digest(want[i])
		if err != nil {
			t.Fatal(err)
		}
		if e.Digest != d {
			t.Errorf("event %d (%s): digest is not of %v", e.Seq, e.Action, want[i])
		}
		for _, secret := range []string{"$argon2id$secret", fakeHash, "session-hash", "token-hash"} {
			if bytes.Contains([]byte(fmt.Sprintf("%+v", e)), []byte(secret)) {
				t.Errorf("event %d holds a secret", e.Seq)
			}
		}
	}
}

func testConcurrentWriters(t *testing.T, open Opener) {
	ctx := context.Background()
	s := open(t)
	owner := addUser(t, s, "pat@example.com", "Pat")
	p := addProduction(t, s, owner, "Harbor Lights")
	const writers = 16
	roles := []auth.Role{auth.IC, auth.Performer, auth.Camera}
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for i := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- func() error {
				u, err := s.CreateUser(ctx, owner.Actor(), auth.NewUser{Email: fmt.Sprintf("crew%d@example.com", i), Name: fmt.Sprintf("Crew %d", i), PasswordHash: fakeHash})
				if err != nil {
					return err
				}
				if _, err := s.CreateToken(ctx, u.Actor(), auth.TokenRecord{UserID: u.ID, Name: "t", Hash: []byte(fmt.Sprintf("token-%d", i))}); err != nil {
					return err
				}
				for _, r := range roles {
					if _, err := s.AddMember(ctx, owner.Actor(), p.ID, u.ID, r); err != nil {
						return err
					}
					if _, err := s.Roles(ctx, p.ID, u.ID); err != nil {
						return err
					}
				}
				return s.CreateSession(ctx, auth.Session{Hash: []byte(fmt.Sprintf("session-%d", i)), UserID: u.ID, Created: t0, Expires: t0.Add(time.Hour)})
			}()
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatalf("a concurrent writer failed: %v", err)
		}
	}
	a := verify(t, s)
	if want := int64(2 + writers*(3+len(roles))); a.Count != want {
		t.Fatalf("the chain has %d events, want %d", a.Count, want)
	}
	ms, err := s.Members(ctx, p.ID)
	if err != nil || len(ms) != writers+1 {
		t.Fatalf("Members = %d, %v; want %d", len(ms), err, writers+1)
	}
}

// SharedWriters writes through several stores over one database at once,
// as several servers behind a load balancer do, and checks that every
// write succeeds and the chain holds them all.
func SharedWriters(t *testing.T, stores []ops.Store) {
	ctx := context.Background()
	owner := addUser(t, stores[0], "pat@example.com", "Pat")
	p := addProduction(t, stores[0], owner, "Harbor Lights")
	const perStore = 8
	var wg sync.WaitGroup
	errs := make(chan error, len(stores)*perStore)
	for i, s := range stores {
		for j := range perStore {
			wg.Add(1)
			go func() {
				defer wg.Done()
				u, err := s.CreateUser(ctx, owner.Actor(), auth.NewUser{Email: fmt.Sprintf("crew%d-%d@example.com", i, j), Name: "Crew", PasswordHash: fakeHash})
				if err == nil {
					_, err = s.AddMember(ctx, owner.Actor(), p.ID, u.ID, auth.Camera)
				}
				errs <- err
			}()
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatalf("a writer failed: %v", err)
		}
	}
	for _, s := range stores {
		if a := verify(t, s); a.Count != int64(2+2*len(stores)*perStore) {
			t.Fatalf("the chain has %d events, want %d", a.Count, 2+2*len(stores)*perStore)
		}
	}
}
