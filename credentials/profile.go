package credentials

import (
	"cmp"
	"encoding/json"
	"slices"
	"strconv"
	"time"

	"closedset"
	"closedset/production"
	"closedset/textfield"
)

// Profile is what an IC records of themself: training by area, Mental
// Health First Aid, a background check, applied experience, set days
// worked off the system, and a certification. Proofs are named by the id
// of a proof file the IC uploaded; the bytes are never here.
type Profile struct {
	Trainings       []Training       `json:"trainings"`
	MHFA            *MHFA            `json:"mhfa,omitempty"`
	BackgroundCheck *BackgroundCheck `json:"background_check,omitempty"`
	Experience      []Experience     `json:"applied_experience"`
	SetDays         []SetDay         `json:"set_days"`
	Certification   *Certification   `json:"certification,omitempty"`
}

// Training is one training area done: where, when, and its proof.
type Training struct {
	Area        string          `json:"area"`
	Provider    string          `json:"provider"`
	CompletedOn production.Date `json:"completed_on"`
	ProofFileID int64           `json:"proof_file_id,omitempty"`
}

// MHFA is Mental Health First Aid or its equivalent: it expires, and
// ExpiresOn is the last day it holds.
type MHFA struct {
	Provider    string          `json:"provider,omitempty"`
	CompletedOn production.Date `json:"completed_on"`
	ExpiresOn   production.Date `json:"expires_on"`
	ProofFileID int64           `json:"proof_file_id,omitempty"`
}

// The scopes of a background check.
const (
	ScopeNational      = "national"
	ScopeInternational = "international"
)

// BackgroundCheck is the IC's latest background check.
type BackgroundCheck struct {
	On          production.Date `json:"on"`
	Scope       string          `json:"scope"` // national or international
	ProofFileID int64           `json:"proof_file_id,omitempty"`
}

// Experience is supervised or mentored applied work.
type Experience struct {
	What        string          `json:"what"`
	Supervisor  string          `json:"supervisor"`
	From        production.Date `json:"from"`
	To          production.Date `json:"to"`
	ProofFileID int64           `json:"proof_file_id,omitempty"`
}

// SetDay is a day worked on a professional film or television set, any
// department, paid or not, entered with its proof (a call sheet, a pay
// stub, a producer's or UPM's letter). Shoot days worked on a production
// of this installation count without being entered.
type SetDay struct {
	On          production.Date `json:"on"`
	Production  string          `json:"production"`
	Department  string          `json:"department,omitempty"`
	ProofFileID int64           `json:"proof_file_id"`
}

// CertificationCycle is how long a certification lasts when its expiry is
// not given: two years, then a review (the seed's programme).
const CertificationCycle = 2

// Certification is the IC's certification: by whom, issued when, the last
// day it holds, and when its review is due (none: at expiry).
type Certification struct {
	Body        string          `json:"body"`
	IssuedOn    production.Date `json:"issued_on"`
	ExpiresOn   production.Date `json:"expires_on"`
	ReviewDueOn production.Date `json:"review_due_on,omitempty"`
	ProofFileID int64           `json:"proof_file_id,omitempty"`
}

// Bounds of a profile.
const (
	MaxTrainings  = 100
	MaxExperience = 100
	MaxSetDays    = 1000
)

