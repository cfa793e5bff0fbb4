package ops_test

import (
	"context"
	"sync"
	"testing"

	"closedset"
	"closedset/auth"
	"closedset/breakdown"
	"closedset/cmd/closedset/demo"
	"closedset/ops"
	"closedset/production"
	"closedset/screenplay"
)

// TestScriptReadsAreCappedPerUser: while one account has two scripts
// being read (the reader holds them), its third upload is refused at once
// as rate limited, another account's upload is read, and once the first
// two finish the first account may upload again.
func TestScriptReadsAreCappedPerUser(t *testing.T) {
	ctx := context.Background()
	st := openSQLite(t)
	hold := make(chan struct{})
	started := make(chan struct{}, 8)
	var held sync.Map // uploads by file name that wait on hold
	o, err := ops.New(ops.Config{Store: st, SealKey: testKey, MaxReads: 4, ReadDraft: func(ctx context.Context, name string, data []byte) (*production.Draft, error) {
		if _, ok := held.Load(name); ok {
			started <- struct{}{}
			<-hold
		}
		return production.ReadDraft(ctx, name, data, screenplay.Options{}, breakdown.Options{})
	}})
	if err != nil {
		t.Fatal(err)
	}
	caller := func(email string) ops.Caller {
		u := addTestUser(t, st, email, email, false)
		c := ops.Caller{User: u}
		p, err := o.CreateProduction(ctx, c, production.NewProduction{Title: "Reads", Policy: "sag_aftra", TimeZone: "UTC", Role: auth.IC})
		if err != nil {
			t.Fatal(err)
		}
		c.ProductionID, c.Roles = p.ID, auth.RolesOf(auth.IC)
		return c
	}
	ada, bea := caller("ada@example.org"), caller("bea@example.org")
	draft := demo.Drafts()[0]
	upload := func(c ops.Caller, name string) error {
		_, err := o.UploadScript(ctx, c, 0, name, draft.Data)
		return err
	}
	held.Store("one.fountain", true)
	held.Store("two.fountain", true)
	var wg sync.WaitGroup
	for _, name := range []string{"one.fountain", "two.fountain"} {
		wg.Go(func() {
			if err := upload(ada, name); err != nil {
				t.Errorf("held upload %s: %v", name, err)
			}
		})
	}
	<-started
	<-started
	if err := upload(ada, "three.fountain"); !closedset.Is(err, closedset.RateLimited) {
		t.Errorf("a third read at once for one user: %v, want rate_limited", err)
	}
	if err := upload(bea, "other.fountain"); err != nil {
		t.Errorf("another user's upload while the first has two read: %v", err)
	}
	close(hold)
	wg.Wait()
	if err := upload(ada, "four.fountain"); err != nil {
		t.Errorf("after the reads finished: %v", err)
	}
}
