package storetest

import (
	"bytes"
	"context"
	"testing"

	"closedset/ops"
	"closedset/seal"
)

// WriteSealedCanary stores a performer's boundaries and a withdrawal
// reason, both holding canary, sealed as the web layer seals them, and
// checks that they read back and open to the canary. A backend's test
// then looks for the canary in its database's files: it must not be
// there, in any form the store wrote.
func WriteSealedCanary(t testing.TB, s ops.Store, canary string) {
	t.Helper()
	ctx := context.Background()
	l := newLedger(t, s)
	key, err := seal.NewKey()
	if err != nil {
		t.Fatal(err)
	}
	notes := []byte("touch: hands only. notes: " + canary)
	sealed, err := seal.Seal(key, notes, ops.BoundariesAAD(l.noraP.ID))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.PutBoundaries(ctx, l.ic.Actor(), l.noraP.ID, sealed); err != nil {
		t.Fatal(err)
	}
	putPlan(t, s, l.ic, l.bathroom, "bath")
	sign(t, s, l.nora, issue(t, s, l.ic, riderFor(t, s, l.noraP, l.bathroom)))
	reason, err := seal.Seal(key, []byte("reason: "+canary), ops.WithdrawalAAD(l.bathroom.ID, l.noraP.ID))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.WithdrawConsent(ctx, l.nora.Actor(), l.bathroom.ID, l.noraP.ID, reason, false); err != nil {
		t.Fatal(err)
	}
	got, _, err := s.Boundaries(ctx, l.noraP.ID)
	if err != nil {
		t.Fatal(err)
	}
	if plain, err := seal.Open(key, got, ops.BoundariesAAD(l.noraP.ID)); err != nil || !bytes.Equal(plain, notes) {
		t.Fatalf("the stored boundaries open to %q, %v", plain, err)
	}
	c := consentOf(t, s, l.bathroom.ID, l.noraP.ID)
	got, err = s.WithdrawalReason(ctx, c.Withdrawal.ID)
	if err != nil {
		t.Fatal(err)
	}
	if plain, err := seal.Open(key, got, ops.WithdrawalAAD(l.bathroom.ID, l.noraP.ID)); err != nil || !bytes.HasSuffix(plain, []byte(canary)) {
		t.Fatalf("the stored reason opens to %q, %v", plain, err)
	}
}
