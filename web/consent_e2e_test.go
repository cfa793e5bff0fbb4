package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"closedset/auth"
	"closedset/consent"
)

// ledger drives the consent API as a production's people would: each
// person has a token, and every step is an HTTP request.
type ledger struct {
	*env
	tokens map[string]string // by person: "producer", "ic", "ad", "nora", ...
	users  map[string]auth.User
	prod   int64
	script int64
	scenes map[string]sceneOut // current scenes by number
}

// newLedger makes a production (sag_aftra, in zone) with a producer, an
// IC and an AD, and uploads the harbor script.
func newLedger(t *testing.T, zone string) *ledger {
	t.Helper()
	return newLedgerOn(t, newEnv(t), zone)
}

// newLedgerOn is newLedger on the server of e.
func newLedgerOn(t *testing.T, e *env, zone string) *ledger {
	t.Helper()
	l := &ledger{env: e, tokens: map[string]string{}, users: map[string]auth.User{}}
	for _, who := range []string{"producer", "ic", "ad"} {
		l.person(who)
	}
	var p productionOut
	l.json(call{method: "POST", path: "/api/v1/productions", cred: l.as("producer"),
		body: jsonBody(map[string]string{"title": "Harbor Lights", "policy": "sag_aftra", "time_zone": zone})}, http.StatusCreated, &p)
	l.prod = p.ID
	for _, r := range []string{"ic", "ad"} {
		l.addMember(l.prod, l.as("producer"), r+"@example.org", r, l.as(r))
	}
	l.upload("../screenplay/testdata/twins/harbor.fountain")
	l.certifyICOfRecord()
	return l
}

// person makes a user with a token.
func (l *ledger) person(who string) auth.User {
	u := l.user(who+"@example.org", strings.ToUpper(who[:1])+who[1:], false)
	l.users[who], l.tokens[who] = u, l.token(u)
	return u
}

func (l *ledger) as(who string) cred { return cred{token: l.tokens[who]} }

func (l *ledger) prodPath(suffix string) string {
	return fmt.Sprintf("/api/v1/productions/%d%s", l.prod, suffix)
}

func (l *ledger) scenePath(number, suffix string) string {
	l.t.Helper()
	sc, ok := l.scenes[number]
	if !ok {
		l.t.Fatalf("no scene %s in the current draft", number)
	}
	return fmt.Sprintf("/api/v1/scenes/%d%s", sc.ID, suffix)
}

// upload adds the file as the script's next draft (the first: a new
// script) and reads the current scenes.
func (l *ledger) upload(file string) {
	l.t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		l.t.Fatal(err)
	}
	l.uploadData("harbor.fountain", data)
}

// uploadData is upload of the file's bytes.
func (l *ledger) uploadData(filename string, data []byte) {
	l.t.Helper()
	q := "?filename=" + filename
	if l.script != 0 {
		q += fmt.Sprintf("&script_id=%d", l.script)
	}
	var out struct {
		Revision revisionOut `json:"revision"`
	}
	l.json(call{method: "POST", path: l.prodPath("/scripts") + q, cred: l.as("ic"), body: strReader(string(data)), contentType: "text/plain"},
		http.StatusCreated, &out)
	l.script = out.Revision.ScriptID
	var list struct {
		Scenes []sceneOut `json:"scenes"`
	}
	l.json(call{method: "GET", path: l.prodPath("/scenes"), cred: l.as("ic")}, http.StatusOK, &list)
	l.scenes = map[string]sceneOut{}
	for _, sc := range list.Scenes {
		l.scenes[sc.Number] = sc
	}
}

// performer adds a performer playing character, linked to a new user
// named who, and returns its id.
func (l *ledger) performer(who, name, dob, character string) int64 {
	l.t.Helper()
	l.person(who)
	var p performerOut
	l.json(call{method: "POST", path: l.prodPath("/performers"), cred: l.as("ic"), body: jsonBody(map[string]any{
		"name": name, "email": who + "@example.org", "date_of_birth": dob, "characters": []string{character}})}, http.StatusCreated, &p)
	if p.UserID != l.users[who].ID {
		l.t.Fatalf("performer %s linked to user %d, want %d", name, p.UserID, l.users[who].ID)
	}
	return p.ID
}

func (l *ledger) schedule(number string, at time.Time) {
	l.t.Helper()
	l.json(call{method: "PUT", path: l.scenePath(number, "/schedule"), cred: l.as("ad"),
		body: jsonBody(map[string]string{"call_time": at.Format(time.RFC3339)})}, http.StatusOK, nil)
}

