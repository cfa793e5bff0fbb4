package web

import (
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"closedset/audit"
	"closedset/auth"
	"closedset/ops"
	"closedset/production"
)

// TestPagesAnswerEveryRole renders each page of a production with two
// revisions for a member of every role, through the real server and
// store: each page answers as the permission table says, renders without
// template errors, and shows review buttons only to those who may review.
func TestPagesAnswerEveryRole(t *testing.T) {
	ctx := context.Background()
	st := browserStore(t)
	srv, err := New(Config{Ops: testOps(t, st), CSRFKey: []byte(strings.Repeat("k", 32))})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)

	producer := seedUser(t, st, "producer")
	p, err := st.CreateProduction(ctx, producer.Actor(), production.NewProduction{Title: "Harbor Lights", Policy: "sag_aftra", TimeZone: "America/Los_Angeles"})
	if err != nil {
		t.Fatal(err)
	}
	rq := &request{User: producer, ProductionID: p.ID, Roles: auth.RolesOf(auth.Producer)}
	first := uploadFile(t, srv, rq, 0, filepath.Join("..", "screenplay", "testdata", "twins", "harbor.fountain"))
	second := uploadFile(t, srv, rq, first.ScriptID, filepath.Join("testdata", "harbor-v2.fountain"))
	scenes, err := st.Scenes(ctx, second.ID)
	if err != nil || len(scenes) == 0 {
		t.Fatalf("scenes of the second revision: %v, %d", err, len(scenes))
	}

	stranger := seedUser(t, st, "stranger")
	for _, role := range append(auth.ProductionRoles(), "") {
		u := stranger
		if role != "" {
			u = seedUser(t, st, string(role)+"-member")
			if _, err := st.AddMember(ctx, producer.Actor(), p.ID, u.ID, role); err != nil {
				t.Fatal(err)
			}
		}
		cookie := sessionCookie(t, st, u)
		p0 := auth.Principal{Roles: auth.RolesOf(role)}
		name := string(role)
		if name == "" {
			name = "stranger"
		}
		pages := []struct {
			path   string
			action auth.Action
		}{
			{"/productions", auth.ProductionList},
			{fmt.Sprintf("/productions/%d", p.ID), auth.ProductionRead},
			{fmt.Sprintf("/productions/%d?show=unreviewed", p.ID), auth.ProductionRead},
			{fmt.Sprintf("/scenes/%d", scenes[0].ID), auth.SceneRead},
			{fmt.Sprintf("/revisions/%d/diff", second.ID), auth.RevisionDiff},
		}
		for _, pg := range pages {
			t.Run(name+pg.path, func(t *testing.T) {
				status, body := get(t, ts.URL+pg.path, cookie)
				want := http.StatusOK
				switch {
				case auth.Can(p0, pg.action, false):
				case role == "":
					want = http.StatusNotFound // a stranger learns nothing
				default:
					want = http.StatusForbidden
				}
				if status != want {
					t.Fatalf("GET %s as %s: %d, want %d\n%s", pg.path, name, status, want, body)
				}
				if !strings.Contains(body, "</html>") {
					t.Fatalf("GET %s as %s: not a whole page:\n%s", pg.path, name, body)
				}
				review := strings.Contains(body, `value="confirmed"`)
				if review && !auth.Can(p0, auth.FlagReview, false) {
					t.Errorf("GET %s as %s shows review buttons", pg.path, name)
				}
			})
		}
	}
}

