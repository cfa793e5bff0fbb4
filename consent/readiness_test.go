package consent

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // the zones these tests use, on any host

	"closedset/auth"
	"closedset/production"
)

func zone(t testing.TB, name string) *time.Location {
	t.Helper()
	l, err := time.LoadLocation(name)
	if err != nil {
		t.Fatalf("no time zone data for %s: %v", name, err)
	}
	return l
}

// readyFacts is scene 12 of a London production, ready to shoot: a plan,
// riders delivered three days before the call, both performers signed.
func readyFacts(t testing.TB) Facts {
	plan := bedroom(t)
	hash := plan.Hash()
	text := production.TextHash("Nora and Theo. A sheet. Moonlight.")
	c := cast()
	delivered := at("2026-06-12T08:00:00+01:00")
	f := Facts{
		Scene:      production.Scene{ID: 12, Number: "12", Flags: flags("kissing", "nudity", "simulated_sex"), TextHash: text},
		Policy:     sag(t),
		TimeZone:   zone(t, "Europe/London"),
		CallTime:   ptr(at("2026-06-15T08:00:00+01:00")),
		Now:        at("2026-06-13T12:00:00Z"),
		Plan:       &plan,
		PlanHash:   hash,
		Performers: []production.Performer{c[7], c[8]},
		// The shoot day's gates pass: costume's request done, the
		// closed-set list approved by an IC and an AD.
		Requests: []production.Request{{ID: 31, SceneID: 12, Department: auth.Costume, Text: "two nude thongs, size S",
			State: production.RequestDone, Note: "fitted"}},
		ClosedSet: approvedClosedSet(),
		// The lead IC of record holds a current certification and MHFA.
		ICOfRecord: &LeadIC{Name: "Ada Lead"},
	}
	for i, id := range []int64{7, 8} {
		rid := int64(100 + i)
		f.Riders = append(f.Riders, Rider{ID: rid, PerformerID: id, DeliveredAt: delivered,
			Scenes: []RiderScene{{SceneID: 12, PlanHash: hash, SceneTextHash: text}}})
		f.Consents = append(f.Consents, Consent{ID: rid, PerformerID: id, SceneID: 12, PlanHash: hash,
			SceneTextHash: text, RiderID: rid, GivenAt: delivered.Add(2 * time.Hour)})
	}
	return f
}

func details(r Result) []string {
	var out []string
	for _, b := range r.Blockers {
		out = append(out, b.Gate+": "+b.Detail)
	}
	return out
}

