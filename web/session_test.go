package web

import (
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
	"time"

	"closedset/auth"
)

func TestCookieWritesNeedTheCSRFToken(t *testing.T) {
	e := newEnv(t)
	u := e.user("anna@example.org", "Anna", false)
	sess := e.signIn(u.Email)
	bearer := cred{token: e.token(u)}
	body := func() map[string]string { return map[string]string{"title": "Night Ferry", "policy": "sag_aftra"} }

	noToken := sess
	noToken.csrf = ""
	wrongToken := sess
	wrongToken.csrf = e.srv.csrf.Token("css_another-session")
	for _, tc := range []struct {
		name string
		cred cred
		want int
	}{
		{"cookie without token", noToken, http.StatusForbidden},
		{"cookie with another session's token", wrongToken, http.StatusForbidden},
		{"cookie with its token", sess, http.StatusCreated},
		{"bearer needs none", bearer, http.StatusCreated},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := e.do(call{method: "POST", path: "/api/v1/productions", body: jsonBody(body()), cred: tc.cred})
			if w.Code != tc.want {
				t.Fatalf("status %d, want %d: %s", w.Code, tc.want, w.Body)
			}
		})
	}
	if c := e.counts(nil, []int64{u.ID}); c.productions != 2 {
		t.Errorf("%d productions stored, want 2 (the refused writes wrote nothing)", c.productions)
	}
}

func TestCSRFTokenFromAFormField(t *testing.T) {
	e := newEnv(t)
	u := e.user("anna@example.org", "Anna", false)
	sess := e.signIn(u.Email)
	form := "csrf=" + sess.csrf
	c := sess
	c.csrf = ""
	// The API then refuses the form body itself (400), but only after
	// the CSRF check let it through.
	w := e.do(call{method: "POST", path: "/api/v1/productions", body: strReader(form), contentType: "application/x-www-form-urlencoded", cred: c})
	if w.Code != http.StatusBadRequest {
		t.Fatalf("status %d, want 400 after passing CSRF: %s", w.Code, w.Body)
	}
}

func TestLoginIsRateLimited(t *testing.T) {
	e := newEnv(t, func(c *testConfig) { c.Limits = auth.Limits{PerAccount: 3, PerIP: 50} })
	u := e.user("anna@example.org", "Anna", false)
	login := func(pw string) int {
		return e.do(call{method: "POST", path: "/api/v1/session", body: jsonBody(map[string]string{"email": u.Email, "password": pw})}).Code
	}
	for i := range 3 {
		if got := login("wrong"); got != http.StatusUnauthorized {
			t.Fatalf("wrong password %d: status %d, want 401", i+1, got)
		}
	}
	if got := login(testPassword); got != http.StatusTooManyRequests {
		t.Fatalf("after 3 failures the right password got %d, want 429", got)
	}
	e.clock.Advance(auth.DefaultLimits.Window + time.Second)
	if got := login(testPassword); got != http.StatusOK {
		t.Fatalf("after the window the right password got %d, want 200", got)
	}
}

func TestUnknownEmailIsTheSameAnswerAsAWrongPassword(t *testing.T) {
	e := newEnv(t)
	e.user("anna@example.org", "Anna", false)
	a := e.do(call{method: "POST", path: "/api/v1/session", body: jsonBody(map[string]string{"email": "nobody@example.org", "password": "x"})})
	b := e.do(call{method: "POST", path: "/api/v1/session", body: jsonBody(map[string]string{"email": "anna@example.org", "password": "x"})})
	ca, ma := errorCode(t, a)
	cb, mb := errorCode(t, b)
	if a.Code != http.StatusUnauthorized || a.Code != b.Code || ca != cb || ma != mb {
		t.Errorf("unknown email: %d %s; wrong password: %d %s", a.Code, a.Body, b.Code, b.Body)
	}
}

func TestSessionExpires(t *testing.T) {
	e := newEnv(t)
	u := e.user("anna@example.org", "Anna", false)
	sess := e.signIn(u.Email)
	e.json(call{method: "GET", path: "/api/v1/me", cred: sess}, http.StatusOK, nil)
	e.clock.Advance(sessionLifetime + time.Minute)
	e.json(call{method: "GET", path: "/api/v1/me", cred: sess}, http.StatusUnauthorized, nil)
}

func TestSignOutEndsTheSession(t *testing.T) {
	e := newEnv(t)
	u := e.user("anna@example.org", "Anna", false)
	sess := e.signIn(u.Email)
	w := e.do(call{method: "DELETE", path: "/api/v1/session", cred: sess})
	if w.Code != http.StatusNoContent {
		t.Fatalf("sign out: %d %s", w.Code, w.Body)
	}
	cleared := false
	for _, c := range w.Result().Cookies() {
		cleared = cleared || c.Name == "closedset_session" && c.MaxAge < 0
	}
	if !cleared {
		t.Error("sign out did not clear the cookie")
	}
	e.json(call{method: "GET", path: "/api/v1/me", cred: sess}, http.StatusUnauthorized, nil)
}

