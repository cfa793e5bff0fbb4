package web

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"closedset/auth"
	"closedset/breakdown"
	"closedset/consent"
	"closedset/production"
)

func TestHighlightMarksMatchedWordsOnly(t *testing.T) {
	tests := []struct {
		name, text, match string
		want              []piece
	}{
		{"one word", "He kisses her, slowly.", "kisses",
			[]piece{{"He ", false}, {"kisses", true}, {" her, slowly.", false}}},
		{"every occurrence, any case", "Kisses. He kisses her.", "kisses",
			[]piece{{"Kisses", true}, {". He ", false}, {"kisses", true}, {" her.", false}}},
		{"not inside a longer word", "The kissing booth. A kiss.", "kiss",
			[]piece{{"The kissing booth. A ", false}, {"kiss", true}, {".", false}}},
		{"a phrase", "They undress each other.", "undress each other",
			[]piece{{"They ", false}, {"undress each other", true}, {".", false}}},
		{"not found: nothing marked", "She smiles.", "kisses",
			[]piece{{"She smiles.", false}}},
		{"no match given", "She smiles.", "",
			[]piece{{"She smiles.", false}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := highlight(breakdown.Evidence{Text: tt.text, Match: tt.match})
			if len(got) != len(tt.want) {
				t.Fatalf("highlight(%q, %q) = %+v, want %+v", tt.text, tt.match, got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Fatalf("highlight(%q, %q) = %+v, want %+v", tt.text, tt.match, got, tt.want)
				}
			}
		})
	}
}

// A script may contain anything, markup included: evidence is shown as
// text, and only the highlighting is markup.
func TestEvidenceWithMarkupIsEscaped(t *testing.T) {
	flag := production.Flag{ID: 7, Flag: breakdown.Flag{Category: breakdown.Kissing, Confidence: 0.9,
		Evidence:  []breakdown.Evidence{{Line: 3, Text: `<script>alert("x")</script> He kisses <b>her</b>.`, Match: "kisses <b>her</b>"}},
		Situation: `setting: <i>bedroom</i>; action: kissing`}}
	sc := production.Scene{ID: 1, Heading: `INT. <img src=x onerror=alert(1)> - NIGHT`, Flags: []production.Flag{flag}}
	page := sampleProductionPage(auth.RolesOf(auth.IC))
	page.Scenes = []sceneView{newSceneView(sc, flagContext{CanReview: true, CSRF: "tok"})}
	body := render(t, "production", page)
	for _, bad := range []string{"<script>", "<b>her", "<img", "<i>bedroom"} {
		if strings.Contains(body, bad) {
			t.Errorf("page contains unescaped %q", bad)
		}
	}
	for _, want := range []string{"&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;", "<mark>kisses &lt;b&gt;her&lt;/b&gt;</mark>", "&lt;img src=x",
		// Every flag says why, beside its lines.
		`<p class="situation">Why: setting: &lt;i&gt;bedroom&lt;/i&gt;; action: kissing</p>`} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
}

func TestEveryPageRendersForEveryRole(t *testing.T) {
	user := &auth.User{ID: 1, Name: "Ada Lee", Email: "ada@example.com"}
	for _, role := range append(auth.ProductionRoles(), "") {
		roles := auth.RolesOf(role)
		pages := []struct {
			name string
			page any
		}{
			{"signin", signinPage{Email: "ada@example.com", Errors: formErrors{{Message: "Wrong email or password"}}}},
			{"productions", productionsPage{List: []production.Membership{{Production: sampleProduction(), Roles: roles}}, Form: productionForm{Policy: "sag_aftra"}, Policies: consent.Policies()}},
			{"production", sampleProductionPage(roles)},
			{"scene", scenePage{Production: sampleProduction(), Revision: production.Revision{Seq: 2}, ScriptTitle: "Harbor", Scene: newSceneView(sampleScene(), flagContext{CanReview: auth.Can(auth.Principal{Roles: roles}, auth.FlagReview, false), Return: "scene"})}},
			{"diff", sampleDiffPage()},
			{"error", errorPage{Heading: "Not found", Message: "no such scene"}},
		}
		for _, p := range pages {
			t.Run(string(role)+"/"+p.name, func(t *testing.T) {
				body := render(t, p.name, view{Title: p.name, User: user, CSRF: "tok", Page: p.page})
				if !strings.Contains(body, `<meta name="viewport"`) || !strings.Contains(body, "</html>") {
					t.Errorf("page %s is not a whole page:\n%s", p.name, body)
				}
				if strings.Contains(body, "<style") || strings.Contains(body, " style=") || strings.Contains(body, "<script") {
					t.Errorf("page %s has inline style or script, which the CSP refuses", p.name)
				}
			})
		}
	}
}

func TestReviewButtonsOnlyForThoseWhoMayReview(t *testing.T) {
	for _, role := range auth.ProductionRoles() {
		roles := auth.RolesOf(role)
		t.Run(string(role), func(t *testing.T) {
			body := render(t, "production", sampleProductionPage(roles))
			has := strings.Contains(body, `value="confirmed"`)
			if want := auth.Can(auth.Principal{Roles: roles}, auth.FlagReview, false); has != want {
				t.Errorf("review buttons shown = %v, want %v", has, want)
			}
			upload := strings.Contains(body, `enctype="multipart/form-data"`)
			if want := auth.Can(auth.Principal{Roles: roles}, auth.ScriptUpload, false); upload != want {
				t.Errorf("upload form shown = %v, want %v", upload, want)
			}
		})
	}
}

