package web

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"closedset/audit"
	"closedset/auth"

	"github.com/chromedp/chromedp"
)

// browserPassword is every seeded user's password; browserHash is its
// argon2id hash, computed once (auth.HashPassword) so the test spends no
// time hashing.
const (
	browserPassword = "correct horse battery"
	browserHash     = "$argon2id$v=19$m=65536,t=3,p=2$rUs0osB7BRJdyz0MvRLrJw$cevOzio5jBCrkjaBWcAxpzdfhbMIX+wQwtPr7gv54/s"
)

// TestBrowserICBreaksDownAScript walks the web app in a real headless
// Chromium, against the real server over a real SQLite store, the way an
// IC and a costume head use it. The steps build on each other, in order;
// one browser serves them all.
func TestBrowserICBreaksDownAScript(t *testing.T) {
	ctx := startBrowser(t)
	st := browserStore(t)
	seed := context.Background()
	for _, u := range []auth.NewUser{
		{Email: "ida@example.com", Name: "Ida Okafor", PasswordHash: browserHash},
		{Email: "cass@example.com", Name: "Cass Moreau", PasswordHash: browserHash},
	} {
		if _, err := st.CreateUser(seed, audit.Actor{Name: "test"}, u); err != nil {
			t.Fatalf("seed %s: %v", u.Email, err)
		}
	}
	srv, err := New(Config{Ops: testOps(t, st), CSRFKey: []byte(strings.Repeat("k", 32))})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	t.Cleanup(srv.Close) // first: ts.Close waits for the open live streams

	var productionURL string // the production page, once created
	var bedroom string       // "#scene-N" of the bedroom scene of the first draft
	var cassLink string      // the costume head's invitation

	t.Run("an IC signs in and creates a production", func(t *testing.T) {
		step(t, ctx, "open the app", chromedp.Navigate(ts.URL+"/"), chromedp.WaitVisible(chromedp.ID("email")))
		if loc := value(t, ctx, "location", chromedp.Location()); !strings.Contains(loc, "/signin") {
			t.Fatalf("signed out, / went to %s, want /signin", loc)
		}
		signIn(t, ctx, ts.URL, "ida@example.com")
		step(t, ctx, "fill the new production form",
			chromedp.SendKeys(chromedp.ID("title"), "Harbor Lights"),
			chromedp.SetValue(chromedp.ID("policy"), "equity_uk"),
			chromedp.Click(chromedp.CSS(`input[name="role"][value="ic"]`)))
		submit(t, ctx, "create the production", chromedp.CSS(`form[action="/productions"] button`))
		if h1 := value(t, ctx, "title", chromedp.Text(chromedp.CSS("h1"))); h1 != "Harbor Lights" {
			t.Fatalf("after creating, the page's title is %q", h1)
		}
		productionURL = value(t, ctx, "location", chromedp.Location())
		meta := value(t, ctx, "production meta", chromedp.Text(chromedp.CSS("main > p.meta")))
		for _, want := range []string{"Equity UK", "Europe/London", "intimacy coordinator"} {
			if !strings.Contains(meta, want) {
				t.Errorf("production meta %q lacks %q", meta, want)
			}
		}
		// The creator chose to be its IC; she invites the costume head,
		// who has an account: Cass joins when she opens the link.
		cassLink = addMember(t, ctx, "cass@example.com", "costume")
		members := value(t, ctx, "members", chromedp.Text(chromedp.CSS(".members")))
		waiting := value(t, ctx, "invitations waiting", chromedp.Text(chromedp.CSS(".invitations")))
		if !strings.Contains(members, "intimacy coordinator") || strings.Contains(members, "Cass Moreau") || !strings.Contains(waiting, "cass@example.com") {
			t.Errorf("members list is %q and invitations %q: want Cass invited, not yet a member", members, waiting)
		}
		shot(t, ctx, "production")
	})

	t.Run("the IC uploads a script and sees its flags with highlighted evidence", func(t *testing.T) {
		needPrevious(t, productionURL)
		upload(t, ctx, filepath.Join("..", "screenplay", "testdata", "twins", "harbor.fountain"), "new")
		// The flagged scenes come first, by default; the whole script is
		// a link away.
		if n := value(t, ctx, "count flagged scenes", chromedp.Evaluate[int](`document.querySelectorAll("article.scene").length`)); n == 0 || n >= 10 {
			t.Errorf("after upload the page shows %d scenes, want the flagged ones only", n)
		}
		submit(t, ctx, "show all scenes", chromedp.CSS(`.filter a[href*="show=all"]`))
		scenes := value(t, ctx, "count scenes", chromedp.Evaluate[int](`document.querySelectorAll("article.scene").length`))
		flagged := value(t, ctx, "count flagged", chromedp.Evaluate[int](`document.querySelectorAll("article.scene .flag").length`))
		if scenes < 10 || flagged == 0 {
			t.Fatalf("after upload: %d scenes, %d flags; want the whole script with flags", scenes, flagged)
		}
		bedroom = "#" + value(t, ctx, "find the bedroom scene", chromedp.Evaluate[string](
			`[...document.querySelectorAll("article.scene")].find(a => a.querySelector("h3").textContent.includes("BEDROOM")).id`))
		marks := value(t, ctx, "marked evidence", chromedp.Evaluate[[]string](
			`[...document.querySelectorAll("`+bedroom+` .evidence mark")].map(m => m.textContent)`))
		if !containsFold(marks, "kisses") {
			t.Errorf("the bedroom scene's marked evidence is %q, want \"kisses\" among it", marks)
		}
		// Every flag says why, beside its lines.
		why := value(t, ctx, "the bedroom scene's situations", chromedp.Evaluate[[]string](
			`[...document.querySelectorAll("`+bedroom+` .flag .situation")].map(p => p.textContent)`))
		if len(why) == 0 || !strings.HasPrefix(why[0], "Why: ") || len(why[0]) < len("Why: x") {
			t.Errorf("the bedroom scene's flags say why %q, want a \"Why: ...\" line", why)
		}
		shot(t, ctx, "scenes")
	})

	t.Run("a confirmed flag stays confirmed after a reload", func(t *testing.T) {
		needPrevious(t, bedroom)
		submit(t, ctx, "confirm the first flag", chromedp.CSS(bedroom+` .flag button[value="confirmed"]`))
		step(t, ctx, "reload", chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS(bedroom)))
		review := value(t, ctx, "review", chromedp.Text(chromedp.CSS(bedroom+" .flag.confirmed .review")))
		if !strings.HasPrefix(review, "Confirmed by Ida Okafor") {
			t.Errorf("review line is %q, want \"Confirmed by Ida Okafor, ...\"", review)
		}
	})

	t.Run("a changed revision shows its intimacy diff", func(t *testing.T) {
		needPrevious(t, productionURL)
		script := value(t, ctx, "script id", chromedp.Evaluate[string](`document.querySelector('#script option:not([value="new"])').value`))
		upload(t, ctx, filepath.Join("testdata", "harbor-v2.fountain"), script)
		submit(t, ctx, "open the diff", chromedp.CSS(`a[href$="/diff"]`))
		entries := value(t, ctx, "diff entries", chromedp.Evaluate[[]string](
			`[...document.querySelectorAll(".diff > li")].map(li => li.textContent.replace(/\s+/g, " "))`))
		var added, changed bool
		for _, e := range entries {
			added = added || strings.Contains(e, "added") && strings.Contains(e, "THEO'S BOAT")
			changed = changed || strings.Contains(e, "changed") && strings.Contains(e, "BEDROOM") && strings.Contains(e, "text changed")
		}
		if !added || !changed {
			t.Errorf("diff entries %q: want the boat scene added and the bedroom scene's text changed", entries)
		}
		shot(t, ctx, "diff")
	})

	t.Run("the production page fits a phone without scrolling sideways", func(t *testing.T) {
		needPrevious(t, productionURL)
		step(t, ctx, "open on a phone",
			chromedp.EmulateViewport(375, 812, chromedp.EmulateMobile),
			chromedp.Navigate(productionURL), chromedp.WaitVisible(chromedp.ID("scenes")))
		t.Cleanup(func() { step(t, ctx, "back to a desktop", chromedp.EmulateViewport(1280, 900)) })
		widths := value(t, ctx, "widths", chromedp.Evaluate[[]int](`[document.documentElement.scrollWidth, window.innerWidth]`))
		if widths[0] > widths[1] {
			t.Errorf("at 375 px the page is %d px wide: it scrolls sideways", widths[0])
		}
		shot(t, ctx, "phone")
	})

	t.Run("a costume head sees the flags without review buttons", func(t *testing.T) {
		needPrevious(t, productionURL)
		submit(t, ctx, "sign out", chromedp.CSS(`form[action="/signout"] button`))
		signIn(t, ctx, ts.URL, "cass@example.com")
		step(t, ctx, "open the invitation", chromedp.Navigate(cassLink), chromedp.WaitVisible(chromedp.CSS(`form[action$="/join"]`)))
		submit(t, ctx, "join", chromedp.CSS(`form[action$="/join"] button`))
		step(t, ctx, "open the production", chromedp.Navigate(productionURL), chromedp.WaitVisible(chromedp.ID("scenes")))
		counts := value(t, ctx, "count", chromedp.Evaluate[[]int](
			`[document.querySelectorAll(".flag").length, document.querySelectorAll("button[value=confirmed], button[value=dismissed]").length, document.querySelectorAll("input[type=file]").length]`))
		if counts[0] == 0 {
			t.Errorf("the costume head sees no flags")
		}
		if counts[1] != 0 || counts[2] != 0 {
			t.Errorf("the costume head sees %d review buttons and %d upload fields, want none", counts[1], counts[2])
		}
		shot(t, ctx, "costume")
	})
}

