package web

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"

	"closedset/consent"
	"closedset/ops"
	"closedset/store"
	"closedset/store/postgres"
	"closedset/store/postgres/pgtest"
)

// canary is private data the need-to-know test plants: a performer's
// boundary note and a withdrawal's reason.
const canary = "CANARY-7f3a9"

// beyondCanary is what the world plan's "kissing: lips" goes beyond once
// the performer refuses any touch of their lips: a conflict the ICs read
// at the plan and the performer on their rider, and no one else.
const beyondCanary = "no touch on lips"

// syncBuffer is a log destination the server's goroutines may share.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) Bytes() []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	return bytes.Clone(s.b.Bytes())
}

// TestNeedToKnow plants a canary in a performer's boundaries and in a
// withdrawal's reason, then asks every route of the route table (API and
// pages) as every role, another performer, a stranger, the admin and no
// one, and finds the canary in no answer, no header and no log line; only
// the IC and the performer themself read it, from the boundaries. The
// database holds it only sealed: not in the SQLite file and its WAL, nor
// in a pg_dump of PostgreSQL.
func TestNeedToKnow(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) {
		var logs syncBuffer
		w := newWorld(t, withLogs(&logs))
		walkForCanary(t, w, &logs)
		if err := w.st.Close(); err != nil {
			t.Fatal(err)
		}
		seen := 0
		for _, suffix := range []string{"", "-wal", "-shm"} {
			data, err := os.ReadFile(w.dbPath + suffix)
			if os.IsNotExist(err) {
				continue
			} else if err != nil {
				t.Fatal(err)
			}
			seen += bytes.Count(data, []byte(w.performer.Name))
			if bytes.Contains(data, []byte(canary)) {
				t.Errorf("%s holds the canary in plaintext", w.dbPath+suffix)
			}
			if bytes.Contains(data, []byte(beyondCanary)) {
				t.Errorf("%s holds the rider's line beyond the boundaries in plaintext", w.dbPath+suffix)
			}
		}
		if seen == 0 {
			t.Fatalf("the database files hold no performer name: are they the store's?")
		}
	})
	t.Run("postgres", func(t *testing.T) {
		u := pgtest.Database(t)
		var logs syncBuffer
		w := newWorld(t, withLogs(&logs), func(c *testConfig) {
			st, err := postgres.Open(context.Background(), u, store.WithClock(c.Now))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { st.Close() })
			c.Store = st
		})
		walkForCanary(t, w, &logs)
		pgDump, err := exec.LookPath("pg_dump")
		if err != nil {
			skipOrFail(t, "pg_dump is not installed: the dump is not checked")
		}
		var out, stderr bytes.Buffer
		cmd := exec.Command(pgDump, "--no-owner", "--dbname="+u)
		cmd.Stdout, cmd.Stderr = &out, &stderr
		if err := cmd.Run(); err != nil {
			if bytes.Contains(stderr.Bytes(), []byte("version mismatch")) {
				skipOrFail(t, "pg_dump cannot dump this server: "+stderr.String())
			}
			t.Fatalf("pg_dump: %v: %s", err, stderr.Bytes())
		}
		if !bytes.Contains(out.Bytes(), []byte(w.performer.Name)) {
			t.Fatalf("the dump (%d bytes) holds no performer name: is it the store's?", out.Len())
		}
		if bytes.Contains(out.Bytes(), []byte(canary)) {
			t.Error("the dump holds the canary in plaintext")
		}
		if bytes.Contains(out.Bytes(), []byte(beyondCanary)) {
			t.Error("the dump holds the rider's line beyond the boundaries in plaintext")
		}
	})
}

