package storetest

import (
	"bytes"
	"closedset"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"closedset/audit"
	"closedset/auth"
	"closedset/consent"
	"closedset/ops"
	"closedset/production"
)

// ledger is a production with one draft of harbor, its IC, and three
// performers: Nora and June (scenes 10 and 11) and Theo (not in them).
type ledger struct {
	ic, nora, june auth.User
	p              production.Production
	rev            production.Revision
	scenes         []production.Scene
	bathroom       production.Scene // scene 10: JUNE, NORA
	gallery        production.Scene // scene 11: JUNE, NORA
	noraP, juneP   production.Performer
	theoP          production.Performer
}

func newLedger(t testing.TB, s ops.Store) ledger {
	t.Helper()
	ctx := context.Background()
	var l ledger
	l.ic = addUser(t, s, "ic@example.com", "Ida IC")
	l.nora = addUser(t, s, "nora@example.com", "Nora Actor")
	l.june = addUser(t, s, "june@example.com", "June Actor")
	l.p = addProductionAs(t, s, l.ic, "Harbor Lights", auth.IC)
	var err error
	if l.rev, err = s.AddRevision(ctx, l.ic.Actor(), NewRevision(LoadHarbor(t), l.p.ID, 0)); err != nil {
		t.Fatal(err)
	}
	if l.scenes, err = s.Scenes(ctx, l.rev.ID); err != nil {
		t.Fatal(err)
	}
	l.bathroom, l.gallery = l.scenes[9], l.scenes[10]
	if !slices.Equal(l.bathroom.Speaking, []string{"JUNE", "NORA"}) || !slices.Contains(l.gallery.Present, "NORA") {
		t.Fatalf("harbor's scenes 10 and 11 have characters %v and %v: the test data changed", l.bathroom.Speaking, l.gallery.Present)
	}
	// In the morgue no one speaks; the Doctor and Nora are there.
	if m := l.scenes[7]; len(m.Speaking) != 0 || !slices.Equal(m.Present, []string{"DOCTOR", "NORA"}) || !slices.Equal(m.Characters, m.Present) {
		t.Fatalf("harbor's morgue: speaking %q, present %q, characters %q; want none speaking, DOCTOR and NORA present", m.Speaking, m.Present, m.Characters)
	}
	l.noraP = addPerformer(t, s, l.ic, production.NewPerformer{ProductionID: l.p.ID, UserID: l.nora.ID, Name: "Nora Actor",
		Email: "Nora@Example.com", Phone: "+44 20 7946 0000", DateOfBirth: date("1990-04-01"), Characters: []string{"nora"}, Representative: "Agency Ltd"})
	l.juneP = addPerformer(t, s, l.ic, production.NewPerformer{ProductionID: l.p.ID, UserID: l.june.ID, Name: "June Actor",
		DateOfBirth: date("2008-12-31"), Characters: []string{"June", "JUNE (V.O.)"}})
	l.theoP = addPerformer(t, s, l.ic, production.NewPerformer{ProductionID: l.p.ID, Name: "Theo Actor", DateOfBirth: date("1985-01-15"), Characters: []string{"THEO"}})
	return l
}

func addPerformer(t testing.TB, s ops.Store, by auth.User, np production.NewPerformer) production.Performer {
	t.Helper()
	p, err := s.CreatePerformer(context.Background(), by.Actor(), np)
	if err != nil {
		t.Fatalf("CreatePerformer(%s): %v", np.Name, err)
	}
	return p
}

// planOf is a plan's canonical content and its hash, as the consent
// package would give them.
func planOf(description string) ([]byte, string) {
	b := []byte(`{"description":"` + description + `"}`)
	sum := sha256.Sum256(b)
	return b, hex.EncodeToString(sum[:])
}

func putPlan(t testing.TB, s ops.Store, by auth.User, sc production.Scene, description string) consent.PlanVersion {
	t.Helper()
	content, hash := planOf(description)
	v, err := s.PutPlan(context.Background(), by.Actor(), sc.ID, content, hash)
	if err != nil {
		t.Fatalf("PutPlan: %v", err)
	}
	return v
}

// riderFor is a new rider for the performer over the scenes' latest plans.
func riderFor(t testing.TB, s ops.Store, p production.Performer, scenes ...production.Scene) consent.NewRider {
	t.Helper()
	nr := consent.NewRider{ProductionID: p.ProductionID, PerformerID: p.ID, Content: []byte(fmt.Sprintf("rider of %s", p.Name))}
	for _, sc := range scenes {
		plan, err := s.Plan(context.Background(), sc.ID)
		if err != nil {
			t.Fatal(err)
		}
		nr.Scenes = append(nr.Scenes, consent.RiderScene{SceneID: sc.ID, PlanVersion: plan.Version, PlanHash: plan.Hash, SceneTextHash: sc.TextHash})
		nr.Content = append(nr.Content, plan.Hash...)
	}
	sum := sha256.Sum256(nr.Content)
	nr.Digest = "sha256:" + hex.EncodeToString(sum[:])
	return nr
}

