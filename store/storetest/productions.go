package storetest

import (
	"closedset"
	"context"
	"strings"
	"testing"

	"closedset/auth"
	"closedset/consent"
	"closedset/production"
	"closedset/textfield"
)

func testCreatorBecomesProducer(t *testing.T, open Opener) {
	ctx := context.Background()
	s := open(t)
	u := addUser(t, s, "pat@example.com", "Pat")
	first := addProduction(t, s, u, "Harbor Lights")
	second := addProduction(t, s, u, "Second Unit")
	got, err := s.Production(ctx, first.ID)
	if err != nil {
		t.Fatal(err)
	}
	mustJSONEqual(t, "Production", got, first)
	if first.CreatedBy != u.ID || first.Policy != "sag_aftra" || first.TimeZone != "Europe/London" {
		t.Fatalf("CreateProduction = %+v", first)
	}
	if r, err := s.Roles(ctx, first.ID, u.ID); err != nil || r != auth.RolesOf(auth.Producer) {
		t.Fatalf("creator's Roles = %v, %v; want producer", r, err)
	}
	ms, err := s.ProductionsOf(ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) != 2 || ms[0].ID != second.ID || ms[1].ID != first.ID || ms[0].Roles != auth.RolesOf(auth.Producer) {
		t.Fatalf("ProductionsOf = %+v; want the second then the first, as producer", ms)
	}
	stranger := addUser(t, s, "x@example.com", "X")
	if ms, err := s.ProductionsOf(ctx, stranger.ID); err != nil || len(ms) != 0 {
		t.Fatalf("ProductionsOf a stranger = %+v, %v; want none", ms, err)
	}
}

func testInvalidProductions(t *testing.T, open Opener) {
	ctx := context.Background()
	s := open(t)
	u := addUser(t, s, "pat@example.com", "Pat")
	for _, tc := range []struct {
		name string
		p    production.NewProduction
	}{
		{"empty title", production.NewProduction{Title: " ", Policy: "custom", TimeZone: "UTC"}},
		{"long title", production.NewProduction{Title: strings.Repeat("t", textfield.MaxTitle+1), Policy: "custom", TimeZone: "UTC"}},
		{"unknown policy", production.NewProduction{Title: "T", Policy: "dga", TimeZone: "UTC"}},
		{"no policy", production.NewProduction{Title: "T", TimeZone: "UTC"}},
		{"unknown time zone", production.NewProduction{Title: "T", Policy: "custom", TimeZone: "Mars/Olympus"}},
		{"no time zone", production.NewProduction{Title: "T", Policy: "custom"}},
		{"local time zone", production.NewProduction{Title: "T", Policy: "custom", TimeZone: "Local"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := s.CreateProduction(ctx, u.Actor(), tc.p)
			wantKind(t, "CreateProduction", err, closedset.Invalid)
		})
	}
	// A title is measured in characters: the longest, in letters of two
	// bytes each, is kept whole.
	long := strings.Repeat("é", textfield.MaxTitle)
	if p, err := s.CreateProduction(ctx, u.Actor(), production.NewProduction{Title: long, Policy: "custom", TimeZone: "UTC"}); err != nil || p.Title != long {
		t.Errorf("a title of %d two-byte characters: %q, %v", textfield.MaxTitle, p.Title, err)
	}
	for _, policy := range consent.PolicyNames() {
		if _, err := s.CreateProduction(ctx, u.Actor(), production.NewProduction{Title: "T", Policy: policy, TimeZone: "America/Toronto"}); err != nil {
			t.Fatalf("policy %s: %v", policy, err)
		}
	}
}

