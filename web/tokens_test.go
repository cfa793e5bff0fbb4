package web

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/argon2"

	"closedset/audit"
	"closedset/auth"
)

type tokenOut struct {
	ID       int64      `json:"id"`
	Name     string     `json:"name"`
	Created  time.Time  `json:"created"`
	LastUsed *time.Time `json:"last_used"`
	Expires  *time.Time `json:"expires"`
	Token    string     `json:"token"`
}

// TestTokensAreListedAndRevokedByTheirOwner: a token made over the API is
// in its owner's list (never its secret), is not found by anyone else, and
// stops working the moment its owner revokes it.
func TestTokensAreListedAndRevokedByTheirOwner(t *testing.T) {
	e := newEnv(t)
	ida := e.user("ida@example.org", "Ida Okafor", false)
	bo := e.user("bo@example.org", "Bo Lind", false)
	idaCred, boCred := cred{token: e.token(ida)}, cred{token: e.token(bo)}

	var made tokenOut
	e.json(call{method: "POST", path: "/api/v1/tokens", body: jsonBody(map[string]any{"name": "ci", "expires_in_days": 30}), cred: idaCred}, http.StatusCreated, &made)
	if made.Token == "" || made.Expires == nil || !made.Expires.Equal(e.clock.Now().Add(30*24*time.Hour)) {
		t.Fatalf("made %+v", made)
	}
	list := e.do(call{method: "GET", path: "/api/v1/tokens", cred: idaCred})
	if list.Code != http.StatusOK {
		t.Fatalf("GET /api/v1/tokens: %d %s", list.Code, list.Body)
	}
	if body := list.Body.String(); strings.Contains(body, made.Token) || strings.Contains(body, "hash") || strings.Contains(body, `"token"`) {
		t.Errorf("the list shows a secret: %s", body)
	}
	var got struct{ Tokens []tokenOut }
	e.json(call{method: "GET", path: "/api/v1/tokens", cred: idaCred}, http.StatusOK, &got)
	if len(got.Tokens) != 2 || got.Tokens[0].ID != made.ID || got.Tokens[0].Name != "ci" || got.Tokens[0].LastUsed != nil {
		t.Fatalf("Ida's tokens: %+v", got.Tokens)
	}
	var bos struct{ Tokens []tokenOut }
	e.json(call{method: "GET", path: "/api/v1/tokens", cred: boCred}, http.StatusOK, &bos)
	if len(bos.Tokens) != 1 || bos.Tokens[0].ID == made.ID {
		t.Errorf("Bo sees %+v", bos.Tokens)
	}

	e.json(call{method: "DELETE", path: "/api/v1/tokens/" + itoa(made.ID), cred: boCred}, http.StatusNotFound, nil)
	e.json(call{method: "GET", path: "/api/v1/me", cred: cred{token: made.Token}}, http.StatusOK, nil)
	e.json(call{method: "DELETE", path: "/api/v1/tokens/" + itoa(made.ID), cred: idaCred}, http.StatusNoContent, nil)
	e.json(call{method: "GET", path: "/api/v1/me", cred: cred{token: made.Token}}, http.StatusUnauthorized, nil)
	e.json(call{method: "DELETE", path: "/api/v1/tokens/" + itoa(made.ID), cred: idaCred}, http.StatusNotFound, nil)

	e.json(call{method: "POST", path: "/api/v1/tokens", body: jsonBody(map[string]any{"name": "x", "expires_in_days": -1}), cred: idaCred}, http.StatusBadRequest, nil)
}

// TestAnExpiredTokenIsRefused: a token works until its expiry, not after.
func TestAnExpiredTokenIsRefused(t *testing.T) {
	e := newEnv(t)
	ida := e.user("ida@example.org", "Ida Okafor", false)
	var made tokenOut
	e.json(call{method: "POST", path: "/api/v1/tokens", body: jsonBody(map[string]any{"name": "a day", "expires_in_days": 1}), cred: cred{token: e.token(ida)}}, http.StatusCreated, &made)
	e.clock.Advance(24*time.Hour - time.Second)
	e.json(call{method: "GET", path: "/api/v1/me", cred: cred{token: made.Token}}, http.StatusOK, nil)
	e.clock.Advance(time.Second)
	w := e.do(call{method: "GET", path: "/api/v1/me", cred: cred{token: made.Token}})
	if w.Code != http.StatusUnauthorized || !strings.Contains(w.Body.String(), "expired") {
		t.Errorf("an expired token: %d %s, want 401 naming expiry", w.Code, w.Body)
	}
}

