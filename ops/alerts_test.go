package ops_test

import (
	"context"
	"encoding/json"
	"net"
	"slices"
	"strings"
	"testing"
	"time"

	"closedset/alert"
	"closedset/alert/alerttest"
	"closedset/alert/mail"
	"closedset/alert/push"
	"closedset/auth"
	"closedset/cmd/closedset/demo"
	"closedset/consent"
	"closedset/ops"
	"closedset/production"
	"closedset/store/sqlite"
)

const reasonCanary = "CANARY-reason-7f3a"

// alertCrew is newOnSet with an AD of its own (ad@example.org) beside
// the IC (ic@example.org).
func alertCrew(t *testing.T, st ops.Store) onSet {
	t.Helper()
	f := newOnSet(t, st)
	ad := addTestUser(t, st, "ad@example.org", "Ada AD", false)
	if err := addMember(t, f.o, f.ic, ad, auth.AD); err != nil {
		t.Fatal(err)
	}
	return f
}

// mailingOps is the operations over st sending e-mail through the SMTP
// server at addr, with the clock skewed by skew.
func mailingOps(t *testing.T, st ops.Store, addr string, skew time.Duration) *ops.Ops {
	t.Helper()
	m, err := mail.Parse("smtp://" + addr + "?from=closedset@example.org")
	if err != nil {
		t.Fatal(err)
	}
	o, err := ops.New(ops.Config{Store: st, SealKey: testKey, Mailer: m, PublicURL: "https://closedset.example",
		Now: func() time.Time { return time.Now().Add(skew) }})
	if err != nil {
		t.Fatal(err)
	}
	return o
}

func runAlerts(t *testing.T, o *ops.Ops) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { o.RunAlerts(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
}

func recipients(ms []alerttest.Mail) []string {
	var to []string
	for _, m := range ms {
		to = append(to, m.To...)
	}
	slices.Sort(to)
	return to
}

// checkWithdrawalMail: the mail names the scene and links to it, and
// carries neither the reason nor a boundary.
func checkWithdrawalMail(t *testing.T, ms []alerttest.Mail, f onSet) {
	t.Helper()
	if got, want := recipients(ms), []string{"ad@example.org", "ic@example.org"}; !slices.Equal(got, want) {
		t.Errorf("mailed %v, want %v", got, want)
	}
	for _, m := range ms {
		if !strings.Contains(m.Subject, "Consent changed for scene "+ops.DocSceneNumber(f.scene)) {
			t.Errorf("subject %q", m.Subject)
		}
		if !strings.Contains(m.Body, "https://closedset.example/scenes/") {
			t.Errorf("body has no link to the scene:\n%s", m.Body)
		}
		for _, secret := range []string{reasonCanary, "CANARY-boundary", "Mara"} {
			if strings.Contains(m.Raw, secret) {
				t.Errorf("the alert carries %q:\n%s", secret, m.Raw)
			}
		}
	}
}

// TestWithdrawalMailsTheICAndTheADAtOnce (issue 17's done-when): a
// performer's withdrawal, with a reason, reaches the production's IC and
// AD through a real SMTP session within 5 s, naming the scene and
// nothing of the reason; withdrawing again tells no one twice.
func TestWithdrawalMailsTheICAndTheADAtOnce(t *testing.T) {
	st := openSQLite(t)
	f := alertCrew(t, st)
	smtpd := alerttest.StartSMTP(t)
	o := mailingOps(t, st, smtpd.Addr, 0)
	runAlerts(t, o)
	ctx := context.Background()
	start := time.Now()
	if err := o.Withdraw(ctx, f.me, f.scene.ID, f.mara.ID, reasonCanary+" I am not comfortable"); err != nil {
		t.Fatal(err)
	}
	ms := smtpd.Wait(t, 2, 5*time.Second)
	t.Logf("two mails in %v", time.Since(start))
	checkWithdrawalMail(t, ms, f)
	if err := o.Withdraw(ctx, f.me, f.scene.ID, f.mara.ID, ""); err != nil {
		t.Fatal(err)
	}
	time.Sleep(1500 * time.Millisecond)
	if n := len(smtpd.Received()); n != 2 {
		t.Errorf("withdrawing again sent %d mails in all, want still 2", n)
	}
}

// TestAQueuedAlertSurvivesARestart: the SMTP server is down when the
// performer withdraws, so the alert stays queued (the try fails); the
// server stops, and started again on the same database with the SMTP
// server back, it delivers the alert.
func TestAQueuedAlertSurvivesARestart(t *testing.T) {
	ctx := context.Background()
	path := t.TempDir() + "/t.db"
	st, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	f := alertCrew(t, st)
	// A port nothing listens on, for now.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	o := mailingOps(t, st, addr, 0)
	if err := o.Withdraw(ctx, f.me, f.scene.ID, f.mara.ID, reasonCanary); err != nil {
		t.Fatal(err)
	}
	if sent, err := o.DeliverAlerts(ctx); err != nil || sent != 0 {
		t.Fatalf("delivered %d with the SMTP server down (%v), want 0", sent, err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}

	smtpd := alerttest.StartSMTPAt(t, addr)
	st2, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st2.Close() })
	// The restarted server's clock is past the first try's backoff.
	runAlerts(t, mailingOps(t, st2, addr, time.Minute))
	checkWithdrawalMail(t, smtpd.Wait(t, 2, 5*time.Second), f)
}