func (l *ledger) plan(number string, p consent.Plan) planOut {
	l.t.Helper()
	var out planOut
	l.json(call{method: "PUT", path: l.scenePath(number, "/plan"), cred: l.as("ic"), body: jsonBody(p)}, http.StatusOK, &out)
	return out
}

func (l *ledger) issue(performerID int64) riderOut {
	l.t.Helper()
	var r riderOut
	l.json(call{method: "POST", path: l.prodPath(fmt.Sprintf("/performers/%d/riders", performerID)), cred: l.as("ic")}, http.StatusCreated, &r)
	return r
}

func (l *ledger) sign(who string, r riderOut, name string) {
	l.t.Helper()
	l.json(call{method: "POST", path: fmt.Sprintf("/api/v1/riders/%d/sign", r.ID), cred: l.as(who),
		body: jsonBody(map[string]any{"typed_name": name, "agree": true})}, http.StatusOK, nil)
}

func (l *ledger) readiness(number, who string) readinessOut {
	l.t.Helper()
	var r readinessOut
	l.json(call{method: "GET", path: l.scenePath(number, "/readiness"), cred: l.as(who)}, http.StatusOK, &r)
	return r
}

// blocks reports whether a blocker of gate mentions want.
func blocks(r readinessOut, gate, want string) bool {
	for _, b := range r.Blockers {
		if b.Gate == gate && strings.Contains(b.Detail, want) {
			return true
		}
	}
	return false
}

// noraPlan is scene plan for Nora: the bedroom scene's simulated sex with
// barriers, partial nudity when nude is true.
func noraPlan(id int64, nude bool) consent.Plan {
	pp := consent.PerformerPlan{PerformerID: id, Nudity: consent.Nudity{Level: "none"}, Acts: []string{"simulated intercourse"},
		Content: []string{"kissing", "simulated_sex"}, Contact: []string{"kissing: lips, neck"}, Garments: []string{"strapless thong"}, Barriers: []string{"barrier cushion"}}
	if nude {
		pp.Nudity = consent.Nudity{Level: "partial", Areas: []string{"buttocks"}, Angles: []string{"rear"}}
	}
	return consent.Plan{Description: "Nora and Theo in bed; simulated intercourse under a sheet.", Performers: []consent.PerformerPlan{pp},
		Barriers: []string{"barrier cushion"}, FootageLimits: "Not in trailers or promotion."}
}

// castNora makes Nora's performer, plans her four flagged scenes (the
// bedroom, scene 5, with nudity when nude; the morgue, where she speaks no
// line but is present), and schedules scene 5 three days on.
func (l *ledger) castNora(nude bool) int64 {
	l.t.Helper()
	nora := l.performer("nora", "Nora Vance", "1990-05-01", "NORA")
	l.json(call{method: "PUT", path: fmt.Sprintf("/api/v1/performers/%d/boundaries", nora), cred: l.as("nora"), body: jsonBody(map[string]any{
		"touch": []any{map[string]any{"area": "back", "by": "scene partner", "allowed": true}}, "no_touch": []string{"face"}, "notes": "only with the IC"})},
		http.StatusOK, nil)
	l.schedule("5", l.clock.Now().Add(72*time.Hour))
	l.closeSet("5")
	l.plan("5", noraPlan(nora, nude))
	for _, n := range []string{"10", "10A"} {
		l.plan(n, simplePlan(nora, "Nora holds June."))
	}
	l.plan("8", simplePlan(nora, "Nora identifies the body under the sheet; no contact."))
	return nora
}

