package web

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// openStream opens the production's event stream on the real server at
// base with token ("" for none), and returns the answer; its body is read
// by the caller and closed when the test ends.
func openStream(t *testing.T, ctx context.Context, base, path, token string) *http.Response {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { res.Body.Close() })
	return res
}

// TestEventsStreamTellsOfAWithdrawal: the AD has the production open; the
// performer withdraws through the API; the AD's stream says "changed",
// and only that.
func TestEventsStreamTellsOfAWithdrawal(t *testing.T) {
	w := newWorld(t, func(c *testConfig) { c.LiveInterval = 50 * time.Millisecond })
	w.issueAndSign(t)
	hs := httptest.NewServer(w.srv)
	t.Cleanup(hs.Close)
	t.Cleanup(w.srv.Close) // before hs.Close: it waits for open streams
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	path := liveURL(w.prod.ID)

	t.Run("a stranger is told there is no such production", func(t *testing.T) {
		if res := openStream(t, ctx, hs.URL, path, w.tokens["stranger"]); res.StatusCode != http.StatusNotFound {
			t.Fatalf("status %d, want 404", res.StatusCode)
		}
	})
	t.Run("no credentials are refused", func(t *testing.T) {
		if res := openStream(t, ctx, hs.URL, path, ""); res.StatusCode != http.StatusUnauthorized {
			t.Fatalf("status %d, want 401", res.StatusCode)
		}
	})

	res := openStream(t, ctx, hs.URL, path, w.tokens["ad"])
	if res.StatusCode != http.StatusOK {
		t.Fatalf("the AD's stream: status %d, want 200", res.StatusCode)
	}
	for h, want := range map[string]string{"Content-Type": "text/event-stream", "Cache-Control": "no-store"} {
		if got := res.Header.Get(h); got != want {
			t.Errorf("%s: %q, want %q", h, got, want)
		}
	}
	lines := make(chan string)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(res.Body)
		for sc.Scan() {
			select {
			case lines <- sc.Text():
			case <-ctx.Done():
				return
			}
		}
	}()

	// The headers arrived: the stream is subscribed, so the withdrawal
	// below is after its starting point.
	withdraw := call{method: "POST", path: fmt.Sprintf("/api/v1/scenes/%d/consents/withdraw", w.scene.ID), cred: cred{token: w.tokens["performer"]},
		body: jsonBody(map[string]any{"performer_id": w.performer.ID, "reason": "changed my mind"})}
	w.json(withdraw, http.StatusOK, nil)

	var event []string
	deadline := time.After(3 * time.Second)
	for {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatalf("the stream ended before telling the withdrawal; read %q", event)
			}
			if strings.HasPrefix(l, ":") || (l == "" && len(event) == 0) {
				continue // a comment, or the end of one
			}
			if l != "" {
				event = append(event, l)
				continue
			}
			// A blank line ends the event.
			if len(event) != 3 || event[1] != "event: changed" || event[2] != "data: {}" {
				t.Fatalf("event %q, want an id, event: changed and data {} only", event)
			}
			// The id is opaque: not the installation's seq, nor any number.
			id := strings.TrimPrefix(event[0], "id: ")
			head, err := w.st.Head(ctx)
			if err != nil {
				t.Fatal(err)
			}
			// Opaque: not a number, not the head in any base (a random id may
			// hold the head's digits by chance: that is no leak).
			if _, err := strconv.ParseInt(id, 10, 64); err == nil || strings.TrimLeft(id, "0") == strconv.FormatInt(head, 16) || len(id) != 32 {
				t.Fatalf("event id %q (head %d), want 32 opaque hex digits", id, head)
			}
			if want := w.srv.live.eventID(w.prod.ID, head); id != want {
				t.Fatalf("event id %q, want the production's id of the head %q", id, want)
			}
			if other := w.srv.live.eventID(w.prod.ID+1, head); other == id {
				t.Fatal("another production's id of the same change is the same")
			}
			return
		case <-deadline:
			t.Fatalf("no changed event within 3 s of the withdrawal; read %q", event)
		}
	}
}

