package storetest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"closedset/ops"
	"closedset/production"
)

// testTxCommitsWhole: the writes of one Tx are stored together, each with
// its own event, chained in order, and Tx's reads see its own writes.
func testTxCommitsWhole(t *testing.T, open Opener) {
	ctx := context.Background()
	s := open(t)
	l := newLedger(t, s)
	extra := addUser(t, s, "extra@example.com", "Extra Actor")
	before := len(events(t, s))
	var p production.Performer
	err := s.Tx(ctx, func(tx ops.Store) error {
		var err error
		p, err = tx.CreatePerformer(ctx, l.ic.Actor(), production.NewPerformer{ProductionID: l.p.ID, UserID: extra.ID,
			Name: "Extra Actor", DateOfBirth: date("1991-02-03"), Characters: []string{"EXTRA"}})
		if err != nil {
			return err
		}
		// The transaction reads its own write.
		if _, err := tx.Performer(ctx, p.ID); err != nil {
			return fmt.Errorf("reading the performer inside the transaction: %w", err)
		}
		_, err = tx.AddMember(ctx, l.ic.Actor(), l.p.ID, extra.ID, "performer")
		return err
	})
	if err != nil {
		t.Fatalf("Tx: %v", err)
	}
	if _, err := s.Performer(ctx, p.ID); err != nil {
		t.Fatalf("the performer written in the Tx: %v", err)
	}
	evs := events(t, s)
	if got := len(evs) - before; got != 2 {
		t.Fatalf("a Tx of two writes left %d events, want 2", got)
	}
	verify(t, s)
	if head, err := s.Head(ctx); err != nil || head != evs[len(evs)-1].Seq {
		t.Fatalf("Head = %d, %v; want %d", head, err, evs[len(evs)-1].Seq)
	}
}

// testTxFailingHalfwayWritesNothing: a Tx whose second step fails leaves
// nothing of its first: a revision is stored and then a plan cannot be
// carried to it, and neither the revision nor any event remains.
func testTxFailingHalfwayWritesNothing(t *testing.T, open Opener) {
	ctx := context.Background()
	s := open(t)
	l := newLedger(t, s)
	putPlan(t, s, l.ic, l.bathroom, "bath")
	before := events(t, s)
	scriptsBefore, err := s.Scripts(ctx, l.p.ID)
	if err != nil {
		t.Fatal(err)
	}
	errCarry := errors.New("the carried plans failed")
	err = s.Tx(ctx, func(tx ops.Store) error {
		rev2, err := tx.AddRevision(ctx, l.ic.Actor(), NewRevision(harborRevised(t), l.p.ID, l.rev.ScriptID))
		if err != nil {
			return err
		}
		scenes2, err := tx.Scenes(ctx, rev2.ID)
		if err != nil {
			return err
		}
		if _, err := tx.CarryPlan(ctx, l.ic.Actor(), l.bathroom.ID, scenes2[9].ID); err != nil {
			return err
		}
		// The second carry fails in the store (the gallery has no plan).
		if _, err := tx.CarryPlan(ctx, l.ic.Actor(), l.gallery.ID, scenes2[10].ID); err == nil {
			return errors.New("carrying a plan that does not exist succeeded")
		}
		return errCarry
	})
	if !errors.Is(err, errCarry) {
		t.Fatalf("Tx = %v, want the function's error", err)
	}
	scripts, err := s.Scripts(ctx, l.p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(scripts) != len(scriptsBefore) || len(scripts[0].Revisions) != len(scriptsBefore[0].Revisions) {
		t.Fatalf("after a failed Tx the script has %d revisions, want %d", len(scripts[0].Revisions), len(scriptsBefore[0].Revisions))
	}
	if after := events(t, s); len(after) != len(before) {
		t.Fatalf("a failed Tx left %d events", len(after)-len(before))
	}
	if head, err := s.Head(ctx); err != nil || head != before[len(before)-1].Seq {
		t.Fatalf("Head after a failed Tx = %d, %v; want %d", head, err, before[len(before)-1].Seq)
	}
	// The store goes on: the same revision stores now.
	if _, err := s.AddRevision(ctx, l.ic.Actor(), NewRevision(harborRevised(t), l.p.ID, l.rev.ScriptID)); err != nil {
		t.Fatalf("AddRevision after a failed Tx: %v", err)
	}
}

// testTxSerializesReadThenWrite: twenty concurrent transactions that each
// count a performer's riders and issue the next one see each other's
// writes, so no two riders get the same number.
func testTxSerializesReadThenWrite(t *testing.T, open Opener) {
	ctx := context.Background()
	s := open(t)
	l := newLedger(t, s)
	putPlan(t, s, l.ic, l.bathroom, "bath")
	nr := riderFor(t, s, l.noraP, l.bathroom)
	const n = 20
	numbers := make([]int, n)
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Go(func() {
			errs <- s.Tx(ctx, func(tx ops.Store) error {
				prev, err := tx.RidersOf(ctx, l.noraP.ID)
				if err != nil {
					return err
				}
				numbers[i] = len(prev) + 1
				r := nr
				r.Content = fmt.Appendf(nil, "rider number %d", numbers[i])
				_, err = tx.IssueRider(ctx, l.ic.Actor(), r)
				return err
			})
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	seen := map[int]bool{}
	for _, k := range numbers {
		if seen[k] {
			t.Fatalf("two transactions numbered a rider %d: %v", k, numbers)
		}
		seen[k] = true
	}
	riders, err := s.RidersOf(ctx, l.noraP.ID)
	if err != nil || len(riders) != n {
		t.Fatalf("RidersOf = %d riders, %v; want %d", len(riders), err, n)
	}
}
