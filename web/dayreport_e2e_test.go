package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"closedset/internal/pdftext"
	"closedset/store"
	"closedset/store/postgres"
	"closedset/store/postgres/pgtest"
)

// TestDayReportEndToEnd is issue 13's report, through the API, on SQLite
// and PostgreSQL: a shoot day with a take that rolls, a pause the IC
// resumes and a deviation nobody agreed to; its report (JSON, HTML and
// PDF) lists the takes, the pause and the incident, the requests
// delivered, the closed set's compliance and the closure, and carries
// none of the performer's boundaries, debrief notes or withdrawal reason,
// nor the crew's notes. The IC signs it off as version 1; a correction
// is version 2, and version 1 reads as it was signed.
func TestDayReportEndToEnd(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) { dayReport(t, newEnv(t)) })
	t.Run("postgres", func(t *testing.T) {
		u := pgtest.Database(t)
		dayReport(t, newEnv(t, func(c *testConfig) {
			st, err := postgres.Open(context.Background(), u, store.WithClock(c.Now))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { st.Close() })
			c.Store = st
		}))
	})
}

// The canaries: written where only the performer and the ICs (or, for
// the crew's notes, the scene's closure) may read them.
const (
	canaryBoundary = "CANARY-boundary-4c1d"
	canaryDebrief  = "CANARY-debrief-82fa"
	canaryReason   = "CANARY-reason-1e07"
	canaryCrew     = "CANARY-crew-d93b"
)

var dayCanaries = []string{canaryBoundary, canaryDebrief, canaryReason, canaryCrew}

