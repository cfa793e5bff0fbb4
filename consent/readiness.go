package consent

import (
	"fmt"
	"slices"
	"time"

	"closedset/breakdown"
	"closedset/production"
)

// Facts is everything readiness looks at for one scene: a plain value the
// web layer fills from the store. It holds no boundaries and no reasons,
// so no blocker can reveal them.
type Facts struct {
	Scene  production.Scene
	Policy Policy
	// TimeZone is the production's; nil is UTC.
	TimeZone *time.Location
	// CallTime is the scene's call time; nil when none is scheduled.
	CallTime *time.Time
	// Now is the time of the question, used for ages when no call time is
	// set; the zero time skips that check.
	Now time.Time
	// Plan is the scene's current plan; nil when none is written yet.
	Plan *Plan
	// PlanHash is Plan's hash as stored; computed from Plan when empty.
	PlanHash string
	// Performers are the performers cast in the scene, with their dates of
	// birth.
	Performers []production.Performer
	// Consents are the scene's consents (any performer, any version,
	// withdrawn ones included).
	Consents []Consent
	// Riders are the riders delivered to the scene's performers.
	Riders []Rider
	// Guardians is the guardian named for each minor, by performer id.
	Guardians map[int64]string
	// StudioTeacher is the studio teacher named for the scene's call.
	StudioTeacher string
	// BoundaryConflicts are the performers of the plan whose part of it
	// goes beyond the boundaries they recorded (Conflicts), by id: which
	// ones, never what, so no blocker can name an area.
	BoundaryConflicts []int64
	// Requests are the scene's department requests, each with its latest
	// state.
	Requests []production.Request
	// ClosedSet is the latest version of the scene's closed-set list
	// with its approvals; nil when none is written.
	ClosedSet *production.ClosedSetVersion
	// Pauses are the pauses holding the scene now (a performer's pause or
	// the pause word, not yet resumed by an IC): who paused and when,
	// never why.
	Pauses []OpenPause
	// ICOfRecord is the production's lead IC of record; nil when none is
	// named.
	ICOfRecord *LeadIC
}

// LeadIC is the production's lead IC of record as readiness sees them:
// their name and, for the shoot day (ShootDate), why their credentials do
// not let them lead it ("" when they do: a current certification and
// Mental Health First Aid). The caller judges the record
// (credentials.Record.CheckICOfRecord); the gate only reports it.
type LeadIC struct {
	Name    string
	Problem string
}

// OpenPause is a pause holding a scene: the performer who called it and
// when.
type OpenPause struct {
	PerformerID int64
	At          time.Time
}

// Rider is an issued rider: to whom, when it was delivered, which scene
// versions it carries, and its signature once signed.
type Rider struct {
	ID           int64
	ProductionID int64
	PerformerID  int64
	Scenes       []RiderScene
	Digest       string // of Content: what the performer signs
	Content      []byte // the rider's canonical content, for re-rendering
	IssuedBy     int64
	DeliveredAt  time.Time
	Signature    *Signature // nil until signed
}

// RiderScene is one scene of a rider, with the plan version and scene
// text the performer is asked to agree to.
type RiderScene struct {
	SceneID       int64
	PlanVersion   int
	PlanHash      string
	SceneTextHash string
}

// Blocker is one reason a scene is not ready. Detail names performers by
// name and states statuses, never a private boundary or a reason.
type Blocker struct {
	Gate        string `json:"gate"`
	Detail      string `json:"detail"`
	PerformerID int64  `json:"performer_id,omitempty"`
}

// Result is a scene's readiness: ready only when no gate blocks.
type Result struct {
	Ready    bool      `json:"ready"`
	Blockers []Blocker `json:"blockers"`
}

// Gate is one readiness rule: a name and a check that says why it blocks
// (nil when it passes). A new rule is a new Gate appended to the list.
type Gate struct {
	Name  string
	Check func(Facts) []Blocker
}