func TestReadinessGates(t *testing.T) {
	tests := []struct {
		name string
		edit func(*Facts)
		want []string // the blockers, gate: detail; nil when ready
	}{
		{"everything in place", func(f *Facts) {}, nil},
		{"the plan changed: stale, and no rider for the new plan", func(f *Facts) {
			p := *f.Plan
			p.Performers = slices.Clone(p.Performers)
			p.Performers[0].Nudity.Level = "full"
			f.Plan, f.PlanHash = &p, ""
		}, []string{
			"consent: Nora Vale: consent stale (plan changed since signing)",
			"consent: Theo Marsh: consent stale (plan changed since signing)",
			"notice: Nora Vale: no rider delivered for the current plan",
			"notice: Theo Marsh: no rider delivered for the current plan",
		}},
		{"the scene's text changed", func(f *Facts) { f.Scene.TextHash = production.TextHash("Rewritten.") }, []string{
			"consent: Nora Vale: consent stale (scene text changed since signing)",
			"consent: Theo Marsh: consent stale (scene text changed since signing)",
		}},
		{"withdrawal", func(f *Facts) { f.Consents[0].Withdrawal = withdrawnAt(at("2026-06-14T09:00:00Z")) }, []string{
			"consent: Nora Vale: consent withdrawn",
		}},
		{"withdrawal wins over a stale plan", func(f *Facts) {
			f.Consents[0].Withdrawal = withdrawnAt(at("2026-06-14T09:00:00Z"))
			f.Scene.TextHash = "changed"
		}, []string{
			"consent: Nora Vale: consent withdrawn",
			"consent: Theo Marsh: consent stale (scene text changed since signing)",
		}},
		{"signed again after withdrawing", func(f *Facts) {
			f.Consents[0].Withdrawal = withdrawnAt(at("2026-06-14T09:00:00Z"))
			again := f.Consents[0]
			again.ID, again.Withdrawal, again.GivenAt = 200, nil, at("2026-06-14T10:00:00Z")
			f.Consents = append(f.Consents, again)
		}, nil},
		{"a pause on set holds the scene, naming who and when", func(f *Facts) {
			f.Pauses = []OpenPause{{PerformerID: 8, At: at("2026-06-15T09:12:00+01:00")}}
		}, []string{
			"paused: paused by Theo Marsh at 09:12: the IC resumes the scene",
		}},
		{"no consent from Theo", func(f *Facts) { f.Consents = f.Consents[:1] }, []string{
			"consent: Theo Marsh: no consent",
		}},
		{"rider 47h59m before the call", func(f *Facts) { f.Riders[1].DeliveredAt = f.CallTime.Add(-48*time.Hour + time.Minute) }, []string{
			"notice: Theo Marsh: rider delivered 47h59m before call time; sag_aftra needs 48h0m",
		}},
		{"rider exactly 48h before the call", func(f *Facts) { f.Riders[1].DeliveredAt = f.CallTime.Add(-48 * time.Hour) }, nil},
		{"rider after the call", func(f *Facts) { f.Riders[1].DeliveredAt = f.CallTime.Add(30 * time.Minute) }, []string{
			"notice: Theo Marsh: rider delivered -0h30m before call time; sag_aftra needs 48h0m",
		}},
		{"a production's longer notice", func(f *Facts) { f.Policy.NoticePeriod = 96 * time.Hour }, []string{
			"notice: Nora Vale: rider delivered 72h0m before call time; sag_aftra needs 96h0m",
			"notice: Theo Marsh: rider delivered 72h0m before call time; sag_aftra needs 96h0m",
		}},
		{"a re-issued rider: the earliest for the same plan counts", func(f *Facts) {
			r := f.Riders[1]
			r.ID, r.DeliveredAt = 300, f.CallTime.Add(-time.Hour)
			f.Riders = append(f.Riders, r)
		}, nil},
		{"a reduction re-confirmed on the rider already signed", func(f *Facts) {
			p := *f.Plan
			p.Performers = slices.Clone(p.Performers)
			p.Performers[0].Nudity.Level = "implied"
			p.Performers[0].Nudity.Areas, p.Performers[0].Nudity.Angles = nil, nil
			f.Plan, f.PlanHash = &p, p.Hash()
			for i := range f.Consents {
				f.Consents[i].PlanHash = f.PlanHash
			}
		}, nil},
		{"no call time", func(f *Facts) { f.CallTime = nil }, []string{"notice: no call time"}},
		{"no plan", func(f *Facts) { f.Plan, f.PlanHash = nil, "" }, []string{
			"plan: no intimacy plan",
			"consent: Nora Vale: consent stale (plan changed since signing)",
			"consent: Theo Marsh: consent stale (plan changed since signing)",
			"notice: Nora Vale: no rider delivered for the current plan",
			"notice: Theo Marsh: no rider delivered for the current plan",
			"barriers: the scene is flagged for simulated sex and the plan names no barrier",
		}},
		{"nobody cast", func(f *Facts) { f.Performers = nil }, []string{
			"plan: no performer is cast in the scene",
			"plan: the plan names performer 7, who is not cast in the scene",
			"plan: the plan names performer 8, who is not cast in the scene",
		}},
		{"a performer's part beyond their boundaries", func(f *Facts) { f.BoundaryConflicts = []int64{8} }, []string{
			"boundaries: Theo Marsh: IC review pending",
		}},
		{"a conflict of someone no longer in the plan blocks nothing", func(f *Facts) { f.BoundaryConflicts = []int64{99} }, nil},
		{"flagged simulated sex, no barrier anywhere", func(f *Facts) {
			p := *f.Plan
			p.Barriers = nil
			p.Performers = slices.Clone(p.Performers)
			for i := range p.Performers {
				p.Performers[i].Barriers, p.Performers[i].Content, p.Performers[i].Acts = nil, []string{"kissing"}, nil
			}
			f.Plan = &p
			f.PlanHash = p.Hash()
			for i := range f.Consents {
				f.Consents[i].PlanHash = f.PlanHash
				f.Riders[i].Scenes[0].PlanHash = f.PlanHash
			}
		}, []string{"barriers: the scene is flagged for simulated sex and the plan names no barrier"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := readyFacts(t)
			tt.edit(&f)
			r := Readiness(f, DefaultGates())
			if got := details(r); !slices.Equal(got, tt.want) {
				t.Errorf("blockers:\n got %q\nwant %q", got, tt.want)
			}
			if r.Ready != (len(tt.want) == 0) {
				t.Errorf("ready = %v with %d blockers", r.Ready, len(r.Blockers))
			}
		})
	}
}

