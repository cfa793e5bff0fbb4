package web

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"closedset/audit"
	"closedset/auth"
	"closedset/breakdown"
	"closedset/ops"
	"closedset/production"
	"closedset/screenplay"
	"closedset/seal"
	"closedset/store"
	"closedset/store/sqlite"
)

// testPassword is every test user's password. Its argon2 hash is computed
// once and shared: one hash costs about 80 ms.
const testPassword = "correct horse battery staple"

var testHash = sync.OnceValue(func() string {
	h, err := auth.HashPassword(testPassword, rand.Reader)
	if err != nil {
		panic(err)
	}
	return h
})

// testKey is the CSRF key of test servers.
var testKey = bytes.Repeat([]byte{7}, 32)

// testSealKey seals test servers' performer-private data.
var testSealKey = seal.Key(bytes.Repeat([]byte{9}, 32))

// clock is a settable time for sessions and rate limits.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// env is a Server over a fresh SQLite file.
type env struct {
	t      testing.TB
	srv    *Server
	st     ops.Store
	clock  *clock
	dbPath string // the SQLite file (unless an edit put another store in)
}

func newEnv(t testing.TB, edit ...func(*testConfig)) *env {
	t.Helper()
	ctx := context.Background()
	c := &clock{t: time.Date(2026, 3, 3, 9, 0, 0, 0, time.UTC)}
	path := filepath.Join(t.TempDir(), "t.db")
	// The store reads the same clock: delivery times and call times are
	// then on one time line.
	st, err := sqlite.Open(ctx, path, store.WithClock(c.Now))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	cfg := testConfig{Config: Config{CSRFKey: testKey}, Store: st, Now: c.Now, MaxUpload: 256 << 10}
	for _, e := range edit {
		e(&cfg)
	}
	o, err := ops.New(ops.Config{Store: cfg.Store, SealKey: testSealKey, Now: cfg.Now, MaxUpload: cfg.MaxUpload, Logger: cfg.Logger})
	if err != nil {
		t.Fatal(err)
	}
	cfg.Ops = o
	srv, err := New(cfg.Config)
	if err != nil {
		t.Fatal(err)
	}
	return &env{t: t, srv: srv, st: cfg.Store, clock: c, dbPath: path}
}

// user creates a user directly in the store.
func (e *env) user(email, name string, admin bool) auth.User {
	e.t.Helper()
	u, err := e.st.CreateUser(context.Background(), audit.System, auth.NewUser{Email: email, Name: name, PasswordHash: testHash(), Admin: admin})
	if err != nil {
		e.t.Fatal(err)
	}
	return u
}

// token makes an API token for u directly in the store.
func (e *env) token(u auth.User) string {
	e.t.Helper()
	plain, hash, err := auth.NewToken(rand.Reader)
	if err != nil {
		e.t.Fatal(err)
	}
	if _, err := e.st.CreateToken(context.Background(), u.Actor(), auth.TokenRecord{UserID: u.ID, Name: "test", Hash: hash}); err != nil {
		e.t.Fatal(err)
	}
	return plain
}

// addRevision stores a script file as the store's callers do.
func (e *env) addRevision(by auth.User, productionID, scriptID int64, file string) production.Revision {
	e.t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		e.t.Fatal(err)
	}
	d, err := production.ReadDraft(context.Background(), filepath.Base(file), data, screenplay.Options{}, breakdown.Options{})
	if err != nil {
		e.t.Fatal(err)
	}
	rev, err := e.st.AddRevision(context.Background(), by.Actor(), production.NewRevision{
		ProductionID: productionID, ScriptID: scriptID, Title: d.Title, Filename: filepath.Base(file),
		Format: string(d.Format), Colour: d.Colour, Date: d.Date, Original: data, SHA256: d.SHA256, Scenes: d.Scenes})
	if err != nil {
		e.t.Fatal(err)
	}
	return rev
}

// cred is how a test request proves who sends it.
type cred struct {
	token  string       // Bearer
	cookie *http.Cookie // session
	csrf   string       // X-CSRF-Token
}

// call is one test request.
type call struct {
	method, path string
	body         io.Reader
	contentType  string // default application/json when there is a body
	cred         cred
	// stream: the route answers a stream that lasts until the client
	// leaves (routeInfo.Stream); the client leaves after streamWindow.
	stream bool
}

// streamWindow is how long a test reads a stream before leaving: enough
// for its headers and first lines, short enough to walk every route.
const streamWindow = 200 * time.Millisecond

// do serves c and returns the recorded answer.
func (e *env) do(c call) *httptest.ResponseRecorder {
	e.t.Helper()
	r := httptest.NewRequest(c.method, c.path, c.body)
	r.RemoteAddr = "192.0.2.10:40000"
	if c.body != nil {
		ct := c.contentType
		if ct == "" {
			ct = "application/json"
		}
		r.Header.Set("Content-Type", ct)
	}
	if c.cred.token != "" {
		r.Header.Set("Authorization", "Bearer "+c.cred.token)
	}
	if c.cred.cookie != nil {
		r.AddCookie(c.cred.cookie)
	}
	if c.cred.csrf != "" {
		r.Header.Set("X-CSRF-Token", c.cred.csrf)
	}
	if c.stream {
		ctx, cancel := context.WithTimeout(r.Context(), streamWindow)
		defer cancel()
		r = r.WithContext(ctx)
	}
	w := httptest.NewRecorder()
	e.srv.ServeHTTP(w, r)
	return w
}

