package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"closedset/auth"
	"closedset/breakdown"
	"closedset/consent"
	"closedset/production"
	"closedset/textfield"
)

// The pages' templates and static files are embedded: the binary is the
// whole web app.
var (
	//go:embed templates/*.html
	templateFiles embed.FS
	//go:embed static
	staticFiles embed.FS
)

// view is what every page template gets: the page's own data in Page, and
// what the layout needs around it.
type view struct {
	Title string
	User  *auth.User // nil when signed out
	CSRF  string     // the session's CSRF token, "" when signed out
	Page  any
	// Live is the event stream (liveURL) whose "changed" events make the
	// page refetch itself (static/live.js); "" for a page that stays put.
	Live string
	// Errors are a failed form's, summarised at the top of the page with
	// links to their inputs (forms.go).
	Errors formErrors
}

// withErrors is v with a failed form's errors, for the summary at the top.
func (v view) withErrors(errs formErrors) view {
	v.Errors = errs
	return v
}

// pageNames are the page templates; each is parsed with the layout.
var pageNames = []string{"signin", "productions", "production", "scene", "diff", "error", "me", "rider", "boundaries", "consents", "riders", "invitation", "users", "account",
	"requests", "shoot", "days", "day", "takes", "credentials", "trainer"}

// pageTemplates holds every page, parsed once from the embedded files: a
// template error is a programming error that the tests catch.
var pageTemplates = mustParsePages()

// staticVersions maps a static file's name to a short hash of its content,
// for cache-busting URLs: a file served under its hash never changes, so
// browsers may keep it for a long time.
var staticVersions = hashStatic()

func mustParsePages() map[string]*template.Template {
	ts := make(map[string]*template.Template, len(pageNames))
	for _, name := range pageNames {
		t, err := template.New(name).Funcs(pageFuncs).ParseFS(templateFiles, "templates/layout.html", "templates/"+name+".html")
		if err != nil {
			panic(fmt.Sprintf("web: parse page %s: %v", name, err))
		}
		ts[name] = t
	}
	return ts
}

func hashStatic() map[string]string {
	out := map[string]string{}
	err := fs.WalkDir(staticFiles, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := staticFiles.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		out[strings.TrimPrefix(p, "static/")] = hex.EncodeToString(sum[:6])
		return nil
	})
	if err != nil {
		panic(fmt.Sprintf("web: hash static files: %v", err))
	}
	return out
}