func issue(t testing.TB, s ops.Store, by auth.User, nr consent.NewRider) consent.Rider {
	t.Helper()
	r, err := s.IssueRider(context.Background(), by.Actor(), nr)
	if err != nil {
		t.Fatalf("IssueRider: %v", err)
	}
	return r
}

func sign(t testing.TB, s ops.Store, u auth.User, r consent.Rider) []consent.Consent {
	t.Helper()
	_, cs, err := s.SignRider(context.Background(), u.Actor(), r.ID, consent.Signature{UserID: u.ID, TypedName: u.Name, IP: "192.0.2.7", UserAgent: "test", Digest: r.Digest})
	if err != nil {
		t.Fatalf("SignRider: %v", err)
	}
	return cs
}

// consentOf returns the performer's entry in Consents(scene), nil if none.
func consentOf(t testing.TB, s ops.Store, sceneID, performerID int64) *consent.Consent {
	t.Helper()
	cs, err := s.Consents(context.Background(), sceneID)
	if err != nil {
		t.Fatalf("Consents: %v", err)
	}
	for _, c := range cs {
		if c.PerformerID == performerID {
			return &c
		}
	}
	return nil
}

func testPerformers(t *testing.T, open Opener) {
	ctx := context.Background()
	s := open(t)
	l := newLedger(t, s)
	if l.noraP.Email != "nora@example.com" || !slices.Equal(l.noraP.Characters, []string{"NORA"}) || l.noraP.DateOfBirth != date("1990-04-01") ||
		l.noraP.Representative != "Agency Ltd" || l.noraP.CreatedBy != l.ic.ID || l.noraP.ID == 0 {
		t.Fatalf("created performer = %+v", l.noraP)
	}
	got, err := s.Performer(ctx, l.juneP.ID)
	if err != nil {
		t.Fatal(err)
	}
	mustJSONEqual(t, "Performer", got, l.juneP)
	all, err := s.Performers(ctx, l.p.ID)
	if err != nil {
		t.Fatal(err)
	}
	mustJSONEqual(t, "Performers", all, []production.Performer{l.noraP, l.juneP, l.theoP})
	byUser, err := s.PerformerByUser(ctx, l.p.ID, l.nora.ID)
	if err != nil || byUser.ID != l.noraP.ID {
		t.Fatalf("PerformerByUser = %+v, %v; want Nora", byUser, err)
	}
	_, err = s.PerformerByUser(ctx, l.p.ID, l.ic.ID)
	wantKind(t, "PerformerByUser of the IC", err, closedset.NotFound)

	in, err := s.ScenePerformers(ctx, l.bathroom.ID)
	if err != nil {
		t.Fatal(err)
	}
	mustJSONEqual(t, "ScenePerformers of scene 10", in, []production.Performer{l.noraP, l.juneP})
	morgue, err := s.ScenePerformers(ctx, l.scenes[7].ID) // Nora is there, and speaks no line
	if err != nil {
		t.Fatal(err)
	}
	mustJSONEqual(t, "ScenePerformers of the silent morgue", morgue, []production.Performer{l.noraP})

	_, err = s.CreatePerformer(ctx, l.ic.Actor(), production.NewPerformer{ProductionID: l.p.ID, UserID: l.nora.ID, Name: "Nora Again", DateOfBirth: date("1990-04-01")})
	wantKind(t, "a second performer for the same user", err, closedset.Conflict)
	for name, np := range map[string]production.NewPerformer{
		"no name":          {ProductionID: l.p.ID, DateOfBirth: date("1990-01-01")},
		"no date of birth": {ProductionID: l.p.ID, Name: "X"},
		"no such date":     {ProductionID: l.p.ID, Name: "X", DateOfBirth: production.Date{Year: 1990, Month: 2, Day: 30}},
		"bad email":        {ProductionID: l.p.ID, Name: "X", DateOfBirth: date("1990-01-01"), Email: "nobody"},
		"empty character":  {ProductionID: l.p.ID, Name: "X", DateOfBirth: date("1990-01-01"), Characters: []string{" "}},
	} {
		_, err := s.CreatePerformer(ctx, l.ic.Actor(), np)
		wantKind(t, name, err, closedset.Invalid)
	}
	_, err = s.CreatePerformer(ctx, l.ic.Actor(), production.NewPerformer{ProductionID: 999, Name: "X", DateOfBirth: date("1990-01-01")})
	wantKind(t, "a performer of a missing production", err, closedset.NotFound)
	_, err = s.CreatePerformer(ctx, l.ic.Actor(), production.NewPerformer{ProductionID: l.p.ID, UserID: 999, Name: "X", DateOfBirth: date("1990-01-01")})
	wantKind(t, "a performer of a missing user", err, closedset.NotFound)
}

