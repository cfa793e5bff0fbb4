package shoot

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

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
	Scenes     int    `json:"scenes"`
	Takes      int    `json:"takes"`
	Rolled     int    `json:"rolled"`
	CheckIns   Counts `json:"check_ins"`
	Pauses     int    `json:"pauses"`
	PausedFor  string `json:"paused_for"` // a duration: "12m30s"
	Deviations int    `json:"deviations"`
	Incidents  int    `json:"incidents"`
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
	// ClosedAt is the last step-out: the time of the scene's closure.
	ClosedAt         *time.Time `json:"closed_at,omitempty"`
	Debriefs         int        `json:"debriefs"`
	FollowUpsOffered int        `json:"follow_ups_offered"`
	CrewDebriefs     []CrewLine `json:"crew_debriefs"`
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
// date. now ends the pauses still holding. It is a pure function of its
// arguments.
func Compute(title string, date production.Date, scenes []SceneRecord, now time.Time) DayReport {
	r := DayReport{Production: title, Date: date, Scenes: []SceneReport{}}
	var paused time.Duration
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
		for _, s := range sc.StepOuts {
			sr.StepOuts++
			if at := s.At.UTC(); sr.ClosedAt == nil || at.After(*sr.ClosedAt) {
				sr.ClosedAt = &at
			}
		}
		for _, d := range sc.Debriefs {
			sr.Debriefs++
			if d.FollowUpOffered {
				sr.FollowUpsOffered++
			}
		}
		for _, c := range sc.CrewDebriefs {
			sr.CrewDebriefs = append(sr.CrewDebriefs, CrewLine{HeldBy: c.HeldBy, HeldAt: c.HeldAt.UTC()})
		}
		r.Totals.Takes += len(sc.Takes)
		r.Totals.Pauses += len(sc.Pauses)
		if len(sc.Takes) > 0 {
			r.Totals.Scenes++
		}
		r.Scenes = append(r.Scenes, sr)
	}
	r.Totals.PausedFor = paused.Round(time.Second).String()
	return r
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
