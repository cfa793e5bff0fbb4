package storetest

import (
	"closedset"
	"context"
	"testing"

	"closedset/ops"
	"closedset/production"
	"closedset/seal"
	"closedset/shoot"
)

// testShootRecord: takes are numbered per scene and carry their
// performers, check-ins and deviations; a pause holds the scene until a
// resume ends it, and resuming an unpaused scene records nothing; a
// performer outside the take's action cannot check in; debriefs keep
// their notes sealed; report versions number on.
func testShootRecord(t *testing.T, open Opener) {
	ctx := context.Background()
	s := open(t)
	l := newLedger(t, s)
	plan := putPlan(t, s, l.ic, l.bathroom, "bath")
	t1, err := s.LogTake(ctx, l.ic.Actor(), l.bathroom.ID, []int64{l.noraP.ID, l.juneP.ID}, plan.Hash)
	if err != nil {
		t.Fatal(err)
	}
	t2, err := s.LogTake(ctx, l.ic.Actor(), l.bathroom.ID, []int64{l.noraP.ID}, plan.Hash)
	if err != nil {
		t.Fatal(err)
	}
	if t1.Number != 1 || t2.Number != 2 {
		t.Fatalf("takes numbered %d, %d", t1.Number, t2.Number)
	}
	if _, err := s.CheckIn(ctx, l.nora.Actor(), shoot.CheckIn{TakeID: t1.ID, PerformerID: l.noraP.ID, Answer: shoot.AnswerYes}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CheckIn(ctx, l.ic.Actor(), shoot.CheckIn{TakeID: t1.ID, PerformerID: l.juneP.ID, Answer: shoot.AnswerYes, OnBehalf: true}); err != nil {
		t.Fatal(err)
	}
	_, err = s.CheckIn(ctx, l.ic.Actor(), shoot.CheckIn{TakeID: t1.ID, PerformerID: l.theoP.ID, Answer: shoot.AnswerYes, OnBehalf: true})
	wantKind(t, "a check-in of a performer outside the action", err, closedset.Invalid)
	_, err = s.CheckIn(ctx, l.ic.Actor(), shoot.CheckIn{TakeID: t1.ID, PerformerID: l.noraP.ID, Answer: "maybe"})
	wantKind(t, "an unknown answer", err, closedset.Invalid)
	if _, err := s.AddDeviation(ctx, l.ic.Actor(), shoot.Deviation{TakeID: t1.ID, Text: "kiss held longer", AgreedBy: []int64{l.noraP.ID}, Incident: true}); err != nil {
		t.Fatal(err)
	}
	got, err := s.Take(ctx, t1.ID)
	if err != nil {
		t.Fatal(err)
	}
	if st, _ := got.State(); st != shoot.Rolled || len(got.Deviations) != 1 || !got.Deviations[0].Incident || got.Deviations[0].AgreedBy[0] != l.noraP.ID || !got.CheckIns[1].OnBehalf {
		t.Fatalf("take 1 read back as %+v (state %s)", got, st)
	}

	// A pause holds the scene until a resume; a second resume records nothing.
	if _, err := s.PauseScene(ctx, l.nora.Actor(), t2.ID, l.noraP.ID); err != nil {
		t.Fatal(err)
	}
	open1 := func() []shoot.Pause {
		t.Helper()
		ps, err := s.Pauses(ctx, l.bathroom.ID)
		if err != nil {
			t.Fatal(err)
		}
		return ps
	}
	if ps := open1(); len(ps) != 1 || !ps[0].Open() || ps[0].PerformerID != l.noraP.ID || ps[0].TakeID != t2.ID {
		t.Fatalf("pauses %+v", ps)
	}
	if n, err := s.ResumeScene(ctx, l.ic.Actor(), l.bathroom.ID); err != nil || n != 1 {
		t.Fatalf("ResumeScene = %d, %v", n, err)
	}
	if ps := open1(); ps[0].Open() || ps[0].ResumedBy != l.ic.ID {
		t.Fatalf("after the resume: %+v", ps)
	}
	before := len(events(t, s))
	if n, err := s.ResumeScene(ctx, l.ic.Actor(), l.bathroom.ID); err != nil || n != 0 || len(events(t, s)) != before {
		t.Fatalf("resuming an unpaused scene: %d, %v, %d events after %d", n, err, len(events(t, s)), before)
	}

	// Closure: step-outs, a sealed debrief, a crew debrief.
	if _, err := s.StepOut(ctx, l.ic.Actor(), l.bathroom.ID, l.noraP.ID); err != nil {
		t.Fatal(err)
	}
	key, err := seal.NewKey()
	if err != nil {
		t.Fatal(err)
	}
	sealed, err := seal.Seal(key, []byte("felt fine"), ops.DebriefAAD(l.bathroom.ID, l.noraP.ID))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddDebrief(ctx, l.ic.Actor(), shoot.Debrief{SceneID: l.bathroom.ID, PerformerID: l.noraP.ID, Sealed: sealed, FollowUpOffered: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddDebrief(ctx, l.ic.Actor(), shoot.Debrief{SceneID: l.bathroom.ID, PerformerID: l.juneP.ID}); err != nil {
		t.Fatal(err)
	}
	ds, err := s.Debriefs(ctx, l.bathroom.ID)
	if err != nil || len(ds) != 2 || string(ds[0].Sealed) != string(sealed) || !ds[0].FollowUpOffered || ds[1].Sealed != nil {
		t.Fatalf("Debriefs = %+v, %v", ds, err)
	}
	if _, err := s.AddCrewDebrief(ctx, l.ic.Actor(), shoot.CrewDebrief{SceneID: l.bathroom.ID, HeldBy: "Ida IC", HeldAt: t0, Notes: "all well"}); err != nil {
		t.Fatal(err)
	}
	if cd, err := s.CrewDebriefs(ctx, l.bathroom.ID); err != nil || len(cd) != 1 || !cd[0].HeldAt.Equal(t0) {
		t.Fatalf("CrewDebriefs = %+v, %v", cd, err)
	}

	// Reports: versions number on, for a shoot day of the production
	// only (no foreign key holds the table to shoot_days: the write
	// checks).
	day, err := s.CreateShootDay(ctx, l.ic.Actor(), l.p.ID, production.Date{Year: 2026, Month: 3, Day: 3}, []int64{l.bathroom.ID})
	if err != nil {
		t.Fatal(err)
	}
	other := addProduction(t, s, l.ic, "Other")
	n := len(events(t, s))
	_, err = s.SignDayReport(ctx, l.ic.Actor(), l.p.ID, day.ID+1000, []byte(`{"v":1}`), "h0")
	wantKind(t, "a report of no shoot day", err, closedset.NotFound)
	_, err = s.SignDayReport(ctx, l.ic.Actor(), other.ID, day.ID, []byte(`{"v":1}`), "h0")
	wantKind(t, "a report of another production's day", err, closedset.NotFound)
	if len(events(t, s)) != n {
		t.Fatalf("refused reports wrote %d events", len(events(t, s))-n)
	}
	for v := 1; v <= 2; v++ {
		sr, err := s.SignDayReport(ctx, l.ic.Actor(), l.p.ID, day.ID, []byte(`{"v":1}`), "h"+string(rune('0'+v)))
		if err != nil || sr.Version != v {
			t.Fatalf("SignDayReport = %+v, %v", sr, err)
		}
	}
	if rs, err := s.DayReports(ctx, day.ID); err != nil || len(rs) != 2 || rs[1].Version != 2 || rs[1].SignerName != l.ic.Name {
		t.Fatalf("DayReports = %+v, %v", rs, err)
	}
	_, err = s.Take(ctx, 999999)
	wantKind(t, "a missing take", err, closedset.NotFound)
	verify(t, s)
}

// populateShoot adds a shoot day's record to the backup fixture: a
// rehearsal, a take with check-ins, a deviation, a pause and its resume,
// a step-out, debriefs and a signed report.
func populateShoot(t testing.TB, s ops.Store, fx fixture) {
	t.Helper()
	ctx := context.Background()
	ida := fx.users[1]
	nora := fx.ledger.performers[0]
	scene := fx.ledger.scenes[1]
	plan, err := s.Plan(ctx, scene)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddRehearsal(ctx, ida.Actor(), shoot.Rehearsal{SceneID: scene, Performers: []int64{nora.ID},
		Others: []shoot.Person{{Name: "Dee Director", Role: "director"}}, Walked: "beats 1-3", Changes: "beat 2 slower"}); err != nil {
		t.Fatal(err)
	}
	tk, err := s.LogTake(ctx, ida.Actor(), scene, []int64{nora.ID}, plan.Hash)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range []shoot.Answer{shoot.AnswerYes, shoot.AnswerPause} {
		if _, err := s.CheckIn(ctx, ida.Actor(), shoot.CheckIn{TakeID: tk.ID, PerformerID: nora.ID, Answer: a}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.PauseScene(ctx, ida.Actor(), tk.ID, nora.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ResumeScene(ctx, ida.Actor(), scene); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddDeviation(ctx, ida.Actor(), shoot.Deviation{TakeID: tk.ID, Text: "held longer", AgreedBy: []int64{nora.ID}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.StepOut(ctx, ida.Actor(), scene, nora.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddDebrief(ctx, ida.Actor(), shoot.Debrief{SceneID: scene, PerformerID: nora.ID, Sealed: []byte("sealed-bytes"), FollowUpOffered: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddCrewDebrief(ctx, ida.Actor(), shoot.CrewDebrief{SceneID: scene, HeldBy: "Ida", HeldAt: t0, Notes: "crew fine"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SignDayReport(ctx, ida.Actor(), fx.p.ID, fx.ledger.day, []byte(`{"date":"2026-03-03"}`), "hash1"); err != nil {
		t.Fatal(err)
	}
}

func dumpShoot(t testing.TB, s ops.Store, fx fixture, check func(string, any, error)) {
	t.Helper()
	ctx := context.Background()
	for _, id := range fx.ledger.scenes {
		r, err := s.Rehearsals(ctx, id)
		check("rehearsals", r, err)
		tk, err := s.Takes(ctx, id)
		check("takes", tk, err)
		p, err := s.Pauses(ctx, id)
		check("pauses", p, err)
		so, err := s.StepOuts(ctx, id)
		check("step-outs", so, err)
		d, err := s.Debriefs(ctx, id)
		check("debriefs", d, err)
		c, err := s.CrewDebriefs(ctx, id)
		check("crew debriefs", c, err)
	}
	rs, err := s.DayReports(ctx, fx.ledger.day)
	check("day reports", rs, err)
}
