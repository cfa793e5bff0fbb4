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

// TestBrowserShootDayOnAPhone walks the shoot day's part A in Chromium at
// 390 px wide, the width of a phone on set: the costume head opens their
// requests (only theirs, with the top-line summary, no plan), marks one
// done with a note; the AD opens the day board, reads what blocks the
// scene, approves the closed-set list from the scene's page, and the
// board no longer names the closed set. No page scrolls sideways.
func TestBrowserShootDayOnAPhone(t *testing.T) {
	ctx := startBrowser(t)
	st := browserStore(t)
	seed := context.Background()
	users := map[string]auth.User{}
	for _, u := range []struct{ key, email, name string }{
		{"ic", "ida@example.com", "Ida Okafor"}, {"ad", "al@example.com", "Al Adams"},
		{"costume", "cora@example.com", "Cora Stitch"}, {"props", "pip@example.com", "Pip Props"},
		{"nora", "nora@example.com", "Nora Lind"},
	} {
		nu, err := st.CreateUser(seed, audit.Actor{Name: "test"}, auth.NewUser{Email: u.email, Name: u.name, PasswordHash: browserHash})
		if err != nil {
			t.Fatal(err)
		}
		users[u.key] = nu
	}
	srv, err := New(Config{Ops: testOps(t, st), CSRFKey: []byte(strings.Repeat("k", 32))})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	t.Cleanup(srv.Close)

	// The production: Ida is its IC; Al its AD; Cora runs costume, Pip
	// props. Nora plays NORA; the bedroom scene is planned, called three
	// days ahead, its closed-set list approved by the IC only; costume
	// and props each have a request.
	ida := users["ic"]
	prod, err := st.CreateProduction(seed, ida.Actor(), production.NewProduction{Title: "Harbor Lights", Policy: "sag_aftra", TimeZone: "Europe/London", Role: auth.IC})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range []auth.Role{auth.AD, auth.Costume, auth.Props} {
		if _, err := st.AddMember(seed, ida.Actor(), prod.ID, users[string(r)].ID, r); err != nil {
			t.Fatal(err)
		}
	}
	ic := ops.Caller{User: ida, ProductionID: prod.ID, Roles: auth.RolesOf(auth.IC)}
	ad := ops.Caller{User: users["ad"], ProductionID: prod.ID, Roles: auth.RolesOf(auth.AD)}
	perf, err := srv.ops.CreatePerformer(seed, ic, production.NewPerformer{Name: "Nora Lind", Email: "nora@example.com",
		DateOfBirth: production.Date{Year: 1992, Month: 4, Day: 11}, Characters: []string{"NORA"}})
	if err != nil {
		t.Fatal(err)
	}
	script, err := os.ReadFile(filepath.Join("..", "screenplay", "testdata", "twins", "harbor.fountain"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := srv.ops.UploadScript(seed, ic, 0, "harbor.fountain", script); err != nil {
		t.Fatal(err)
	}
	scenes, err := st.CurrentScenes(seed, prod.ID)
	if err != nil {
		t.Fatal(err)
	}
	var bedroom production.Scene
	const description = "Nora and Theo kiss on the bed; the scene cuts away."
	for _, sc := range scenes {
		if !ops.Plays(perf, sc) || len(sc.Flagged()) == 0 {
			continue
		}
		if strings.Contains(sc.Heading, "BEDROOM") {
			bedroom = sc
		}
		if _, err := srv.ops.PutPlan(seed, ic, sc.ID, consent.Plan{Description: description,
			Performers: []consent.PerformerPlan{{PerformerID: perf.ID, Nudity: consent.Nudity{Level: "none"}, Content: []string{"kissing"}, Contact: []string{"kissing: lips"}}},
			Barriers:   []string{"barrier cushion"}}); err != nil {
			t.Fatal(err)
		}
	}
	if bedroom.ID == 0 {
		t.Fatal("no flagged bedroom scene with NORA in harbor.fountain")
	}
	if _, err := srv.ops.PutBoundaries(seed, ic, perf.ID, consent.Boundaries{Notes: "private note 5c2a"}); err != nil {
		t.Fatal(err)
	}
	call := time.Now().Add(72 * time.Hour)
	if err := srv.ops.SetCallTime(seed, ad, bedroom.ID, call); err != nil {
		t.Fatal(err)
	}
	thongs, err := srv.ops.RaiseRequest(seed, ic, production.NewRequest{SceneID: bedroom.ID, Department: auth.Costume, Text: "two nude thongs, size S",
		Due: call.Add(-24 * time.Hour), PerformerID: perf.ID})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := srv.ops.RaiseRequest(seed, ic, production.NewRequest{SceneID: bedroom.ID, Department: auth.Props, Text: "heated barrier cushion", Due: call.Add(-24 * time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if _, err := srv.ops.PutClosedSet(seed, ic, bedroom.ID, worldClosedSet()); err != nil {
		t.Fatal(err)
	}
	if _, err := srv.ops.ApproveClosedSet(seed, ic, bedroom.ID, 0); err != nil {
		t.Fatal(err)
	}
	day, err := srv.ops.CreateShootDay(seed, ad, production.DateOf(call.In(loadZone("Europe/London"))), []int64{bedroom.ID})
	if err != nil {
		t.Fatal(err)
	}
	requests := ts.URL + "/productions/" + itoa(prod.ID) + "/requests"
	board := ts.URL + "/shoot-days/" + itoa(day.ID)
	card := "#request-" + itoa(thongs.ID)
	row := "#scene-" + itoa(bedroom.ID)
	step(t, ctx, "a phone", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
	noSideways := func(t *testing.T, what string) {
		t.Helper()
		widths := value(t, ctx, "widths", chromedp.Evaluate[[]int](`[document.documentElement.scrollWidth, window.innerWidth]`))
		if widths[0] > widths[1] {
			t.Errorf("at 390 px %s is %d px wide: it scrolls sideways", what, widths[0])
		}
	}
	done := ""

	t.Run("the costume head marks their request done", func(t *testing.T) {
		signIn(t, ctx, ts.URL, "cora@example.com")
		step(t, ctx, "open the requests", chromedp.Navigate(requests), chromedp.WaitVisible(chromedp.CSS(card)))
		page := value(t, ctx, "page", chromedp.Text(chromedp.CSS("main")))
		for _, gone := range []string{"heated barrier cushion", description, "private note"} {
			if strings.Contains(page, gone) {
				t.Errorf("the costume head's requests page shows %q", gone)
			}
		}
		if !strings.Contains(page, "two nude thongs, size S") || !strings.Contains(page, "for Nora Lind") {
			t.Fatalf("the costume head's page lacks their request:\n%s", page)
		}
		noSideways(t, "the requests page")
		shot(t, ctx, "costume-requests-phone")
		step(t, ctx, "type the note", chromedp.SendKeys(chromedp.CSS(card+` input[name=note]`), "two nude thongs, size S, fitted"))
		submit(t, ctx, "done", chromedp.CSS(card+` button[value=done]`))
		got := value(t, ctx, "state", chromedp.Text(chromedp.CSS(card+" .state")))
		if strings.TrimSpace(got) != "done" {
			t.Fatalf("after Done the request is %q", got)
		}
		if note := value(t, ctx, "note", chromedp.Text(chromedp.CSS(card))); !strings.Contains(note, "fitted") {
			t.Errorf("the note does not show: %q", note)
		}
		shot(t, ctx, "costume-request-done-phone")
		done = "yes"
	})

	t.Run("the AD reads the day board and approves the closed set", func(t *testing.T) {
		needPrevious(t, done)
		switchUser(t, ctx, ts.URL, "al@example.com")
		step(t, ctx, "open the board", chromedp.Navigate(board), chromedp.WaitVisible(chromedp.CSS(row)))
		blockers := value(t, ctx, "blockers", chromedp.Text(chromedp.CSS(row+" .blockers")))
		for _, want := range []string{"awaits approval by an AD", "props request", "Nora Lind: no consent"} {
			if !strings.Contains(blockers, want) {
				t.Errorf("the board's blockers lack %q:\n%s", want, blockers)
			}
		}
		if strings.Contains(blockers, "costume request") {
			t.Errorf("the board still blocks on costume's request, done:\n%s", blockers)
		}
		if page := value(t, ctx, "page", chromedp.Text(chromedp.CSS("main"))); strings.Contains(page, "private note") || strings.Contains(page, "thong") {
			t.Errorf("the board shows a private note or a request's text:\n%s", page)
		}
		noSideways(t, "the day board")
		shot(t, ctx, "ad-board-phone")
		submit(t, ctx, "open the scene's shoot page", chromedp.CSS(row+" .title a"))
		noSideways(t, "the scene's shoot page")
		submit(t, ctx, "approve", chromedp.CSS(`form[action$="/closed-set/approve"] button`))
		if got := value(t, ctx, "list", chromedp.Text(chromedp.CSS("#closed-set .ready-chip"))); got != "Approved" {
			t.Fatalf("after the AD's approval the list says %q", got)
		}
		shot(t, ctx, "ad-closed-set-approved-phone")
		step(t, ctx, "back to the board", chromedp.Navigate(board), chromedp.WaitVisible(chromedp.CSS(row)))
		blockers = value(t, ctx, "blockers", chromedp.Text(chromedp.CSS(row+" .blockers")))
		if strings.Contains(blockers, "closed set") || strings.Contains(blockers, "awaits approval") {
			t.Errorf("after approval the board still names the closed set:\n%s", blockers)
		}
		noSideways(t, "the day board")
		shot(t, ctx, "ad-board-after-phone")
	})
}
