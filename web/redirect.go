package web

import (
	"net/http"
	"net/url"
	"strings"
)

// The one rule for where a redirect may send a browser: a path of this
// site. Every target a request chose (the sign-in form's next, the page
// asked for before signing in) and every target a handler built passes
// through sitePath, so no redirect can leave the site.

// fallbackPage is where a redirect goes when its target is refused.
const fallbackPage = "/productions"

// sitePath reports whether target is a path of this site as every browser
// reads it, and returns it unchanged when it is. It refuses what a browser
// could read as another site: a scheme or host ("https:evil", "//evil"),
// a backslash ("/\evil", which browsers read as "//evil"), any control
// character, space or byte outside printable ASCII (browsers drop tabs and
// newlines, so "/\t/evil" is "//evil" to them), and the same hidden behind
// percent-encoding ("/%2F/evil", "/%09/evil", "/%5Cevil").
func sitePath(target string) (string, bool) {
	if !strings.HasPrefix(target, "/") || strings.HasPrefix(target, "//") {
		return "", false
	}
	for i := 0; i < len(target); i++ {
		if c := target[i]; c <= ' ' || c >= 0x7f || c == '\\' {
			return "", false
		}
	}
	u, err := url.Parse(target)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" {
		return "", false
	}
	p := u.Path
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") {
		return "", false
	}
	for i := 0; i < len(p); i++ {
		if c := p[i]; c < ' ' || c == 0x7f || c == '\\' {
			return "", false
		}
	}
	return target, true
}

// nextPage is where to go after signing in: next when it is a path of
// this site, else the productions.
func nextPage(next string) string {
	if p, ok := sitePath(next); ok {
		return p
	}
	return fallbackPage
}

// redirect answers a successful form or a page that lives elsewhere: 303,
// so the browser follows with a GET and a reload does not post again. A
// target that is not a path of this site goes to the productions instead.
func redirect(w http.ResponseWriter, r *http.Request, to string) error {
	http.Redirect(w, r, nextPage(to), http.StatusSeeOther)
	return nil
}