func testBoundaries(t *testing.T, open Opener) {
	ctx := context.Background()
	s := open(t)
	l := newLedger(t, s)
	_, _, err := s.Boundaries(ctx, l.noraP.ID)
	wantKind(t, "Boundaries before any", err, closedset.NotFound)
	for i, b := range [][]byte{[]byte("sealed one"), []byte("sealed two")} {
		v, err := s.PutBoundaries(ctx, l.ic.Actor(), l.noraP.ID, b)
		if err != nil || v != i+1 {
			t.Fatalf("PutBoundaries #%d = %d, %v", i+1, v, err)
		}
	}
	got, v, err := s.Boundaries(ctx, l.noraP.ID)
	if err != nil || v != 2 || string(got) != "sealed two" {
		t.Fatalf("Boundaries = %q v%d, %v; want the second version", got, v, err)
	}
	_, err = s.PutBoundaries(ctx, l.ic.Actor(), l.noraP.ID, nil)
	wantKind(t, "empty boundaries", err, closedset.Invalid)
	_, err = s.PutBoundaries(ctx, l.ic.Actor(), 999, []byte("x"))
	wantKind(t, "boundaries of a missing performer", err, closedset.NotFound)
	// The event names the performer and the version, nothing of the bytes.
	ev := events(t, s)
	last := ev[len(ev)-1]
	want, _ := audit.Digest(map[string]any{"performer": l.noraP.ID, "version": 2})
	if last.Action != "boundaries.put" || last.Object != audit.Object("performer", l.noraP.ID) || last.Digest != want {
		t.Fatalf("boundaries event = %+v, want a digest of {performer, version} only", last)
	}
}

func testCallTimes(t *testing.T, open Opener) {
	ctx := context.Background()
	s := open(t)
	l := newLedger(t, s)
	if _, ok, err := s.CallTime(ctx, l.bathroom.ID); ok || err != nil {
		t.Fatalf("CallTime before any = %v, %v", ok, err)
	}
	first, second := t0.Add(72*time.Hour), t0.Add(96*time.Hour+30*time.Minute)
	for _, at := range []time.Time{first, second.In(time.FixedZone("BST", 3600))} {
		if err := s.SetCallTime(ctx, l.ic.Actor(), l.bathroom.ID, at); err != nil {
			t.Fatal(err)
		}
	}
	got, ok, err := s.CallTime(ctx, l.bathroom.ID)
	if err != nil || !ok || !got.Equal(second) {
		t.Fatalf("CallTime = %v, %v, %v; want %v", got, ok, err, second)
	}
	wantKind(t, "a zero call time", s.SetCallTime(ctx, l.ic.Actor(), l.bathroom.ID, time.Time{}), closedset.Invalid)
	wantKind(t, "a call time of a missing scene", s.SetCallTime(ctx, l.ic.Actor(), 99999, first), closedset.NotFound)
}

func testPlanVersions(t *testing.T, open Opener) {
	ctx := context.Background()
	s := open(t)
	l := newLedger(t, s)
	_, err := s.Plan(ctx, l.bathroom.ID)
	wantKind(t, "Plan before any", err, closedset.NotFound)
	v1 := putPlan(t, s, l.ic, l.bathroom, "a kiss")
	n := len(events(t, s))
	same := putPlan(t, s, l.ic, l.bathroom, "a kiss")
	mustJSONEqual(t, "the same plan again", same, v1)
	if len(events(t, s)) != n {
		t.Fatal("the same plan again recorded an event")
	}
	v2 := putPlan(t, s, l.ic, l.bathroom, "a kiss and a bath")
	v3 := putPlan(t, s, l.ic, l.bathroom, "a kiss")
	if v1.Version != 1 || v2.Version != 2 || v3.Version != 3 || v3.Hash != v1.Hash {
		t.Fatalf("versions = %d %d %d", v1.Version, v2.Version, v3.Version)
	}
	all, err := s.PlanVersions(ctx, l.bathroom.ID)
	if err != nil {
		t.Fatal(err)
	}
	mustJSONEqual(t, "PlanVersions", all, []consent.PlanVersion{v1, v2, v3})
	latest, err := s.Plan(ctx, l.bathroom.ID)
	if err != nil {
		t.Fatal(err)
	}
	mustJSONEqual(t, "Plan", latest, v3)
	byHash, err := s.PlanByHash(ctx, l.bathroom.ID, v2.Hash)
	if err != nil {
		t.Fatal(err)
	}
	mustJSONEqual(t, "PlanByHash", byHash, v2)
	_, err = s.PlanByHash(ctx, l.bathroom.ID, "feed")
	wantKind(t, "PlanByHash of an unknown hash", err, closedset.NotFound)
	_, err = s.PutPlan(ctx, l.ic.Actor(), l.bathroom.ID, nil, v1.Hash)
	wantKind(t, "an empty plan", err, closedset.Invalid)
	_, err = s.PutPlan(ctx, l.ic.Actor(), l.bathroom.ID, []byte("{}"), "not a hash!")
	wantKind(t, "a plan with a bad hash", err, closedset.Invalid)
	_, err = s.PutPlan(ctx, l.ic.Actor(), 99999, []byte("{}"), v1.Hash)
	wantKind(t, "a plan of a missing scene", err, closedset.NotFound)
}

