package credentials

import (
	"fmt"
	"slices"
	"time"

	"closedset"
	"closedset/production"
)

// Record is everything known of one IC's credentials: the profile they
// keep, the pathway stages trainers signed off, and the shoot days they
// worked on productions of this installation (as IC or trainee), which
// count as set days without being entered.
type Record struct {
	Profile    Profile
	SignOffs   []SignOff
	WorkedDays []production.Date
	// Known is false for a user who never kept a profile nor had a stage
	// signed off: nothing says they are a trainee, nor certified.
	Known bool
}

// SignOff is a trainer's sign-off of one pathway stage.
type SignOff struct {
	ID     int64
	UserID int64 // the trainee
	Stage  string
	Note   string
	By     int64
	ByName string
	At     time.Time
	On     production.Date // the day it was signed, in UTC
}

// State is where a certification stands on a day: computed, never stored.
type State string

// The states of a certification.
const (
	// Trainee: no certification on the record. A trainee never works or
	// presents themself as an IC, and is never IC of record.
	Trainee State = "trainee"
	// Certified: a certification that holds on the day, review not due.
	Certified State = "certified"
	// ReviewDue: the certification's review date has come and it has not
	// lapsed yet; it does not count as current.
	ReviewDue State = "review_due"
	// Lapsed: past the certification's last day.
	Lapsed State = "lapsed"
)

// The rules an IC of record is held to, as a RuleViolation names them.
const (
	RuleTraineeNotIC     = "trainee_never_ic_of_record"
	RuleCertification    = "ic_certification_current"
	RuleMHFA             = "ic_mhfa_current"
	RuleSetDays          = "set_days"
	RuleStageOrder       = "pathway_stage_order"
	RuleRecordItem       = "pathway_record_item"
	RuleEveryStage       = "certification_needs_every_stage"
	RuleSignedOffAlready = "stage_signed_off"
	RuleTraineeMember    = "trainee_member_only_as_trainee"
)

// ProgrammeBody is the body a programme certification is issued by.
const ProgrammeBody = "closedset training pathway"

// Certification is the record's certification: the one the IC declared,
// or the programme's (the certifying stage signed off), whichever was
// issued later; false when there is none.
func (r Record) Certification(pw Pathway) (Certification, bool) {
	var best *Certification
	if c := r.Profile.Certification; c != nil {
		cc := *c
		best = &cc
	}
	if st, ok := pw.certifying(); ok {
		if so, ok := r.signOff(st.Key); ok {
			pc := Certification{Body: ProgrammeBody, IssuedOn: so.On,
				ExpiresOn: AddDays(AddYears(so.On, CertificationCycle), -1)}
			if best == nil || pc.IssuedOn.Compare(best.IssuedOn) > 0 {
				best = &pc
			}
		}
	}
	if best == nil {
		return Certification{}, false
	}
	return *best, true
}

// StateOn is the certification's state on day.
func (r Record) StateOn(pw Pathway, day production.Date) State {
	c, ok := r.Certification(pw)
	return c.stateOn(ok, day)
}

func (c Certification) stateOn(ok bool, day production.Date) State {
	switch {
	case !ok:
		return Trainee
	case day.Compare(c.ExpiresOn) > 0:
		return Lapsed
	case !c.ReviewDueOn.IsZero() && day.Compare(c.ReviewDueOn) >= 0:
		return ReviewDue
	}
	return Certified
}

// MHFACurrentOn reports whether the record's Mental Health First Aid
// holds on day.
func (r Record) MHFACurrentOn(day production.Date) bool {
	m := r.Profile.MHFA
	return m != nil && m.CompletedOn.Compare(day) <= 0 && day.Compare(m.ExpiresOn) <= 0
}

