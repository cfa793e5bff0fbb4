package consent

import (
	"slices"
	"strings"
	"testing"

	"closedset"
	"closedset/auth"
	"closedset/production"
)

func approvedClosedSet() *production.ClosedSetVersion {
	yes := true
	return &production.ClosedSetVersion{SceneID: 12, Version: 1, List: production.ClosedSet{
		People:            []production.ClosedSetPerson{{Name: "Ada Director", Role: "director", Where: production.WhereMonitor}},
		NoPersonalDevices: &yes, RobePerson: "Cy Robe"},
		Approvals: []production.ClosedSetApproval{{Version: 1, Role: auth.IC}, {Version: 1, Role: auth.AD}}}
}

func TestShootDayGates(t *testing.T) {
	tests := []struct {
		name string
		edit func(*Facts)
		want []string
	}{
		{"no request at all", func(f *Facts) { f.Requests = nil }, nil},
		{"a request in progress and one can't do", func(f *Facts) {
			f.Requests = append(f.Requests,
				production.Request{ID: 32, Department: auth.Props, Text: "barrier cushion", State: production.RequestInProgress},
				production.Request{ID: 33, Department: auth.HMU, Text: "body makeup", State: production.RequestCantDo, Note: "no artist that day"})
		}, []string{"requests: props request 32: in progress", "requests: hmu request 33: can't do"}},
		{"an open request", func(f *Facts) { f.Requests[0].State = production.RequestOpen }, []string{"requests: costume request 31: open"}},
		{"no closed-set list", func(f *Facts) { f.ClosedSet = nil }, []string{"closed_set: no closed-set list"}},
		{"approved by the IC only", func(f *Facts) { f.ClosedSet.Approvals = f.ClosedSet.Approvals[:1] }, []string{
			"closed_set: closed-set list version 1 awaits approval by an AD"}},
		{"a new version after approval", func(f *Facts) { f.ClosedSet.Version = 2 }, []string{
			"closed_set: closed-set list version 2 awaits approval by an IC and an AD"}},
		{"stills without the plan's consent", func(f *Facts) { f.ClosedSet.List.Stills = true }, []string{
			"closed_set: stills need every performer's consent in the plan: Nora Vale has not consented to stills"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := readyFacts(t)
			tt.edit(&f)
			r := Readiness(f, DefaultGates())
			if got := details(r); !slices.Equal(got, tt.want) || r.Ready != (len(tt.want) == 0) {
				t.Errorf("blockers:\n got %q\nwant %q", got, tt.want)
			}
			for _, b := range r.Blockers {
				if strings.Contains(b.Detail, "thong") || strings.Contains(b.Detail, "no artist") {
					t.Errorf("detail %q repeats a request's text or note", b.Detail)
				}
			}
		})
	}
}

func TestStillsNeedEveryPerformersConsentInThePlan(t *testing.T) {
	f := readyFacts(t)
	cs := production.ClosedSet{Stills: true}
	err := CheckStills(cs, f.Plan, f.Performers)
	var ce *closedset.Error
	if !closedset.Is(err, closedset.RuleViolation) || !asErr(err, &ce) || ce.Rule != RuleStills || ce.PerformerID != 7 {
		t.Fatalf("no stills consent: %v", err)
	}
	p := *f.Plan
	p.Performers = slices.Clone(p.Performers)
	p.Performers[0].Stills = true
	if err := CheckStills(cs, &p, f.Performers); err == nil || !strings.Contains(err.Error(), "Theo Marsh") {
		t.Errorf("Nora's consent only: %v, want Theo named", err)
	}
	p.Performers[1].Stills = true
	if err := CheckStills(cs, &p, f.Performers); err != nil {
		t.Errorf("both consent: %v", err)
	}
	if err := CheckStills(cs, nil, f.Performers); !closedset.Is(err, closedset.RuleViolation) {
		t.Errorf("no plan: %v", err)
	}
	if err := CheckStills(production.ClosedSet{}, nil, nil); err != nil {
		t.Errorf("no stills: %v", err)
	}
	// The consent is content: giving it is an addition a new rider
	// carries, taking it back a reduction.
	if ch := p.Compare(*f.Plan).For(7); !ch.NeedsNewRider() {
		t.Errorf("adding stills consent: %+v, want a new rider", ch)
	}
	if ch := f.Plan.Compare(p).For(7); ch.NeedsNewRider() || ch.Unchanged() {
		t.Errorf("removing stills consent: %+v, want a reduction", ch)
	}
}

// TestStillsLeavesOldPlansTheirHash: a plan written before the stills
// field keeps its canonical bytes (no "stills" key) and so its hash;
// consents to it stay current.
func TestStillsLeavesOldPlansTheirHash(t *testing.T) {
	p := bedroom(t)
	if strings.Contains(string(p.Canonical()), "stills\"") {
		t.Fatalf("a plan without stills consent encodes the field: %s", p.Canonical())
	}
	q := p
	q.Performers = slices.Clone(p.Performers)
	q.Performers[0].Stills = true
	if !strings.Contains(string(q.Canonical()), `"stills":true`) || q.Hash() == p.Hash() {
		t.Errorf("stills consent is not in the encoding: %s", q.Canonical())
	}
}

func asErr(err error, ce **closedset.Error) bool {
	e, ok := err.(*closedset.Error)
	*ce = e
	return ok
}
