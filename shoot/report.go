package shoot

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"closedset/auth"
	"closedset/production"
)

// SceneRecord is everything recorded on one scene on the day: what the
// end-of-day report is computed from. Debriefs come sealed, and the
// report reads only that they were held, never their notes.
type SceneRecord struct {
	SceneID      int64
	Number       string
	Heading      string
	Takes        []Take
	Pauses       []Pause
	StepOuts     []StepOut
	Debriefs     []Debrief
	CrewDebriefs []CrewDebrief
	// Requests are the scene's department requests as they stand (their
	// texts and notes are not read); ClosedSets every version of its
	// closed-set list with its approvals, oldest first.
	Requests   []production.Request
	ClosedSets []production.ClosedSetVersion
}

// Between is the record of what happened from from until to (zero: no
// end): the takes logged then, with their pauses, and the step-outs,
// debriefs and crew debriefs recorded then. A scene shot over two days
// shows on each day's report with that day's takes only. Requests and
// closed-set lists are kept whole: they are measured against the takes.
func (r SceneRecord) Between(from, to time.Time) SceneRecord {
	in := func(t time.Time) bool { return !t.Before(from) && (to.IsZero() || t.Before(to)) }
	out := r
	out.Takes, out.Pauses, out.StepOuts, out.Debriefs, out.CrewDebriefs = nil, nil, nil, nil, nil
	kept := map[int64]bool{}
	for _, t := range r.Takes {
		if in(t.At) {
			out.Takes = append(out.Takes, t)
			kept[t.ID] = true
		}
	}
	for _, p := range r.Pauses {
		if kept[p.TakeID] {
			out.Pauses = append(out.Pauses, p)
		}
	}
	for _, s := range r.StepOuts {
		if in(s.At) {
			out.StepOuts = append(out.StepOuts, s)
		}
	}
	for _, d := range r.Debriefs {
		if in(d.At) {
			out.Debriefs = append(out.Debriefs, d)
		}
	}
	for _, c := range r.CrewDebriefs {
		if in(c.HeldAt) {
			out.CrewDebriefs = append(out.CrewDebriefs, c)
		}
	}
	return out
}

// DayReport is the end-of-day report of a shoot day, for the production
// team: what was shot and how, with counts and times. It has no field
// for a boundary, a private note, a debrief's notes, a crew debrief's
// notes or a withdrawal's reason, and names no performer who paused or
// stopped (status only, invariant 5).
type DayReport struct {
	Production string          `json:"production"`
	Date       production.Date `json:"date"`
	Scenes     []SceneReport   `json:"scenes"`
	Totals     Totals          `json:"totals"`
}

// Totals are the day's counts over every scene.
type Totals struct {
	Scenes     int    `json:"scenes"` // scenes shot: with at least one take
	Takes      int    `json:"takes"`
	Rolled     int    `json:"rolled"`
	CheckIns   Counts `json:"check_ins"`
	Pauses     int    `json:"pauses"`
	PausedFor  string `json:"paused_for"` // a duration: "12m30s"
	Deviations int    `json:"deviations"`
	Incidents  int    `json:"incidents"`
	// Requests are the requests of the day's scenes by department.
	Requests []DepartmentCount `json:"requests"`
	// ClosedSetCompliant counts the scenes shot whose every take was
	// logged under a closed-set list approved by an IC and an AD.
	ClosedSetCompliant int `json:"closed_set_compliant"`
	// NotClosed counts the scenes shot that are not closed yet; ClosedAt
	// is the day's time of closure, the last scene's, once none is open.
	NotClosed int        `json:"not_closed"`
	ClosedAt  *time.Time `json:"closed_at,omitempty"`
}

// DepartmentCount is one department's requests: how many are done, of
// how many.
type DepartmentCount struct {
	Department string `json:"department"`
	Done       int    `json:"done"`
	Total      int    `json:"total"`
}

