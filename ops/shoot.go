package ops

import (
	"closedset"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"closedset/alert"
	"closedset/auth"
	"closedset/consent"
	"closedset/production"
	"closedset/seal"
	"closedset/shoot"
	"closedset/textfield"
)

// The shoot day's operations (issue 13, part B): rehearsals, takes and
// check-ins, pauses and resumes, deviations, and closure.
//
// The take model: the IC logs a take (refused while the scene is not
// ready, by the same Readiness every board shows, so every gate applies);
// it is pending until every performer in the action has checked in yes,
// and then it rolls. A pause (or the production's pause word) ends that
// take and holds the whole scene (readiness gate "paused") until an IC
// resumes it; the IC then logs the next take. A stop is a withdrawal of
// consent, recorded in the same transaction as the check-in.

// RehearsalIn is a rehearsal as the IC records it. Plan, when given, is
// the choreography as changed in the rehearsal: it goes through PutPlan,
// so a change makes a new plan version and the consents to the old one
// go stale, as any plan change does.
type RehearsalIn struct {
	Performers []int64
	Others     []shoot.Person
	Walked     string
	Changes    string
	Plan       *consent.Plan
}

// RehearsalResult is a recorded rehearsal and what it did to consent:
// for each performer in the action, their consent state now and whether
// the change only reduces their part, so that they may re-confirm on
// the spot (Reconfirm) rather than need a new rider.
type RehearsalResult struct {
	Rehearsal shoot.Rehearsal
	Consents  []AfterChange
}

// AfterChange is one performer's consent after a plan change.
type AfterChange struct {
	PerformerID  int64
	State        consent.State
	CanReconfirm bool // stale by a reduction only
	Added        []string
	Reduced      []string
}

// RecordRehearsal records a rehearsal of the scene and, when its plan
// changed, the plan's new version, in one transaction.
func (o *Ops) RecordRehearsal(ctx context.Context, c Caller, sceneID int64, in RehearsalIn) (RehearsalResult, error) {
	if err := c.check(auth.RehearsalWrite, false); err != nil {
		return RehearsalResult{}, err
	}
	sc, err := o.SceneInProduction(ctx, c, sceneID)
	if err != nil {
		return RehearsalResult{}, err
	}
	r := shoot.Rehearsal{SceneID: sceneID, Others: in.Others}
	for _, id := range in.Performers {
		if _, err := o.PerformerInProduction(ctx, c, id); err != nil {
			return RehearsalResult{}, err
		}
		if !slices.Contains(r.Performers, id) {
			r.Performers = append(r.Performers, id)
		}
	}
	if r.Walked, err = invalidText(textfield.Para("walked", in.Walked, textfield.MaxNote, false)); err != nil {
		return RehearsalResult{}, err
	}
	if r.Changes, err = invalidText(textfield.Para("changes", in.Changes, textfield.MaxNote, false)); err != nil {
		return RehearsalResult{}, err
	}
	for i, p := range in.Others {
		if r.Others[i].Name, err = cleanText(fmt.Sprintf("others[%d].name", i), p.Name, textfield.MaxName); err != nil {
			return RehearsalResult{}, err
		}
		if r.Others[i].Role, err = invalidText(textfield.Line(fmt.Sprintf("others[%d].role", i), p.Role, textfield.MaxName, false)); err != nil {
			return RehearsalResult{}, err
		}
	}
	err = o.store.Tx(ctx, func(tx Store) error {
		in2 := o.in(tx)
		if in.Plan != nil {
			before, err := tx.Plan(ctx, sceneID)
			if err != nil && !closedset.Is(err, closedset.NotFound) {
				return err
			}
			pv, err := in2.PutPlan(ctx, c, sceneID, *in.Plan)
			if err != nil {
				return err
			}
			if pv.Version != before.Version {
				r.PlanVersion = pv.Version
			}
		}
		r, err = tx.AddRehearsal(ctx, c.Actor(), r)
		return err
	})
	if err != nil {
		return RehearsalResult{}, err
	}
	res := RehearsalResult{Rehearsal: r}
	if r.PlanVersion == 0 {
		return res, nil
	}
	f, err := o.SceneFacts(ctx, sc)
	if err != nil {
		return RehearsalResult{}, err
	}
	for id, st := range ConsentStates(f) {
		ac := AfterChange{PerformerID: id, State: st}
		if st == consent.Stale {
			ch, err := o.ChangesSinceConsent(ctx, f, id)
			if err != nil {
				return RehearsalResult{}, err
			}
			ac.Added, ac.Reduced = ch.PlanAdded, ch.PlanReduced
			ac.CanReconfirm = len(ch.PlanAdded) == 0 && len(ch.Text) == 0
		}
		res.Consents = append(res.Consents, ac)
	}
	slices.SortFunc(res.Consents, func(a, b AfterChange) int { return int(a.PerformerID - b.PerformerID) })
	return res, nil
}

