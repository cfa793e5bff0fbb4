package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"closedset/consent"
)

// TestBoundariesPageIsOnlyForICsAndThePerformer: the agreement of touch
// is shown to the production's ICs and the performer, and to nobody else:
// not the producer, director, AD or costume, not another performer, not a
// stranger (who learns nothing of the production).
func TestBoundariesPageIsOnlyForICsAndThePerformer(t *testing.T) {
	w := newWorld(t)
	other := w.user("other-performer@example.org", "Other Performer", false)
	if _, err := w.srv.createPerformer(context.Background(), w.asIC(), performerIn{Name: "Other Performer", Email: other.Email,
		DateOfBirth: "1991-02-03", Characters: []string{"SOMEONE ELSE"}}); err != nil {
		t.Fatal(err)
	}
	otherToken := w.token(other)
	path := "/performers/" + itoa(w.performer.ID) + "/boundaries"
	for _, tc := range []struct {
		who   string
		token string
		want  int
	}{
		{"ic", w.tokens["ic"], http.StatusOK},
		{"the performer", w.tokens["performer"], http.StatusOK},
		{"producer", w.tokens["producer"], http.StatusForbidden},
		{"director", w.tokens["director"], http.StatusForbidden},
		{"ad", w.tokens["ad"], http.StatusForbidden},
		{"costume", w.tokens["costume"], http.StatusForbidden},
		{"another performer", otherToken, http.StatusForbidden},
		{"stranger", w.tokens["stranger"], http.StatusNotFound},
	} {
		t.Run(tc.who, func(t *testing.T) {
			for _, method := range []string{"GET", "POST"} {
				c := call{method: method, path: path, cred: cred{token: tc.token}}
				if method == "POST" {
					c.body, c.contentType = strings.NewReader(url.Values{"notes": {"changed by " + tc.who}}.Encode()), "application/x-www-form-urlencoded"
				}
				got := w.do(c)
				want := tc.want
				if method == "POST" && want == http.StatusOK {
					want = http.StatusSeeOther
				}
				if got.Code != want {
					t.Fatalf("%s %s as %s: %d, want %d", method, path, tc.who, got.Code, want)
				}
				if got.Code >= 400 && strings.Contains(got.Body.String(), "world notes") {
					t.Errorf("%s %s as %s: a refusal shows the notes", method, path, tc.who)
				}
			}
		})
	}
}

// TestConsentGridShowsStatusNeverReasonsOrBoundaries: with a boundary
// note and a withdrawal reason on record, the grid and the scene page show
// every reader the withdrawn state, and neither text; only the IC's scene
// page carries the reason, which the performer gave for the IC.
func TestConsentGridShowsStatusNeverReasonsOrBoundaries(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	const noteCanary, reasonCanary = "CANARY-BOUNDARY-5e1d", "CANARY-REASON-8a2c"
	if _, err := w.srv.ops.PutBoundaries(ctx, w.asIC().caller(), w.performer.ID, consent.Boundaries{NoTouch: []string{"face"}, Notes: noteCanary}); err != nil {
		t.Fatal(err)
	}
	if err := w.srv.ops.Withdraw(ctx, w.asPerformer().caller(), w.scene.ID, w.performer.ID, reasonCanary); err != nil {
		t.Fatal(err)
	}
	for _, who := range []string{"ic", "producer", "director", "ad", "legal"} {
		for _, path := range []string{"/productions/" + itoa(w.prod.ID) + "/consents", "/scenes/" + itoa(w.scene.ID)} {
			got := w.do(call{method: "GET", path: path, cred: cred{token: w.tokens[who]}})
			body := got.Body.String()
			if got.Code != http.StatusOK {
				t.Fatalf("GET %s as %s: %d", path, who, got.Code)
			}
			icScene := who == "ic" && strings.HasPrefix(path, "/scenes/")
			if strings.Contains(body, noteCanary) || strings.Contains(body, reasonCanary) != icScene {
				t.Errorf("GET %s as %s: boundary note shown %v, reason shown %v (want the reason only on the IC's scene page)",
					path, who, strings.Contains(body, noteCanary), strings.Contains(body, reasonCanary))
			}
			if !strings.Contains(body, `class="state state-withdrawn">withdrawn<`) {
				t.Errorf("GET %s as %s does not show the withdrawn state", path, who)
			}
		}
	}
	// The grid is readiness.read's; a department sees none of it.
	if got := w.do(call{method: "GET", path: "/productions/" + itoa(w.prod.ID) + "/consents", cred: cred{token: w.tokens["costume"]}}); got.Code != http.StatusForbidden {
		t.Errorf("the grid as costume: %d, want 403", got.Code)
	}
}

