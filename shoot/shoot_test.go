package shoot

import (
	"slices"
	"strings"
	"testing"
	"time"

	"closedset/auth"
	"closedset/production"
)

var t0 = time.Date(2026, 4, 1, 9, 0, 0, 0, time.UTC)

func at(min int) time.Time { return t0.Add(time.Duration(min) * time.Minute) }

func TestPauseWordIsAPause(t *testing.T) {
	for _, tc := range []struct {
		in, word string
		want     Answer
		ok       bool
	}{
		{"yes", "time out", AnswerYes, true},
		{" PAUSE ", "time out", AnswerPause, true},
		{"stop", "", AnswerStop, true},
		{"Time  Out", "time out", AnswerPause, true},
		{"hold", "Hold", AnswerPause, true},
		{"hold", "time out", "", false},
		{"", "", "", false},
	} {
		got, err := ParseAnswer(tc.in, tc.word)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("ParseAnswer(%q, %q) = %q, %v; want %q (ok %v)", tc.in, tc.word, got, err, tc.want, tc.ok)
		}
	}
}

func TestTakeRollsOnlyWhenEveryPerformerSaysYes(t *testing.T) {
	take := Take{Performers: []int64{7, 8}, At: at(0)}
	check := func(want TakeState) {
		t.Helper()
		if got, _ := take.State(); got != want {
			t.Errorf("state after %d check-ins: %s, want %s", len(take.CheckIns), got, want)
		}
	}
	check(Pending)
	take.CheckIns = append(take.CheckIns, CheckIn{PerformerID: 7, Answer: AnswerYes, At: at(1)})
	check(Pending)
	if w := take.Waiting(); len(w) != 1 || w[0] != 8 {
		t.Errorf("waiting for %v, want [8]", w)
	}
	take.CheckIns = append(take.CheckIns, CheckIn{PerformerID: 8, Answer: AnswerYes, At: at(2)})
	check(Rolled)
	if _, rolled := take.State(); !rolled.Equal(at(2)) {
		t.Errorf("rolled at %v, want %v", rolled, at(2))
	}

	paused := Take{Performers: []int64{7, 8}, CheckIns: []CheckIn{{PerformerID: 7, Answer: AnswerYes}, {PerformerID: 8, Answer: AnswerPause}, {PerformerID: 8, Answer: AnswerYes}}}
	if st, _ := paused.State(); st != Paused {
		t.Errorf("a take with a pause before the last yes: %s, want paused", st)
	}
	stopped := Take{Performers: []int64{7}, CheckIns: []CheckIn{{PerformerID: 7, Answer: AnswerStop}}}
	if st, _ := stopped.State(); st != Stopped {
		t.Errorf("a stopped take: %s", st)
	}
	if st, _ := (Take{}).State(); st != Pending {
		t.Errorf("a take with nobody in the action rolled: %s", st)
	}
}

func TestDeviationNotAgreedByEveryoneIsAnIncident(t *testing.T) {
	take := Take{Performers: []int64{7, 8}}
	if IsIncident(take, []int64{8, 7}) {
		t.Error("agreed by both: an incident")
	}
	if !IsIncident(take, []int64{7}) || !IsIncident(take, nil) {
		t.Error("agreed by one or none: not an incident")
	}
}