func dayReport(t *testing.T, e *env) {
	l := newLedgerOn(t, e, "Europe/London")
	for _, who := range []string{"costume", "director"} {
		l.person(who)
		l.addMember(l.prod, l.as("producer"), who+"@example.org", who, l.as(who))
	}
	nora := l.castNora(true)
	l.json(call2("PUT", fmt.Sprintf("/api/v1/performers/%d/boundaries", nora), l.as("nora"), map[string]any{
		"no_touch": []string{"face"}, "notes": canaryBoundary}), http.StatusOK, nil)
	callAt := l.clock.Now().Add(72 * time.Hour)
	var req requestOut
	l.json(call2("POST", l.scenePath("5", "/requests"), l.as("ic"), map[string]any{"department": "costume", "text": "two nude thongs, size S",
		"due": callAt.Add(-24 * time.Hour).Format(time.RFC3339)}), http.StatusCreated, &req)
	l.json(call2("POST", fmt.Sprintf("/api/v1/requests/%d/state", req.ID), l.as("costume"), map[string]any{"state": "done", "note": "fitted"}), http.StatusOK, nil)
	l.sign("nora", l.issue(nora), "Nora Vance")
	var day dayOut
	l.json(call2("POST", l.prodPath("/shoot-days"), l.as("ad"), map[string]any{"date": callAt.Format(time.DateOnly),
		"scene_ids": []int64{l.scenes["5"].ID, l.scenes["1"].ID}}), http.StatusCreated, &day)
	report := fmt.Sprintf("/api/v1/shoot-days/%d/report", day.ID)

	// The day: at the call, take 1 rolls on her yes; she pauses take 2
	// and the IC resumes five minutes on; take 3 has a deviation she did
	// not agree to (an incident). At wrap: her step-out and debrief, the
	// crew's debrief.
	l.clock.Advance(72 * time.Hour)
	if r := l.readiness("5", "ad"); !r.Ready {
		t.Fatalf("scene 5 at its call: %+v", r)
	}
	takeOf := func() takeOut {
		t.Helper()
		var tk takeOut
		l.json(call{method: "POST", path: l.scenePath("5", "/takes"), cred: l.as("ic")}, http.StatusCreated, &tk)
		return tk
	}
	checkIn := func(tk takeOut, answer string) {
		t.Helper()
		l.json(call2("POST", fmt.Sprintf("/api/v1/takes/%d/check-ins", tk.ID), l.as("nora"), map[string]any{"performer_id": nora, "answer": answer}), http.StatusCreated, nil)
	}
	checkIn(takeOf(), "yes")
	l.clock.Advance(10 * time.Minute)
	checkIn(takeOf(), "pause")
	l.clock.Advance(5 * time.Minute)
	l.json(call{method: "POST", path: l.scenePath("5", "/resume"), cred: l.as("ic")}, http.StatusOK, nil)
	take3 := takeOf()
	l.json(call2("POST", fmt.Sprintf("/api/v1/takes/%d/deviations", take3.ID), l.as("ic"), map[string]any{"text": "the kiss was held longer than planned"}), http.StatusCreated, nil)
	checkIn(take3, "yes")
	l.clock.Advance(20 * time.Minute)
	l.json(call2("POST", l.scenePath("5", "/step-outs"), l.as("ic"), map[string]any{"performer_id": nora}), http.StatusCreated, nil)
	l.json(call2("POST", l.scenePath("5", "/debriefs"), l.as("ic"), map[string]any{"performer_id": nora, "notes": canaryDebrief, "follow_up_offered": true}), http.StatusCreated, nil)
	l.json(call2("POST", l.scenePath("5", "/crew-debriefs"), l.as("ic"), map[string]any{"held_by": "Ic", "notes": canaryCrew}), http.StatusCreated, nil)
	// Scene 1 has no nudity or simulated sex: no crew debrief.
	w := l.do(call2("POST", l.scenePath("1", "/crew-debriefs"), l.as("ic"), map[string]any{"held_by": "Ic"}))
	if code, msg := errorCode(t, w); w.Code != http.StatusUnprocessableEntity || code != "rule_violation" || !strings.Contains(msg, "nudity or simulated sex") {
		t.Errorf("a crew debrief of scene 1: %d %s %s", w.Code, code, msg)
	}
	// Later, she withdraws from the scene, with a reason for the IC.
	l.json(call2("POST", l.scenePath("5", "/consents/withdraw"), l.as("nora"), map[string]any{"performer_id": nora, "reason": canaryReason}), http.StatusOK, nil)

	// The report, as the production team reads it.
	var got dayReportOut
	raw := l.do(call{method: "GET", path: report, cred: l.as("director")})
	if raw.Code != http.StatusOK {
		t.Fatalf("the report: %d %s", raw.Code, raw.Body)
	}
	if err := json.Unmarshal(raw.Body.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	tt := got.Totals
	if tt.Scenes != 1 || tt.Takes != 3 || tt.Rolled != 2 || tt.CheckIns.Yes != 2 || tt.CheckIns.Pause != 1 || tt.Pauses != 1 || tt.PausedFor != "5m0s" ||
		tt.Deviations != 1 || tt.Incidents != 1 || tt.ClosedSetCompliant != 1 || tt.ClosedAt == nil || tt.NotClosed != 0 ||
		len(tt.Requests) != 1 || tt.Requests[0].Department != "costume" || tt.Requests[0].Done != 1 || tt.Requests[0].Total != 1 {
		t.Errorf("the day's totals: %+v", tt)
	}
	if len(got.Scenes) != 2 || len(got.Scenes[0].Takes) != 3 || got.Scenes[0].Takes[1].State != "paused" || len(got.Scenes[0].Pauses) != 1 ||
		got.Scenes[0].Pauses[0].Take != 2 || got.Scenes[0].Deviations[0].Text != "the kiss was held longer than planned" || !got.Scenes[0].Deviations[0].Incident ||
		got.Scenes[0].ClosedSet == nil || !got.Scenes[0].ClosedSet.Compliant || got.Scenes[1].ClosedSet != nil || got.Signoff != nil || len(got.Versions) != 0 {
		t.Errorf("the day's scenes: %+v", got)
	}
	docs := map[string]string{"JSON": raw.Body.String(), "HTML": l.do(call{method: "GET", path: report + ".html", cred: l.as("ad")}).Body.String()}
	pdf := l.do(call{method: "GET", path: report + ".pdf", cred: l.as("producer")})
	if pdf.Code != http.StatusOK || pdf.Header().Get("Content-Type") != "application/pdf" {
		t.Fatalf("the report PDF: %d %s", pdf.Code, pdf.Header().Get("Content-Type"))
	}
	pages, err := pdftext.Pages(pdf.Body.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	docs["PDF"] = pdftext.Flat(pages)
	for _, want := range []string{"Take 1: rolled, logged 09:00 GMT", "Take 2: paused 09:10 GMT, resumed 09:15 GMT (5m0s)",
		"INCIDENT", "the kiss was held longer than planned", "costume 1/1 done", "before every take", "Not signed off yet."} {
		for _, name := range []string{"HTML", "PDF"} {
			if !strings.Contains(docs[name], want) {
				t.Errorf("the report's %s lacks %q:\n%s", name, want, docs[name])
			}
		}
	}
	for name, doc := range docs {
		for _, secret := range append(dayCanaries, "only with the IC", "Nora Vance") {
			if strings.Contains(doc, secret) {
				t.Errorf("the report's %s carries %q", name, secret)
			}
		}
	}

	// Who reads it: the production team; not a department, not the
	// performer, not another production's people.
	l.person("outsider")
	l.json(call2("POST", "/api/v1/productions", l.as("outsider"), map[string]string{"title": "Other", "policy": "sag_aftra"}), http.StatusCreated, nil)
	for who, want := range map[string]int{"costume": http.StatusForbidden, "nora": http.StatusForbidden, "outsider": http.StatusNotFound} {
		if w := l.do(call{method: "GET", path: report + ".pdf", cred: l.as(who)}); w.Code != want {
			t.Errorf("%s reading the report: %d, want %d", who, w.Code, want)
		}
	}
	if w := l.do(call{method: "GET", path: fmt.Sprintf("/api/v1/shoot-days/%d/report", day.ID+1000), cred: l.as("ic")}); w.Code != http.StatusNotFound {
		t.Errorf("the report of no day: %d, want 404", w.Code)
	}

	// Sign-off: the IC's; naming what she read; version 1, then the same
	// again; a correction is version 2.
	sign := func(who string, body any, want int) signedOut {
		t.Helper()
		var out signedOut
		c := call{method: "POST", path: report + "/sign", cred: l.as(who)}
		if body != nil {
			c.body = jsonBody(body)
		}
		l.json(c, want, &out)
		return out
	}
	sign("producer", nil, http.StatusForbidden)
	sign("ad", nil, http.StatusForbidden)
	sign("ic", map[string]string{"hash": strings.Repeat("0", 64)}, http.StatusConflict)
	if v1 := sign("ic", map[string]string{"hash": got.Hash}, http.StatusCreated); v1.Version != 1 || v1.Hash != got.Hash || v1.Name != "Ic" {
		t.Fatalf("the first sign-off: %+v", v1)
	}
	if again := sign("ic", nil, http.StatusOK); again.Version != 1 {
		t.Fatalf("signing it again unchanged: %+v", again)
	}
	var signed dayReportOut
	l.json(call{method: "GET", path: report, cred: l.as("producer")}, http.StatusOK, &signed)
	if signed.Signoff == nil || signed.Signoff.Version != 1 || len(signed.Versions) != 1 {
		t.Fatalf("the report once signed: %+v, %+v", signed.Signoff, signed.Versions)
	}
	if html := l.do(call{method: "GET", path: report + ".html", cred: l.as("producer")}).Body.String(); !strings.Contains(html, "Version 1, signed off by Ic") {
		t.Errorf("the signed report's HTML lacks its sign-off:\n%s", html)
	}
	l.json(call2("POST", fmt.Sprintf("/api/v1/takes/%d/deviations", take3.ID), l.as("ic"), map[string]any{"text": "a correction: the turn was to the left", "agreed_by": []int64{nora}}), http.StatusCreated, nil)
	l.json(call{method: "GET", path: report, cred: l.as("producer")}, http.StatusOK, &signed)
	if signed.Signoff != nil || signed.Totals.Deviations != 2 {
		t.Fatalf("the report after a correction: %+v, %+v", signed.Signoff, signed.Totals)
	}
	if v2 := sign("ic", map[string]string{"hash": signed.Hash}, http.StatusCreated); v2.Version != 2 {
		t.Fatalf("the correction's sign-off: %+v", v2)
	}
	var v1 dayReportOut
	l.json(call{method: "GET", path: report + "?version=1", cred: l.as("producer")}, http.StatusOK, &v1)
	if v1.Signoff == nil || v1.Signoff.Version != 1 || v1.Hash != got.Hash || v1.Totals.Deviations != 1 || len(v1.Versions) != 2 {
		t.Errorf("version 1 as it was signed: %+v, %+v", v1.Signoff, v1.Totals)
	}
	pdf1 := l.do(call{method: "GET", path: report + ".pdf?version=1", cred: l.as("producer")})
	pages, err = pdftext.Pages(pdf1.Body.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if text := pdftext.Flat(pages); !strings.Contains(text, "Version 1, signed off by Ic") || strings.Contains(text, "a correction") {
		t.Errorf("version 1's PDF:\n%s", text)
	}
	for _, q := range []string{"?version=3", "?version=0", "?version=x"} {
		if w := l.do(call{method: "GET", path: report + q, cred: l.as("producer")}); w.Code != http.StatusNotFound && w.Code != http.StatusBadRequest {
			t.Errorf("the report %s: %d, want 404 or 400", q, w.Code)
		}
	}
}
