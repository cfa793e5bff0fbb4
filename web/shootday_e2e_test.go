package web

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"closedset/consent"
	"closedset/internal/pdftext"
	"closedset/store"
	"closedset/store/postgres"
	"closedset/store/postgres/pgtest"
)

// TestShootDayEndToEnd is issue 13's first bar, through the API, on
// SQLite and PostgreSQL: a scene with every consent current is still not
// ready until its department requests are done and its closed-set list is
// approved by an IC and an AD; a department head sees only their
// department's requests; a changed list needs both approvals again;
// stills need every performer's consent in the plan; the day board and
// the notice for the door say so, with nothing private.
func TestShootDayEndToEnd(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) { shootDay(t, newEnv(t)) })
	t.Run("postgres", func(t *testing.T) {
		u := pgtest.Database(t)
		shootDay(t, newEnv(t, func(c *testConfig) {
			st, err := postgres.Open(context.Background(), u, store.WithClock(c.Now))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { st.Close() })
			c.Store = st
		}))
	})
}

func shootDay(t *testing.T, e *env) {
	l := newLedgerOn(t, e, "Europe/London")
	for _, who := range []string{"costume", "props"} {
		l.person(who)
		l.addMember(l.prod, l.as("producer"), who+"@example.org", who, l.as(who))
	}
	nora := l.performer("nora", "Nora Vance", "1990-05-01", "NORA")
	callAt := l.clock.Now().Add(72 * time.Hour)
	l.schedule("5", callAt)
	l.plan("5", noraPlan(nora, true))
	for _, n := range []string{"8", "10", "10A"} { // a rider covers every flagged scene she is in
		l.plan(n, simplePlan(nora, "Nora is there; no contact."))
	}
	l.sign("nora", l.issue(nora), "Nora Vance")
	// Every consent gate passes; the closed set is all that blocks.
	if r := l.readiness("5", "ad"); r.Ready || len(r.Blockers) != 1 || !blocks(r, consent.GateClosedSet, "no closed-set list") {
		t.Fatalf("signed, with no requests and no list: %+v", r)
	}

	// The IC raises requests; the due time must be before the call.
	raise := func(dept, text string, due time.Time, want int) requestOut {
		t.Helper()
		var out requestOut
		l.json(call2("POST", l.scenePath("5", "/requests"), l.as("ic"), map[string]any{"department": dept, "text": text,
			"due": due.Format(time.RFC3339), "performer_id": nora}), want, &out)
		return out
	}
	w := l.do(call2("POST", l.scenePath("5", "/requests"), l.as("ic"), map[string]any{"department": "costume", "text": "late", "due": callAt.Format(time.RFC3339)}))
	if code, msg := errorCode(t, w); w.Code != http.StatusBadRequest || code != "bad_request" || !strings.Contains(msg, "due") || !strings.Contains(msg, "before the scene's call time") {
		t.Fatalf("a request due at the call: %d %s %s", w.Code, code, msg)
	}
	thongs := raise("costume", "two nude thongs, size S", callAt.Add(-24*time.Hour), http.StatusCreated)
	cushion := raise("props", "barrier cushion, heated", callAt.Add(-24*time.Hour), http.StatusCreated)
	if thongs.State != "open" || thongs.PerformerID != nora {
		t.Fatalf("a new request: %+v", thongs)
	}
	if w := l.do(call2("POST", l.scenePath("5", "/requests"), l.as("costume"), map[string]any{"department": "costume", "text": "x", "due": "2026-03-04T07:00"})); w.Code != http.StatusForbidden {
		t.Errorf("a department raising a request: %d, want 403", w.Code)
	}
	r := l.readiness("5", "ad")
	if r.Ready || !blocks(r, consent.GateRequests, fmt.Sprintf("costume request %d: open", thongs.ID)) || !blocks(r, consent.GateRequests, fmt.Sprintf("props request %d: open", cushion.ID)) {
		t.Fatalf("with two open requests: %+v", r)
	}
	for _, b := range r.Blockers {
		if strings.Contains(b.Detail, "thong") || strings.Contains(b.Detail, "cushion") {
			t.Errorf("a blocker repeats the request's text: %q", b.Detail)
		}
	}

	// Each department head sees only theirs, and answers only theirs.
	for who, want := range map[string]int64{"costume": thongs.ID, "props": cushion.ID} {
		var list struct {
			Requests []requestOut `json:"requests"`
		}
		l.json(call{method: "GET", path: l.prodPath("/requests"), cred: l.as(who)}, http.StatusOK, &list)
		if len(list.Requests) != 1 || list.Requests[0].ID != want {
			t.Errorf("%s's requests: %+v, want only %d", who, list.Requests, want)
		}
		l.json(call{method: "GET", path: l.scenePath("5", "/requests"), cred: l.as(who)}, http.StatusOK, &list)
		if len(list.Requests) != 1 || list.Requests[0].ID != want {
			t.Errorf("%s's requests of the scene: %+v, want only %d", who, list.Requests, want)
		}
	}
	state := func(who string, id int64, st, note string) *httptest.ResponseRecorder {
		return l.do(call2("POST", fmt.Sprintf("/api/v1/requests/%d/state", id), l.as(who), map[string]any{"state": st, "note": note}))
	}
	if w := state("props", thongs.ID, "done", "not ours"); w.Code != http.StatusForbidden {
		t.Errorf("props answering costume's request: %d, want 403", w.Code)
	}
	if w := l.do(call{method: "GET", path: fmt.Sprintf("/api/v1/requests/%d", thongs.ID), cred: l.as("props")}); w.Code != http.StatusForbidden {
		t.Errorf("props reading costume's request: %d, want 403", w.Code)
	}
	if w := state("costume", thongs.ID, "done", ""); w.Code != http.StatusBadRequest {
		t.Errorf("done without a note: %d, want 400", w.Code)
	}
	for _, step := range []struct{ who, state, note string }{{"costume", "in_progress", ""}, {"costume", "done", "two nude thongs, size S, fitted"}, {"props", "cant_do", "no heated cushion before Friday"}} {
		id := thongs.ID
		if step.who == "props" {
			id = cushion.ID
		}
		if w := state(step.who, id, step.state, step.note); w.Code != http.StatusOK {
			t.Fatalf("%s to %s: %d %s", step.who, step.state, w.Code, w.Body)
		}
	}
	if w := state("costume", thongs.ID, "done", "again"); w.Code != http.StatusConflict {
		t.Errorf("done again: %d, want 409", w.Code)
	}
	if r := l.readiness("5", "ad"); !blocks(r, consent.GateRequests, fmt.Sprintf("props request %d: can't do", cushion.ID)) || blocks(r, consent.GateRequests, "costume") {
		t.Fatalf("costume done, props can't: %+v", r)
	}
	var hist requestOut
	l.json(call{method: "GET", path: fmt.Sprintf("/api/v1/requests/%d", thongs.ID), cred: l.as("costume")}, http.StatusOK, &hist)
	if len(hist.History) != 3 || hist.History[2].Note != "two nude thongs, size S, fitted" {
		t.Errorf("the request's history: %+v", hist.History)
	}
	// The IC may answer for any department: a cushion was found after all.
	if w := state("ic", cushion.ID, "done", "standard cushion, heating pad beside it"); w.Code != http.StatusOK {
		t.Fatalf("the IC closing props' request: %d %s", w.Code, w.Body)
	}

	// The closed set: written by the AD, approved by an IC and an AD.
	list := map[string]any{"people": []any{map[string]any{"name": "Ada Director", "role": "director", "where": "monitor"},
		map[string]any{"name": "Bo Operator", "role": "camera operator", "where": "set"}},
		"monitors": []any{map[string]any{"where": "video village"}}, "no_personal_devices": true, "stills": false, "robe_person": "Cy Robe"}
	var v1 closedSetOut
	l.json(call2("PUT", l.scenePath("5", "/closed-set"), l.as("ad"), list), http.StatusOK, &v1)
	if v1.Version != 1 || v1.Approved || len(v1.Awaiting) != 2 {
		t.Fatalf("the list written: %+v", v1)
	}
	approve := func(who string, body any, want int) closedSetOut {
		t.Helper()
		var out closedSetOut
		c := call{method: "POST", path: l.scenePath("5", "/closed-set/approve"), cred: l.as(who)}
		if body != nil {
			c.body = jsonBody(body)
		}
		l.json(c, want, &out)
		return out
	}
	approve("ic", map[string]int{"version": 1}, http.StatusOK)
	if r := l.readiness("5", "ad"); r.Ready || !blocks(r, consent.GateClosedSet, "version 1 awaits approval by an AD") {
		t.Fatalf("approved by the IC only: %+v", r)
	}
	for _, who := range []string{"costume", "producer", "nora"} {
		if w := l.do(call{method: "POST", path: l.scenePath("5", "/closed-set/approve"), cred: l.as(who)}); w.Code != http.StatusForbidden {
			t.Errorf("%s approving: %d, want 403", who, w.Code)
		}
	}
	if got := approve("ad", nil, http.StatusOK); !got.Approved {
		t.Fatalf("approved by both: %+v", got)
	}
	if r := l.readiness("5", "ad"); !r.Ready {
		t.Fatalf("requests done, list approved, consent current: not ready: %+v", r)
	}

	// A change is a new version: both approve again; approving the old
	// version is a conflict.
	list["robe_person"] = "Dee Robe"
	var v2 closedSetOut
	l.json(call2("PUT", l.scenePath("5", "/closed-set"), l.as("ic"), list), http.StatusOK, &v2)
	if v2.Version != 2 || v2.Approved {
		t.Fatalf("the changed list: %+v", v2)
	}
	if r := l.readiness("5", "ad"); r.Ready || !blocks(r, consent.GateClosedSet, "version 2 awaits approval by an IC and an AD") {
		t.Fatalf("after a change: %+v", r)
	}
	approve("ad", map[string]int{"version": 1}, http.StatusConflict)

	// Stills need every performer's consent in the plan.
	list["stills"] = true
	w = l.do(call2("PUT", l.scenePath("5", "/closed-set"), l.as("ic"), list))
	if code, msg := errorCode(t, w); w.Code != http.StatusUnprocessableEntity || code != "rule_violation" || !strings.Contains(msg, "Nora Vance has not consented to stills") {
		t.Fatalf("stills without consent: %d %s %s", w.Code, code, msg)
	}
	list["no_personal_devices"] = false
	list["stills"] = false
	if w := l.do(call2("PUT", l.scenePath("5", "/closed-set"), l.as("ic"), list)); w.Code != http.StatusUnprocessableEntity {
		t.Errorf("personal devices allowed: %d, want 422", w.Code)
	}
	approve("ic", nil, http.StatusOK)
	approve("ad", map[string]int{"version": 2}, http.StatusOK)

	// The day board and the notice.
	var day dayOut
	l.json(call2("POST", l.prodPath("/shoot-days"), l.as("ad"), map[string]any{"date": callAt.Format(time.DateOnly),
		"scene_ids": []int64{l.scenes["5"].ID, l.scenes["1"].ID}}), http.StatusCreated, &day)
	if w := l.do(call2("POST", l.prodPath("/shoot-days"), l.as("ad"), map[string]any{"date": callAt.Format(time.DateOnly)})); w.Code != http.StatusConflict {
		t.Errorf("a second day on the same date: %d, want 409", w.Code)
	}
	var board boardOut
	l.json(call{method: "GET", path: fmt.Sprintf("/api/v1/shoot-days/%d", day.ID), cred: l.as("ad")}, http.StatusOK, &board)
	if len(board.Scenes) != 2 || !board.Scenes[0].Ready || !board.Scenes[0].Intimate || board.Scenes[1].Intimate || board.NotReady != 0 {
		t.Fatalf("the board: %+v", board)
	}
	if w := l.do(call{method: "GET", path: fmt.Sprintf("/api/v1/shoot-days/%d", day.ID), cred: l.as("costume")}); w.Code != http.StatusForbidden {
		t.Errorf("costume reading the board: %d, want 403", w.Code)
	}
	// A withdrawal shows on the board at once.
	l.json(call2("POST", l.scenePath("5", "/consents/withdraw"), l.as("nora"), map[string]any{"performer_id": nora, "reason": "private reason 9b1e"}), http.StatusOK, nil)
	l.json(call{method: "GET", path: fmt.Sprintf("/api/v1/shoot-days/%d", day.ID), cred: l.as("ad")}, http.StatusOK, &board)
	if board.Scenes[0].Ready || board.NotReady != 1 {
		t.Fatalf("after the withdrawal: %+v", board.Scenes[0])
	}
	pdf := l.do(call{method: "GET", path: l.scenePath("5", "/closed-set.pdf"), cred: l.as("costume")})
	if pdf.Code != http.StatusOK || pdf.Header().Get("Content-Type") != "application/pdf" {
		t.Fatalf("the notice PDF: %d %s", pdf.Code, pdf.Header().Get("Content-Type"))
	}
	pages, err := pdftext.Pages(pdf.Body.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	text := pdftext.Flat(pages)
	for _, want := range []string{"Ada Director — director", "Dee Robe", "No personal recording devices", "No stills.", "Intimacy coordinator: Ic", "Assistant director: Ad"} {
		if !strings.Contains(text, want) {
			t.Errorf("the notice lacks %q:\n%s", want, text)
		}
	}
	for _, secret := range []string{"only with the IC", "private reason", "buttocks"} {
		if strings.Contains(text, secret) || strings.Contains(l.do(call{method: "GET", path: l.scenePath("5", "/closed-set.html"), cred: l.as("costume")}).Body.String(), secret) {
			t.Errorf("the notice carries %q", secret)
		}
	}
}

// call2 is a call with a JSON body.
func call2(method, path string, cr cred, body any) call {
	return call{method: method, path: path, cred: cr, body: jsonBody(body)}
}
