package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"closedset/seal"
)

// syncBuffer is a bytes.Buffer safe to write from the server while the
// test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// startServe runs serve in-process on a free port over a new SQLite file
// in dir, with JSON logs into logs and the terminal into term, and returns
// its base URL once it listens. cancel stops it (as SIGINT does); done
// says how it ended.
func startServe(t *testing.T, dir string) (base string, logs, term *syncBuffer, cancel context.CancelFunc, done chan error) {
	t.Helper()
	return startServeWith(t, dir, nil)
}

// startServeWith is startServe with the config changed by set first.
func startServeWith(t *testing.T, dir string, set func(*serveConfig)) (base string, logs, term *syncBuffer, cancel context.CancelFunc, done chan error) {
	t.Helper()
	db, err := parseDB("sqlite:" + filepath.Join(dir, "closedset.db"))
	if err != nil {
		t.Fatal(err)
	}
	addrFile := filepath.Join(t.TempDir(), "addr")
	ctx, cancel := context.WithCancel(context.Background())
	logs, term = &syncBuffer{}, &syncBuffer{}
	done = make(chan error, 1)
	c := serveConfig{addr: "127.0.0.1:0", addrFile: addrFile, db: db, logFormat: "json", maxUpload: 1 << 20}
	if set != nil {
		set(&c)
	}
	go func() { done <- serve(ctx, c, term, logs) }()
	for base == "" {
		select {
		case err := <-done:
			cancel()
			t.Fatalf("serve ended: %v\n%s", err, logs.String())
		case <-time.After(10 * time.Millisecond):
		}
		if b, err := os.ReadFile(addrFile); err == nil && strings.HasSuffix(string(b), "\n") {
			base = "http://" + strings.TrimSpace(string(b))
		}
	}
	return base, logs, term, cancel, done
}

// TestServeFirstStartAndGracefulStop: a first start on a new data folder
// makes the folder, the key file (0600) and the admin, answers /healthz,
// and stops cleanly when its context ends (what SIGINT and SIGTERM do).
func TestServeFirstStartAndGracefulStop(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "closedset-data")
	base, logs, term, cancel, done := startServe(t, dir)
	defer cancel()
	var err error
	var resp *http.Response
	for {
		resp, err = http.Get(base + "/healthz")
		if err == nil {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("/healthz: %s", resp.Status)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("serve: %v\n%s", err, logs.String())
	}

	out, banner := logs.String(), term.String()
	if !strings.Contains(out, `"msg":"stopped"`) {
		t.Errorf("log output:\n%s", out)
	}
	// The password goes to the terminal, once, and never to the log
	// stream: logs are kept in files and journals.
	_, pw, ok := strings.Cut(banner, "password:  ")
	pw, _, _ = strings.Cut(pw, "\n")
	if !ok || len(strings.TrimSpace(pw)) < 20 || !strings.Contains(banner, base+"/signin") {
		t.Fatalf("terminal output:\n%s", banner)
	}
	if pw = strings.TrimSpace(pw); strings.Contains(out, pw) || strings.Contains(out, "password:") {
		t.Errorf("the log stream holds the first password:\n%s", out)
	}
	if strings.Count(banner, pw) != 1 {
		t.Errorf("the password is shown %d times", strings.Count(banner, pw))
	}
	key, err := os.Stat(filepath.Join(dir, "csrf.key"))
	if err != nil || key.Mode().Perm() != 0o600 {
		t.Errorf("key file: %v %v", key, err)
	}
	sealed, err := os.Stat(seal.KeyFile(filepath.Join(dir, "closedset.db")))
	if err != nil || sealed.Mode().Perm() != 0o600 {
		t.Errorf("seal key file: %v %v", sealed, err)
	}
	k, err := seal.LoadOrCreateKey(seal.KeyFile(filepath.Join(dir, "closedset.db")))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out, hex.EncodeToString(k[:])) || strings.Contains(out, hex.EncodeToString(k[:8])) {
		t.Error("the output shows the seal key")
	}
}

