package shoot

import (
	"strings"
	"testing"
	"time"

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
