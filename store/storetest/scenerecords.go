package storetest

import (
	"closedset"
	"context"
	"testing"
	"time"

	"closedset/auth"
	"closedset/ops"
	"closedset/production"
)

// testSceneRecordsAreTheSingleReads gives a scene of a second draft every
// kind of record readiness reads, some on the draft it was carried from,
// and checks that SceneRecords reads each as the single read does.
func testSceneRecordsAreTheSingleReads(t *testing.T, open Opener) {
	ctx := context.Background()
	s := open(t)
	l := newLedger(t, s)
	putPlan(t, s, l.ic, l.bathroom, "bath")
	if err := s.SetCallTime(ctx, l.ic.Actor(), l.bathroom.ID, t0.Add(72*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := s.NameGuardian(ctx, l.ic.Actor(), l.bathroom.ID, l.juneP.ID, "Mary Guardian"); err != nil {
		t.Fatal(err)
	}
	if err := s.NameStudioTeacher(ctx, l.ic.Actor(), l.bathroom.ID, "Sam Teacher"); err != nil {
		t.Fatal(err)
	}
	for _, b := range []string{"sealed one", "sealed two"} {
		if _, err := s.PutBoundaries(ctx, l.ic.Actor(), l.noraP.ID, []byte(b)); err != nil {
			t.Fatal(err)
		}
	}
	sign(t, s, l.nora, issue(t, s, l.ic, riderFor(t, s, l.noraP, l.bathroom)))
	issue(t, s, l.ic, riderFor(t, s, l.juneP, l.bathroom))
	issue(t, s, l.ic, riderFor(t, s, l.noraP, l.bathroom))
	if _, err := s.CreateRequest(ctx, l.ic.Actor(), l.p.ID, production.NewRequest{SceneID: l.bathroom.ID, Department: auth.Costume,
		Text: "two nude thongs, size S", Due: t0.Add(24 * time.Hour), PerformerID: l.noraP.ID}); err != nil {
		t.Fatal(err)
	}
	putClosedSet(t, s, l.ic, l.bathroom.ID, "Cy Robe")

	rev2, err := s.AddRevision(ctx, l.ic.Actor(), NewRevision(harborRevised(t), l.p.ID, l.rev.ScriptID))
	if err != nil {
		t.Fatal(err)
	}
	scenes2, err := s.Scenes(ctx, rev2.ID)
	if err != nil {
		t.Fatal(err)
	}
	next := scenes2[9]
	if _, err := s.CarryPlan(ctx, l.ic.Actor(), l.bathroom.ID, next.ID); err != nil {
		t.Fatal(err)
	}
	if err := s.SetCallTime(ctx, l.ic.Actor(), next.ID, t0.Add(96*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateRequest(ctx, l.ic.Actor(), l.p.ID, production.NewRequest{SceneID: next.ID, Department: auth.Props,
		Text: "barrier cushion", Due: t0.Add(12 * time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if err := s.CastScene(ctx, l.ic.Actor(), next.ID, l.theoP.ID, true); err != nil {
		t.Fatal(err)
	}

	for _, sc := range []production.Scene{next, l.bathroom, l.gallery, scenes2[0]} {
		got, err := s.SceneRecords(ctx, sc.ID)
		if err != nil {
			t.Fatalf("SceneRecords(%d): %v", sc.ID, err)
		}
		want := singleReads(t, s, sc.ID)
		mustJSONEqual(t, "SceneRecords of scene "+sc.Number, got, want)
	}
	if len(mustRecords(t, s, next.ID).Riders) != 3 {
		t.Error("the carried scene's records lack the riders of its cast")
	}
	_, err = s.SceneRecords(ctx, 999999)
	wantKind(t, "SceneRecords of a missing scene", err, closedset.NotFound)
}

func mustRecords(t *testing.T, s ops.Store, sceneID int64) ops.SceneRecords {
	t.Helper()
	r, err := s.SceneRecords(context.Background(), sceneID)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// singleReads are a scene's records read one by one.
func singleReads(t *testing.T, s ops.Store, sceneID int64) ops.SceneRecords {
	t.Helper()
	ctx := context.Background()
	var r ops.SceneRecords
	var err error
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	r.Lineage, err = s.SceneLineage(ctx, sceneID)
	must(err)
	if at, ok, err := s.CallTime(ctx, sceneID); err != nil {
		t.Fatal(err)
	} else if ok {
		r.CallTime = &at
	}
	if pv, err := s.Plan(ctx, sceneID); err == nil {
		r.Plan = &pv
	} else if !closedset.Is(err, closedset.NotFound) {
		t.Fatal(err)
	}
	r.Cast, err = s.ScenePerformers(ctx, sceneID)
	must(err)
	for _, p := range r.Cast {
		riders, err := s.RidersOf(ctx, p.ID)
		must(err)
		r.Riders = append(r.Riders, riders...)
		if sealed, version, err := s.Boundaries(ctx, p.ID); err == nil {
			if r.Boundaries == nil {
				r.Boundaries = map[int64]ops.SealedBoundaries{}
			}
			r.Boundaries[p.ID] = ops.SealedBoundaries{Sealed: sealed, Version: version}
		} else if !closedset.Is(err, closedset.NotFound) {
			t.Fatal(err)
		}
	}
	if len(r.Cast) > 0 && r.Boundaries == nil {
		r.Boundaries = map[int64]ops.SealedBoundaries{}
	}
	r.Consents, err = s.Consents(ctx, sceneID)
	must(err)
	r.Safeguards, err = s.SceneSafeguards(ctx, sceneID)
	must(err)
	r.Requests, err = s.SceneRequests(ctx, sceneID)
	must(err)
	if cs, err := s.ClosedSet(ctx, sceneID); err == nil {
		r.ClosedSet = &cs
	} else if !closedset.Is(err, closedset.NotFound) {
		t.Fatal(err)
	}
	r.Pauses, err = s.Pauses(ctx, sceneID)
	must(err)
	return r
}
