package storetest

import (
	"context"
	"testing"
	"time"

	"closedset"
	"closedset/auth"
	"closedset/production"
	"closedset/store"
)

// testCreatorChoosesRole: the creator of a production is its IC or its
// producer, as they chose; any other role is refused.
func testCreatorChoosesRole(t *testing.T, open Opener) {
	s := open(t)
	ctx := context.Background()
	ivy := addUser(t, s, "ivy@example.com", "Ivy")
	p := addProductionAs(t, s, ivy, "Tides", auth.IC)
	if r, err := s.Roles(ctx, p.ID, ivy.ID); err != nil || r != auth.RolesOf(auth.IC) {
		t.Fatalf("the IC creator's roles = %v, %v; want ic", r, err)
	}
	_, err := s.CreateProduction(ctx, ivy.Actor(), production.NewProduction{Title: "X", Policy: "sag_aftra", TimeZone: "UTC", Role: auth.Director})
	wantKind(t, "creating as director", err, closedset.Invalid)
}

// testICHeldApart: an IC is never also producer, director or AD of the
// same production, whichever role comes first; other roles go together.
func testICHeldApart(t *testing.T, open Opener) {
	s := open(t)
	ctx := context.Background()
	pat := addUser(t, s, "pat@example.com", "Pat")
	ann := addUser(t, s, "ann@example.com", "Ann")
	bob := addUser(t, s, "bob@example.com", "Bob")
	p := addProduction(t, s, pat, "Harbor Lights")
	_, err := s.AddMember(ctx, ann.Actor(), p.ID, pat.ID, auth.IC)
	wantKind(t, "the producer made IC", err, closedset.RuleViolation)
	if _, err := s.AddMember(ctx, pat.Actor(), p.ID, ann.ID, auth.IC); err != nil {
		t.Fatal(err)
	}
	for _, r := range []auth.Role{auth.Producer, auth.Director, auth.AD} {
		_, err := s.AddMember(ctx, pat.Actor(), p.ID, ann.ID, r)
		wantKind(t, "the IC made "+string(r), err, closedset.RuleViolation)
	}
	if _, err := s.AddMember(ctx, pat.Actor(), p.ID, ann.ID, auth.Legal); err != nil {
		t.Fatalf("the IC made legal too: %v", err)
	}
	if _, err := s.AddMember(ctx, pat.Actor(), p.ID, bob.ID, auth.AD); err != nil {
		t.Fatal(err)
	}
	_, err = s.AddMember(ctx, pat.Actor(), p.ID, bob.ID, auth.IC)
	wantKind(t, "the AD made IC", err, closedset.RuleViolation)
	if r, _ := s.Roles(ctx, p.ID, bob.ID); r != auth.RolesOf(auth.AD) {
		t.Fatalf("after the refusal the AD holds %v", r)
	}
}

