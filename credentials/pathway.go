package credentials

import (
	_ "embed"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"closedset"
	"closedset/production"
)

// Part is the part of the programme a stage belongs to.
type Part string

// The parts of a programme.
const (
	PartModule        Part = "module"
	PartCertification Part = "certification"
)

// The kinds of a stage's rule (see pathway.tsv).
const (
	NeedAfter      = "after"
	NeedSetDays    = "set_days"
	NeedMHFA       = "record:mhfa"
	NeedBackground = "record:background"
	NeedAreas      = "record:areas"
	NeedAll        = "all"
)

// Need is one rule a stage needs met.
type Need struct {
	Kind  string // one of the Need kinds
	Stage string // after: the stage
	Days  int    // set_days: how many
	Years int    // set_days: within how many years
}

// Stage is one stage of the pathway.
type Stage struct {
	Key   string
	Part  Part
	Name  string
	Needs []Need
}

// SignedOff reports whether a trainer completes the stage: every stage
// does but one the record alone completes (needs only record: rules).
func (s Stage) SignedOff() bool {
	return slices.ContainsFunc(s.Needs, func(n Need) bool { return !strings.HasPrefix(n.Kind, "record:") }) || len(s.Needs) == 0
}

// Certifies reports whether the stage is the certifying one.
func (s Stage) Certifies() bool {
	return slices.ContainsFunc(s.Needs, func(n Need) bool { return n.Kind == NeedAll })
}

// Pathway is a training programme's stages, in order.
type Pathway struct {
	Stages []Stage
}

//go:embed pathway.tsv
var defaultPathway []byte

// DefaultPathway returns the embedded pathway (pathway.tsv).
func DefaultPathway() Pathway {
	p, err := ParsePathway(defaultPathway)
	if err != nil {
		panic("credentials: embedded pathway.tsv: " + err.Error())
	}
	return p
}

// ParsePathway reads a pathway file: key, part, name and needs a line,
// tab-separated. An after: rule names an earlier stage; at most one stage
// certifies. Errors name the line.
func ParsePathway(data []byte) (Pathway, error) {
	if len(data) > MaxDataFile {
		return Pathway{}, closedset.Errorf(closedset.TooLarge, "pathway file is %d bytes, at most %d", len(data), MaxDataFile)
	}
	var pw Pathway
	certifying := 0
	for _, dl := range dataLines(data) {
		f := strings.Split(dl.text, "\t")
		if len(f) != 4 {
			return Pathway{}, lineErr("pathway", dl.n, "%d fields, want 4 (key, part, name, needs)", len(f))
		}
		st := Stage{Key: f[0], Part: Part(f[1]), Name: strings.TrimSpace(f[2])}
		if !validKey(st.Key) {
			return Pathway{}, lineErr("pathway", dl.n, "key %q: lower-case letters, digits and _ only", st.Key)
		}
		if _, dup := pw.Stage(st.Key); dup {
			return Pathway{}, lineErr("pathway", dl.n, "%s appears twice", st.Key)
		}
		if st.Part != PartModule && st.Part != PartCertification {
			return Pathway{}, lineErr("pathway", dl.n, "part %q (want module or certification)", f[1])
		}
		if st.Name == "" || len(st.Name) > 200 {
			return Pathway{}, lineErr("pathway", dl.n, "a name of 1 to 200 bytes")
		}
		if f[3] != "-" {
			for _, tok := range strings.Split(f[3], ",") {
				n, err := parseNeed(tok)
				if err != nil {
					return Pathway{}, lineErr("pathway", dl.n, "%v", err)
				}
				if n.Kind == NeedAfter {
					if _, ok := pw.Stage(n.Stage); !ok {
						return Pathway{}, lineErr("pathway", dl.n, "after:%s names no earlier stage", n.Stage)
					}
				}
				if slices.Contains(st.Needs, n) {
					return Pathway{}, lineErr("pathway", dl.n, "%s is listed twice", tok)
				}
				st.Needs = append(st.Needs, n)
			}
		}
		if st.Certifies() {
			certifying++
		}
		pw.Stages = append(pw.Stages, st)
		if len(pw.Stages) > 100 {
			return Pathway{}, lineErr("pathway", dl.n, "more than 100 stages")
		}
	}
	if len(pw.Stages) == 0 {
		return Pathway{}, closedset.Errorf(closedset.Invalid, "pathway file lists no stage")
	}
	if certifying > 1 {
		return Pathway{}, closedset.Errorf(closedset.Invalid, "pathway file: %d stages say all; at most one certifies", certifying)
	}
	return pw, nil
}