// TestConsentLedgerEndToEnd follows one scene from plan to shoot through
// the API: boundaries, schedule, plan, rider, signature, readiness, a
// plan change that makes the consent stale, a new rider, a withdrawal, a
// reduction re-confirmed and an addition refused.
func TestConsentLedgerEndToEnd(t *testing.T) {
	l := newLedger(t, "Europe/London")
	nora := l.castNora(false)

	var b boundariesOut
	l.json(call{method: "GET", path: fmt.Sprintf("/api/v1/performers/%d/boundaries", nora), cred: l.as("ic")}, http.StatusOK, &b)
	if b.Version != 1 || b.Notes != "only with the IC" || len(b.NoTouch) != 1 {
		t.Fatalf("the IC reads boundaries %+v", b)
	}
	if r := l.readiness("5", "ad"); r.Ready || !blocks(r, consent.GateConsent, "no consent") || !blocks(r, consent.GateNotice, "no rider") {
		t.Fatalf("before any rider: %+v", r)
	}

	rider := l.issue(nora)
	if len(rider.Scenes) != 4 || rider.Document == nil || rider.HTML == "" {
		t.Fatalf("rider %+v", rider)
	}
	for name, body := range map[string]map[string]any{
		"a wrong name":  {"typed_name": "Theo Marsh", "agree": true},
		"no agreement":  {"typed_name": "Nora Vance", "agree": false},
		"a strange key": {"typed_name": "Nora Vance", "agree": true, "witness": "x"},
	} {
		w := l.do(call{method: "POST", path: fmt.Sprintf("/api/v1/riders/%d/sign", rider.ID), cred: l.as("nora"), body: jsonBody(body)})
		if w.Code != http.StatusUnprocessableEntity && w.Code != http.StatusBadRequest {
			t.Errorf("signing with %s: %d %s", name, w.Code, w.Body)
		}
	}
	if w := l.do(call{method: "POST", path: fmt.Sprintf("/api/v1/riders/%d/sign", rider.ID), cred: l.as("ic"),
		body: jsonBody(map[string]any{"typed_name": "Nora Vance", "agree": true})}); w.Code != http.StatusForbidden {
		t.Errorf("the IC signing for Nora: %d, want 403", w.Code)
	}
	l.sign("nora", rider, "  nora   VANCE ")
	if w := l.do(call{method: "POST", path: fmt.Sprintf("/api/v1/riders/%d/sign", rider.ID), cred: l.as("nora"),
		body: jsonBody(map[string]any{"typed_name": "Nora Vance", "agree": true})}); w.Code != http.StatusConflict {
		t.Errorf("signing twice: %d, want 409", w.Code)
	}
	if r := l.readiness("5", "ad"); !r.Ready {
		t.Fatalf("signed with 72 h notice: not ready: %+v", r)
	}

	// The plan changes: more nudity. The consent is stale at once.
	v2 := l.plan("5", noraPlan(nora, true))
	if v2.Version != 2 {
		t.Fatalf("changed plan is version %d", v2.Version)
	}
	if r := l.readiness("5", "ad"); r.Ready || !blocks(r, consent.GateConsent, "stale") {
		t.Fatalf("after the plan changed: %+v", r)
	}
	w := l.do(call{method: "POST", path: l.scenePath("5", "/consents/reconfirm"), cred: l.as("nora"), body: jsonBody(map[string]any{"performer_id": nora})})
	if w.Code != http.StatusConflict || !strings.Contains(w.Body.String(), "new rider") {
		t.Fatalf("re-confirming an addition: %d %s", w.Code, w.Body)
	}
	l.sign("nora", l.issue(nora), "Nora Vance")
	if r := l.readiness("5", "ad"); !r.Ready {
		t.Fatalf("after the new rider was signed: %+v", r)
	}

	// Withdrawal: not ready on the very next request, for everyone.
	var st consentOut
	l.json(call{method: "POST", path: l.scenePath("5", "/consents/withdraw"), cred: l.as("nora"), body: jsonBody(map[string]any{"performer_id": nora})}, http.StatusOK, &st)
	if st.State != consent.Withdrawn {
		t.Fatalf("withdrawal answered %+v", st)
	}
	for _, who := range []string{"ad", "ic", "producer", "nora"} {
		if r := l.readiness("5", who); r.Ready || !blocks(r, consent.GateConsent, "withdrawn") {
			t.Fatalf("after the withdrawal, %s sees %+v", who, r)
		}
	}
	var list struct {
		Consents []consentOut `json:"consents"`
	}
	l.json(call{method: "GET", path: l.scenePath("5", "/consents"), cred: l.as("ad")}, http.StatusOK, &list)
	if len(list.Consents) != 1 || list.Consents[0].State != consent.Withdrawn {
		t.Fatalf("the AD sees consents %+v", list.Consents)
	}

	// A reduction may be re-confirmed on the rider already signed.
	l.sign("nora", l.issue(nora), "Nora Vance")
	l.plan("5", noraPlan(nora, false))
	if r := l.readiness("5", "ad"); r.Ready {
		t.Fatalf("a reduced plan before re-confirmation: ready")
	}
	l.json(call{method: "POST", path: l.scenePath("5", "/consents/reconfirm"), cred: l.as("nora"), body: jsonBody(map[string]any{"performer_id": nora})}, http.StatusOK, &st)
	if st.State != consent.Current {
		t.Fatalf("re-confirmed: %+v", st)
	}
	if r := l.readiness("5", "ad"); !r.Ready {
		t.Fatalf("after re-confirming a reduction: %+v", r)
	}

	// An addition cannot be re-confirmed.
	l.plan("5", noraPlan(nora, true))
	w = l.do(call{method: "POST", path: l.scenePath("5", "/consents/reconfirm"), cred: l.as("nora"), body: jsonBody(map[string]any{"performer_id": nora})})
	if w.Code != http.StatusConflict {
		t.Fatalf("re-confirming an addition: %d %s", w.Code, w.Body)
	}
	if r := l.readiness("5", "ad"); r.Ready || !blocks(r, consent.GateConsent, "stale") {
		t.Fatalf("after an addition: %+v", r)
	}
}

