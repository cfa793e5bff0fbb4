package web

import (
	"net/http"
	"slices"
	"strings"
	"testing"
)

// TestAPICreatorChoosesTheirRole: POST /api/v1/productions takes the
// creator's role, ic or producer (the default, as before); an IC creator
// may review flags at once; no other role is accepted.
func TestAPICreatorChoosesTheirRole(t *testing.T) {
	e := newEnv(t)
	ivy := e.user("ivy@example.org", "Ivy", false)
	tok := cred{token: e.token(ivy)}
	for _, tc := range []struct {
		role string
		want []string
	}{{"ic", []string{"ic"}}, {"producer", []string{"producer"}}, {"", []string{"producer"}}} {
		var p struct {
			ID    int64
			Roles []string
		}
		body := map[string]string{"title": "Tides " + tc.role, "policy": "sag_aftra"}
		if tc.role != "" {
			body["role"] = tc.role
		}
		e.json(call{method: "POST", path: "/api/v1/productions", body: jsonBody(body), cred: tok}, http.StatusCreated, &p)
		if !slices.Equal(p.Roles, tc.want) {
			t.Errorf("created with role %q: roles %v, want %v", tc.role, p.Roles, tc.want)
		}
	}
	w := e.do(call{method: "POST", path: "/api/v1/productions", body: jsonBody(map[string]string{"title": "X", "policy": "sag_aftra", "role": "director"}), cred: tok})
	if code, msg := errorCode(t, w); w.Code != http.StatusBadRequest || code != "bad_request" || !strings.Contains(msg, "ic or its producer") {
		t.Errorf("created as director: %d %s %q", w.Code, code, msg)
	}
}

// TestAPIRoleGrantsRefused: a producer's self-grant of IC is refused
// (403), an IC is never made producer, director or AD (422
// rule_violation), by adding or by editing roles.
func TestAPIRoleGrantsRefused(t *testing.T) {
	w := newWorld(t)
	base := "/api/v1/productions/" + itoa(w.prod.ID)
	as := func(who string) cred { return cred{token: w.tokens[who]} }
	r := w.do(call{method: "POST", path: base + "/members", body: jsonBody(map[string]string{"email": "producer@example.org", "role": "ic"}), cred: as("producer")})
	if code, msg := errorCode(t, r); r.Code != http.StatusForbidden || !strings.Contains(msg, "nobody grants a role to themselves") {
		t.Errorf("a producer making themselves IC: %d %s %q", r.Code, code, msg)
	}
	r = w.do(call{method: "PUT", path: base + "/members/" + itoa(w.users["producer"].ID), body: jsonBody(map[string]any{"roles": []string{"producer", "ic"}}), cred: as("producer")})
	if r.Code != http.StatusForbidden {
		t.Errorf("a producer editing their roles to IC: %d %s", r.Code, r.Body)
	}
	for _, role := range []string{"producer", "director", "ad"} {
		r = w.do(call{method: "POST", path: base + "/members", body: jsonBody(map[string]string{"email": "ic@example.org", "role": role}), cred: as("producer")})
		if code, _ := errorCode(t, r); r.Code != http.StatusUnprocessableEntity || code != "rule_violation" {
			t.Errorf("the IC made %s: %d %s", role, r.Code, code)
		}
	}
	r = w.do(call{method: "PUT", path: base + "/members/" + itoa(w.users["director"].ID), body: jsonBody(map[string]any{"roles": []string{"director", "ic"}}), cred: as("ic")})
	if code, _ := errorCode(t, r); r.Code != http.StatusUnprocessableEntity || code != "rule_violation" {
		t.Errorf("the director made IC: %d %s", r.Code, code)
	}
}

// TestAPIAdminManagesUsers: the admin creates, disables, enables and
// resets accounts; a disabled account's token stops working at once; no
// one else may manage accounts, and the admin still reads no production.
func TestAPIAdminManagesUsers(t *testing.T) {
	w := newWorld(t)
	admin := cred{token: w.tokens["admin"]}
	var made struct {
		User     userOut
		Password string
	}
	w.json(call{method: "POST", path: "/api/v1/users", body: jsonBody(map[string]any{"email": "new@example.org", "name": "New Person"}), cred: admin}, http.StatusCreated, &made)
	if made.User.ID == 0 || len(made.Password) != 23 {
		t.Fatalf("created %+v", made)
	}
	if r := w.do(call{method: "POST", path: "/api/v1/users", body: jsonBody(map[string]any{"email": "x@example.org", "name": "X"}), cred: cred{token: w.tokens["ic"]}}); r.Code != http.StatusForbidden {
		t.Errorf("an IC creating a user: %d", r.Code)
	}
	ic := w.users["ic"]
	if r := w.do(call{method: "GET", path: "/api/v1/me", cred: cred{token: w.tokens["ic"]}}); r.Code != http.StatusOK {
		t.Fatalf("the IC's token before: %d", r.Code)
	}
	w.json(call{method: "POST", path: "/api/v1/users/" + itoa(ic.ID) + "/disable", cred: admin}, http.StatusOK, nil)
	if r := w.do(call{method: "GET", path: "/api/v1/me", cred: cred{token: w.tokens["ic"]}}); r.Code != http.StatusUnauthorized {
		t.Errorf("a disabled IC's token: %d, want 401", r.Code)
	}
	r := w.do(call{method: "POST", path: "/api/v1/session", body: jsonBody(map[string]string{"email": ic.Email, "password": testPassword})})
	if r.Code/100 == 2 {
		t.Errorf("a disabled IC signs in: %d", r.Code)
	}
	w.json(call{method: "POST", path: "/api/v1/users/" + itoa(ic.ID) + "/enable", cred: admin}, http.StatusOK, nil)
	if r := w.do(call{method: "GET", path: "/api/v1/me", cred: cred{token: w.tokens["ic"]}}); r.Code != http.StatusOK {
		t.Errorf("the IC's token after enabling: %d", r.Code)
	}
	w.json(call{method: "POST", path: "/api/v1/users/" + itoa(ic.ID) + "/reset", cred: admin}, http.StatusOK, nil)
	if r := w.do(call{method: "GET", path: "/api/v1/me", cred: cred{token: w.tokens["ic"]}}); r.Code != http.StatusUnauthorized {
		t.Errorf("the IC's token after a reset: %d, want 401", r.Code)
	}
	if r := w.do(call{method: "POST", path: "/api/v1/users/" + itoa(w.users["admin"].ID) + "/disable", cred: admin}); r.Code != http.StatusConflict {
		t.Errorf("the admin disabling themself: %d", r.Code)
	}
	if r := w.do(call{method: "GET", path: "/api/v1/productions/" + itoa(w.prod.ID) + "/performers", cred: admin}); r.Code != http.StatusNotFound {
		t.Errorf("the admin reading a production's cast: %d, want 404", r.Code)
	}
}