// testInvitations: an invitation is kept with its token's hash, listed,
// found by the hash, accepted once, and a revoked or expired one is not
// accepted.
func testInvitations(t *testing.T, open Opener) {
	now := t0
	s := open(t, store.WithClock(func() time.Time { return now }))
	ctx := context.Background()
	ivy := addUser(t, s, "ivy@example.com", "Ivy")
	p := addProductionAs(t, s, ivy, "Tides", auth.IC)
	inv := func(email string, hash string) production.Invitation {
		t.Helper()
		i, err := s.CreateInvitation(ctx, ivy.Actor(), production.NewInvitation{ProductionID: p.ID, Email: email, Role: auth.Producer,
			Hash: []byte(hash), Expires: now.Add(production.InvitationLifetime)})
		if err != nil {
			t.Fatal(err)
		}
		return i
	}
	a := inv("Pat@Example.com", "hash-a")
	b := inv("bob@example.com", "hash-b")
	c := inv("cy@example.com", "hash-c")
	if a.Email != "pat@example.com" || a.InvitedBy != ivy.ID || a.State(now) != production.InvitationPending {
		t.Fatalf("invitation %+v", a)
	}
	_, err := s.CreateInvitation(ctx, ivy.Actor(), production.NewInvitation{ProductionID: p.ID, Email: "x@example.com", Role: "gaffer", Hash: []byte("h"), Expires: now.Add(time.Hour)})
	wantKind(t, "an invitation to an unknown role", err, closedset.Invalid)

	got, err := s.InvitationByHash(ctx, []byte("hash-a"))
	if err != nil || got.ID != a.ID || got.InvitedByName != "Ivy" || got.Role != auth.Producer {
		t.Fatalf("InvitationByHash = %+v, %v", got, err)
	}
	_, err = s.InvitationByHash(ctx, []byte("nothing"))
	wantKind(t, "an unknown hash", err, closedset.NotFound)

	pat := addUser(t, s, "pat@example.com", "Pat")
	if err := s.AcceptInvitation(ctx, pat.Actor(), a.ID, pat.ID); err != nil {
		t.Fatal(err)
	}
	wantKind(t, "accepting twice", s.AcceptInvitation(ctx, pat.Actor(), a.ID, pat.ID), closedset.Conflict)
	wantKind(t, "revoking an accepted one", s.RevokeInvitation(ctx, ivy.Actor(), a.ID), closedset.Conflict)

	if err := s.RevokeInvitation(ctx, ivy.Actor(), b.ID); err != nil {
		t.Fatal(err)
	}
	before := len(events(t, s))
	if err := s.RevokeInvitation(ctx, ivy.Actor(), b.ID); err != nil || len(events(t, s)) != before {
		t.Fatalf("revoking twice: %v, %d new events", err, len(events(t, s))-before)
	}
	bob := addUser(t, s, "bob@example.com", "Bob")
	wantKind(t, "accepting a revoked one", s.AcceptInvitation(ctx, bob.Actor(), b.ID, bob.ID), closedset.Conflict)

	now = now.Add(production.InvitationLifetime + time.Second)
	cy := addUser(t, s, "cy@example.com", "Cy")
	wantKind(t, "accepting an expired one", s.AcceptInvitation(ctx, cy.Actor(), c.ID, cy.ID), closedset.Conflict)

	list, err := s.Invitations(ctx, p.ID)
	if err != nil || len(list) != 3 || list[0].ID != c.ID {
		t.Fatalf("Invitations = %+v, %v", list, err)
	}
	states := map[int64]string{}
	for _, i := range list {
		states[i.ID] = i.State(now)
	}
	want := map[int64]string{a.ID: production.InvitationAccepted, b.ID: production.InvitationRevoked, c.ID: production.InvitationExpired}
	for id, st := range want {
		if states[id] != st {
			t.Errorf("invitation %d is %s, want %s", id, states[id], st)
		}
	}
	if acc := list[2]; acc.AcceptedBy != pat.ID || acc.Accepted.IsZero() {
		t.Errorf("the accepted invitation %+v", acc)
	}
}