// TestServeRefusesAnotherSealKey: the first start records the seal key's
// id in the database; a start with another key refuses, naming both ids
// and neither key; the first key starts again.
func TestServeRefusesAnotherSealKey(t *testing.T) {
	t.Setenv(sealKeyEnv, "")
	dir := filepath.Join(t.TempDir(), "closedset-data")
	stopped := func(logs *syncBuffer, cancel context.CancelFunc, done chan error) {
		t.Helper()
		for !strings.Contains(logs.String(), "closedset serving") {
			time.Sleep(10 * time.Millisecond)
		}
		cancel()
		if err := <-done; err != nil {
			t.Fatalf("serve: %v\n%s", err, logs.String())
		}
	}
	_, logs, _, cancel, done := startServe(t, dir)
	stopped(logs, cancel, done)
	first, err := seal.LoadKey(seal.KeyFile(filepath.Join(dir, "closedset.db")))
	if err != nil {
		t.Fatal(err)
	}
	other, err := seal.NewKey()
	if err != nil {
		t.Fatal(err)
	}
	db, err := parseDB("sqlite:" + filepath.Join(dir, "closedset.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv(sealKeyEnv, hex.EncodeToString(other[:]))
	ctx, stop := context.WithTimeout(context.Background(), 10*time.Second)
	defer stop()
	var term, out syncBuffer
	err = serve(ctx, serveConfig{addr: "127.0.0.1:0", db: db, logFormat: "json", maxUpload: 1 << 20}, &term, &out)
	if err == nil || !strings.Contains(err.Error(), "the seal key given has id "+other.ID()) || !strings.Contains(err.Error(), "sealed with the key of id "+first.ID()) {
		t.Fatalf("serve with another seal key: %v", err)
	}
	for _, k := range []seal.Key{first, other} {
		if s := err.Error() + out.String() + term.String(); strings.Contains(s, hex.EncodeToString(k[:])) {
			t.Error("the refusal shows a key")
		}
	}
	t.Setenv(sealKeyEnv, hex.EncodeToString(first[:]))
	_, logs, _, cancel, done = startServe(t, dir)
	stopped(logs, cancel, done)
}

// TestSealKeySources: the key sealing performer-private data comes from
// $CLOSEDSET_KEY, else --seal-key-file, else the key file beside a SQLite
// database (made 0600 on first start and reused); PostgreSQL needs the
// variable or an existing key file, since every server must share it.
func TestSealKeySources(t *testing.T) {
	t.Setenv(sealKeyEnv, "")
	dir := t.TempDir()
	sqliteDB := database{Path: filepath.Join(dir, "data", "closedset.db")}
	first, err := loadSealKey(serveConfig{db: sqliteDB})
	if err != nil || first == (seal.Key{}) {
		t.Fatalf("key %v, %v", first, err)
	}
	if fi, err := os.Stat(seal.KeyFile(sqliteDB.Path)); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("seal key file beside the database: %v %v", fi, err)
	}
	if again, err := loadSealKey(serveConfig{db: sqliteDB}); err != nil || again != first {
		t.Errorf("the key file is not reused (%v)", err)
	}

	pg := database{URL: "postgres://cs@db/closedset"}
	if _, err := loadSealKey(serveConfig{db: pg}); err == nil || !strings.Contains(err.Error(), sealKeyEnv) {
		t.Errorf("PostgreSQL without a key: %v", err)
	}
	shared := filepath.Join(dir, "shared.key")
	if _, err := loadSealKey(serveConfig{db: pg, sealKeyFile: shared}); err == nil || !strings.Contains(err.Error(), "must already exist") {
		t.Errorf("PostgreSQL with a missing --seal-key-file: %v", err)
	}
	want := seal.Key(bytes.Repeat([]byte{5}, 32))
	if err := os.WriteFile(shared, []byte(hex.EncodeToString(want[:])+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if k, err := loadSealKey(serveConfig{db: pg, sealKeyFile: shared}); err != nil || k != want {
		t.Errorf("PostgreSQL with --seal-key-file: %v", err)
	}
	if err := os.Chmod(shared, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := loadSealKey(serveConfig{db: pg, sealKeyFile: shared}); err == nil {
		t.Error("a key file others may read is accepted")
	}

	env := seal.Key(bytes.Repeat([]byte{3}, 32))
	t.Setenv(sealKeyEnv, hex.EncodeToString(env[:]))
	if k, err := loadSealKey(serveConfig{db: pg}); err != nil || k != env {
		t.Errorf("$%s: %v", sealKeyEnv, err)
	}
	t.Setenv(sealKeyEnv, "abc")
	if _, err := loadSealKey(serveConfig{db: pg}); err == nil || strings.Contains(err.Error(), "abc") {
		t.Errorf("a malformed $%s: %v", sealKeyEnv, err)
	}
}

func TestCSRFKeySources(t *testing.T) {
	dir := t.TempDir()
	sqliteDB := database{Path: filepath.Join(dir, "data", "closedset.db")}
	first, err := csrfKey(serveConfig{db: sqliteDB})
	if err != nil || len(first) != 32 {
		t.Fatalf("key %x, %v", first, err)
	}
	again, err := csrfKey(serveConfig{db: sqliteDB})
	if err != nil || !bytes.Equal(first, again) {
		t.Errorf("the key file is not reused: %x then %x (%v)", first, again, err)
	}

	pg := database{URL: "postgres://cs@db/closedset"}
	if _, err := csrfKey(serveConfig{db: pg}); err == nil || !strings.Contains(err.Error(), csrfKeyEnv) {
		t.Errorf("PostgreSQL without a key: %v", err)
	}
	if k, err := csrfKey(serveConfig{db: pg, keyFile: filepath.Join(dir, "shared.key")}); err != nil || len(k) != 32 {
		t.Errorf("PostgreSQL with --key-file: %x, %v", k, err)
	}

	want := bytes.Repeat([]byte{7}, 32)
	t.Setenv(csrfKeyEnv, hex.EncodeToString(want))
	if k, err := csrfKey(serveConfig{db: pg}); err != nil || !bytes.Equal(k, want) {
		t.Errorf("from $%s: %x, %v", csrfKeyEnv, k, err)
	}
	t.Setenv(csrfKeyEnv, "abcd")
	if _, err := csrfKey(serveConfig{db: sqliteDB}); err == nil || !strings.Contains(err.Error(), "at least 32 bytes") {
		t.Errorf("short key: %v", err)
	}

	bad := filepath.Join(dir, "bad.key")
	os.WriteFile(bad, []byte("zz"), 0o600)
	t.Setenv(csrfKeyEnv, "")
	if _, err := csrfKey(serveConfig{db: sqliteDB, keyFile: bad}); err == nil || !strings.Contains(err.Error(), bad) {
		t.Errorf("bad key file: %v", err)
	}
}

func TestServeUsageErrors(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"serve", "--log-format", "xml"}, `--log-format "xml"`},
		{[]string{"serve", "now"}, `unexpected argument "now"`},
		{[]string{"serve", "--max-upload", "0"}, "--max-upload must be positive"},
		{[]string{"serve", "--trusted-proxy", "10.0.0.0/8, lb.internal"}, `--trusted-proxy: "lb.internal" is neither an address nor a CIDR`},
	} {
		code, _, stderr := runCLI(t, "", tt.args...)
		if code != 2 || !strings.Contains(stderr, tt.want) {
			t.Errorf("%v: exit %d, %q", tt.args, code, stderr)
		}
	}
}

func TestTrustedProxiesParse(t *testing.T) {
	got, err := parsePrefixes(" 10.0.0.0/8, 192.0.2.7 ,2001:db8::/32,")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"10.0.0.0/8", "192.0.2.7/32", "2001:db8::/32"}
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for i := range want {
		if got[i].String() != want[i] {
			t.Errorf("prefix %d = %s, want %s", i, got[i], want[i])
		}
	}
}

