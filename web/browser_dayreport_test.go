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

// TestBrowserShootDayToReportOnAPhone walks a shoot day to its report in
// two Chromiums held at 390 px, the crew's phone and the performer's:
// the AD opens the day board, the scene ready, and goes to its takes;
// the IC logs a take, the performer checks in yes on her own phone and
// it rolls; she pauses the next one and the IC resumes the scene; at
// wrap the IC records her step-out, opens the end-of-day report from the
// board (the takes and the pause are in it, her boundaries are not) and
// signs it off. No page scrolls sideways.
func TestBrowserShootDayToReportOnAPhone(t *testing.T) {
	crew, noraTab := startBrowser(t), startBrowser(t)
	st := browserStore(t)
	seed := context.Background()
	users := map[string]auth.User{}
	for _, u := range []struct{ key, email, name string }{
		{"ic", "ida@example.com", "Ida Okafor"}, {"ad", "al@example.com", "Al Adams"}, {"nora", "nora@example.com", "Nora Lind"},
	} {
		nu, err := st.CreateUser(seed, audit.Actor{Name: "test"}, auth.NewUser{Email: u.email, Name: u.name, PasswordHash: browserHash})
		if err != nil {
			t.Fatal(err)
		}
		users[u.key] = nu
	}
	srv, err := New(Config{Ops: testOps(t, st), CSRFKey: []byte(strings.Repeat("k", 32)), LiveInterval: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	t.Cleanup(srv.Close)

	// Ida is the IC, Al the AD; Nora plays NORA, her bedroom scene is
	// planned with simulated sex, her rider signed, its closed-set list
	// approved by both; the day is today, in London.
	ida := users["ic"]
	prod, err := st.CreateProduction(seed, ida.Actor(), production.NewProduction{Title: "Harbor Lights", Policy: "sag_aftra", TimeZone: "Europe/London", Role: auth.IC})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.AddMember(seed, ida.Actor(), prod.ID, users["ad"].ID, auth.AD); err != nil {
		t.Fatal(err)
	}
	ic := &request{User: ida, ProductionID: prod.ID, Roles: auth.RolesOf(auth.IC)}
	certifyLead(t, srv, prod.ID, ida)
	ad := &request{User: users["ad"], ProductionID: prod.ID, Roles: auth.RolesOf(auth.AD)}
	perf, err := srv.createPerformer(seed, ic, performerIn{Name: "Nora Lind", Email: "nora@example.com", DateOfBirth: "1992-04-11", Characters: []string{"NORA"}})
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
	const secret = "private boundary 3e9d"
	if _, err := srv.ops.PutBoundaries(seed, ic.caller(), perf.ID, consent.Boundaries{Notes: secret}); err != nil {
		t.Fatal(err)
	}
	var bedroom production.Scene
	for _, sc := range scenes {
		if !ops.Plays(perf, sc) || len(sc.Flagged()) == 0 {
			continue
		}
		plan := consent.Plan{Description: "Nora and Theo kiss on the bed.", Barriers: []string{"barrier cushion"},
			Performers: []consent.PerformerPlan{{PerformerID: perf.ID, Nudity: consent.Nudity{Level: "none"}, Content: []string{"kissing"}, Contact: []string{"kissing: lips"}}}}
		if strings.Contains(sc.Heading, "BEDROOM") {
			bedroom = sc
			plan.Description = "Nora and Theo in bed; simulated intercourse under a sheet."
			plan.Performers[0].Acts, plan.Performers[0].Content = []string{"simulated intercourse"}, []string{"kissing", "simulated_sex"}
			plan.Performers[0].Garments = []string{"strapless thong"}
		}
		if _, err := srv.ops.PutPlan(seed, ic.caller(), sc.ID, plan); err != nil {
			t.Fatal(err)
		}
	}
	if bedroom.ID == 0 {
		t.Fatal("no flagged bedroom scene with NORA in harbor.fountain")
	}
	if err := srv.ops.SetCallTime(seed, ad.caller(), bedroom.ID, time.Now().Add(72*time.Hour)); err != nil {
		t.Fatal(err)
	}
	rider, _, err := srv.ops.IssueRider(seed, ic.caller(), perf.ID)
	if err != nil {
		t.Fatal(err)
	}
	me := &request{User: users["nora"], ProductionID: prod.ID, Roles: auth.RolesOf(auth.Performer)}
	if _, err := srv.ops.SignRider(seed, me.caller(), rider.ID, "Nora Lind", true, "192.0.2.1", "test"); err != nil {
		t.Fatal(err)
	}
	closeTheSet(t, srv.ops, prod.ID, bedroom.ID, ida, users["ad"])
	day, err := srv.ops.CreateShootDay(seed, ad.caller(), production.ShootDay(time.Now(), loadZone("Europe/London")), []int64{bedroom.ID})
	if err != nil {
		t.Fatal(err)
	}
	board := ts.URL + "/shoot-days/" + itoa(day.ID)
	takes := ts.URL + "/scenes/" + itoa(bedroom.ID) + "/takes"
	row := "#scene-" + itoa(bedroom.ID)

	for _, tab := range []context.Context{crew, noraTab} {
		step(t, tab, "a phone", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
	}
	noSideways := func(t *testing.T, tab context.Context, what string) {
		t.Helper()
		widths := value(t, tab, "widths", chromedp.Evaluate[[]int](`[document.documentElement.scrollWidth, window.innerWidth]`))
		if widths[0] > widths[1] {
			t.Errorf("at 390 px %s is %d px wide: it scrolls sideways", what, widths[0])
		}
	}
	state := func(tab context.Context) string {
		t.Helper()
		return value(t, tab, "take state", chromedp.Text(chromedp.ID("take-state")))
	}
	done := ""

	t.Run("the AD opens the day board", func(t *testing.T) {
		signIn(t, crew, ts.URL, "al@example.com")
		step(t, crew, "open the board", chromedp.Navigate(board), chromedp.WaitVisible(chromedp.CSS(row)))
		if got := value(t, crew, "readiness", chromedp.Text(chromedp.CSS(row+" .readiness"))); !strings.Contains(got, "Ready") {
			t.Fatalf("the board says the scene is %q", got)
		}
		noSideways(t, crew, "the day board")
		shot(t, crew, "ad-board-phone")
		submit(t, crew, "open the scene's takes", chromedp.CSS("#takes-"+itoa(bedroom.ID)))
		if got := value(t, crew, "readiness", chromedp.Text(chromedp.ID("readiness"))); got != "Ready" {
			t.Errorf("the AD's take page says %q", got)
		}
		noSideways(t, crew, "the AD's take page")
		done = "yes"
	})

	t.Run("the performer checks in and pauses; the IC resumes", func(t *testing.T) {
		needPrevious(t, done)
		done = ""
		switchUser(t, crew, ts.URL, "ida@example.com")
		signIn(t, noraTab, ts.URL, "nora@example.com")
		step(t, crew, "the takes", chromedp.Navigate(takes), chromedp.WaitVisible(chromedp.ID("readiness")))
		submit(t, crew, "log take 1", chromedp.CSS("#log-take"))
		step(t, noraTab, "open take 1", chromedp.Navigate(takes), chromedp.WaitVisible(chromedp.ID("answer-yes")))
		noSideways(t, noraTab, "the performer's check-in")
		shot(t, noraTab, "performer-check-in-phone")
		submit(t, noraTab, "say yes", chromedp.CSS("#answer-yes"))
		if got := state(noraTab); got != "rolled" {
			t.Fatalf("after her yes take 1 is %q, want rolled", got)
		}
		submit(t, crew, "log take 2", chromedp.CSS("#log-take"))
		step(t, noraTab, "open take 2", chromedp.Navigate(takes), chromedp.WaitVisible(chromedp.ID("answer-pause")))
		submit(t, noraTab, "pause", chromedp.CSS("#answer-pause"))
		wctx, cancel := context.WithTimeout(crew, 15*time.Second)
		defer cancel()
		if _, err := chromedp.Run(wctx, chromedp.WaitVisible(chromedp.ID("resume"))); err != nil {
			shot(t, crew, "failed-pause-not-shown")
			t.Fatalf("the pause did not reach the IC's open page: %v", err)
		}
		noSideways(t, crew, "the IC's paused page")
		shot(t, crew, "ic-paused-phone")
		submit(t, crew, "resume", chromedp.CSS("#resume"))
		if got := value(t, crew, "readiness", chromedp.Text(chromedp.ID("readiness"))); got != "Ready" {
			t.Errorf("after the resume the scene is %q, want Ready", got)
		}
		// At wrap: her step-out, then the crew's debrief (the scene has
		// simulated sex).
		submit(t, crew, "her step-out", chromedp.CSS("#step-out-"+itoa(perf.ID)))
		if got := value(t, crew, "step-outs", chromedp.Text(chromedp.CSS("#closure .step-outs"))); !strings.Contains(got, "stepped out") || strings.Contains(got, "not yet") {
			t.Errorf("after her step-out the page says %q", got)
		}
		submit(t, crew, "the crew debrief", chromedp.CSS("#crew-record"))
		noSideways(t, crew, "the IC's take page at wrap")
		shot(t, crew, "ic-wrap-phone")
		done = "yes"
	})

	t.Run("the IC opens the report and signs it off", func(t *testing.T) {
		needPrevious(t, done)
		step(t, crew, "open the board", chromedp.Navigate(board), chromedp.WaitVisible(chromedp.ID("report")))
		if got := value(t, crew, "signed", chromedp.Text(chromedp.ID("report-signed"))); got != "Not signed off yet." {
			t.Errorf("before the sign-off the board says %q", got)
		}
		noSideways(t, crew, "the IC's board")
		shot(t, crew, "ic-board-report-phone")
		submit(t, crew, "open the report", chromedp.CSS("#report-html"))
		text := value(t, crew, "report", chromedp.Text(chromedp.CSS("body")))
		for _, want := range []string{"End-of-day report", "Take 1: rolled", "Take 2: paused", "resumed", "before every take", "held by Ida Okafor"} {
			if !strings.Contains(text, want) {
				t.Errorf("the report lacks %q:\n%s", want, text)
			}
		}
		for _, gone := range []string{secret, "Nora Lind"} {
			if strings.Contains(text, gone) {
				t.Errorf("the report carries %q", gone)
			}
		}
		noSideways(t, crew, "the report")
		shot(t, crew, "ic-report-phone")
		step(t, crew, "back to the board", chromedp.Navigate(board), chromedp.WaitVisible(chromedp.ID("report-sign")))
		submit(t, crew, "sign off", chromedp.CSS("#report-sign"))
		if got := value(t, crew, "signed", chromedp.Text(chromedp.ID("report-signed"))); !strings.Contains(got, "Signed off") || !strings.Contains(got, "version 1 by Ida Okafor") {
			t.Errorf("after the sign-off the board says %q", got)
		}
		shot(t, crew, "ic-report-signed-phone")
	})
}