// testDisabledUsers: a disabled user's sessions end and their tokens stop
// working at once, they cannot start a session; enabled, the tokens work
// again.
func testDisabledUsers(t *testing.T, open Opener) {
	s := open(t, store.WithClock(func() time.Time { return t0 }))
	ctx := context.Background()
	ann := addUser(t, s, "ann@example.com", "Ann")
	admin := addUser(t, s, "admin@example.com", "Admin")
	sess := auth.Session{Hash: []byte("session-hash-of-ann"), UserID: ann.ID, Created: t0, Expires: t0.Add(time.Hour)}
	if err := s.CreateSession(ctx, sess); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateToken(ctx, ann.Actor(), auth.TokenRecord{UserID: ann.ID, Name: "laptop", Hash: []byte("token-hash-of-ann")}); err != nil {
		t.Fatal(err)
	}
	if err := s.SetUserDisabled(ctx, admin.Actor(), ann.ID, true); err != nil {
		t.Fatal(err)
	}
	if u, err := s.User(ctx, ann.ID); err != nil || !u.Disabled {
		t.Fatalf("after disabling: %+v, %v", u, err)
	}
	_, _, err := s.SessionUser(ctx, sess.Hash, t0)
	wantKind(t, "a disabled user's session", err, closedset.NotFound)
	_, _, err = s.TokenUser(ctx, []byte("token-hash-of-ann"), t0)
	wantKind(t, "a disabled user's token", err, closedset.NotFound)
	err = s.CreateSession(ctx, auth.Session{Hash: []byte("another-session-hash"), UserID: ann.ID, Created: t0, Expires: t0.Add(time.Hour)})
	wantKind(t, "a disabled user's new session", err, closedset.Forbidden)
	before := len(events(t, s))
	if err := s.SetUserDisabled(ctx, admin.Actor(), ann.ID, true); err != nil || len(events(t, s)) != before {
		t.Fatalf("disabling twice: %v", err)
	}
	if err := s.SetUserDisabled(ctx, admin.Actor(), ann.ID, false); err != nil {
		t.Fatal(err)
	}
	if u, _, err := s.TokenUser(ctx, []byte("token-hash-of-ann"), t0); err != nil || u.ID != ann.ID {
		t.Fatalf("the token after enabling: %+v, %v", u, err)
	}
	wantKind(t, "disabling no one", s.SetUserDisabled(ctx, admin.Actor(), 999, true), closedset.NotFound)
	us, err := s.Users(ctx)
	if err != nil || len(us) != 2 || us[0].Email != "admin@example.com" {
		t.Fatalf("Users = %+v, %v", us, err)
	}
}

// testPerformersEditedAndRemoved: an edit replaces the fields and the
// characters; a removed performer leaves the lists and the scenes but is
// still found by id, and cannot be edited.
func testPerformersEditedAndRemoved(t *testing.T, open Opener) {
	s := open(t)
	ctx := context.Background()
	l := newLedger(t, s)
	np := production.NewPerformer{ProductionID: l.p.ID, UserID: l.nora.ID, Name: "Nora Lind", Email: "nora@example.com",
		DateOfBirth: date("1991-04-01"), Characters: []string{"nora", "Nora (V.O.)"}}
	p, err := s.UpdatePerformer(ctx, l.ic.Actor(), l.noraP.ID, np)
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.Performer(ctx, l.noraP.ID)
	if err != nil || got.Name != "Nora Lind" || got.DateOfBirth != date("1991-04-01") || len(got.Characters) != 2 || got.Characters[1] != "NORA (V.O.)" || got.Name != p.Name {
		t.Fatalf("after the edit: %+v, %v", got, err)
	}
	if err := s.RemovePerformer(ctx, l.ic.Actor(), l.noraP.ID); err != nil {
		t.Fatal(err)
	}
	if got, err := s.Performer(ctx, l.noraP.ID); err != nil || got.Removed.IsZero() {
		t.Fatalf("a removed performer by id: %+v, %v", got, err)
	}
	cast, err := s.Performers(ctx, l.p.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cast {
		if c.ID == l.noraP.ID {
			t.Fatal("a removed performer is still in the cast")
		}
	}
	in, err := s.ScenePerformers(ctx, l.bathroom.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range in {
		if c.ID == l.noraP.ID {
			t.Fatal("a removed performer is still in a scene")
		}
	}
	_, err = s.PerformerByUser(ctx, l.p.ID, l.nora.ID)
	wantKind(t, "a removed performer by user", err, closedset.NotFound)
	_, err = s.UpdatePerformer(ctx, l.ic.Actor(), l.noraP.ID, np)
	wantKind(t, "editing a removed performer", err, closedset.Conflict)
	wantKind(t, "removing no one", s.RemovePerformer(ctx, l.ic.Actor(), 999), closedset.NotFound)
}