// CheckICOfRecord says whether the record lets its IC be a production's
// lead IC of record on day: a RuleViolation naming the rule when it does
// not (a trainee, a certification lapsed or with its review due, no
// current Mental Health First Aid).
func (r Record) CheckICOfRecord(pw Pathway, name string, day production.Date) error {
	c, ok := r.Certification(pw)
	switch st := c.stateOn(ok, day); st {
	case Trainee:
		rule := RuleTraineeNotIC
		msg := fmt.Sprintf("%s is a trainee (no certification on record): a trainee never works as an IC nor is IC of record", name)
		return &closedset.Error{Kind: closedset.RuleViolation, Rule: rule, Msg: msg}
	case Lapsed:
		return &closedset.Error{Kind: closedset.RuleViolation, Rule: RuleCertification,
			Msg: fmt.Sprintf("%s's certification (%s) lapsed after %s; on %s it does not hold", name, c.Body, c.ExpiresOn, day)}
	case ReviewDue:
		return &closedset.Error{Kind: closedset.RuleViolation, Rule: RuleCertification,
			Msg: fmt.Sprintf("%s's certification (%s) was due for review on %s; on %s the review is overdue", name, c.Body, c.ReviewDueOn, day)}
	}
	if !r.MHFACurrentOn(day) {
		msg := fmt.Sprintf("%s has no Mental Health First Aid on record", name)
		if m := r.Profile.MHFA; m != nil {
			msg = fmt.Sprintf("%s's Mental Health First Aid holds %s to %s, not on %s", name, m.CompletedOn, m.ExpiresOn, day)
		}
		return &closedset.Error{Kind: closedset.RuleViolation, Rule: RuleMHFA, Msg: msg}
	}
	return nil
}

// SetDaysWithin counts the distinct days worked on a professional set in
// the years before day (day included): shoot days worked here and days
// entered with proof.
func (r Record) SetDaysWithin(day production.Date, years int) int {
	from := AddYears(day, -years)
	seen := map[production.Date]bool{}
	count := func(d production.Date) {
		if d.Compare(from) > 0 && d.Compare(day) <= 0 {
			seen[d] = true
		}
	}
	for _, d := range r.WorkedDays {
		count(d)
	}
	for _, d := range r.Profile.SetDays {
		count(d.On)
	}
	return len(seen)
}

// Expiry is a date of the record coming soon.
type Expiry struct {
	What string          `json:"what"`
	On   production.Date `json:"on"`
	Days int             `json:"days"` // from today; 0: today
}

// ExpiryWarning is how far ahead expiries are shown: 60 days.
const ExpiryWarning = 60

// Expiring lists the certification's expiry and review and the Mental
// Health First Aid's expiry that fall within ExpiryWarning days of today
// (and not before it), soonest first.
func (r Record) Expiring(pw Pathway, today production.Date) []Expiry {
	var out []Expiry
	add := func(what string, on production.Date) {
		if on.IsZero() {
			return
		}
		n := daysBetween(today, on)
		if n >= 0 && n <= ExpiryWarning {
			out = append(out, Expiry{What: what, On: on, Days: n})
		}
	}
	if c, ok := r.Certification(pw); ok {
		add("certification expires", c.ExpiresOn)
		add("certification review due", c.ReviewDueOn)
	}
	if m := r.Profile.MHFA; m != nil {
		add("Mental Health First Aid expires", m.ExpiresOn)
	}
	slices.SortStableFunc(out, func(a, b Expiry) int { return a.On.Compare(b.On) })
	return out
}

func (r Record) signOff(stage string) (SignOff, bool) {
	for _, s := range r.SignOffs {
		if s.Stage == stage {
			return s, true
		}
	}
	return SignOff{}, false
}

func daysBetween(a, b production.Date) int {
	ta := time.Date(a.Year, a.Month, a.Day, 12, 0, 0, 0, time.UTC)
	tb := time.Date(b.Year, b.Month, b.Day, 12, 0, 0, 0, time.UTC)
	return int(tb.Sub(ta).Round(24*time.Hour) / (24 * time.Hour))
}

// ProofFile is a file proving an item of the record (a certificate, a
// call sheet, a pay stub): its bytes kept only sealed, its name and type
// as the IC gave them.
type ProofFile struct {
	ID        int64
	UserID    int64
	Name      string
	MediaType string
	Size      int64  // of the plain bytes
	Sealed    []byte // nil in lists
	By        int64
	At        time.Time
}

// MaxProof bounds a proof file: a scanned certificate or a few pages.
const MaxProof = 5 << 20

// ProofTypes are the media types a proof file may have.
var ProofTypes = []string{"application/pdf", "image/jpeg", "image/png", "text/plain"}