// notReady is the Conflict of an action refused on a scene that is not
// ready, naming what blocks it.
func notReady(sceneID int64, res consent.Result) error {
	var why []string
	for _, b := range res.Blockers {
		why = append(why, b.Gate+": "+b.Detail)
	}
	return closedset.Errorf(closedset.Conflict, "scene %d is not ready: %s", sceneID, strings.Join(why, "; "))
}

// LogTake logs the scene's next take, pending until every performer in
// the action checks in yes. Refused (Conflict) while the scene is not
// ready, by the readiness every board shows.
func (o *Ops) LogTake(ctx context.Context, c Caller, sceneID int64) (shoot.Take, error) {
	if err := c.check(auth.TakeLog, false); err != nil {
		return shoot.Take{}, err
	}
	if _, err := o.SceneInProduction(ctx, c, sceneID); err != nil {
		return shoot.Take{}, err
	}
	var t shoot.Take
	err := o.store.Tx(ctx, func(tx Store) error {
		in := o.in(tx)
		res, err := in.Readiness(ctx, sceneID)
		if err != nil {
			return err
		}
		if !res.Ready {
			return notReady(sceneID, res)
		}
		sc, err := tx.Scene(ctx, sceneID)
		if err != nil {
			return err
		}
		f, err := in.SceneFacts(ctx, sc)
		if err != nil {
			return err
		}
		if f.Plan == nil {
			return closedset.Errorf(closedset.Conflict, "scene %d has no intimacy plan: takes are logged for intimate scenes", sceneID)
		}
		var ids []int64
		for _, p := range f.InAction() {
			ids = append(ids, p.ID)
		}
		t, err = tx.LogTake(ctx, c.Actor(), sceneID, ids, f.PlanHash)
		return err
	})
	return t, err
}

// TakeInProduction loads a take of rq's production.
func (o *Ops) TakeInProduction(ctx context.Context, c Caller, takeID int64) (shoot.Take, production.Scene, error) {
	t, err := o.store.Take(ctx, takeID)
	if err != nil {
		return shoot.Take{}, production.Scene{}, err
	}
	sc, err := o.SceneInProduction(ctx, c, t.SceneID)
	if err != nil {
		return shoot.Take{}, production.Scene{}, closedset.Errorf(closedset.NotFound, "no take %d in this production", takeID)
	}
	return t, sc, nil
}

