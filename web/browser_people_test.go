package web

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"closedset/audit"
	"closedset/auth"
)

// TestBrowserInvitation: an IC invites an email that has no account; the
// page shows the one-time link; opened in a fresh browser context (no
// cookies), the link asks for a name and a password, and lands the new
// account signed in on the production, a member in the invited role.
func TestBrowserInvitation(t *testing.T) {
	ctx := startBrowser(t)
	st := browserStore(t)
	if _, err := st.CreateUser(context.Background(), audit.Actor{Name: "test"},
		auth.NewUser{Email: "ida@example.com", Name: "Ida Okafor", PasswordHash: browserHash}); err != nil {
		t.Fatal(err)
	}
	srv, err := New(Config{Ops: testOps(t, st), CSRFKey: []byte(strings.Repeat("k", 32))})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	t.Cleanup(srv.Close)

	signIn(t, ctx, ts.URL, "ida@example.com")
	step(t, ctx, "fill the new production form",
		chromedp.SendKeys(chromedp.ID("title"), "Tides"),
		chromedp.Click(chromedp.CSS(`input[name="role"][value="ic"]`)))
	submit(t, ctx, "create the production", chromedp.CSS(`form[action="/productions"] button`))
	productionURL := value(t, ctx, "location", chromedp.Location())
	step(t, ctx, "fill the invitation",
		chromedp.SetValue(chromedp.ID("member-email"), "pat@example.com"),
		chromedp.SetValue(chromedp.ID("member-role"), "producer"))
	submit(t, ctx, "invite pat", chromedp.CSS(`form[action$="/members"] button`))
	link := value(t, ctx, "the invitation link", chromedp.Value(chromedp.CSS(`#invited input`)))
	if !strings.HasPrefix(link, ts.URL+"/invitations/csi_") {
		t.Fatalf("the invitation link is %q", link)
	}
	waiting := value(t, ctx, "invitations waiting", chromedp.Text(chromedp.CSS(".invitations")))
	if !strings.Contains(waiting, "pat@example.com") {
		t.Errorf("the invitations waiting are %q", waiting)
	}
	shot(t, ctx, "invited")

	// Pat opens the link in a browser of their own: no session, no cookie.
	pctx, cancel := chromedp.NewContext(ctx, chromedp.WithNewBrowserContext())
	defer cancel()
	// The first run, with no deadline, opens the tab for pctx's life.
	if err := chromedp.Do(pctx); err != nil {
		t.Fatalf("open a fresh browser context: %v", err)
	}
	step(t, pctx, "open the link", chromedp.Navigate(link), chromedp.WaitVisible(chromedp.ID("name")))
	if h1 := value(t, pctx, "invitation title", chromedp.Evaluate[string](`document.querySelector("h1").textContent`)); h1 != "Join Tides" {
		t.Fatalf("the invitation page is %q", h1)
	}
	step(t, pctx, "choose a name and a password",
		chromedp.SendKeys(chromedp.ID("name"), "Pat Reyes"),
		chromedp.SendKeys(chromedp.ID("password"), browserPassword),
		chromedp.SendKeys(chromedp.ID("password2"), browserPassword))
	submit(t, pctx, "accept", chromedp.CSS(`form[action^="/invitations/"] button`))
	if loc := value(t, pctx, "location", chromedp.Location()); loc != productionURL {
		t.Fatalf("after accepting, Pat is at %s, want the production %s", loc, productionURL)
	}
	meta := value(t, pctx, "production meta", chromedp.Text(chromedp.CSS("main > p.meta")))
	if !strings.Contains(meta, "producer") {
		t.Errorf("Pat's roles on the production page: %q", meta)
	}
	if who := value(t, pctx, "who", chromedp.Text(chromedp.CSS(".who"))); who != "Pat Reyes" {
		t.Errorf("signed in as %q, want Pat Reyes", who)
	}
	shot(t, pctx, "accepted")

	// The link works once.
	step(t, pctx, "open the link again", chromedp.Navigate(link), chromedp.WaitVisible(chromedp.CSS("h1")))
	if h1 := value(t, pctx, "title", chromedp.Text(chromedp.CSS("h1"))); h1 != "Not found" {
		t.Errorf("the used link shows %q, want Not found", h1)
	}
}