// TestTokenUseIsRecordedEveryFewMinutesWithoutEvents: the last use shows
// in the list, moves at most once per auth.TokenUseInterval, and appends
// nothing to the audit chain.
func TestTokenUseIsRecordedEveryFewMinutesWithoutEvents(t *testing.T) {
	e := newEnv(t)
	ida := e.user("ida@example.org", "Ida Okafor", false)
	c := cred{token: e.token(ida)}
	ctx := context.Background()
	head, err := e.st.Head(ctx)
	if err != nil {
		t.Fatal(err)
	}
	lastUsed := func() time.Time {
		t.Helper()
		var got struct{ Tokens []tokenOut }
		e.json(call{method: "GET", path: "/api/v1/tokens", cred: c}, http.StatusOK, &got)
		if len(got.Tokens) != 1 || got.Tokens[0].LastUsed == nil {
			t.Fatalf("tokens %+v", got.Tokens)
		}
		return *got.Tokens[0].LastUsed
	}
	start := e.clock.Now()
	if got := lastUsed(); !got.Equal(start) {
		t.Errorf("last used %v, want %v", got, start)
	}
	e.clock.Advance(auth.TokenUseInterval - time.Second)
	if got := lastUsed(); !got.Equal(start) {
		t.Errorf("within the interval: last used %v, want it kept at %v", got, start)
	}
	e.clock.Advance(time.Second)
	e.do(call{method: "GET", path: "/api/v1/me", cred: c})
	if got := lastUsed(); !got.Equal(start.Add(auth.TokenUseInterval)) {
		t.Errorf("after the interval: last used %v, want %v", got, start.Add(auth.TokenUseInterval))
	}
	if now, err := e.st.Head(ctx); err != nil || now != head {
		t.Errorf("token uses moved the audit head from %d to %d (%v)", head, now, err)
	}
}

// TestAResetEndsTheUsersTokensAndSessions: the admin's reset signs the
// user out everywhere: their API token and their browser session fail.
func TestAResetEndsTheUsersTokensAndSessions(t *testing.T) {
	e := newEnv(t)
	admin := e.user("admin@example.org", "The admin", true)
	ida := e.user("ida@example.org", "Ida Okafor", false)
	tok := e.token(ida)
	sess := e.signIn(ida.Email)
	e.json(call{method: "POST", path: "/api/v1/users/" + itoa(ida.ID) + "/reset", cred: cred{token: e.token(admin)}}, http.StatusOK, nil)
	e.json(call{method: "GET", path: "/api/v1/me", cred: cred{token: tok}}, http.StatusUnauthorized, nil)
	e.json(call{method: "GET", path: "/api/v1/me", cred: cred{cookie: sess.cookie}}, http.StatusUnauthorized, nil)
}

// TestTheAccountPageListsAndRevokesTokens: the account page names each
// token with a revoke button, and a revoked one leaves the page.
func TestTheAccountPageListsAndRevokesTokens(t *testing.T) {
	e := newEnv(t)
	ida := e.user("ida@example.org", "Ida Okafor", false)
	c := e.signIn(ida.Email)
	var made tokenOut
	e.json(call{method: "POST", path: "/api/v1/tokens", body: jsonBody(map[string]any{"name": "build server"}), cred: c}, http.StatusCreated, &made)
	page := e.do(call{method: "GET", path: "/account", cred: c})
	body := page.Body.String()
	if page.Code != http.StatusOK || !strings.Contains(body, "build server") || !strings.Contains(body, `action="/account/tokens/`+itoa(made.ID)+`/revoke"`) {
		t.Fatalf("GET /account: %d\n%s", page.Code, body)
	}
	if strings.Contains(body, made.Token) {
		t.Error("the account page shows a token's secret")
	}
	w := e.do(call{method: "POST", path: "/account/tokens/" + itoa(made.ID) + "/revoke", cred: c})
	if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/account#tokens" {
		t.Fatalf("revoke: %d %q", w.Code, w.Header().Get("Location"))
	}
	if body := e.do(call{method: "GET", path: "/account", cred: c}).Body.String(); strings.Contains(body, "build server") {
		t.Error("a revoked token is still on the page")
	}
	e.json(call{method: "GET", path: "/api/v1/me", cred: cred{token: made.Token}}, http.StatusUnauthorized, nil)
}

// TestASignInRehashKeepsTokens: signing in with a hash of older
// parameters stores a stronger hash of the same password, which is no
// password change: the user's API token keeps working.
func TestASignInRehashKeepsTokens(t *testing.T) {
	e := newEnv(t)
	salt := make([]byte, 16)
	key := argon2.IDKey([]byte(testPassword), salt, 2, 19<<10, 1, 32)
	b64 := base64.RawStdEncoding
	old := fmt.Sprintf("$argon2id$v=19$m=%d,t=2,p=1$%s$%s", 19<<10, b64.EncodeToString(salt), b64.EncodeToString(key))
	if ok, rehash, err := auth.CheckPassword(old, testPassword); !ok || !rehash || err != nil {
		t.Fatalf("the old hash: ok %v rehash %v %v", ok, rehash, err)
	}
	ida, err := e.st.CreateUser(context.Background(), audit.System, auth.NewUser{Email: "ida@example.org", Name: "Ida Okafor", PasswordHash: old})
	if err != nil {
		t.Fatal(err)
	}
	tok := e.token(ida)
	e.signIn(ida.Email)
	if u, err := e.st.User(context.Background(), ida.ID); err != nil || u.PasswordHash == old {
		t.Fatalf("the hash was not upgraded: %v", err)
	}
	e.json(call{method: "GET", path: "/api/v1/me", cred: cred{token: tok}}, http.StatusOK, nil)
}
