package docs

import (
	"bytes"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // the zones these tests use, on any host

	"closedset/auth"
	"closedset/production"
	"closedset/shoot"
)

// dayRecords is a day of one scene: two takes, a pause, a deviation not
// agreed (an incident), closure; its debrief and crew notes hold canary.
func dayRecords(canary string) []shoot.SceneRecord {
	at := func(min int) time.Time { return time.Date(2026, 4, 1, 8, min, 0, 0, time.UTC) }
	return []shoot.SceneRecord{{SceneID: 3, Number: "10", Heading: "INT. BATHROOM - NIGHT",
		Takes: []shoot.Take{
			{ID: 1, Number: 1, Performers: []int64{7}, At: at(0), CheckIns: []shoot.CheckIn{{PerformerID: 7, Answer: shoot.AnswerYes, At: at(1)}},
				Deviations: []shoot.Deviation{{Text: "the kiss was held longer", Incident: true}}},
			{ID: 2, Number: 2, Performers: []int64{7}, At: at(10), CheckIns: []shoot.CheckIn{{PerformerID: 7, Answer: shoot.AnswerPause, At: at(11)}}},
		},
		Pauses:       []shoot.Pause{{TakeID: 2, PerformerID: 7, At: at(11), ResumedAt: at(19)}},
		StepOuts:     []shoot.StepOut{{PerformerID: 7, At: at(40)}},
		Debriefs:     []shoot.Debrief{{PerformerID: 7, Sealed: []byte(canary), FollowUpOffered: true}},
		CrewDebriefs: []shoot.CrewDebrief{{HeldBy: "Ida Coordinator", HeldAt: at(45), Notes: canary}},
		Requests: []production.Request{{Department: auth.Costume, Text: canary, State: production.RequestDone, Note: canary},
			{Department: auth.HMU, Text: canary, State: production.RequestCantDo, Note: canary}},
		ClosedSets: []production.ClosedSetVersion{{Version: 2, At: at(0).Add(-time.Hour), List: production.ClosedSet{RobePerson: canary},
			Approvals: []production.ClosedSetApproval{{Version: 2, Role: auth.IC, ByName: canary, At: at(0).Add(-50 * time.Minute)}, {Version: 2, Role: auth.AD, At: at(0).Add(-40 * time.Minute)}}}},
	}}
}

func TestDayReportListsTakesPausesAndDeviationsAndNothingPrivate(t *testing.T) {
	const canary = "CANARY-private-5d1f"
	london, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Fatal(err)
	}
	r := shoot.Compute("Harbor Lights", production.Date{Year: 2026, Month: 4, Day: 1}, dayRecords(canary), time.Date(2026, 4, 1, 20, 0, 0, 0, time.UTC))
	d := EndOfDay{Report: r, TimeZone: london, Signoff: &Signoff{Version: 2, By: "Ida Coordinator", At: time.Date(2026, 4, 1, 19, 0, 0, 0, time.UTC), Hash: r.Hash()}}
	var pdf, html bytes.Buffer
	if err := RenderDayReportPDF(&pdf, d, A4); err != nil {
		t.Fatal(err)
	}
	if err := RenderDayReportHTML(&html, d); err != nil {
		t.Fatal(err)
	}
	text := flat(pdfText(t, pdf.Bytes()))
	for name, out := range map[string]string{"PDF": text, "HTML": html.String()} {
		for _, want := range []string{"End-of-day report", "Harbor Lights", "2026-04-01", "Scene 10",
			"Take 1: rolled, logged 09:00 BST, rolled 09:01 BST", "Take 2: paused 09:11 BST, resumed 09:19 BST (8m0s)",
			"INCIDENT", "the kiss was held longer", "09:40 BST",
			"costume 1/1 done · hair and makeup 0/1 done", "version 2, approved by an IC and an AD at 08:20 BST, before every take",
			"in 1 of 1 scenes shot", "held by Ida Coordinator at 09:45 BST", "Version 2, signed off by Ida Coordinator"} {
			if !strings.Contains(out, want) {
				t.Errorf("the report's %s lacks %q", name, want)
			}
		}
		if strings.Contains(out, canary) {
			t.Errorf("the report's %s carries a private note", name)
		}
	}
	unsigned := EndOfDay{Report: r}
	html.Reset()
	if err := RenderDayReportHTML(&html, unsigned); err != nil || !strings.Contains(html.String(), "Not signed off yet.") {
		t.Errorf("an unsigned report: %v", err)
	}
}
