package storetest

import (
	"bytes"
	"closedset"
	"context"
	"testing"

	"closedset/breakdown"
	"closedset/production"
	"closedset/screenplay"
)

// harborRevised is harbor with one more scene at its end: a second draft.
func harborRevised(t testing.TB) Harbor {
	t.Helper()
	h := LoadHarbor(t)
	data := append(bytes.Clone(h.Data), "\n\nINT. LIGHTHOUSE - NIGHT #99#\n\nNora kisses Theo, long and slow. She pulls off his shirt.\n"...)
	d, err := production.ReadDraft(context.Background(), "harbor-blue.fountain", data, screenplay.Options{}, breakdown.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return Harbor{Data: data, Draft: d}
}

func testRevisions(t *testing.T, open Opener) {
	ctx := context.Background()
	s := open(t)
	h := LoadHarbor(t)
	u := addUser(t, s, "pat@example.com", "Pat")
	p := addProduction(t, s, u, "Harbor Lights")

	r1, err := s.AddRevision(ctx, u.Actor(), NewRevision(h, p.ID, 0))
	if err != nil {
		t.Fatal(err)
	}
	flagged := 0
	for _, sc := range h.Draft.Scenes {
		if sc.NeedsIC {
			flagged++
		}
	}
	if r1.Seq != 1 || r1.ScriptID == 0 || r1.ProductionID != p.ID || r1.SceneCount != len(h.Draft.Scenes) ||
		r1.FlaggedCount != flagged || r1.Size != int64(len(h.Data)) || r1.SHA256 != h.Draft.SHA256 ||
		r1.UploadedBy != u.ID || r1.Title != h.Draft.Title || r1.Filename != "harbor.fountain" || r1.Format != "fountain" {
		t.Fatalf("first revision = %+v", r1)
	}
	if flagged == 0 {
		t.Fatal("harbor has no flagged scene: the test data changed")
	}
	h2 := harborRevised(t)
	r2, err := s.AddRevision(ctx, u.Actor(), NewRevision(h2, p.ID, r1.ScriptID))
	if err != nil {
		t.Fatal(err)
	}
	if r2.Seq != 2 || r2.ScriptID != r1.ScriptID || r2.SceneCount != len(h2.Draft.Scenes) {
		t.Fatalf("second revision = %+v", r2)
	}
	other, err := s.AddRevision(ctx, u.Actor(), NewRevision(h, p.ID, 0))
	if err != nil {
		t.Fatal(err)
	}
	if other.Seq != 1 || other.ScriptID == r1.ScriptID {
		t.Fatalf("a new script's first revision = %+v", other)
	}

	got, err := s.Revision(ctx, r2.ID)
	if err != nil {
		t.Fatal(err)
	}
	mustJSONEqual(t, "Revision", got, r2)
	for _, tc := range []struct {
		id   int64
		want []byte
	}{{r1.ID, h.Data}, {r2.ID, h2.Data}} {
		b, err := s.RevisionFile(ctx, tc.id)
		if err != nil || !bytes.Equal(b, tc.want) {
			t.Fatalf("RevisionFile(%d) = %d bytes, %v; want the %d bytes uploaded", tc.id, len(b), err, len(tc.want))
		}
	}
	scripts, err := s.Scripts(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(scripts) != 2 || scripts[0].ID != r1.ScriptID || len(scripts[0].Revisions) != 2 || len(scripts[1].Revisions) != 1 ||
		scripts[0].Title != h.Draft.Title || scripts[0].ProductionID != p.ID {
		t.Fatalf("Scripts = %+v", scripts)
	}
	mustJSONEqual(t, "Scripts' revisions", scripts[0].Revisions, []production.Revision{r1, r2})

	q := addProduction(t, s, u, "Other Show")
	_, err = s.AddRevision(ctx, u.Actor(), NewRevision(h, q.ID, r1.ScriptID))
	wantKind(t, "AddRevision to another production's script", err, closedset.NotFound)
	bad := NewRevision(h, p.ID, 0)
	bad.SHA256 = h2.Draft.SHA256
	_, err = s.AddRevision(ctx, u.Actor(), bad)
	wantKind(t, "AddRevision with a wrong SHA-256", err, closedset.Invalid)
	empty := NewRevision(h, p.ID, 0)
	empty.Original, empty.SHA256 = nil, ""
	_, err = s.AddRevision(ctx, u.Actor(), empty)
	wantKind(t, "AddRevision of an empty file", err, closedset.Invalid)
	_, err = s.AddRevision(ctx, u.Actor(), NewRevision(h, 999, 0))
	wantKind(t, "AddRevision to a missing production", err, closedset.NotFound)
}

func testScenes(t *testing.T, open Opener) {
	ctx := context.Background()
	s := open(t)
	h := LoadHarbor(t)
	u := addUser(t, s, "pat@example.com", "Pat")
	p := addProduction(t, s, u, "Harbor Lights")
	r, err := s.AddRevision(ctx, u.Actor(), NewRevision(h, p.ID, 0))
	if err != nil {
		t.Fatal(err)
	}
	scenes, err := s.Scenes(ctx, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	sameScenes(t, scenes, h.Draft.Scenes)
	evidence, situations := 0, 0
	for _, sc := range scenes {
		if sc.RevisionID != r.ID || sc.ScriptID != r.ScriptID || sc.ProductionID != p.ID {
			t.Fatalf("scene %d belongs to %d/%d/%d, want revision %d of script %d of production %d",
				sc.Index, sc.RevisionID, sc.ScriptID, sc.ProductionID, r.ID, r.ScriptID, p.ID)
		}
		for _, f := range sc.Flags {
			evidence += len(f.Evidence)
			if f.Situation != "" {
				situations++
			}
			if f.Review != nil {
				t.Fatalf("flag %d has a review before any", f.ID)
			}
		}
	}
	if situations == 0 {
		t.Fatal("no flag kept its situation")
	}
	if evidence == 0 {
		t.Fatal("no flag kept its evidence")
	}
	one, err := s.Scene(ctx, scenes[2].ID)
	if err != nil {
		t.Fatal(err)
	}
	mustJSONEqual(t, "Scene", one, scenes[2])
}

func testCurrentScenes(t *testing.T, open Opener) {
	ctx := context.Background()
	s := open(t)
	h, h2 := LoadHarbor(t), harborRevised(t)
	u := addUser(t, s, "pat@example.com", "Pat")
	p := addProduction(t, s, u, "Harbor Lights")
	empty := addProduction(t, s, u, "Nothing Yet")
	if sc, err := s.CurrentScenes(ctx, empty.ID); err != nil || len(sc) != 0 {
		t.Fatalf("CurrentScenes of a production without scripts = %d scenes, %v", len(sc), err)
	}
	a1, err := s.AddRevision(ctx, u.Actor(), NewRevision(h, p.ID, 0))
	if err != nil {
		t.Fatal(err)
	}
	b1, err := s.AddRevision(ctx, u.Actor(), NewRevision(h, p.ID, 0))
	if err != nil {
		t.Fatal(err)
	}
	a2, err := s.AddRevision(ctx, u.Actor(), NewRevision(h2, p.ID, a1.ScriptID))
	if err != nil {
		t.Fatal(err)
	}
	cur, err := s.CurrentScenes(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	na := len(h2.Draft.Scenes)
	if len(cur) != na+len(h.Draft.Scenes) {
		t.Fatalf("CurrentScenes = %d scenes, want %d of script A's second draft and %d of script B", len(cur), na, len(h.Draft.Scenes))
	}
	for i, sc := range cur {
		want := a2.ID
		if i >= na {
			want = b1.ID
		}
		if sc.RevisionID != want {
			t.Fatalf("current scene %d is of revision %d, want %d", i, sc.RevisionID, want)
		}
	}
	sameScenes(t, cur[:na], h2.Draft.Scenes)
	sameScenes(t, cur[na:], h.Draft.Scenes)
}

func testReviews(t *testing.T, open Opener) {
	ctx := context.Background()
	s := open(t)
	h := LoadHarbor(t)
	pat := addUser(t, s, "pat@example.com", "Pat")
	ic := addUser(t, s, "ic@example.com", "Ida Coordinator")
	p := addProduction(t, s, pat, "Harbor Lights")
	if _, err := s.AddRevision(ctx, pat.Actor(), NewRevision(h, p.ID, 0)); err != nil {
		t.Fatal(err)
	}
	cur, err := s.CurrentScenes(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	var flag production.Flag
	for _, sc := range cur {
		if len(sc.Flags) > 0 {
			flag = sc.Flags[0]
			break
		}
	}
	f, err := s.ReviewFlag(ctx, ic.Actor(), flag.ID, production.Confirmed, "kiss on the harbor wall")
	if err != nil {
		t.Fatal(err)
	}
	if f.Review == nil || f.Review.Decision != production.Confirmed || f.Review.By != ic.ID || f.Review.ByName != "Ida Coordinator" || f.Review.At.IsZero() {
		t.Fatalf("ReviewFlag = %+v", f.Review)
	}
	f, err = s.ReviewFlag(ctx, pat.Actor(), flag.ID, production.Dismissed, "cut in the blue pages\nsee notes")
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.Flag(ctx, flag.ID)
	if err != nil {
		t.Fatal(err)
	}
	mustJSONEqual(t, "Flag", got, f)
	if got.Review.Decision != production.Dismissed || got.Review.By != pat.ID || got.Review.Note != "cut in the blue pages\nsee notes" {
		t.Fatalf("latest review = %+v, want Pat's dismissal", got.Review)
	}
	cur, _ = s.CurrentScenes(ctx, p.ID)
	for _, sc := range cur {
		for _, cf := range sc.Flags {
			if cf.ID == flag.ID {
				mustJSONEqual(t, "the flag in CurrentScenes", cf, got)
			} else if cf.Review != nil {
				t.Fatalf("flag %d has a review it was never given", cf.ID)
			}
		}
	}
	_, err = s.ReviewFlag(ctx, ic.Actor(), flag.ID, "maybe", "")
	wantKind(t, "ReviewFlag with an unknown decision", err, closedset.Invalid)
	_, err = s.ReviewFlag(ctx, ic.Actor(), 99999, production.Confirmed, "")
	wantKind(t, "ReviewFlag of a missing flag", err, closedset.NotFound)
}

func testNotFound(t *testing.T, open Opener) {
	ctx := context.Background()
	s := open(t)
	u := addUser(t, s, "pat@example.com", "Pat")
	p := addProduction(t, s, u, "Harbor Lights")
	for _, tc := range []struct {
		name string
		call func() error
	}{
		{"User", func() error { _, err := s.User(ctx, 999); return err }},
		{"Production", func() error { _, err := s.Production(ctx, 999); return err }},
		{"Members", func() error { _, err := s.Members(ctx, 999); return err }},
		{"Scripts", func() error { _, err := s.Scripts(ctx, 999); return err }},
		{"Revision", func() error { _, err := s.Revision(ctx, 999); return err }},
		{"RevisionFile", func() error { _, err := s.RevisionFile(ctx, 999); return err }},
		{"Scenes", func() error { _, err := s.Scenes(ctx, 999); return err }},
		{"CurrentScenes", func() error { _, err := s.CurrentScenes(ctx, 999); return err }},
		{"Scene", func() error { _, err := s.Scene(ctx, 999); return err }},
		{"Flag", func() error { _, err := s.Flag(ctx, 999); return err }},
		{"RemoveMember", func() error { return s.RemoveMember(ctx, u.Actor(), 999, u.ID, "") }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.call()
			wantKind(t, tc.name, err, closedset.NotFound)
			if !containsDigits(err.Error(), "999") {
				t.Fatalf("%s: message %q does not name the id", tc.name, err)
			}
		})
	}
	if _, err := s.Production(ctx, p.ID); err != nil {
		t.Fatal(err)
	}
}

func containsDigits(s, d string) bool { return bytes.Contains([]byte(s), []byte(d)) }

// testCarriedReviews: a review carried to the next draft is a copy of the
// latest one, naming the draft it was made on; carrying from another
// script, or to a category the scene lacks, is refused and writes nothing.
func testCarriedReviews(t *testing.T, open Opener) {
	ctx := context.Background()
	s := open(t)
	h := LoadHarbor(t)
	ic := addUser(t, s, "ic@example.com", "Ida Coordinator")
	p := addProduction(t, s, ic, "Harbor Lights")
	rev1, err := s.AddRevision(ctx, ic.Actor(), NewRevision(h, p.ID, 0))
	if err != nil {
		t.Fatal(err)
	}
	old, err := s.Scenes(ctx, rev1.ID)
	if err != nil {
		t.Fatal(err)
	}
	pos, flag := -1, production.Flag{}
	for i, sc := range old {
		if len(sc.Flags) > 0 {
			pos, flag = i, sc.Flags[0]
			break
		}
	}
	if pos < 0 {
		t.Fatal("harbor has no flagged scene")
	}
	if _, err := s.ReviewFlag(ctx, ic.Actor(), flag.ID, production.Confirmed, "agreed with the director"); err != nil {
		t.Fatal(err)
	}
	other, err := s.AddRevision(ctx, ic.Actor(), NewRevision(h, p.ID, 0)) // a second script
	if err != nil {
		t.Fatal(err)
	}
	before := len(events(t, s))

	bad := []production.Carry{
		{Scene: pos, Category: "no_such_category", From: flag.ID},
		{Scene: len(h.Draft.Scenes) + 5, Category: string(flag.Category), From: flag.ID},
	}
	for _, c := range bad {
		nr := NewRevision(h, p.ID, rev1.ScriptID)
		nr.Carry = []production.Carry{c}
		_, err := s.AddRevision(ctx, ic.Actor(), nr)
		wantKind(t, "a carry to a flag the scene lacks", err, closedset.Invalid)
	}
	nr := NewRevision(h, p.ID, other.ScriptID)
	nr.Carry = []production.Carry{{Scene: pos, Category: string(flag.Category), From: flag.ID}}
	_, err = s.AddRevision(ctx, ic.Actor(), nr)
	wantKind(t, "a carry from another script", err, closedset.Invalid)
	if n := len(events(t, s)); n != before {
		t.Fatalf("refused carries wrote %d events", n-before)
	}

	nr = NewRevision(h, p.ID, rev1.ScriptID)
	nr.Carry = []production.Carry{{Scene: pos, Category: string(flag.Category), From: flag.ID}}
	rev2, err := s.AddRevision(ctx, ic.Actor(), nr)
	if err != nil {
		t.Fatal(err)
	}
	// Carried again to a third draft, it still names the first.
	cur, _ := s.Scenes(ctx, rev2.ID)
	nr.Carry = []production.Carry{{Scene: pos, Category: string(flag.Category), From: cur[pos].Flags[0].ID}}
	rev3, err := s.AddRevision(ctx, ic.Actor(), nr)
	if err != nil {
		t.Fatal(err)
	}
	for _, rev := range []production.Revision{rev2, rev3} {
		scenes, err := s.Scenes(ctx, rev.ID)
		if err != nil {
			t.Fatal(err)
		}
		for i, sc := range scenes {
			for _, f := range sc.Flags {
				carried := i == pos && f.Category == flag.Category
				switch {
				case carried && (f.Review == nil || f.Review.Decision != production.Confirmed || f.Review.By != ic.ID ||
					f.Review.Note != "agreed with the director" || f.Review.CarriedFrom != 1):
					t.Errorf("revision %d scene %d %s: review %+v, want Ida's confirmation carried from revision 1", rev.Seq, sc.Index, f.Category, f.Review)
				case !carried && f.Review != nil:
					t.Errorf("revision %d scene %d %s: review %+v it was never given", rev.Seq, sc.Index, f.Category, f.Review)
				}
			}
		}
	}
	if f, _ := s.Flag(ctx, flag.ID); f.Review == nil || f.Review.CarriedFrom != 0 {
		t.Errorf("the original review = %+v, want CarriedFrom 0", f.Review)
	}
	verify(t, s)
}

// testCurrentScenesFresh: the scene list reflects a write at
// once however often it was read before, and what one caller does to its
// copy does not reach the next.
func testCurrentScenesFresh(t *testing.T, open Opener) {
	ctx := context.Background()
	s := open(t)
	h := LoadHarbor(t)
	ic := addUser(t, s, "ic@example.com", "Ida Coordinator")
	p := addProduction(t, s, ic, "Harbor Lights")
	if _, err := s.AddRevision(ctx, ic.Actor(), NewRevision(h, p.ID, 0)); err != nil {
		t.Fatal(err)
	}
	first, err := s.CurrentScenes(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	var flagged int
	for i, sc := range first {
		if len(sc.Flags) > 0 {
			flagged = i
			break
		}
	}
	want := first[flagged].Heading
	first[flagged].Heading = "SCRIBBLED ON"
	first[flagged].Flags[0].Review = &production.Review{Decision: production.Confirmed}
	first[flagged].Flags = nil
	again, err := s.CurrentScenes(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if again[flagged].Heading != want || len(again[flagged].Flags) == 0 || again[flagged].Flags[0].Review != nil {
		t.Fatalf("a caller's changes reached the next reader: %+v", again[flagged])
	}
	if _, err := s.ReviewFlag(ctx, ic.Actor(), again[flagged].Flags[0].ID, production.Dismissed, ""); err != nil {
		t.Fatal(err)
	}
	after, err := s.CurrentScenes(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if r := after[flagged].Flags[0].Review; r == nil || r.Decision != production.Dismissed {
		t.Fatalf("the review is not in the scene list read after it: %+v", r)
	}
	if _, err := s.CurrentScenes(ctx, 99999); !closedset.Is(err, closedset.NotFound) {
		t.Fatalf("scenes of a missing production: %v", err)
	}
}