func TestReportCountsAndTimesWithoutPrivateText(t *testing.T) {
	const canary = "CANARY-debrief-7c1e"
	rec := SceneRecord{SceneID: 3, Number: "10", Heading: "INT. BATHROOM - NIGHT",
		Takes: []Take{
			{ID: 1, Number: 1, Performers: []int64{7}, At: at(0), CheckIns: []CheckIn{{PerformerID: 7, Answer: AnswerYes, At: at(1)}},
				Deviations: []Deviation{{Text: "kiss held longer", AgreedBy: nil, Incident: true}}},
			{ID: 2, Number: 2, Performers: []int64{7}, At: at(10), CheckIns: []CheckIn{{PerformerID: 7, Answer: AnswerPause, At: at(11)}}},
		},
		Pauses:       []Pause{{TakeID: 2, At: at(11), ResumedAt: at(16)}},
		StepOuts:     []StepOut{{PerformerID: 7, At: at(40)}},
		Debriefs:     []Debrief{{PerformerID: 7, Sealed: []byte(canary), FollowUpOffered: true}},
		CrewDebriefs: []CrewDebrief{{HeldBy: "Ida IC", HeldAt: at(45), Notes: canary}},
	}
	r := Compute("Harbor Lights", production.Date{Year: 2026, Month: 4, Day: 1}, []SceneRecord{rec}, at(60))
	if r.Totals.Takes != 2 || r.Totals.Rolled != 1 || r.Totals.CheckIns != (Counts{Yes: 1, Pause: 1}) ||
		r.Totals.Pauses != 1 || r.Totals.PausedFor != "5m0s" || r.Totals.Deviations != 1 || r.Totals.Incidents != 1 {
		t.Errorf("totals %+v", r.Totals)
	}
	sr := r.Scenes[0]
	if sr.ClosedAt == nil || !sr.ClosedAt.Equal(at(40)) || sr.Debriefs != 1 || sr.FollowUpsOffered != 1 || len(sr.CrewDebriefs) != 1 {
		t.Errorf("closure %+v", sr)
	}
	if sr.Pauses[0].Take != 2 || sr.Pauses[0].Length != "5m0s" {
		t.Errorf("pause %+v", sr.Pauses[0])
	}
	if strings.Contains(string(r.Canonical()), canary) {
		t.Error("the report carries a debrief's notes")
	}
	if r.Hash() != Compute("Harbor Lights", r.Date, []SceneRecord{rec}, at(60)).Hash() {
		t.Error("the same records give another hash")
	}
}

// TestReportMeasuresRequestsClosedSetAndClosure: requests are counted by
// department, done of total; a scene complies with its closed set when
// every take was logged under a list an IC and an AD had approved by
// then; a scene is closed once every performer in the action has stepped
// out after its last take, and the day once every scene shot is.
func TestReportMeasuresRequestsClosedSetAndClosure(t *testing.T) {
	approved := func(v int, written, ic, ad time.Time) production.ClosedSetVersion {
		cs := production.ClosedSetVersion{Version: v, At: written}
		if !ic.IsZero() {
			cs.Approvals = append(cs.Approvals, production.ClosedSetApproval{Version: v, Role: auth.IC, At: ic})
		}
		if !ad.IsZero() {
			cs.Approvals = append(cs.Approvals, production.ClosedSetApproval{Version: v, Role: auth.AD, At: ad})
		}
		return cs
	}
	take := func(id int64, min int, who ...int64) Take {
		return Take{ID: id, Number: int(id), Performers: who, At: at(min)}
	}
	kept := SceneRecord{SceneID: 1, Number: "5",
		Takes:    []Take{take(1, 10, 7, 8), take(2, 20, 7, 8)},
		StepOuts: []StepOut{{PerformerID: 7, At: at(5)}, {PerformerID: 7, At: at(30)}, {PerformerID: 8, At: at(35)}},
		Requests: []production.Request{{Department: auth.Costume, State: production.RequestDone}, {Department: auth.Costume, State: production.RequestOpen},
			{Department: auth.Props, State: production.RequestDone}},
		ClosedSets: []production.ClosedSetVersion{approved(1, at(-60), at(-50), at(-40))},
	}
	// Version 2 was written between the takes and approved by the IC
	// only: take 2 was logged under a list the AD had not approved.
	changed := SceneRecord{SceneID: 2, Number: "8",
		Takes:      []Take{take(3, 10, 7), take(4, 20, 7)},
		StepOuts:   []StepOut{{PerformerID: 7, At: at(15)}},
		Requests:   []production.Request{{Department: auth.Costume, State: production.RequestDone}},
		ClosedSets: []production.ClosedSetVersion{approved(1, at(-60), at(-50), at(-40)), approved(2, at(12), at(13), time.Time{})},
	}
	unshot := SceneRecord{SceneID: 3, Number: "9", Requests: []production.Request{{Department: auth.HMU, State: production.RequestCantDo}}}
	r := Compute("Harbor Lights", production.Date{Year: 2026, Month: 4, Day: 1}, []SceneRecord{kept, changed, unshot}, at(60))

	if cs := r.Scenes[0].ClosedSet; cs == nil || !cs.Compliant || cs.Version != 1 || cs.ApprovedAt == nil || !cs.ApprovedAt.Equal(at(-40)) || cs.Unapproved != 0 {
		t.Errorf("a list approved before every take: %+v", cs)
	}
	if cs := r.Scenes[1].ClosedSet; cs == nil || cs.Compliant || cs.Version != 1 || cs.Unapproved != 1 {
		t.Errorf("a list changed between the takes: %+v", cs)
	}
	if r.Scenes[2].ClosedSet != nil || r.Totals.ClosedSetCompliant != 1 {
		t.Errorf("an unshot scene is measured: %+v; %d compliant", r.Scenes[2].ClosedSet, r.Totals.ClosedSetCompliant)
	}
	want := []DepartmentCount{{"costume", 2, 3}, {"hmu", 0, 1}, {"props", 1, 1}}
	if !slices.Equal(r.Totals.Requests, want) {
		t.Errorf("the day's requests: %+v, want %+v", r.Totals.Requests, want)
	}
	if got := r.Scenes[0].Requests; !slices.Equal(got, []DepartmentCount{{"costume", 1, 2}, {"props", 1, 1}}) {
		t.Errorf("scene 5's requests: %+v", got)
	}
	if sr := r.Scenes[0]; sr.ClosedAt == nil || !sr.ClosedAt.Equal(at(35)) || sr.AwaitingStepOut != 0 {
		t.Errorf("both stepped out after the last take: closed %v, awaiting %d", sr.ClosedAt, sr.AwaitingStepOut)
	}
	if sr := r.Scenes[1]; sr.ClosedAt != nil || sr.AwaitingStepOut != 1 {
		t.Errorf("a step-out before the last take closes nothing: closed %v, awaiting %d", sr.ClosedAt, sr.AwaitingStepOut)
	}
	if r.Totals.NotClosed != 1 || r.Totals.ClosedAt != nil {
		t.Errorf("a day with a scene open: %d not closed, closed at %v", r.Totals.NotClosed, r.Totals.ClosedAt)
	}
	changed.StepOuts = append(changed.StepOuts, StepOut{PerformerID: 7, At: at(50)})
	r = Compute("Harbor Lights", r.Date, []SceneRecord{kept, changed, unshot}, at(60))
	if r.Totals.NotClosed != 0 || r.Totals.ClosedAt == nil || !r.Totals.ClosedAt.Equal(at(50)) {
		t.Errorf("every scene closed: %d not closed, closed at %v", r.Totals.NotClosed, r.Totals.ClosedAt)
	}
}

