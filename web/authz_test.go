package web

import (
	"bytes"
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"closedset/auth"
	"closedset/consent"
	"closedset/credentials"
	"closedset/ops"
	"closedset/production"
	"closedset/shoot"
)

// world is a seeded production: one member for each production role, an
// admin and a stranger, a script with two revisions, a flagged scene.
type world struct {
	*env
	users  map[string]auth.User // by principal name: a role, "admin", "stranger"
	tokens map[string]string
	target auth.User // a user members are added and removed as
	prod   production.Production
	rev1   production.Revision
	rev2   production.Revision
	scene  production.Scene // a flagged scene of rev2
	flag   production.Flag
	// The consent ledger (castWorld): the performer user's record,
	// playing a character of scene, and two riders to it.
	performer   production.Performer
	rider       consent.Rider // unsigned
	signedRider consent.Rider // signed: a consent to scene
	// take is a take logged on scene (the shoot day), by withTake.
	take shoot.Take
	// An invitation of the production, pending, and its link's token.
	invitation production.Invitation
	inviteLink string
	// spareToken is a second API token of the IC's, to revoke without
	// signing them out (w.tokens["ic"] stays).
	spareToken auth.Token
	// calendar is a calendar feed of the IC's and calendarToken its URL's
	// secret.
	calendar      auth.Token
	calendarToken string
	// The shoot day (shootWorld): a costume request for the scene and a
	// day holding it; the scene has a closed-set list too.
	request production.Request
	day     production.Day
	// proof is a proof file of the IC's, shared with the production
	// (certifyICOfRecord).
	proof credentials.ProofFile
}

