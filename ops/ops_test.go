package ops_test

import (
	"bytes"
	"closedset"
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"closedset/audit"
	"closedset/auth"
	"closedset/cmd/closedset/demo"
	"closedset/consent"
	"closedset/ops"
	"closedset/production"
	"closedset/seal"
	"closedset/store"
	"closedset/store/postgres"
	"closedset/store/postgres/pgtest"
	"closedset/store/sqlite"
)

// backends runs fn once on a fresh SQLite store and once on a fresh
// PostgreSQL database.
func backends(t *testing.T, fn func(t *testing.T, st ops.Store)) {
	t.Run("sqlite", func(t *testing.T) {
		st, err := sqlite.Open(context.Background(), t.TempDir()+"/t.db")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		fn(t, st)
	})
	t.Run("postgres", func(t *testing.T) {
		st, err := postgres.Open(context.Background(), pgtest.Database(t))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		fn(t, st)
	})
}

var testKey = seal.Key(bytes.Repeat([]byte{9}, 32))

// fixture is a production with the demo's first draft uploaded, its IC
// as the caller, and one performer, Mara, with the kiss planned.
type fixture struct {
	o      *ops.Ops
	st     ops.Store
	ic     ops.Caller
	script int64
	mara   production.Performer
	scene  production.Scene
}

func newFixture(t *testing.T, st ops.Store) fixture {
	t.Helper()
	ctx := context.Background()
	o, err := ops.New(ops.Config{Store: st, SealKey: testKey})
	if err != nil {
		t.Fatal(err)
	}
	u, err := st.CreateUser(ctx, audit.System, auth.NewUser{Email: "ic@example.org", Name: "Ivy Coordinator", PasswordHash: "$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$a2V5"})
	if err != nil {
		t.Fatal(err)
	}
	f := fixture{o: o, st: st, ic: ops.Caller{User: u}}
	p, err := o.CreateProduction(ctx, f.ic, production.NewProduction{Title: "Harbour Lights", Policy: "sag_aftra", TimeZone: "Europe/London", Role: auth.IC})
	if err != nil {
		t.Fatal(err)
	}
	f.ic.ProductionID, f.ic.Roles = p.ID, auth.RolesOf(auth.IC)
	draft := demo.Drafts()[0]
	rev, err := o.UploadScript(ctx, f.ic, 0, draft.Filename, draft.Data)
	if err != nil {
		t.Fatal(err)
	}
	f.script = rev.ScriptID
	if f.mara, err = o.CreatePerformer(ctx, f.ic, production.NewPerformer{Name: "Mara Actor", DateOfBirth: production.Date{Year: 1990, Month: 4, Day: 1}, Characters: []string{"MARA"}}); err != nil {
		t.Fatal(err)
	}
	scenes, err := o.CurrentScenes(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, sc := range scenes {
		if len(sc.Flagged()) > 0 && ops.Plays(f.mara, sc) {
			plan := consent.Plan{Description: "A kiss.", Performers: []consent.PerformerPlan{{PerformerID: f.mara.ID, Nudity: consent.Nudity{Level: "none"}, Contact: []string{"kissing: lips"}}}}
			if _, err := o.PutPlan(ctx, f.ic, sc.ID, plan); err != nil {
				t.Fatal(err)
			}
			if f.scene.ID == 0 {
				f.scene = sc // the first: the blue draft keeps it
			}
		}
	}
	if f.scene.ID == 0 {
		t.Fatal("the demo's first draft has no flagged scene of Mara's: the demo changed")
	}
	return f
}

// TestConcurrentRidersGetDistinctNumbers: twenty riders issued at once for
// one performer are numbered 1 to 20, each once (the count and the insert
// are one transaction).
func TestConcurrentRidersGetDistinctNumbers(t *testing.T) {
	backends(t, func(t *testing.T, st ops.Store) {
		ctx := context.Background()
		f := newFixture(t, st)
		const n = 20
		riders := make([]consent.Rider, n)
		errs := make([]error, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() { riders[i], errs[i] = f.o.IssueRider(ctx, f.ic, f.mara.ID) })
		}
		wg.Wait()
		seen := map[int]bool{}
		for i, r := range riders {
			if errs[i] != nil {
				t.Fatalf("IssueRider: %v", errs[i])
			}
			doc, _, err := ops.DecodeRider(r)
			if err != nil {
				t.Fatal(err)
			}
			if seen[doc.Version] {
				t.Fatalf("two riders numbered %d (%s)", doc.Version, doc.ID)
			}
			seen[doc.Version] = true
		}
		for v := 1; v <= n; v++ {
			if !seen[v] {
				t.Errorf("no rider numbered %d", v)
			}
		}
	})
}

// failingStore fails CarryPlan inside its transactions: an operation that
// dies halfway.
type failingStore struct{ ops.Store }

