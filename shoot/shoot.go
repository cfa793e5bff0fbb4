// Package shoot holds the record of an intimate scene on the day it is
// shot (DOMAIN.md steps 6 to 10): rehearsals, takes and the performers'
// check-ins before each, pauses and their resumes, deviations from the
// plan, the performers' step-outs and debriefs at wrap, the crew's
// debrief, and the end-of-day report computed from them.
//
// Its invariants: a take rolls only when every performer in the action
// has checked in yes and no one has paused or stopped it; a pause holds
// the whole scene until an IC resumes it; a deviation not agreed by every
// performer in the action is an incident. A performer's debrief notes are
// carried only sealed (the store never sees them), and nothing private (a
// boundary, a note, a debrief, a reason) is a field of the report.
package shoot

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"closedset/breakdown"
	"closedset/consent"
	"closedset/production"
)

// Answer is a performer's check-in before a take.
type Answer string

// The answers. A pause holds the scene for everyone until an IC resumes
// it; a stop is a withdrawal of consent.
const (
	AnswerYes   Answer = "yes"
	AnswerPause Answer = "pause"
	AnswerStop  Answer = "stop"
)

// ParseAnswer reads an answer as a performer or an IC gives it: yes,
// pause or stop, or the production's pause word (any case), which is a
// pause.
func ParseAnswer(s, pauseWord string) (Answer, error) {
	norm := strings.ToLower(strings.Join(strings.Fields(s), " "))
	switch Answer(norm) {
	case AnswerYes, AnswerPause, AnswerStop:
		return Answer(norm), nil
	}
	if w := strings.ToLower(strings.Join(strings.Fields(pauseWord), " ")); w != "" && norm == w {
		return AnswerPause, nil
	}
	return "", fmt.Errorf("answer %q: want yes, pause, stop or the pause word", clip(s, 40))
}

// TakeState is where a take stands, computed from its check-ins.
type TakeState string

// The states of a take. A take is logged pending; it rolls when every
// performer in the action has said yes; a pause or a stop on it ends it
// (after a resume, the IC logs the next take).
const (
	Pending TakeState = "pending"
	Rolled  TakeState = "rolled"
	Paused  TakeState = "paused"
	Stopped TakeState = "stopped"
)

// Take is one logged take of a scene, with its check-ins and deviations.
type Take struct {
	ID      int64
	SceneID int64
	Number  int // 1, 2, ... per scene
	// Performers are the performers in the action when it was logged:
	// the ones who check in.
	Performers []int64
	PlanHash   string // the plan version it was logged under
	By         int64
	At         time.Time
	CheckIns   []CheckIn // in order
	Deviations []Deviation
}

// CheckIn is one performer's answer before a take.
type CheckIn struct {
	ID          int64
	TakeID      int64
	PerformerID int64
	Answer      Answer
	// OnBehalf: an IC recorded the performer's word; otherwise the
	// performer answered on their own phone.
	OnBehalf bool
	By       int64
	At       time.Time
}

// State computes the take's state from its check-ins, and when it rolled
// (zero unless it did): the time of the yes that completed the set, if
// no pause or stop came before it.
func (t Take) State() (TakeState, time.Time) {
	yes := map[int64]bool{}
	var rolled time.Time
	for _, c := range t.CheckIns {
		switch c.Answer {
		case AnswerStop:
			return Stopped, rolled
		case AnswerPause:
			return Paused, rolled
		case AnswerYes:
			yes[c.PerformerID] = true
			if rolled.IsZero() && t.allSaidYes(yes) {
				rolled = c.At
			}
		}
	}
	if !rolled.IsZero() {
		return Rolled, rolled
	}
	return Pending, time.Time{}
}

func (t Take) allSaidYes(yes map[int64]bool) bool {
	if len(t.Performers) == 0 {
		return false
	}
	for _, id := range t.Performers {
		if !yes[id] {
			return false
		}
	}
	return true
}