func TestSignedOutPagesGoToSignIn(t *testing.T) {
	st := browserStore(t)
	srv, err := New(Config{Ops: testOps(t, st), CSRFKey: []byte(strings.Repeat("k", 32))})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for path, want := range map[string]string{
		"/":              "/signin?next=%2F",
		"/productions":   "/signin?next=%2Fproductions",
		"/productions/1": "/signin?next=%2Fproductions%2F1",
	} {
		resp, err := client.Get(ts.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != want {
			t.Errorf("GET %s signed out: %d to %q, want 303 to %q", path, resp.StatusCode, resp.Header.Get("Location"), want)
		}
	}
}

func seedUser(t *testing.T, st ops.Store, name string) auth.User {
	t.Helper()
	u, err := st.CreateUser(context.Background(), audit.Actor{Name: "test"},
		auth.NewUser{Email: name + "@example.com", Name: name, PasswordHash: browserHash})
	if err != nil {
		t.Fatalf("seed %s: %v", name, err)
	}
	return u
}

// sessionCookie signs u in through the store, as signIn would after the
// password check: no argon2 time spent.
func sessionCookie(t *testing.T, st ops.Store, u auth.User) *http.Cookie {
	t.Helper()
	id, hash, err := auth.NewSessionID(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	if err := st.CreateSession(context.Background(), auth.Session{Hash: hash, UserID: u.ID, Created: now, Expires: now.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	return &http.Cookie{Name: "closedset_session", Value: id}
}

func uploadFile(t *testing.T, srv *Server, rq *request, scriptID int64, file string) production.Revision {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rev, err := srv.ops.UploadScript(context.Background(), rq.caller(), scriptID, filepath.Base(file), mustRead(t, f))
	if err != nil {
		t.Fatalf("upload %s: %v", file, err)
	}
	return rev
}

func get(t *testing.T, url string, c *http.Cookie) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.AddCookie(c)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b)
}

func TestSignInErrorsDoNotSayWhichWasWrong(t *testing.T) {
	st := browserStore(t)
	seedUser(t, st, "ida")
	srv, err := New(Config{Ops: testOps(t, st), CSRFKey: []byte(strings.Repeat("k", 32)), Limits: auth.Limits{PerAccount: 2}})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	tries := []struct {
		name, email string
		status      int
		message     string
	}{
		{"unknown email", "nobody@example.com", http.StatusUnauthorized, "Wrong email or password"},
		{"wrong password", "ida@example.com", http.StatusUnauthorized, "Wrong email or password"},
		{"again", "ida@example.com", http.StatusUnauthorized, "Wrong email or password"},
		{"rate limited", "ida@example.com", http.StatusTooManyRequests, "Too many login attempts"},
	}
	for _, tt := range tries {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := http.PostForm(ts.URL+"/signin", map[string][]string{"email": {tt.email}, "password": {"not it"}})
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != tt.status || !strings.Contains(string(b), tt.message) {
				t.Errorf("POST /signin: %d, want %d with %q\n%s", resp.StatusCode, tt.status, tt.message, b)
			}
			if !strings.Contains(string(b), `value="`+tt.email+`"`) {
				t.Errorf("the form does not keep the email typed")
			}
		})
	}
}

func TestFormWithoutCSRFTokenChangesNothing(t *testing.T) {
	st := browserStore(t)
	u := seedUser(t, st, "ida")
	srv, err := New(Config{Ops: testOps(t, st), CSRFKey: []byte(strings.Repeat("k", 32))})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	req, err := http.NewRequest(http.MethodPost, ts.URL+"/productions", strings.NewReader("title=Forged&policy=custom"))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.AddCookie(sessionCookie(t, st, u))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden || !strings.Contains(string(b), "CSRF") {
		t.Errorf("POST /productions without a CSRF token: %d\n%s", resp.StatusCode, b)
	}
	if ms, err := st.ProductionsOf(context.Background(), u.ID); err != nil || len(ms) != 0 {
		t.Errorf("productions after the refused form: %v, %v", ms, err)
	}
}

// TestPolicyFormTightensAndRefusesLoosening: the production page shows the
// policy in force; its form saves a longer notice and refuses one below
// the pack's floor, saying why, with nothing stored.
func TestPolicyFormTightensAndRefusesLoosening(t *testing.T) {
	w := newWorld(t)
	prod := fmt.Sprintf("/productions/%d", w.prod.ID)
	post := func(hours string) *httptest.ResponseRecorder {
		form := url.Values{"notice_hours": {hours}, "studio_teacher_under": {"16"}, "barriers_for_simulated_sex": {"on"},
			"guardian_for_minors": {"on"}, "pause_word": {"Hold the roll"}}
		return w.do(call{method: "POST", path: prod + "/policy", body: strings.NewReader(form.Encode()),
			contentType: "application/x-www-form-urlencoded", cred: cred{token: w.tokens["producer"]}})
	}
	r := post("24")
	if r.Code != http.StatusUnprocessableEntity {
		t.Fatalf("a 24 h notice: %d, want 422", r.Code)
	}
	fieldErrorShown(t, r.Body.String(), "policy-notice", "Rider notice: 24 hours is shorter than 48 hours")
	if _, ok, _ := w.srv.ops.PolicyOf(context.Background(), w.prod.ID); ok {
		t.Fatal("a refused policy was stored")
	}
	if r := post("96"); r.Code != http.StatusSeeOther {
		t.Fatalf("a 96 h notice: %d %s", r.Code, r.Body)
	}
	page := w.do(call{method: "GET", path: prod, cred: cred{token: w.tokens["costume"]}}).Body.String()
	if !strings.Contains(page, "96 hours") || !strings.Contains(page, "Hold the roll") || strings.Contains(page, "Save the policy") {
		t.Errorf("a costume head's production page: want the policy in force without its form")
	}
}
