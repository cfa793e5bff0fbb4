package web

import (
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"closedset/auth"
	"closedset/production"
)

// TestProductionPageSplitsManyScenesIntoPages: a 137-scene script shows
// its flagged scenes by default, and all 137 fifty to a page, with
// previous, next and numbered links that work without JavaScript; a
// review on page 2 comes back to page 2.
func TestProductionPageSplitsManyScenesIntoPages(t *testing.T) {
	e := newEnv(t)
	ic := e.user("ic@example.org", "Ivy Coordinator", false)
	np := newProduction("Long Show")
	np.Role = auth.IC
	p, err := e.st.CreateProduction(t.Context(), ic.Actor(), np)
	if err != nil {
		t.Fatal(err)
	}
	var script strings.Builder
	script.WriteString("Title: Long Show\n\n")
	for i := 1; i <= 137; i++ {
		fmt.Fprintf(&script, "INT. ROOM %d - DAY\n\n", i)
		if i%10 == 0 {
			script.WriteString("ANNA kisses MARK.\n\n")
		} else {
			script.WriteString("ANNA reads the paper.\n\n")
		}
	}
	file := filepath.Join(t.TempDir(), "long.fountain")
	if err := os.WriteFile(file, []byte(script.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	e.addRevision(ic, p.ID, 0, file)
	tok := e.token(ic)
	get := func(query string) string {
		t.Helper()
		w := e.do(call{method: "GET", path: fmt.Sprintf("/productions/%d%s", p.ID, query), cred: cred{token: tok}})
		if w.Code != http.StatusOK {
			t.Fatalf("GET %s: %d", query, w.Code)
		}
		return w.Body.String()
	}
	sceneArticle := regexp.MustCompile(`<article class="scene[^"]*" id="scene-(\d+)">\s*<h3><a [^>]*>(?:<span class="num">[^<]*</span> )?INT\. ROOM (\d+)`)
	rooms := func(body string) []string {
		var out []string
		for _, m := range sceneArticle.FindAllStringSubmatch(body, -1) {
			out = append(out, m[2])
		}
		return out
	}

	if got := rooms(get("")); len(got) != 13 || got[0] != "10" || got[12] != "130" {
		t.Errorf("the default view shows rooms %v, want the 13 flagged ones", got)
	}
	first := get("?show=all")
	if got := rooms(first); len(got) != 50 || got[0] != "1" || got[49] != "50" {
		t.Fatalf("page 1 of all shows %d scenes (%v), want rooms 1 to 50", len(got), got)
	}
	for _, link := range []string{`href="?page=2&amp;show=all#scenes" rel="next"`, `href="?page=3&amp;show=all#scenes"`, `aria-current="page"><span class="sr-only">page </span>1</a>`} {
		if !strings.Contains(first, link) {
			t.Errorf("page 1 lacks the link %s", link)
		}
	}
	if strings.Contains(first, `rel="prev"`) {
		t.Error("page 1 links to a previous page")
	}
	second := get("?show=all&page=2")
	if got := rooms(second); len(got) != 50 || got[0] != "51" {
		t.Errorf("page 2 shows %v", got)
	}
	if !strings.Contains(second, `href="?show=all#scenes" rel="prev"`) || !strings.Contains(second, "51–100 on this page") {
		t.Errorf("page 2 lacks its previous link or its range")
	}
	if got := rooms(get("?show=all&page=3")); len(got) != 37 || got[36] != "137" {
		t.Errorf("page 3 shows %d scenes, want the last 37", len(got))
	}
	if got := rooms(get("?show=all&page=99")); len(got) != 37 {
		t.Errorf("a page past the end shows %d scenes, want the last page's 37", len(got))
	}
	if len(get("?show=all")) > 200_000 {
		t.Error("page 1 of the scenes is still huge")
	}

	// A review from page 2 of all scenes comes back there.
	scenes, err := e.st.CurrentScenes(t.Context(), p.ID)
	if err != nil {
		t.Fatal(err)
	}
	var flagged production.Scene
	for _, sc := range scenes {
		if strings.HasPrefix(sc.Heading, "INT. ROOM 60 ") && len(sc.Flags) > 0 {
			flagged = sc
		}
	}
	if flagged.ID == 0 {
		t.Fatal("room 60 is not flagged")
	}
	if !strings.Contains(second, `<input type="hidden" name="page" value="2">`) {
		t.Error("the review form on page 2 does not carry its page")
	}
	w := e.do(call{method: "POST", path: fmt.Sprintf("/flags/%d/review", flagged.Flags[0].ID), cred: cred{token: tok},
		body: strings.NewReader(url.Values{"decision": {"confirmed"}, "show": {"all"}, "page": {"2"}}.Encode()), contentType: "application/x-www-form-urlencoded"})
	if want := fmt.Sprintf("/productions/%d?page=2&show=all#scene-%d", p.ID, flagged.ID); w.Code != http.StatusSeeOther || w.Header().Get("Location") != want {
		t.Errorf("review from page 2: %d to %q, want 303 to %q", w.Code, w.Header().Get("Location"), want)
	}
}