// TestEachAlertReachesWhomItConcerns: a pause reaches the ICs and ADs; a
// new rider and a changed plan (her consent stale) the performer; an
// invitation its address; a rider due within a day, unsigned, the
// performer and the IC, once however often the scan runs; a department
// request due, its department. None carries a note or a request's text.
func TestEachAlertReachesWhomItConcerns(t *testing.T) {
	st := openSQLite(t)
	f := alertCrew(t, st)
	ctx := context.Background()
	smtpd := alerttest.StartSMTP(t)
	o := mailingOps(t, st, smtpd.Addr, 0)
	seen := 0
	expect := func(what string, to ...string) []alerttest.Mail {
		t.Helper()
		if _, err := o.DeliverAlerts(ctx); err != nil {
			t.Fatal(err)
		}
		ms := smtpd.Wait(t, seen+len(to), 5*time.Second)[seen:]
		seen += len(to)
		slices.Sort(to)
		if got := recipients(ms); !slices.Equal(got, to) {
			t.Errorf("%s: mailed %v, want %v", what, got, to)
		}
		return ms
	}

	// A pause on a take reaches the IC and the AD.
	take, err := o.LogTake(ctx, f.ic, f.scene.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := o.CheckIn(ctx, f.me, take.ID, f.mara.ID, "pause"); err != nil {
		t.Fatal(err)
	}
	if ms := expect("pause", "ad@example.org", "ic@example.org"); !strings.Contains(ms[0].Subject, "was paused") {
		t.Errorf("pause subject %q", ms[0].Subject)
	}
	if _, err := o.Resume(ctx, f.ic, f.scene.ID); err != nil {
		t.Fatal(err)
	}

	// Her plan changes: her consent goes stale.
	plan := consent.Plan{Description: "A longer kiss.", Performers: []consent.PerformerPlan{{PerformerID: f.mara.ID, Nudity: consent.Nudity{Level: "none"}, Contact: []string{"kissing: lips"}}}}
	if _, err := o.PutPlan(ctx, f.ic, f.scene.ID, plan); err != nil {
		t.Fatal(err)
	}
	ms := expect("stale consent", "mara@example.org")
	if !strings.Contains(ms[0].Subject, "needs renewing") {
		t.Errorf("stale consent subject %q", ms[0].Subject)
	}
	// A new rider for the new plan, unsigned; its scene's call is in 60 h,
	// so with 48 h notice it is due in 12 h.
	ad := ops.Caller{User: f.ic.User, ProductionID: f.ic.ProductionID, Roles: auth.RolesOf(auth.AD)}
	if err := o.SetCallTime(ctx, ad, f.scene.ID, time.Now().Add(60*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if _, _, err := o.IssueRider(ctx, f.ic, f.mara.ID); err != nil {
		t.Fatal(err)
	}
	expect("new rider", "mara@example.org")
	for range 2 {
		if _, err := o.ScanAlerts(ctx); err != nil {
			t.Fatal(err)
		}
	}
	expect("rider due", "mara@example.org", "ic@example.org")

	// A costume request due tomorrow morning reaches the costume department.
	costume := addTestUser(t, st, "costume@example.org", "Cos Tume", false)
	if err := addMember(t, o, f.ic, costume, auth.Costume); err != nil {
		t.Fatal(err)
	}
	expect("invitation", "costume@example.org")
	if _, err := o.RaiseRequest(ctx, f.ic, production.NewRequest{SceneID: f.scene.ID, Department: auth.Costume,
		Text: "CANARY-request-text modesty garment", Due: time.Now().Add(20 * time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if _, err := o.ScanAlerts(ctx); err != nil {
		t.Fatal(err)
	}
	ms = expect("request due", "costume@example.org")
	if strings.Contains(ms[0].Raw, "CANARY-request-text") {
		t.Errorf("the request alert carries its text:\n%s", ms[0].Raw)
	}
}

// TestWithdrawalPushesToTheICsBrowser: the IC's browser subscribed to
// push; a withdrawal reaches its push endpoint encrypted for its keys
// (RFC 8291) and signed with the server's VAPID key, and decrypted it
// names the scene, not the reason. Chosen off, push sends nothing.
func TestWithdrawalPushesToTheICsBrowser(t *testing.T) {
	st := openSQLite(t)
	f := alertCrew(t, st)
	ctx := context.Background()
	keys, err := push.LoadOrCreateKeys(t.TempDir() + "/vapid.json")
	if err != nil {
		t.Fatal(err)
	}
	o, err := ops.New(ops.Config{Store: st, SealKey: testKey, Pusher: &push.Pusher{Keys: keys, Subscriber: "ops@example.org"}, VAPIDPublicKey: keys.Public})
	if err != nil {
		t.Fatal(err)
	}
	ep := alerttest.StartPushEndpoint(t)
	me := ops.Caller{User: f.ic.User}
	if err := o.SubscribePush(ctx, me, ep.Sub); err != nil {
		t.Fatal(err)
	}
	if err := o.Withdraw(ctx, f.me, f.scene.ID, f.mara.ID, reasonCanary); err != nil {
		t.Fatal(err)
	}
	if sent, err := o.DeliverAlerts(ctx); err != nil || sent != 1 {
		t.Fatalf("DeliverAlerts = %d, %v; want 1 push (the AD has no browser subscribed)", sent, err)
	}
	got := ep.Wait(t, 1, 5*time.Second)[0]
	if got.Err != nil {
		t.Fatalf("the push does not decrypt: %v", got.Err)
	}
	var p push.Payload
	if err := json.Unmarshal(got.Plain, &p); err != nil {
		t.Fatalf("payload %q: %v", got.Plain, err)
	}
	if !strings.HasPrefix(p.Title, "Consent changed for scene ") || !strings.Contains(p.URL, "/scenes/") || strings.Contains(string(got.Plain), reasonCanary) {
		t.Errorf("payload %+v", p)
	}
	if !strings.HasPrefix(got.Authorization, "vapid t=") || !strings.Contains(got.Authorization, "k="+keys.Public) {
		t.Errorf("Authorization %q, want a VAPID token with the server's key", got.Authorization)
	}

	// Chosen off, the next alert is not pushed.
	if err := o.SetAlertPrefs(ctx, me, alert.Prefs{Email: true, Push: false}); err != nil {
		t.Fatal(err)
	}
	if prefs, err := o.AlertPrefs(ctx, me); err != nil || prefs.Push {
		t.Fatalf("AlertPrefs = %+v, %v", prefs, err)
	}
	f.sign(t) // she consents again, through a new rider
	if err := o.Withdraw(ctx, f.me, f.scene.ID, f.mara.ID, ""); err != nil {
		t.Fatal(err)
	}
	if sent, err := o.DeliverAlerts(ctx); err != nil || sent != 0 {
		t.Errorf("with push chosen off, DeliverAlerts = %d, %v", sent, err)
	}

	// A subscription its push service forgot (410) is forgotten here too.
	if err := o.SetAlertPrefs(ctx, me, alert.Prefs{Push: true}); err != nil {
		t.Fatal(err)
	}
	ep.Forget()
	f.sign(t)
	if err := o.Withdraw(ctx, f.me, f.scene.ID, f.mara.ID, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := o.DeliverAlerts(ctx); err != nil {
		t.Fatal(err)
	}
	if subs, err := st.PushSubscriptions(ctx, f.ic.User.ID); err != nil || len(subs) != 0 {
		t.Errorf("after 410 Gone the IC's subscriptions are %v, %v; want none", subs, err)
	}
}

// TestARevisedSceneTellsItsPerformers: a new draft that changes the text
// of a scene Mara consented to makes her consent stale, and she is told
// (the plan is the same; the words of the scene are not).
func TestARevisedSceneTellsItsPerformers(t *testing.T) {
	st := openSQLite(t)
	f := alertCrew(t, st)
	ctx := context.Background()
	smtpd := alerttest.StartSMTP(t)
	o := mailingOps(t, st, smtpd.Addr, 0)
	// Flush what setting up queued (invitations, riders).
	if _, err := o.DeliverAlerts(ctx); err != nil {
		t.Fatal(err)
	}
	before := len(smtpd.Wait(t, 0, time.Second))
	draft := demo.Drafts()[0]
	var line string
	for _, l := range strings.Split(f.scene.Text, "\n") {
		if len(strings.TrimSpace(l)) > 20 && strings.Contains(string(draft.Data), l) {
			line = l
			break
		}
	}
	if line == "" {
		t.Fatalf("no action line of scene %s found in the draft", f.scene.Number)
	}
	revised := strings.Replace(string(draft.Data), line, line+" Then, slowly, again.", 1)
	if _, err := o.UploadScript(ctx, f.ic, f.script, "revised.fountain", []byte(revised)); err != nil {
		t.Fatal(err)
	}
	if _, err := o.DeliverAlerts(ctx); err != nil {
		t.Fatal(err)
	}
	ms := smtpd.Wait(t, before+1, 5*time.Second)[before:]
	if got := recipients(ms); !slices.Equal(got, []string{"mara@example.org"}) || !strings.Contains(ms[0].Subject, "needs renewing") {
		t.Fatalf("after the revision: mailed %v (%q), want Mara told her consent needs renewing", got, ms[0].Subject)
	}
}