// signIn types into the sign-in form and waits for the productions page.
func signIn(t *testing.T, ctx context.Context, base, email string) {
	t.Helper()
	step(t, ctx, "open sign in", chromedp.Navigate(base+"/signin"),
		chromedp.WaitVisible(chromedp.ID("email")),
		chromedp.SendKeys(chromedp.ID("email"), email),
		chromedp.SendKeys(chromedp.ID("password"), browserPassword))
	submit(t, ctx, "sign in as "+email, chromedp.CSS(`form[action="/signin"] button`))
	if h1 := value(t, ctx, "title", chromedp.Text(chromedp.CSS("h1"))); h1 != "Productions" {
		t.Fatalf("after signing in as %s the page is %q, want Productions", email, h1)
	}
}

// addMember invites email in the role from the production page and
// returns the invitation's link.
func addMember(t *testing.T, ctx context.Context, email, role string) string {
	t.Helper()
	step(t, ctx, "fill add member",
		chromedp.SetValue(chromedp.ID("member-email"), email),
		chromedp.SetValue(chromedp.ID("member-role"), role))
	submit(t, ctx, "add "+email, chromedp.CSS(`form[action$="/members"] button`))
	return value(t, ctx, "the invitation link", chromedp.Value(chromedp.CSS(`#invited input`)))
}

