package storetest

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"closedset/audit"
	"closedset/auth"
	"closedset/ops"
	"closedset/production"
)

// firstColumn is a column of each shoot-day table, for an UPDATE that
// changes nothing but must still be refused.
var firstColumn = map[string]string{
	"department_requests": "text", "request_states": "note", "shoot_days": "day", "shoot_day_versions": "version",
	"shoot_day_scenes": "idx", "closed_set_versions": "content", "closed_set_approvals": "role",
}

// Raw reaches a store's database behind the store's back, as someone with
// the database file (SQLite) or the owner's password (PostgreSQL) could.
type Raw struct {
	// Exec runs one statement.
	Exec func(query string, args ...any) error
	// DropGuards is the statement that drops the triggers keeping the
	// audit chain append-only.
	DropGuards string
	// DropLedgerGuards drops the triggers keeping consents, withdrawals,
	// their reasons and signatures append-only.
	DropLedgerGuards string
}

// TamperOpener opens a new, empty store with raw access to its database.
type TamperOpener func(t *testing.T) (ops.Store, Raw)

// RunTamper checks that the audit chain's triggers refuse edits, and that
// audit.Verify over AuditEvents names the first bad event when someone
// drops them and edits, deletes or swaps events.
func RunTamper(t *testing.T, open TamperOpener) {
	t.Run("LedgerRowsAreBoundToTheChain", func(t *testing.T) { testLedgerRowsBound(t, open) })
	t.Run("AuditEventsAreAppendOnly", func(t *testing.T) {
		s, raw := open(t)
		chain(t, s)
		before := verify(t, s)
		for _, q := range []string{
			`UPDATE audit_events SET actor_name = 'mallory' WHERE seq = 2`,
			`DELETE FROM audit_events WHERE seq = 2`,
			`DELETE FROM audit_events`,
		} {
			if err := raw.Exec(q); err == nil {
				t.Errorf("%s: accepted", q)
			}
		}
		if after := verify(t, s); after != before {
			t.Fatalf("the chain changed: %+v, was %+v", after, before)
		}
	})
	t.Run("ConsentRecordIsAppendOnly", func(t *testing.T) {
		s, raw := open(t)
		l := newLedger(t, s)
		putPlan(t, s, l.ic, l.bathroom, "bath")
		sign(t, s, l.nora, issue(t, s, l.ic, riderFor(t, s, l.noraP, l.bathroom)))
		if err := s.WithdrawConsent(context.Background(), l.nora.Actor(), l.bathroom.ID, l.noraP.ID, []byte("sealed"), false); err != nil {
			t.Fatal(err)
		}
		before := consentOf(t, s, l.bathroom.ID, l.noraP.ID)
		for _, q := range []string{
			`UPDATE consents SET plan_hash = 'other'`,
			`DELETE FROM consents`,
			`UPDATE withdrawals SET on_behalf = NOT on_behalf`,
			`DELETE FROM withdrawals`,
			`UPDATE withdrawal_reasons SET sealed = sealed`,
			`DELETE FROM withdrawal_reasons`,
			`UPDATE rider_signatures SET typed_name = 'mallory'`,
			`DELETE FROM rider_signatures`,
		} {
			if err := raw.Exec(q); err == nil {
				t.Errorf("%s: accepted", q)
			}
		}
		mustJSONEqual(t, "the consent after refused edits", consentOf(t, s, l.bathroom.ID, l.noraP.ID), before)
	})
	t.Run("ShootDayRecordIsAppendOnly", func(t *testing.T) {
		s, raw := open(t)
		l := newLedger(t, s)
		ctx := context.Background()
		r, err := s.CreateRequest(ctx, l.ic.Actor(), l.p.ID, production.NewRequest{SceneID: l.bathroom.ID, Department: auth.Costume, Text: "robe", Due: t0})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.CreateShootDay(ctx, l.ic.Actor(), l.p.ID, production.Date{Year: 2026, Month: 6, Day: 15}, []int64{l.bathroom.ID}); err != nil {
			t.Fatal(err)
		}
		putClosedSet(t, s, l.ic, l.bathroom.ID, "Cy Robe")
		if _, err := s.ApproveClosedSet(ctx, l.ic.Actor(), l.bathroom.ID, 1, auth.IC); err != nil {
			t.Fatal(err)
		}
		for _, table := range []string{"department_requests", "request_states", "shoot_days", "shoot_day_versions", "shoot_day_scenes", "closed_set_versions", "closed_set_approvals"} {
			for _, q := range []string{`UPDATE ` + table + ` SET ` + firstColumn[table] + ` = ` + firstColumn[table], `DELETE FROM ` + table} {
				if err := raw.Exec(q); err == nil {
					t.Errorf("%s: accepted", q)
				}
			}
		}
		if got, err := s.Request(ctx, r.ID); err != nil || got.State != production.RequestOpen {
			t.Fatalf("the request after refused edits: %+v, %v", got, err)
		}
	})
	for _, tc := range []struct {
		name  string
		edits []string
		seq   int64
		kind  audit.BreakKind
	}{
		{"EditedEventIsNamed", []string{`UPDATE audit_events SET actor_name = 'mallory' WHERE seq = 3`}, 3, audit.Changed},
		{"DeletedEventIsNamed", []string{`DELETE FROM audit_events WHERE seq = 3`}, 3, audit.Missing},
		{"SwappedEventsAreNamed", []string{
			`UPDATE audit_events SET seq = -2 WHERE seq = 2`,
			`UPDATE audit_events SET seq = 2 WHERE seq = 4`,
			`UPDATE audit_events SET seq = 4 WHERE seq = -2`,
		}, 2, audit.Changed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, raw := open(t)
			chain(t, s)
			if err := raw.Exec(raw.DropGuards); err != nil {
				t.Fatalf("dropping the triggers: %v", err)
			}
			for _, q := range tc.edits {
				if err := raw.Exec(q); err != nil {
					t.Fatalf("%s: %v", q, err)
				}
			}
			_, err := audit.Verify(s.AuditEvents(context.Background()))
			var be *audit.BrokenError
			if !errors.As(err, &be) || be.Seq != tc.seq || be.Kind != tc.kind {
				t.Fatalf("Verify = %v; want event %d %s", err, tc.seq, tc.kind)
			}
		})
	}
}