// CheckIn records a performer's answer before a take: by the performer
// themself (auth.TakeCheckIn) or by an IC on their word
// (auth.TakeCheckInFor), recorded as such. answer is yes, pause, stop or
// the production's pause word.
//
// A yes counts only on the scene's latest take, while the scene is
// ready and the take was not paused or stopped. A pause is always
// taken: it holds the scene until an IC resumes it. A stop is always
// taken too: it withdraws the performer's consent in the same
// transaction.
func (o *Ops) CheckIn(ctx context.Context, c Caller, takeID, performerID int64, answer string) (shoot.Take, error) {
	t, sc, err := o.TakeInProduction(ctx, c, takeID)
	if err != nil {
		return shoot.Take{}, err
	}
	p, err := o.PerformerInProduction(ctx, c, performerID)
	if err != nil {
		return shoot.Take{}, err
	}
	self := c.Owns(p)
	a := auth.TakeCheckInFor
	if self {
		a = auth.TakeCheckIn
	}
	if !auth.Can(c.Principal(), a, self) {
		return shoot.Take{}, closedset.Errorf(closedset.Forbidden, "only the performer, or an IC on their word, may check in for them (%s)", a)
	}
	prod, err := o.store.Production(ctx, c.ProductionID)
	if err != nil {
		return shoot.Take{}, err
	}
	pol, err := o.Policy(ctx, prod)
	if err != nil {
		return shoot.Take{}, err
	}
	ans, err := shoot.ParseAnswer(answer, pol.PauseWord)
	if err != nil {
		return shoot.Take{}, closedset.FieldErrorf(closedset.Invalid, "answer", "%s", err)
	}
	if !t.InAction(performerID) {
		return shoot.Take{}, closedset.Errorf(closedset.Invalid, "%s is not in the action of take %d", p.Name, t.Number)
	}
	err = o.store.Tx(ctx, func(tx Store) error {
		in := o.in(tx)
		if ans == shoot.AnswerYes {
			if err := in.canSayYes(ctx, sc.ID, takeID); err != nil {
				return err
			}
		}
		if _, err := tx.CheckIn(ctx, c.Actor(), shoot.CheckIn{TakeID: takeID, PerformerID: performerID, Answer: ans, OnBehalf: !self}); err != nil {
			return err
		}
		switch ans {
		case shoot.AnswerPause:
			if _, err := tx.PauseScene(ctx, c.Actor(), takeID, performerID); err != nil {
				return err
			}
			return in.notifyCrew(ctx, alert.Pause, sc.ID, c.ProductionID)
		case shoot.AnswerStop:
			err := in.Withdraw(ctx, c, sc.ID, performerID, "")
			if closedset.Is(err, closedset.NotFound) {
				return nil // no consent left to withdraw: the stop stands
			}
			return err
		}
		return nil
	})
	if err != nil {
		return shoot.Take{}, err
	}
	return o.store.Take(ctx, takeID)
}

// canSayYes refuses a yes on a take that cannot roll: not the scene's
// latest, paused or stopped, or a scene not ready.
func (o *Ops) canSayYes(ctx context.Context, sceneID, takeID int64) error {
	takes, err := o.store.Takes(ctx, sceneID)
	if err != nil {
		return err
	}
	if len(takes) == 0 || takes[len(takes)-1].ID != takeID {
		return closedset.Errorf(closedset.Conflict, "a later take of scene %d was logged: check in on that one", sceneID)
	}
	switch st, _ := takes[len(takes)-1].State(); st {
	case shoot.Paused, shoot.Stopped:
		return closedset.Errorf(closedset.Conflict, "take %d was %s: the IC logs the next take", takes[len(takes)-1].Number, st)
	}
	res, err := o.Readiness(ctx, sceneID)
	if err != nil {
		return err
	}
	if !res.Ready {
		return notReady(sceneID, res)
	}
	return nil
}

// Resume ends the pauses holding the scene: the IC's call. Resuming a
// scene no pause holds changes nothing.
func (o *Ops) Resume(ctx context.Context, c Caller, sceneID int64) (int, error) {
	if err := c.check(auth.TakeLog, false); err != nil {
		return 0, err
	}
	if _, err := o.SceneInProduction(ctx, c, sceneID); err != nil {
		return 0, err
	}
	return o.store.ResumeScene(ctx, c.Actor(), sceneID)
}