// Normalize checks the profile against the areas and the day it is
// recorded on, fills what has a default (a certification's expiry), trims
// and sorts it, so that equal records have one JSON. Errors are Invalid
// and name the field.
func (p *Profile) Normalize(areas Areas, today production.Date) error {
	if len(p.Trainings) > MaxTrainings {
		return closedset.FieldErrorf(closedset.Invalid, "trainings", "%d trainings, at most %d", len(p.Trainings), MaxTrainings)
	}
	seen := map[string]bool{}
	for i := range p.Trainings {
		t := &p.Trainings[i]
		f := "trainings[" + itoa(i) + "]"
		a, ok := areas.Find(t.Area)
		if !ok || a.Kind != KindArea {
			return closedset.FieldErrorf(closedset.Invalid, f+".area", "unknown training area %q", t.Area)
		}
		if seen[t.Area] {
			return closedset.FieldErrorf(closedset.Invalid, f+".area", "%s is listed twice", t.Area)
		}
		seen[t.Area] = true
		var err error
		if t.Provider, err = line(f+".provider", t.Provider, true); err != nil {
			return err
		}
		if err := past(f+".completed_on", t.CompletedOn, today, true); err != nil {
			return err
		}
		if err := proof(f, t.ProofFileID); err != nil {
			return err
		}
	}
	slices.SortFunc(p.Trainings, func(a, b Training) int { return cmp.Compare(a.Area, b.Area) })
	if m := p.MHFA; m != nil {
		var err error
		if m.Provider, err = line("mhfa.provider", m.Provider, false); err != nil {
			return err
		}
		if err := past("mhfa.completed_on", m.CompletedOn, today, true); err != nil {
			return err
		}
		if !m.ExpiresOn.Valid() || m.ExpiresOn.Compare(m.CompletedOn) <= 0 {
			return closedset.FieldErrorf(closedset.Invalid, "mhfa.expires_on", "a date after completed_on: Mental Health First Aid expires")
		}
		if err := proof("mhfa", m.ProofFileID); err != nil {
			return err
		}
	}
	if b := p.BackgroundCheck; b != nil {
		if err := past("background_check.on", b.On, today, true); err != nil {
			return err
		}
		if b.Scope != ScopeNational && b.Scope != ScopeInternational {
			return closedset.FieldErrorf(closedset.Invalid, "background_check.scope", "%q (want national or international)", b.Scope)
		}
		if err := proof("background_check", b.ProofFileID); err != nil {
			return err
		}
	}
	if len(p.Experience) > MaxExperience {
		return closedset.FieldErrorf(closedset.Invalid, "applied_experience", "%d entries, at most %d", len(p.Experience), MaxExperience)
	}
	for i := range p.Experience {
		e := &p.Experience[i]
		f := "applied_experience[" + itoa(i) + "]"
		var err error
		if e.What, err = line(f+".what", e.What, true); err != nil {
			return err
		}
		if e.Supervisor, err = line(f+".supervisor", e.Supervisor, true); err != nil {
			return err
		}
		if err := past(f+".from", e.From, today, true); err != nil {
			return err
		}
		if err := past(f+".to", e.To, today, false); err != nil {
			return err
		}
		if !e.To.IsZero() && e.To.Compare(e.From) < 0 {
			return closedset.FieldErrorf(closedset.Invalid, f+".to", "before from")
		}
		if err := proof(f, e.ProofFileID); err != nil {
			return err
		}
	}
	if len(p.SetDays) > MaxSetDays {
		return closedset.FieldErrorf(closedset.Invalid, "set_days", "%d days, at most %d", len(p.SetDays), MaxSetDays)
	}
	days := map[production.Date]bool{}
	for i := range p.SetDays {
		d := &p.SetDays[i]
		f := "set_days[" + itoa(i) + "]"
		if err := past(f+".on", d.On, today, true); err != nil {
			return err
		}
		if days[d.On] {
			return closedset.FieldErrorf(closedset.Invalid, f+".on", "%s is listed twice", d.On)
		}
		days[d.On] = true
		var err error
		if d.Production, err = line(f+".production", d.Production, true); err != nil {
			return err
		}
		if d.Department, err = line(f+".department", d.Department, false); err != nil {
			return err
		}
		if d.ProofFileID <= 0 {
			return closedset.FieldErrorf(closedset.Invalid, f+".proof_file_id", "a set day is entered with its proof (a call sheet, a pay stub, a producer's letter)")
		}
	}
	slices.SortFunc(p.SetDays, func(a, b SetDay) int { return a.On.Compare(b.On) })
	if c := p.Certification; c != nil {
		var err error
		if c.Body, err = line("certification.body", c.Body, true); err != nil {
			return err
		}
		if err := past("certification.issued_on", c.IssuedOn, today, true); err != nil {
			return err
		}
		if c.ExpiresOn.IsZero() {
			c.ExpiresOn = AddDays(AddYears(c.IssuedOn, CertificationCycle), -1)
		}
		if !c.ExpiresOn.Valid() || c.ExpiresOn.Compare(c.IssuedOn) <= 0 {
			return closedset.FieldErrorf(closedset.Invalid, "certification.expires_on", "a date after issued_on")
		}
		if !c.ReviewDueOn.IsZero() && (!c.ReviewDueOn.Valid() || c.ReviewDueOn.Compare(c.IssuedOn) <= 0) {
			return closedset.FieldErrorf(closedset.Invalid, "certification.review_due_on", "a date after issued_on")
		}
		if err := proof("certification", c.ProofFileID); err != nil {
			return err
		}
	}
	if p.Trainings == nil {
		p.Trainings = []Training{}
	}
	if p.Experience == nil {
		p.Experience = []Experience{}
	}
	if p.SetDays == nil {
		p.SetDays = []SetDay{}
	}
	return nil
}