// testLedgerRowsBound: someone with the database drops the ledger's
// triggers and deletes a withdrawal (the consent reads as current again),
// edits sealed boundaries, or adds a consent no one gave: VerifyLedger
// names each row, and the event that wrote it.
func testLedgerRowsBound(t *testing.T, open TamperOpener) {
	ctx := context.Background()
	setup := func(t *testing.T) (ops.Store, Raw, ledger) {
		s, raw := open(t)
		l := newLedger(t, s)
		if _, err := s.PutBoundaries(ctx, l.ic.Actor(), l.noraP.ID, []byte("sealed boundaries")); err != nil {
			t.Fatal(err)
		}
		putPlan(t, s, l.ic, l.bathroom, "bath")
		sign(t, s, l.nora, issue(t, s, l.ic, riderFor(t, s, l.noraP, l.bathroom)))
		if err := s.WithdrawConsent(ctx, l.nora.Actor(), l.bathroom.ID, l.noraP.ID, []byte("sealed reason"), false); err != nil {
			t.Fatal(err)
		}
		if breaks, err := s.VerifyLedger(ctx); err != nil || len(breaks) != 0 {
			t.Fatalf("VerifyLedger of an untouched store = %v, %v", breaks, err)
		}
		if err := raw.Exec(raw.DropLedgerGuards); err != nil {
			t.Fatalf("dropping the ledger's triggers: %v", err)
		}
		return s, raw, l
	}
	lastEvent := func(t *testing.T, s ops.Store, action string) int64 {
		var seq int64
		for e, err := range s.AuditEvents(ctx) {
			if err != nil {
				t.Fatal(err)
			}
			if e.Action == action {
				seq = e.Seq
			}
		}
		return seq
	}
	for _, tc := range []struct {
		name   string
		edits  []string
		table  string
		action string // the event that wrote the row; "" for none
		msg    string
	}{
		{"DeletedWithdrawal", []string{`DELETE FROM withdrawal_reasons`, `DELETE FROM withdrawals`}, "withdrawals", "consent.withdraw", "is missing"},
		{"EditedBoundaries", []string{`UPDATE boundaries SET sealed = sealed || sealed`}, "boundaries", "boundaries.put", "was changed since"},
		{"EditedSignature", []string{`UPDATE rider_signatures SET typed_name = 'Mallory'`}, "rider_signatures", "rider.sign", "was changed since"},
		{"AddedConsent", []string{`INSERT INTO consents (performer_id, scene_id, rider_id, kind, plan_hash, scene_text_hash, by_id, given_us)
			SELECT performer_id, scene_id, rider_id, kind, plan_hash, scene_text_hash, by_id, given_us + 1 FROM consents`}, "consents", "", "written by no audit event"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, raw, l := setup(t)
			for _, q := range tc.edits {
				if err := raw.Exec(q); err != nil {
					t.Fatalf("%s: %v", q, err)
				}
			}
			if tc.name == "DeletedWithdrawal" {
				if c := consentOf(t, s, l.bathroom.ID, l.noraP.ID); c == nil || c.Withdrawal != nil {
					t.Fatalf("the attack did not work: consent %+v", c)
				}
			}
			breaks, err := s.VerifyLedger(ctx)
			if err != nil {
				t.Fatal(err)
			}
			var seq int64
			if tc.action != "" {
				seq = lastEvent(t, s, tc.action)
			}
			named := slices.ContainsFunc(breaks, func(b audit.RowBreak) bool {
				return b.Table == tc.table && b.Seq == seq && strings.Contains(b.Msg, tc.msg)
			})
			if !named {
				t.Fatalf("VerifyLedger = %+v; want the %s row of event %d, %q", breaks, tc.table, seq, tc.msg)
			}
			// The chain itself still verifies: only the ledger check sees it.
			if _, err := audit.Verify(s.AuditEvents(ctx)); err != nil {
				t.Fatalf("the chain: %v", err)
			}
		})
	}
}

// chain makes a store with six events.
func chain(t *testing.T, s ops.Store) {
	t.Helper()
	pat := addUser(t, s, "pat@example.com", "Pat")
	ida := addUser(t, s, "ida@example.com", "Ida")
	p := addProduction(t, s, pat, "Harbor Lights")
	for _, r := range []auth.Role{auth.IC, auth.Performer, auth.Legal} {
		if _, err := s.AddMember(context.Background(), pat.Actor(), p.ID, ida.ID, r); err != nil {
			t.Fatal(err)
		}
	}
}
