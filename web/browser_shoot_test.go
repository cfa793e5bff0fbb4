package web

import (
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"closedset/audit"
	"closedset/auth"
	"closedset/consent"
	"closedset/ops"
	"closedset/production"
)

// TestBrowserTakesOnAPhone walks a take in two real Chromiums held at
// 390 px, the IC's and the performer's: the IC logs a take, the
// performer checks in yes on her own phone and it rolls; on the next
// take she presses pause, and the IC's open page shows the pause without
// a reload; the IC resumes, and the scene is ready again.
func TestBrowserTakesOnAPhone(t *testing.T) {
	icTab, noraTab := startBrowser(t), startBrowser(t)
	st := browserStore(t)
	seed := context.Background()
	var ida, nora auth.User
	for _, u := range []struct {
		to *auth.User
		nu auth.NewUser
	}{
		{&ida, auth.NewUser{Email: "ida@example.com", Name: "Ida Okafor", PasswordHash: browserHash}},
		{&nora, auth.NewUser{Email: "nora@example.com", Name: "Nora Lind", PasswordHash: browserHash}},
	} {
		var err error
		if *u.to, err = st.CreateUser(seed, audit.Actor{Name: "test"}, u.nu); err != nil {
			t.Fatal(err)
		}
	}
	srv, err := New(Config{Ops: testOps(t, st), CSRFKey: []byte(strings.Repeat("k", 32)), LiveInterval: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	t.Cleanup(srv.Close)

	prod, err := st.CreateProduction(seed, ida.Actor(), production.NewProduction{Title: "Harbor Lights", Policy: "sag_aftra", TimeZone: "Europe/London", Role: auth.IC})
	if err != nil {
		t.Fatal(err)
	}
	ic := &request{User: ida, ProductionID: prod.ID, Roles: auth.RolesOf(auth.IC)}
	certifyLead(t, srv, prod.ID, ida)
	perf, err := srv.createPerformer(seed, ic, performerIn{Name: "Nora Lind", Email: nora.Email, DateOfBirth: "1992-04-11", Characters: []string{"NORA"}})
	if err != nil {
		t.Fatal(err)
	}
	script, err := os.ReadFile(filepath.Join("..", "screenplay", "testdata", "twins", "harbor.fountain"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := srv.ops.UploadScript(seed, ic.caller(), 0, "harbor.fountain", script); err != nil {
		t.Fatal(err)
	}
	scenes, err := st.CurrentScenes(seed, prod.ID)
	if err != nil {
		t.Fatal(err)
	}
	var bedroom production.Scene
	plan := consent.Plan{Description: "Nora and Theo kiss on the bed.", Barriers: []string{"barrier cushion"},
		Performers: []consent.PerformerPlan{{PerformerID: perf.ID, Nudity: consent.Nudity{Level: "none"}, Content: []string{"kissing"}, Contact: []string{"kissing: lips"}}}}
	for _, sc := range scenes {
		if ops.Plays(perf, sc) && len(sc.Flagged()) > 0 {
			if _, err := srv.ops.PutPlan(seed, ic.caller(), sc.ID, plan); err != nil {
				t.Fatal(err)
			}
			if strings.Contains(sc.Heading, "BEDROOM") {
				bedroom = sc
			}
		}
	}
	if bedroom.ID == 0 {
		t.Fatal("no flagged bedroom scene with NORA in harbor.fountain")
	}
	ad := &request{User: ida, ProductionID: prod.ID, Roles: auth.RolesOf(auth.AD)}
	if err := srv.ops.SetCallTime(seed, ad.caller(), bedroom.ID, time.Now().Add(72*time.Hour)); err != nil {
		t.Fatal(err)
	}
	rider, _, err := srv.ops.IssueRider(seed, ic.caller(), perf.ID)
	if err != nil {
		t.Fatal(err)
	}
	me := &request{User: nora, ProductionID: prod.ID, Roles: auth.RolesOf(auth.Performer)}
	if _, err := srv.ops.SignRider(seed, me.caller(), rider.ID, "Nora Lind", true, "192.0.2.1", "test"); err != nil {
		t.Fatal(err)
	}
	// The shoot day's gate: the closed-set list, approved by an IC and an AD.
	cs, err := srv.ops.PutClosedSet(seed, ic.caller(), bedroom.ID, worldClosedSet())
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []*request{ic, ad} {
		if _, err := srv.ops.ApproveClosedSet(seed, c.caller(), bedroom.ID, cs.Version); err != nil {
			t.Fatal(err)
		}
	}
	takes := ts.URL + "/scenes/" + itoa(bedroom.ID) + "/takes"
	signIn(t, icTab, ts.URL, ida.Email)
	signIn(t, noraTab, ts.URL, nora.Email)
	for _, tab := range []context.Context{icTab, noraTab} {
		step(t, tab, "hold the phone", chromedp.EmulateViewport(390, 844), chromedp.Navigate(takes), chromedp.WaitVisible(chromedp.ID("readiness")))
		if w := value(t, tab, "page width", chromedp.Evaluate[float64](`document.documentElement.scrollWidth`)); w > 391 {
			t.Errorf("the take page is %.0f px wide at 390 px", w)
		}
	}
	state := func(tab context.Context) string {
		t.Helper()
		return value(t, tab, "take state", chromedp.Text(chromedp.ID("take-state")))
	}

	submit(t, icTab, "log take 1", chromedp.CSS("#log-take"))
	step(t, noraTab, "open take 1", chromedp.Navigate(takes), chromedp.WaitVisible(chromedp.ID("answer-yes")))
	shot(t, noraTab, "check-in")
	submit(t, noraTab, "say yes", chromedp.CSS("#answer-yes"))
	if got := state(noraTab); got != "rolled" {
		t.Fatalf("after her yes take 1 is %q, want rolled", got)
	}

	submit(t, icTab, "log take 2", chromedp.CSS("#log-take"))
	step(t, noraTab, "open take 2", chromedp.Navigate(takes), chromedp.WaitVisible(chromedp.ID("answer-pause")))
	submit(t, noraTab, "pause", chromedp.CSS("#answer-pause"))
	// The IC's page, open all along, shows the pause by itself.
	wctx, cancel := context.WithTimeout(icTab, 15*time.Second)
	defer cancel()
	if _, err := chromedp.Run(wctx, chromedp.WaitVisible(chromedp.ID("resume"))); err != nil {
		shot(t, icTab, "failed-pause-not-shown")
		t.Fatalf("the pause did not reach the IC's open page: %v", err)
	}
	banner := value(t, icTab, "the pause", chromedp.Text(chromedp.ID("paused")))
	if !strings.Contains(banner, "Paused by Nora Lind") {
		t.Errorf("the IC's page says %q", banner)
	}
	shot(t, icTab, "paused")
	submit(t, icTab, "resume", chromedp.CSS("#resume"))
	if got := value(t, icTab, "readiness", chromedp.Text(chromedp.ID("readiness"))); got != "Ready" {
		t.Errorf("after the resume the scene is %q, want Ready", got)
	}
	shot(t, icTab, "resumed")
}
