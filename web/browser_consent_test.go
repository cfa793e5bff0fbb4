package web

import (
	"context"
	"crypto/rand"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"closedset/audit"
	"closedset/auth"
	"closedset/consent"
	"closedset/ops"
	"closedset/production"

	"github.com/chromedp/chromedp"
)

// TestBrowserPerformerSignsAndWithdraws walks consent in a real headless
// Chromium: a performer signs her rider, the IC's consent grid shows her
// consent and the scene ready; she withdraws with one button, and the
// grid shows it withdrawn and the scene not ready, on a phone too. The
// production is set up through the operations the API uses; the steps
// build on each other, in one browser.
func TestBrowserPerformerSignsAndWithdraws(t *testing.T) {
	ctx := startBrowser(t)
	st := browserStore(t)
	seed := context.Background()
	var ida, nora, al auth.User
	for _, u := range []struct {
		to *auth.User
		nu auth.NewUser
	}{
		{&ida, auth.NewUser{Email: "ida@example.com", Name: "Ida Okafor", PasswordHash: browserHash}},
		{&nora, auth.NewUser{Email: "nora@example.com", Name: "Nora Lind", PasswordHash: browserHash}},
		{&al, auth.NewUser{Email: "al@example.com", Name: "Al Adams", PasswordHash: browserHash}},
	} {
		var err error
		if *u.to, err = st.CreateUser(seed, audit.Actor{Name: "test"}, u.nu); err != nil {
			t.Fatalf("seed %s: %v", u.nu.Email, err)
		}
	}
	srv, err := New(Config{Ops: testOps(t, st), CSRFKey: []byte(strings.Repeat("k", 32))})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	t.Cleanup(srv.Close) // first: ts.Close waits for the open live streams

	// The production: Ida is its IC, Nora plays NORA, the harbor script
	// is uploaded, the bedroom scene has a plan and a call time three days
	// ahead (beyond the 48-hour notice), and Nora's rider is issued.
	prod, err := st.CreateProduction(seed, ida.Actor(), production.NewProduction{Title: "Harbor Lights", Policy: "sag_aftra", TimeZone: "Europe/London", Role: auth.IC})
	if err != nil {
		t.Fatal(err)
	}
	ic := &request{User: ida, ProductionID: prod.ID, Roles: auth.RolesOf(auth.IC, auth.Producer)}
	certifyLead(t, srv, prod.ID, ida)
	perf, err := srv.createPerformer(seed, ic, performerIn{Name: "Nora Lind", Email: nora.Email, DateOfBirth: "1992-04-11", Characters: []string{"NORA"}})
	if err != nil {
		t.Fatal(err)
	}
	script, err := os.Open(filepath.Join("..", "screenplay", "testdata", "twins", "harbor.fountain"))
	if err != nil {
		t.Fatal(err)
	}
	defer script.Close()
	if _, err := srv.ops.UploadScript(seed, ic.caller(), 0, "harbor.fountain", mustRead(t, script)); err != nil {
		t.Fatal(err)
	}
	scenes, err := st.CurrentScenes(seed, prod.ID)
	if err != nil {
		t.Fatal(err)
	}
	var bedroom production.Scene
	for _, sc := range scenes {
		if strings.Contains(sc.Heading, "BEDROOM") && ops.Plays(perf, sc) && len(sc.Flagged()) > 0 {
			bedroom = sc
		}
	}
	if bedroom.ID == 0 {
		t.Fatal("no flagged bedroom scene with NORA in harbor.fountain")
	}
	plan := consent.Plan{
		Description: "Nora and Theo kiss on the bed; the scene cuts away.",
		Performers: []consent.PerformerPlan{{PerformerID: perf.ID, Nudity: consent.Nudity{Level: "none"},
			Content: []string{"kissing"}, Contact: []string{"kissing: lips, neck"}, Garments: []string{"slip"}}},
		Barriers: []string{"barrier cushion"},
		Beats:    []consent.Beat{{Order: 1, Performers: []int64{perf.ID}, Action: "lies back", ContactAreas: []string{"neck"}, Count: "8"}},
	}
	// A rider covers every flagged scene she is in: each gets a plan.
	for _, sc := range scenes {
		if ops.Plays(perf, sc) && len(sc.Flagged()) > 0 {
			if _, err := srv.ops.PutPlan(seed, ic.caller(), sc.ID, plan); err != nil {
				t.Fatalf("plan of scene %s: %v", sc.Number, err)
			}
		}
	}
	if err := srv.ops.SetCallTime(seed, ic.caller(), bedroom.ID, time.Now().Add(72*time.Hour)); err != nil {
		t.Fatal(err)
	}
	// The closed set approved by the IC and the AD: only the consent
	// gates are left to pass.
	if _, err := st.AddMember(seed, ida.Actor(), prod.ID, al.ID, auth.AD); err != nil {
		t.Fatal(err)
	}
	closeTheSet(t, srv.ops, prod.ID, bedroom.ID, ida, al)
	rider, _, err := srv.ops.IssueRider(seed, ic.caller(), perf.ID)
	if err != nil {
		t.Fatal(err)
	}
	me := ts.URL + "/productions/" + itoa(prod.ID) + "/me"
	grid := ts.URL + "/productions/" + itoa(prod.ID) + "/consents"
	row := "#scene-" + itoa(bedroom.ID)
	signedIn := ""

	t.Run("the performer signs her rider", func(t *testing.T) {
		signIn(t, ctx, ts.URL, nora.Email)
		step(t, ctx, "open my scenes", chromedp.Navigate(me), chromedp.WaitVisible(chromedp.ID("riders")))
		submit(t, ctx, "open the rider", chromedp.CSS(`a[href="/riders/`+itoa(rider.ID)+`"]`))
		step(t, ctx, "type and tick",
			chromedp.SendKeys(chromedp.ID("typed_name"), "Nora Lind"),
			chromedp.Click(chromedp.ID("agree")))
		shot(t, ctx, "rider")
		submit(t, ctx, "sign", chromedp.CSS(`form[action$="/sign"] button`))
		signed := value(t, ctx, "signed line", chromedp.Text(chromedp.ID("signed")))
		if !strings.Contains(signed, "Signed by Nora Lind") {
			t.Fatalf("after signing the page says %q, want \"Signed by Nora Lind at ...\"", signed)
		}
		shot(t, ctx, "signed")
		signedIn = nora.Email
	})

	t.Run("the IC's grid shows her consent current and the scene ready", func(t *testing.T) {
		needPrevious(t, signedIn)
		switchUser(t, ctx, ts.URL, ida.Email)
		step(t, ctx, "open the grid", chromedp.Navigate(grid), chromedp.WaitVisible(chromedp.CSS(row)))
		cell := value(t, ctx, "Nora's cell", chromedp.Text(chromedp.CSS(row+` td[data-label="Nora Lind"]`)))
		ready := value(t, ctx, "readiness", chromedp.Text(chromedp.CSS(row+" td.readiness")))
		if strings.TrimSpace(cell) != "current" || strings.TrimSpace(ready) != "Ready" {
			t.Errorf("grid row: Nora %q, readiness %q; want current, Ready", cell, ready)
		}
		shot(t, ctx, "grid-ready")
	})

	// Invariant 2: the IC has the grid open; the performer withdraws
	// through the API, elsewhere; the grid shows it without a reload.
	// She then signs a new rider, so the steps below start from a current
	// consent again.
	live := ""
	t.Run("the IC's open grid shows a withdrawal live", func(t *testing.T) {
		needPrevious(t, signedIn)
		// The IC is on the grid (the step above); a marker on the window
		// survives in-page updates but not a reload.
		step(t, ctx, "mark the page", chromedp.Evaluate[chromedp.Void](`window.notReloaded = true`))
		if n := value(t, ctx, "live pages", chromedp.Evaluate[int](`document.querySelectorAll('main[data-live]').length`)); n == 0 {
			t.Fatal("the grid carries no data-live: it would not follow changes")
		}
		plain, hash, err := auth.NewToken(rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := st.CreateToken(seed, nora.Actor(), auth.TokenRecord{UserID: nora.ID, Name: "phone", Hash: hash}); err != nil {
			t.Fatal(err)
		}
		body := `{"performer_id": ` + itoa(perf.ID) + `, "reason": "not today"}`
		req, err := http.NewRequest("POST", ts.URL+"/api/v1/scenes/"+itoa(bedroom.ID)+"/consents/withdraw", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer "+plain)
		req.Header.Set("Content-Type", "application/json")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			t.Fatalf("withdraw through the API: status %d", res.StatusCode)
		}
		wctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		shown := chromedp.Poll[chromedp.Void](`(() => {
			const row = document.querySelector('` + row + `');
			const cell = row && row.querySelector('td[data-label="Nora Lind"]');
			const ready = row && row.querySelector('td.readiness');
			return cell && ready && cell.textContent.trim() === 'withdrawn' && ready.textContent.includes('Not ready');
		})()`)
		if err := chromedp.Do(wctx, shown); err != nil {
			shot(t, ctx, "failed-live")
			t.Fatalf("within 5 s of the withdrawal the open grid does not show it withdrawn and Not ready: %v", err)
		}
		if !value(t, ctx, "no reload", chromedp.Evaluate[bool](`window.notReloaded === true`)) {
			t.Error("the grid was reloaded: the update should come in place")
		}
		shot(t, ctx, "grid-live-withdrawn")

		nr := &request{User: nora, ProductionID: prod.ID, Roles: auth.RolesOf(auth.Performer)}
		again, _, err := srv.ops.IssueRider(seed, ic.caller(), perf.ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := srv.ops.SignRider(seed, nr.caller(), again.ID, nora.Name, true, httptest.NewRequest("POST", "/api/v1/riders/1/sign", nil).RemoteAddr, httptest.NewRequest("POST", "/api/v1/riders/1/sign", nil).UserAgent()); err != nil {
			t.Fatalf("sign a new rider: %v", err)
		}
		live = "yes"
	})

	withdrawn := ""
	t.Run("the performer withdraws with one button", func(t *testing.T) {
		needPrevious(t, live)
		switchUser(t, ctx, ts.URL, nora.Email)
		step(t, ctx, "open my scenes", chromedp.Navigate(me), chromedp.WaitVisible(chromedp.CSS(row)))
		submit(t, ctx, "withdraw", chromedp.CSS(row+` form[action$="/consents/withdraw"] button`))
		state := value(t, ctx, "my state", chromedp.Text(chromedp.CSS(row+" .consent-line .state")))
		if state != "withdrawn" {
			t.Fatalf("after withdrawing, my page says %q, want withdrawn", state)
		}
		if n := value(t, ctx, "withdraw buttons", chromedp.Evaluate[int](`document.querySelectorAll('`+row+` form[action$="/withdraw"]').length`)); n != 0 {
			t.Errorf("after withdrawing, %d withdraw buttons remain on the scene", n)
		}
		shot(t, ctx, "withdrawn")
		withdrawn = "yes"
	})

	t.Run("the grid shows the withdrawal and the consent gate", func(t *testing.T) {
		needPrevious(t, withdrawn)
		switchUser(t, ctx, ts.URL, ida.Email)
		step(t, ctx, "open the grid", chromedp.Navigate(grid), chromedp.WaitVisible(chromedp.CSS(row)))
		cell := value(t, ctx, "Nora's cell", chromedp.Text(chromedp.CSS(row+` td[data-label="Nora Lind"]`)))
		ready := value(t, ctx, "readiness", chromedp.Text(chromedp.CSS(row+" td.readiness")))
		if strings.TrimSpace(cell) != "withdrawn" || !strings.Contains(ready, "Not ready") || !strings.Contains(ready, "consent") {
			t.Errorf("grid row: Nora %q, readiness %q; want withdrawn, Not ready with the consent gate", cell, ready)
		}
		shot(t, ctx, "grid-withdrawn")
	})

	t.Run("the grid fits a phone without scrolling sideways", func(t *testing.T) {
		needPrevious(t, withdrawn)
		step(t, ctx, "open on a phone",
			chromedp.EmulateViewport(375, 812, chromedp.EmulateMobile),
			chromedp.Navigate(grid), chromedp.WaitVisible(chromedp.CSS(row)))
		t.Cleanup(func() { step(t, ctx, "back to a desktop", chromedp.EmulateViewport(1280, 900)) })
		widths := value(t, ctx, "widths", chromedp.Evaluate[[]int](`[document.documentElement.scrollWidth, window.innerWidth]`))
		if widths[0] > widths[1] {
			t.Errorf("at 375 px the grid is %d px wide: it scrolls sideways", widths[0])
		}
		shot(t, ctx, "grid-phone")
	})

	t.Run("the IC saves the plan unchanged and its version stays", func(t *testing.T) {
		needPrevious(t, signedIn)
		step(t, ctx, "open the scene", chromedp.Navigate(ts.URL+"/scenes/"+itoa(bedroom.ID)), chromedp.WaitVisible(chromedp.ID("plan")))
		before := value(t, ctx, "version", chromedp.Text(chromedp.CSS("#plan > p.meta")))
		submit(t, ctx, "save the plan", chromedp.CSS(`form[action$="/plan"] button`))
		after := value(t, ctx, "version", chromedp.Text(chromedp.CSS("#plan > p.meta")))
		if !strings.HasPrefix(before, "Version 1 ") || !strings.HasPrefix(after, "Version 1 ") {
			t.Errorf("plan before saving %q, after %q: want version 1 both times", before, after)
		}
		shot(t, ctx, "scene-plan")
	})

	// Issue 11: the IC follows riders on one page, on a phone: the
	// plan changes, the signed rider is superseded, the IC issues the new
	// one from the board and lands back on it, awaiting Nora's signature.
	t.Run("the IC follows the riders on a phone", func(t *testing.T) {
		needPrevious(t, signedIn)
		pl := simplePlan(perf.ID, "The bedroom, changed on the day")
		if _, err := srv.ops.PutPlan(seed, ic.caller(), bedroom.ID, pl); err != nil {
			t.Fatal(err)
		}
		board := ts.URL + "/productions/" + itoa(prod.ID) + "/riders"
		line := "#performer-" + itoa(perf.ID)
		step(t, ctx, "open the riders on a phone",
			chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile),
			chromedp.Navigate(board), chromedp.WaitVisible(chromedp.CSS(line)))
		t.Cleanup(func() { step(t, ctx, "back to a desktop", chromedp.EmulateViewport(1280, 900)) })
		if got := value(t, ctx, "what awaits", chromedp.Text(chromedp.CSS(line+" .awaiting"))); !strings.Contains(got, "Awaiting the IC: a rider") {
			t.Fatalf("after the plan changed the board says %q, want a new rider awaited", got)
		}
		shot(t, ctx, "riders-phone-awaiting-rider")
		submit(t, ctx, "issue from the board", chromedp.CSS(line+` form[action$="/riders"] button`))
		got := value(t, ctx, "what awaits", chromedp.Text(chromedp.CSS(line+" .awaiting")))
		states := value(t, ctx, "states", chromedp.Evaluate[[]string](`[...document.querySelectorAll("`+line+` td[data-label=State] .state")].map(e => e.textContent)`))
		if !strings.Contains(got, "Awaiting Nora Lind's signature") || len(states) < 2 || states[0] != "delivered" || !slices.Contains(states[1:], "superseded") {
			t.Fatalf("after issuing the board says %q with states %v; want her signature awaited, the new rider delivered, the old superseded", got, states)
		}
		widths := value(t, ctx, "widths", chromedp.Evaluate[[]int](`[document.documentElement.scrollWidth, window.innerWidth]`))
		if widths[0] > widths[1] {
			t.Errorf("at 390 px the riders page is %d px wide: it scrolls sideways", widths[0])
		}
		shot(t, ctx, "riders-phone-issued")
	})
}

// switchUser signs out whoever is signed in and signs in as email.
func switchUser(t *testing.T, ctx context.Context, base, email string) {
	t.Helper()
	step(t, ctx, "go home", chromedp.Navigate(base+"/productions"), chromedp.WaitVisible(chromedp.CSS(`form[action="/signout"] button`)))
	submit(t, ctx, "sign out", chromedp.CSS(`form[action="/signout"] button`))
	signIn(t, ctx, base, email)
}