// ClosedSetCheck is a shot scene's closed-set compliance. What it
// measures: for each take, the version of the scene's list that was the
// latest when the take was logged, and whether an IC and an AD had both
// approved that version by then. The scene complies when every take
// does. (Takes are refused while the list is not approved, so a scene
// that does not comply points at a record made some other way: a list
// changed during the shoot, a gate turned off.)
type ClosedSetCheck struct {
	// Version is the list in force at the first take; 0 when there was
	// none.
	Version int `json:"version"`
	// ApprovedAt is when that version had both approvals; nil when it
	// never had.
	ApprovedAt *time.Time `json:"approved_at,omitempty"`
	Compliant  bool       `json:"compliant"`
	// Unapproved counts the takes logged when the list in force lacked
	// an approval.
	Unapproved int `json:"unapproved_takes"`
}

// Counts are check-ins by answer.
type Counts struct {
	Yes   int `json:"yes"`
	Pause int `json:"pause"`
	Stop  int `json:"stop"`
}

func (c *Counts) add(a Answer) {
	switch a {
	case AnswerYes:
		c.Yes++
	case AnswerPause:
		c.Pause++
	case AnswerStop:
		c.Stop++
	}
}

// SceneReport is one scene of the day.
type SceneReport struct {
	SceneID    int64           `json:"scene_id"`
	Number     string          `json:"number"`
	Heading    string          `json:"heading"`
	Takes      []TakeLine      `json:"takes"`
	CheckIns   Counts          `json:"check_ins"`
	Pauses     []PauseLine     `json:"pauses"`
	Deviations []DeviationLine `json:"deviations"`
	StepOuts   int             `json:"step_outs"`
	// ClosedAt is the scene's time of closure: once every performer in
	// the action of its takes has stepped out after its last take, the
	// last of those step-outs (for a scene with no take, its last
	// step-out, if any). AwaitingStepOut counts the performers who have
	// not stepped out yet.
	ClosedAt         *time.Time `json:"closed_at,omitempty"`
	AwaitingStepOut  int        `json:"awaiting_step_out"`
	Debriefs         int        `json:"debriefs"`
	FollowUpsOffered int        `json:"follow_ups_offered"`
	CrewDebriefs     []CrewLine `json:"crew_debriefs"`
	// Requests are the scene's requests by department.
	Requests []DepartmentCount `json:"requests"`
	// ClosedSet is the scene's closed-set compliance; nil when it was not
	// shot.
	ClosedSet *ClosedSetCheck `json:"closed_set,omitempty"`
}

// TakeLine is one take: its number, state and times, and its check-ins.
type TakeLine struct {
	Number   int        `json:"number"`
	State    TakeState  `json:"state"`
	LoggedAt time.Time  `json:"logged_at"`
	RolledAt *time.Time `json:"rolled_at,omitempty"`
	CheckIns Counts     `json:"check_ins"`
}

// PauseLine is one pause: when, after which take, and for how long.
type PauseLine struct {
	Take      int        `json:"take"`
	At        time.Time  `json:"at"`
	ResumedAt *time.Time `json:"resumed_at,omitempty"`
	Length    string     `json:"length"`
}

// DeviationLine is one deviation and whether it was an incident.
type DeviationLine struct {
	Take     int    `json:"take"`
	Text     string `json:"text"`
	Incident bool   `json:"incident"`
}

// CrewLine says a crew debrief was held: by whom and when (its notes stay
// on the scene's record).
type CrewLine struct {
	HeldBy string    `json:"held_by"`
	HeldAt time.Time `json:"held_at"`
}

