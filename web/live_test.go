package web

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
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
			if len(event) != 3 || event[1] != "event: changed" || !strings.HasPrefix(event[0], "id: ") ||
				event[2] != "data: {\"seq\":"+strings.TrimPrefix(event[0], "id: ")+"}" {
				t.Fatalf("event %q, want an id, event: changed and data {\"seq\":N} only", event)
			}
			return
		case <-deadline:
			t.Fatalf("no changed event within 3 s of the withdrawal; read %q", event)
		}
	}
}

// TestLiveStreamsAreBoundedAndEndAtClose: past maxLiveStreams a server
// refuses more, the watcher stops with the last stream, and Close ends
// them all for a graceful shutdown.
func TestLiveStreamsAreBoundedAndEndAtClose(t *testing.T) {
	w := newWorld(t, func(c *testConfig) { c.LiveInterval = 20 * time.Millisecond })
	ctx := context.Background()
	h := w.srv.live
	subs := make([]*subscriber, 0, maxLiveStreams)
	for range maxLiveStreams {
		sub, err := h.subscribe(ctx)
		if err != nil {
			t.Fatalf("stream %d of %d refused: %v", len(subs)+1, maxLiveStreams, err)
		}
		subs = append(subs, sub)
	}
	var e *Error
	if _, err := h.subscribe(ctx); !errors.As(err, &e) || e.Code != codeUnavailable {
		t.Fatalf("stream %d: %v, want unavailable", maxLiveStreams+1, err)
	}
	// Over the API: 503 unavailable, in JSON.
	if r := w.do(call{method: "GET", path: liveURL(w.prod.ID), cred: cred{token: w.tokens["ad"]}, stream: true}); r.Code != http.StatusServiceUnavailable || !strings.Contains(r.Body.String(), `"unavailable"`) {
		t.Fatalf("a stream past the bound: %d %s, want 503 unavailable", r.Code, r.Body)
	}
	for _, sub := range subs {
		h.unsubscribe(sub)
	}
	h.mu.Lock()
	running := h.stop != nil
	h.mu.Unlock()
	if running {
		t.Fatal("the watcher still runs with no stream open")
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
