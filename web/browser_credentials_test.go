package web

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"closedset/audit"
	"closedset/auth"
	"closedset/credentials"
	"closedset/ops"
	"closedset/production"
)

// TestBrowserCredentialsOnAPhone walks the IC's own record at 390 px: an
// IC records Mental Health First Aid and a certification on My
// credentials and reads their state as certified; a trainer opens the
// trainees' pathway and signs off the trainee's first stage, which the
// trainee then reads as complete. No page scrolls sideways.
func TestBrowserCredentialsOnAPhone(t *testing.T) {
	icTab, trainerTab := startBrowser(t), startBrowser(t)
	st := browserStore(t)
	seed := context.Background()
	var ida, tess, tom, admin auth.User
	for _, u := range []struct {
		to *auth.User
		nu auth.NewUser
	}{
		{&ida, auth.NewUser{Email: "ida@example.com", Name: "Ida Okafor", PasswordHash: browserHash}},
		{&tess, auth.NewUser{Email: "tess@example.com", Name: "Tess Trainee", PasswordHash: browserHash}},
		{&tom, auth.NewUser{Email: "tom@example.com", Name: "Tom Trainer", PasswordHash: browserHash}},
		{&admin, auth.NewUser{Email: "admin@example.com", Name: "Admin", PasswordHash: browserHash, Admin: true}},
	} {
		var err error
		if *u.to, err = st.CreateUser(seed, audit.Actor{Name: "test"}, u.nu); err != nil {
			t.Fatal(err)
		}
	}
	srv, err := New(Config{Ops: testOps(t, st), CSRFKey: []byte(strings.Repeat("k", 32))})
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.ops.SetTrainer(seed, ops.Caller{User: admin}, tom.ID, true); err != nil {
		t.Fatal(err)
	}
	server := httptest.NewServer(srv)
	t.Cleanup(server.Close)
	t.Cleanup(srv.Close)
	ts := server.URL
	narrow := func(ctx context.Context, what string) {
		t.Helper()
		if w := value(t, ctx, what+" width", chromedp.Evaluate[float64](`document.documentElement.scrollWidth`)); w > 391 {
			t.Errorf("%s is %.0f px wide at 390 px", what, w)
		}
	}

	t.Run("an IC records their credentials", func(t *testing.T) {
		signIn(t, icTab, ts, ida.Email)
		today := time.Now()
		iso := func(d time.Time) string { return d.Format("2006-01-02") }
		step(t, icTab, "open my credentials", chromedp.EmulateViewport(390, 844), chromedp.Navigate(ts+"/credentials"),
			chromedp.WaitVisible(chromedp.ID("mhfa")))
		narrow(icTab, "my credentials")
		step(t, icTab, "fill Mental Health First Aid",
			chromedp.SendKeys(chromedp.ID("m-provider"), "MHFA England"),
			chromedp.SetValue(chromedp.ID("m-on"), iso(today.AddDate(0, -2, 0))),
			chromedp.SetValue(chromedp.ID("m-exp"), iso(today.AddDate(2, 0, 0))))
		submit(t, icTab, "record MHFA", chromedp.CSS(`#mhfa form button`))
		step(t, icTab, "fill the certification",
			chromedp.SendKeys(chromedp.ID("c-body"), "Intimacy Professionals Association"),
			chromedp.SetValue(chromedp.ID("c-issued"), iso(today.AddDate(0, -1, 0))))
		submit(t, icTab, "record the certification", chromedp.CSS(`#certification form button`))
		meta := value(t, icTab, "state", chromedp.Text(chromedp.CSS("main > p.meta")))
		if !strings.Contains(meta, "certified") || !strings.Contains(meta, "Intimacy Professionals Association") {
			t.Errorf("after recording, the state line is %q", meta)
		}
		shot(t, icTab, "credentials-phone")
	})

	t.Run("a trainer signs off a trainee's stage", func(t *testing.T) {
		// The trainee begins the pathway (a record of their own).
		if _, err := srv.ops.PutICProfile(seed, ops.Caller{User: tess}, credentials.Profile{Trainings: []credentials.Training{
			{Area: "consent", Provider: "Module I online", CompletedOn: production.DateOf(time.Now())}}}); err != nil {
			t.Fatal(err)
		}
		signIn(t, trainerTab, ts, tom.Email)
		step(t, trainerTab, "open trainees", chromedp.EmulateViewport(390, 844), chromedp.Navigate(ts+"/trainer"),
			chromedp.WaitVisible(chromedp.CSS("h1")))
		narrow(trainerTab, "trainees")
		if page := value(t, trainerTab, "trainees", chromedp.Text(chromedp.CSS("main"))); strings.Contains(page, "Admin") || !strings.Contains(page, "Tess Trainee") {
			t.Errorf("the trainees listed are %q: want Tess only (the admin keeps no record)", page)
		}
		forms := value(t, trainerTab, "sign-off forms", chromedp.Evaluate[int](`document.querySelectorAll('form[action^="/trainer/users/"]').length`))
		if forms == 0 {
			shot(t, trainerTab, "trainer-no-forms")
			t.Fatalf("no stage is open for the trainer to sign off")
		}
		submit(t, trainerTab, "sign off the first open stage", chromedp.CSS(`form[action^="/trainer/users/`+itoa(tess.ID)+`/"] button`))
		shot(t, trainerTab, "trainer-signed-phone")
		page := value(t, trainerTab, "trainee's stages", chromedp.Text(chromedp.ID("trainee-"+itoa(tess.ID))))
		if !strings.Contains(page, "signed off by Tom Trainer") {
			t.Errorf("after the sign-off the trainee's stages read %q", page)
		}
	})
}