var errInjected = errors.New("injected failure")

func (s failingStore) Tx(ctx context.Context, fn func(tx ops.Store) error) error {
	return s.Store.Tx(ctx, func(tx ops.Store) error { return fn(failingTx{tx}) })
}

type failingTx struct{ ops.Store }

func (failingTx) CarryPlan(context.Context, audit.Actor, int64, int64) (consent.PlanVersion, error) {
	return consent.PlanVersion{}, errInjected
}

// TestRevisionFailingHalfwayStoresNothing: when carrying the plans to a
// new draft fails after the draft is written, neither the draft, nor its
// carried reviews, nor any audit event remains.
func TestRevisionFailingHalfwayStoresNothing(t *testing.T) {
	backends(t, func(t *testing.T, st ops.Store) {
		ctx := context.Background()
		f := newFixture(t, st)
		head, err := st.Head(ctx)
		if err != nil {
			t.Fatal(err)
		}
		o, err := ops.New(ops.Config{Store: failingStore{st}, SealKey: testKey})
		if err != nil {
			t.Fatal(err)
		}
		blue := demo.Drafts()[1]
		if _, err := o.UploadScript(ctx, f.ic, f.script, blue.Filename, blue.Data); !errors.Is(err, errInjected) {
			t.Fatalf("UploadScript = %v, want the injected failure", err)
		}
		scripts, err := st.Scripts(ctx, f.ic.ProductionID)
		if err != nil {
			t.Fatal(err)
		}
		if len(scripts) != 1 || len(scripts[0].Revisions) != 1 {
			t.Fatalf("after a failed revision the production has %d scripts, the first with %d revisions; want 1 and 1", len(scripts), len(scripts[0].Revisions))
		}
		if after, err := st.Head(ctx); err != nil || after != head {
			t.Fatalf("audit head moved from %d to %d (%v): a failed operation left events", head, after, err)
		}
		// The same upload through the real store succeeds whole: the
		// plan follows the scene into the new draft.
		rev, err := f.o.UploadScript(ctx, f.ic, f.script, blue.Filename, blue.Data)
		if err != nil {
			t.Fatal(err)
		}
		scenes, err := st.Scenes(ctx, rev.ID)
		if err != nil {
			t.Fatal(err)
		}
		carried := 0
		for _, sc := range scenes {
			if pv, err := st.Plan(ctx, sc.ID); err == nil && pv.CarriedFrom == f.scene.ID {
				carried++
			}
		}
		if carried != 1 {
			t.Fatalf("%d scenes of the new draft carry the plan of scene %d, want 1", carried, f.scene.ID)
		}
	})
}

// TestOperationsCheckTheirPermission: an operation refuses a caller the
// permission table does not allow, whoever calls it (not only the web's
// middleware): a producer cannot write a plan or issue a rider's review,
// a stranger learns nothing exists.
func TestOperationsCheckTheirPermission(t *testing.T) {
	ctx := context.Background()
	st, err := sqlite.Open(ctx, t.TempDir()+"/t.db", store.WithClock(func() time.Time { return time.Date(2026, 3, 3, 9, 0, 0, 0, time.UTC) }))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	f := newFixture(t, st)
	producer := f.ic
	producer.Roles = auth.RolesOf(auth.Producer)
	stranger := f.ic
	stranger.Roles = 0
	for name, err := range map[string]error{
		"producer writes a plan":    second(f.o.PutPlan(ctx, producer, f.scene.ID, consent.Plan{Description: "x"})),
		"producer reviews a flag":   second(f.o.ReviewFlag(ctx, producer, f.scene.Flags[0].ID, production.Confirmed, "")),
		"producer reads boundaries": third(f.o.Boundaries(ctx, producer, f.mara.ID)),
		"stranger issues a rider":   second(f.o.IssueRider(ctx, stranger, f.mara.ID)),
		"producer names safeguards": f.o.NameSafeguards(ctx, producer, f.scene.ID, nil, "Sam Teacher"),
		"stranger adds a member":    second(f.o.AddMember(ctx, stranger, "x@example.org", auth.Performer)),
	} {
		if err == nil {
			t.Errorf("%s: allowed", name)
		}
	}
	if _, err := f.o.IssueRider(ctx, stranger, f.mara.ID); !closedset.Is(err, closedset.NotFound) {
		t.Fatalf("a stranger issuing a rider: %v, want not_found", err)
	}
	if _, err := f.o.PutPlan(ctx, producer, f.scene.ID, consent.Plan{Description: "x"}); !closedset.Is(err, closedset.Forbidden) {
		t.Fatalf("a producer writing a plan: %v, want forbidden", err)
	}
}

func second[T any](_ T, err error) error        { return err }
func third[T, U any](_ T, _ U, err error) error { return err }