// renderPage writes the page name with status. It renders into a buffer
// first, so a template error becomes an error for the caller, never half a
// page.
func renderPage(w http.ResponseWriter, status int, name string, v view) error {
	t, ok := pageTemplates[name]
	if !ok {
		return fmt.Errorf("render page %s: no such page", name)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", v); err != nil {
		return fmt.Errorf("render page %s: %w", name, err)
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, err := w.Write(buf.Bytes())
	return err
}

// serveStatic serves the embedded static files. A request naming the
// file's current hash (?v=) may be cached for a year; any other for a few
// minutes.
// It reports false, having written nothing, for a file it does not hold.
func serveStatic(w http.ResponseWriter, r *http.Request) bool {
	name := strings.TrimPrefix(path.Clean(r.URL.Path), "/static/")
	v, ok := staticVersions[name]
	if !ok {
		return false
	}
	h := w.Header()
	if r.URL.Query().Get("v") == v {
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		h.Set("Cache-Control", "public, max-age=300")
	}
	h.Set("ETag", `"`+v+`"`)
	h.Set("X-Content-Type-Options", "nosniff")
	http.ServeFileFS(w, r, staticFiles, "static/"+name)
	return true
}

// pageFuncs are the helpers the templates call.
var pageFuncs = template.FuncMap{
	"answersOf":  answersOf,
	"static":     staticURL,
	"highlight":  highlight,
	"flagLabel":  flagLabel,
	"category":   func(c string) string { return categoryLabel(breakdown.Category(c)) },
	"percent":    func(f float64) string { return fmt.Sprintf("%.0f%%", f*100) },
	"eighths":    eighthsLabel,
	"roles":      rolesLabel,
	"hasRole":    func(rs auth.Roles, name string) bool { return rs.Has(auth.Role(name)) },
	"policyName": policyLabel,
	"join":       strings.Join,
	"when":       whenLabel,
	"iso":        func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
	"sub":        func(a, b int) int { return a - b },
	// count writes "1 take", "3 takes": n and the word, plural unless one.
	"count": func(n int, word string) string {
		if n == 1 {
			return "1 " + word
		}
		return fmt.Sprintf("%d %ss", n, word)
	},
	"hours": func(d time.Duration) int64 { return int64(d / time.Hour) },
	"limit": pageLimit,
	// Forms' errors beside their inputs (forms.go).
	"fieldAttrs":   fieldAttrs,
	"fieldMessage": fieldMessage,
	// The consent pages'.
	"area":         areaLabel,
	"gate":         gateLabel,
	"stateMeaning": func(s consent.State) string { return stateMeanings[s] },
	"shortHash":    func(h string) string { return h[:min(len(h), 12)] },
	"has":          contains,
	"areas":        consent.BodyAreas,
	"angles":       consent.Angles,
	// The shoot day's.
	"requestCard": newRequestCard,
	"dept":        func(r auth.Role) string { return roleLabels[r] },
	"hasID":       slices.Contains[[]int64],
}

// pageLimit is a named limit for a form's maxlength or max: the very
// value the server holds the field to, read from the package that owns it.
// An unknown name fails the page's rendering, so a typo cannot ship.
func pageLimit(name string) (int, error) {
	if n, ok := textfield.Limits[name]; ok {
		return n, nil
	}
	switch name {
	case "pause_word":
		return consent.MaxPauseWord, nil
	case "notice_hours":
		return int(consent.MaxNoticePeriod / time.Hour), nil
	case "adult_age":
		return production.AdultAge, nil
	}
	return 0, fmt.Errorf("no limit named %q", name)
}

func staticURL(name string) string {
	return "/static/" + name + "?v=" + staticVersions[name]
}

// piece is a run of evidence text, marked when it is the matched words.
type piece struct {
	Text string
	Mark bool
}

// highlight splits an evidence line around every whole-word occurrence of
// its matched words, ignoring case, for the template to wrap in <mark>.
// The pieces are plain text: the template escapes them, so a script line
// with markup in it shows as text. When the match is not found (an engine
// that quotes differently) nothing is marked rather than the wrong words.
func highlight(ev breakdown.Evidence) []piece {
	text, m := ev.Text, strings.TrimSpace(ev.Match)
	if m == "" || text == "" {
		return []piece{{Text: text}}
	}
	// Lower-casing can change byte lengths in rare scripts; search the
	// lowered text only when its bytes still line up with the original.
	hay, needle := text, m
	if lt, lm := strings.ToLower(text), strings.ToLower(m); len(lt) == len(text) && len(lm) == len(m) {
		hay, needle = lt, lm
	}
	var out []piece
	last := 0
	for off := 0; off <= len(hay)-len(needle); {
		k := strings.Index(hay[off:], needle)
		if k < 0 {
			break
		}
		k += off
		end := k + len(needle)
		if wordEdge(text, k, end) {
			if k > last {
				out = append(out, piece{Text: text[last:k]})
			}
			out = append(out, piece{Text: text[k:end], Mark: true})
			last = end
			off = end
			continue
		}
		_, size := utf8.DecodeRuneInString(hay[k:])
		off = k + size
	}
	if last < len(text) {
		out = append(out, piece{Text: text[last:]})
	}
	return out
}

// wordEdge reports whether text[i:j] is not part of a longer word.
func wordEdge(text string, i, j int) bool {
	if i > 0 {
		r, _ := utf8.DecodeLastRuneInString(text[:i])
		if isWordRune(r) {
			return false
		}
	}
	if j < len(text) {
		r, _ := utf8.DecodeRuneInString(text[j:])
		if isWordRune(r) {
			return false
		}
	}
	return true
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

var categoryLabels = map[breakdown.Category]string{
	breakdown.Kissing:        "kissing",
	breakdown.IntimateTouch:  "intimate touch",
	breakdown.Nudity:         "nudity",
	breakdown.SimulatedSex:   "simulated sex",
	breakdown.SexualViolence: "sexual violence",
	breakdown.HyperExposed:   "hyper-exposed",
	breakdown.Minor:          "minor",
}

func categoryLabel(c breakdown.Category) string {
	if l, ok := categoryLabels[c]; ok {
		return l
	}
	return string(c)
}

// flagLabel names a flag as an IC reads it: "nudity (partial)",
// "hyper-exposed: medical".
func flagLabel(f breakdown.Flag) string {
	l := categoryLabel(f.Category)
	switch {
	case f.Level != "":
		l += " (" + f.Level + ")"
	case f.Kind != "":
		l += ": " + f.Kind
	}
	return l
}

// eighthsLabel writes a length in eighths of a page the way a call sheet
// does: "3/8 page", "1 2/8 pages".
func eighthsLabel(n int) string {
	switch {
	case n <= 0:
		return "length unknown"
	case n < 8:
		return fmt.Sprintf("%d/8 page", n)
	case n%8 == 0 && n == 8:
		return "1 page"
	case n%8 == 0:
		return fmt.Sprintf("%d pages", n/8)
	default:
		return fmt.Sprintf("%d %d/8 pages", n/8, n%8)
	}
}

func rolesLabel(r auth.Roles) string {
	if r == 0 {
		return "none"
	}
	var names []string
	for _, role := range r.List() {
		names = append(names, roleLabels[role])
	}
	return strings.Join(names, ", ")
}

// option is one choice of a select.
type option struct{ Value, Label string }

// policyLabel names a policy pack as pages and documents do
// (consent.Policy.Title).
func policyLabel(name string) string {
	if p, err := consent.PolicyByName(name); err == nil {
		return p.Title
	}
	return name
}

var roleLabels = map[auth.Role]string{
	auth.IC:        "intimacy coordinator",
	auth.Producer:  "producer",
	auth.Director:  "director",
	auth.AD:        "assistant director",
	auth.Costume:   "costume",
	auth.HMU:       "hair and makeup",
	auth.Props:     "props",
	auth.Stunts:    "stunts",
	auth.Camera:    "camera",
	auth.Performer: "performer",
	auth.Legal:     "legal",
}

// roleChoices lists the production roles for the add-member form.
func roleChoices() []option {
	var out []option
	for _, r := range auth.ProductionRoles() {
		out = append(out, option{string(r), roleLabels[r]})
	}
	return out
}

// whenLabel writes a time in the production's time zone.
func whenLabel(t time.Time, loc *time.Location) string {
	if loc == nil {
		loc = time.UTC
	}
	return t.In(loc).Format("2 Jan 2006 15:04 MST")
}
