package web

import (
	"archive/zip"
	"bytes"
	"io"
	"net/http"
	"strings"
	"testing"
)

// uploader is a production with an IC who uploads into it.
func uploader(t *testing.T) (*env, cred, int64, func() counts) {
	t.Helper()
	e := newEnv(t)
	ic := e.user("ic@example.org", "Ivy", false)
	tok := cred{token: e.token(ic)}
	var p struct{ ID int64 }
	e.json(call{method: "POST", path: "/api/v1/productions", body: jsonBody(map[string]string{"title": "T", "policy": "sag_aftra"}), cred: tok}, http.StatusCreated, &p)
	return e, tok, p.ID, func() counts { return e.counts([]int64{p.ID}, []int64{ic.ID}) }
}

func zipFile(t *testing.T) []byte {
	var b bytes.Buffer
	z := zip.NewWriter(&b)
	f, _ := z.Create("script.fountain")
	f.Write([]byte(fountain))
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// hidden hides a reader's length, as a chunked upload does.
func hidden(b []byte) io.Reader { return io.MultiReader(bytes.NewReader(b)) }

func TestBadUploadsWriteNothing(t *testing.T) {
	e, tok, pid, count := uploader(t)
	big := bytes.Repeat([]byte("INT. ROOM - DAY\n\nA line.\n\n"), (300<<10)/25)
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00")
	for _, tc := range []struct {
		name     string
		query    string
		body     io.Reader
		status   int
		code     string
		mentions string
	}{
		{"oversized with a length", "?filename=big.fountain", bytes.NewReader(big), http.StatusRequestEntityTooLarge, "too_large", "limit"},
		{"oversized without a length", "?filename=big.fountain", hidden(big), http.StatusRequestEntityTooLarge, "too_large", "limit"},
		{"a PNG", "?filename=photo.png", bytes.NewReader(png), http.StatusUnprocessableEntity, "unprocessable", "photo.png"},
		{"a ZIP", "?filename=script.zip", bytes.NewReader(zipFile(t)), http.StatusUnprocessableEntity, "unprocessable", "script.zip"},
		{"empty", "?filename=empty.fountain", strings.NewReader(""), http.StatusUnprocessableEntity, "unprocessable", "empty"},
		{"text with no scene", "?filename=notes.txt", strings.NewReader("Call sheet notes.\nBring the lamp.\n"), http.StatusUnprocessableEntity, "unprocessable", "no scene headings"},
		{"no filename", "", strings.NewReader(fountain), http.StatusBadRequest, "bad_request", "filename"},
		{"a control character in the filename", "?filename=a%0Ab.fountain", strings.NewReader(fountain), http.StatusBadRequest, "bad_request", "filename"},
		{"a script of another production", "?filename=a.fountain&script_id=999", strings.NewReader(fountain), http.StatusNotFound, "not_found", "999"},
		{"a malformed script id", "?filename=a.fountain&script_id=x", strings.NewReader(fountain), http.StatusBadRequest, "bad_request", "script_id"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := count()
			w := e.do(call{method: "POST", path: "/api/v1/productions/" + itoa(pid) + "/scripts" + tc.query, body: tc.body, contentType: "application/octet-stream", cred: tok})
			if w.Code != tc.status {
				t.Fatalf("status %d, want %d: %s", w.Code, tc.status, w.Body)
			}
			code, msg := errorCode(t, w)
			if code != tc.code || !strings.Contains(msg, tc.mentions) {
				t.Errorf("error %s %q, want %s mentioning %q", code, msg, tc.code, tc.mentions)
			}
			if after := count(); after != before {
				t.Errorf("store changed: %+v, then %+v", before, after)
			}
		})
	}
	// The same upload within the limits is stored.
	e.json(call{method: "POST", path: "/api/v1/productions/" + itoa(pid) + "/scripts?filename=small.fountain", body: strReader(fountain), contentType: "text/plain", cred: tok}, http.StatusCreated, nil)
}

func TestMalformedJSONWritesNothing(t *testing.T) {
	e, tok, _, count := uploader(t)
	for _, tc := range []struct {
		name        string
		body        string
		contentType string
		status      int
		mentions    string
	}{
		{"syntax error", `{"title": "T", "policy": }`, "", 400, "offset"},
		{"cut short", `{"title": "T"`, "", 400, "ends early"},
		{"unknown field", `{"title": "T", "policy": "sag_aftra", "budget": 1}`, "", 400, `"budget"`},
		{"wrong type", `{"title": 7, "policy": "sag_aftra"}`, "", 400, `"title"`},
		{"two values", `{"title": "T", "policy": "sag_aftra"} {}`, "", 400, "exactly one"},
		{"empty", ``, "", 400, "empty"},
		{"not an object", `[1, 2]`, "", 400, "want"},
		{"not JSON at all", `title=T`, "application/x-www-form-urlencoded", 400, "application/json"},
		{"unknown policy", `{"title": "T", "policy": "wild_west"}`, "", 400, "policy"},
		{"unknown time zone", `{"title": "T", "policy": "sag_aftra", "time_zone": "Mars/Olympus"}`, "", 400, "time_zone"},
		{"blank title", `{"title": "  ", "policy": "sag_aftra"}`, "", 400, "title"},
		{"over a MiB", `{"title": "` + strings.Repeat("a", maxJSONBody) + `", "policy": "sag_aftra"}`, "", 413, "limit"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := count()
			w := e.do(call{method: "POST", path: "/api/v1/productions", body: strReader(tc.body), contentType: tc.contentType, cred: tok})
			if w.Code != tc.status {
				t.Fatalf("status %d, want %d: %s", w.Code, tc.status, w.Body)
			}
			if _, msg := errorCode(t, w); !strings.Contains(msg, tc.mentions) {
				t.Errorf("message %q does not mention %q", msg, tc.mentions)
			}
			if after := count(); after != before {
				t.Errorf("store changed: %+v, then %+v", before, after)
			}
		})
	}
}

func TestUnroutedAPIPathsAnswerJSON(t *testing.T) {
	e := newEnv(t)
	w := e.do(call{method: "GET", path: "/api/v1/nothing-here"})
	if code, _ := errorCode(t, w); w.Code != 404 || code != "not_found" {
		t.Errorf("unknown path: %d %s", w.Code, code)
	}
	w = e.do(call{method: "PATCH", path: "/api/v1/productions"})
	if code, _ := errorCode(t, w); w.Code != 405 || code != "method_not_allowed" || w.Header().Get("Allow") == "" {
		t.Errorf("wrong method: %d %s, Allow %q", w.Code, code, w.Header().Get("Allow"))
	}
}

func TestSecurityHeadersAndHealth(t *testing.T) {
	e := newEnv(t)
	w := e.do(call{method: "GET", path: "/healthz"})
	if w.Code != 200 || strings.TrimSpace(w.Body.String()) != `{"status":"ok"}` {
		t.Errorf("healthz: %d %s", w.Code, w.Body)
	}
	for h, want := range map[string]string{
		"X-Content-Type-Options": "nosniff",
		"Referrer-Policy":        "same-origin",
		"X-Frame-Options":        "DENY",
	} {
		if got := w.Header().Get(h); got != want {
			t.Errorf("%s = %q, want %q", h, got, want)
		}
	}
	if csp := w.Header().Get("Content-Security-Policy"); !strings.HasPrefix(csp, "default-src 'self'") {
		t.Errorf("CSP %q", csp)
	}
}