func withLogs(b *syncBuffer) func(*testConfig) {
	return func(c *testConfig) {
		c.Logger = slog.New(slog.NewTextHandler(b, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
}

// walkForCanary plants the canary, checks that its owners read it, then
// walks the route table.
func walkForCanary(t *testing.T, w *world, logs *syncBuffer) {
	ctx := context.Background()
	other := w.user("other-performer@example.org", "Other Performer", false)
	if _, err := w.srv.createPerformer(ctx, w.asIC(), performerIn{Name: "Other Player", Email: other.Email,
		DateOfBirth: "1985-01-01", Characters: []string{"THEO"}}); err != nil {
		t.Fatal(err)
	}
	w.tokens["other performer"] = w.token(other)
	// A take, and a debrief whose private notes hold the canary.
	w.withTake(t)
	if _, err := w.srv.ops.Debrief(ctx, w.asIC().caller(), w.scene.ID, w.performer.ID, "told the IC after the scene: "+canary, true); err != nil {
		t.Fatal(err)
	}
	// An IC's proof file (a training record) is sealed like the rest:
	// its bytes are in no answer but the IC's own, and not in the files.
	if _, err := w.srv.ops.AddProof(ctx, ops.Caller{User: w.users["ic"]}, "mhfa-certificate.txt", []byte("Mental Health First Aid, passed: "+canary)); err != nil {
		t.Fatal(err)
	}

	boundaries := fmt.Sprintf("/api/v1/performers/%d/boundaries", w.performer.ID)
	// plant puts the canary in the latest boundaries and the latest
	// consent's withdrawal, where every route would find them: before
	// each route, since the walk's own writes move them down the history.
	var planted consent.Rider // the rider issued with the planted boundaries
	plant := func() {
		w.json(call{method: "PUT", path: boundaries, cred: cred{token: w.tokens["performer"]}, body: jsonBody(map[string]any{
			"no_touch": []string{"face", "lips"}, "notes": "lower back scar " + canary})}, http.StatusOK, nil)
		planted = w.issueAndSign(t)
		w.json(call{method: "POST", path: fmt.Sprintf("/api/v1/scenes/%d/consents/withdraw", w.scene.ID), cred: cred{token: w.tokens["ic"]},
			body: jsonBody(map[string]any{"performer_id": w.performer.ID, "reason": "said so in private: " + canary})}, http.StatusOK, nil)
	}
	plant()
	// The walk's rider routes read a rider issued with the planted
	// boundaries, so that it carries a line beyond them.
	w.rider = planted
	// The owners' routes: the IC and the performer read the notes there,
	// as the API and as the boundaries page, and the withdrawal's reason
	// with the scene's consents (the positive control).
	owners := map[string]string{
		"GET /api/v1/performers/{id}/boundaries": boundaries,
		"GET /performers/{id}/boundaries":        strings.TrimPrefix(boundaries, "/api/v1"),
		"GET /api/v1/scenes/{id}/consents":       fmt.Sprintf("/api/v1/scenes/%d/consents", w.scene.ID),
		"GET /api/v1/scenes/{id}/closure":        fmt.Sprintf("/api/v1/scenes/%d/closure", w.scene.ID),
	}
	// The IC's scene page shows the withdrawal's reason too (the
	// performer reads their own through the consents API, above).
	icOwns := map[string]string{"GET /scenes/{id}": fmt.Sprintf("/scenes/%d", w.scene.ID)}
	for _, path := range icOwns {
		if r := w.do(call{method: "GET", path: path, cred: cred{token: w.tokens["ic"]}}); r.Code != http.StatusOK || !strings.Contains(r.Body.String(), canary) {
			t.Fatalf("the IC does not read the withdrawal's reason at %s: %d", path, r.Code)
		}
	}
	// The conflict of the plan with the boundaries: the IC reads it at the
	// plan, the performer on their rider.
	for who, path := range map[string]string{"ic": fmt.Sprintf("/api/v1/scenes/%d/plan", w.scene.ID),
		"performer": fmt.Sprintf("/api/v1/riders/%d", planted.ID)} {
		if r := w.do(call{method: "GET", path: path, cred: cred{token: w.tokens[who]}}); r.Code != http.StatusOK || !strings.Contains(r.Body.String(), beyondCanary) {
			t.Fatalf("%s does not read the plan's conflict at %s: %d %s", who, path, r.Code, r.Body)
		}
	}
	for _, path := range owners {
		for _, who := range []string{"ic", "performer"} {
			if r := w.do(call{method: "GET", path: path, cred: cred{token: w.tokens[who]}}); r.Code != http.StatusOK || !strings.Contains(r.Body.String(), canary) {
				t.Fatalf("%s does not read the private text at %s: %d %s", who, path, r.Code, r.Body)
			}
		}
	}

	everyone := append(principals(), "other performer")
	asked := 0
	for _, ri := range w.srv.Routes() {
		mr := matrixRequests[ri.Pattern]
		vals, err := w.pathValues(ri.Path)
		if err != nil {
			t.Errorf("route %s: %v", ri.Pattern, err)
			continue
		}
		path := strings.Replace(ri.Path, "{$}", "", 1) + mr.suffix
		for k, v := range vals {
			path = strings.ReplaceAll(path, "{"+k+"}", v)
		}
		plant()
		askers := everyone
		if ri.Action == public && ri.Method == http.MethodPost {
			// A sign-in answers by the body's credentials, whoever asks:
			// once is enough (each costs a password hash).
			askers = []string{"anonymous"}
		}
		for _, who := range askers {
			if _, own := owners[ri.Pattern]; own && (who == "ic" || who == "performer") {
				continue // the owners: the positive control above
			}
			if _, own := icOwns[ri.Pattern]; own && who == "ic" {
				continue
			}
			if mr.before != nil {
				mr.before(t, w)
			}
			c := call{method: ri.Method, path: path + mr.query, stream: ri.Stream}
			if mr.fresh != nil { // a record of its own, used up by the route
				c.path = strings.Replace(ri.Path, "{$}", "", 1) + mr.suffix
				for k, v := range mr.fresh(t, w) {
					c.path = strings.ReplaceAll(c.path, "{"+k+"}", v)
				}
				c.path += mr.query
			}
			if mr.body != nil {
				c.body, c.contentType = mr.body(w)
			}
			if who != "anonymous" {
				c.cred.token = w.tokens[who]
			}
			got := w.do(c)
			asked++
			if strings.Contains(got.Body.String(), canary) {
				t.Errorf("%s as %s: the answer (%d) holds the canary", ri.Pattern, who, got.Code)
			}
			if who != "ic" && who != "performer" && strings.Contains(got.Body.String(), beyondCanary) {
				t.Errorf("%s as %s: the answer (%d) holds a conflict with the boundaries", ri.Pattern, who, got.Code)
			}
			for k, vs := range got.Header() {
				if strings.Contains(strings.Join(vs, " "), canary) {
					t.Errorf("%s as %s: header %s holds the canary", ri.Pattern, who, k)
				}
			}
		}
	}
	if asked < 100 {
		t.Fatalf("only %d requests walked", asked)
	}
	l := logs.Bytes()
	if !bytes.Contains(l, []byte("request")) {
		t.Fatalf("no request was logged: is the log captured?")
	}
	if bytes.Contains(l, []byte(canary)) {
		t.Errorf("the log holds the canary")
	}
}

// skipOrFail skips a check that needs a tool the machine lacks, except in
// CI, where the tool is installed with PostgreSQL and its absence fails.
func skipOrFail(t *testing.T, why string) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatal(why)
	}
	t.Skip(why)
}
