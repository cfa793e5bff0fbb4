package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// offSite are targets a browser would read as another site, or that hide
// one behind whitespace, control characters or percent-encoding.
var offSite = []string{
	"",
	"productions",
	"//evil.example",
	"//evil.example/",
	"///evil.example",
	`/\evil.example`,
	`\\evil.example`,
	`/\/evil.example`,
	"/\t/evil.example",
	"/\n/evil.example",
	"/\r/evil.example",
	"\t//evil.example",
	" //evil.example",
	"/ /evil.example",
	"/\x00/evil.example",
	"/\x0b/evil.example",
	"/\x1f/evil.example",
	"/\x7f/evil.example",
	"/\u00a0/evil.example",
	"/\u2028/evil.example",
	"/\ufeff/evil.example",
	"/%09/evil.example",
	"/%0a/evil.example",
	"/%0D/evil.example",
	"/%00/evil.example",
	"/%2F/evil.example",
	"/%2f%2fevil.example",
	"/%5Cevil.example",
	"/%5c%5cevil.example",
	"https:evil.example",
	"https://evil.example/",
	"http:/evil.example",
	"javascript:alert(1)",
	"data:text/html,hi",
	"/a\r\nSet-Cookie: x",
	"/%zz",
}

// onSite are paths of this site, kept as they are.
var onSite = []string{
	"/",
	"/productions",
	"/productions/3",
	"/scenes/5?x=1",
	"/productions/3?filter=kissing#scene-4",
	"/productions/3/consents?page=2&q=a%20b",
	"/riders/9?next=//evil.example", // a query says nothing of the host
}

func TestRedirectTargetsStayOnThisSite(t *testing.T) {
	for _, target := range offSite {
		t.Run("refused "+url.PathEscape(target), func(t *testing.T) {
			if p, ok := sitePath(target); ok {
				t.Errorf("sitePath(%q) = %q, true; want refused", target, p)
			}
			if got := nextPage(target); got != fallbackPage {
				t.Errorf("nextPage(%q) = %q, want %q", target, got, fallbackPage)
			}
		})
	}
	for _, target := range onSite {
		t.Run("kept "+url.PathEscape(target), func(t *testing.T) {
			if p, ok := sitePath(target); !ok || p != target {
				t.Errorf("sitePath(%q) = %q, %v; want it kept", target, p, ok)
			}
		})
	}
}

// TestSignInNeverSendsABrowserOffSite: the next of the sign-in page (for
// someone already signed in) and of the sign-in form, with every off-site
// payload, answer a redirect into this site.
func TestSignInNeverSendsABrowserOffSite(t *testing.T) {
	e := newEnv(t)
	e.user("ada@example.org", "Ada", false)
	c := e.signIn("ada@example.org")
	check := func(t *testing.T, w *http.Response, target string) {
		t.Helper()
		loc := w.Header.Get("Location")
		if w.StatusCode != http.StatusSeeOther {
			t.Fatalf("next %q: status %d, want 303", target, w.StatusCode)
		}
		if _, ok := sitePath(loc); !ok || loc != fallbackPage {
			t.Fatalf("next %q: Location %q, want %q", target, loc, fallbackPage)
		}
	}
	for _, target := range append(offSite, "/%09/evil.example", "/\t/evil.example") {
		t.Run("page "+url.PathEscape(target), func(t *testing.T) {
			w := e.do(call{method: "GET", path: "/signin?next=" + url.QueryEscape(target), cred: c})
			check(t, w.Result(), target)
		})
		t.Run("form "+url.PathEscape(target), func(t *testing.T) {
			form := url.Values{"email": {"ada@example.org"}, "password": {testPassword}, "next": {target}}
			w := e.do(call{method: "POST", path: "/signin", body: strings.NewReader(form.Encode()), contentType: "application/x-www-form-urlencoded"})
			check(t, w.Result(), target)
		})
	}
	// The tab of the report, as a browser sends it in the address.
	w := e.do(call{method: "GET", path: "/signin?next=/%09/evil.example", cred: c})
	check(t, w.Result(), "/%09/evil.example")

	// A path of this site is kept.
	w = e.do(call{method: "GET", path: "/signin?next=" + url.QueryEscape("/productions/3?x=1"), cred: c})
	if loc := w.Header().Get("Location"); loc != "/productions/3?x=1" {
		t.Fatalf("next /productions/3?x=1: Location %q", loc)
	}
}
