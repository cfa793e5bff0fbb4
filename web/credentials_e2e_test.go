package web

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"closedset/consent"
	"closedset/credentials"
	"closedset/production"
	"closedset/store"
	"closedset/store/postgres"
	"closedset/store/postgres/pgtest"
)

// TestICRecordEndToEnd is issue 16's bar, through the API, on SQLite and
// PostgreSQL: a trainee cannot be IC of record (422 naming the rule), nor
// an IC whose certification has lapsed; a certification that expires the
// day before the shoot date blocks readiness with gate ic_of_record;
// Module III is refused with 9 set days in 10 years and granted with 10;
// a producer never reads an IC's proof files unless the IC shares them.
func TestICRecordEndToEnd(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) { icRecord(t, newEnv(t)) })
	t.Run("postgres", func(t *testing.T) {
		u := pgtest.Database(t)
		icRecord(t, newEnv(t, func(c *testConfig) {
			st, err := postgres.Open(context.Background(), u, store.WithClock(c.Now))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { st.Close() })
			c.Store = st
		}))
	})
}

func icRecord(t *testing.T, e *env) {
	l := newLedgerOn(t, e, "Europe/London")
	today := production.DateOf(l.srv.ops.Now().UTC())
	refused := func(c call, status int, code, ruleName string) {
		t.Helper()
		w := l.do(c)
		got, msg := errorCode(t, w)
		if w.Code != status || got != code || !strings.HasPrefix(msg, ruleName) {
			t.Fatalf("%s %s: %d %s %q, want %d %s naming %s", c.method, c.path, w.Code, got, msg, status, code, ruleName)
		}
	}

	// A trainee: a profile with training and no certification.
	l.person("trainee")
	l.json(call2("PUT", "/api/v1/me/ic-profile", l.as("trainee"), map[string]any{
		"trainings": []map[string]any{{"area": "consent", "provider": "IPA", "completed_on": today.String()}}}), http.StatusOK, nil)
	var prof icProfileOut
	l.json(call{method: "GET", path: "/api/v1/me/ic-profile", cred: l.as("trainee")}, http.StatusOK, &prof)
	if prof.State != credentials.Trainee {
		t.Fatalf("the trainee's state: %s", prof.State)
	}
	// Invited as IC, the trainee cannot join as one; as a trainee they can.
	var inv struct{ Invitation struct{ URL string } }
	l.json(call2("POST", l.prodPath("/members"), l.as("producer"), map[string]string{"email": "trainee@example.org", "role": "ic"}), http.StatusCreated, &inv)
	_, token, _ := strings.Cut(inv.Invitation.URL, "/invitations/")
	refused(call2("POST", "/api/v1/invitations/accept", l.as("trainee"), map[string]string{"token": token}), http.StatusUnprocessableEntity,
		"rule_violation", credentials.RuleTraineeMember)
	l.addMember(l.prod, l.as("producer"), "trainee@example.org", "trainee", l.as("trainee"))
	refused(call2("PUT", l.prodPath("/ic-of-record"), l.as("producer"), map[string]any{"user_id": l.users["trainee"].ID}),
		http.StatusUnprocessableEntity, "rule_violation", credentials.RuleTraineeNotIC)
	// A trainee shadows: no boundaries, no plan-private reads.
	if w := l.do(call{method: "GET", path: l.prodPath("/scenes"), cred: l.as("trainee")}); w.Code != http.StatusOK {
		t.Errorf("the trainee reading the scenes: %d", w.Code)
	}

	// An IC whose certification lapsed yesterday is refused.
	l.person("lapsed")
	l.json(call2("PUT", "/api/v1/me/ic-profile", l.as("lapsed"), map[string]any{
		"certification": map[string]any{"body": "IPA", "issued_on": credentials.AddYears(today, -3).String(), "expires_on": credentials.AddDays(today, -1).String()},
		"mhfa":          map[string]any{"completed_on": credentials.AddYears(today, -1).String(), "expires_on": credentials.AddYears(today, 1).String()}}), http.StatusOK, nil)
	l.addMember(l.prod, l.as("producer"), "lapsed@example.org", "ic", l.as("lapsed"))
	refused(call2("PUT", l.prodPath("/ic-of-record"), l.as("producer"), map[string]any{"user_id": l.users["lapsed"].ID}),
		http.StatusUnprocessableEntity, "rule_violation", credentials.RuleCertification)
	var icr icOfRecordOut
	l.json(call{method: "GET", path: l.prodPath("/ic-of-record"), cred: l.as("ad")}, http.StatusOK, &icr)
	if !icr.Named || icr.UserID != l.users["ic"].ID || !icr.Current {
		t.Fatalf("the IC of record after the refusals: %+v", icr)
	}

	// The lead IC's certification expires the day before the shoot date:
	// the scene is blocked by ic_of_record; renewed, the gate passes.
	callAt := l.clock.Now().Add(72 * time.Hour)
	l.schedule("5", callAt)
	shoot := production.ShootDay(callAt, mustZone(t, "Europe/London"))
	cert := func(expires production.Date) {
		t.Helper()
		l.json(call2("PUT", "/api/v1/me/ic-profile", l.as("ic"), map[string]any{
			"certification": map[string]any{"body": "IPA", "issued_on": credentials.AddYears(today, -1).String(), "expires_on": expires.String()},
			"mhfa":          map[string]any{"completed_on": credentials.AddYears(today, -1).String(), "expires_on": credentials.AddYears(today, 2).String()}}), http.StatusOK, nil)
	}
	cert(credentials.AddDays(shoot, -1))
	if r := l.readiness("5", "ad"); r.Ready || !blocks(r, consent.GateICOfRecord, credentials.RuleCertification) {
		t.Fatalf("certification lapsing the day before the shoot: %+v", r)
	}
	l.json(call{method: "GET", path: l.prodPath("/ic-of-record"), cred: l.as("producer")}, http.StatusOK, &icr)
	if !icr.Current || len(icr.Expiring) == 0 {
		t.Errorf("today the IC still leads, with an expiry coming: %+v", icr)
	}
	cert(shoot)
	if r := l.readiness("5", "ad"); blocks(r, consent.GateICOfRecord, "") {
		t.Fatalf("certification holding on the shoot date: %+v", r)
	}

	// Module III: a trainer signs off Modules I and II; with 9 set days
	// in ten years Module III is refused, with 10 granted.
	admin := l.user("root@example.org", "Root", true)
	l.tokens["admin"] = l.token(admin)
	l.person("trainer")
	l.json(call2("PUT", fmt.Sprintf("/api/v1/users/%d/trainer", l.users["trainer"].ID), l.as("admin"), map[string]bool{"trainer": true}), http.StatusOK, nil)
	signOff := fmt.Sprintf("/api/v1/users/%d/pathway/signoffs", l.users["trainee"].ID)
	for _, st := range []string{"module_1", "module_2"} {
		l.json(call2("POST", signOff, l.as("trainer"), map[string]string{"stage": st}), http.StatusCreated, nil)
	}
	if w := l.do(call2("POST", signOff, l.as("producer"), map[string]string{"stage": "module_3"})); w.Code != http.StatusForbidden {
		t.Errorf("a producer signing off: %d", w.Code)
	}
	var proof proofOut
	l.json(call{method: "POST", path: "/api/v1/me/proofs?name=callsheets.pdf", cred: l.as("trainee"), body: strings.NewReader("%PDF-1.4 call sheets\n"),
		contentType: "application/octet-stream"}, http.StatusCreated, &proof)
	days := func(n int) {
		t.Helper()
		var sd []map[string]any
		for i := range n {
			sd = append(sd, map[string]any{"on": credentials.AddDays(today, -30*(i+1)).String(), "production": "Short film", "department": "locations", "proof_file_id": proof.ID})
		}
		l.json(call2("PUT", "/api/v1/me/ic-profile", l.as("trainee"), map[string]any{
			"trainings": []map[string]any{{"area": "consent", "provider": "IPA", "completed_on": today.String()}}, "set_days": sd}), http.StatusOK, nil)
	}
	days(9)
	var pw pathwayOut
	l.json(call{method: "GET", path: "/api/v1/me/pathway", cred: l.as("trainee")}, http.StatusOK, &pw)
	if st := stageOf(pw, "module_3"); st.State != credentials.StageLocked || len(st.Missing) != 1 || !strings.Contains(st.Missing[0], "1 more needed") {
		t.Errorf("Module III with 9 days: %+v", st)
	}
	refused(call2("POST", signOff, l.as("trainer"), map[string]string{"stage": "module_3"}), http.StatusUnprocessableEntity, "rule_violation", credentials.RuleSetDays)
	days(10)
	l.json(call2("POST", signOff, l.as("trainer"), map[string]string{"stage": "module_3"}), http.StatusCreated, &pw)
	if st := stageOf(pw, "module_3"); st.State != credentials.StageComplete || st.SignedOff == nil || st.SignedOff.By != "Trainer" {
		t.Errorf("Module III with 10 days: %+v", st)
	}
	refused(call2("POST", signOff, l.as("trainer"), map[string]string{"stage": "final_assessment"}), http.StatusUnprocessableEntity, "rule_violation", credentials.RuleEveryStage)

	// Proofs: the IC's stay theirs until shared with the production.
	var icProof proofOut
	l.json(call{method: "POST", path: "/api/v1/me/proofs?name=certificate.txt", cred: l.as("ic"), body: strings.NewReader("Certificate 7f3a-proof\n"),
		contentType: "application/octet-stream"}, http.StatusCreated, &icProof)
	shared := l.prodPath(fmt.Sprintf("/ic-proofs/%d", icProof.ID))
	own := fmt.Sprintf("/api/v1/me/proofs/%d", icProof.ID)
	for _, who := range []string{"producer", "ad", "trainee", "trainer"} {
		for _, path := range []string{shared, own} {
			if w := l.do(call{method: "GET", path: path, cred: l.as(who)}); w.Code == http.StatusOK || strings.Contains(w.Body.String(), "7f3a-proof") {
				t.Errorf("%s reads the unshared proof at %s: %d", who, path, w.Code)
			}
		}
	}
	l.json(call{method: "GET", path: l.prodPath("/ic-of-record"), cred: l.as("producer")}, http.StatusOK, &icr)
	if icr.ProofsShared || len(icr.Proofs) != 0 {
		t.Errorf("the producer's view before sharing: %+v", icr)
	}
	for _, who := range []string{"ic", "admin"} {
		if w := l.do(call{method: "GET", path: own, cred: l.as(who)}); w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "7f3a-proof") {
			t.Errorf("%s reading the IC's proof: %d", who, w.Code)
		}
	}
	l.json(call2("PUT", l.prodPath("/proof-share"), l.as("ic"), map[string]bool{"shared": true}), http.StatusOK, nil)
	if w := l.do(call{method: "GET", path: shared, cred: l.as("producer")}); w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "7f3a-proof") {
		t.Errorf("the producer reading the shared proof: %d", w.Code)
	}
	if w := l.do(call{method: "GET", path: shared, cred: l.as("ad")}); w.Code != http.StatusForbidden {
		t.Errorf("the AD reading the shared proof: %d, want 403", w.Code)
	}
	l.json(call{method: "GET", path: l.prodPath("/ic-of-record"), cred: l.as("producer")}, http.StatusOK, &icr)
	if !icr.ProofsShared || len(icr.Proofs) == 0 {
		t.Errorf("the producer's view once shared: %+v", icr)
	}
	l.json(call2("PUT", l.prodPath("/proof-share"), l.as("ic"), map[string]bool{"shared": false}), http.StatusOK, nil)
	if w := l.do(call{method: "GET", path: shared, cred: l.as("producer")}); w.Code != http.StatusNotFound {
		t.Errorf("the producer after the IC stopped sharing: %d, want 404", w.Code)
	}

	// The credentials sheet lists areas and certification, never a proof.
	sheet := l.do(call{method: "GET", path: "/api/v1/me/credentials-sheet.html", cred: l.as("ic")})
	if sheet.Code != http.StatusOK || !strings.Contains(sheet.Body.String(), "IPA, issued") || strings.Contains(sheet.Body.String(), "7f3a-proof") {
		t.Errorf("the credentials sheet: %d %.300s", sheet.Code, sheet.Body)
	}
}

func stageOf(pw pathwayOut, key string) stageOut {
	for _, s := range pw.Stages {
		if s.Stage == key {
			return s
		}
	}
	return stageOut{}
}

func mustZone(t testing.TB, name string) *time.Location {
	t.Helper()
	z, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return z
}