func newWorld(t testing.TB, edit ...func(*testConfig)) *world {
	t.Helper()
	ctx := context.Background()
	w := &world{env: newEnv(t, edit...), users: map[string]auth.User{}, tokens: map[string]string{}}
	for _, r := range auth.ProductionRoles() {
		w.users[string(r)] = w.user(string(r)+"@example.org", "The "+string(r), false)
	}
	w.users["admin"] = w.user("admin@example.org", "The admin", true)
	w.users["trainer"] = w.trainer(t, "trainer@example.org", "The trainer")
	w.users["stranger"] = w.user("stranger@example.org", "A stranger", false)
	w.target = w.user("target@example.org", "Target", false)
	for name, u := range w.users {
		w.tokens[name] = w.token(u)
	}
	w.spareToken = w.ownToken(t, w.users["ic"])
	if cal, token, err := w.srv.ops.CreateCalendarFeed(ctx, ops.Caller{User: w.users["ic"]}, "matrix", rand.Reader); err != nil {
		t.Fatal(err)
	} else {
		w.calendar, w.calendarToken = cal, token
	}
	producer := w.users["producer"]
	var err error
	w.prod, err = w.st.CreateProduction(ctx, producer.Actor(), production.NewProduction{Title: "Harbor Lights", Policy: "sag_aftra", TimeZone: "Europe/London"})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range auth.ProductionRoles() {
		if r != auth.Producer {
			if _, err := w.st.AddMember(ctx, producer.Actor(), w.prod.ID, w.users[string(r)].ID, r); err != nil {
				t.Fatal(err)
			}
		}
	}
	ic := w.users["ic"]
	w.rev1 = w.addRevision(ic, w.prod.ID, 0, "../screenplay/testdata/twins/harbor.fountain")
	w.rev2 = w.addRevision(ic, w.prod.ID, w.rev1.ScriptID, "testdata/harbor-v2.fountain")
	scenes, err := w.st.Scenes(ctx, w.rev2.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, sc := range scenes {
		if len(sc.Flags) > 0 {
			w.scene, w.flag = sc, sc.Flags[0]
			break
		}
	}
	if w.flag.ID == 0 {
		t.Fatal("no flagged scene in harbor-v2")
	}
	w.castWorld(t)
	w.shootWorld(t)
	w.certifyICOfRecord(t)
	got, err := w.srv.ops.Invite(ctx, w.asIC().caller(), "invitee@example.org", auth.Camera, w.srv.rand)
	if err != nil || got.Invitation == nil {
		t.Fatalf("inviting: %+v, %v", got, err)
	}
	w.invitation, w.inviteLink = *got.Invitation, got.Token
	return w
}

// principals are everyone the matrix asks as: each production role, the
// admin, a signed-in stranger, and no one.
func principals() []string {
	var out []string
	for _, r := range auth.ProductionRoles() {
		out = append(out, string(r))
	}
	return append(out, "admin", "trainer", "stranger", "anonymous")
}

// matrixRequest is what a route needs beyond its path to be a valid
// request: a path suffix (for a prefix pattern), a query, a body with its
// Content-Type ("" for JSON), and something to set up before each request.
type matrixRequest struct {
	suffix string
	query  string
	body   func(w *world) (body io.Reader, contentType string)
	before func(t testing.TB, w *world)
	// fresh, when set, gives the path values of each cell: a record made
	// for it, for routes that use their record up (a performer removed).
	fresh func(t testing.TB, w *world) map[string]string
	// freshFor is fresh with the principal of the cell, for records of
	// their own (a token to revoke).
	freshFor func(t testing.TB, w *world, who string) map[string]string
	// bodyFor is body with the principal of the cell.
	bodyFor func(t testing.TB, w *world, who string) (body io.Reader, contentType string)
}

// freshOwnInvitation invites the cell's principal (the target, for no
// one) to a production of its own, so that joining changes nothing the
// other routes rely on, and returns the link's token.
func freshOwnInvitation(t testing.TB, w *world, who string) map[string]string {
	ctx := context.Background()
	u, ok := w.users[who]
	if !ok {
		u = w.target
	}
	producer := w.users["producer"]
	p, err := w.st.CreateProduction(ctx, producer.Actor(), production.NewProduction{Title: "Joined", Policy: "sag_aftra", TimeZone: "UTC"})
	if err != nil {
		t.Fatal(err)
	}
	token, hash, err := auth.NewInvitationToken(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.st.CreateInvitation(ctx, producer.Actor(), production.NewInvitation{ProductionID: p.ID, Email: u.Email, Role: auth.Props,
		Hash: hash, Expires: w.clock.Now().Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	return map[string]string{"token": token}
}

// ownToken makes a spare API token of u's, directly in the store.
func (w *world) ownToken(t testing.TB, u auth.User) auth.Token {
	_, hash, err := auth.NewToken(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := w.st.CreateToken(context.Background(), u.Actor(), auth.TokenRecord{UserID: u.ID, Name: "spare", Hash: hash})
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// freshOwnToken makes a token of the cell's principal to revoke (the
// target's for the anonymous, who are refused before any lookup).
func freshOwnToken(t testing.TB, w *world, who string) map[string]string {
	u, ok := w.users[who]
	if !ok {
		u = w.target
	}
	return map[string]string{"id": itoa(w.ownToken(t, u).ID)}
}

// freshOwnCalendar makes a calendar feed of the cell's principal to
// revoke (the target's for the anonymous).
func freshOwnCalendar(t testing.TB, w *world, who string) map[string]string {
	u, ok := w.users[who]
	if !ok {
		u = w.target
	}
	c, _, err := w.srv.ops.CreateCalendarFeed(context.Background(), ops.Caller{User: u}, "spare", rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return map[string]string{"id": itoa(c.ID)}
}

// freshPerformer adds a performer to remove.
func freshPerformer(t testing.TB, w *world) map[string]string {
	p, err := w.srv.createPerformer(context.Background(), w.asIC(), performerIn{Name: "Matrix Leaver", DateOfBirth: "1990-01-01", Characters: []string{"LEAVER"}})
	if err != nil {
		t.Fatal(err)
	}
	return map[string]string{"id": itoa(p.ID)}
}

// performerAsIs is the world performer's record as it is: editing it so
// changes nothing the other routes rely on.
func performerAsIs(w *world) performerIn {
	p := w.performer
	return performerIn{Name: p.Name, Email: p.Email, DateOfBirth: p.DateOfBirth.String(), Characters: p.Characters}
}

func jsonRequest(v any) func(*world) (io.Reader, string) {
	return func(*world) (io.Reader, string) { return jsonBody(v), "" }
}

func formRequest(f func(w *world) url.Values) func(*world) (io.Reader, string) {
	return func(w *world) (io.Reader, string) {
		return strings.NewReader(f(w).Encode()), "application/x-www-form-urlencoded"
	}
}

// uploadForm is the pages' upload form with a small script.
func uploadForm(*world) (io.Reader, string) {
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	mw.WriteField("script", "new")
	fw, _ := mw.CreateFormFile("file", "small.fountain")
	io.WriteString(fw, fountain)
	mw.Close()
	return &b, mw.FormDataContentType()
}

// readdTarget makes the target a props member again, for routes that
// remove them.
func readdTarget(t testing.TB, w *world) {
	if _, err := w.st.AddMember(context.Background(), w.users["producer"].Actor(), w.prod.ID, w.target.ID, auth.Props); err != nil {
		t.Fatal(err)
	}
}

// matrixRequests holds a valid request for every route that is not a
// plain GET, API and pages alike. A route missing here fails
// TestAuthorizationMatrix.
var matrixRequests = map[string]matrixRequest{
	// The API.
	"POST /api/v1/session":                              {body: jsonRequest(map[string]string{"email": "ic@example.org", "password": testPassword})},
	"DELETE /api/v1/session":                            {},
	"POST /api/v1/tokens":                               {body: jsonRequest(map[string]any{"name": "matrix", "expires_in_days": 30})},
	"DELETE /api/v1/tokens/{id}":                        {freshFor: freshOwnToken},
	"POST /api/v1/productions":                          {body: jsonRequest(map[string]string{"title": "Matrix", "policy": "sag_aftra"})},
	"POST /api/v1/productions/{id}/members":             {body: jsonRequest(map[string]string{"email": "target@example.org", "role": "props"})},
	"DELETE /api/v1/productions/{id}/members/{user_id}": {query: "?role=props", before: readdTarget},
	"POST /api/v1/productions/{id}/scripts": {query: "?filename=small.fountain",
		body: func(*world) (io.Reader, string) { return strReader(fountain), "text/plain" }},
	"POST /api/v1/flags/{id}/review":           {body: jsonRequest(map[string]string{"decision": "confirmed", "note": "matrix"})},
	"POST /api/v1/productions/{id}/performers": {body: jsonRequest(map[string]any{"name": "Matrix Extra", "date_of_birth": "1990-01-01", "characters": []string{"EXTRA"}})},
	"PUT /api/v1/performers/{id}/boundaries":   {body: jsonRequest(map[string]any{"touch": []any{}, "no_touch": []string{"face"}, "exposure": []any{}, "garments": []string{}, "notes": "matrix"})},
	"PUT /api/v1/scenes/{id}/schedule":         {body: jsonRequest(map[string]string{"call_time": "2026-04-01T07:00"})},
	"PUT /api/v1/productions/{id}/policy":      {body: jsonRequest(map[string]any{"notice_hours": 72})},
	"PUT /api/v1/scenes/{id}/plan": {body: func(w *world) (io.Reader, string) {
		return jsonBody(simplePlan(w.performer.ID, "World plan")), ""
	}},
	"POST /api/v1/productions/{id}/performers/{pid}/riders": {},
	// Only the performer may sign, once: the one allowed cell signs.
	"POST /api/v1/riders/{id}/sign": {body: func(w *world) (io.Reader, string) {
		return jsonBody(map[string]any{"typed_name": w.performer.Name, "agree": true}), ""
	}},
	// Withdrawing what is withdrawn changes nothing: every allowed cell
	// succeeds on the world's signed rider's consent.
	"POST /api/v1/scenes/{id}/consents/withdraw": {body: func(w *world) (io.Reader, string) {
		return jsonBody(map[string]any{"performer_id": w.performer.ID, "reason": "matrix"}), ""
	}},
	// A fresh signature before each cell: re-confirming a current consent
	// changes nothing.
	"POST /api/v1/scenes/{id}/consents/reconfirm": {before: func(t testing.TB, w *world) { w.issueAndSign(t) },
		body: func(w *world) (io.Reader, string) {
			return jsonBody(map[string]any{"performer_id": w.performer.ID}), ""
		}},
	// Keeping the performer in the scene: the choice leaves the world as
	// it was for the next cell.
	"POST /api/v1/scenes/{id}/cast": {body: func(w *world) (io.Reader, string) {
		return jsonBody(map[string]any{"performer_id": w.performer.ID, "in": true}), ""
	}},
	"PUT /api/v1/scenes/{id}/safeguards": {body: func(w *world) (io.Reader, string) {
		return jsonBody(map[string]any{"guardians": []any{map[string]any{"performer_id": w.performer.ID, "name": "Matrix Guardian"}}, "studio_teacher": "Matrix Teacher"}), ""
	}},

	// People (issue 11).
	"PUT /api/v1/productions/{id}/members/{user_id}": {before: readdTarget, body: jsonRequest(map[string]any{"roles": []string{"props"}})},
	"POST /api/v1/productions/{id}/invitations":      {body: jsonRequest(map[string]string{"email": "newcomer@example.org", "role": "props"})},
	"POST /api/v1/invitations/accept": {bodyFor: func(t testing.TB, w *world, who string) (io.Reader, string) {
		return jsonBody(freshOwnInvitation(t, w, who)), ""
	}},
	"POST /invitations/{token}/join":                              {freshFor: freshOwnInvitation},
	"DELETE /api/v1/productions/{id}/invitations/{invitation_id}": {},
	"PUT /api/v1/performers/{id}":                                 {body: func(w *world) (io.Reader, string) { return jsonBody(performerAsIs(w)), "" }},
	"DELETE /api/v1/performers/{id}":                              {fresh: freshPerformer},
	"POST /api/v1/users":                                          {body: jsonRequest(map[string]any{"email": "made@example.org", "name": "Made by the admin"})},
	"POST /api/v1/users/{user_id}/disable":                        {},
	"POST /api/v1/users/{user_id}/enable":                         {},
	"POST /api/v1/users/{user_id}/reset":                          {},
	"POST /productions/{id}/invitations/{invitation_id}/revoke":   {},
	"POST /invitations/{token}": {body: formRequest(func(*world) url.Values {
		return url.Values{"name": {"Invited Person"}, "password": {testPassword}, "password2": {testPassword}}
	})},
	"POST /productions/{id}/members/{user_id}": {before: readdTarget, body: formRequest(func(*world) url.Values {
		return url.Values{"role": {"props"}}
	})},
	"POST /performers/{id}/edit": {body: formRequest(func(w *world) url.Values {
		in := performerAsIs(w)
		return url.Values{"name": {in.Name}, "email": {in.Email}, "date_of_birth": {in.DateOfBirth}, "characters": {strings.Join(in.Characters, ", ")}}
	})},
	"POST /performers/{id}/remove": {fresh: freshPerformer},
	"POST /admin/users": {body: formRequest(func(*world) url.Values {
		return url.Values{"email": {"made-on-page@example.org"}, "name": {"Made on the page"}}
	})},
	"POST /admin/users/{user_id}/disable": {},
	"POST /admin/users/{user_id}/enable":  {},
	"POST /admin/users/{user_id}/reset":   {},
	"POST /account/tokens/{id}/revoke":    {freshFor: freshOwnToken},
	"POST /account/calendars": {body: formRequest(func(*world) url.Values {
		return url.Values{"name": {"Matrix phone"}}
	})},
	"POST /account/calendars/{id}/revoke": {freshFor: freshOwnCalendar},
	// Alerts (issue 17): each user's own choice of channels.
	"POST /account/alerts":  {body: formRequest(func(*world) url.Values { return url.Values{"email": {"on"}} })},
	"PUT /api/v1/me/alerts": {body: jsonRequest(map[string]bool{"email": true, "push": false})},
	"POST /api/v1/me/push-subscriptions": {body: jsonRequest(map[string]any{"endpoint": "https://push.example/send/matrix",
		"keys": map[string]string{"p256dh": "BMatrixKey", "auth": "matrixauth"}})},

	// The pages.
	"GET /static/": {suffix: "app.css"},
	"POST /signin": {body: formRequest(func(*world) url.Values {
		return url.Values{"email": {"ic@example.org"}, "password": {testPassword}}
	})},
	"POST /signout": {},
	"POST /productions": {body: formRequest(func(*world) url.Values {
		return url.Values{"title": {"Matrix"}, "policy": {"sag_aftra"}}
	})},
	"POST /productions/{id}/members": {body: formRequest(func(*world) url.Values {
		return url.Values{"email": {"target@example.org"}, "role": {"props"}}
	})},
	"POST /productions/{id}/policy": {body: formRequest(func(*world) url.Values {
		return url.Values{"notice_hours": {"72"}, "studio_teacher_under": {"16"}, "barriers_for_simulated_sex": {"on"},
			"guardian_for_minors": {"on"}, "pause_word": {"hold"}}
	})},
	"POST /productions/{id}/scripts": {body: uploadForm},
	"POST /flags/{id}/review": {body: formRequest(func(*world) url.Values {
		return url.Values{"decision": {"confirmed"}, "note": {"matrix"}}
	})},

	// --- The consent pages (branch web-consent-pages). ---
	"POST /productions/{id}/performers": {body: formRequest(func(*world) url.Values {
		return url.Values{"name": {"Matrix Extra"}, "date_of_birth": {"1990-01-01"}, "characters": {"EXTRA"}}
	})},
	"POST /performers/{id}/boundaries": {body: formRequest(func(*world) url.Values {
		return url.Values{"notouch": {"face"}, "notes": {"matrix"}}
	})},
	"POST /performers/{id}/riders": {},
	// Only the performer signs, once: later cells get the form again
	// with a 409, which is no denial.
	"POST /riders/{id}/sign": {body: formRequest(func(w *world) url.Values {
		return url.Values{"typed_name": {w.performer.Name}, "agree": {"on"}}
	})},
	"POST /scenes/{id}/plan": {body: formRequest(func(w *world) url.Values {
		k := "p" + itoa(w.performer.ID) + "-"
		return url.Values{"description": {"Matrix plan"}, k + "in": {"on"}, k + "level": {"none"},
			k + "content": {"kissing"}, k + "contact": {"kissing: lips"}, "barriers": {"barrier cushion"}}
	})},
	"POST /scenes/{id}/schedule": {body: formRequest(func(*world) url.Values {
		return url.Values{"call_time": {"2026-04-01T07:00"}}
	})},
	"POST /scenes/{id}/safeguards": {body: formRequest(func(w *world) url.Values {
		return url.Values{"guardian-" + itoa(w.performer.ID): {"Matrix Guardian"}, "studio_teacher": {"Matrix Teacher"}}
	})},
	"POST /scenes/{id}/cast": {body: formRequest(func(w *world) url.Values {
		return url.Values{"performer_id": {itoa(w.performer.ID)}, "in": {"1"}}
	})},
	"POST /scenes/{id}/consents/withdraw": {body: formRequest(func(w *world) url.Values {
		return url.Values{"performer_id": {itoa(w.performer.ID)}, "reason": {"matrix"}}
	})},
	"POST /scenes/{id}/consents/reconfirm": {before: func(t testing.TB, w *world) { w.issueAndSign(t) },
		body: formRequest(func(w *world) url.Values {
			return url.Values{"performer_id": {itoa(w.performer.ID)}}
		})},
	// --- End of the consent pages. ---

	// The shoot day (issue 13, part B).
	"POST /api/v1/scenes/{id}/rehearsals": {body: func(w *world) (io.Reader, string) {
		return jsonBody(map[string]any{"performers": []int64{w.performer.ID}, "others": []any{map[string]string{"name": "Matrix Director", "role": "director"}}, "walked": "matrix"}), ""
	}},
	// The scene made ready again before each cell: an earlier route may
	// have withdrawn or paused it.
	"POST /api/v1/scenes/{id}/takes":  {before: func(t testing.TB, w *world) { w.makeReady(t) }, body: jsonRequest(map[string]any{})},
	"POST /api/v1/scenes/{id}/resume": {},
	// A fresh take each cell: a yes counts only on the latest one.
	"POST /api/v1/takes/{id}/check-ins": {fresh: func(t testing.TB, w *world) map[string]string {
		return map[string]string{"id": itoa(w.latestTake(t).ID)}
	},
		body: func(w *world) (io.Reader, string) {
			return jsonBody(map[string]any{"performer_id": w.performer.ID, "answer": "yes"}), ""
		}},
	"POST /api/v1/takes/{id}/deviations": {body: func(w *world) (io.Reader, string) {
		return jsonBody(map[string]any{"text": "matrix", "agreed_by": []int64{w.performer.ID}}), ""
	}},
	"POST /api/v1/scenes/{id}/step-outs": {body: func(w *world) (io.Reader, string) {
		return jsonBody(map[string]any{"performer_id": w.performer.ID}), ""
	}},
	"POST /api/v1/scenes/{id}/debriefs": {body: func(w *world) (io.Reader, string) {
		return jsonBody(map[string]any{"performer_id": w.performer.ID, "notes": "matrix", "follow_up_offered": true}), ""
	}},
	"POST /api/v1/scenes/{id}/crew-debriefs": {body: jsonRequest(map[string]any{"held_by": "Matrix IC", "notes": "matrix"})},
	"POST /scenes/{id}/takes":                {before: func(t testing.TB, w *world) { w.makeReady(t) }},
	"POST /scenes/{id}/resume":               {},
	"POST /scenes/{id}/check-ins": {before: func(t testing.TB, w *world) { w.take = w.latestTake(t) },
		body: formRequest(func(w *world) url.Values {
			return url.Values{"take_id": {itoa(w.take.ID)}, "performer_id": {itoa(w.performer.ID)}, "answer": {"yes"}}
		})},
	"POST /scenes/{id}/deviations": {before: func(t testing.TB, w *world) { w.take = w.latestTake(t) },
		body: formRequest(func(w *world) url.Values {
			return url.Values{"take_id": {itoa(w.take.ID)}, "text": {"matrix"}, "agreed_by": {itoa(w.performer.ID)}}
		})},
	"POST /scenes/{id}/debriefs": {body: formRequest(func(w *world) url.Values {
		return url.Values{"performer_id": {itoa(w.performer.ID)}, "notes": {"matrix"}, "follow_up_offered": {"on"}}
	})},
	"POST /scenes/{id}/rehearsals": {body: formRequest(func(w *world) url.Values {
		return url.Values{"performer": {itoa(w.performer.ID)}, "others": {"Matrix Director | director"}, "walked": {"matrix"}}
	})},
	"POST /scenes/{id}/step-outs": {body: formRequest(func(w *world) url.Values {
		return url.Values{"performer_id": {itoa(w.performer.ID)}}
	})},
	"POST /scenes/{id}/crew-debriefs": {body: formRequest(func(*world) url.Values {
		return url.Values{"held_by": {"Matrix IC"}, "held_at": {"2026-03-03T18:00"}, "notes": {"matrix"}}
	})},
	"POST /shoot-days/{id}/report/sign": {body: formRequest(func(*world) url.Values { return url.Values{} })},

	// The IC's own record (issue 16). Keeping the IC's profile as it is
	// leaves them IC of record for the next cell.
	"PUT /api/v1/me/ic-profile": {body: func(w *world) (io.Reader, string) {
		return jsonBody(currentProfile(production.DateOf(w.srv.ops.Now().UTC()))), ""
	}},
	"POST /api/v1/me/proofs": {query: "?name=matrix.txt", body: func(*world) (io.Reader, string) {
		return strReader("A matrix proof.\n"), "text/plain"
	}},
	// Only the trainer signs off, once; later cells are refused before.
	"POST /api/v1/users/{user_id}/pathway/signoffs": {body: jsonRequest(map[string]string{"stage": "module_1", "note": "matrix"})},
	"PUT /api/v1/users/{user_id}/trainer":           {body: jsonRequest(map[string]bool{"trainer": false})},
	"PUT /api/v1/productions/{id}/ic-of-record": {body: func(w *world) (io.Reader, string) {
		return jsonBody(map[string]int64{"user_id": w.users["ic"].ID}), ""
	}},
	"PUT /api/v1/productions/{id}/proof-share": {body: jsonRequest(map[string]bool{"shared": true})},
	"POST /credentials": {body: formRequest(func(w *world) url.Values {
		year := credentials.AddYears(production.DateOf(w.srv.ops.Now().UTC()), -1)
		return url.Values{"section": {"certification"}, "body": {"Matrix body"}, "issued_on": {year.String()}}
	})},
	"POST /credentials/proofs": {body: proofForm},
	"POST /trainer/users/{user_id}/signoffs": {body: formRequest(func(*world) url.Values {
		return url.Values{"stage": {"module_1"}, "note": {"matrix"}}
	})},
	"POST /productions/{id}/ic-of-record": {body: formRequest(func(w *world) url.Values {
		return url.Values{"user_id": {itoa(w.users["ic"].ID)}}
	})},
	"POST /productions/{id}/proof-share": {body: formRequest(func(*world) url.Values { return url.Values{"shared": {"1"}} })},

	// Scheduling in (issue 17): the world's scene on the day it is on
	// already, at a call time, so the day keeps its scenes for the next
	// cell.
	"POST /api/v1/productions/{id}/schedule": {body: func(w *world) (io.Reader, string) {
		return strReader(worldSchedule(w)), "text/csv"
	}},
	"POST /productions/{id}/schedule": {body: func(w *world) (io.Reader, string) {
		var b bytes.Buffer
		mw := multipart.NewWriter(&b)
		fw, _ := mw.CreateFormFile("file", "schedule.csv")
		io.WriteString(fw, worldSchedule(w))
		mw.Close()
		return &b, mw.FormDataContentType()
	}},
}

// worldSchedule is a schedule CSV that puts the world's scene on the
// world's day at 07:00.
func worldSchedule(w *world) string {
	return "Scene,Date,Call\r\n" + w.scene.Number + "," + w.day.Date.String() + ",07:00\r\n"
}

// proofForm is the credentials page's upload form with a small text proof.
func proofForm(*world) (io.Reader, string) {
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	fw, _ := mw.CreateFormFile("file", "proof.txt")
	io.WriteString(fw, "A proof of training.\n")
	mw.Close()
	return &b, mw.FormDataContentType()
}

var pathParam = regexp.MustCompile(`\{([a-z_]+)\}`)

// pathValues fills a route's path parameters from the world, by the
// segment before each: /productions/{id} is the production, and so on.
func (w *world) pathValues(path string) (map[string]string, error) {
	vals := map[string]string{}
	segs := strings.Split(path, "/")
	for i, seg := range segs {
		m := pathParam.FindStringSubmatch(seg)
		if m == nil {
			continue
		}
		var id int64
		switch segs[i-1] {
		case "productions":
			id = w.prod.ID
		case "revisions":
			id = w.rev2.ID
		case "scenes":
			id = w.scene.ID
		case "flags":
			id = w.flag.ID
		case "members":
			id = w.target.ID
		case "scripts":
			id = w.rev2.ScriptID
		case "performers":
			id = w.performer.ID
		case "riders":
			id = w.rider.ID
		case "invitations":
			if m[1] == "token" {
				vals[m[1]] = w.inviteLink
				continue
			}
			id = w.invitation.ID
		case "users":
			id = w.target.ID
		case "tokens":
			id = w.spareToken.ID
		case "calendars":
			if m[1] == "token" {
				vals[m[1]] = w.calendarToken + ".ics"
				continue
			}
			id = w.calendar.ID
		case "requests":
			id = w.request.ID
		case "shoot-days":
			id = w.day.ID
		case "takes":
			id = w.take.ID
		case "proofs", "ic-proofs":
			id = w.proof.ID
		default:
			return nil, fmt.Errorf("no fixture for path parameter %s after /%s/: add it to pathValues", seg, segs[i-1])
		}
		vals[m[1]] = strconv.FormatInt(id, 10)
	}
	return vals, nil
}

// TestAuthorizationMatrix asks every route as every principal and checks
// the answer against the permission table: allowed is neither 401, 403
// nor 404; a member without the right gets 403, a stranger (the admin
// included) 404, and no one 401 (a redirect to /signin for a page). The
// routes come from the route table, so a new route is in the matrix the
// moment it is registered.
func TestAuthorizationMatrix(t *testing.T) {
	w := newWorld(t)
	w.withTake(t)
	if len(w.srv.Routes()) < 15 {
		t.Fatalf("only %d routes registered", len(w.srv.Routes()))
	}
	for _, ri := range w.srv.Routes() {
		t.Run(ri.Pattern, func(t *testing.T) {
			mr, ok := matrixRequests[ri.Pattern]
			if !ok && ri.Method != http.MethodGet {
				t.Fatalf("route %s has no request in matrixRequests: add a valid one", ri.Pattern)
			}
			vals, err := w.pathValues(ri.Path)
			if err != nil {
				t.Fatalf("route %s: %v", ri.Pattern, err)
			}
			for _, who := range principals() {
				checkMatrixCell(t, w, ri, mr, vals, who)
			}
		})
	}
}

func checkMatrixCell(t *testing.T, w *world, ri routeInfo, mr matrixRequest, vals map[string]string, who string) {
	t.Helper()
	if mr.fresh != nil {
		vals = mr.fresh(t, w)
	}
	if mr.freshFor != nil {
		vals = mr.freshFor(t, w, who)
	}
	path := strings.Replace(ri.Path, "{$}", "", 1) + mr.suffix
	for k, v := range vals {
		path = strings.ReplaceAll(path, "{"+k+"}", v)
	}
	if mr.before != nil {
		mr.before(t, w)
	}

	c := call{method: ri.Method, path: path + mr.query, stream: ri.Stream}
	if mr.body != nil {
		c.body, c.contentType = mr.body(w)
	}
	if mr.bodyFor != nil {
		c.body, c.contentType = mr.bodyFor(t, w, who)
	}
	if who != "anonymous" {
		c.cred.token = w.tokens[who]
	}
	got := w.do(c)
	want := expectation(t, w, ri, vals, who)
	if ri.Stream && want.allowed && got.Code == http.StatusOK {
		if ct := got.Header().Get("Content-Type"); ct != "text/event-stream" {
			t.Errorf("%s as %s: Content-Type %q, want text/event-stream", ri.Pattern, who, ct)
		}
	}
	if !want.matches(ri.Method, got) {
		t.Errorf("%s as %s: status %d (Location %q), want %s; body %.200s",
			ri.Pattern, who, got.Code, got.Header().Get("Location"), want, got.Body)
	}
}

// outcome is what the matrix expects of one cell.
type outcome struct {
	public  bool // anyone may ask; the route may send them anywhere
	allowed bool
	status  int // when denied
	page    bool
}

func (o outcome) String() string {
	if o.allowed {
		return "allowed (2xx/3xx, not to /signin)"
	}
	if o.status == http.StatusUnauthorized && o.page {
		return "a redirect to /signin"
	}
	return strconv.Itoa(o.status)
}

func (o outcome) matches(method string, w *httptest.ResponseRecorder) bool {
	toSignIn := w.Code/100 == 3 && strings.HasPrefix(w.Header().Get("Location"), "/signin")
	switch {
	case o.public:
		// A public route is never refused (a home page may still send
		// the signed-out to the sign-in page).
		return w.Code < 500 && w.Code != 401 && w.Code != 403
	case o.allowed && o.page:
		// A page may answer a valid form with its own 4xx (a form shown
		// again with its errors), but never a denial. (Signing out ends
		// on the sign-in page: only a GET sent there is refused.)
		return w.Code < 500 && !(toSignIn && method == http.MethodGet) && w.Code != 401 && w.Code != 403 && w.Code != 404
	case o.allowed:
		return w.Code/100 == 2
	case o.status == http.StatusUnauthorized && o.page:
		return w.Code == http.StatusSeeOther && toSignIn
	}
	return w.Code == o.status
}

// expectation asks the permission table what who may do on route ri.
func expectation(t *testing.T, w *world, ri routeInfo, vals map[string]string, who string) outcome {
	page := !ri.API()
	if ri.Action == public {
		return outcome{public: true, allowed: true, page: page}
	}
	if who == "anonymous" {
		return outcome{status: http.StatusUnauthorized, page: page}
	}
	if ri.Action == signedIn {
		return outcome{allowed: true, page: page}
	}
	u := w.users[who]
	p := auth.Principal{Admin: u.Admin, Trainer: u.Trainer}
	var pid int64
	var own bool
	if ri.Scope != nil {
		r := httptest.NewRequest(ri.Method, ri.Path, nil)
		for k, v := range vals {
			r.SetPathValue(k, v)
		}
		var err error
		if pid, own, err = ri.Scope(r, &request{User: u}); err != nil {
			t.Fatalf("%s: scope: %v", ri.Pattern, err)
		}
		if pid != 0 {
			if pid != w.prod.ID {
				t.Fatalf("%s: scope found production %d, want %d", ri.Pattern, pid, w.prod.ID)
			}
			if who != "admin" && who != "stranger" && who != "trainer" {
				p.Roles = auth.RolesOf(auth.Role(who))
			}
		}
	}
	switch {
	case ri.admits(p, own):
		return outcome{allowed: true, page: page}
	case pid != 0 && p.Roles == 0:
		return outcome{status: http.StatusNotFound, page: page}
	}
	return outcome{status: http.StatusForbidden, page: page}
}

// TestAPIRoutesAskTheRightAction pins the action each API route asks of
// the permission table, so that a route cannot quietly ask for a laxer
// one (the matrix checks the answers agree with whatever action is asked).
func TestAPIRoutesAskTheRightAction(t *testing.T) {
	want := map[string]auth.Action{
		"GET /healthz":                                      public,
		"GET /api/v1/openapi.json":                          public,
		"POST /api/v1/session":                              public,
		"DELETE /api/v1/session":                            signedIn,
		"GET /api/v1/me":                                    signedIn,
		"POST /api/v1/tokens":                               auth.TokenCreate,
		"GET /api/v1/tokens":                                auth.TokenList,
		"DELETE /api/v1/tokens/{id}":                        auth.TokenRevoke,
		"POST /api/v1/productions":                          auth.ProductionCreate,
		"GET /api/v1/productions":                           auth.ProductionList,
		"GET /api/v1/productions/{id}":                      auth.ProductionRead,
		"POST /api/v1/productions/{id}/members":             auth.MemberAdd,
		"GET /api/v1/productions/{id}/members":              auth.MemberList,
		"DELETE /api/v1/productions/{id}/members/{user_id}": auth.MemberRemove,
		"POST /api/v1/productions/{id}/scripts":             auth.ScriptUpload,
		"GET /api/v1/productions/{id}/scripts":              auth.ScriptRead,
		"GET /api/v1/revisions/{id}":                        auth.ScriptRead,
		"GET /api/v1/revisions/{id}/file":                   auth.ScriptRead,
		"GET /api/v1/revisions/{id}/diff":                   auth.RevisionDiff,
		"GET /api/v1/revisions/{id}/breakdown.fdx":          auth.SceneRead,
		"GET /api/v1/productions/{id}/scenes":               auth.SceneList,
		"GET /api/v1/scenes/{id}":                           auth.SceneRead,
		"POST /api/v1/flags/{id}/review":                    auth.FlagReview,

		"POST /api/v1/productions/{id}/performers":              auth.PerformerCreate,
		"GET /api/v1/productions/{id}/performers":               auth.PerformerList,
		"GET /api/v1/performers/{id}":                           auth.PerformerRead,
		"PUT /api/v1/performers/{id}/boundaries":                auth.BoundariesWrite,
		"GET /api/v1/performers/{id}/boundaries":                auth.BoundariesRead,
		"GET /api/v1/performers/{id}/boundaries/readers":        auth.BoundariesRead,
		"GET /api/v1/performers/{id}/riders":                    auth.RiderRead,
		"PUT /api/v1/scenes/{id}/schedule":                      auth.ScheduleWrite,
		"PUT /api/v1/scenes/{id}/plan":                          auth.PlanWrite,
		"GET /api/v1/scenes/{id}/plan":                          auth.PlanRead,
		"GET /api/v1/scenes/{id}/plan/versions":                 auth.PlanRead,
		"POST /api/v1/productions/{id}/performers/{pid}/riders": auth.RiderIssue,
		"GET /api/v1/productions/{id}/riders":                   auth.RiderIssue,
		"POST /api/v1/scenes/{id}/cast":                         auth.SceneCast,
		"GET /api/v1/riders/{file}":                             auth.RiderRead,
		"POST /api/v1/riders/{id}/sign":                         auth.RiderSign,
		"POST /api/v1/scenes/{id}/consents/withdraw":            auth.ConsentWithdraw,
		"POST /api/v1/scenes/{id}/consents/reconfirm":           auth.ConsentReconfirm,
		"GET /api/v1/scenes/{id}/consents":                      auth.ReadinessRead,
		"PUT /api/v1/scenes/{id}/safeguards":                    auth.SafeguardWrite,
		"GET /api/v1/scenes/{id}/readiness":                     auth.ReadinessRead,
		"GET /api/v1/scenes/{id}/summary":                       auth.SummaryRead,
		"GET /api/v1/scenes/{id}/summary.pdf":                   auth.SummaryRead,
		"GET /api/v1/scenes/{id}/summary.html":                  auth.SummaryRead,
		"GET /api/v1/productions/{id}/consents":                 auth.ReadinessRead,
		"GET /api/v1/productions/{id}/events":                   auth.ProductionRead,
		"GET /api/v1/productions/{id}/policy":                   auth.ProductionRead,
		"PUT /api/v1/productions/{id}/policy":                   auth.PolicyWrite,

		"POST /api/v1/scenes/{id}/rehearsals":    auth.RehearsalWrite,
		"GET /api/v1/scenes/{id}/rehearsals":     auth.RehearsalRead,
		"POST /api/v1/scenes/{id}/takes":         auth.TakeLog,
		"GET /api/v1/scenes/{id}/takes":          auth.TakeRead,
		"POST /api/v1/scenes/{id}/resume":        auth.TakeLog,
		"GET /api/v1/takes/{id}":                 auth.TakeRead,
		"POST /api/v1/takes/{id}/check-ins":      auth.TakeCheckIn,
		"POST /api/v1/takes/{id}/deviations":     auth.TakeLog,
		"POST /api/v1/scenes/{id}/step-outs":     auth.ClosureWrite,
		"POST /api/v1/scenes/{id}/debriefs":      auth.DebriefWrite,
		"POST /api/v1/scenes/{id}/crew-debriefs": auth.ClosureWrite,
		"GET /api/v1/scenes/{id}/closure":        auth.ClosureRead,

		"PUT /api/v1/productions/{id}/members/{user_id}":              auth.MemberEdit,
		"GET /api/v1/productions/{id}/invitations":                    auth.MemberInvite,
		"POST /api/v1/productions/{id}/invitations":                   auth.MemberInvite,
		"DELETE /api/v1/productions/{id}/invitations/{invitation_id}": auth.MemberInvite,
		"POST /api/v1/invitations/accept":                             signedIn,
		"PUT /api/v1/performers/{id}":                                 auth.PerformerEdit,
		"DELETE /api/v1/performers/{id}":                              auth.PerformerRemove,
		"GET /api/v1/users":                                           auth.UserManage,
		"POST /api/v1/users":                                          auth.UserManage,
		"POST /api/v1/users/{user_id}/disable":                        auth.UserManage,
		"POST /api/v1/users/{user_id}/enable":                         auth.UserManage,
		"POST /api/v1/users/{user_id}/reset":                          auth.UserManage,

		"POST /api/v1/scenes/{id}/requests":           auth.RequestCreate,
		"GET /api/v1/scenes/{id}/requests":            auth.RequestList,
		"GET /api/v1/productions/{id}/requests":       auth.RequestList,
		"GET /api/v1/requests/{id}":                   auth.RequestRead,
		"POST /api/v1/requests/{id}/state":            auth.RequestState,
		"POST /api/v1/productions/{id}/shoot-days":    auth.ShootDayWrite,
		"GET /api/v1/productions/{id}/shoot-days":     auth.ShootDayRead,
		"GET /api/v1/shoot-days/{id}":                 auth.ShootDayRead,
		"PUT /api/v1/shoot-days/{id}/scenes":          auth.ShootDayWrite,
		"GET /api/v1/productions/{id}/schedule.csv":   auth.ReadinessRead,
		"POST /api/v1/productions/{id}/schedule":      auth.ScheduleWrite,
		"PUT /api/v1/scenes/{id}/closed-set":          auth.ClosedSetWrite,
		"GET /api/v1/scenes/{id}/closed-set":          auth.ClosedSetRead,
		"GET /api/v1/scenes/{id}/closed-set.pdf":      auth.ClosedSetRead,
		"GET /api/v1/scenes/{id}/closed-set.html":     auth.ClosedSetRead,
		"POST /api/v1/scenes/{id}/closed-set/approve": auth.ClosedSetApprove,
		"GET /api/v1/shoot-days/{id}/report":          auth.ReportRead,
		"GET /api/v1/shoot-days/{id}/report.pdf":      auth.ReportRead,
		"GET /api/v1/shoot-days/{id}/report.html":     auth.ReportRead,
		"POST /api/v1/shoot-days/{id}/report/sign":    auth.ReportSign,

		"GET /api/v1/me/ic-profile":                        auth.CredentialsRead,
		"PUT /api/v1/me/ic-profile":                        auth.CredentialsWrite,
		"POST /api/v1/me/proofs":                           auth.CredentialsWrite,
		"GET /api/v1/me/proofs/{id}":                       auth.ProofRead,
		"GET /api/v1/me/pathway":                           auth.PathwayRead,
		"GET /api/v1/me/credentials-sheet.pdf":             auth.CredentialsRead,
		"GET /api/v1/me/credentials-sheet.html":            auth.CredentialsRead,
		"GET /api/v1/users/{user_id}/pathway":              auth.PathwayRead,
		"POST /api/v1/users/{user_id}/pathway/signoffs":    auth.PathwaySignOff,
		"PUT /api/v1/users/{user_id}/trainer":              auth.UserManage,
		"GET /api/v1/productions/{id}/ic-of-record":        auth.ProductionRead,
		"PUT /api/v1/productions/{id}/ic-of-record":        auth.ICOfRecordWrite,
		"PUT /api/v1/productions/{id}/proof-share":         auth.ProofShare,
		"GET /api/v1/productions/{id}/ic-proofs/{file_id}": auth.ProofReadShared,

		"GET /api/v1/me/alerts":              auth.AlertsRead,
		"PUT /api/v1/me/alerts":              auth.AlertsWrite,
		"POST /api/v1/me/push-subscriptions": auth.AlertsWrite,
	}
	// The routes that admit a second action too, whose handler decides
	// from the record which one applies.
	wantOr := map[string]auth.Action{
		"POST /api/v1/scenes/{id}/consents/withdraw": auth.ConsentWithdrawFor,
		"POST /api/v1/takes/{id}/check-ins":          auth.TakeCheckInFor,
	}
	e := newEnv(t)
	seen := 0
	for _, ri := range e.srv.Routes() {
		if !ri.API() {
			continue
		}
		seen++
		a, ok := want[ri.Pattern]
		if !ok {
			t.Errorf("API route %s: add the action it must ask to this test", ri.Pattern)
		} else if ri.Action != a {
			t.Errorf("API route %s asks %q, want %q", ri.Pattern, ri.Action, a)
		}
		if ri.Or != wantOr[ri.Pattern] {
			t.Errorf("API route %s admits %q too, want %q", ri.Pattern, ri.Or, wantOr[ri.Pattern])
		}
	}
	if seen != len(want) {
		t.Errorf("%d API routes, want %d", seen, len(want))
	}
}

// TestTheRecordDecidesWhoseConsent: the routes on a scene's consents and
// on a rider let a user through on the scene or the rider; whose consent,
// rider or reason it is, is known only from the record, and the handler
// asks the table about it (consent.withdraw or consent.withdraw_for,
// consent.reconfirm, rider.sign, withdrawal.reason.read). Another
// performer, cast in the same scene and AD of the production, passes
// every gate the performer passes, and must still be refused.
func TestTheRecordDecidesWhoseConsent(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	other := w.user("other-performer@example.org", "Other Player", false)
	if _, err := w.srv.createPerformer(ctx, w.asIC(), performerIn{Name: "Other Player", Email: other.Email,
		DateOfBirth: "1985-01-01", Characters: []string{w.scene.Characters[len(w.scene.Characters)-1]}}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.st.AddMember(ctx, w.users["producer"].Actor(), w.prod.ID, other.ID, auth.AD); err != nil {
		t.Fatal(err)
	}
	w.tokens["other"] = w.token(other)
	otherRq := &request{User: other, ProductionID: w.prod.ID, Roles: auth.RolesOf(auth.Performer, auth.AD)}
	as := func(who string) cred { return cred{token: w.tokens[who]} }
	scene := fmt.Sprintf("/api/v1/scenes/%d", w.scene.ID)
	withdrawal := func() *consent.Withdrawal {
		t.Helper()
		cs, err := w.st.Consents(ctx, w.scene.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cs {
			if c.PerformerID == w.performer.ID {
				return c.Withdrawal
			}
		}
		t.Fatal("the performer has no consent to the scene")
		return nil
	}
	withdraw := func(who, reason string) *httptest.ResponseRecorder {
		return w.do(call{method: "POST", path: scene + "/consents/withdraw", cred: as(who),
			body: jsonBody(map[string]any{"performer_id": w.performer.ID, "reason": reason})})
	}
	forbidden := func(what string, err error) {
		t.Helper()
		if asError(err).Code != codeForbidden {
			t.Errorf("%s: %v, want forbidden", what, err)
		}
	}

	t.Run("only the performer or an IC withdraws", func(t *testing.T) {
		for _, who := range []string{"other", "producer", "ad", "director"} {
			if got := withdraw(who, ""); got.Code != http.StatusForbidden {
				t.Errorf("%s withdrawing the performer's consent: %d, want 403; %s", who, got.Code, got.Body)
			}
		}
		forbidden("another performer's withdraw", w.srv.ops.Withdraw(ctx, otherRq.caller(), w.scene.ID, w.performer.ID, ""))
		if wd := withdrawal(); wd != nil {
			t.Fatalf("the consent was withdrawn by someone not allowed: %+v", wd)
		}
		if got := withdraw("performer", ""); got.Code != http.StatusOK {
			t.Fatalf("the performer withdrawing: %d %s", got.Code, got.Body)
		}
		if wd := withdrawal(); wd == nil || wd.OnBehalf {
			t.Errorf("the performer's own withdrawal: %+v, want one not on behalf", wd)
		}
		w.issueAndSign(t)
		if got := withdraw("ic", "a reason for the IC"); got.Code != http.StatusOK {
			t.Fatalf("the IC withdrawing on the performer's word: %d %s", got.Code, got.Body)
		}
		if wd := withdrawal(); wd == nil || !wd.OnBehalf {
			t.Errorf("the IC's withdrawal: %+v, want one on the performer's word", wd)
		}
	})

	t.Run("only the IC and the performer read the reason", func(t *testing.T) {
		const reason = "told the IC alone 7f3a"
		w.issueAndSign(t)
		if got := withdraw("performer", reason); got.Code != http.StatusOK {
			t.Fatalf("withdrawing: %d %s", got.Code, got.Body)
		}
		for who, reads := range map[string]bool{"ic": true, "performer": true, "other": false, "producer": false, "ad": false, "legal": false} {
			var list struct {
				Consents []consentOut `json:"consents"`
			}
			w.json(call{method: "GET", path: scene + "/consents", cred: as(who)}, http.StatusOK, &list)
			shown, withdrawn := false, false
			for _, c := range list.Consents {
				if c.PerformerID == w.performer.ID {
					withdrawn = c.State == "withdrawn"
					shown = c.Reason == reason
				}
			}
			if !withdrawn {
				t.Errorf("%s does not see the withdrawn state: %+v", who, list.Consents)
			}
			if shown != reads {
				t.Errorf("%s reads the reason: %v, want %v", who, shown, reads)
			}
		}
	})

	t.Run("nobody re-confirms for the performer", func(t *testing.T) {
		w.issueAndSign(t)
		for _, who := range []string{"other", "ic"} {
			got := w.do(call{method: "POST", path: scene + "/consents/reconfirm", cred: as(who), body: jsonBody(map[string]any{"performer_id": w.performer.ID})})
			if got.Code != http.StatusForbidden {
				t.Errorf("%s re-confirming the performer's consent: %d, want 403; %s", who, got.Code, got.Body)
			}
		}
		forbidden("another performer's re-confirmation", w.srv.ops.Reconfirm(ctx, otherRq.caller(), w.scene.ID, w.performer.ID))
		forbidden("an IC's re-confirmation", w.srv.ops.Reconfirm(ctx, w.asIC().caller(), w.scene.ID, w.performer.ID))
	})

	t.Run("nobody signs for the performer", func(t *testing.T) {
		// An unsigned rider to refuse: the plan changes, so a new one is
		// issued (the world's was signed above; issuing for the same
		// plans would answer it again).
		if _, err := w.srv.ops.PutPlan(ctx, w.asIC().caller(), w.scene.ID, simplePlan(w.performer.ID, "A changed plan")); err != nil {
			t.Fatal(err)
		}
		unsigned, created, err := w.srv.ops.IssueRider(ctx, w.asIC().caller(), w.performer.ID)
		if err != nil || !created {
			t.Fatalf("IssueRider after a plan change = %v, created %v", err, created)
		}
		w.rider = unsigned
		for _, who := range []string{"other", "ic"} {
			got := w.do(call{method: "POST", path: fmt.Sprintf("/api/v1/riders/%d/sign", w.rider.ID), cred: as(who),
				body: jsonBody(map[string]any{"typed_name": w.performer.Name, "agree": true})})
			if got.Code != http.StatusForbidden {
				t.Errorf("%s signing the performer's rider: %d, want 403; %s", who, got.Code, got.Body)
			}
		}
		// Past the route's gate, the operation asks again.
		req := httptest.NewRequest("POST", "/api/v1/riders/1/sign", nil)
		for name, rq := range map[string]*request{"another performer": otherRq, "an IC": w.asIC()} {
			_, err := w.srv.ops.SignRider(ctx, rq.caller(), w.rider.ID, w.performer.Name, true, req.RemoteAddr, req.UserAgent())
			forbidden(name+" signing", err)
		}
		if rd, err := w.st.Rider(ctx, w.rider.ID); err != nil || rd.Signature != nil {
			t.Errorf("the rider after the refusals: %+v, %v; want unsigned", rd.Signature, err)
		}
	})
}