// The default gates' names.
const (
	GatePlan     = "plan"
	GateConsent  = "consent"
	GateNotice   = "notice"
	GateMinors   = "minors"
	GateBarriers = "barriers"
	// GateBoundaries blocks while a performer's part of the plan goes
	// beyond their recorded boundaries, until the plan or the boundaries
	// change; its detail says only that the IC's review is pending.
	GateBoundaries = "boundaries"
	// GateRequests blocks while a department request of the scene is not
	// done; its detail names the department and the request's number.
	GateRequests = "requests"
	// GateClosedSet blocks until the latest version of the scene's
	// closed-set list is approved by an IC and an AD, and while it allows
	// stills the plan does not consent to.
	GateClosedSet = "closed_set"
	// GatePaused blocks from a performer's pause on set until an IC
	// resumes the scene; its detail names who paused, never why.
	GatePaused = "paused"
	// GateICOfRecord blocks while the production names no lead IC of
	// record, or theirs does not hold a current certification and Mental
	// Health First Aid on the shoot day.
	GateICOfRecord = "ic_of_record"
)

// DefaultGates returns a new list of the consent gates, in the order their
// blockers are reported. Append to it to add gates.
func DefaultGates() []Gate {
	return []Gate{
		{GatePlan, planGate},
		{GateConsent, consentGate},
		{GateBoundaries, boundariesGate},
		{GateNotice, noticeGate},
		{GateMinors, minorsGate},
		{GateBarriers, barriersGate},
		{GateRequests, requestsGate},
		{GateClosedSet, closedSetGate},
		{GatePaused, pausedGate},
		{GateICOfRecord, icOfRecordGate},
	}
}

func icOfRecordGate(f Facts) []Blocker {
	switch {
	case f.ICOfRecord == nil:
		return []Blocker{{Gate: GateICOfRecord, Detail: "the production names no lead IC of record"}}
	case f.ICOfRecord.Problem != "":
		return []Blocker{{Gate: GateICOfRecord, Detail: f.ICOfRecord.Problem}}
	}
	return nil
}

// pausedGate names each performer whose pause holds the scene.
func pausedGate(f Facts) []Blocker {
	var out []Blocker
	for _, p := range f.Pauses {
		who := production.Performer{ID: p.PerformerID}
		if i := slices.IndexFunc(f.Performers, func(c production.Performer) bool { return c.ID == p.PerformerID }); i >= 0 {
			who = f.Performers[i]
		}
		at := p.At
		if f.TimeZone != nil {
			at = at.In(f.TimeZone)
		}
		out = append(out, Blocker{Gate: GatePaused, PerformerID: who.ID,
			Detail: fmt.Sprintf("paused by %s at %s: the IC resumes the scene", name(who), at.Format("15:04"))})
	}
	return out
}

// Readiness runs the gates over the facts. A scene with no flag confirmed
// or awaiting review, and no plan, has no intimate content: it is ready
// and no gate runs. A scene with a plan is judged by the gates even when
// its flags were dismissed, because the plan says intimacy is filmed.
func Readiness(f Facts, gates []Gate) Result {
	res := Result{Blockers: []Blocker{}}
	if len(f.Scene.Flagged()) == 0 && f.Plan == nil {
		res.Ready = true
		return res
	}
	if f.PlanHash == "" && f.Plan != nil {
		f.PlanHash = f.Plan.Hash()
	}
	for _, g := range gates {
		for _, b := range g.Check(f) {
			if b.Gate == "" {
				b.Gate = g.Name
			}
			res.Blockers = append(res.Blockers, b)
		}
	}
	res.Ready = len(res.Blockers) == 0
	return res
}

// name is how a blocker names a performer.
func name(p production.Performer) string {
	if p.Name != "" {
		return p.Name
	}
	return fmt.Sprintf("performer %d", p.ID)
}

