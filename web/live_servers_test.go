package web

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"closedset/store"
	"closedset/store/postgres"
	"closedset/store/postgres/pgtest"
)

// TestAPauseOnOneServerReachesAStreamOnAnother: two servers over one
// PostgreSQL, as behind a load balancer. The AD's board is open on server
// B; the performer pauses the take through server A, then the IC resumes
// it there; B's stream tells of each at once. Both servers poll the head
// only once a minute, so only NOTIFY can bring the news in time.
func TestAPauseOnOneServerReachesAStreamOnAnother(t *testing.T) {
	u := pgtest.Database(t)
	const fallback = time.Minute
	slow := func(c *testConfig) { c.LiveInterval, c.LiveFallback = fallback, fallback }
	a := newWorld(t, slow, func(c *testConfig) {
		st, err := postgres.Open(context.Background(), u, store.WithClock(c.Now))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		c.Store = st
	})
	a.withTake(t)

	stB, err := postgres.Open(context.Background(), u, store.WithClock(a.clock.Now))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { stB.Close() })
	b, err := New(Config{Ops: testOps(t, stB), CSRFKey: testKey, LiveInterval: fallback, LiveFallback: fallback})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(b)
	t.Cleanup(hs.Close)
	t.Cleanup(b.Close) // before hs.Close: it waits for open streams

	ctx, cancel := context.WithTimeout(context.Background(), fallback)
	defer cancel()
	res := openStream(t, ctx, hs.URL, liveURL(a.prod.ID), a.tokens["ad"])
	if res.StatusCode != http.StatusOK {
		t.Fatalf("the AD's stream on server B: status %d, want 200", res.StatusCode)
	}
	ids := make(chan string)
	go func() {
		defer close(ids)
		sc := bufio.NewScanner(res.Body)
		for sc.Scan() {
			if id, ok := strings.CutPrefix(sc.Text(), "id: "); ok {
				select {
				case ids <- id:
				case <-ctx.Done():
					return
				}
			}
		}
	}()
	// told waits for B's stream to tell of the head A's write left.
	told := func(what string) {
		t.Helper()
		head, err := a.st.Head(ctx)
		if err != nil {
			t.Fatal(err)
		}
		want := b.live.eventID(a.prod.ID, head)
		deadline := time.After(fallback / 2)
		for {
			select {
			case id, ok := <-ids:
				if !ok {
					t.Fatalf("B's stream ended before telling of %s", what)
				}
				if id == want {
					return
				}
			case <-deadline:
				t.Fatalf("B's stream did not tell of %s within %s (polling alone would take %s)", what, fallback/2, fallback)
			}
		}
	}

	// The first may be told when B's listener takes hold, should it come
	// after the pause; the resume comes after that, so only its NOTIFY
	// can tell of it.
	a.json(call{method: "POST", path: fmt.Sprintf("/api/v1/takes/%d/check-ins", a.take.ID), cred: cred{token: a.tokens["performer"]},
		body: jsonBody(map[string]any{"performer_id": a.performer.ID, "answer": "pause"})}, http.StatusCreated, nil)
	told("the pause")
	a.json(call{method: "POST", path: fmt.Sprintf("/api/v1/scenes/%d/resume", a.scene.ID), cred: cred{token: a.tokens["ic"]}}, http.StatusOK, nil)
	told("the resume")
}