// upload sends a script through the file input, as a new script or as a
// revision of the script with that id, and waits for the page after it.
func upload(t *testing.T, ctx context.Context, file, script string) {
	t.Helper()
	abs, err := filepath.Abs(file)
	if err != nil {
		t.Fatal(err)
	}
	step(t, ctx, "choose "+filepath.Base(file),
		chromedp.SetValue(chromedp.ID("script"), script),
		chromedp.SetUploadFiles(chromedp.ID("file"), []string{abs}))
	submit(t, ctx, "upload "+filepath.Base(file), chromedp.CSS(`form[action$="/scripts"] button`))
	if msg := value(t, ctx, "upload errors", chromedp.Evaluate[string](`(document.querySelector("#scripts .error, #scripts .field-error, .error-summary") || {}).textContent || ""`)); msg != "" {
		t.Fatalf("upload of %s: %s", file, msg)
	}
}

// submit clicks what sends a form or follows a link, and waits until the
// page it leads to has loaded; that page must answer 200.
func submit(t *testing.T, ctx context.Context, what string, sel chromedp.CSS) {
	t.Helper()
	sctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	resp, err := chromedp.RunResponse(sctx, chromedp.Click(sel))
	if err != nil {
		shot(t, ctx, "failed-"+what)
		t.Fatalf("%s: %v", what, err)
	}
	if resp == nil || resp.Status != http.StatusOK {
		shot(t, ctx, "failed-"+what)
		status := "no response"
		if resp != nil {
			status = fmt.Sprint(resp.Status)
		}
		body := value(t, ctx, "page text", chromedp.Text(chromedp.CSS("main")))
		t.Fatalf("%s: answered %s: %s", what, status, body)
	}
}

// needPrevious skips a step whose earlier step failed: it has nothing to
// work on, and the earlier failure is the one to read.
func needPrevious(t *testing.T, v string) {
	t.Helper()
	if v == "" {
		t.Skip("an earlier step failed")
	}
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}