// Compute is the end-of-day report of the scenes, in the order given, on
// date (each record already limited to the day: SceneRecord.Between).
// now ends the pauses still holding. It is a pure function of its
// arguments.
func Compute(title string, date production.Date, scenes []SceneRecord, now time.Time) DayReport {
	r := DayReport{Production: title, Date: date, Scenes: []SceneReport{}}
	var paused time.Duration
	var byDept []production.Request
	var dayClosed *time.Time
	for _, sc := range scenes {
		sr := SceneReport{SceneID: sc.SceneID, Number: sc.Number, Heading: sc.Heading,
			Takes: []TakeLine{}, Pauses: []PauseLine{}, Deviations: []DeviationLine{}, CrewDebriefs: []CrewLine{}}
		number := map[int64]int{}
		for _, t := range sc.Takes {
			number[t.ID] = t.Number
			st, rolled := t.State()
			tl := TakeLine{Number: t.Number, State: st, LoggedAt: t.At.UTC()}
			if !rolled.IsZero() {
				at := rolled.UTC()
				tl.RolledAt = &at
				r.Totals.Rolled++
			}
			for _, c := range t.CheckIns {
				tl.CheckIns.add(c.Answer)
				sr.CheckIns.add(c.Answer)
				r.Totals.CheckIns.add(c.Answer)
			}
			sr.Takes = append(sr.Takes, tl)
			for _, d := range t.Deviations {
				sr.Deviations = append(sr.Deviations, DeviationLine{Take: t.Number, Text: d.Text, Incident: d.Incident})
				r.Totals.Deviations++
				if d.Incident {
					r.Totals.Incidents++
				}
			}
		}
		for _, p := range sc.Pauses {
			pl := PauseLine{Take: number[p.TakeID], At: p.At.UTC(), Length: p.Length(now).Round(time.Second).String()}
			if !p.Open() {
				at := p.ResumedAt.UTC()
				pl.ResumedAt = &at
			}
			paused += p.Length(now)
			sr.Pauses = append(sr.Pauses, pl)
		}
		sr.StepOuts = len(sc.StepOuts)
		sr.ClosedAt, sr.AwaitingStepOut = closure(sc)
		for _, d := range sc.Debriefs {
			sr.Debriefs++
			if d.FollowUpOffered {
				sr.FollowUpsOffered++
			}
		}
		for _, c := range sc.CrewDebriefs {
			sr.CrewDebriefs = append(sr.CrewDebriefs, CrewLine{HeldBy: c.HeldBy, HeldAt: c.HeldAt.UTC()})
		}
		sr.Requests = countRequests(sc.Requests)
		byDept = append(byDept, sc.Requests...)
		r.Totals.Takes += len(sc.Takes)
		r.Totals.Pauses += len(sc.Pauses)
		if len(sc.Takes) > 0 {
			r.Totals.Scenes++
			check := closedSetCheck(sc)
			sr.ClosedSet = &check
			if check.Compliant {
				r.Totals.ClosedSetCompliant++
			}
			switch {
			case sr.ClosedAt == nil:
				r.Totals.NotClosed++
			case dayClosed == nil || sr.ClosedAt.After(*dayClosed):
				dayClosed = sr.ClosedAt
			}
		}
		r.Scenes = append(r.Scenes, sr)
	}
	r.Totals.PausedFor = paused.Round(time.Second).String()
	r.Totals.Requests = countRequests(byDept)
	if r.Totals.Scenes > 0 && r.Totals.NotClosed == 0 {
		r.Totals.ClosedAt = dayClosed
	}
	return r
}

// closure is the scene's time of closure and how many performers in the
// action of its takes have not stepped out since its last take.
func closure(sc SceneRecord) (*time.Time, int) {
	var last time.Time
	if len(sc.Takes) == 0 {
		for _, s := range sc.StepOuts {
			if s.At.After(last) {
				last = s.At
			}
		}
		if last.IsZero() {
			return nil, 0
		}
		at := last.UTC()
		return &at, 0
	}
	var lastTake time.Time
	var who []int64
	for _, t := range sc.Takes {
		if t.At.After(lastTake) {
			lastTake = t.At
		}
		for _, id := range t.Performers {
			if !slices.Contains(who, id) {
				who = append(who, id)
			}
		}
	}
	awaiting := 0
	for _, id := range who {
		var out time.Time
		for _, s := range sc.StepOuts {
			if s.PerformerID == id && !s.At.Before(lastTake) && s.At.After(out) {
				out = s.At
			}
		}
		if out.IsZero() {
			awaiting++
		} else if out.After(last) {
			last = out
		}
	}
	if awaiting > 0 || last.IsZero() {
		return nil, awaiting
	}
	at := last.UTC()
	return &at, 0
}