// AddDeviation records what was done differently from the plan in a
// take, and who of the performers in the action agreed: one not agreed
// by every one of them is an incident.
func (o *Ops) AddDeviation(ctx context.Context, c Caller, takeID int64, text string, agreedBy []int64) (shoot.Deviation, error) {
	if err := c.check(auth.TakeLog, false); err != nil {
		return shoot.Deviation{}, err
	}
	t, _, err := o.TakeInProduction(ctx, c, takeID)
	if err != nil {
		return shoot.Deviation{}, err
	}
	d := shoot.Deviation{TakeID: takeID}
	if d.Text, err = invalidText(textfield.Para("text", text, textfield.MaxNote, true)); err != nil {
		return shoot.Deviation{}, err
	}
	for i, id := range agreedBy {
		if !t.InAction(id) {
			return shoot.Deviation{}, closedset.FieldErrorf(closedset.Invalid, "agreed_by", "agreed_by[%d]: performer %d is not in the action of take %d", i, id, t.Number)
		}
		if !slices.Contains(d.AgreedBy, id) {
			d.AgreedBy = append(d.AgreedBy, id)
		}
	}
	slices.Sort(d.AgreedBy)
	d.Incident = shoot.IsIncident(t, d.AgreedBy)
	return o.store.AddDeviation(ctx, c.Actor(), d)
}

// StepOut records a performer's step-out of the scene at wrap.
func (o *Ops) StepOut(ctx context.Context, c Caller, sceneID, performerID int64) (shoot.StepOut, error) {
	if err := c.check(auth.ClosureWrite, false); err != nil {
		return shoot.StepOut{}, err
	}
	if _, err := o.SceneInProduction(ctx, c, sceneID); err != nil {
		return shoot.StepOut{}, err
	}
	if _, err := o.PerformerInProduction(ctx, c, performerID); err != nil {
		return shoot.StepOut{}, err
	}
	return o.store.StepOut(ctx, c.Actor(), sceneID, performerID)
}

// Debrief records a performer's debrief after the scene: by an IC, or by
// the performer themself. The notes are sealed before they reach the
// store.
func (o *Ops) Debrief(ctx context.Context, c Caller, sceneID, performerID int64, notes string, followUp bool) (shoot.Debrief, error) {
	if _, err := o.SceneInProduction(ctx, c, sceneID); err != nil {
		return shoot.Debrief{}, err
	}
	p, err := o.PerformerInProduction(ctx, c, performerID)
	if err != nil {
		return shoot.Debrief{}, err
	}
	if err := c.check(auth.DebriefWrite, c.Owns(p)); err != nil {
		return shoot.Debrief{}, err
	}
	if notes, err = invalidText(textfield.Para("notes", notes, textfield.MaxNote, false)); err != nil {
		return shoot.Debrief{}, err
	}
	d := shoot.Debrief{SceneID: sceneID, PerformerID: performerID, FollowUpOffered: followUp}
	if notes != "" {
		if d.Sealed, err = seal.Seal(o.sealKey, []byte(notes), DebriefAAD(sceneID, performerID)); err != nil {
			return shoot.Debrief{}, fmt.Errorf("seal the debrief of scene %d: %w", sceneID, err)
		}
	}
	return o.store.AddDebrief(ctx, c.Actor(), d)
}

// DebriefView is a debrief as one caller sees it: its notes opened only
// for the performer and the ICs (auth.DebriefRead).
type DebriefView struct {
	shoot.Debrief
	Notes      string
	NotesShown bool
}

// Closure is a scene's closure as one caller sees it.
type Closure struct {
	StepOuts     []shoot.StepOut
	Debriefs     []DebriefView
	CrewDebriefs []shoot.CrewDebrief
}

