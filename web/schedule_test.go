package web

import (
	"context"
	"encoding/csv"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestScheduleImportWithABadRowWritesNothing is issue 17's bar for
// scheduling in: a schedule with one bad row names the row and writes
// nothing; the same schedule mended sets the days and the call times, in
// the production's zone; the breakdown sheet then lists the intimate
// scenes by day, with their cast and readiness.
func TestScheduleImportWithABadRowWritesNothing(t *testing.T) {
	l := newLedger(t, "Europe/London")
	nora := l.performer("nora", "Nora Vance", "1990-05-01", "NORA")
	l.plan("5", noraPlan(nora, true))
	type dayOut struct {
		Date     string  `json:"date"`
		SceneIDs []int64 `json:"scene_ids"`
	}
	days := func() []dayOut {
		var out struct {
			Days []dayOut `json:"shoot_days"`
		}
		l.json(call{method: "GET", path: l.prodPath("/shoot-days"), cred: l.as("ad")}, http.StatusOK, &out)
		return out.Days
	}
	bad := "Scene,Date,Call\r\n5,2026-06-01,07:00\r\n99,2026-06-01,08:00\r\n8,2026-06-02,7am\r\n"
	w := l.do(call{method: "POST", path: l.prodPath("/schedule"), cred: l.as("ad"), body: strReader(bad), contentType: "text/csv"})
	if w.Code != http.StatusBadRequest {
		t.Fatalf("a schedule with bad rows: %d %s", w.Code, w.Body)
	}
	for _, want := range []string{"row 4: call time", "nothing was written"} {
		if !strings.Contains(w.Body.String(), want) {
			t.Errorf("the error %s does not say %q", w.Body, want)
		}
	}
	// Rows well-formed but one naming no scene: the same, after reading.
	unknown := "5,2026-06-01,07:00\r\n99,2026-06-01,08:00\r\n"
	w = l.do(call{method: "POST", path: l.prodPath("/schedule"), cred: l.as("ad"), body: strReader(unknown), contentType: "text/csv"})
	if w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), "row 2: no scene 99") {
		t.Fatalf("a schedule naming no scene: %d %s", w.Code, w.Body)
	}
	if d := days(); len(d) != 0 {
		t.Fatalf("a refused schedule made days: %+v", d)
	}
	if _, set, err := l.srv.ops.CallTime(context.Background(), l.scenes["5"].ID); err != nil || set {
		t.Fatalf("a refused schedule set a call time (%v)", err)
	}

	good := "Scene,Date,Call\r\n5,2026-06-01,07:00\r\n8,2026-06-02,18:30\r\n4,2026-06-01,09:00\r\n"
	var res struct {
		Rows        int `json:"rows"`
		DaysCreated int `json:"days_created"`
		CallTimes   int `json:"call_times_set"`
	}
	l.json(call{method: "POST", path: l.prodPath("/schedule"), cred: l.as("ad"), body: strReader(good), contentType: "text/csv"}, http.StatusOK, &res)
	if res.Rows != 3 || res.DaysCreated != 2 || res.CallTimes != 3 {
		t.Fatalf("import: %+v", res)
	}
	d := days()
	if len(d) != 2 || d[0].Date != "2026-06-01" || len(d[0].SceneIDs) != 2 || d[0].SceneIDs[0] != l.scenes["5"].ID || d[1].Date != "2026-06-02" {
		t.Fatalf("days after the import: %+v", d)
	}
	// Again: nothing changes; scene 4 moved to the second day leaves the first.
	l.json(call{method: "POST", path: l.prodPath("/schedule"), cred: l.as("ad"), body: strReader(good), contentType: "text/csv"}, http.StatusOK, &res)
	if res.DaysCreated != 0 || res.CallTimes != 0 {
		t.Fatalf("the same schedule again: %+v", res)
	}
	l.json(call{method: "POST", path: l.prodPath("/schedule"), cred: l.as("ad"), body: strReader("4,2026-06-02,10:00\n"), contentType: "text/csv"}, http.StatusOK, &res)
	if d := days(); len(d[0].SceneIDs) != 1 || len(d[1].SceneIDs) != 2 {
		t.Fatalf("scene 4 moved: %+v", d)
	}
	// An IC may not import a schedule.
	if w := l.do(call{method: "POST", path: l.prodPath("/schedule"), cred: l.as("ic"), body: strReader(good), contentType: "text/csv"}); w.Code != http.StatusForbidden {
		t.Fatalf("an IC importing: %d", w.Code)
	}

	w = l.do(call{method: "GET", path: l.prodPath("/schedule.csv"), cred: l.as("ic")})
	if w.Code != http.StatusOK || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/csv") {
		t.Fatalf("the sheet: %d %s", w.Code, w.Header())
	}
	recs, err := csv.NewReader(strings.NewReader(w.Body.String())).ReadAll()
	if err != nil {
		t.Fatalf("the sheet is no CSV: %v\n%s", err, w.Body)
	}
	if strings.Join(recs[0], ",") != strings.Join(sheetHeader, ",") {
		t.Fatalf("header %q", recs[0])
	}
	var five []string
	for _, r := range recs[1:] {
		if r[3] == "5" {
			five = r
		}
	}
	if five == nil {
		t.Fatalf("scene 5 missing from the sheet:\n%s", w.Body)
	}
	call := time.Date(2026, 6, 1, 7, 0, 0, 0, mustZone(t, "Europe/London")).Format("2006-01-02 15:04")
	if five[0] != "1" || five[1] != "2026-06-01" || five[2] != call || five[4] != "INT" || five[6] != "NIGHT" || five[9] != "Nora Vance" ||
		!strings.Contains(five[10], "simulated_sex") && !strings.Contains(five[10], "nudity") || five[11] != "not ready" || !strings.Contains(five[12], "consent") {
		t.Errorf("scene 5's row: %q", five)
	}
	if strings.Contains(w.Body.String(), "Nora is there") {
		t.Error("the sheet holds plan text")
	}
}
