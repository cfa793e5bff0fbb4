package web

import (
	"context"
	"net/http/httptest"
	"testing"

	"closedset/auth"
	"closedset/consent"
	"closedset/ops"
	"closedset/production"
	"closedset/shoot"
)

// asIC is an IC's request in the world's production, for fixtures that
// go through the operations as the handlers do.
func (w *world) asIC() *request {
	return &request{User: w.users["ic"], ProductionID: w.prod.ID, Roles: auth.RolesOf(auth.IC)}
}

// asPerformer is the world performer's own request.
func (w *world) asPerformer() *request {
	return &request{User: w.users["performer"], ProductionID: w.prod.ID, Roles: auth.RolesOf(auth.Performer)}
}

// simplePlan is a plan with one performer kissing and a barrier, valid
// under every policy.
func simplePlan(performerID int64, description string) consent.Plan {
	return consent.Plan{
		Description: description,
		Performers:  []consent.PerformerPlan{{PerformerID: performerID, Nudity: consent.Nudity{Level: "none"}, Contact: []string{"kissing: lips"}, Content: []string{"kissing"}}},
		Barriers:    []string{"barrier cushion"},
	}
}

// castWorld gives the world a consent ledger: the performer user plays
// the world scene's first character, with boundaries, a call time, plans
// for all their flagged scenes, a signed rider (a consent to withdraw)
// and an unsigned one (to sign).
func (w *world) castWorld(t testing.TB) {
	t.Helper()
	ctx := context.Background()
	ic := w.asIC()
	var err error
	w.performer, err = w.srv.createPerformer(ctx, ic, performerIn{Name: "Nora Player", Email: w.users["performer"].Email,
		DateOfBirth: "1990-05-01", Characters: []string{w.scene.Characters[0]}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.srv.ops.PutBoundaries(ctx, ic.caller(), w.performer.ID, consent.Boundaries{Notes: "world notes"}); err != nil {
		t.Fatal(err)
	}
	scenes, err := w.st.CurrentScenes(ctx, w.prod.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, sc := range scenes {
		if len(sc.Flagged()) > 0 && ops.Plays(w.performer, sc) {
			if _, err := w.srv.ops.PutPlan(ctx, ic.caller(), sc.ID, simplePlan(w.performer.ID, "World plan")); err != nil {
				t.Fatalf("plan of scene %s: %v", sc.Number, err)
			}
		}
	}
	if err := w.srv.ops.SetCallTime(ctx, (&request{User: w.users["ad"], ProductionID: w.prod.ID, Roles: auth.RolesOf(auth.AD)}).caller(), w.scene.ID, w.clock.Now().AddDate(0, 0, 7)); err != nil {
		t.Fatal(err)
	}
	w.signedRider = w.issueAndSign(t)
	if w.rider, _, err = w.srv.ops.IssueRider(ctx, ic.caller(), w.performer.ID); err != nil {
		t.Fatal(err)
	}
}

// issueAndSign issues a rider to the world performer and signs it as them.
func (w *world) issueAndSign(t testing.TB) consent.Rider {
	t.Helper()
	ctx := context.Background()
	r, _, err := w.srv.ops.IssueRider(ctx, w.asIC().caller(), w.performer.ID)
	if err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest("POST", "/api/v1/riders/1/sign", nil)
	if r, err = w.srv.ops.SignRider(ctx, w.asPerformer().caller(), r.ID, w.performer.Name, true, req.RemoteAddr, req.UserAgent()); err != nil {
		t.Fatal(err)
	}
	return r
}

// makeReady makes the world scene ready to shoot again: a fresh consent
// and no pause holding it.
func (w *world) makeReady(t testing.TB) {
	t.Helper()
	w.issueAndSign(t)
	w.shootGatesPass(t)
	if _, err := w.srv.ops.Resume(context.Background(), w.asIC().caller(), w.scene.ID); err != nil {
		t.Fatal(err)
	}
}

// shootGatesPass passes the world scene's shoot-day gates: every request
// done, the closed-set list approved by an IC and an AD.
func (w *world) shootGatesPass(t testing.TB) {
	t.Helper()
	ctx := context.Background()
	ic := w.asIC().caller()
	rs, err := w.srv.ops.RequestsOfScene(ctx, ic, w.scene.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rs {
		if r.State != production.RequestDone {
			if _, err := w.srv.ops.SetRequestState(ctx, ic, r.ID, production.RequestDone, "done for the take"); err != nil {
				t.Fatal(err)
			}
		}
	}
	cs, ok, err := w.srv.ops.SceneClosedSet(ctx, ic, w.scene.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !ok {
		if cs, err = w.srv.ops.PutClosedSet(ctx, ic, w.scene.ID, worldClosedSet()); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []ops.Caller{ic, w.asAD().caller()} {
		if _, err := w.srv.ops.ApproveClosedSet(ctx, c, w.scene.ID, cs.Version); err != nil {
			t.Fatal(err)
		}
	}
}

// freshTake makes the world scene ready and logs its next take.
func (w *world) freshTake(t testing.TB) shoot.Take {
	t.Helper()
	w.makeReady(t)
	tk, err := w.srv.ops.LogTake(context.Background(), w.asIC().caller(), w.scene.ID)
	if err != nil {
		t.Fatalf("logging a take of the world scene: %v", err)
	}
	return tk
}

// withTake logs a take of the world scene (w.take), for the routes on a
// take. Its fresh consent signs the world's unsigned rider: another is
// issued, for the routes that sign one.
func (w *world) withTake(t testing.TB) {
	t.Helper()
	w.take = w.freshTake(t)
	var err error
	if w.rider, _, err = w.srv.ops.IssueRider(context.Background(), w.asIC().caller(), w.performer.ID); err != nil {
		t.Fatal(err)
	}
}

// latestTake is a fresh take of the world scene when it can be made
// ready, else w.take (a scene whose plan goes beyond the boundaries
// cannot be: the canary walk's).
func (w *world) latestTake(t testing.TB) shoot.Take {
	t.Helper()
	w.issueAndSign(t)
	w.shootGatesPass(t)
	ctx := context.Background()
	if _, err := w.srv.ops.Resume(ctx, w.asIC().caller(), w.scene.ID); err != nil {
		t.Fatal(err)
	}
	if tk, err := w.srv.ops.LogTake(ctx, w.asIC().caller(), w.scene.ID); err == nil {
		return tk
	}
	return w.take
}