// TestPlanFormRefusesNudityForAMinor: the plan editor shows the rule a
// refused plan breaks, keeps what the IC typed, and stores nothing.
func TestPlanFormRefusesNudityForAMinor(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	minor, err := w.srv.createPerformer(ctx, w.asIC(), performerIn{Name: "Young Player", DateOfBirth: "2015-06-01", Characters: []string{w.scene.Characters[0]}})
	if err != nil {
		t.Fatal(err)
	}
	_, before, _, err := w.srv.ops.CurrentPlan(ctx, w.scene.ID)
	if err != nil {
		t.Fatal(err)
	}
	k := "p" + itoa(minor.ID) + "-"
	form := url.Values{"description": {"Typed by the IC"}, k + "in": {"on"}, k + "level": {"partial"}, k + "areas": {"back"}}
	got := w.do(call{method: "POST", path: "/scenes/" + itoa(w.scene.ID) + "/plan", cred: cred{token: w.tokens["ic"]},
		body: strings.NewReader(form.Encode()), contentType: "application/x-www-form-urlencoded"})
	if got.Code != http.StatusUnprocessableEntity {
		t.Fatalf("a minor's nudity: %d, want 422; body %.300s", got.Code, got.Body)
	}
	body := got.Body.String()
	for _, want := range []string{consent.RuleMinorNoNudity, "Typed by the IC", `role="alert"`} {
		if !strings.Contains(body, want) {
			t.Errorf("the refused plan form lacks %q", want)
		}
	}
	_, after, _, err := w.srv.ops.CurrentPlan(ctx, w.scene.ID)
	if err != nil {
		t.Fatal(err)
	}
	if after.Version != before.Version || after.Hash != before.Hash {
		t.Errorf("a refused plan was stored: version %d -> %d", before.Version, after.Version)
	}
}

// TestPlanFormSavedUnchangedKeepsTheVersion: the editor shows the stored
// plan so that saving it untouched is the same plan (same hash): no new
// version, and no consent goes stale for nothing.
func TestPlanFormSavedUnchangedKeepsTheVersion(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	p := consent.Plan{
		Description:  "She kisses him.\n\nThey lie down.",
		FinalPicture: "Wide, then close on hands.",
		Performers: []consent.PerformerPlan{{PerformerID: w.performer.ID,
			Nudity: consent.Nudity{Level: "partial", Areas: []string{"back", "buttocks"}, Angles: []string{"rear"}},
			Acts:   []string{"simulated intercourse"}, Content: []string{"kissing", "simulated_sex"},
			Contact: []string{"kissing: lips, neck"}, Garments: []string{"strapless thong"}, Barriers: []string{"modesty pouch"}}},
		Barriers: []string{"barrier cushion"},
		Beats: []consent.Beat{{Order: 1, Performers: []int64{w.performer.ID}, Action: "lies back", ContactAreas: []string{"neck"}, Count: "8"},
			{Order: 2, Performers: []int64{w.performer.ID}, Action: "turns", Count: "4", Breath: "slow"}},
		Camera: "Two cameras.", FootageLimits: "Not in trailers.", Intent: "Tender.",
	}
	saved, err := w.srv.ops.PutPlan(ctx, w.asIC().caller(), w.scene.ID, p)
	if err != nil {
		t.Fatal(err)
	}
	cast, err := w.srv.scenePlanCast(ctx, w.scene)
	if err != nil {
		t.Fatal(err)
	}
	stored, _, _, err := w.srv.ops.CurrentPlan(ctx, w.scene.ID)
	if err != nil {
		t.Fatal(err)
	}
	f := newPlanForm(stored, cast)
	back, err := parsePlanForm(formValues(f), cast)
	if err != nil {
		t.Fatal(err)
	}
	if back.Plan.Hash() != saved.Hash {
		t.Errorf("the form read back is another plan:\nstored %s\nback   %s", stored.Canonical(), back.Plan.Canonical())
	}
}

