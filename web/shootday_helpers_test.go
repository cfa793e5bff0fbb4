package web

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sync/atomic"
	"testing"
	"time"

	"closedset/auth"
	"closedset/ops"
	"closedset/production"
)

// asAD is an AD's request in the world's production.
func (w *world) asAD() *request {
	return &request{User: w.users["ad"], ProductionID: w.prod.ID, Roles: auth.RolesOf(auth.AD)}
}

// shootWorld gives the world the shoot day's records: a costume request
// for the world scene, a shoot day holding it, and its closed-set list
// (written, not approved), so that every route on them has a record.
func (w *world) shootWorld(t testing.TB) {
	t.Helper()
	ctx := context.Background()
	var err error
	if w.request, err = w.srv.ops.RaiseRequest(ctx, w.asIC().caller(), production.NewRequest{SceneID: w.scene.ID, Department: auth.Costume,
		Text: "two nude thongs, size S", Due: w.clock.Now().Add(24 * time.Hour), PerformerID: w.performer.ID}); err != nil {
		t.Fatal(err)
	}
	if w.day, err = w.srv.ops.CreateShootDay(ctx, w.asAD().caller(), production.DateOf(w.clock.Now().AddDate(0, 0, 7)), []int64{w.scene.ID}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.srv.ops.PutClosedSet(ctx, w.asIC().caller(), w.scene.ID, worldClosedSet()); err != nil {
		t.Fatal(err)
	}
}

func worldClosedSet() production.ClosedSet {
	return production.ClosedSet{People: []production.ClosedSetPerson{{Name: "Ada Director", Role: "director", Where: "monitor"},
		{Name: "Bo Operator", Role: "camera operator", Where: "set"}}, Monitors: []production.Monitor{{Where: "video village"}}, RobePerson: "Cy Robe"}
}

// freshRequest raises a costume request to answer.
func freshRequest(t testing.TB, w *world) map[string]string {
	r, err := w.srv.ops.RaiseRequest(context.Background(), w.asIC().caller(), production.NewRequest{SceneID: w.scene.ID, Department: auth.Costume,
		Text: "a robe", Due: w.clock.Now().Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	return map[string]string{"id": itoa(r.ID)}
}

// dayCounter gives each new shoot day of a test its own date.
var dayCounter atomic.Int64

func nextDayDate() string {
	return time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, int(dayCounter.Add(1))).Format(time.DateOnly)
}

// shootMatrixRequests are the shoot day's valid requests, merged into
// matrixRequests.
var shootMatrixRequests = map[string]matrixRequest{
	"POST /api/v1/scenes/{id}/requests": {body: jsonRequest(map[string]any{"department": "costume", "text": "matrix garment", "due": "2026-03-05T07:00"})},
	"POST /api/v1/requests/{id}/state":  {fresh: freshRequest, body: jsonRequest(map[string]any{"state": "in_progress"})},
	"POST /api/v1/productions/{id}/shoot-days": {body: func(w *world) (io.Reader, string) {
		return jsonBody(map[string]any{"date": nextDayDate(), "scene_ids": []int64{w.scene.ID}}), ""
	}},
	"PUT /api/v1/shoot-days/{id}/scenes": {body: func(w *world) (io.Reader, string) {
		return jsonBody(map[string]any{"scene_ids": []int64{w.scene.ID}}), ""
	}},
	// Signing the report again unchanged answers the last version.
	"POST /api/v1/shoot-days/{id}/report/sign":    {body: jsonRequest(map[string]any{})},
	"PUT /api/v1/scenes/{id}/closed-set":          {body: jsonRequest(worldClosedSet())},
	"POST /api/v1/scenes/{id}/closed-set/approve": {},

	"POST /requests/{id}/state": {fresh: freshRequest, body: formRequest(func(*world) url.Values {
		return url.Values{"state": {"in_progress"}}
	})},
	"POST /scenes/{id}/requests": {body: formRequest(func(*world) url.Values {
		return url.Values{"department": {"props"}, "text": {"barrier cushion"}, "due": {"2026-03-05T07:00"}}
	})},
	"POST /scenes/{id}/closed-set": {body: formRequest(func(*world) url.Values {
		return url.Values{"people": {"Ada Director | director | monitor\nBo Operator | camera operator | set"}, "monitors": {"video village"}, "robe_person": {"Cy Robe"}}
	})},
	"POST /scenes/{id}/closed-set/approve": {body: formRequest(func(*world) url.Values { return url.Values{} })},
	"POST /productions/{id}/shoot-days": {body: formRequest(func(w *world) url.Values {
		return url.Values{"date": {nextDayDate()}, "scene": {itoa(w.scene.ID)}}
	})},
	"POST /shoot-days/{id}/scenes": {body: formRequest(func(w *world) url.Values {
		return url.Values{"scene": {itoa(w.scene.ID)}}
	})},
}

func init() {
	for k, v := range shootMatrixRequests {
		if _, dup := matrixRequests[k]; dup {
			panic(fmt.Sprintf("matrix request %s twice", k))
		}
		matrixRequests[k] = v
	}
}

// closeSet gives the scene an approved closed-set list, through the API:
// written by the IC, approved by the IC and the AD. With it the gate
// closed_set passes, and the tests of the consent gates read as before.
func (l *ledger) closeSet(number string) {
	l.t.Helper()
	l.json(call{method: "PUT", path: l.scenePath(number, "/closed-set"), cred: l.as("ic"), body: jsonBody(worldClosedSet())}, http.StatusOK, nil)
	for _, who := range []string{"ic", "ad"} {
		l.json(call{method: "POST", path: l.scenePath(number, "/closed-set/approve"), cred: l.as(who)}, http.StatusOK, nil)
	}
}

// closeTheSet is closeSet through the operations, for fixtures that seed
// the store: ic and ad are the production's IC and AD.
func closeTheSet(t testing.TB, o *ops.Ops, productionID, sceneID int64, ic, ad auth.User) {
	t.Helper()
	ctx := context.Background()
	asIC := ops.Caller{User: ic, ProductionID: productionID, Roles: auth.RolesOf(auth.IC)}
	if _, err := o.PutClosedSet(ctx, asIC, sceneID, worldClosedSet()); err != nil {
		t.Fatal(err)
	}
	for _, c := range []ops.Caller{asIC, {User: ad, ProductionID: productionID, Roles: auth.RolesOf(auth.AD)}} {
		if _, err := o.ApproveClosedSet(ctx, c, sceneID, 0); err != nil {
			t.Fatal(err)
		}
	}
}
