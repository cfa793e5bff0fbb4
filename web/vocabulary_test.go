package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"closedset/auth"
	"closedset/breakdown"
	"closedset/consent"
	"closedset/textfield"
)

// TestOpenAPIVocabulariesAreTheGoOnes: the served OpenAPI document lists
// each vocabulary as the package that defines it does, and the
// hand-written file holds no copy of them to drift.
func TestOpenAPIVocabulariesAreTheGoOnes(t *testing.T) {
	e := newEnv(t)
	w := e.do(call{method: "GET", path: "/api/v1/openapi.json"})
	var doc struct {
		Components struct {
			Schemas map[string]struct {
				Enum []string `json:"enum"`
			} `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	var roles, categories []string
	for _, r := range auth.ProductionRoles() {
		roles = append(roles, string(r))
	}
	for _, c := range breakdown.Categories {
		categories = append(categories, string(c))
	}
	for name, want := range map[string][]string{
		"Role":            roles,
		"Policy":          consent.PolicyNames(),
		"Category":        categories,
		"ContentCategory": consent.ContentCategories(),
		"BodyArea":        consent.BodyAreas(),
	} {
		if got := doc.Components.Schemas[name].Enum; !slices.Equal(got, want) {
			t.Errorf("schema %s: enum %v, want %v", name, got, want)
		}
	}
	for _, copied := range []string{`"sag_aftra"`, `"intimate_touch"`, `"inner_thighs"`, `"legal"`} {
		if strings.Contains(string(openAPI), copied) {
			t.Errorf("openapi.json spells out %s: a vocabulary belongs to its package", copied)
		}
	}
}

// TestEveryPolicyThePageOffersParses: the new-production form offers
// exactly consent's policy packs, each by a name consent reads, and tells
// each pack's usual time zone.
func TestEveryPolicyThePageOffersParses(t *testing.T) {
	w := newWorld(t)
	page := w.do(call{method: "GET", path: "/productions", cred: cred{token: w.tokens["producer"]}}).Body.String()
	sel := page[strings.Index(page, `<select id="policy"`):]
	sel = sel[:strings.Index(sel, "</select>")]
	var offered []string
	for _, m := range regexp.MustCompile(`<option value="([^"]*)"`).FindAllStringSubmatch(sel, -1) {
		offered = append(offered, m[1])
		if _, err := consent.PolicyByName(m[1]); err != nil {
			t.Errorf("the form offers %q: %v", m[1], err)
		}
	}
	if !slices.Equal(offered, consent.PolicyNames()) {
		t.Errorf("the form offers %v, want consent's %v", offered, consent.PolicyNames())
	}
	if !strings.Contains(sel, `value="`+consent.DefaultPolicyName+`" selected`) {
		t.Errorf("the default pack %s is not selected:\n%s", consent.DefaultPolicyName, sel)
	}
	for _, p := range consent.Policies() {
		if !strings.Contains(page, p.Title+": "+p.TimeZone) {
			t.Errorf("the form does not tell %s's usual zone %s", p.Title, p.TimeZone)
		}
	}
	if want := fmt.Sprintf(`maxlength="%d"`, textfield.MaxTitle); !strings.Contains(page, want) {
		t.Errorf("the title field lacks %s", want)
	}
}

// TestAPIAndPageDefaultTheSameTimeZone: a production created with no time
// zone gets its policy pack's usual one, whether made by the API or the
// page.
func TestAPIAndPageDefaultTheSameTimeZone(t *testing.T) {
	w := newWorld(t)
	tok := cred{token: w.tokens["producer"]}
	for _, pack := range consent.Policies() {
		t.Run(pack.Name, func(t *testing.T) {
			var p struct {
				ID       int64
				TimeZone string `json:"time_zone"`
			}
			w.json(call{method: "POST", path: "/api/v1/productions", body: jsonBody(map[string]string{"title": "By API", "policy": pack.Name}), cred: tok}, http.StatusCreated, &p)
			if p.TimeZone != pack.TimeZone {
				t.Errorf("API: time zone %q, want %q", p.TimeZone, pack.TimeZone)
			}
			form := url.Values{"title": {"By page " + pack.Name}, "policy": {pack.Name}, "time_zone": {""}}
			r := w.do(call{method: "POST", path: "/productions", body: strings.NewReader(form.Encode()), contentType: "application/x-www-form-urlencoded", cred: tok})
			if r.Code != http.StatusSeeOther {
				t.Fatalf("page: %d %s", r.Code, r.Body)
			}
			var id int64
			if _, err := fmt.Sscanf(r.Header().Get("Location"), "/productions/%d", &id); err != nil {
				t.Fatal(err)
			}
			got, err := w.srv.ops.Production(t.Context(), id)
			if err != nil || got.TimeZone != pack.TimeZone {
				t.Errorf("page: time zone %q (%v), want %q", got.TimeZone, err, pack.TimeZone)
			}
		})
	}
}

// TestRepeatedFieldsAreRefusedInAPIAndPlanBodies: the API's bodies and the
// plan go through the one strict decoder, which refuses a field given
// twice (encoding/json would keep the last silently).
func TestRepeatedFieldsAreRefusedInAPIAndPlanBodies(t *testing.T) {
	w := newWorld(t)
	for _, tc := range []struct {
		name, method, path, body, who string
	}{
		{"production", "POST", "/api/v1/productions", `{"title": "A", "title": "B", "policy": "custom"}`, "producer"},
		{"production, in two cases", "POST", "/api/v1/productions", `{"title": "A", "TITLE": "B", "policy": "custom"}`, "producer"},
		{"token", "POST", "/api/v1/tokens", `{"name": "a", "name": "b"}`, "producer"},
		{"plan", "PUT", fmt.Sprintf("/api/v1/scenes/%d/plan", w.scene.ID), `{"description": "one", "description": "two", "performers": []}`, "ic"},
		{"boundaries", "PUT", "/api/v1/performers/1/boundaries", `{"notes": "a", "notes": "b"}`, "ic"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := w.do(call{method: tc.method, path: tc.path, body: strings.NewReader(tc.body), cred: cred{token: w.tokens[tc.who]}})
			code, msg := errorCode(t, r)
			if r.Code != http.StatusBadRequest || code != "bad_request" || !strings.Contains(msg, "twice") && !strings.Contains(msg, "lower case") {
				t.Errorf("%s %s: %d %s %q, want 400 naming the repeated field", tc.method, tc.path, r.Code, code, msg)
			}
		})
	}
}

// TestTextLimitsCountCharacters: a title at its limit in letters of two
// bytes is accepted by the API (a byte count would refuse it), one more
// letter is not.
func TestTextLimitsCountCharacters(t *testing.T) {
	w := newWorld(t)
	tok := cred{token: w.tokens["producer"]}
	long := strings.Repeat("é", textfield.MaxTitle)
	var p struct{ Title string }
	w.json(call{method: "POST", path: "/api/v1/productions", body: jsonBody(map[string]string{"title": long, "policy": "custom"}), cred: tok}, http.StatusCreated, &p)
	if p.Title != long {
		t.Errorf("title kept as %q", p.Title)
	}
	r := w.do(call{method: "POST", path: "/api/v1/productions", body: jsonBody(map[string]string{"title": long + "é", "policy": "custom"}), cred: tok})
	if _, msg := errorCode(t, r); r.Code != http.StatusBadRequest || !strings.Contains(msg, "characters") {
		t.Errorf("a title over the limit: %d %q", r.Code, msg)
	}
}