// formValues is what a browser sends for the plan editor as shown: the
// fields the scene template writes, by the same names.
func formValues(f planForm) url.Values {
	v := url.Values{
		"description": {f.Plan.Description}, "final_picture": {f.Plan.FinalPicture},
		"barriers": {strings.Join(f.Plan.Barriers, "\n")}, "beats": {f.Beats},
		"camera": {f.Plan.Camera}, "coverage": {f.Plan.Coverage}, "footage_limits": {f.Plan.FootageLimits},
		"stills_limits": {f.Plan.StillsLimits}, "double": {f.Plan.Double}, "intent": {f.Plan.Intent},
		"director_intent": {f.Plan.DirectorIntent}, "producer_intent": {f.Plan.ProducerIntent}, "conditions": {f.Plan.Conditions},
	}
	for _, p := range f.Performers {
		k := "p" + itoa(p.ID) + "-"
		if p.In {
			v.Set(k+"in", "on")
		}
		v.Set(k+"level", p.Plan.Nudity.Level)
		v[k+"areas"] = p.Plan.Nudity.Areas
		v[k+"angles"] = p.Plan.Nudity.Angles
		v[k+"content"] = p.Plan.Content
		v.Set(k+"acts", strings.Join(p.Plan.Acts, "\n"))
		v.Set(k+"contact", strings.Join(p.Plan.Contact, "\n"))
		v.Set(k+"garments", strings.Join(p.Plan.Garments, "\n"))
		v.Set(k+"barriers", strings.Join(p.Plan.Barriers, "\n"))
		v.Set(k+"double", p.Plan.Double)
	}
	return v
}

// TestPerformerSeesWhoCanReadTheirBoundaries: the boundaries page and the
// API name the production's ICs with the date each got access, and an IC
// who joins later shows at once, with their own date (issue 12).
func TestPerformerSeesWhoCanReadTheirBoundaries(t *testing.T) {
	w := newWorld(t)
	page := "/performers/" + itoa(w.performer.ID) + "/boundaries"
	body := w.do(call{method: "GET", path: page, cred: cred{token: w.tokens["performer"]}}).Body.String()
	if !strings.Contains(body, "Who can read this now") || !strings.Contains(body, "The ic") {
		t.Fatalf("the performer's boundaries page does not name the IC:\n%.2000s", body)
	}
	w.clock.Advance(48 * time.Hour)
	second := w.user("second-ic@example.org", "Second Coordinator", false)
	w.addMember(w.prod.ID, cred{token: w.tokens["producer"]}, second.Email, "ic", cred{token: w.token(second)})
	var got struct {
		Readers []struct {
			Name, Email, Role string
			Since             time.Time
		}
	}
	w.json(call{method: "GET", path: "/api/v1/performers/" + itoa(w.performer.ID) + "/boundaries/readers", cred: cred{token: w.tokens["performer"]}}, http.StatusOK, &got)
	if len(got.Readers) != 2 || got.Readers[1].Name != "Second Coordinator" || got.Readers[1].Role != "ic" ||
		!got.Readers[1].Since.Equal(w.clock.Now()) || !got.Readers[0].Since.Before(got.Readers[1].Since) {
		t.Fatalf("readers = %+v; want the first IC, then the second since now", got.Readers)
	}
	if r := w.do(call{method: "GET", path: "/api/v1/performers/" + itoa(w.performer.ID) + "/boundaries/readers", cred: cred{token: w.tokens["producer"]}}); r.Code != http.StatusForbidden {
		t.Errorf("a producer reading the readers: %d, want 403", r.Code)
	}
}