// ProofIDs are the proof files the profile names, each once, in order.
func (p Profile) ProofIDs() []int64 {
	var ids []int64
	add := func(id int64) {
		if id > 0 && !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	for _, t := range p.Trainings {
		add(t.ProofFileID)
	}
	if p.MHFA != nil {
		add(p.MHFA.ProofFileID)
	}
	if p.BackgroundCheck != nil {
		add(p.BackgroundCheck.ProofFileID)
	}
	for _, e := range p.Experience {
		add(e.ProofFileID)
	}
	for _, d := range p.SetDays {
		add(d.ProofFileID)
	}
	if p.Certification != nil {
		add(p.Certification.ProofFileID)
	}
	slices.Sort(ids)
	return ids
}

// MaxProfile bounds a profile's JSON.
const MaxProfile = 256 << 10

// MarshalProfile is the profile's canonical JSON, as stored.
func MarshalProfile(p Profile) ([]byte, error) { return json.Marshal(p) }

// UnmarshalProfile reads a stored profile.
func UnmarshalProfile(b []byte) (Profile, error) {
	var p Profile
	if len(b) > MaxProfile {
		return Profile{}, closedset.Errorf(closedset.TooLarge, "profile is %d bytes, at most %d", len(b), MaxProfile)
	}
	if err := json.Unmarshal(b, &p); err != nil {
		return Profile{}, closedset.Errorf(closedset.Invalid, "profile: %v", err)
	}
	return p, nil
}

// line checks a one-line field of the record (textfield.Line).
func line(field, s string, required bool) (string, error) {
	return textfield.Line(field, s, textfield.MaxName, required)
}

// past checks a date of the record: a real day, not after today.
func past(field string, d, today production.Date, required bool) error {
	switch {
	case d.IsZero() && !required:
		return nil
	case d.IsZero():
		return closedset.FieldErrorf(closedset.Invalid, field, "a date (YYYY-MM-DD) is required")
	case !d.Valid():
		return closedset.FieldErrorf(closedset.Invalid, field, "%04d-%02d-%02d is no date", d.Year, int(d.Month), d.Day)
	case d.Compare(today) > 0:
		return closedset.FieldErrorf(closedset.Invalid, field, "%s is after today (%s)", d, today)
	}
	return nil
}

func proof(field string, id int64) error {
	if id < 0 {
		return closedset.FieldErrorf(closedset.Invalid, field+".proof_file_id", "%d is no proof file", id)
	}
	return nil
}

func itoa(i int) string { return strconv.Itoa(i) }

// AddDays is d moved n calendar days.
func AddDays(d production.Date, n int) production.Date {
	return production.DateOf(time.Date(d.Year, d.Month, d.Day+n, 12, 0, 0, 0, time.UTC))
}

// AddYears is d moved n years; 29 February becomes 1 March in a year
// without it.
func AddYears(d production.Date, n int) production.Date {
	return production.DateOf(time.Date(d.Year+n, d.Month, d.Day, 12, 0, 0, 0, time.UTC))
}