func TestEighthsReadLikeACallSheet(t *testing.T) {
	for n, want := range map[int]string{0: "length unknown", 3: "3/8 page", 8: "1 page", 11: "1 3/8 pages", 16: "2 pages"} {
		if got := eighthsLabel(n); got != want {
			t.Errorf("eighthsLabel(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestStaticFilesAreCachedByVersion(t *testing.T) {
	url := staticURL("app.css")
	rec := httptest.NewRecorder()
	serveStatic(rec, httptest.NewRequest(http.MethodGet, url, nil))
	if rec.Code != http.StatusOK || !strings.Contains(rec.Header().Get("Content-Type"), "text/css") {
		t.Fatalf("GET %s: %d %s", url, rec.Code, rec.Header().Get("Content-Type"))
	}
	if cc := rec.Header().Get("Cache-Control"); !strings.Contains(cc, "immutable") {
		t.Errorf("Cache-Control = %q, want immutable for the current version", cc)
	}
	rec = httptest.NewRecorder()
	if serveStatic(rec, httptest.NewRequest(http.MethodGet, "/static/nope.js", nil)) || rec.Body.Len() != 0 {
		t.Errorf("a missing static file was served: %d %q", rec.Code, rec.Body)
	}
}

func render(t *testing.T, name string, page any) string {
	t.Helper()
	v, ok := page.(view)
	if !ok {
		v = view{Title: name, User: &auth.User{ID: 1, Name: "Ada Lee"}, CSRF: "tok", Page: page}
	}
	rec := httptest.NewRecorder()
	if err := renderPage(rec, http.StatusOK, name, v); err != nil {
		t.Fatalf("render %s: %v", name, err)
	}
	return rec.Body.String()
}

func sampleProduction() production.Production {
	return production.Production{ID: 3, Title: "Harbor Lights", Policy: "sag_aftra", TimeZone: "Europe/London"}
}

func sampleScene() production.Scene {
	at := time.Date(2026, 3, 3, 14, 5, 0, 0, time.UTC)
	return production.Scene{ID: 5, Number: "5", Heading: "INT. NORA'S HOUSE - BEDROOM - NIGHT", Page: 3, Eighths: 6,
		Characters: []string{"NORA", "THEO"}, NeedsIC: true, Text: "Moonlight through thin curtains.",
		Flags: []production.Flag{
			{ID: 11, SceneID: 5, Flag: breakdown.Flag{Category: breakdown.Kissing, Confidence: 0.9, Characters: []string{"NORA", "THEO"},
				Evidence: []breakdown.Evidence{{Line: 70, Text: "He kisses her, slowly.", Match: "kisses"}}},
				Review: &production.Review{Decision: production.Confirmed, By: 1, ByName: "Ada Lee", At: at}},
			{ID: 12, SceneID: 5, Flag: breakdown.Flag{Category: breakdown.Nudity, Level: "partial", Confidence: 0.7,
				Evidence: []breakdown.Evidence{{Line: 72, Text: "They undress each other.", Match: "undress"}}}},
		}}
}

func sampleProductionPage(roles auth.Roles) productionPage {
	p := auth.Principal{Roles: roles}
	sc := sampleScene()
	return productionPage{
		Production: sampleProduction(), Roles: roles, Zone: loadZone("Europe/London"),
		Filters: filterLinks(showAll),
		Scenes:  []sceneView{newSceneView(sc, flagContext{CanReview: auth.Can(p, auth.FlagReview, false), CSRF: "tok", Filter: showAll})},
		Total:   1, Shown: 1, NeedIC: 1, Unreviewed: 1,
		Scripts: []scriptView{{Script: production.Script{ID: 2, Title: "Harbor Lights"}, Revisions: []revisionView{
			{Revision: production.Revision{ID: 1, Seq: 1, Filename: "harbor.fountain", Colour: "white"}, UploaderName: "Ada Lee"},
			{Revision: production.Revision{ID: 4, Seq: 2, Filename: "harbor-blue.fountain", Colour: "blue"}, UploaderName: "Ada Lee"},
		}}},
		CanUpload:    auth.Can(p, auth.ScriptUpload, false),
		Members:      []production.Member{{UserID: 1, Name: "Ada Lee", Email: "ada@example.com", Roles: roles}},
		CanAddMember: auth.Can(p, auth.MemberAdd, false),
		MemberForm:   memberForm{Role: string(auth.Performer)},
		RoleChoices:  roleChoices(),
	}
}

func sampleDiffPage() diffPage {
	added, old := sampleScene(), sampleScene()
	old.ID = 2
	return diffPage{Production: sampleProduction(), ScriptTitle: "Harbor Lights",
		Old: production.Revision{ID: 1, Seq: 1}, New: production.Revision{ID: 4, Seq: 2},
		Entries: []diffEntryView{
			{Change: production.Added, Scene: &added, FlagsAdded: []string{"kissing"}},
			{Change: production.Changed, Scene: &added, OldScene: &old, FlagsRemoved: []string{"nudity"}, TextChanged: true},
		}}
}
