package main

import (
	"closedset/consent"
	"closedset/production"
	"context"
	"database/sql"
	"fmt"
	"regexp"
	"strings"
	"testing"
)

// chain makes a database with a few audit events and returns its path.
func chain(t *testing.T) string {
	t.Helper()
	path := newDB(t)
	st := openPath(t, path)
	u := addUser(t, st, "ic@example.org", "Ivy Coordinator", false)
	for _, title := range []string{"One", "Two", "Three"} {
		if _, err := st.CreateProduction(context.Background(), u.Actor(), production.NewProduction{Title: title, Policy: "sag_aftra", TimeZone: "UTC"}); err != nil {
			t.Fatal(err)
		}
	}
	return path
}

func TestAuditVerifyIntact(t *testing.T) {
	path := chain(t)
	code, out, stderr := runCLI(t, "", "audit", "verify", "--db", "sqlite:"+path)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	m := regexp.MustCompile(`^audit chain intact: (\d+) events, last hash [0-9a-f]{12}…\nanchor: (\d+:[0-9a-f]{64})\n$`).FindStringSubmatch(out)
	if m == nil || m[1] == "0" {
		t.Fatalf("output %q", out)
	}
	// The printed anchor checks a later chain.
	if code, _, stderr := runCLI(t, "", "audit", "verify", "--anchor", m[2], "--db", "sqlite:"+path); code != 0 {
		t.Errorf("verify against its own anchor: exit %d: %s", code, stderr)
	}
	if code, _, stderr := runCLI(t, "", "audit", "verify", "--anchor", "99:"+strings.Repeat("a", 64), "--db", "sqlite:"+path); code != 1 || !strings.Contains(stderr, "truncated") {
		t.Errorf("verify against a longer anchor: exit %d: %s", code, stderr)
	}
	if code, _, stderr := runCLI(t, "", "audit", "verify", "--anchor", "nonsense", "--db", "sqlite:"+path); code != 2 || !strings.Contains(stderr, "--anchor") {
		t.Errorf("bad anchor: exit %d: %s", code, stderr)
	}
}

// TestAuditVerifyNamesTheChangedEvent: someone with the database file
// drops the append-only trigger and edits an event; verify exits 1 and
// names it.
func TestAuditVerifyNamesTheChangedEvent(t *testing.T) {
	path := chain(t)
	tamper(t, path, `DROP TRIGGER audit_events_no_update`, `UPDATE audit_events SET object = 'production:999' WHERE seq = 3`)
	code, out, stderr := runCLI(t, "", "audit", "verify", "--db", "sqlite:"+path)
	if code != 1 || out != "" || !strings.HasPrefix(stderr, "closedset audit verify: audit chain broken at event 3: changed") {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out, stderr)
	}
}

func TestAuditVerifyErrors(t *testing.T) {
	tests := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"audit"}, 2, "want: closedset audit verify"},
		{[]string{"audit", "check"}, 2, "want: closedset audit verify"},
		{[]string{"audit", "verify", "extra"}, 2, `unexpected argument "extra"`},
		{[]string{"audit", "verify", "--db", "sqlite:" + t.TempDir() + "/none.db"}, 1, "no database at"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			code, _, stderr := runCLI(t, "", tt.args...)
			if code != tt.code || !strings.Contains(stderr, tt.want) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, stderr, tt.code, tt.want)
			}
		})
	}
}

// TestAuditVerifyNoticesEventsCutOffTheEnd: someone with the database file
// drops the delete trigger and removes the last event; without an anchor,
// verify still exits 1, because the store's head says the chain went on.
func TestAuditVerifyNoticesEventsCutOffTheEnd(t *testing.T) {
	path := chain(t)
	tamper(t, path, `DROP TRIGGER audit_events_no_delete`, `DELETE FROM audit_events WHERE seq = (SELECT MAX(seq) FROM audit_events)`)
	code, out, stderr := runCLI(t, "", "audit", "verify", "--db", "sqlite:"+path)
	if code != 1 || out != "" || !strings.Contains(stderr, "audit chain broken at its end") {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out, stderr)
	}
}

// TestAuditVerifyNoticesADeletedWithdrawal: someone with the database file
// drops the ledger's triggers and deletes a withdrawal, so that the consent
// reads as current again; the chain is untouched, yet verify exits 1
// naming the row and the event that wrote it.
func TestAuditVerifyNoticesADeletedWithdrawal(t *testing.T) {
	path := newDB(t)
	st := openPath(t, path)
	ctx := context.Background()
	ic := addUser(t, st, "ic@example.org", "Ivy Coordinator", false)
	p, err := loadDemo(ctx, demoOps(t, st), ic)
	if err != nil {
		t.Fatal(err)
	}
	// A rider for the planned scene, signed, then withdrawn on the
	// performer's word by the IC.
	scenes, err := st.CurrentScenes(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	performers, err := st.Performers(ctx, p.ID)
	if err != nil || len(performers) == 0 {
		t.Fatalf("demo performers: %v, %v", performers, err)
	}
	var planned production.Scene
	var plan consent.PlanVersion
	for _, sc := range scenes {
		if pv, err := st.Plan(ctx, sc.ID); err == nil {
			planned, plan = sc, pv
		}
	}
	pf := performers[0]
	nr := consent.NewRider{ProductionID: p.ID, PerformerID: pf.ID, Content: []byte("rider"), Digest: "sha256:" + strings.Repeat("ab", 32),
		Scenes: []consent.RiderScene{{SceneID: planned.ID, PlanVersion: plan.Version, PlanHash: plan.Hash, SceneTextHash: planned.TextHash}}}
	r, err := st.IssueRider(ctx, ic.Actor(), nr)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := st.SignRider(ctx, ic.Actor(), r.ID, consent.Signature{UserID: ic.ID, TypedName: pf.Name, Digest: r.Digest}); err != nil {
		t.Fatal(err)
	}
	if err := st.WithdrawConsent(ctx, ic.Actor(), planned.ID, pf.ID, nil, true); err != nil {
		t.Fatal(err)
	}
	head, err := st.Head(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := runCLI(t, "", "audit", "verify", "--db", "sqlite:"+path); code != 0 {
		t.Fatalf("before: exit %d: %s", code, stderr)
	}
	tamper(t, path, `DROP TRIGGER withdrawals_no_delete`, `DELETE FROM withdrawals`)
	code, out, stderr := runCLI(t, "", "audit", "verify", "--db", "sqlite:"+path)
	want := fmt.Sprintf("closedset audit verify: ledger broken: withdrawals row 1, written by event %d, is missing", head)
	if code != 1 || out != "" || !strings.Contains(stderr, want) {
		t.Errorf("exit %d, stdout %q, stderr %q; want %q", code, out, stderr, want)
	}
}

// tamper runs queries on the SQLite file behind closedset's back, as
// someone holding the database file would.
func tamper(t *testing.T, path string, queries ...string) {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range queries {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}
