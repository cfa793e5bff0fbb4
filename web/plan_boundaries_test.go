package web

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"closedset/consent"
)

// beyondNora is the boundary Nora's hands-on plan goes beyond, as the IC
// and Nora read it: private, like the boundaries it comes from.
const beyondNora = "no touch on breasts"

// handsPlan is noraPlan with a touch of her breasts.
func handsPlan(nora int64) consent.Plan {
	p := noraPlan(nora, false)
	p.Performers[0].Contact = append(p.Performers[0].Contact, "hands: breasts")
	return p
}

func (l *ledger) putBoundaries(who string, performerID int64, b map[string]any) {
	l.t.Helper()
	l.json(call{method: "PUT", path: fmt.Sprintf("/api/v1/performers/%d/boundaries", performerID), cred: l.as(who), body: jsonBody(b)}, http.StatusOK, nil)
}

// boundariesBlocker is the readiness blocker of the boundaries gate, if any.
func boundariesBlocker(r readinessOut) (consent.Blocker, bool) {
	for _, b := range r.Blockers {
		if b.Gate == consent.GateBoundaries {
			return b, true
		}
	}
	return consent.Blocker{}, false
}

// namesAnArea reports a body area named in s, "" when none.
func namesAnArea(s string) string {
	s = strings.ToLower(s)
	for _, a := range consent.BodyAreas() {
		if strings.Contains(s, strings.ReplaceAll(a, "_", " ")) || strings.Contains(s, a) {
			return a
		}
	}
	return ""
}