// TestNoticePeriodBoundary: a rider delivered 47 h 59 min before the call
// leaves the scene not ready on the notice gate; 48 h is enough.
func TestNoticePeriodBoundary(t *testing.T) {
	for _, tc := range []struct {
		name  string
		lead  time.Duration
		ready bool
	}{
		{"47h59m", 47*time.Hour + 59*time.Minute, false},
		{"48h", 48 * time.Hour, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := newLedger(t, "America/Los_Angeles")
			nora := l.castNora(false)
			call := l.clock.Now().Add(tc.lead)
			l.schedule("5", call)
			l.closeSet("5")
			l.sign("nora", l.issue(nora), "Nora Vance")
			r := l.readiness("5", "ad")
			if r.Ready != tc.ready {
				t.Fatalf("rider %s before the call: ready %v, want %v: %+v", tc.name, r.Ready, tc.ready, r)
			}
			if !tc.ready && (len(r.Blockers) != 1 || r.Blockers[0].Gate != consent.GateNotice) {
				t.Fatalf("want only the notice gate to block: %+v", r.Blockers)
			}
		})
	}
}

// TestMinorsAreProtectedByRule: no nudity for a performer under 18 on the
// shoot day (17 years 364 days is under), allowed at 18; a minor in a
// kissing scene needs a named guardian before the scene is ready.
func TestMinorsAreProtectedByRule(t *testing.T) {
	l := newLedger(t, "UTC")
	shoot := time.Date(2026, 6, 10, 8, 0, 0, 0, time.UTC)
	june17 := l.performer("june", "June Vance", "2008-06-11", "JUNE") // 18 the day after the shoot
	june18 := l.performer("juno", "Juno Vance", "2008-06-10", "JUNE") // 18 on the shoot day
	l.schedule("10", shoot)
	l.closeSet("10")
	l.schedule("10A", shoot)
	l.closeSet("10A")
	nude := func(id int64) consent.Plan {
		return consent.Plan{Description: "June bathes.", Performers: []consent.PerformerPlan{{PerformerID: id,
			Nudity: consent.Nudity{Level: "partial", Areas: []string{"back"}, Angles: []string{"rear"}}, Garments: []string{"robe"}}}}
	}
	w := l.do(call{method: "PUT", path: l.scenePath("10", "/plan"), cred: l.as("ic"), body: jsonBody(nude(june17))})
	code, msg := errorCode(t, w)
	if w.Code != http.StatusUnprocessableEntity || code != "rule_violation" || !strings.Contains(msg, consent.RuleMinorNoNudity) || !strings.Contains(msg, "June Vance") {
		t.Fatalf("nudity for a 17-year-old: %d %s %q", w.Code, code, msg)
	}
	if v := l.plan("10", nude(june18)); v.Version != 1 {
		t.Fatalf("nudity at 18: version %d", v.Version)
	}

	kiss := consent.Plan{Description: "June kisses a boy on the cheek.", Performers: []consent.PerformerPlan{
		{PerformerID: june17, Contact: []string{"kissing: cheek"}, Content: []string{"kissing"}},
		{PerformerID: june18, Contact: []string{"kissing: cheek"}, Content: []string{"kissing"}}}}
	l.plan("10A", kiss)
	minorBlocker := func(r readinessOut) bool {
		for _, b := range r.Blockers {
			if b.Gate == consent.GateMinors && b.PerformerID == june17 && strings.Contains(b.Detail, "guardian") {
				return true
			}
		}
		return false
	}
	if r := l.readiness("10A", "ic"); r.Ready || !minorBlocker(r) {
		t.Fatalf("a minor with no guardian: %+v", r)
	}
	var sg safeguardsOut
	l.json(call{method: "PUT", path: l.scenePath("10A", "/safeguards"), cred: l.as("ad"), body: jsonBody(map[string]any{
		"guardians": []any{map[string]any{"performer_id": june17, "name": "Nora Vance"}}})}, http.StatusOK, &sg)
	if len(sg.Guardians) != 1 || sg.Guardians[0].PerformerID != june17 {
		t.Fatalf("safeguards %+v", sg)
	}
	if r := l.readiness("10A", "ic"); minorBlocker(r) || blocks(r, consent.GateMinors, "June") {
		t.Fatalf("the guardian is named, and still: %+v", r)
	}
}

