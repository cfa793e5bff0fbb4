package web

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"closedset/auth"
	"closedset/cmd/closedset/demo"
	"closedset/consent"
	"closedset/store"
	"closedset/store/postgres"
	"closedset/store/postgres/pgtest"
)

// TestSilentLoveSceneEndToEnd is the consent bar on a love scene with no
// dialogue (the demo's scene 8: "Mara and Tomas kiss as they cross the
// room. They undress each other ..."), through the API, on SQLite and
// PostgreSQL: the IC casts performers by character and they are in the
// scene although they say nothing; riders are issued and signed and the
// scene turns ready; a plan change makes the consents stale; a withdrawal
// turns it not ready; a plan beyond a performer's boundaries blocks on the
// boundaries gate, whose detail names no body area for the AD.
func TestSilentLoveSceneEndToEnd(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) { silentLoveScene(t, newEnv(t)) })
	t.Run("postgres", func(t *testing.T) {
		u := pgtest.Database(t)
		silentLoveScene(t, newEnv(t, func(c *testConfig) {
			st, err := postgres.Open(context.Background(), u, store.WithClock(c.Now))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { st.Close() })
			c.Store = st
		}))
	})
}

func silentLoveScene(t *testing.T, e *env) {
	l := &ledger{env: e, tokens: map[string]string{}, users: map[string]auth.User{}}
	for _, who := range []string{"producer", "ic", "ad"} {
		l.person(who)
	}
	var p productionOut
	l.json(call{method: "POST", path: "/api/v1/productions", cred: l.as("producer"),
		body: jsonBody(map[string]string{"title": "Harbour Lights", "policy": "sag_aftra", "time_zone": "Europe/London"})}, http.StatusCreated, &p)
	l.prod = p.ID
	for _, r := range []string{"ic", "ad"} {
		l.addMember(l.prod, l.as("producer"), r+"@example.org", r, l.as(r))
	}
	l.certifyICOfRecord()
	draft := demo.Drafts()[0]
	l.uploadData(draft.Filename, draft.Data)
	love := l.scenes["8"]
	if len(love.Speaking) != 0 || !slices.Contains(love.Present, "MARA") || !slices.Contains(love.Present, "TOMAS") || len(love.Flags) == 0 {
		t.Fatalf("scene 8 = speaking %v, present %v, %d flags; want a flagged silent scene with MARA and TOMAS present", love.Speaking, love.Present, len(love.Flags))
	}

	// The IC casts by character; both are in the silent scene.
	mara := l.performer("mara", "Mara Penrose", "1991-02-03", "MARA")
	tomas := l.performer("tomas", "Tomas Vell", "1989-07-08", "TOMAS")
	var sc sceneOut
	l.json(call{method: "GET", path: l.scenePath("8", ""), cred: l.as("ic")}, http.StatusOK, &sc)
	if len(sc.Cast) != 2 {
		t.Fatalf("scene 8's cast = %+v, want Mara and Tomas", sc.Cast)
	}
	// Mara records a boundary the first plan keeps within.
	l.json(call{method: "PUT", path: fmt.Sprintf("/api/v1/performers/%d/boundaries", mara), cred: l.as("mara"), body: jsonBody(map[string]any{
		"touch": []any{}, "no_touch": []string{"breasts"}, "exposure": []any{}, "garments": []string{}, "notes": "only with the IC"})}, http.StatusOK, nil)

	// Every flagged scene either plays in gets a plan naming whoever of
	// the two is present (a rider covers all their scenes).
	planFor := func(number string, contact string) {
		t.Helper()
		var s sceneOut
		l.json(call{method: "GET", path: l.scenePath(number, ""), cred: l.as("ic")}, http.StatusOK, &s)
		var pl consent.Plan
		pl.Description = "Scene " + number + ": they kiss and undress each other; simulated intimacy under a sheet."
		pl.Barriers = []string{"barrier cushion"}
		for _, c := range s.Cast {
			pl.Performers = append(pl.Performers, consent.PerformerPlan{PerformerID: c.PerformerID, Nudity: consent.Nudity{Level: "none"},
				Acts: []string{"simulated intercourse"}, Content: []string{"kissing", "simulated_sex"}, Contact: []string{contact},
				Garments: []string{"modesty garment"}, Barriers: []string{"barrier cushion"}})
		}
		if len(pl.Performers) > 0 {
			l.plan(number, pl)
		}
	}
	for _, s := range l.scenes {
		if len(s.Flags) > 0 && (slices.Contains(s.Present, "MARA") || slices.Contains(s.Present, "TOMAS")) {
			planFor(s.Number, "kissing: lips")
		}
	}
	l.schedule("8", l.clock.Now().Add(72*time.Hour))
	l.closeSet("8")
	if r := l.readiness("8", "ad"); r.Ready || !blocks(r, consent.GateConsent, "no consent") {
		t.Fatalf("before any rider: %+v", r)
	}
	l.sign("mara", l.issue(mara), "Mara Penrose")
	l.sign("tomas", l.issue(tomas), "Tomas Vell")
	if r := l.readiness("8", "ad"); !r.Ready {
		t.Fatalf("both signed with 72 h notice: not ready: %+v", r)
	}

	// A plan change: stale at once.
	planFor("8", "kissing: lips, neck")
	if r := l.readiness("8", "ad"); r.Ready || !blocks(r, consent.GateConsent, "stale") {
		t.Fatalf("after the plan changed: %+v", r)
	}
	l.sign("mara", l.issue(mara), "Mara Penrose")
	l.sign("tomas", l.issue(tomas), "Tomas Vell")
	if r := l.readiness("8", "ad"); !r.Ready {
		t.Fatalf("after the new riders were signed: %+v", r)
	}

	// A withdrawal: not ready on the next request.
	l.json(call{method: "POST", path: l.scenePath("8", "/consents/withdraw"), cred: l.as("tomas"), body: jsonBody(map[string]any{"performer_id": tomas})}, http.StatusOK, nil)
	if r := l.readiness("8", "ad"); r.Ready || !blocks(r, consent.GateConsent, "withdrawn") {
		t.Fatalf("after Tomas withdrew: %+v", r)
	}

	// A plan beyond Mara's boundaries: the boundaries gate, naming no
	// body area to the AD.
	planFor("8", "hands: breasts")
	w := l.do(call{method: "GET", path: l.scenePath("8", "/readiness"), cred: l.as("ad")})
	if !strings.Contains(w.Body.String(), `"gate":"boundaries"`) {
		t.Fatalf("a plan beyond Mara's boundaries: readiness %s, want the boundaries gate", w.Body)
	}
	if strings.Contains(strings.ToLower(w.Body.String()), "breast") {
		t.Fatalf("the AD's readiness names the body area: %s", w.Body)
	}
}