func TestNoticeAcrossDaylightSavingChanges(t *testing.T) {
	london := zone(t, "Europe/London")
	tests := []struct {
		name            string
		delivered, call string
		ok              bool
	}{
		// Clocks go forward at 01:00 GMT on 29 March 2026: the same wall
		// time two days earlier is only 47 hours before.
		{"spring: same wall time two days before is 47h", "2026-03-28T08:00:00Z", "2026-03-30T08:00:00+01:00", false},
		{"spring: 48 real hours", "2026-03-28T07:00:00Z", "2026-03-30T08:00:00+01:00", true},
		// Clocks go back at 02:00 BST on 25 October 2026: the same wall
		// time two days earlier is 49 hours before.
		{"autumn: same wall time two days before is 49h", "2026-10-24T08:00:00+01:00", "2026-10-26T08:00:00Z", true},
		{"autumn: 47h59m", "2026-10-24T09:01:00+01:00", "2026-10-26T08:00:00Z", false},
		{"autumn: exactly 48h", "2026-10-24T09:00:00+01:00", "2026-10-26T08:00:00Z", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := readyFacts(t)
			f.TimeZone = london
			f.CallTime = ptr(at(tt.call).In(london))
			for i := range f.Riders {
				f.Riders[i].DeliveredAt = at(tt.delivered)
			}
			r := Readiness(f, DefaultGates())
			if r.Ready != tt.ok {
				t.Errorf("ready = %v, want %v: %q", r.Ready, tt.ok, details(r))
			}
		})
	}
}