// SceneClosure reads the scene's step-outs and debriefs. Whoever reads
// closure sees that a debrief was held; only the performer and the ICs
// read its notes; a performer sees only their own records.
func (o *Ops) SceneClosure(ctx context.Context, c Caller, sceneID int64) (Closure, error) {
	if _, err := o.SceneInProduction(ctx, c, sceneID); err != nil {
		return Closure{}, err
	}
	var out Closure
	onlyOwn := !c.Can(auth.ClosureRead, false)
	var mine int64 = -1
	if onlyOwn {
		p, ok, err := o.PerformerOf(ctx, c)
		if err != nil {
			return Closure{}, err
		}
		if !ok {
			return Closure{}, closedset.Errorf(closedset.Forbidden, "your roles do not allow %s", auth.ClosureRead)
		}
		mine = p.ID
	}
	sos, err := o.store.StepOuts(ctx, sceneID)
	if err != nil {
		return Closure{}, err
	}
	for _, so := range sos {
		if !onlyOwn || so.PerformerID == mine {
			out.StepOuts = append(out.StepOuts, so)
		}
	}
	ds, err := o.store.Debriefs(ctx, sceneID)
	if err != nil {
		return Closure{}, err
	}
	for _, d := range ds {
		if onlyOwn && d.PerformerID != mine {
			continue
		}
		v := DebriefView{Debrief: d}
		v.Sealed = nil // never leaves ops
		if c.Can(auth.DebriefRead, d.PerformerID == mine) {
			v.NotesShown = true
			if len(d.Sealed) > 0 {
				plain, err := seal.Open(o.sealKey, d.Sealed, DebriefAAD(d.SceneID, d.PerformerID))
				if err != nil {
					return Closure{}, fmt.Errorf("open debrief %d (key %s): %w", d.ID, o.sealKey.ID(), err)
				}
				v.Notes = string(plain)
			}
		}
		out.Debriefs = append(out.Debriefs, v)
	}
	if !onlyOwn {
		if out.CrewDebriefs, err = o.store.CrewDebriefs(ctx, sceneID); err != nil {
			return Closure{}, err
		}
	}
	return out, nil
}

// CrewDebrief records the crew's debrief after a scene with nudity or
// simulated sex (a rule_violation otherwise): who held it and when, and
// notes that are not private.
func (o *Ops) CrewDebrief(ctx context.Context, c Caller, sceneID int64, heldBy string, heldAt time.Time, notes string) (shoot.CrewDebrief, error) {
	if err := c.check(auth.ClosureWrite, false); err != nil {
		return shoot.CrewDebrief{}, err
	}
	sc, err := o.SceneInProduction(ctx, c, sceneID)
	if err != nil {
		return shoot.CrewDebrief{}, err
	}
	due, err := o.CrewDebriefDue(ctx, sc)
	if err != nil {
		return shoot.CrewDebrief{}, err
	}
	if !due {
		return shoot.CrewDebrief{}, &closedset.Error{Kind: closedset.RuleViolation, Rule: shoot.RuleCrewDebrief,
			Msg: fmt.Sprintf("scene %s has no nudity or simulated sex, flagged or planned: a crew debrief follows those scenes; step-outs and performers' debriefs follow every scene", DocSceneNumber(sc))}
	}
	if heldBy, err = cleanText("held_by", heldBy, textfield.MaxName); err != nil {
		return shoot.CrewDebrief{}, err
	}
	if notes, err = invalidText(textfield.Para("notes", notes, textfield.MaxNote, false)); err != nil {
		return shoot.CrewDebrief{}, err
	}
	if heldAt.IsZero() {
		heldAt = o.now()
	}
	return o.store.AddCrewDebrief(ctx, c.Actor(), shoot.CrewDebrief{SceneID: sceneID, HeldBy: heldBy, HeldAt: heldAt, Notes: notes})
}

// CrewDebriefDue reports whether the scene calls for a crew debrief
// (shoot.CrewDebriefDue): nudity or simulated sex, flagged or in its
// current plan.
func (o *Ops) CrewDebriefDue(ctx context.Context, sc production.Scene) (bool, error) {
	plan, _, ok, err := o.CurrentPlan(ctx, sc.ID)
	if err != nil {
		return false, err
	}
	var p *consent.Plan
	if ok {
		p = &plan
	}
	return shoot.CrewDebriefDue(sc, p), nil
}