// Waiting is the performers in the action who have not said yes yet.
func (t Take) Waiting() []int64 {
	var out []int64
	for _, id := range t.Performers {
		if !slices.ContainsFunc(t.CheckIns, func(c CheckIn) bool { return c.PerformerID == id && c.Answer == AnswerYes }) {
			out = append(out, id)
		}
	}
	return out
}

// InAction reports whether the performer checks in on the take.
func (t Take) InAction(performerID int64) bool { return slices.Contains(t.Performers, performerID) }

// Deviation is what was done differently from the plan in a take.
type Deviation struct {
	ID     int64
	TakeID int64
	Text   string
	// AgreedBy are the performers in the action who agreed to it.
	AgreedBy []int64
	// Incident: not every performer in the action agreed.
	Incident bool
	By       int64
	At       time.Time
}

// IsIncident reports whether a deviation agreed by agreed is an incident
// on take t: some performer in the action did not agree.
func IsIncident(t Take, agreed []int64) bool {
	for _, id := range t.Performers {
		if !slices.Contains(agreed, id) {
			return true
		}
	}
	return false
}

// Pause is a pause of a scene, called by a performer's check-in (their
// pause or the pause word), and its resume by an IC.
type Pause struct {
	ID          int64
	SceneID     int64
	TakeID      int64
	PerformerID int64
	By          int64
	At          time.Time
	// ResumedAt is when an IC resumed the scene after it; zero while the
	// pause holds.
	ResumedAt time.Time
	ResumedBy int64
}

// Open reports whether the pause still holds the scene.
func (p Pause) Open() bool { return p.ResumedAt.IsZero() }

// Length is how long the pause held the scene; until now while it holds.
func (p Pause) Length(now time.Time) time.Duration {
	if p.Open() {
		return now.Sub(p.At)
	}
	return p.ResumedAt.Sub(p.At)
}

// Rehearsal is a record of one rehearsal of a scene.
type Rehearsal struct {
	ID         int64
	SceneID    int64
	Performers []int64  // performers there, by id
	Others     []Person // everyone else there, by name
	Walked     string   // what was walked through
	Changes    string   // changes to the choreography
	// PlanVersion is the plan version the rehearsal's changes made; 0 when
	// they made none.
	PlanVersion int
	By          int64
	At          time.Time
}

// Person is someone named on a record who is not a performer of it.
type Person struct {
	Name string `json:"name"`
	Role string `json:"role"`
}

// StepOut is a performer stepping out of the scene's character at wrap,
// with the IC.
type StepOut struct {
	ID          int64
	SceneID     int64
	PerformerID int64
	By          int64
	At          time.Time
}

// Debrief is a performer's debrief after the scene. Its notes are sealed:
// only the performer and the production's ICs read them opened.
type Debrief struct {
	ID              int64
	SceneID         int64
	PerformerID     int64
	Sealed          []byte // the notes, sealed; nil when none were written
	FollowUpOffered bool
	By              int64
	At              time.Time
}

// RuleCrewDebrief names the rule a crew debrief of a scene without nudity
// or simulated sex breaks.
const RuleCrewDebrief = "crew_debrief_needs_nudity_or_simulated_sex"

// CrewDebriefDue reports whether the scene calls for a crew debrief:
// nudity or simulated sex, flagged by the breakdown (a flag not
// dismissed) or in its plan (nil: none). [practice: Directors UK; DOMAIN.md
// step 9]
func CrewDebriefDue(sc production.Scene, plan *consent.Plan) bool {
	for _, c := range sc.Flagged() {
		if c == string(breakdown.Nudity) || c == string(breakdown.SimulatedSex) {
			return true
		}
	}
	return plan != nil && (plan.Nudity() || plan.SimulatedSex())
}

// CrewDebrief is the crew's debrief after a scene with nudity or
// simulated sex: who held it and when, and notes that are not private.
type CrewDebrief struct {
	ID      int64
	SceneID int64
	HeldBy  string
	HeldAt  time.Time
	Notes   string
	By      int64
	At      time.Time
}

func clip(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}