func TestMinorsGateJudgesAgeOnTheShootDateInTheProductionsZone(t *testing.T) {
	la := zone(t, "America/Los_Angeles")
	kissOnly := func(f *Facts) {
		p := *f.Plan
		p.Performers = slices.Clone(p.Performers)
		for i := range p.Performers {
			p.Performers[i] = PerformerPlan{PerformerID: p.Performers[i].PerformerID, Nudity: Nudity{Level: "none"},
				Acts: []string{"a first kiss"}, Content: []string{"kissing"}}
		}
		p.Beats = nil
		f.Plan, f.PlanHash = &p, p.Hash()
		f.Scene.Flags = flags("kissing", "minor")
		for i := range f.Consents {
			f.Consents[i].PlanHash = f.PlanHash
			f.Riders[i].Scenes[0].PlanHash = f.PlanHash
		}
	}
	born := func(dob string) func(*Facts) {
		return func(f *Facts) { f.Performers[0].DateOfBirth = date(dob) }
	}
	tests := []struct {
		name  string
		edits []func(*Facts)
		want  []string
	}{
		{"17 years 364 days in a kiss, no guardian", []func(*Facts){kissOnly, born("2008-06-16")},
			[]string{"minors: Nora Vale (17 on 2026-06-15): no guardian named"}},
		{"18 on the shoot date", []func(*Facts){kissOnly, born("2008-06-15")}, nil},
		{"guardian named", []func(*Facts){kissOnly, born("2008-06-16"), func(f *Facts) { f.Guardians = map[int64]string{7: "Maria Vale"} }}, nil},
		{"15: a studio teacher too", []func(*Facts){kissOnly, born("2011-01-01"), func(f *Facts) { f.Guardians = map[int64]string{7: "Maria Vale"} }},
			[]string{"minors: Nora Vale (15 on 2026-06-15): no studio teacher named (sag_aftra requires one under 16)"}},
		{"15 with teacher and guardian", []func(*Facts){kissOnly, born("2011-01-01"), func(f *Facts) {
			f.Guardians, f.StudioTeacher = map[int64]string{7: "Maria Vale"}, "Sam Okafor"
		}}, nil},
		{"custom policy names no studio teacher", []func(*Facts){kissOnly, born("2011-01-01"), func(f *Facts) {
			f.Guardians = map[int64]string{7: "Maria Vale"}
			f.Policy, _ = PolicyByName("custom")
		}}, nil},
		{"a minor's nudity blocks even if the plan slipped through", []func(*Facts){born("2008-06-16"), func(f *Facts) { f.Guardians = map[int64]string{7: "Maria Vale"} }},
			[]string{"minors: minor_no_nudity: Nora Vale (performer 7) is 17 on the shoot day 2026-06-15: no nudity may be planned for a performer under 18"}},
		{"late call in LA: still the day before her 18th birthday there", []func(*Facts){kissOnly, born("2008-06-15"), func(f *Facts) {
			f.TimeZone = la
			f.CallTime = ptr(at("2026-06-14T23:30:00-07:00"))
			for i := range f.Riders {
				f.Riders[i].DeliveredAt = f.CallTime.Add(-72 * time.Hour)
			}
		}}, []string{"minors: Nora Vale (17 on 2026-06-14): no guardian named"}},
		{"no call time: judged today", []func(*Facts){kissOnly, born("2008-06-16"), func(f *Facts) { f.CallTime = nil }},
			[]string{"notice: no call time", "minors: Nora Vale (17 on 2026-06-13): no guardian named"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := readyFacts(t)
			for _, e := range tt.edits {
				e(&f)
			}
			r := Readiness(f, DefaultGates())
			if got := details(r); !slices.Equal(got, tt.want) {
				t.Errorf("blockers:\n got %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestSceneWithNothingFlaggedAndNoPlanIsReady(t *testing.T) {
	f := Facts{Scene: production.Scene{ID: 3, TextHash: "x"}, Policy: sag(t)}
	r := Readiness(f, DefaultGates())
	if !r.Ready || r.Blockers == nil || len(r.Blockers) != 0 {
		t.Fatalf("result = %+v", r)
	}
	b, _ := json.Marshal(r)
	if string(b) != `{"ready":true,"blockers":[]}` {
		t.Errorf("JSON = %s", b)
	}
}

func TestDismissedFlagsWithAPlanStillNeedConsent(t *testing.T) {
	f := readyFacts(t)
	// Every flag dismissed by the IC.
	for i := range f.Scene.Flags {
		f.Scene.Flags[i].Review = &production.Review{Decision: production.Dismissed}
	}
	f.Consents = nil
	if r := Readiness(f, DefaultGates()); r.Ready {
		t.Error("a scene with a plan and no consent is ready")
	}
}

func TestGatesArePluggable(t *testing.T) {
	extra := Gate{Name: "stunt_sign_off", Check: func(f Facts) []Blocker {
		return []Blocker{{Detail: "no stunt coordinator sign-off"}}
	}}
	gates := append(DefaultGates(), extra)
	r := Readiness(readyFacts(t), gates)
	if r.Ready || !slices.Equal(details(r), []string{"stunt_sign_off: no stunt coordinator sign-off"}) {
		t.Errorf("result = %+v", r)
	}
	if len(DefaultGates()) != 10 {
		t.Error("appending changed the default list")
	}
}

// TestICOfRecordGate: no lead IC named blocks, and so do credentials that
// do not hold on the shoot day, with the reason the caller judged.
func TestICOfRecordGate(t *testing.T) {
	f := readyFacts(t)
	f.ICOfRecord = nil
	if got := details(Readiness(f, DefaultGates())); !slices.Equal(got, []string{"ic_of_record: the production names no lead IC of record"}) {
		t.Errorf("none named: %q", got)
	}
	f.ICOfRecord = &LeadIC{Name: "Ada", Problem: "ic_certification_current: lapsed"}
	if got := details(Readiness(f, DefaultGates())); !slices.Equal(got, []string{"ic_of_record: ic_certification_current: lapsed"}) {
		t.Errorf("lapsed: %q", got)
	}
	if d, ok := f.ShootDate(); !ok || d.String() != "2026-06-15" {
		t.Errorf("ShootDate = %s, %v", d, ok)
	}
}

func TestBlockersNeverCarryPrivateWords(t *testing.T) {
	// Facts has no field for boundaries or reasons; what a blocker says of
	// a withdrawal is the status alone.
	f := readyFacts(t)
	f.Consents[0].Withdrawal = withdrawnAt(at("2026-06-14T09:00:00Z"))
	for _, b := range Readiness(f, DefaultGates()).Blockers {
		if b.PerformerID == 7 && b.Detail != "Nora Vale: consent withdrawn" {
			t.Errorf("detail %q says more than the status", b.Detail)
		}
		if strings.Contains(strings.ToLower(b.Detail), "reason") {
			t.Errorf("detail %q mentions a reason", b.Detail)
		}
	}
}