// TestPlanBeyondBoundariesBlocksReadiness: a plan that goes beyond what a
// performer recorded is saved, the IC reads the conflict at the plan, the
// scene is not ready on the boundaries gate whose detail names no area
// for anyone, the performer reads the line plainly on the rider they sign
// and the producer does not; changing the boundaries, or the plan, lets
// the gate pass.
func TestPlanBeyondBoundariesBlocksReadiness(t *testing.T) {
	l := newLedger(t, "Europe/London")
	nora := l.castNora(false)
	l.sign("nora", l.issue(nora), "Nora Vance")
	if r := l.readiness("5", "ad"); !r.Ready {
		t.Fatalf("before any conflict: %+v", r)
	}
	l.putBoundaries("nora", nora, map[string]any{"no_touch": []string{"face", "breasts"}, "notes": "only with the IC"})
	if r := l.readiness("5", "ad"); !r.Ready {
		t.Fatalf("boundaries the plan keeps within: %+v", r)
	}

	// The plan is saved all the same, and the IC who saved it reads why.
	saved := l.plan("5", handsPlan(nora))
	if saved.Version != 2 || len(saved.Conflicts) != 1 || saved.Conflicts[0].Boundary != beyondNora ||
		saved.Conflicts[0].Line != "contact: hands: breasts" || saved.Conflicts[0].PerformerID != nora {
		t.Fatalf("the saved plan answers %+v", saved)
	}
	var got planOut
	l.json(call{method: "GET", path: l.scenePath("5", "/plan"), cred: l.as("ic")}, http.StatusOK, &got)
	if len(got.Conflicts) != 1 || got.Conflicts[0].Boundary != beyondNora {
		t.Fatalf("the IC reads the plan's conflicts %+v", got.Conflicts)
	}
	for _, who := range []string{"producer", "nora"} {
		w := l.do(call{method: "GET", path: l.scenePath("5", "/plan"), cred: l.as(who)})
		if w.Code != http.StatusOK || strings.Contains(w.Body.String(), beyondNora) || strings.Contains(w.Body.String(), `"conflicts"`) {
			t.Errorf("%s reads the plan's conflicts: %d %s", who, w.Code, w.Body)
		}
	}
	page := fmt.Sprintf("/scenes/%d", l.scenes["5"].ID)
	if w := l.do(call{method: "GET", path: page, cred: l.as("ic")}); !strings.Contains(w.Body.String(), "Beyond recorded boundaries") ||
		!strings.Contains(w.Body.String(), beyondNora) {
		t.Errorf("the IC's scene page does not show the conflict: %d", w.Code)
	}
	for _, who := range []string{"producer", "ad"} {
		if w := l.do(call{method: "GET", path: page, cred: l.as(who)}); w.Code != http.StatusOK || strings.Contains(w.Body.String(), beyondNora) ||
			strings.Contains(w.Body.String(), "Beyond recorded boundaries") {
			t.Errorf("the %s's scene page shows the conflict: %d", who, w.Code)
		}
	}

	// Readiness: the boundaries gate names Nora and no area, for everyone.
	for _, who := range []string{"ad", "producer", "ic"} {
		r := l.readiness("5", who)
		b, ok := boundariesBlocker(r)
		if r.Ready || !ok || b.Detail != "Nora Vance: IC review pending" || b.PerformerID != nora {
			t.Fatalf("%s reads readiness %+v", who, r)
		}
		for _, b := range r.Blockers {
			if a := namesAnArea(b.Detail); a != "" {
				t.Errorf("%s reads a blocker naming %s: %q", who, a, b.Detail)
			}
		}
	}
	if w := l.do(call{method: "GET", path: l.prodPath("/consents"), cred: l.as("ad")}); w.Code != http.StatusOK ||
		!strings.Contains(w.Body.String(), "IC review pending") || strings.Contains(w.Body.String(), "breasts") {
		t.Errorf("the AD's consent board: %d %s", w.Code, w.Body)
	}

	// The rider Nora signs says it plainly; the producer's copy does not.
	rider := l.issue(nora)
	var mine riderOut
	l.json(call{method: "GET", path: fmt.Sprintf("/api/v1/riders/%d", rider.ID), cred: l.as("nora")}, http.StatusOK, &mine)
	if beyond := riderBeyond(mine); !strings.Contains(beyond, beyondNora) || !strings.Contains(beyond, "hands: breasts") {
		t.Fatalf("Nora's rider says beyond her boundaries: %q", beyond)
	}
	if w := l.do(call{method: "GET", path: fmt.Sprintf("/riders/%d", rider.ID), cred: l.as("nora")}); !strings.Contains(w.Body.String(), "Beyond the boundaries you recorded") ||
		!strings.Contains(w.Body.String(), beyondNora) {
		t.Errorf("Nora's rider page does not show the lines beyond her boundaries: %d", w.Code)
	}
	l.sign("nora", rider, "Nora Vance")
	var theirs riderOut
	l.json(call{method: "GET", path: fmt.Sprintf("/api/v1/riders/%d", rider.ID), cred: l.as("producer")}, http.StatusOK, &theirs)
	if theirs.Digest != mine.Digest || riderBeyond(theirs) != "" || !theirs.Document.Scenes[sceneIndex(theirs, "5")].BeyondWithheld {
		t.Errorf("the producer's rider: digest %s (Nora's %s), beyond %q", theirs.Digest, mine.Digest, riderBeyond(theirs))
	}
	for _, path := range []string{"/riders/%d", "/api/v1/riders/%d.html", "/api/v1/riders/%d.pdf"} {
		for who, shown := range map[string]bool{"nora": true, "producer": false} {
			w := l.do(call{method: "GET", path: fmt.Sprintf(path, rider.ID), cred: l.as(who)})
			text := w.Body.String()
			if strings.HasSuffix(path, ".pdf") && w.Code == http.StatusOK {
				text = pdfText(t, w.Body.Bytes())
			}
			if w.Code != http.StatusOK || strings.Contains(text, beyondNora) != shown {
				t.Errorf("%s's %s: %d; shows the lines beyond the boundaries: %v, want %v", who, path, w.Code, !shown, shown)
			}
		}
	}

	// Signing does not resolve it: the IC reviews, and the plan or the
	// boundaries change.
	if _, ok := boundariesBlocker(l.readiness("5", "ad")); !ok {
		t.Fatal("signed, the conflict no longer blocks")
	}
	l.putBoundaries("ic", nora, map[string]any{"no_touch": []string{"face"},
		"touch": []any{map[string]any{"area": "breasts", "by": "scene partner", "allowed": true}}, "notes": "only with the IC"})
	if r := l.readiness("5", "ad"); !r.Ready {
		t.Fatalf("the boundaries changed to allow it: %+v", r)
	}
	l.putBoundaries("nora", nora, map[string]any{"no_touch": []string{"face", "breasts"}})
	if _, ok := boundariesBlocker(l.readiness("5", "ad")); !ok {
		t.Fatal("the boundaries changed back: the gate passes")
	}
	if again := l.plan("5", noraPlan(nora, false)); len(again.Conflicts) != 0 {
		t.Fatalf("a plan within the boundaries answers conflicts %+v", again.Conflicts)
	}
	if r := l.readiness("5", "ad"); blocks(r, consent.GateBoundaries, "") {
		t.Fatalf("the plan changed to keep within: %+v", r)
	}
}

// riderBeyond is every line beyond the boundaries of a rider's document.
func riderBeyond(r riderOut) string {
	if r.Document == nil {
		return ""
	}
	var out []string
	for _, s := range r.Document.Scenes {
		out = append(out, s.Beyond...)
	}
	return strings.Join(out, "\n")
}

func sceneIndex(r riderOut, number string) int {
	for i, s := range r.Document.Scenes {
		if s.Number == number {
			return i
		}
	}
	return 0
}