func testMembers(t *testing.T, open Opener) {
	ctx := context.Background()
	s := open(t)
	pat := addUser(t, s, "pat@example.com", "Pat")
	ann := addUser(t, s, "ann@example.com", "Ann")
	stranger := addUser(t, s, "zed@example.com", "Zed")
	p := addProduction(t, s, pat, "Harbor Lights")

	m, err := s.AddMember(ctx, pat.Actor(), p.ID, ann.ID, auth.IC)
	if err != nil {
		t.Fatal(err)
	}
	if m.UserID != ann.ID || m.Email != "ann@example.com" || m.Name != "Ann" || m.Roles != auth.RolesOf(auth.IC) || m.Added.IsZero() {
		t.Fatalf("AddMember = %+v", m)
	}
	if m, err = s.AddMember(ctx, pat.Actor(), p.ID, ann.ID, auth.Performer); err != nil {
		t.Fatal(err)
	}
	both := auth.RolesOf(auth.IC, auth.Performer)
	if m.Roles != both {
		t.Fatalf("after a second role, roles = %v, want %v", m.Roles, both)
	}
	before := len(events(t, s))
	if m, err = s.AddMember(ctx, pat.Actor(), p.ID, ann.ID, auth.IC); err != nil || m.Roles != both {
		t.Fatalf("adding a held role again = %v, %v; want no error and the same roles", m.Roles, err)
	}
	if after := len(events(t, s)); after != before {
		t.Fatalf("adding a held role again recorded %d events, want none", after-before)
	}
	if r, err := s.Roles(ctx, p.ID, ann.ID); err != nil || r != both {
		t.Fatalf("Roles = %v, %v; want %v", r, err, both)
	}
	if r, err := s.Roles(ctx, p.ID, stranger.ID); err != nil || r != 0 {
		t.Fatalf("Roles of a stranger = %v, %v; want none", r, err)
	}
	ms, err := s.Members(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) != 2 || ms[0].UserID != ann.ID || ms[0].Roles != both || ms[1].UserID != pat.ID || ms[1].Roles != auth.RolesOf(auth.Producer) {
		t.Fatalf("Members = %+v; want Ann (ic, performer) and Pat (producer), by name", ms)
	}
	if ms, _ := s.ProductionsOf(ctx, ann.ID); len(ms) != 1 || ms[0].Roles != both {
		t.Fatalf("ProductionsOf Ann = %+v", ms)
	}

	_, err = s.AddMember(ctx, pat.Actor(), p.ID, ann.ID, "gaffer")
	wantKind(t, "AddMember with an unknown role", err, closedset.Invalid)
	_, err = s.AddMember(ctx, pat.Actor(), p.ID, ann.ID, auth.Admin)
	wantKind(t, "AddMember as admin", err, closedset.Invalid)
	_, err = s.AddMember(ctx, pat.Actor(), 999, ann.ID, auth.IC)
	wantKind(t, "AddMember to a missing production", err, closedset.NotFound)
	_, err = s.AddMember(ctx, pat.Actor(), p.ID, 999, auth.IC)
	wantKind(t, "AddMember of a missing user", err, closedset.NotFound)

	if err := s.RemoveMember(ctx, pat.Actor(), p.ID, ann.ID, auth.IC); err != nil {
		t.Fatal(err)
	}
	if r, _ := s.Roles(ctx, p.ID, ann.ID); r != auth.RolesOf(auth.Performer) {
		t.Fatalf("after removing ic, roles = %v, want performer", r)
	}
	wantKind(t, "RemoveMember of a role not held", s.RemoveMember(ctx, pat.Actor(), p.ID, ann.ID, auth.IC), closedset.NotFound)
	if _, err := s.AddMember(ctx, pat.Actor(), p.ID, ann.ID, auth.Legal); err != nil {
		t.Fatal(err)
	}
	if err := s.RemoveMember(ctx, pat.Actor(), p.ID, ann.ID, ""); err != nil {
		t.Fatal(err)
	}
	if r, _ := s.Roles(ctx, p.ID, ann.ID); r != 0 {
		t.Fatalf("after removing every role, roles = %v, want none", r)
	}
	wantKind(t, "RemoveMember of a stranger", s.RemoveMember(ctx, pat.Actor(), p.ID, stranger.ID, ""), closedset.NotFound)
	wantKind(t, "RemoveMember with an unknown role", s.RemoveMember(ctx, pat.Actor(), p.ID, pat.ID, "gaffer"), closedset.Invalid)
	if ms, _ := s.ProductionsOf(ctx, ann.ID); len(ms) != 0 {
		t.Fatalf("ProductionsOf a removed member = %+v, want none", ms)
	}
}

// testPolicies: a production's tightened policy is appended, the latest in
// force; setting the same again records nothing.
func testPolicies(t *testing.T, open Opener) {
	ctx := context.Background()
	s := open(t)
	pat := addUser(t, s, "pat@example.com", "Pat")
	p := addProduction(t, s, pat, "Night Ferry")
	if _, ok, err := s.PolicyOf(ctx, p.ID); err != nil || ok {
		t.Fatalf("a new production's policy: ok %v, err %v; want none", ok, err)
	}
	for _, c := range []string{`{"notice_hours":72}`, `{"notice_hours":96}`, `{"notice_hours":96}`} {
		if err := s.SetPolicy(ctx, pat.Actor(), p.ID, []byte(c)); err != nil {
			t.Fatal(err)
		}
	}
	got, ok, err := s.PolicyOf(ctx, p.ID)
	if err != nil || !ok || string(got) != `{"notice_hours":96}` {
		t.Fatalf("PolicyOf = %q %v %v, want the latest", got, ok, err)
	}
	n := 0
	for _, e := range events(t, s) {
		if e.Action == "policy.set" {
			n++
		}
	}
	if n != 2 {
		t.Errorf("%d policy.set events, want 2 (the repeat records none)", n)
	}
	wantKind(t, "SetPolicy of a missing production", s.SetPolicy(ctx, pat.Actor(), 9999, []byte(`{}`)), closedset.NotFound)
	wantKind(t, "an empty policy", s.SetPolicy(ctx, pat.Actor(), p.ID, nil), closedset.Invalid)
	_, _, err = s.PolicyOf(ctx, 9999)
	wantKind(t, "PolicyOf a missing production", err, closedset.NotFound)
}