// TestPlanCarriesAcrossRevisions: a new draft keeps a scene's plan; when
// the scene's text changed its consents go stale at once, when it did not
// they still count.
func TestPlanCarriesAcrossRevisions(t *testing.T) {
	for _, tc := range []struct {
		name, file string
		ready      bool
	}{
		{"scene 5 rewritten", "testdata/harbor-v2.fountain", false},
		{"another scene rewritten", "testdata/harbor-scene1-changed.fountain", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := newLedger(t, "UTC")
			nora := l.castNora(false)
			l.sign("nora", l.issue(nora), "Nora Vance")
			if r := l.readiness("5", "ad"); !r.Ready {
				t.Fatalf("before the new draft: %+v", r)
			}
			old := l.scenes["5"].ID
			l.upload(tc.file)
			if l.scenes["5"].ID == old {
				t.Fatal("the new draft's scene 5 is the old scene")
			}
			var p planOut
			l.json(call{method: "GET", path: l.scenePath("5", "/plan"), cred: l.as("ic")}, http.StatusOK, &p)
			if p.CarriedFrom != old || p.Plan == nil || len(p.Plan.Performers) != 1 {
				t.Fatalf("the new scene's plan: %+v", p)
			}
			r := l.readiness("5", "ad")
			if r.Ready != tc.ready {
				t.Fatalf("after the new draft: ready %v, want %v: %+v", r.Ready, tc.ready, r)
			}
			if !tc.ready && !blocks(r, consent.GateConsent, "scene text changed") {
				t.Fatalf("the blocker does not name the consent gate and the text change: %+v", r)
			}
		})
	}
}

// TestRiderPDFCarriesTheSignatureCertificate: the rider and the summary
// answer as PDF and HTML; the signed rider's PDF ends with the certificate
// naming the typed name and the digest.
func TestRiderPDFCarriesTheSignatureCertificate(t *testing.T) {
	l := newLedger(t, "Europe/London")
	nora := l.castNora(false)
	rider := l.issue(nora)
	l.sign("nora", rider, "Nora Vance")
	for _, path := range []string{rider.PDF, rider.HTML, l.scenePath("5", "/summary.pdf"), l.scenePath("5", "/summary.html")} {
		w := l.do(call{method: "GET", path: path, cred: l.as("ic")})
		want := "application/pdf"
		if strings.HasSuffix(path, ".html") {
			want = "text/html; charset=utf-8"
		}
		if w.Code != http.StatusOK || w.Header().Get("Content-Type") != want {
			t.Fatalf("%s: %d %s", path, w.Code, w.Header().Get("Content-Type"))
		}
	}
	w := l.do(call{method: "GET", path: rider.PDF, cred: l.as("nora")})
	text := pdfText(t, w.Body.Bytes())
	squeezed := strings.ReplaceAll(text, " ", "")
	for _, want := range []string{"Signature certificate", "Nora Vance", "Not in trailers"} {
		if !strings.Contains(text, want) {
			t.Errorf("the signed rider's PDF lacks %q", want)
		}
	}
	if !strings.Contains(squeezed, rider.Digest) {
		t.Errorf("the signed rider's PDF lacks its digest %s", rider.Digest)
	}
	var sum summarySceneOut
	l.json(call{method: "GET", path: l.scenePath("5", "/summary"), cred: l.as("ad")}, http.StatusOK, &sum)
	if !sum.ClosedSet || sum.WhatHappens == "" || len(sum.People) != 1 || sum.CallTime == nil {
		t.Errorf("summary %+v", sum)
	}
	// Rider files that are no rider.
	for _, path := range []string{"/api/v1/riders/1.txt", "/api/v1/riders/x.pdf", "/api/v1/riders/0"} {
		if w := l.do(call{method: "GET", path: path, cred: l.as("ic")}); w.Code != http.StatusNotFound {
			t.Errorf("%s: %d, want 404", path, w.Code)
		}
	}
}