// countRequests counts requests by department, done of total, in the
// order of auth.Departments.
func countRequests(rs []production.Request) []DepartmentCount {
	out := []DepartmentCount{}
	for _, d := range auth.Departments() {
		c := DepartmentCount{Department: string(d)}
		for _, r := range rs {
			if r.Department == d {
				c.Total++
				if r.State == production.RequestDone {
					c.Done++
				}
			}
		}
		if c.Total > 0 {
			out = append(out, c)
		}
	}
	return out
}

// closedSetCheck measures the scene's closed-set compliance (see
// ClosedSetCheck) over its takes in the order they were logged.
func closedSetCheck(sc SceneRecord) ClosedSetCheck {
	takes := slices.Clone(sc.Takes)
	slices.SortStableFunc(takes, func(a, b Take) int { return a.At.Compare(b.At) })
	out := ClosedSetCheck{Compliant: true}
	for i, t := range takes {
		v, ok := inForce(sc.ClosedSets, t.At)
		approved, ok2 := approvedAt(v)
		if i == 0 && ok {
			out.Version = v.Version
			if ok2 {
				at := approved.UTC()
				out.ApprovedAt = &at
			}
		}
		if !ok || !ok2 || approved.After(t.At) {
			out.Unapproved++
			out.Compliant = false
		}
	}
	return out
}

// inForce is the latest version written at or before t.
func inForce(vs []production.ClosedSetVersion, t time.Time) (production.ClosedSetVersion, bool) {
	var out production.ClosedSetVersion
	ok := false
	for _, v := range vs {
		if !v.At.After(t) && (!ok || cmp.Or(cmp.Compare(v.Version, out.Version), v.At.Compare(out.At)) > 0) {
			out, ok = v, true
		}
	}
	return out, ok
}

// approvedAt is when the version had an approval in every approver role:
// the later of each role's first approval.
func approvedAt(v production.ClosedSetVersion) (time.Time, bool) {
	var at time.Time
	for _, role := range production.ApproverRoles {
		var first time.Time
		for _, a := range v.Approvals {
			if a.Role == role && a.Version == v.Version && (first.IsZero() || a.At.Before(first)) {
				first = a.At
			}
		}
		if first.IsZero() {
			return time.Time{}, false
		}
		if first.After(at) {
			at = first
		}
	}
	return at, true
}

// Canonical is the report's content as stored and signed: JSON, its
// fields in a fixed order.
func (r DayReport) Canonical() []byte {
	b, err := json.Marshal(r)
	if err != nil {
		panic("shoot: a report does not marshal: " + err.Error()) // plain values only
	}
	return b
}

// Hash is the hex SHA-256 of the canonical content.
func (r DayReport) Hash() string {
	sum := sha256.Sum256(r.Canonical())
	return hex.EncodeToString(sum[:])
}

// SignedReport is a version of a day's report as signed off: the content
// then, and who signed it when. A correction is a new version.
type SignedReport struct {
	ID         int64
	ShootDayID int64
	Version    int
	Content    []byte // the report's canonical content (DayReport.Canonical)
	Hash       string
	SignedBy   int64
	SignerName string
	SignedAt   time.Time
}

// Report decodes the signed content.
func (s SignedReport) Report() (DayReport, error) {
	var r DayReport
	if err := json.Unmarshal(s.Content, &r); err != nil {
		return DayReport{}, fmt.Errorf("report of shoot day %d version %d: stored content does not decode: %w", s.ShootDayID, s.Version, err)
	}
	return r, nil
}

// Unchanged reports whether the report matches the latest signed version
// of versions (newest last), so that signing it again adds nothing.
func Unchanged(r DayReport, versions []SignedReport) bool {
	return len(versions) > 0 && versions[len(versions)-1].Hash == r.Hash()
}