func planGate(f Facts) []Blocker {
	var out []Blocker
	if len(f.Performers) == 0 {
		out = append(out, Blocker{Gate: GatePlan, Detail: "no performer is cast in the scene"})
	}
	if f.Plan == nil {
		return append(out, Blocker{Gate: GatePlan, Detail: "no intimacy plan"})
	}
	for _, pp := range f.Plan.sortedPerformers() {
		if !slices.ContainsFunc(f.Performers, func(p production.Performer) bool { return p.ID == pp.PerformerID }) {
			out = append(out, Blocker{Gate: GatePlan, PerformerID: pp.PerformerID,
				Detail: fmt.Sprintf("the plan names performer %d, who is not cast in the scene", pp.PerformerID)})
		}
	}
	return out
}

// boundariesGate names each performer of the plan with a conflict and
// says no more: what the conflict is, the IC reads at the plan.
func boundariesGate(f Facts) []Blocker {
	if f.Plan == nil {
		return nil
	}
	var out []Blocker
	for _, pp := range f.Plan.sortedPerformers() {
		if !slices.Contains(f.BoundaryConflicts, pp.PerformerID) {
			continue
		}
		p := production.Performer{ID: pp.PerformerID}
		if i := slices.IndexFunc(f.Performers, func(c production.Performer) bool { return c.ID == pp.PerformerID }); i >= 0 {
			p = f.Performers[i]
		}
		out = append(out, Blocker{Gate: GateBoundaries, PerformerID: p.ID, Detail: name(p) + ": IC review pending"})
	}
	return out
}

func consentGate(f Facts) []Blocker {
	var out []Blocker
	for _, p := range f.InAction() {
		c := Latest(f.Consents, p.ID, f.Scene.ID)
		var detail string
		switch StateOf(c, f.PlanHash, f.Scene.TextHash) {
		case Current:
			continue
		case None:
			detail = name(p) + ": no consent"
		case Withdrawn:
			detail = name(p) + ": consent withdrawn"
		case Stale:
			detail = name(p) + ": consent stale (" + StaleReason(c, f.PlanHash, f.Scene.TextHash) + ")"
		}
		out = append(out, Blocker{Gate: GateConsent, Detail: detail, PerformerID: p.ID})
	}
	return out
}

// noticeGate: each performer's rider for the current plan was delivered at
// least the notice period before the call time. The rider is the earliest
// delivered one carrying this scene at the current plan hash; failing
// that, the rider of the performer's current consent (a reduction
// re-confirmed on the rider already signed).
func noticeGate(f Facts) []Blocker {
	if f.CallTime == nil {
		return []Blocker{{Gate: GateNotice, Detail: "no call time"}}
	}
	var out []Blocker
	for _, p := range f.InAction() {
		r := noticeRider(f, p.ID)
		if r == nil {
			out = append(out, Blocker{Gate: GateNotice, PerformerID: p.ID, Detail: name(p) + ": no rider delivered for the current plan"})
			continue
		}
		if lead := f.CallTime.Sub(r.DeliveredAt); lead < f.Policy.NoticePeriod {
			out = append(out, Blocker{Gate: GateNotice, PerformerID: p.ID, Detail: fmt.Sprintf(
				"%s: rider delivered %s before call time; %s needs %s", name(p), hours(lead), f.Policy.Name, hours(f.Policy.NoticePeriod))})
		}
	}
	return out
}

func noticeRider(f Facts, performerID int64) *Rider {
	var best *Rider
	for i := range f.Riders {
		r := &f.Riders[i]
		if r.PerformerID != performerID || f.PlanHash == "" {
			continue
		}
		if !slices.ContainsFunc(r.Scenes, func(s RiderScene) bool { return s.SceneID == f.Scene.ID && s.PlanHash == f.PlanHash }) {
			continue
		}
		if best == nil || r.DeliveredAt.Before(best.DeliveredAt) {
			best = r
		}
	}
	if best != nil {
		return best
	}
	c := Latest(f.Consents, performerID, f.Scene.ID)
	if StateOf(c, f.PlanHash, f.Scene.TextHash) != Current {
		return nil
	}
	for i := range f.Riders {
		if r := &f.Riders[i]; r.ID == c.RiderID && r.PerformerID == performerID {
			return r
		}
	}
	return nil
}