// json is do for JSON answers: it checks the status and decodes the body
// into out (when not nil).
func (e *env) json(c call, want int, out any) {
	e.t.Helper()
	w := e.do(c)
	if w.Code != want {
		e.t.Fatalf("%s %s: status %d, want %d; body %s", c.method, c.path, w.Code, want, w.Body)
	}
	if out != nil {
		if err := json.Unmarshal(w.Body.Bytes(), out); err != nil {
			e.t.Fatalf("%s %s: decoding %s: %v", c.method, c.path, w.Body, err)
		}
	}
}

// signIn signs in over the API and returns the session cookie and its
// CSRF token.
func (e *env) signIn(email string) cred {
	e.t.Helper()
	w := e.do(call{method: "POST", path: "/api/v1/session", body: jsonBody(map[string]string{"email": email, "password": testPassword})})
	if w.Code != http.StatusOK {
		e.t.Fatalf("sign in %s: %d %s", email, w.Code, w.Body)
	}
	var c cred
	for _, ck := range w.Result().Cookies() {
		if ck.Name == "closedset_session" {
			c.cookie = ck
		}
	}
	if c.cookie == nil {
		e.t.Fatalf("sign in %s: no session cookie", email)
	}
	var me struct {
		CSRF string `json:"csrf_token"`
	}
	e.json(call{method: "GET", path: "/api/v1/me", cred: c}, http.StatusOK, &me)
	c.csrf = me.CSRF
	return c
}

func jsonBody(v any) io.Reader {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return bytes.NewReader(b)
}

// errorCode reads the code of a JSON error answer.
func errorCode(t testing.TB, w *httptest.ResponseRecorder) (code, message string) {
	t.Helper()
	var b errorBody
	if err := json.Unmarshal(w.Body.Bytes(), &b); err != nil {
		t.Fatalf("error body %q: %v", w.Body, err)
	}
	return string(b.Error.Code), b.Error.Message
}

// counts is what tests of bad input hold unchanged: the audit chain's
// length and the revisions and productions stored.
type counts struct {
	events, revisions, productions int
}

func (e *env) counts(productionIDs []int64, userIDs []int64) counts {
	e.t.Helper()
	ctx := context.Background()
	var c counts
	for _, err := range e.st.AuditEvents(ctx) {
		if err != nil {
			e.t.Fatal(err)
		}
		c.events++
	}
	for _, pid := range productionIDs {
		scripts, err := e.st.Scripts(ctx, pid)
		if err != nil {
			e.t.Fatal(err)
		}
		for _, s := range scripts {
			c.revisions += len(s.Revisions)
		}
	}
	for _, uid := range userIDs {
		ms, err := e.st.ProductionsOf(ctx, uid)
		if err != nil {
			e.t.Fatal(err)
		}
		c.productions += len(ms)
	}
	return c
}

// fountain is a small screenplay for uploads.
const fountain = "Title: Small\n\nINT. KITCHEN - NIGHT\n\nANNA and MARK at the table.\n\nHe kisses her.\n\nEXT. STREET - DAY\n\nRain.\n"

func strReader(s string) io.Reader { return strings.NewReader(s) }

func newRequest(c call) *http.Request {
	r := httptest.NewRequest(c.method, c.path, c.body)
	r.RemoteAddr = "192.0.2.10:40000"
	return r
}

func serve(e *env, r *http.Request) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	e.srv.ServeHTTP(w, r)
	return w
}

func itoa(id int64) string { return strconv.FormatInt(id, 10) }

func newProduction(title string) production.NewProduction {
	return production.NewProduction{Title: title, Policy: "sag_aftra", TimeZone: "UTC"}
}

// testConfig is a server's Config with what its operations are built
// from, for tests that change either.
type testConfig struct {
	Config
	Store     ops.Store
	Now       func() time.Time
	MaxUpload int64
}

// testOps are the operations over st with the test seal key.
func testOps(t testing.TB, st ops.Store) *ops.Ops {
	t.Helper()
	o, err := ops.New(ops.Config{Store: st, SealKey: testSealKey})
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// mustRead reads all of r.
func mustRead(t testing.TB, r io.Reader) []byte {
	t.Helper()
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// addMember invites email to the production in the role on by's
// authority, and the account with that email (joiner) joins with the
// invitation's link, as it must: nobody is a member without accepting.
func (e *env) addMember(productionID int64, by cred, email, role string, joiner cred) {
	e.t.Helper()
	var got struct {
		Invitation struct{ URL string }
	}
	e.json(call{method: "POST", path: "/api/v1/productions/" + itoa(productionID) + "/members", cred: by,
		body: jsonBody(map[string]string{"email": email, "role": role})}, http.StatusCreated, &got)
	_, token, ok := strings.Cut(got.Invitation.URL, "/invitations/")
	if !ok {
		e.t.Fatalf("inviting %s: no link in %+v", email, got)
	}
	e.json(call{method: "POST", path: "/api/v1/invitations/accept", cred: joiner, body: jsonBody(map[string]string{"token": token})}, http.StatusCreated, nil)
}
