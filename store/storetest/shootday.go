package storetest

import (
	"context"
	"slices"
	"testing"
	"time"

	"closedset"
	"closedset/auth"
	"closedset/ops"
	"closedset/production"
)

// The shoot day's records (issue 13, part A): department requests and
// their states, shoot days and their scene lists, closed-set lists and
// their approvals.

func closedSetList(robe string) production.ClosedSet {
	yes := true
	return production.ClosedSet{People: []production.ClosedSetPerson{{Name: "Ada Director", Role: "director", Where: production.WhereMonitor}},
		Monitors: []production.Monitor{{Where: "video village"}}, NoPersonalDevices: &yes, RobePerson: robe}
}

func putClosedSet(t testing.TB, s ops.Store, by auth.User, sceneID int64, robe string) production.ClosedSetVersion {
	t.Helper()
	cs := closedSetList(robe)
	v, err := s.PutClosedSet(context.Background(), by.Actor(), sceneID, cs.Canonical(), cs.Hash())
	if err != nil {
		t.Fatalf("PutClosedSet: %v", err)
	}
	return v
}

// testRequestsKeepEveryState: a request starts open, each change of state
// is appended (the latest wins, the history keeps all), a change is
// checked against the state found in the transaction, and the lists read
// a scene's and a production's requests with their latest state.
func testRequestsKeepEveryState(t *testing.T, open Opener) {
	ctx := context.Background()
	s := open(t)
	l := newLedger(t, s)
	due := t0.Add(24 * time.Hour)
	r, err := s.CreateRequest(ctx, l.ic.Actor(), l.p.ID, production.NewRequest{SceneID: l.bathroom.ID, Department: auth.Costume,
		Text: "two nude thongs, size S", Due: due, PerformerID: l.noraP.ID})
	if err != nil {
		t.Fatal(err)
	}
	if r.State != production.RequestOpen || r.ProductionID != l.p.ID || !r.Due.Equal(due) || r.PerformerID != l.noraP.ID {
		t.Fatalf("a new request: %+v", r)
	}
	props, err := s.CreateRequest(ctx, l.ic.Actor(), l.p.ID, production.NewRequest{SceneID: l.gallery.ID, Department: auth.Props, Text: "barrier cushion", Due: due.Add(-time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range []struct {
		state production.RequestState
		note  string
	}{{production.RequestInProgress, ""}, {production.RequestDone, "fitted"}} {
		if _, err := s.SetRequestState(ctx, l.ic.Actor(), r.ID, st.state, st.note); err != nil {
			t.Fatal(err)
		}
	}
	_, err = s.SetRequestState(ctx, l.ic.Actor(), r.ID, production.RequestDone, "again")
	wantKind(t, "done twice", err, closedset.Conflict)
	_, err = s.SetRequestState(ctx, l.ic.Actor(), r.ID, production.RequestCantDo, "")
	wantKind(t, "can't do without why", err, closedset.Invalid)
	got, err := s.Request(ctx, r.ID)
	if err != nil || got.State != production.RequestDone || got.Note != "fitted" || got.Text != "two nude thongs, size S" {
		t.Fatalf("Request = %+v, %v", got, err)
	}
	h, err := s.RequestHistory(ctx, r.ID)
	if err != nil || len(h) != 3 || h[0].State != production.RequestOpen || h[2].State != production.RequestDone {
		t.Fatalf("RequestHistory = %+v, %v", h, err)
	}
	scene, err := s.SceneRequests(ctx, l.bathroom.ID)
	if err != nil || len(scene) != 1 || scene[0].ID != r.ID || scene[0].State != production.RequestDone {
		t.Fatalf("SceneRequests = %+v, %v", scene, err)
	}
	all, err := s.ProductionRequests(ctx, l.p.ID)
	if err != nil || len(all) != 2 || all[0].ID != props.ID { // by due time
		t.Fatalf("ProductionRequests = %+v, %v", all, err)
	}
	_, err = s.Request(ctx, 9999)
	wantKind(t, "a missing request", err, closedset.NotFound)
	_, err = s.CreateRequest(ctx, l.ic.Actor(), l.p.ID, production.NewRequest{SceneID: l.bathroom.ID, Department: auth.Producer, Text: "x", Due: due})
	wantKind(t, "a request to the producer", err, closedset.Invalid)
	other := addProduction(t, s, l.ic, "Other")
	_, err = s.CreateRequest(ctx, l.ic.Actor(), other.ID, production.NewRequest{SceneID: l.bathroom.ID, Department: auth.Props, Text: "x", Due: due})
	wantKind(t, "a request for another production's scene", err, closedset.NotFound)
}

// testShootDaysKeepTheirSceneLists: one day per date; a new scene list is
// a new version, the same list again records nothing; scenes must be the
// production's.
func testShootDaysKeepTheirSceneLists(t *testing.T, open Opener) {
	ctx := context.Background()
	s := open(t)
	l := newLedger(t, s)
	date := production.Date{Year: 2026, Month: 6, Day: 15}
	d, err := s.CreateShootDay(ctx, l.ic.Actor(), l.p.ID, date, []int64{l.gallery.ID, l.bathroom.ID})
	if err != nil {
		t.Fatal(err)
	}
	if d.Version != 1 || !slices.Equal(d.SceneIDs, []int64{l.gallery.ID, l.bathroom.ID}) || d.Date != date {
		t.Fatalf("a new day: %+v", d)
	}
	_, err = s.CreateShootDay(ctx, l.ic.Actor(), l.p.ID, date, nil)
	wantKind(t, "a second day on the date", err, closedset.Conflict)
	other := addProduction(t, s, l.ic, "Other")
	_, err = s.CreateShootDay(ctx, l.ic.Actor(), other.ID, date, []int64{l.bathroom.ID})
	wantKind(t, "another production's scene", err, closedset.Invalid)
	n := len(events(t, s))
	if same, err := s.SetShootDayScenes(ctx, l.ic.Actor(), d.ID, d.SceneIDs); err != nil || same.Version != 1 || len(events(t, s)) != n {
		t.Fatalf("the same list again: %+v, %v; %d events, want %d", same, err, len(events(t, s)), n)
	}
	d2, err := s.SetShootDayScenes(ctx, l.ic.Actor(), d.ID, []int64{l.bathroom.ID})
	if err != nil || d2.Version != 2 {
		t.Fatalf("a new list: %+v, %v", d2, err)
	}
	empty, err := s.SetShootDayScenes(ctx, l.ic.Actor(), d.ID, nil)
	if err != nil || empty.Version != 3 || len(empty.SceneIDs) != 0 {
		t.Fatalf("an empty list: %+v, %v", empty, err)
	}
	later, err := s.CreateShootDay(ctx, l.ic.Actor(), l.p.ID, production.Date{Year: 2026, Month: 6, Day: 16}, []int64{l.bathroom.ID})
	if err != nil {
		t.Fatal(err)
	}
	days, err := s.ShootDays(ctx, l.p.ID)
	if err != nil || len(days) != 2 || days[0].ID != d.ID || len(days[0].SceneIDs) != 0 || days[1].ID != later.ID || !slices.Equal(days[1].SceneIDs, []int64{l.bathroom.ID}) {
		t.Fatalf("ShootDays = %+v, %v", days, err)
	}
	got, err := s.ShootDay(ctx, later.ID)
	if err != nil || got.ProductionID != l.p.ID {
		t.Fatalf("ShootDay = %+v, %v", got, err)
	}
	_, err = s.ShootDay(ctx, 9999)
	wantKind(t, "a missing day", err, closedset.NotFound)
}

// testClosedSetApprovals: each change of a list is a new version; an IC's
// and an AD's approvals are of one version, once each; approving an older
// version is a conflict; the list follows its scene into the next draft,
// and so do its requests.
func testClosedSetApprovals(t *testing.T, open Opener) {
	ctx := context.Background()
	s := open(t)
	l := newLedger(t, s)
	ad := addUser(t, s, "ad@example.com", "Al AD")
	if _, err := s.AddMember(ctx, l.ic.Actor(), l.p.ID, ad.ID, auth.AD); err != nil {
		t.Fatal(err)
	}
	_, err := s.ClosedSet(ctx, l.bathroom.ID)
	wantKind(t, "no list yet", err, closedset.NotFound)
	_, err = s.ApproveClosedSet(ctx, l.ic.Actor(), l.bathroom.ID, 1, auth.IC)
	wantKind(t, "approving no list", err, closedset.NotFound)
	v1 := putClosedSet(t, s, l.ic, l.bathroom.ID, "Cy Robe")
	if v1.Version != 1 {
		t.Fatalf("first version: %+v", v1)
	}
	n := len(events(t, s))
	if again := putClosedSet(t, s, l.ic, l.bathroom.ID, "Cy Robe"); again.Version != 1 || len(events(t, s)) != n {
		t.Fatalf("the same list again: version %d, %d events (was %d)", again.Version, len(events(t, s)), n)
	}
	if _, err := s.ApproveClosedSet(ctx, l.ic.Actor(), l.bathroom.ID, 1, auth.IC); err != nil {
		t.Fatal(err)
	}
	n = len(events(t, s))
	if v, err := s.ApproveClosedSet(ctx, l.ic.Actor(), l.bathroom.ID, 1, auth.IC); err != nil || len(v.Approvals) != 1 || len(events(t, s)) != n {
		t.Fatalf("approving twice: %+v, %v", v, err)
	}
	v, err := s.ApproveClosedSet(ctx, ad.Actor(), l.bathroom.ID, 1, auth.AD)
	if err != nil || !v.Approved() || v.Approvals[1].ByName != "Al AD" {
		t.Fatalf("approved by both: %+v, %v", v, err)
	}
	_, err = s.ApproveClosedSet(ctx, ad.Actor(), l.bathroom.ID, 1, auth.Producer)
	wantKind(t, "a producer's approval", err, closedset.Invalid)
	v2 := putClosedSet(t, s, l.ic, l.bathroom.ID, "Dee Robe")
	if v2.Version != 2 || v2.Approved() || len(v2.Approvals) != 0 {
		t.Fatalf("a changed list: %+v", v2)
	}
	_, err = s.ApproveClosedSet(ctx, ad.Actor(), l.bathroom.ID, 1, auth.AD)
	wantKind(t, "approving the old version", err, closedset.Conflict)
	got, err := s.ClosedSet(ctx, l.bathroom.ID)
	if err != nil || got.Version != 2 || got.List.RobePerson != "Dee Robe" || got.Approved() {
		t.Fatalf("ClosedSet = %+v, %v", got, err)
	}

	// The next draft: the scene's list and requests follow it.
	if _, err := s.CreateRequest(ctx, l.ic.Actor(), l.p.ID, production.NewRequest{SceneID: l.bathroom.ID, Department: auth.HMU, Text: "body makeup", Due: t0}); err != nil {
		t.Fatal(err)
	}
	putPlan(t, s, l.ic, l.bathroom, "bath")
	rev2, err := s.AddRevision(ctx, l.ic.Actor(), NewRevision(harborRevised(t), l.p.ID, l.rev.ScriptID))
	if err != nil {
		t.Fatal(err)
	}
	scenes2, err := s.Scenes(ctx, rev2.ID)
	if err != nil {
		t.Fatal(err)
	}
	next := scenes2[9]
	if _, err := s.CarryPlan(ctx, l.ic.Actor(), l.bathroom.ID, next.ID); err != nil {
		t.Fatal(err)
	}
	carried, err := s.ClosedSet(ctx, next.ID)
	if err != nil || carried.Version != 2 || carried.SceneID != l.bathroom.ID {
		t.Fatalf("the list of the next draft's scene: %+v, %v", carried, err)
	}
	if v3 := putClosedSet(t, s, l.ic, next.ID, "Eve Robe"); v3.Version != 3 || v3.SceneID != next.ID {
		t.Fatalf("a change on the next draft: %+v", v3)
	}
	if rs, err := s.SceneRequests(ctx, next.ID); err != nil || len(rs) != 1 || rs[0].Department != auth.HMU {
		t.Fatalf("the next draft's requests: %+v, %v", rs, err)
	}
	// Every version of the lineage, oldest first, each with its own
	// approvals: what the end-of-day report measures compliance against.
	vs, err := s.ClosedSetVersions(ctx, next.ID)
	if err != nil || len(vs) != 3 {
		t.Fatalf("ClosedSetVersions = %+v, %v", vs, err)
	}
	if vs[0].Version != 1 || !vs[0].Approved() || vs[0].Approvals[0].At.After(vs[0].Approvals[1].At) || vs[1].Version != 2 || len(vs[1].Approvals) != 0 ||
		vs[2].Version != 3 || vs[2].List.RobePerson != "Eve Robe" {
		t.Fatalf("ClosedSetVersions = %+v", vs)
	}
	if none, err := s.ClosedSetVersions(ctx, l.gallery.ID); err != nil || len(none) != 0 {
		t.Fatalf("ClosedSetVersions of a scene with no list = %+v, %v", none, err)
	}
}
