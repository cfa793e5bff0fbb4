package ops_test

import (
	"closedset"
	"context"
	"strings"
	"testing"
	"time"

	"closedset/audit"
	"closedset/auth"
	"closedset/consent"
	"closedset/ops"
	"closedset/production"
	"closedset/shoot"
)

// onSet is the fixture with Mara's own account, her consent to the
// scene's plan signed three days before a call a week away: the scene is
// ready to shoot.
type onSet struct {
	fixture
	me       ops.Caller // Mara, on her own phone
	producer ops.Caller
}

func newOnSet(t *testing.T, st ops.Store) onSet {
	t.Helper()
	ctx := context.Background()
	f := onSet{fixture: newFixture(t, st)}
	u, err := st.CreateUser(ctx, audit.System, auth.NewUser{Email: "mara@example.org", Name: "Mara Actor", PasswordHash: "$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$a2V5"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.o.EditPerformer(ctx, f.ic, f.mara.ID, production.NewPerformer{Name: f.mara.Name, Email: u.Email, DateOfBirth: f.mara.DateOfBirth, Characters: f.mara.Characters}); err != nil {
		t.Fatal(err)
	}
	f.me = ops.Caller{User: u, ProductionID: f.ic.ProductionID, Roles: auth.RolesOf(auth.Performer)}
	f.producer = ops.Caller{User: f.ic.User, ProductionID: f.ic.ProductionID, Roles: auth.RolesOf(auth.Producer)}
	ad := ops.Caller{User: f.ic.User, ProductionID: f.ic.ProductionID, Roles: auth.RolesOf(auth.AD)}
	if err := f.o.SetCallTime(ctx, ad, f.scene.ID, time.Now().Add(7*24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if _, err := f.o.PutBoundaries(ctx, f.ic, f.mara.ID, consent.Boundaries{Notes: "CANARY-boundary-41d2"}); err != nil {
		t.Fatal(err)
	}
	f.sign(t)
	f.certifyICOfRecord(t)
	// The shoot day's gates: a closed-set list approved by an IC and an AD.
	cs, err := f.o.PutClosedSet(ctx, f.ic, f.scene.ID, production.ClosedSet{People: []production.ClosedSetPerson{{Name: "Ada Director", Role: "director", Where: "monitor"}}, RobePerson: "Cy Robe"})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []ops.Caller{f.ic, ad} {
		if _, err := f.o.ApproveClosedSet(ctx, c, f.scene.ID, cs.Version); err != nil {
			t.Fatal(err)
		}
	}
	f.ready(t, true)
	return f
}

// sign issues Mara a rider for the current plans and signs it as her.
func (f onSet) sign(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	r, _, err := f.o.IssueRider(ctx, f.ic, f.mara.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.o.SignRider(ctx, f.me, r.ID, f.mara.Name, true, "192.0.2.1", "test"); err != nil {
		t.Fatal(err)
	}
}

func (f onSet) ready(t *testing.T, want bool) consent.Result {
	t.Helper()
	res, err := f.o.Readiness(context.Background(), f.scene.ID)
	if err != nil {
		t.Fatal(err)
	}
	if res.Ready != want {
		t.Fatalf("ready = %v, want %v: %+v", res.Ready, want, res.Blockers)
	}
	return res
}

// TestTheShootDay walks a scene's day through the operations, on both
// backends: a take rolls on the performer's yes; her pause (in the
// production's pause word, through the IC) holds the scene, refusing the
// next take and any yes, until the IC resumes; a deviation she did not
// agree to is an incident; her stop withdraws her consent; her debrief's
// notes reach only her and the IC; the report counts it all and carries
// nothing private; signing it again unchanged adds no version.
func TestTheShootDay(t *testing.T) {
	backends(t, func(t *testing.T, st ops.Store) {
		ctx := context.Background()
		f := newOnSet(t, st)

		take1, err := f.o.LogTake(ctx, f.ic, f.scene.ID)
		if err != nil {
			t.Fatal(err)
		}
		if state, _ := take1.State(); take1.Number != 1 || state != shoot.Pending || len(take1.Performers) != 1 {
			t.Fatalf("take 1 = %+v, %s", take1, state)
		}
		_, err = f.o.LogTake(ctx, f.me, f.scene.ID)
		wantKind(t, "a performer logging a take", err, closedset.Forbidden)
		got, err := f.o.CheckIn(ctx, f.me, take1.ID, f.mara.ID, "yes")
		if err != nil {
			t.Fatal(err)
		}
		if state, _ := got.State(); state != shoot.Rolled || got.CheckIns[0].OnBehalf {
			t.Fatalf("after her yes, take 1 is %s (%+v)", state, got.CheckIns)
		}

		take2, err := f.o.LogTake(ctx, f.ic, f.scene.ID)
		if err != nil {
			t.Fatal(err)
		}
		_, err = f.o.CheckIn(ctx, f.producer, take2.ID, f.mara.ID, "yes")
		wantKind(t, "a producer checking in for her", err, closedset.Forbidden)
		if got, err = f.o.CheckIn(ctx, f.ic, take2.ID, f.mara.ID, "Time Out"); err != nil {
			t.Fatal(err)
		}
		if state, _ := got.State(); state != shoot.Paused || !got.CheckIns[0].OnBehalf || got.CheckIns[0].Answer != shoot.AnswerPause {
			t.Fatalf("after the pause word, take 2 is %s (%+v)", state, got.CheckIns)
		}
		res := f.ready(t, false)
		if len(res.Blockers) != 1 || res.Blockers[0].Gate != consent.GatePaused || !strings.Contains(res.Blockers[0].Detail, "Mara Actor") {
			t.Fatalf("blockers while paused: %+v", res.Blockers)
		}
		_, err = f.o.LogTake(ctx, f.ic, f.scene.ID)
		wantKind(t, "a take while paused", err, closedset.Conflict)
		_, err = f.o.CheckIn(ctx, f.me, take2.ID, f.mara.ID, "yes")
		wantKind(t, "a yes while paused", err, closedset.Conflict)
		_, err = f.o.Resume(ctx, f.me, f.scene.ID)
		wantKind(t, "a performer resuming", err, closedset.Forbidden)
		if n, err := f.o.Resume(ctx, f.ic, f.scene.ID); err != nil || n != 1 {
			t.Fatalf("Resume = %d, %v", n, err)
		}
		f.ready(t, true)
		_, err = f.o.CheckIn(ctx, f.me, take2.ID, f.mara.ID, "yes")
		wantKind(t, "a yes on the paused take after the resume", err, closedset.Conflict)

		take3, err := f.o.LogTake(ctx, f.ic, f.scene.ID)
		if err != nil {
			t.Fatal(err)
		}
		d, err := f.o.AddDeviation(ctx, f.ic, take3.ID, "the kiss was held longer than planned", nil)
		if err != nil || !d.Incident {
			t.Fatalf("a deviation nobody agreed to: %+v, %v", d, err)
		}
		if d, err = f.o.AddDeviation(ctx, f.ic, take3.ID, "turned left, not right", []int64{f.mara.ID}); err != nil || d.Incident {
			t.Fatalf("a deviation she agreed to: %+v, %v", d, err)
		}
		if _, err = f.o.CheckIn(ctx, f.me, take3.ID, f.mara.ID, "stop"); err != nil {
			t.Fatal(err)
		}
		res = f.ready(t, false)
		if res.Blockers[0].Gate != consent.GateConsent || !strings.Contains(res.Blockers[0].Detail, "withdrawn") {
			t.Fatalf("after her stop: %+v", res.Blockers)
		}

		// Closure.
		const canary = "CANARY-debrief-9b8e"
		if _, err := f.o.StepOut(ctx, f.ic, f.scene.ID, f.mara.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := f.o.Debrief(ctx, f.ic, f.scene.ID, f.mara.ID, "she said "+canary, true); err != nil {
			t.Fatal(err)
		}
		_, err = f.o.Debrief(ctx, f.producer, f.scene.ID, f.mara.ID, "a producer's note", false)
		wantKind(t, "a producer writing her debrief", err, closedset.Forbidden)
		// A crew debrief follows nudity or simulated sex: not a kiss.
		_, err = f.o.CrewDebrief(ctx, f.ic, f.scene.ID, "Ivy Coordinator", time.Time{}, "crew fine")
		wantKind(t, "a crew debrief after a kiss", err, closedset.RuleViolation)
		plan, _, _, err := f.o.CurrentPlan(ctx, f.scene.ID)
		if err != nil {
			t.Fatal(err)
		}
		plan.Performers[0].Nudity = consent.Nudity{Level: "partial", Areas: []string{"buttocks"}, Angles: []string{"rear"}}
		if _, err := f.o.PutPlan(ctx, f.ic, f.scene.ID, plan); err != nil {
			t.Fatal(err)
		}
		if _, err := f.o.CrewDebrief(ctx, f.ic, f.scene.ID, "Ivy Coordinator", time.Time{}, "CANARY-crew-77aa"); err != nil {
			t.Fatal(err)
		}
		for who, c := range map[string]ops.Caller{"ic": f.ic, "mara": f.me, "producer": f.producer} {
			cl, err := f.o.SceneClosure(ctx, c, f.scene.ID)
			if err != nil {
				t.Fatal(err)
			}
			reads := who != "producer"
			if len(cl.Debriefs) != 1 || cl.Debriefs[0].NotesShown != reads || strings.Contains(cl.Debriefs[0].Notes, canary) != reads || cl.Debriefs[0].Sealed != nil {
				t.Errorf("%s reads the debrief as %+v", who, cl.Debriefs)
			}
		}

		// The report.
		ad := ops.Caller{User: f.ic.User, ProductionID: f.ic.ProductionID, Roles: auth.RolesOf(auth.AD)}
		tz := time.UTC
		if p, zone, err := f.o.ProductionZone(ctx, f.ic.ProductionID); err == nil && p.ID != 0 {
			tz = zone
		}
		sd, err := f.o.CreateShootDay(ctx, ad, production.ShootDay(time.Now(), tz), []int64{f.scene.ID})
		if err != nil {
			t.Fatal(err)
		}
		day := sd.ID
		_, err = f.o.DayReport(ctx, f.producer, day+1000)
		wantKind(t, "the report of no shoot day", err, closedset.NotFound)
		r, err := f.o.DayReport(ctx, f.producer, day)
		if err != nil {
			t.Fatal(err)
		}
		if r.Totals.Takes != 3 || r.Totals.Rolled != 1 || r.Totals.CheckIns != (shoot.Counts{Yes: 1, Pause: 1, Stop: 1}) ||
			r.Totals.Pauses != 1 || r.Totals.Deviations != 2 || r.Totals.Incidents != 1 || r.Scenes[0].ClosedAt == nil || r.Scenes[0].FollowUpsOffered != 1 ||
			r.Totals.ClosedSetCompliant != 1 || r.Scenes[0].ClosedSet == nil || r.Scenes[0].ClosedSet.Version != 1 || r.Totals.ClosedAt == nil || len(r.Scenes[0].CrewDebriefs) != 1 {
			t.Errorf("report totals %+v, scene %+v", r.Totals, r.Scenes[0])
		}
		for _, secret := range []string{canary, "CANARY-boundary-41d2", "CANARY-crew-77aa", "Mara Actor"} {
			if strings.Contains(string(r.Canonical()), secret) {
				t.Errorf("the report carries %q", secret)
			}
		}
		_, _, err = f.o.SignDayReport(ctx, f.producer, day, "")
		wantKind(t, "a producer signing the report", err, closedset.Forbidden)
		v1, created, err := f.o.SignDayReport(ctx, f.ic, day, "")
		if err != nil || !created || v1.Version != 1 {
			t.Fatalf("SignDayReport = %+v, %v, %v", v1, created, err)
		}
		if again, created, err := f.o.SignDayReport(ctx, f.ic, day, ""); err != nil || created || again.Version != 1 {
			t.Fatalf("signing it again unchanged: %+v, %v, %v", again, created, err)
		}
		if _, err := f.o.AddDeviation(ctx, f.ic, take3.ID, "a later correction", []int64{f.mara.ID}); err != nil {
			t.Fatal(err)
		}
		if v2, created, err := f.o.SignDayReport(ctx, f.ic, day, ""); err != nil || !created || v2.Version != 2 {
			t.Fatalf("a correction: %+v, %v, %v", v2, created, err)
		}
	})
}

// TestRehearsalChangesThePlan: a rehearsal that takes something away
// makes a new plan version and lets the performer re-confirm on the
// spot; one that adds needs a new rider.
func TestRehearsalChangesThePlan(t *testing.T) {
	ctx := context.Background()
	f := newOnSet(t, openSQLite(t))
	plan, _, _, err := f.o.CurrentPlan(ctx, f.scene.ID)
	if err != nil {
		t.Fatal(err)
	}
	plain, err := f.o.RecordRehearsal(ctx, f.ic, f.scene.ID, ops.RehearsalIn{Performers: []int64{f.mara.ID},
		Others: []shoot.Person{{Name: "Dee Director", Role: "director"}}, Walked: "beats 1 to 3"})
	if err != nil || plain.Rehearsal.PlanVersion != 0 || len(plain.Consents) != 0 {
		t.Fatalf("a rehearsal with no change: %+v, %v", plain, err)
	}
	reduced := plan
	reduced.Performers = append([]consent.PerformerPlan(nil), plan.Performers...)
	reduced.Performers[0].Contact = []string{"kissing: cheek"}
	reduced.Performers[0].Contact = nil
	res, err := f.o.RecordRehearsal(ctx, f.ic, f.scene.ID, ops.RehearsalIn{Performers: []int64{f.mara.ID}, Changes: "no kiss on the lips", Plan: &reduced})
	if err != nil {
		t.Fatal(err)
	}
	if res.Rehearsal.PlanVersion < 2 || len(res.Consents) != 1 || res.Consents[0].State != consent.Stale || !res.Consents[0].CanReconfirm {
		t.Fatalf("after a reduction: %+v", res)
	}
	f.ready(t, false)
	if err := f.o.Reconfirm(ctx, f.me, f.scene.ID, f.mara.ID); err != nil {
		t.Fatal(err)
	}
	f.ready(t, true)
	added := plan
	added.Performers = append([]consent.PerformerPlan(nil), plan.Performers...)
	added.Performers[0].Nudity = consent.Nudity{Level: "partial", Areas: []string{"buttocks"}}
	if res, err = f.o.RecordRehearsal(ctx, f.ic, f.scene.ID, ops.RehearsalIn{Changes: "she is seen from behind", Plan: &added}); err != nil {
		t.Fatal(err)
	}
	if len(res.Consents) != 1 || res.Consents[0].CanReconfirm || len(res.Consents[0].Added) == 0 {
		t.Fatalf("after an addition: %+v", res)
	}
	rs, err := f.o.Rehearsals(ctx, f.scene.ID)
	if err != nil || len(rs) != 3 || rs[0].Others[0].Name != "Dee Director" || rs[0].Performers[0] != f.mara.ID {
		t.Fatalf("Rehearsals = %+v, %v", rs, err)
	}
}

func wantKind(t *testing.T, what string, err error, k closedset.Kind) {
	t.Helper()
	if closedset.KindOf(err) != k {
		t.Fatalf("%s: err = %v, want kind %q", what, err, k)
	}
}
