package ops_test

import (
	"bytes"
	"closedset"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"slices"
	"strings"
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

// TestConcurrentIssuesMakeOneRider: twenty issues at once of a rider
// for the same plans make one rider, numbered 1, which all twenty get
// back (the read of the performer's riders and the insert are one
// transaction); after she signs it and the plan changes, the next issue
// is rider 2.
func TestConcurrentIssuesMakeOneRider(t *testing.T) {
	backends(t, func(t *testing.T, st ops.Store) {
		ctx := context.Background()
		f := newFixture(t, st)
		const n = 20
		riders := make([]consent.Rider, n)
		created := make([]bool, n)
		errs := make([]error, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() { riders[i], created[i], errs[i] = f.o.IssueRider(ctx, f.ic, f.mara.ID) })
		}
		wg.Wait()
		made := 0
		for i, r := range riders {
			if errs[i] != nil {
				t.Fatalf("IssueRider: %v", errs[i])
			}
			if created[i] {
				made++
			}
			if r.ID != riders[0].ID {
				t.Fatalf("two riders for the same plans: %d and %d", riders[0].ID, r.ID)
			}
		}
		if made != 1 {
			t.Fatalf("%d issues say they made the rider, want 1", made)
		}
		if all, err := st.RidersOf(ctx, f.mara.ID); err != nil || len(all) != 1 {
			t.Fatalf("RidersOf = %d riders, %v; want 1", len(all), err)
		}
		if doc, _, err := f.o.DecodeRider(riders[0]); err != nil || doc.Version != 1 {
			t.Fatalf("the rider is version %d (%v), want 1", doc.Version, err)
		}
		// Board: delivered, awaiting her signature.
		board, err := f.o.RiderBoard(ctx, f.ic)
		if err != nil {
			t.Fatal(err)
		}
		if l := board.Performers[0]; l.Awaiting != ops.AwaitingSignature || l.Riders[0].State != ops.RiderDelivered {
			t.Fatalf("board line = %+v, want the rider delivered and awaiting her signature", l)
		}
		// A changed plan: the delivered rider is superseded, and the next
		// issue is rider 2.
		plan := consent.Plan{Description: "A longer kiss.", Performers: []consent.PerformerPlan{{PerformerID: f.mara.ID, Nudity: consent.Nudity{Level: "none"}, Contact: []string{"kissing: lips"}}}}
		if _, err := f.o.PutPlan(ctx, f.ic, f.scene.ID, plan); err != nil {
			t.Fatal(err)
		}
		if board, err = f.o.RiderBoard(ctx, f.ic); err != nil {
			t.Fatal(err)
		}
		if l := board.Performers[0]; l.Awaiting != ops.AwaitingRider || l.Riders[0].State != ops.RiderSuperseded {
			t.Fatalf("after a plan change the board line = %+v, want the rider superseded and a new one awaited", l)
		}
		r2, made2, err := f.o.IssueRider(ctx, f.ic, f.mara.ID)
		if err != nil || !made2 {
			t.Fatalf("IssueRider after a plan change = %v, created %v", err, made2)
		}
		if doc, _, err := f.o.DecodeRider(r2); err != nil || doc.Version != 2 {
			t.Fatalf("the next rider is version %d (%v), want 2", doc.Version, err)
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
		"producer reads conflicts":  second(f.o.PlanConflicts(ctx, producer, f.scene.ID)),
		"stranger issues a rider":   third(f.o.IssueRider(ctx, stranger, f.mara.ID)),
		"producer names safeguards": f.o.NameSafeguards(ctx, producer, f.scene.ID, nil, "Sam Teacher"),
		"stranger invites a member": second(f.o.Invite(ctx, stranger, "x@example.org", auth.Performer, rand.Reader)),
	} {
		if err == nil {
			t.Errorf("%s: allowed", name)
		}
	}
	if _, _, err := f.o.IssueRider(ctx, stranger, f.mara.ID); !closedset.Is(err, closedset.NotFound) {
		t.Fatalf("a stranger issuing a rider: %v, want not_found", err)
	}
	if _, err := f.o.PutPlan(ctx, producer, f.scene.ID, consent.Plan{Description: "x"}); !closedset.Is(err, closedset.Forbidden) {
		t.Fatalf("a producer writing a plan: %v, want forbidden", err)
	}
}

func second[T any](_ T, err error) error        { return err }
func third[T, U any](_ T, _ U, err error) error { return err }

// TestStaleConsentSaysWhatChanged: a performer who signed for a scene
// whose text then changes in a new draft is told which words changed; a
// later plan that adds to her part is named too.
func TestStaleConsentSaysWhatChanged(t *testing.T) {
	ctx := context.Background()
	st := openSQLite(t)
	f := newFixture(t, st)
	mara, err := st.CreateUser(ctx, audit.System, auth.NewUser{Email: "mara@example.org", Name: "Mara Actor", PasswordHash: "$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$a2V5"})
	if err != nil {
		t.Fatal(err)
	}
	if f.mara, err = f.o.CreatePerformer(ctx, f.ic, production.NewPerformer{Name: "Mara Two", Email: mara.Email, DateOfBirth: production.Date{Year: 1991, Month: 1, Day: 2}, Characters: []string{"TOMAS"}}); err != nil {
		t.Fatal(err)
	}
	// Plan the quay kiss (scene 7) for her, issue, sign.
	var quay production.Scene
	scenes, _ := f.o.CurrentScenes(ctx, f.ic.ProductionID)
	for _, sc := range scenes {
		if sc.Number == "7" {
			quay = sc
		}
	}
	plan := consent.Plan{Description: "The quay kiss.", Performers: []consent.PerformerPlan{{PerformerID: f.mara.ID, Nudity: consent.Nudity{Level: "none"}, Contact: []string{"kissing: lips"}}}}
	if _, err := f.o.PutPlan(ctx, f.ic, quay.ID, plan); err != nil {
		t.Fatal(err)
	}
	r, _, err := f.o.IssueRider(ctx, f.ic, f.mara.ID)
	if err != nil {
		t.Fatal(err)
	}
	me := ops.Caller{User: mara, ProductionID: f.ic.ProductionID, Roles: auth.RolesOf(auth.Performer)}
	if _, err := f.o.SignRider(ctx, me, r.ID, "Mara Two", true, "192.0.2.1", "test"); err != nil {
		t.Fatal(err)
	}
	// A new draft changes one word of the scene.
	d := demo.Drafts()[0]
	changed := bytes.Replace(d.Data, []byte("Mara kisses him, tentative at first."), []byte("Mara kisses him, hungry at first."), 1)
	rev, err := f.o.UploadScript(ctx, f.ic, f.script, "harbour-lights-2.fountain", changed)
	if err != nil {
		t.Fatal(err)
	}
	scenes, _ = st.Scenes(ctx, rev.ID)
	for _, sc := range scenes {
		if sc.Number == "7" {
			quay = sc
		}
	}
	facts, err := f.o.SceneFacts(ctx, quay)
	if err != nil {
		t.Fatal(err)
	}
	since, err := f.o.ChangesSinceConsent(ctx, facts, f.mara.ID)
	if err != nil {
		t.Fatal(err)
	}
	var removed, added string
	for _, p := range since.Text {
		for _, e := range p.Edits {
			switch e.Op {
			case production.EditRemoved:
				removed += e.Text
			case production.EditAdded:
				added += e.Text
			}
		}
	}
	if removed != "tentative" || added != "hungry" {
		t.Fatalf("changes since consent = %+v; want tentative removed and hungry added", since)
	}
	// The plan then adds to her part: named as added.
	plan.Performers[0].Contact = append(plan.Performers[0].Contact, "hands: waist")
	if _, err := f.o.PutPlan(ctx, f.ic, quay.ID, plan); err != nil {
		t.Fatal(err)
	}
	if facts, err = f.o.SceneFacts(ctx, quay); err != nil {
		t.Fatal(err)
	}
	if since, err = f.o.ChangesSinceConsent(ctx, facts, f.mara.ID); err != nil {
		t.Fatal(err)
	}
	if len(since.PlanAdded) == 0 || len(since.Text) == 0 {
		t.Fatalf("after a plan change: %+v; want the added contact named and the text change kept", since)
	}
	// The new rider she is sent says it too, in its document.
	r2, created, err := f.o.IssueRider(ctx, f.ic, f.mara.ID)
	if err != nil || !created {
		t.Fatalf("IssueRider = %v, created %v", err, created)
	}
	doc, _, err := f.o.DecodeRider(r2)
	if err != nil {
		t.Fatal(err)
	}
	var said string
	for _, sc := range doc.Scenes {
		said += strings.Join(sc.Changed, "\n")
	}
	for _, want := range []string{"added to your part: ", "[removed: tentative] [added: hungry]"} {
		if !strings.Contains(said, want) {
			t.Errorf("the new rider's changes %q lack %q", said, want)
		}
	}
}

// TestBystandersAndHandCasting: a performer present in a scene whose plan
// does not name them is a bystander (no consent blocker, no rider for it);
// a minor bystander still brings the minors rules; the IC puts a performer
// into a scene by hand, and the choice follows the scene into the next
// draft.
func TestBystandersAndHandCasting(t *testing.T) {
	ctx := context.Background()
	st := openSQLite(t)
	f := newFixture(t, st)
	tomas, err := f.o.CreatePerformer(ctx, f.ic, production.NewPerformer{Name: "Tomas Actor", DateOfBirth: production.Date{Year: 1988, Month: 3, Day: 3}, Characters: []string{"TOMAS"}})
	if err != nil {
		t.Fatal(err)
	}
	// The quay kiss (7): present, but the fixture's plans name Mara only.
	var quay production.Scene
	scenes, _ := f.o.CurrentScenes(ctx, f.ic.ProductionID)
	for _, sc := range scenes {
		if sc.Number == "7" {
			quay = sc
		}
	}
	facts, err := f.o.SceneFacts(ctx, quay)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(facts.Performers, func(p production.Performer) bool { return p.ID == tomas.ID }) {
		t.Fatal("Tomas, present in the quay scene, is not in its cast")
	}
	for _, b := range consent.Readiness(facts, consent.DefaultGates()).Blockers {
		if b.PerformerID == tomas.ID && (b.Gate == consent.GateConsent || b.Gate == consent.GateNotice) {
			t.Errorf("a bystander blocks readiness: %+v", b)
		}
	}
	if _, _, err := f.o.IssueRider(ctx, f.ic, tomas.ID); !closedset.Is(err, closedset.Unprocessable) {
		t.Errorf("a rider for a performer in no scene's action: %v, want unprocessable", err)
	}
	// A minor put into the scene by hand, not in its action: the minors
	// rules still count her.
	kid, err := f.o.CreatePerformer(ctx, f.ic, production.NewPerformer{Name: "Jory Young", DateOfBirth: production.Date{Year: 2015, Month: 6, Day: 1}, Characters: []string{"JORY"}})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.o.CastPerformer(ctx, f.ic, quay.ID, kid.ID, true); err != nil {
		t.Fatal(err)
	}
	call := time.Date(2026, 12, 20, 8, 0, 0, 0, time.UTC)
	// The call time as an AD would set it (the fixture's caller is an IC).
	if err := st.SetCallTime(ctx, f.ic.Actor(), quay.ID, call); err != nil {
		t.Fatal(err)
	}
	if facts, err = f.o.SceneFacts(ctx, quay); err != nil {
		t.Fatal(err)
	}
	minor := false
	for _, b := range consent.Readiness(facts, consent.DefaultGates()).Blockers {
		minor = minor || b.Gate == consent.GateMinors && b.PerformerID == kid.ID
	}
	if !minor {
		t.Error("a minor put into the scene by hand does not bring the minors rules")
	}
	// The next draft: the hand casting follows the matched scene.
	blue := demo.Drafts()[1]
	rev, err := f.o.UploadScript(ctx, f.ic, f.script, blue.Filename, blue.Data)
	if err != nil {
		t.Fatal(err)
	}
	next, _ := st.Scenes(ctx, rev.ID)
	for _, sc := range next {
		if sc.Number == "7" {
			cast, err := st.ScenePerformers(ctx, sc.ID)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.ContainsFunc(cast, func(p production.Performer) bool { return p.ID == kid.ID }) {
				t.Error("the hand casting did not follow the scene into the next draft")
			}
			return
		}
	}
	t.Fatal("the blue draft has no scene 7")
}

// TestUploadCapsAndTheLastIC: a script past the scene cap is refused
// whole (413, nothing stored), and only an IC may remove a production's
// last IC.
func TestUploadCapsAndTheLastIC(t *testing.T) {
	ctx := context.Background()
	st := openSQLite(t)
	f := newFixture(t, st)
	var b strings.Builder
	for i := range production.MaxScenes + 1 {
		fmt.Fprintf(&b, "INT. ROOM %d - DAY\n\nANNA reads.\n\n", i+1)
	}
	if _, err := f.o.UploadScript(ctx, f.ic, 0, "huge.fountain", []byte(b.String())); !closedset.Is(err, closedset.TooLarge) {
		t.Fatalf("a script of %d scenes: %v, want too_large", production.MaxScenes+1, err)
	}
	if scripts, err := st.Scripts(ctx, f.ic.ProductionID); err != nil || len(scripts) != 1 {
		t.Fatalf("after a refused upload the production has %d scripts, %v; want 1", len(scripts), err)
	}
	// A producer cannot remove the production's only IC; the IC may.
	prodUser, err := st.CreateUser(ctx, audit.System, auth.NewUser{Email: "pat@example.org", Name: "Pat Producer", PasswordHash: "$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$a2V5"})
	if err != nil {
		t.Fatal(err)
	}
	if err := addMember(t, f.o, f.ic, prodUser, auth.Producer); err != nil {
		t.Fatal(err)
	}
	producer := ops.Caller{User: prodUser, ProductionID: f.ic.ProductionID, Roles: auth.RolesOf(auth.Producer)}
	if err := f.o.RemoveMember(ctx, producer, f.ic.User.ID, auth.IC); !closedset.Is(err, closedset.Forbidden) {
		t.Fatalf("a producer removing the last IC: %v, want forbidden", err)
	}
	if roles, err := st.Roles(ctx, f.ic.ProductionID, f.ic.User.ID); err != nil || !roles.Has(auth.IC) {
		t.Fatalf("after the refusal the IC's roles are %v, %v", roles, err)
	}
	if err := f.o.RemoveMember(ctx, producer, prodUser.ID, auth.Producer); err != nil {
		t.Fatalf("removing another role while the IC stays: %v", err)
	}
}

// openSQLite is a fresh SQLite store for one test.
func openSQLite(t *testing.T) ops.Store {
	t.Helper()
	st, err := sqlite.Open(context.Background(), t.TempDir()+"/t.db")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}
