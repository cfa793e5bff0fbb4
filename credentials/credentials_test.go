package credentials

import (
	"testing"

	"closedset"
	"closedset/production"
)

func date(t testing.TB, s string) production.Date {
	t.Helper()
	d, err := production.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestTheEmbeddedDataParses(t *testing.T) {
	areas := DefaultAreas()
	if got := len(areas.Training()); got != 11 {
		t.Errorf("%d training areas, want the seed's 11", got)
	}
	for _, k := range []string{"mhfa", "background_check", "applied_experience"} {
		if _, ok := areas.Find(k); !ok {
			t.Errorf("no %s in areas.tsv", k)
		}
	}
	pw := DefaultPathway()
	if st, ok := pw.certifying(); !ok || st.Key != "final_assessment" {
		t.Errorf("certifying stage %+v, %v", st, ok)
	}
	if st, _ := pw.Stage("mhfa"); st.SignedOff() {
		t.Error("the MHFA stage is completed by the record, not signed off")
	}
}

func TestCertificationStateOnADay(t *testing.T) {
	pw := DefaultPathway()
	r := Record{Profile: Profile{Certification: &Certification{Body: "IPA", IssuedOn: date(t, "2024-05-01"), ReviewDueOn: date(t, "2026-03-01")}}}
	if err := r.Profile.Normalize(DefaultAreas(), date(t, "2025-01-01")); err != nil {
		t.Fatal(err)
	}
	if got := r.Profile.Certification.ExpiresOn.String(); got != "2026-04-30" {
		t.Errorf("default expiry %s, want two years less a day", got)
	}
	for day, want := range map[string]State{"2025-06-01": Certified, "2026-03-01": ReviewDue, "2026-04-30": ReviewDue, "2026-05-01": Lapsed} {
		if got := r.StateOn(pw, date(t, day)); got != want {
			t.Errorf("on %s: %s, want %s", day, got, want)
		}
	}
	if got := (Record{}).StateOn(pw, date(t, "2025-01-01")); got != Trainee {
		t.Errorf("no certification: %s, want trainee", got)
	}
}

func TestICOfRecordNeedsACurrentCertificationAndMHFA(t *testing.T) {
	pw := DefaultPathway()
	cert := &Certification{Body: "IPA", IssuedOn: date(t, "2024-01-01"), ExpiresOn: date(t, "2026-06-09")}
	mhfa := &MHFA{CompletedOn: date(t, "2024-01-01"), ExpiresOn: date(t, "2027-01-01")}
	shoot := date(t, "2026-06-10")
	for name, tc := range map[string]struct {
		r    Record
		rule string
	}{
		"a trainee":                        {Record{Profile: Profile{MHFA: mhfa}}, RuleTraineeNotIC},
		"expired the day before the shoot": {Record{Profile: Profile{Certification: cert, MHFA: mhfa}}, RuleCertification},
		"no MHFA": {Record{Profile: Profile{Certification: &Certification{Body: "IPA", IssuedOn: date(t, "2025-01-01"),
			ExpiresOn: date(t, "2027-01-01")}}}, RuleMHFA},
		"current": {Record{Profile: Profile{Certification: &Certification{Body: "IPA", IssuedOn: date(t, "2025-01-01"),
			ExpiresOn: date(t, "2026-06-10")}, MHFA: mhfa}}, ""},
	} {
		err := tc.r.CheckICOfRecord(pw, "Ada", shoot)
		var ce *closedset.Error
		switch {
		case tc.rule == "" && err != nil:
			t.Errorf("%s: %v, want none", name, err)
		case tc.rule != "" && (!asErr(err, &ce) || ce.Rule != tc.rule || ce.Kind != closedset.RuleViolation):
			t.Errorf("%s: %v, want rule %s", name, err, tc.rule)
		}
	}
}

func asErr(err error, ce **closedset.Error) bool {
	e, ok := err.(*closedset.Error)
	*ce = e
	return ok
}

// setDays is a record with n set days entered before today, one a week,
// and Modules I and II signed off.
func setDays(t *testing.T, n int, today production.Date) Record {
	r := Record{SignOffs: []SignOff{{Stage: "module_1"}, {Stage: "module_2"}}}
	for i := range n {
		r.Profile.SetDays = append(r.Profile.SetDays, SetDay{On: AddDays(today, -7*(i+1)), Production: "Short film", ProofFileID: 1})
	}
	return r
}

func TestModuleIIINeedsTenSetDaysInTenYears(t *testing.T) {
	pw, areas := DefaultPathway(), DefaultAreas()
	today := date(t, "2026-03-01")
	err := pw.CheckSignOff("module_3", setDays(t, 9, today), areas, today)
	if ce, ok := err.(*closedset.Error); !ok || ce.Rule != RuleSetDays || ce.Kind != closedset.RuleViolation {
		t.Fatalf("9 days: %v, want a set_days rule violation", err)
	}
	if err := pw.CheckSignOff("module_3", setDays(t, 10, today), areas, today); err != nil {
		t.Fatalf("10 days: %v", err)
	}
	// A day more than ten years back does not count; a shoot day worked
	// here counts without being entered, and the same day twice once.
	r := setDays(t, 9, today)
	r.Profile.SetDays[0].On = date(t, "2016-03-01")
	r.WorkedDays = []production.Date{r.Profile.SetDays[1].On}
	if got := r.SetDaysWithin(today, 10); got != 8 {
		t.Errorf("SetDaysWithin = %d, want 8", got)
	}
	r.WorkedDays = append(r.WorkedDays, today, AddDays(today, -1))
	if err := pw.CheckSignOff("module_3", r, areas, today); err != nil {
		t.Errorf("8 entered and 2 worked here: %v", err)
	}
}

func TestCertificationNeedsEveryStage(t *testing.T) {
	pw, areas := DefaultPathway(), DefaultAreas()
	today := date(t, "2026-03-01")
	r := setDays(t, 10, today)
	for _, k := range []string{"module_3", "module_4", "applied_work", "mentorship", "final_film"} {
		r.SignOffs = append(r.SignOffs, SignOff{Stage: k, On: today})
	}
	err := pw.CheckSignOff("final_assessment", r, areas, today)
	if ce, ok := err.(*closedset.Error); !ok || ce.Rule != RuleEveryStage {
		t.Fatalf("without MHFA and background check: %v", err)
	}
	r.Profile.MHFA = &MHFA{CompletedOn: today, ExpiresOn: AddYears(today, 3)}
	r.Profile.BackgroundCheck = &BackgroundCheck{On: today, Scope: ScopeNational}
	err = pw.CheckSignOff("final_assessment", r, areas, today)
	if ce, ok := err.(*closedset.Error); !ok || ce.Rule != RuleRecordItem {
		t.Fatalf("without the training areas: %v", err)
	}
	for _, a := range areas.Training() {
		r.Profile.Trainings = append(r.Profile.Trainings, Training{Area: a.Key, Provider: "IPA", CompletedOn: today})
	}
	if err := pw.CheckSignOff("final_assessment", r, areas, today); err != nil {
		t.Fatal(err)
	}
	r.SignOffs = append(r.SignOffs, SignOff{Stage: "final_assessment", On: today})
	if got := r.StateOn(pw, today); got != Certified {
		t.Errorf("after the final assessment: %s", got)
	}
	for _, p := range pw.Progress(r, areas, today) {
		if p.State != StageComplete {
			t.Errorf("%s: %s", p.Stage.Key, p.State)
		}
	}
}

func TestExpiriesWithinSixtyDays(t *testing.T) {
	today := date(t, "2026-03-01")
	r := Record{Profile: Profile{
		Certification: &Certification{Body: "IPA", IssuedOn: date(t, "2024-05-01"), ExpiresOn: date(t, "2026-04-30")},
		MHFA:          &MHFA{CompletedOn: date(t, "2024-01-01"), ExpiresOn: date(t, "2026-06-01")}}}
	got := r.Expiring(DefaultPathway(), today)
	if len(got) != 1 || got[0].On.String() != "2026-04-30" || got[0].Days != 60 {
		t.Errorf("Expiring = %+v, want the certification in 60 days only", got)
	}
}
