package consent

import (
	"closedset"
	"encoding/json"
	"strings"
	"testing"
	"time"
)

func TestEveryPackTightensTheFloor(t *testing.T) {
	floor, err := PolicyByName("custom")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range PolicyNames() {
		p, err := PolicyByName(name)
		if err != nil {
			t.Fatal(err)
		}
		p.Name = ""
		if _, err := Tighten(floor, p); err != nil {
			t.Errorf("%s loosens the floor: %v", name, err)
		}
	}
}

func TestSAGAFTRAPack(t *testing.T) {
	p := sag(t)
	if p.NoticePeriod != 48*time.Hour || !p.BarriersForSimulatedSex || p.StudioTeacherUnder != 16 || !p.GuardianForMinors || p.PauseWord != "time out" {
		t.Errorf("sag_aftra = %+v", p)
	}
}

func TestUnknownPolicyIsInvalid(t *testing.T) {
	_, err := PolicyByName("wga")
	if !closedset.Is(err, closedset.Invalid) || !strings.Contains(err.Error(), "sag_aftra") {
		t.Errorf("err = %v", err)
	}
}

func TestTighteningIsAllowed(t *testing.T) {
	base := sag(t)
	o := base
	o.NoticePeriod = 72 * time.Hour
	o.StudioTeacherUnder = 18
	o.PauseWord = "  hold  "
	got, err := Tighten(base, o)
	if err != nil {
		t.Fatal(err)
	}
	if got.NoticePeriod != 72*time.Hour || got.StudioTeacherUnder != 18 || got.PauseWord != "hold" || got.Name != "sag_aftra" {
		t.Errorf("tightened = %+v", got)
	}
	o.PauseWord = ""
	if got, _ := Tighten(base, o); got.PauseWord != "time out" {
		t.Errorf("empty pause word gave %q, want the pack's", got.PauseWord)
	}
}

func TestLooseningAnyFieldIsRefused(t *testing.T) {
	tests := []struct {
		field string
		kind  closedset.Kind
		edit  func(*Policy)
	}{
		{"notice_period", closedset.RuleViolation, func(p *Policy) { p.NoticePeriod = 48*time.Hour - time.Minute }},
		{"barriers_for_simulated_sex", closedset.RuleViolation, func(p *Policy) { p.BarriersForSimulatedSex = false }},
		{"studio_teacher_under", closedset.RuleViolation, func(p *Policy) { p.StudioTeacherUnder = 15 }},
		{"guardian_for_minors", closedset.RuleViolation, func(p *Policy) { p.GuardianForMinors = false }},
		{"notice_period", closedset.Invalid, func(p *Policy) { p.NoticePeriod = 31 * 24 * time.Hour }},
		{"studio_teacher_under", closedset.Invalid, func(p *Policy) { p.StudioTeacherUnder = 19 }},
		{"pause_word", closedset.Invalid, func(p *Policy) { p.PauseWord = strings.Repeat("x", MaxPauseWord+1) }},
		{"pause_word", closedset.Invalid, func(p *Policy) { p.PauseWord = "time\nout" }},
		{"name", closedset.Invalid, func(p *Policy) { p.Name = "custom" }},
	}
	for _, tt := range tests {
		t.Run(tt.field, func(t *testing.T) {
			o := sag(t)
			tt.edit(&o)
			_, err := Tighten(sag(t), o)
			if closedset.KindOf(err) != tt.kind || !strings.Contains(err.Error(), tt.field) {
				t.Errorf("err = %v (kind %q), want %s naming %s", err, closedset.KindOf(err), tt.kind, tt.field)
			}
		})
	}
}

func TestPolicyJSONCarriesNoticeInHours(t *testing.T) {
	b, err := json.Marshal(sag(t))
	if err != nil || !strings.Contains(string(b), `"notice_hours":48`) {
		t.Fatalf("%s, %v", b, err)
	}
	var p Policy
	if err := json.Unmarshal(b, &p); err != nil || p != sag(t) {
		t.Errorf("round trip: %+v, %v", p, err)
	}
	if err := json.Unmarshal([]byte(`{"notice_hours":100000}`), &p); err == nil {
		t.Error("a notice of 100000 hours decoded")
	}
}

// TestEveryPackNamesItselfForPeople: each pack has the title pages and
// documents show and a time zone that loads, since a new production takes
// it when none is given; the default pack is one of them.
func TestEveryPackNamesItselfForPeople(t *testing.T) {
	titles := map[string]bool{}
	for _, p := range Policies() {
		if p.Title == "" || titles[p.Title] {
			t.Errorf("%s: title %q is empty or shared", p.Name, p.Title)
		}
		titles[p.Title] = true
		if _, err := time.LoadLocation(p.TimeZone); err != nil || p.TimeZone == "" || p.TimeZone == "Local" {
			t.Errorf("%s: time zone %q: %v", p.Name, p.TimeZone, err)
		}
	}
	if _, err := PolicyByName(DefaultPolicyName); err != nil {
		t.Errorf("the default pack: %v", err)
	}
}

// TestStoredPolicyKeepsItsPacksTitle: a production's policy read back from
// its JSON names itself as its pack does.
func TestStoredPolicyKeepsItsPacksTitle(t *testing.T) {
	b, err := json.Marshal(sag(t))
	if err != nil {
		t.Fatal(err)
	}
	var p Policy
	if err := json.Unmarshal(b, &p); err != nil {
		t.Fatal(err)
	}
	if p.Title != "SAG-AFTRA" || p.TimeZone != "America/Los_Angeles" {
		t.Errorf("read back %+v", p)
	}
}