// TestBetweenKeepsTheDaysRecord: a scene shot on two days shows on each
// day's report with that day's takes, their pauses and the day's
// closure only.
func TestBetweenKeepsTheDaysRecord(t *testing.T) {
	day2 := at(24 * 60)
	rec := SceneRecord{SceneID: 1,
		Takes:        []Take{{ID: 1, Number: 1, At: at(0)}, {ID: 2, Number: 2, At: day2.Add(time.Hour)}},
		Pauses:       []Pause{{TakeID: 1, At: at(1)}, {TakeID: 2, At: day2.Add(61 * time.Minute)}},
		StepOuts:     []StepOut{{At: at(30)}, {At: day2.Add(2 * time.Hour)}},
		Debriefs:     []Debrief{{At: at(40)}},
		CrewDebriefs: []CrewDebrief{{HeldAt: day2.Add(3 * time.Hour)}},
		Requests:     []production.Request{{Department: auth.Props}},
	}
	first := rec.Between(at(-9*60), day2.Add(-9*time.Hour))
	if len(first.Takes) != 1 || first.Takes[0].ID != 1 || len(first.Pauses) != 1 || len(first.StepOuts) != 1 || len(first.Debriefs) != 1 || len(first.CrewDebriefs) != 0 || len(first.Requests) != 1 {
		t.Errorf("the first day: %+v", first)
	}
	second := rec.Between(day2.Add(-9*time.Hour), time.Time{})
	if len(second.Takes) != 1 || second.Takes[0].ID != 2 || len(second.Pauses) != 1 || second.Pauses[0].TakeID != 2 || len(second.StepOuts) != 1 || len(second.CrewDebriefs) != 1 {
		t.Errorf("the second day: %+v", second)
	}
}
