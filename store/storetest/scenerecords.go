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

	scenes := []production.Scene{next, l.bathroom, l.gallery, scenes2[0]}
	var wants []ops.SceneRecords
	var ids []int64
	for _, sc := range scenes {
		want := singleReads(t, s, sc.ID)
		mustJSONEqual(t, "SceneRecords of scene "+sc.Number, mustRecords(t, s, sc.ID), want)
		wants, ids = append(wants, want), append(ids, sc.ID)
	}
	// All at once, as a day board reads them, a scene and the one it was
	// carried from side by side and one asked twice: each as alone.
	ids, wants = append(ids, next.ID), append(wants, wants[0])
	all, err := s.SceneRecords(ctx, ids)
	if err != nil {
		t.Fatal(err)
	}
	mustJSONEqual(t, "SceneRecords of the scenes together", all, wants)
	if len(mustRecords(t, s, next.ID).Riders) != 3 {
		t.Error("the carried scene's records lack the riders of its cast")
	}
	_, err = s.SceneRecords(ctx, []int64{next.ID, 999999})
	wantKind(t, "SceneRecords with a missing scene", err, closedset.NotFound)

	// What a reader does to the records it got is its own; a write is
	// seen by the next read, whatever was read before.
	got := mustRecords(t, s, next.ID)
	got.Lineage[0], got.Cast[0].Name, got.Riders = 0, "changed", nil
	*got.CallTime = time.Time{}
	got.Plan.Version = 99
	mustJSONEqual(t, "SceneRecords after its reader changed them", mustRecords(t, s, next.ID), wants[0])
	if err := s.SetCallTime(ctx, l.ic.Actor(), next.ID, t0.Add(120*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := s.NameStudioTeacher(ctx, l.ic.Actor(), l.bathroom.ID, "Val Teacher"); err != nil {
		t.Fatal(err)
	}
	for _, id := range []int64{next.ID, l.bathroom.ID} {
		mustJSONEqual(t, "SceneRecords after a write", mustRecords(t, s, id), singleReads(t, s, id))
	}
	if r := mustRecords(t, s, next.ID); !r.CallTime.Equal(t0.Add(120*time.Hour)) || r.Safeguards.StudioTeacher != "Val Teacher" {
		t.Errorf("after the writes, SceneRecords read call time %v and teacher %q", r.CallTime, r.Safeguards.StudioTeacher)
	}
}

func mustRecords(t *testing.T, s ops.Store, sceneID int64) ops.SceneRecords {
	t.Helper()
	r, err := s.SceneRecords(context.Background(), []int64{sceneID})
	if err != nil {
		t.Fatal(err)
	}
	if len(r) != 1 {
		t.Fatalf("SceneRecords of one scene gave %d", len(r))
	}
	return r[0]
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

// testProductionRecordsAreTheSingleReads checks that ProductionRecords
// reads what the single reads do, before and after each kind of record
// is written.
func testProductionRecordsAreTheSingleReads(t *testing.T, open Opener) {
	ctx := context.Background()
	s := open(t)
	l := newLedger(t, s)
	check := func(when string) {
		t.Helper()
		got, err := s.ProductionRecords(ctx, l.p.ID)
		if err != nil {
			t.Fatalf("%s: ProductionRecords: %v", when, err)
		}
		mustJSONEqual(t, "ProductionRecords "+when, got, productionSingleReads(t, s, l.p.ID))
	}
	check("of a new production")
	if err := s.SetPolicy(ctx, l.ic.Actor(), l.p.ID, []byte(`{"name":"sag_aftra","notice_hours":72}`)); err != nil {
		t.Fatal(err)
	}
	check("with a policy set")
	if err := s.NameICOfRecord(ctx, l.ic.Actor(), l.p.ID, l.ic.ID); err != nil {
		t.Fatal(err)
	}
	check("with an IC of record")
	got, err := s.ProductionRecords(ctx, l.p.ID)
	if err != nil {
		t.Fatal(err)
	}
	got.Lead.User.Name, got.Policy[0] = "changed", 'x'
	check("after its reader changed them")
	if _, err := s.PutICProfile(ctx, l.ic.Actor(), l.ic.ID, []byte(`{"trainings":[]}`)); err != nil {
		t.Fatal(err)
	}
	check("with the IC's profile")
	if _, err := s.CreateShootDay(ctx, l.ic.Actor(), l.p.ID, production.Date{Year: 2099, Month: 1, Day: 2}, nil); err != nil {
		t.Fatal(err)
	}
	check("with a shoot day worked")
	if r, err := s.ProductionRecords(ctx, l.p.ID); err != nil || r.Lead == nil || len(r.Lead.WorkedDays) != 1 || r.Lead.Profile == nil {
		t.Fatalf("ProductionRecords = %+v, %v; want the IC's profile and day", r, err)
	}
	_, err = s.ProductionRecords(ctx, 999999)
	wantKind(t, "ProductionRecords of a missing production", err, closedset.NotFound)
}

// productionSingleReads are a production's records read one by one.
func productionSingleReads(t *testing.T, s ops.Store, productionID int64) ops.ProductionRecords {
	t.Helper()
	ctx := context.Background()
	var r ops.ProductionRecords
	var err error
	if r.Production, err = s.Production(ctx, productionID); err != nil {
		t.Fatal(err)
	}
	if content, ok, err := s.PolicyOf(ctx, productionID); err != nil {
		t.Fatal(err)
	} else if ok {
		r.Policy = content
	}
	uid, ok, err := s.ICOfRecord(ctx, productionID)
	if err != nil {
		t.Fatal(err)
	}
	if !ok {
		return r
	}
	l := &ops.LeadRecords{}
	if l.User, err = s.User(ctx, uid); err != nil {
		t.Fatal(err)
	}
	if l.Profile, _, err = s.ICProfile(ctx, uid); err != nil && !closedset.Is(err, closedset.NotFound) {
		t.Fatal(err)
	}
	if l.SignOffs, err = s.SignOffs(ctx, uid); err != nil {
		t.Fatal(err)
	}
	if l.WorkedDays, err = s.WorkedDays(ctx, uid); err != nil {
		t.Fatal(err)
	}
	r.Lead = l
	return r
}
