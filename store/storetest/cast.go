package storetest

import (
	"closedset"
	"context"
	"slices"
	"testing"

	"closedset/production"
)

// testCastChoicesOverTheScript: the IC's choices put a performer into a
// scene no character of theirs is present in, or take one out, the latest
// choice winning; choosing what holds records nothing.
func testCastChoicesOverTheScript(t *testing.T, open Opener) {
	ctx := context.Background()
	s := open(t)
	l := newLedger(t, s)
	ids := func() []int64 {
		t.Helper()
		cast, err := s.ScenePerformers(ctx, l.bathroom.ID)
		if err != nil {
			t.Fatal(err)
		}
		var out []int64
		for _, p := range cast {
			out = append(out, p.ID)
		}
		slices.Sort(out)
		return out
	}
	before := ids()
	if slices.Contains(before, l.theoP.ID) || !slices.Contains(before, l.juneP.ID) {
		t.Fatalf("the bathroom's cast before any choice: %v; want June and not Theo", before)
	}
	if err := s.CastScene(ctx, l.ic.Actor(), l.bathroom.ID, l.theoP.ID, true); err != nil {
		t.Fatal(err)
	}
	if err := s.CastScene(ctx, l.ic.Actor(), l.bathroom.ID, l.juneP.ID, false); err != nil {
		t.Fatal(err)
	}
	after := ids()
	if !slices.Contains(after, l.theoP.ID) || slices.Contains(after, l.juneP.ID) {
		t.Fatalf("after the choices the cast is %v; want Theo in and June out", after)
	}
	n := len(events(t, s))
	if err := s.CastScene(ctx, l.ic.Actor(), l.bathroom.ID, l.theoP.ID, true); err != nil {
		t.Fatal(err)
	}
	if len(events(t, s)) != n {
		t.Error("choosing what already holds recorded an event")
	}
	choices, err := s.SceneCast(ctx, l.bathroom.ID)
	if err != nil || len(choices) != 2 || !choices[l.theoP.ID] || choices[l.juneP.ID] {
		t.Fatalf("SceneCast = %v, %v", choices, err)
	}
	// June back in: the latest choice wins.
	if err := s.CastScene(ctx, l.ic.Actor(), l.bathroom.ID, l.juneP.ID, true); err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(ids(), l.juneP.ID) {
		t.Error("June put back in is not in the cast")
	}
	// A performer of another production is not found.
	other := addProduction(t, s, l.ic, "Other")
	stranger := addPerformer(t, s, l.ic, production.NewPerformer{ProductionID: other.ID, Name: "Elsewhere", DateOfBirth: date("1980-01-01"), Characters: []string{"X"}})
	wantKind(t, "casting another production's performer", s.CastScene(ctx, l.ic.Actor(), l.bathroom.ID, stranger.ID, true), closedset.Invalid)
	verify(t, s)
}