func parseNeed(tok string) (Need, error) {
	switch {
	case tok == NeedMHFA, tok == NeedBackground, tok == NeedAreas, tok == NeedAll:
		return Need{Kind: tok}, nil
	case strings.HasPrefix(tok, "after:"):
		k := strings.TrimPrefix(tok, "after:")
		if !validKey(k) {
			return Need{}, fmt.Errorf("rule %q: after: a stage key", tok)
		}
		return Need{Kind: NeedAfter, Stage: k}, nil
	case strings.HasPrefix(tok, "set_days:"):
		n, y, ok := strings.Cut(strings.TrimPrefix(tok, "set_days:"), ":")
		days, err1 := strconv.Atoi(n)
		years, err2 := strconv.Atoi(strings.TrimSuffix(y, "y"))
		if !ok || !strings.HasSuffix(y, "y") || err1 != nil || err2 != nil || days < 1 || days > 10000 || years < 1 || years > 100 {
			return Need{}, fmt.Errorf("rule %q: want set_days:N:Yy (1 to 10000 days within 1 to 100 years)", tok)
		}
		return Need{Kind: NeedSetDays, Days: days, Years: years}, nil
	}
	return Need{}, fmt.Errorf("unknown rule %q", tok)
}

// Stage returns the stage with key.
func (pw Pathway) Stage(key string) (Stage, bool) {
	for _, s := range pw.Stages {
		if s.Key == key {
			return s, true
		}
	}
	return Stage{}, false
}

func (pw Pathway) certifying() (Stage, bool) {
	for _, s := range pw.Stages {
		if s.Certifies() {
			return s, true
		}
	}
	return Stage{}, false
}

// The states of a stage.
const (
	StageComplete = "complete"
	StageOpen     = "open"   // every rule met: a trainer may sign it off
	StageLocked   = "locked" // a rule unmet
)

// Progress is one stage of a trainee's pathway: its state, its sign-off,
// and what each of its rules needs.
type Progress struct {
	Stage    Stage
	State    string
	SignOff  *SignOff
	Rules    []RuleState
	SignedBy string // who signs it off: "trainer", or "the record"
}

// RuleState is one rule of a stage, met or not, said in words.
type RuleState struct {
	Rule    string `json:"rule"`
	Needs   string `json:"needs"`
	Met     bool   `json:"met"`
	Missing string `json:"missing,omitempty"`
}

// Progress is the trainee's state on every stage, on day.
func (pw Pathway) Progress(r Record, areas Areas, day production.Date) []Progress {
	out := make([]Progress, 0, len(pw.Stages))
	for _, st := range pw.Stages {
		p := Progress{Stage: st, SignedBy: "trainer"}
		if !st.SignedOff() {
			p.SignedBy = "the record"
		}
		for _, n := range st.Needs {
			p.Rules = append(p.Rules, pw.check(n, st, r, areas, day))
		}
		met := !slices.ContainsFunc(p.Rules, func(rs RuleState) bool { return !rs.Met })
		if so, ok := r.signOff(st.Key); ok && st.SignedOff() {
			so := so
			p.SignOff = &so
			p.State = StageComplete
		} else if !st.SignedOff() && met {
			p.State = StageComplete
		} else if met && st.SignedOff() {
			p.State = StageOpen
		} else {
			p.State = StageLocked
		}
		out = append(out, p)
	}
	return out
}

// complete reports whether the stage is complete on day.
func (pw Pathway) complete(key string, r Record, areas Areas, day production.Date) bool {
	st, ok := pw.Stage(key)
	if !ok {
		return false
	}
	if st.SignedOff() {
		_, done := r.signOff(key)
		return done
	}
	for _, n := range st.Needs {
		if !pw.check(n, st, r, areas, day).Met {
			return false
		}
	}
	return true
}

