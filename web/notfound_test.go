package web

import (
	"net/http"
	"strings"
	"testing"
)

// TestUnknownPageIsAFriendlyPage: an address no route serves answers the
// app's own page (its stylesheet, a heading, a way home), signed in or
// not, with 404; a method a page does not take, 405 with Allow; under
// /api/ both stay JSON errors.
func TestUnknownPageIsAFriendlyPage(t *testing.T) {
	e := newEnv(t)
	u := e.user("ada@example.org", "Ada Lee", false)
	signedIn := e.signIn(u.Email)
	for _, tc := range []struct {
		name   string
		method string
		path   string
		cred   cred
		status int
		want   []string
	}{
		{"unknown page, signed in", "GET", "/no/such/page", signedIn, http.StatusNotFound,
			[]string{"<h1>Not found</h1>", "There is no page at this address", `href="/productions"`, "app.css", "Ada Lee"}},
		{"unknown page, signed out", "GET", "/productions/1/nothing-here", cred{}, http.StatusNotFound,
			[]string{"<h1>Not found</h1>", `href="/signin"`, "app.css"}},
		{"missing static file", "GET", "/static/nope.css", cred{}, http.StatusNotFound,
			[]string{"<h1>Not found</h1>", "app.css"}},
		{"wrong method", "DELETE", "/signin", cred{}, http.StatusMethodNotAllowed,
			[]string{"<h1>Not that way</h1>", "app.css"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := e.do(call{method: tc.method, path: tc.path, cred: tc.cred})
			body := w.Body.String()
			if w.Code != tc.status || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/html") {
				t.Fatalf("%s %s: %d %s, want %d HTML", tc.method, tc.path, w.Code, w.Header().Get("Content-Type"), tc.status)
			}
			if strings.Contains(body, "404 page not found") {
				t.Errorf("%s: Go's bare answer", tc.path)
			}
			for _, want := range tc.want {
				if !strings.Contains(body, want) {
					t.Errorf("%s %s lacks %q:\n%.600s", tc.method, tc.path, want, body)
				}
			}
			if tc.status == http.StatusMethodNotAllowed && !strings.Contains(w.Header().Get("Allow"), "GET") {
				t.Errorf("405 without Allow: %q", w.Header().Get("Allow"))
			}
		})
	}
	for _, tc := range []struct {
		method, path string
		status       int
		code         string
	}{
		{"GET", "/api/unknown", http.StatusNotFound, "not_found"},
		{"GET", "/api/v1/nothing", http.StatusNotFound, "not_found"},
		{"DELETE", "/api/v1/productions", http.StatusMethodNotAllowed, "method_not_allowed"},
	} {
		w := e.do(call{method: tc.method, path: tc.path, cred: signedIn})
		if w.Code != tc.status || !strings.HasPrefix(w.Header().Get("Content-Type"), "application/json") {
			t.Fatalf("%s %s: %d %s, want %d JSON", tc.method, tc.path, w.Code, w.Header().Get("Content-Type"), tc.status)
		}
		if code, _ := errorCode(t, w); code != tc.code {
			t.Errorf("%s %s: code %s, want %s", tc.method, tc.path, code, tc.code)
		}
	}
}