func TestSessionCookieAttributes(t *testing.T) {
	e := newEnv(t, func(c *testConfig) { c.SecureCookies = true })
	u := e.user("anna@example.org", "Anna", false)
	w := e.do(call{method: "POST", path: "/api/v1/session", body: jsonBody(map[string]string{"email": u.Email, "password": testPassword})})
	cs := w.Result().Cookies()
	if len(cs) != 1 {
		t.Fatalf("cookies: %v", cs)
	}
	c := cs[0]
	if c.Name != "__Host-closedset_session" || !c.HttpOnly || !c.Secure || c.SameSite != http.SameSiteLaxMode || c.Path != "/" {
		t.Errorf("cookie %+v: want __Host- name, HttpOnly, Secure, SameSite=Lax, Path=/", c)
	}
	if d := c.Expires.Sub(e.clock.Now()); d != sessionLifetime {
		t.Errorf("cookie lasts %s, want %s", d, sessionLifetime)
	}
}

func TestBadCredentialsAreRefused(t *testing.T) {
	e := newEnv(t)
	for _, tc := range []struct {
		name string
		hdr  string
	}{
		{"basic auth", "Basic YTpi"},
		{"junk token", "Bearer nonsense"},
		{"unknown token", "Bearer cs_" + "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := call{method: "GET", path: "/api/v1/me"}
			req := newRequest(r)
			req.Header.Set("Authorization", tc.hdr)
			w := serve(e, req)
			if w.Code != http.StatusUnauthorized {
				t.Fatalf("status %d, want 401", w.Code)
			}
			if code, _ := errorCode(t, w); code != "unauthorized" {
				t.Errorf("code %q", code)
			}
		})
	}
}

// TestCrossSiteFormsAreRefused: a page on another site cannot post the
// sign-in form (login CSRF) or any other form, even before a session
// exists; same-site browsers and non-browser clients are let through.
func TestCrossSiteFormsAreRefused(t *testing.T) {
	e := newEnv(t)
	u := e.user("anna@example.org", "Anna", false)
	form := "email=" + u.Email + "&password=" + testPassword
	for _, tc := range []struct {
		name   string
		header map[string]string
		want   int
	}{
		{"from another site", map[string]string{"Sec-Fetch-Site": "cross-site"}, http.StatusForbidden},
		{"from another origin", map[string]string{"Origin": "https://evil.example"}, http.StatusForbidden},
		{"from this site", map[string]string{"Sec-Fetch-Site": "same-origin"}, http.StatusSeeOther},
		{"not a browser", nil, http.StatusSeeOther},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest("POST", "/signin", strings.NewReader(form))
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			for k, v := range tc.header {
				r.Header.Set(k, v)
			}
			w := httptest.NewRecorder()
			e.srv.ServeHTTP(w, r)
			if w.Code != tc.want {
				t.Fatalf("status %d, want %d: %s", w.Code, tc.want, w.Body)
			}
			if set := w.Header().Get("Set-Cookie") != ""; set != (tc.want == http.StatusSeeOther) {
				t.Errorf("session cookie set: %v", set)
			}
		})
	}
}

func TestClientAddressBehindTrustedProxies(t *testing.T) {
	e := newEnv(t, func(c *testConfig) {
		c.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("192.0.2.10/32")}
	})
	for _, tc := range []struct {
		name, remote, xff, want string
	}{
		{"direct client", "198.51.100.7:5000", "203.0.113.9", "198.51.100.7"},
		{"through the load balancer", "10.1.2.3:5000", "203.0.113.9", "203.0.113.9"},
		{"client-written hops are ignored", "10.1.2.3:5000", "1.1.1.1, 203.0.113.9", "203.0.113.9"},
		{"two trusted proxies", "10.1.2.3:5000", "203.0.113.9, 192.0.2.10", "203.0.113.9"},
		{"no header", "10.1.2.3:5000", "", "10.1.2.3"},
		{"malformed hop", "10.1.2.3:5000", "not-an-ip", "10.1.2.3"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest("POST", "/api/v1/session", nil)
			r.RemoteAddr = tc.remote
			if tc.xff != "" {
				r.Header.Set("X-Forwarded-For", tc.xff)
			}
			if got := e.srv.clientAddr(r); got != tc.want {
				t.Errorf("clientAddr = %q, want %q", got, tc.want)
			}
		})
	}
}