// check says whether the record meets one rule of stage st on day.
func (pw Pathway) check(n Need, st Stage, r Record, areas Areas, day production.Date) RuleState {
	switch n.Kind {
	case NeedAfter:
		other, _ := pw.Stage(n.Stage)
		rs := RuleState{Rule: RuleStageOrder, Needs: other.Name + " complete"}
		rs.Met = pw.complete(n.Stage, r, areas, day)
		if !rs.Met {
			rs.Missing = other.Name + " is not complete"
		}
		return rs
	case NeedSetDays:
		rs := RuleState{Rule: RuleSetDays, Needs: fmt.Sprintf("proof of %d days of work on a professional film or television set within the past %d years (any department, paid or unpaid)", n.Days, n.Years)}
		got := r.SetDaysWithin(day, n.Years)
		rs.Met = got >= n.Days
		if !rs.Met {
			rs.Missing = fmt.Sprintf("%d set days on record in the past %d years; %d more needed", got, n.Years, n.Days-got)
		}
		return rs
	case NeedMHFA:
		rs := RuleState{Rule: RuleRecordItem, Needs: "a current Mental Health First Aid (or equivalent) on the record", Met: r.MHFACurrentOn(day)}
		if !rs.Met {
			rs.Missing = "no current Mental Health First Aid"
		}
		return rs
	case NeedBackground:
		b := r.Profile.BackgroundCheck
		rs := RuleState{Rule: RuleRecordItem, Needs: "a background check on the record", Met: b != nil && !b.On.IsZero()}
		if !rs.Met {
			rs.Missing = "no background check"
		}
		return rs
	case NeedAreas:
		rs := RuleState{Rule: RuleRecordItem, Needs: "every training area on the record"}
		var missing []string
		for _, a := range areas.Training() {
			if !slices.ContainsFunc(r.Profile.Trainings, func(t Training) bool { return t.Area == a.Key }) {
				missing = append(missing, a.Name)
			}
		}
		rs.Met = len(missing) == 0
		if !rs.Met {
			rs.Missing = "no training recorded in: " + strings.Join(missing, ", ")
		}
		return rs
	case NeedAll:
		rs := RuleState{Rule: RuleEveryStage, Needs: "every other stage and item complete"}
		var missing []string
		for _, o := range pw.Stages {
			if o.Key != st.Key && !pw.complete(o.Key, r, areas, day) {
				missing = append(missing, o.Name)
			}
		}
		rs.Met = len(missing) == 0
		if !rs.Met {
			rs.Missing = "not complete: " + strings.Join(missing, ", ")
		}
		return rs
	}
	return RuleState{Rule: n.Kind, Missing: "unknown rule"}
}

// CheckSignOff says whether a trainer may sign off stage key of the
// record on day: a RuleViolation naming the first unmet rule, NotFound
// for no such stage, Conflict for one signed off already or completed by
// the record alone.
func (pw Pathway) CheckSignOff(key string, r Record, areas Areas, day production.Date) error {
	st, ok := pw.Stage(key)
	if !ok {
		return closedset.FieldErrorf(closedset.NotFound, "stage", "no stage %q in the pathway", key)
	}
	if !st.SignedOff() {
		return closedset.Errorf(closedset.Conflict, "%s is completed by the record (%s), not signed off", st.Name, needsText(st))
	}
	if _, done := r.signOff(key); done {
		return &closedset.Error{Kind: closedset.Conflict, Rule: RuleSignedOffAlready, Msg: st.Name + " is signed off already"}
	}
	for _, n := range st.Needs {
		if rs := pw.check(n, st, r, areas, day); !rs.Met {
			return &closedset.Error{Kind: closedset.RuleViolation, Rule: rs.Rule,
				Msg: fmt.Sprintf("%s needs %s: %s", st.Name, rs.Needs, rs.Missing)}
		}
	}
	return nil
}

func needsText(st Stage) string {
	var parts []string
	for _, n := range st.Needs {
		parts = append(parts, n.Kind)
	}
	return strings.Join(parts, ", ")
}