// TestLiveStreamsAreBoundedPerUserAndProductionAndEndAtClose: past
// maxStreamsPerUser a user's streams are refused (429) while other users'
// open; past maxStreamsPerProduction a production's are, while other
// productions' open; the watcher stops with the last stream, and Close
// ends them all for a graceful shutdown.
func TestLiveStreamsAreBoundedPerUserAndProductionAndEndAtClose(t *testing.T) {
	w := newWorld(t, func(c *testConfig) { c.LiveInterval = 20 * time.Millisecond })
	ctx := context.Background()
	h := w.srv.live
	var subs []*subscriber
	open := func(user, prod int64) error {
		sub, err := h.subscribe(ctx, user, prod)
		if err == nil {
			subs = append(subs, sub)
		}
		return err
	}
	// Made-up users and productions, apart from the world's.
	const u1, p1, p2 = 1 << 40, 1 << 40, 1<<40 + 1
	refused := func(err error) bool {
		var e *Error
		return errors.As(err, &e) && e.Code == codeRateLimited
	}
	for i := range maxStreamsPerUser {
		if err := open(u1, p1); err != nil {
			t.Fatalf("user 1's stream %d of %d refused: %v", i+1, maxStreamsPerUser, err)
		}
	}
	if err := open(u1, p1); !refused(err) {
		t.Fatalf("user 1's stream %d: %v, want rate_limited", maxStreamsPerUser+1, err)
	}
	if err := open(u1, p2); !refused(err) {
		t.Fatalf("user 1's stream on another production: %v, want rate_limited", err)
	}
	for u := int64(u1 + 1); len(subs) < maxStreamsPerProduction; u++ {
		if err := open(u, p1); err != nil {
			t.Fatalf("user %d's stream (%d on the production) refused: %v", u, len(subs)+1, err)
		}
	}
	if err := open(u1-1, p1); !refused(err) {
		t.Fatalf("stream %d on production 1: %v, want rate_limited", maxStreamsPerProduction+1, err)
	}
	if err := open(u1-1, p2); err != nil {
		t.Fatalf("a stream on another production: %v", err)
	}
	// Over the API: 429 rate_limited, in JSON.
	for range maxStreamsPerUser {
		if err := open(w.users["ad"].ID, p2+1); err != nil {
			t.Fatal(err)
		}
	}
	if r := w.do(call{method: "GET", path: liveURL(w.prod.ID), cred: cred{token: w.tokens["ad"]}, stream: true}); r.Code != http.StatusTooManyRequests || !strings.Contains(r.Body.String(), `"rate_limited"`) {
		t.Fatalf("a stream past the user's bound: %d %s, want 429 rate_limited", r.Code, r.Body)
	}
	for _, sub := range subs {
		h.unsubscribe(sub)
		h.unsubscribe(sub) // twice is once
	}
	h.mu.Lock()
	running, users, prods := h.stop != nil, len(h.byUser), len(h.byProd)
	h.mu.Unlock()
	if running || users != 0 || prods != 0 {
		t.Fatalf("with no stream open: watcher running %v, %d users and %d productions counted", running, users, prods)
	}

	// A stream open at Close ends, and no new one opens.
	done := make(chan *httptest.ResponseRecorder)
	go func() {
		r := httptest.NewRequest("GET", liveURL(w.prod.ID), nil)
		r.Header.Set("Authorization", "Bearer "+w.tokens["ic"])
		rec := httptest.NewRecorder()
		w.srv.ServeHTTP(rec, r)
		done <- rec
	}()
	for {
		h.mu.Lock()
		n := len(h.subs)
		h.mu.Unlock()
		if n == 1 {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	w.srv.Close()
	if rec := <-done; rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != "text/event-stream" {
		t.Fatalf("the stream open at Close: %d %q", rec.Code, rec.Header().Get("Content-Type"))
	}
	if r := w.do(call{method: "GET", path: liveURL(w.prod.ID), cred: cred{token: w.tokens["ic"]}, stream: true}); r.Code != http.StatusServiceUnavailable {
		t.Fatalf("a stream after Close: %d, want 503", r.Code)
	}
}

// TestLivePagesNameTheirStream: the consent grid, the scene page and the
// performer's page follow the production's stream (and load live.js);
// other pages load no script.
func TestLivePagesNameTheirStream(t *testing.T) {
	w := newWorld(t)
	want := `data-live="` + liveURL(w.prod.ID) + `"`
	for _, c := range []struct {
		path, who string
		live      bool
	}{
		{fmt.Sprintf("/productions/%d/consents", w.prod.ID), "ic", true},
		{fmt.Sprintf("/scenes/%d", w.scene.ID), "ad", true},
		{fmt.Sprintf("/productions/%d/me", w.prod.ID), "performer", true},
		{fmt.Sprintf("/productions/%d", w.prod.ID), "ic", false},
	} {
		t.Run(c.path, func(t *testing.T) {
			r := w.do(call{method: "GET", path: c.path, cred: cred{token: w.tokens[c.who]}})
			if r.Code != http.StatusOK {
				t.Fatalf("as %s: %d", c.who, r.Code)
			}
			body := r.Body.String()
			if got := strings.Contains(body, want) && strings.Contains(body, `/static/live.js`); got != c.live {
				t.Errorf("as %s: follows the stream %v, want %v", c.who, got, c.live)
			}
			if !c.live && strings.Contains(body, "<script") {
				t.Errorf("as %s: a page that stays put loads a script", c.who)
			}
		})
	}
}

// TestOneUsersThreeHundredStreamsLeaveOthersWorking: the report's attack.
// A producer opens 300 streams on their own production; past their bound
// they are refused at once with 429, and the IC's stream still opens and
// tells of a change.
func TestOneUsersThreeHundredStreamsLeaveOthersWorking(t *testing.T) {
	w := newWorld(t, func(c *testConfig) { c.LiveInterval = 20 * time.Millisecond })
	hs := httptest.NewServer(w.srv)
	t.Cleanup(hs.Close)
	t.Cleanup(w.srv.Close)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	path := liveURL(w.prod.ID)

	var (
		mu    sync.Mutex
		codes = map[int]int{}
		wg    sync.WaitGroup
		gate  = make(chan struct{}, 32) // at most 32 dials at once
	)
	for range 300 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			gate <- struct{}{}
			defer func() { <-gate }()
			req, _ := http.NewRequestWithContext(ctx, http.MethodGet, hs.URL+path, nil)
			req.Header.Set("Authorization", "Bearer "+w.tokens["producer"])
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Error(err)
				return
			}
			t.Cleanup(func() { res.Body.Close() }) // held open to the end
			mu.Lock()
			codes[res.StatusCode]++
			mu.Unlock()
		}()
	}
	wg.Wait()
	if codes[http.StatusOK] != maxStreamsPerUser || codes[http.StatusTooManyRequests] != 300-maxStreamsPerUser {
		t.Fatalf("300 streams by one user: %v, want %d 200 and the rest 429", codes, maxStreamsPerUser)
	}

	res := openStream(t, ctx, hs.URL, path, w.tokens["ic"])
	if res.StatusCode != http.StatusOK {
		t.Fatalf("the IC's stream: status %d, want 200", res.StatusCode)
	}
	w.issueAndSign(t)
	sc := bufio.NewScanner(res.Body)
	for sc.Scan() {
		if sc.Text() == "event: changed" {
			return
		}
	}
	t.Fatalf("the IC's stream ended without telling the change: %v", sc.Err())
}