// TestConsentGridShowsStatesOnly: the board names each performer's state
// per scene and each scene's readiness, and the performer may not read it.
func TestConsentGridShowsStatesOnly(t *testing.T) {
	l := newLedger(t, "UTC")
	nora := l.castNora(false)
	l.sign("nora", l.issue(nora), "Nora Vance")
	l.json(call{method: "POST", path: l.scenePath("10", "/consents/withdraw"), cred: l.as("ic"),
		body: jsonBody(map[string]any{"performer_id": nora, "reason": "private words"})}, http.StatusOK, nil)
	w := l.do(call{method: "GET", path: l.prodPath("/consents"), cred: l.as("ad")})
	if w.Code != http.StatusOK || strings.Contains(w.Body.String(), "private words") {
		t.Fatalf("grid: %d %s", w.Code, w.Body)
	}
	var g gridOut
	if err := json.Unmarshal(w.Body.Bytes(), &g); err != nil {
		t.Fatal(err)
	}
	states := map[string]consent.State{}
	for _, sc := range g.Scenes {
		for _, c := range sc.Cells {
			if c.PerformerID == nora && c.InScene {
				states[sc.Number] = c.State
			}
		}
	}
	if states["5"] != consent.Current || states["10"] != consent.Withdrawn || states["10A"] != consent.Current {
		t.Fatalf("grid states %v", states)
	}
	if w := l.do(call{method: "GET", path: l.prodPath("/consents"), cred: l.as("nora")}); w.Code != http.StatusForbidden {
		t.Fatalf("the performer reads the grid: %d", w.Code)
	}
}

// TestProductionTightensItsPolicy: a production may lengthen the rider
// notice (then a rider 48 h ahead no longer suffices) and set its own
// pause word, but never go below its pack's floor.
func TestProductionTightensItsPolicy(t *testing.T) {
	l := newLedger(t, "UTC")
	path := fmt.Sprintf("/api/v1/productions/%d/policy", l.prod)
	var got policyOut
	l.json(call{method: "GET", path: path, cred: l.as("ad")}, http.StatusOK, &got)
	if got.Policy.NoticePeriod != 48*time.Hour || got.Policy.PauseWord != consent.DefaultPauseWord {
		t.Fatalf("the pack as published: %+v", got.Policy)
	}
	for _, tc := range []struct {
		name string
		body map[string]any
		rule string
	}{
		{"a shorter notice", map[string]any{"notice_hours": 24}, "notice_period"},
		{"no barriers", map[string]any{"barriers_for_simulated_sex": false}, "barriers_for_simulated_sex"},
		{"no guardian", map[string]any{"guardian_for_minors": false}, "guardian_for_minors"},
	} {
		w := l.do(call{method: "PUT", path: path, cred: l.as("producer"), body: jsonBody(tc.body)})
		if code, msg := errorCode(t, w); w.Code != http.StatusUnprocessableEntity || code != "rule_violation" || !strings.Contains(msg, tc.rule) {
			t.Errorf("%s: %d %s %q, want 422 rule_violation naming %s", tc.name, w.Code, code, msg, tc.rule)
		}
	}
	l.json(call{method: "PUT", path: path, cred: l.as("ic"), body: jsonBody(map[string]any{"notice_hours": 72, "pause_word": "Hold please"})}, http.StatusOK, &got)
	if got.Policy.NoticePeriod != 72*time.Hour || got.Policy.PauseWord != "Hold please" || got.Pack.NoticePeriod != 48*time.Hour {
		t.Fatalf("after tightening: %+v", got)
	}
	if w := l.do(call{method: "PUT", path: path, cred: l.as("ad"), body: jsonBody(map[string]any{"notice_hours": 96})}); w.Code != http.StatusForbidden {
		t.Errorf("an AD setting the policy: %d, want 403", w.Code)
	}

	nora := l.castNora(false)
	l.schedule("5", l.clock.Now().Add(60*time.Hour))
	l.closeSet("5")
	l.sign("nora", l.issue(nora), "Nora Vance")
	r := l.readiness("5", "ad")
	if r.Ready || len(r.Blockers) != 1 || r.Blockers[0].Gate != consent.GateNotice {
		t.Fatalf("a rider 60 h before the call under a 72 h notice: %+v", r)
	}
}