// TestShutdownEndsOpenLiveStreams: a page left open holds a live-event
// stream; stopping the server ends it instead of waiting it out and
// cutting it off at the shutdown timeout.
func TestShutdownEndsOpenLiveStreams(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "closedset-data")
	base, logs, term, cancel, done := startServe(t, dir)
	defer cancel()
	// The banner comes before the server answers.
	for !strings.Contains(logs.String(), "closedset serving") {
		time.Sleep(10 * time.Millisecond)
	}
	banner := term.String()
	field := func(name string) string {
		_, rest, ok := strings.Cut(banner, name+":")
		if !ok {
			t.Fatalf("no %s in the first-start banner:\n%s", name, banner)
		}
		return strings.Fields(rest)[0]
	}
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	client := &http.Client{Jar: jar}
	do := func(method, path, csrf string, body any) *http.Response {
		t.Helper()
		var r io.Reader
		if body != nil {
			b, err := json.Marshal(body)
			if err != nil {
				t.Fatal(err)
			}
			r = bytes.NewReader(b)
		}
		req, err := http.NewRequest(method, base+path, r)
		if err != nil {
			t.Fatal(err)
		}
		if body != nil {
			req.Header.Set("Content-Type", "application/json")
		}
		if csrf != "" {
			req.Header.Set("X-CSRF-Token", csrf)
		}
		res, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	decode := func(res *http.Response, v any) {
		t.Helper()
		defer res.Body.Close()
		if res.StatusCode/100 != 2 {
			b, _ := io.ReadAll(res.Body)
			t.Fatalf("%s %s: %s %s", res.Request.Method, res.Request.URL.Path, res.Status, b)
		}
		if err := json.NewDecoder(res.Body).Decode(v); err != nil {
			t.Fatal(err)
		}
	}
	var me struct {
		CSRF string `json:"csrf_token"`
	}
	decode(do("POST", "/api/v1/session", "", map[string]string{"email": field("email"), "password": field("password")}), &me)
	decode(do("GET", "/api/v1/me", "", nil), &me)
	var prod struct {
		ID int64 `json:"id"`
	}
	decode(do("POST", "/api/v1/productions", me.CSRF, map[string]string{"title": "Harbor Lights", "policy": "sag_aftra", "time_zone": "Europe/London"}), &prod)

	stream := do("GET", "/api/v1/productions/"+strconv.FormatInt(prod.ID, 10)+"/events", "", nil)
	defer stream.Body.Close()
	if stream.StatusCode != http.StatusOK || stream.Header.Get("Content-Type") != "text/event-stream" {
		t.Fatalf("the live stream: %s %q", stream.Status, stream.Header.Get("Content-Type"))
	}
	if line, err := bufio.NewReader(stream.Body).ReadString('\n'); err != nil || !strings.HasPrefix(line, ":") {
		t.Fatalf("the stream's first line: %q, %v", line, err)
	}

	cancel()
	// Without the shutdown hook the stream holds the stop for the whole
	// shutdown timeout: fail well before it instead of hanging.
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve: %v\n%s", err, logs.String())
		}
	case <-time.After(5 * time.Second):
		t.Fatalf("serve did not stop within 5 s: an open live stream held it\n%s", logs.String())
	}
	if _, err := io.Copy(io.Discard, stream.Body); err != nil {
		t.Errorf("the stream ended badly at shutdown: %v", err)
	}
	out := logs.String()
	if strings.Contains(out, "cut off") || !strings.Contains(out, `"msg":"stopped"`) {
		t.Errorf("the stop waited the stream out, or did not finish:\n%s", out)
	}
}
