package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"closedset/auth"
)

// shownOnce are the forms whose success shows a secret once (a new
// account's or a reset's one-time password, an invitation's link):
// answered in place, never cached, rather than redirected to a page that
// would have to keep it.
var shownOnce = map[string]bool{
	"POST /productions/{id}/members":    true,
	"POST /admin/users":                 true,
	"POST /admin/users/{user_id}/reset": true,
	"POST /account/calendars":           true,
}

// prgAs is who posts each page form in TestEveryFormRedirectsAfterSuccess
// when it is not the first production role the table admits: the
// performer signs and re-confirms their own.
var prgAs = map[string]string{
	"POST /riders/{id}/sign":                 "performer",
	"POST /scenes/{id}/consents/reconfirm":   "performer",
	"POST /scenes/{id}/consents/withdraw":    "performer",
	"POST /productions/{id}/members":         "producer",
	"POST /productions/{id}/policy":          "producer",
	"POST /productions/{id}/performers":      "ic",
	"POST /performers/{id}/riders":           "ic",
	"POST /performers/{id}/boundaries":       "ic",
	"POST /scenes/{id}/plan":                 "ic",
	"POST /scenes/{id}/schedule":             "ad",
	"POST /scenes/{id}/safeguards":           "ic",
	"POST /productions/{id}/scripts":         "ic",
	"POST /flags/{id}/review":                "ic",
	"POST /productions/{id}/shoot-days":      "ad",
	"POST /productions/{id}/schedule":        "ad",
	"POST /shoot-days/{id}/scenes":           "ad",
	"POST /requests/{id}/state":              "costume",
	"POST /scenes/{id}/check-ins":            "performer",
	"POST /admin/users":                      "admin",
	"POST /admin/users/{user_id}/disable":    "admin",
	"POST /admin/users/{user_id}/enable":     "admin",
	"POST /admin/users/{user_id}/reset":      "admin",
	"POST /trainer/users/{user_id}/signoffs": "trainer",
	"POST /productions/{id}/ic-of-record":    "producer",
}

// TestEveryFormRedirectsAfterSuccess: every page form (each POST route
// outside /api/, from the route table) answers a successful post with 303
// See Other to a page that a GET then shows, so the browser never rests on
// a POST URL and a reload posts nothing again. The valid requests are the
// authorization matrix's; each form posts into a fresh world.
func TestEveryFormRedirectsAfterSuccess(t *testing.T) {
	routes := newEnv(t).srv.Routes()
	for _, ri := range routes {
		if ri.Method != http.MethodPost || ri.API() {
			continue
		}
		t.Run(ri.Pattern, func(t *testing.T) {
			mr, ok := matrixRequests[ri.Pattern]
			if !ok {
				t.Fatalf("form %s has no valid request in matrixRequests", ri.Pattern)
			}
			w := newWorld(t)
			if ri.Pattern == "POST /scenes/{id}/consents/reconfirm" {
				// A change that only takes away (the contact line):
				// the signed consent goes stale and may be re-confirmed.
				pl := simplePlan(w.performer.ID, "World plan")
				pl.Performers[0].Contact = nil
				if _, err := w.srv.ops.PutPlan(context.Background(), w.asIC().caller(), w.scene.ID, pl); err != nil {
					t.Fatal(err)
				}
			} else if mr.before != nil {
				mr.before(t, w)
			}
			vals, err := w.pathValues(ri.Path)
			if err != nil {
				t.Fatal(err)
			}
			who := prgAs[ri.Pattern]
			if who == "" {
				who = "ic"
			}
			if mr.freshFor != nil {
				vals = mr.freshFor(t, w, who)
			}
			path := ri.Path
			for k, v := range vals {
				path = strings.Replace(path, "{"+k+"}", v, 1)
			}
			c := call{method: "POST", path: path, cred: cred{token: w.tokens[who]}}
			if mr.body != nil {
				c.body, c.contentType = mr.body(w)
			}
			if ri.Action == auth.Action("") || ri.Action == signedIn {
				c.cred = w.signIn(w.users[who].Email) // the session forms: sign-in and sign-out
				if ri.Path == "/signin" {
					c.cred = cred{}
				}
			}
			got := w.do(c)
			if shownOnce[ri.Pattern] {
				if got.Code != http.StatusOK || !strings.Contains(got.Header().Get("Cache-Control"), "no-store") {
					t.Fatalf("POST %s: %d, Cache-Control %q; want 200 shown once, no-store", path, got.Code, got.Header().Get("Cache-Control"))
				}
				return
			}
			loc := got.Header().Get("Location")
			if got.Code != http.StatusSeeOther || loc == "" {
				t.Fatalf("POST %s as %s: %d (Location %q), want 303 to a page:\n%.600s", path, who, got.Code, loc, got.Body)
			}
			u, err := url.Parse(loc)
			if err != nil || u.Host != "" || !strings.HasPrefix(u.Path, "/") {
				t.Fatalf("POST %s redirects to %q, not to a page of this site", path, loc)
			}
			if ri.Path == "/signout" || ri.Path == "/signin" {
				return // the session changed: the page is another's to follow
			}
			page := w.do(call{method: "GET", path: u.RequestURI(), cred: cred{token: w.tokens[who]}})
			if page.Code != http.StatusOK {
				t.Errorf("GET %s after POST %s: %d, want 200", loc, path, page.Code)
			}
		})
	}
}