func testSigningGivesConsents(t *testing.T, open Opener) {
	ctx := context.Background()
	s := open(t)
	l := newLedger(t, s)
	putPlan(t, s, l.ic, l.bathroom, "bath, implied nudity")
	putPlan(t, s, l.ic, l.gallery, "a kiss")
	nr := riderFor(t, s, l.noraP, l.bathroom, l.gallery)
	r := issue(t, s, l.ic, nr)
	if r.ID == 0 || r.DeliveredAt.IsZero() || r.Signature != nil || r.IssuedBy != l.ic.ID {
		t.Fatalf("issued rider = %+v", r)
	}
	got, err := s.Rider(ctx, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	mustJSONEqual(t, "Rider", got, r)
	if c := consentOf(t, s, l.bathroom.ID, l.noraP.ID); c != nil {
		t.Fatalf("a consent before signing: %+v", c)
	}

	n := len(events(t, s))
	cs := sign(t, s, l.nora, r)
	if len(cs) != 2 || len(events(t, s)) != n+1 {
		t.Fatalf("signing gave %d consents and %d events, want 2 and 1", len(cs), len(events(t, s))-n)
	}
	for i, c := range cs {
		rs := nr.Scenes[i]
		if c.SceneID != rs.SceneID || c.PlanHash != rs.PlanHash || c.SceneTextHash != rs.SceneTextHash || c.RiderID != r.ID ||
			c.PerformerID != l.noraP.ID || c.Kind != consent.Signed || c.Withdrawal != nil {
			t.Fatalf("consent %d = %+v, want bound to %+v", i, c, rs)
		}
		mustJSONEqual(t, "Consents", consentOf(t, s, rs.SceneID, l.noraP.ID), &c)
	}
	signed, err := s.Rider(ctx, r.ID)
	if err != nil || signed.Signature == nil || signed.Signature.UserID != l.nora.ID || signed.Signature.TypedName != "Nora Actor" ||
		signed.Signature.IP != "192.0.2.7" || signed.Signature.Digest != r.Digest || signed.Signature.At.IsZero() {
		t.Fatalf("signed rider = %+v, %v", signed.Signature, err)
	}
	riders, err := s.RidersOf(ctx, l.noraP.ID)
	if err != nil || len(riders) != 1 {
		t.Fatalf("RidersOf = %d riders, %v", len(riders), err)
	}
	mustJSONEqual(t, "RidersOf", riders[0], signed)

	// A second signature, and a signature of another document, are refused
	// and write nothing.
	n = len(events(t, s))
	_, _, err = s.SignRider(ctx, l.nora.Actor(), r.ID, consent.Signature{UserID: l.nora.ID, TypedName: "Nora Actor", Digest: r.Digest})
	wantKind(t, "a second signature", err, closedset.Conflict)
	if len(events(t, s)) != n {
		t.Fatal("a refused second signature recorded an event")
	}
	for i, c := range cs {
		mustJSONEqual(t, "Consents after a refused second signature", consentOf(t, s, nr.Scenes[i].SceneID, l.noraP.ID), &c)
	}
	again, err := s.Rider(ctx, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	mustJSONEqual(t, "Rider after a refused second signature", again, signed)
	other := issue(t, s, l.ic, riderFor(t, s, l.juneP, l.bathroom))
	n = len(events(t, s))
	_, _, err = s.SignRider(ctx, l.june.Actor(), other.ID, consent.Signature{UserID: l.june.ID, TypedName: "June Actor", Digest: r.Digest})
	wantKind(t, "a signature of another digest", err, closedset.Conflict)
	if len(events(t, s)) != n {
		t.Fatal("a refused signature recorded an event")
	}
	if c := consentOf(t, s, l.bathroom.ID, l.juneP.ID); c != nil {
		t.Fatalf("a refused signature gave a consent: %+v", c)
	}
	if got, _ := s.Rider(ctx, other.ID); got.Signature != nil {
		t.Fatal("a refused signature was kept")
	}

	// A rider offers only what stands: an existing plan version and the
	// scene's own text.
	bad := riderFor(t, s, l.juneP, l.bathroom)
	bad.Scenes[0].PlanVersion = 7
	_, err = s.IssueRider(ctx, l.ic.Actor(), bad)
	wantKind(t, "a rider of a missing plan version", err, closedset.Invalid)
	bad = riderFor(t, s, l.juneP, l.bathroom)
	bad.Scenes[0].SceneTextHash = "0000"
	_, err = s.IssueRider(ctx, l.ic.Actor(), bad)
	wantKind(t, "a rider of another scene text", err, closedset.Invalid)
	bad = riderFor(t, s, l.juneP, l.bathroom)
	bad.PerformerID = 999
	_, err = s.IssueRider(ctx, l.ic.Actor(), bad)
	wantKind(t, "a rider of a missing performer", err, closedset.NotFound)
	_, err = s.IssueRider(ctx, l.ic.Actor(), consent.NewRider{ProductionID: l.p.ID, PerformerID: l.juneP.ID, Digest: "d", Content: []byte("x")})
	wantKind(t, "a rider without scenes", err, closedset.Invalid)
}

func testWithdrawal(t *testing.T, open Opener) {
	ctx := context.Background()
	s := open(t)
	l := newLedger(t, s)
	putPlan(t, s, l.ic, l.bathroom, "bath")
	r := issue(t, s, l.ic, riderFor(t, s, l.noraP, l.bathroom))
	cs := sign(t, s, l.nora, r)
	wantKind(t, "withdrawing with no consent", s.WithdrawConsent(ctx, l.june.Actor(), l.bathroom.ID, l.juneP.ID, nil, false), closedset.NotFound)

	n := len(events(t, s))
	reason := []byte("sealed reason bytes")
	if err := s.WithdrawConsent(ctx, l.nora.Actor(), l.bathroom.ID, l.noraP.ID, reason, false); err != nil {
		t.Fatal(err)
	}
	c := consentOf(t, s, l.bathroom.ID, l.noraP.ID)
	if c == nil || c.ID != cs[0].ID || c.Withdrawal == nil || c.Withdrawal.By != l.nora.ID || c.Withdrawal.OnBehalf || !c.Withdrawal.HasReason {
		t.Fatalf("after withdrawal Consents = %+v (%+v)", c, c.Withdrawal)
	}
	got, err := s.WithdrawalReason(ctx, c.Withdrawal.ID)
	if err != nil || !bytes.Equal(got, reason) {
		t.Fatalf("WithdrawalReason = %q, %v", got, err)
	}
	// The event names who withdrew what; the reason, sealed or not, is
	// not in its digest.
	ev := events(t, s)
	want, _ := audit.Digest(map[string]any{"scene": l.bathroom.ID, "performer": l.noraP.ID, "consent": c.ID,
		"withdrawal": c.Withdrawal.ID, "on_behalf": false})
	if len(ev) != n+1 || ev[n].Action != "consent.withdraw" || ev[n].Digest != want {
		t.Fatalf("withdrawal events = %+v, want one with a digest of {scene, performer, consent, withdrawal, on_behalf}", ev[n:])
	}
	// Withdrawing again changes nothing.
	if err := s.WithdrawConsent(ctx, l.ic.Actor(), l.bathroom.ID, l.noraP.ID, nil, true); err != nil || len(events(t, s)) != n+1 {
		t.Fatalf("withdrawing again: %v, %d events", err, len(events(t, s))-n)
	}

	// Reconfirming the current plan and text gives a new consent under the
	// same rider; anything else is refused. (A withdrawn consent is never
	// re-confirmed: she signs a new rider first.)
	r = issue(t, s, l.ic, riderFor(t, s, l.noraP, l.bathroom))
	cs = sign(t, s, l.nora, r)
	reduced := putPlan(t, s, l.ic, l.bathroom, "bath, shoulders only")
	_, err = s.ReconfirmConsent(ctx, l.nora.Actor(), l.bathroom.ID, l.noraP.ID, r.Scenes[0].PlanHash, l.bathroom.TextHash)
	wantKind(t, "reconfirming an old plan", err, closedset.Conflict)
	_, err = s.ReconfirmConsent(ctx, l.nora.Actor(), l.bathroom.ID, l.noraP.ID, reduced.Hash, "0000")
	wantKind(t, "reconfirming another text", err, closedset.Conflict)
	_, err = s.ReconfirmConsent(ctx, l.june.Actor(), l.bathroom.ID, l.juneP.ID, reduced.Hash, l.bathroom.TextHash)
	wantKind(t, "reconfirming without an earlier consent", err, closedset.NotFound)
	re, err := s.ReconfirmConsent(ctx, l.nora.Actor(), l.bathroom.ID, l.noraP.ID, reduced.Hash, l.bathroom.TextHash)
	if err != nil {
		t.Fatal(err)
	}
	if re.RiderID != r.ID || re.Kind != consent.Reconfirmed || re.PlanHash != reduced.Hash || re.ID <= cs[0].ID {
		t.Fatalf("reconfirmed consent = %+v", re)
	}
	mustJSONEqual(t, "Consents after reconfirming", consentOf(t, s, l.bathroom.ID, l.noraP.ID), &re)
	if err := s.WithdrawConsent(ctx, l.ic.Actor(), l.bathroom.ID, l.noraP.ID, nil, true); err != nil {
		t.Fatal(err)
	}
	c = consentOf(t, s, l.bathroom.ID, l.noraP.ID)
	if c.ID != re.ID || c.Withdrawal == nil || !c.Withdrawal.OnBehalf || c.Withdrawal.HasReason {
		t.Fatalf("after a withdrawal on the performer's word: %+v (%+v)", c, c.Withdrawal)
	}
	_, err = s.WithdrawalReason(ctx, c.Withdrawal.ID)
	wantKind(t, "the reason of a withdrawal without one", err, closedset.NotFound)
	verify(t, s)
}

func testPlanCarriesToTheNextDraft(t *testing.T, open Opener) {
	ctx := context.Background()
	s := open(t)
	l := newLedger(t, s)
	plan := putPlan(t, s, l.ic, l.bathroom, "bath")
	if err := s.SetCallTime(ctx, l.ic.Actor(), l.bathroom.ID, t0.Add(72*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := s.NameGuardian(ctx, l.ic.Actor(), l.bathroom.ID, l.juneP.ID, "Mary Guardian"); err != nil {
		t.Fatal(err)
	}
	r := issue(t, s, l.ic, riderFor(t, s, l.noraP, l.bathroom))
	signedC := sign(t, s, l.nora, r)[0]

	rev2, err := s.AddRevision(ctx, l.ic.Actor(), NewRevision(harborRevised(t), l.p.ID, l.rev.ScriptID))
	if err != nil {
		t.Fatal(err)
	}
	scenes2, err := s.Scenes(ctx, rev2.ID)
	if err != nil {
		t.Fatal(err)
	}
	next := scenes2[9]
	if next.TextHash != l.bathroom.TextHash {
		t.Fatal("scene 10 changed in the revised draft: the test data changed")
	}
	carried, err := s.CarryPlan(ctx, l.ic.Actor(), l.bathroom.ID, next.ID)
	if err != nil {
		t.Fatal(err)
	}
	if carried.SceneID != next.ID || carried.Version != 1 || carried.Hash != plan.Hash || !bytes.Equal(carried.Content, plan.Content) ||
		carried.CarriedFrom != l.bathroom.ID {
		t.Fatalf("carried plan = %+v", carried)
	}
	got, err := s.Plan(ctx, next.ID)
	if err != nil {
		t.Fatal(err)
	}
	mustJSONEqual(t, "the new scene's plan", got, carried)
	lin, err := s.SceneLineage(ctx, next.ID)
	if err != nil || !slices.Equal(lin, []int64{next.ID, l.bathroom.ID}) {
		t.Fatalf("SceneLineage = %v, %v", lin, err)
	}
	// The consent, call time and guardian are read through the link.
	c := consentOf(t, s, next.ID, l.noraP.ID)
	if c == nil || c.ID != signedC.ID || c.SceneID != l.bathroom.ID {
		t.Fatalf("Consents of the new scene = %+v, want the consent given on the old one", c)
	}
	if at, ok, err := s.CallTime(ctx, next.ID); err != nil || !ok || !at.Equal(t0.Add(72*time.Hour)) {
		t.Fatalf("CallTime of the new scene = %v, %v, %v", at, ok, err)
	}
	sg, err := s.SceneSafeguards(ctx, next.ID)
	if err != nil || len(sg.Guardians) != 1 || sg.Guardians[0].Name != "Mary Guardian" {
		t.Fatalf("SceneSafeguards of the new scene = %+v, %v", sg, err)
	}
	// A withdrawal on the new scene ends the consent given on the old.
	if err := s.WithdrawConsent(ctx, l.nora.Actor(), next.ID, l.noraP.ID, nil, false); err != nil {
		t.Fatal(err)
	}
	if c := consentOf(t, s, next.ID, l.noraP.ID); c.Withdrawal == nil || c.Withdrawal.SceneID != next.ID {
		t.Fatalf("after withdrawing on the new scene: %+v", c)
	}
	if c := consentOf(t, s, l.bathroom.ID, l.noraP.ID); c.Withdrawal == nil {
		t.Fatal("the old scene still shows the consent current")
	}

	_, err = s.CarryPlan(ctx, l.ic.Actor(), l.bathroom.ID, next.ID)
	wantKind(t, "carrying twice", err, closedset.Conflict)
	_, err = s.CarryPlan(ctx, l.ic.Actor(), next.ID, l.gallery.ID)
	wantKind(t, "carrying backward", err, closedset.Invalid)
	_, err = s.CarryPlan(ctx, l.ic.Actor(), l.gallery.ID, scenes2[10].ID)
	wantKind(t, "carrying a scene without a plan", err, closedset.NotFound)
}

func testSafeguards(t *testing.T, open Opener) {
	ctx := context.Background()
	s := open(t)
	l := newLedger(t, s)
	sg, err := s.SceneSafeguards(ctx, l.bathroom.ID)
	if err != nil || len(sg.Guardians) != 0 || sg.StudioTeacher != "" {
		t.Fatalf("SceneSafeguards before any = %+v, %v", sg, err)
	}
	for _, name := range []string{"Mary Guardian", "Mark Guardian"} {
		if err := s.NameGuardian(ctx, l.ic.Actor(), l.bathroom.ID, l.juneP.ID, name); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.NameStudioTeacher(ctx, l.ic.Actor(), l.bathroom.ID, "Sam Teacher"); err != nil {
		t.Fatal(err)
	}
	sg, err = s.SceneSafeguards(ctx, l.bathroom.ID)
	if err != nil || len(sg.Guardians) != 1 || sg.Guardians[0].Name != "Mark Guardian" || sg.Guardians[0].PerformerID != l.juneP.ID ||
		sg.StudioTeacher != "Sam Teacher" {
		t.Fatalf("SceneSafeguards = %+v, %v", sg, err)
	}
	wantKind(t, "an empty guardian", s.NameGuardian(ctx, l.ic.Actor(), l.bathroom.ID, l.juneP.ID, " "), closedset.Invalid)
	wantKind(t, "a guardian of a missing performer", s.NameGuardian(ctx, l.ic.Actor(), l.bathroom.ID, 999, "X"), closedset.NotFound)
	wantKind(t, "a studio teacher of a missing scene", s.NameStudioTeacher(ctx, l.ic.Actor(), 99999, "X"), closedset.NotFound)
}

func testLedgerEvents(t *testing.T, open Opener) {
	ctx := context.Background()
	s := open(t)
	l := newLedger(t, s)
	var (
		perf  production.Performer
		rider consent.Rider
	)
	steps := []struct {
		action string
		object func() string
		write  func() error
	}{
		{"performer.create", func() string { return audit.Object("performer", perf.ID) }, func() (err error) {
			perf, err = s.CreatePerformer(ctx, l.ic.Actor(), production.NewPerformer{ProductionID: l.p.ID, Name: "Extra", DateOfBirth: date("2000-01-01"), Characters: []string{"NORA"}})
			return err
		}},
		{"boundaries.put", func() string { return audit.Object("performer", perf.ID) }, func() error {
			_, err := s.PutBoundaries(ctx, l.ic.Actor(), perf.ID, []byte("sealed"))
			return err
		}},
		{"schedule.set", func() string { return audit.Object("scene", l.bathroom.ID) }, func() error {
			return s.SetCallTime(ctx, l.ic.Actor(), l.bathroom.ID, t0)
		}},
		{"plan.put", func() string { return audit.Object("scene", l.bathroom.ID) }, func() error {
			putPlan(t, s, l.ic, l.bathroom, "bath")
			return nil
		}},
		{"rider.issue", func() string { return audit.Object("rider", rider.ID) }, func() (err error) {
			rider, err = s.IssueRider(ctx, l.ic.Actor(), riderFor(t, s, perf, l.bathroom))
			return err
		}},
		{"rider.sign", func() string { return audit.Object("rider", rider.ID) }, func() error {
			_, _, err := s.SignRider(ctx, l.ic.Actor(), rider.ID, consent.Signature{UserID: l.ic.ID, TypedName: "Extra", Digest: rider.Digest})
			return err
		}},
		{"consent.reconfirm", func() string { return audit.Object("scene", l.bathroom.ID) }, func() error {
			plan, _ := s.Plan(ctx, l.bathroom.ID)
			_, err := s.ReconfirmConsent(ctx, l.ic.Actor(), l.bathroom.ID, perf.ID, plan.Hash, l.bathroom.TextHash)
			return err
		}},
		{"consent.withdraw", func() string { return audit.Object("scene", l.bathroom.ID) }, func() error {
			return s.WithdrawConsent(ctx, l.ic.Actor(), l.bathroom.ID, perf.ID, []byte("sealed"), true)
		}},
		{"safeguard.guardian", func() string { return audit.Object("scene", l.bathroom.ID) }, func() error {
			return s.NameGuardian(ctx, l.ic.Actor(), l.bathroom.ID, perf.ID, "G")
		}},
		{"safeguard.studio_teacher", func() string { return audit.Object("scene", l.bathroom.ID) }, func() error {
			return s.NameStudioTeacher(ctx, l.ic.Actor(), l.bathroom.ID, "T")
		}},
	}
	for i, st := range steps {
		before := len(events(t, s))
		if err := st.write(); err != nil {
			t.Fatalf("step %d (%s): %v", i+1, st.action, err)
		}
		ev := events(t, s)
		if len(ev) != before+1 {
			t.Fatalf("step %d (%s) appended %d events, want 1", i+1, st.action, len(ev)-before)
		}
		if e := ev[before]; e.Action != st.action || e.Object != st.object() || e.Actor != l.ic.Actor() {
			t.Fatalf("step %d: event %+v, want %s on %s", i+1, e, st.action, st.object())
		}
	}
	verify(t, s)
}

// testConcurrentSignAndWithdraw signs a second rider while the performer
// withdraws the first one's consent: both succeed in some order, the chain
// holds both, and the scene's state is the one the later write left.
func testConcurrentSignAndWithdraw(t *testing.T, open Opener) {
	ctx := context.Background()
	s := open(t)
	l := newLedger(t, s)
	putPlan(t, s, l.ic, l.bathroom, "bath")
	sign(t, s, l.nora, issue(t, s, l.ic, riderFor(t, s, l.noraP, l.bathroom)))
	for round := range 8 {
		second := issue(t, s, l.ic, riderFor(t, s, l.noraP, l.bathroom))
		before := len(events(t, s))
		var wg sync.WaitGroup
		errs := make(chan error, 2)
		wg.Add(2)
		go func() {
			defer wg.Done()
			_, _, err := s.SignRider(ctx, l.nora.Actor(), second.ID, consent.Signature{UserID: l.nora.ID, TypedName: "Nora Actor", Digest: second.Digest})
			errs <- err
		}()
		go func() {
			defer wg.Done()
			errs <- s.WithdrawConsent(ctx, l.nora.Actor(), l.bathroom.ID, l.noraP.ID, nil, false)
		}()
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatalf("round %d: %v", round, err)
			}
		}
		ev := events(t, s)[before:]
		if len(ev) != 2 && !(len(ev) == 1 && ev[0].Action == "rider.sign") {
			t.Fatalf("round %d: events %+v", round, ev)
		}
		c := consentOf(t, s, l.bathroom.ID, l.noraP.ID)
		withdrawnLast := ev[len(ev)-1].Action == "consent.withdraw"
		if (c.Withdrawal != nil) != withdrawnLast || c.RiderID != second.ID && !withdrawnLast {
			t.Fatalf("round %d: events %s then %s, consent %+v withdrawal %+v", round, ev[0].Action, ev[len(ev)-1].Action, c, c.Withdrawal)
		}
	}
	verify(t, s)
}

// testReconfirmNeverUndoesAWithdrawal: a re-confirmation written after a
// withdrawal (two requests interleaving) is refused and writes nothing:
// the withdrawal stays the latest word.
func testReconfirmNeverUndoesAWithdrawal(t *testing.T, open Opener) {
	ctx := context.Background()
	s := open(t)
	l := newLedger(t, s)
	pv := putPlan(t, s, l.ic, l.bathroom, "bath")
	sign(t, s, l.nora, issue(t, s, l.ic, riderFor(t, s, l.noraP, l.bathroom)))
	if err := s.WithdrawConsent(ctx, l.ic.Actor(), l.bathroom.ID, l.noraP.ID, nil, true); err != nil {
		t.Fatal(err)
	}
	n := len(events(t, s))
	_, err := s.ReconfirmConsent(ctx, l.nora.Actor(), l.bathroom.ID, l.noraP.ID, pv.Hash, l.bathroom.TextHash)
	wantKind(t, "re-confirming a withdrawn consent", err, closedset.Conflict)
	if len(events(t, s)) != n {
		t.Error("a refused re-confirmation recorded an event")
	}
	if c := consentOf(t, s, l.bathroom.ID, l.noraP.ID); c == nil || c.Withdrawal == nil {
		t.Fatalf("after the refused re-confirmation the consent is %+v, want withdrawn", c)
	}
}