// hours writes a duration as "47h59m", or "-2h0m" when after the call.
func hours(d time.Duration) string {
	sign := ""
	if d < 0 {
		sign, d = "-", -d
	}
	d = d.Truncate(time.Minute)
	return fmt.Sprintf("%s%dh%dm", sign, int64(d/time.Hour), int64(d%time.Hour/time.Minute))
}

// ShootDate is the day ages and the IC of record's credentials are
// judged on: the call time's day in the production's zone, else today
// there; ok is false when neither is known.
func (f Facts) ShootDate() (production.Date, bool) { return f.shootDay() }

func (f Facts) shootDay() (production.Date, bool) {
	switch {
	case f.CallTime != nil:
		return production.ShootDay(*f.CallTime, f.TimeZone), true
	case !f.Now.IsZero():
		return production.ShootDay(f.Now, f.TimeZone), true
	}
	return production.Date{}, false
}

func minorsGate(f Facts) []Blocker {
	day, ok := f.shootDay()
	if !ok {
		return nil
	}
	var out []Blocker
	for _, p := range f.Performers {
		if !p.MinorOn(day) {
			continue
		}
		who := fmt.Sprintf("%s (%d on %s)", name(p), p.AgeOn(day), day)
		if !p.DateOfBirth.Valid() {
			who = name(p) + " (no date of birth on record)"
		}
		if f.Plan != nil {
			if pp, in := f.Plan.For(p.ID); in {
				if re, ok := asViolation(minorRules(pp, p, day)); ok {
					out = append(out, Blocker{Gate: GateMinors, PerformerID: p.ID, Detail: re.Rule + ": " + re.Msg})
				}
			}
		}
		if f.Policy.GuardianForMinors && normLine(f.Guardians[p.ID]) == "" {
			out = append(out, Blocker{Gate: GateMinors, PerformerID: p.ID, Detail: who + ": no guardian named"})
		}
		if (!p.DateOfBirth.Valid() || p.AgeOn(day) < f.Policy.StudioTeacherUnder) && f.Policy.StudioTeacherUnder > 0 && normLine(f.StudioTeacher) == "" {
			out = append(out, Blocker{Gate: GateMinors, PerformerID: p.ID, Detail: fmt.Sprintf(
				"%s: no studio teacher named (%s requires one under %d)", who, f.Policy.Name, f.Policy.StudioTeacherUnder)})
		}
	}
	return out
}

func barriersGate(f Facts) []Blocker {
	if !f.Policy.BarriersForSimulatedSex {
		return nil
	}
	if f.Plan != nil {
		if re, ok := asViolation(f.Plan.barrierRule(f.Policy)); ok {
			return []Blocker{{Gate: GateBarriers, PerformerID: re.PerformerID, Detail: re.Msg}}
		}
	}
	if slices.Contains(f.Scene.Flagged(), string(breakdown.SimulatedSex)) && !f.Plan.hasAnyBarrier() {
		return []Blocker{{Gate: GateBarriers, Detail: "the scene is flagged for simulated sex and the plan names no barrier"}}
	}
	return nil
}

// hasAnyBarrier reports a barrier anywhere in the plan; false for nil.
func (p *Plan) hasAnyBarrier() bool {
	if p == nil {
		return false
	}
	return len(p.Barriers) > 0 || slices.ContainsFunc(p.Performers, func(pp PerformerPlan) bool { return len(pp.Barriers) > 0 })
}

// InAction is the scene's performers who are in its intimate action: those
// the plan names. Only they are asked for a rider and a consent; the others
// present are on the closed-set list and the summary, and the minors rules
// still count them. Without a plan nobody is known to be out of it: every
// performer present is in.
func (f Facts) InAction() []production.Performer {
	if f.Plan == nil {
		return f.Performers
	}
	var out []production.Performer
	for _, p := range f.Performers {
		if _, in := f.Plan.For(p.ID); in {
			out = append(out, p)
		}
	}
	return out
}
