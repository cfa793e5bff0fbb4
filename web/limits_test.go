package web

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"closedset/ops"
)

// tenMB is the sign-in body of the report: 40 of them at once took the
// server from 90 MB to 1.2 GB.
const tenMB = 10 << 20

// zeros streams n bytes of "a" without holding them.
type zeros struct{ n int }

func (z *zeros) Read(p []byte) (int, error) {
	if z.n <= 0 {
		return 0, io.EOF
	}
	k := min(len(p), z.n)
	for i := range p[:k] {
		p[i] = 'a'
	}
	z.n -= k
	return k, nil
}

// TestATenMegabyteSignInIsRefusedAt413: a sign-in (form or JSON) carrying
// 10 MB, declared or chunked, is answered 413 at once, and so is any
// route but an upload past the small bound; the upload route takes more.
func TestATenMegabyteSignInIsRefusedAt413(t *testing.T) {
	// The upload limit of a real server: a sign-in must not get it.
	e := newEnv(t, func(c *testConfig) { c.MaxUpload = ops.DefaultMaxUpload })
	e.user("ada@example.org", "Ada", false)
	c := e.signIn("ada@example.org")
	hs := httptest.NewServer(e.srv)
	t.Cleanup(hs.Close)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()

	post := func(t *testing.T, path, ct string, body io.Reader, length int64, cr cred) (*http.Response, string) {
		t.Helper()
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, hs.URL+path, body)
		if err != nil {
			t.Fatal(err)
		}
		req.ContentLength = length // -1: chunked
		req.Header.Set("Content-Type", ct)
		if cr.cookie != nil {
			req.AddCookie(cr.cookie)
			req.Header.Set("X-CSRF-Token", cr.csrf)
		}
		start := time.Now()
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("%s: answered after %v, want at once", path, d)
		}
		return res, string(b)
	}
	form := "application/x-www-form-urlencoded"
	for _, tc := range []struct {
		name, path, ct string
		chunked        bool
		cr             cred
		api            bool
	}{
		{"sign-in form, declared", "/signin", form, false, cred{}, false},
		{"sign-in form, chunked", "/signin", form, true, cred{}, false},
		{"sign-in form, a little over the bound", "/signin", form, false, cred{}, false},
		{"sign-in JSON, declared", "/api/v1/session", "application/json", false, cred{}, true},
		{"sign-in JSON, chunked", "/api/v1/session", "application/json", true, cred{}, true},
		{"invitation form, chunked", "/invitations/x", form, true, cred{}, false},
		{"a signed-in form, chunked", "/productions", form, true, c, false},
		{"a signed-in JSON body, declared", "/api/v1/productions", "application/json", false, c, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			length := int64(tenMB)
			body := io.Reader(&zeros{n: tenMB})
			if strings.Contains(tc.name, "a little over") {
				length = smallBody + 1
				body = &zeros{n: int(length)}
			}
			if tc.chunked {
				length = -1
				body = io.MultiReader(strings.NewReader("email=ada%40example.org&password="), &zeros{n: tenMB})
			}
			res, text := post(t, tc.path, tc.ct, body, length, tc.cr)
			if res.StatusCode != http.StatusRequestEntityTooLarge {
				t.Fatalf("status %d, want 413; %.300s", res.StatusCode, text)
			}
			if tc.api && !strings.Contains(text, `"too_large"`) {
				t.Errorf("the JSON error: %.300s", text)
			}
			if !tc.api && !strings.Contains(text, "Too large") {
				t.Errorf("the error page: %.300s", text)
			}
		})
	}
	t.Run("a sign-in within the bound still signs in", func(t *testing.T) {
		res, text := post(t, "/signin", form, strings.NewReader("email=ada%40example.org&password="+strings.ReplaceAll(testPassword, " ", "+")), -1, cred{})
		// Signed in: the post answered 303 to /productions (the client,
		// with no cookie jar, then lands on the sign-in page for it).
		first := res.Request.Response
		for first != nil && first.Request.Response != nil {
			first = first.Request.Response
		}
		if res.StatusCode != http.StatusOK || first == nil || first.StatusCode != http.StatusSeeOther || first.Header.Get("Location") != "/productions" {
			t.Fatalf("status %d at %s; %.300s", res.StatusCode, res.Request.URL, text)
		}
	})
	for _, ri := range e.srv.Routes() {
		if ri.Upload && ri.Body != e.srv.maxUpload+smallBody || !ri.Upload && ri.Body != smallBody && ri.Body != largeBody && ri.Body != proofBody {
			t.Errorf("%s: body bound %d, upload %v", ri.Pattern, ri.Body, ri.Upload)
		}
		if ri.Action == public && ri.Body != smallBody {
			t.Errorf("%s is public and takes %d bytes, over %d", ri.Pattern, ri.Body, smallBody)
		}
	}
}

// rawRequest opens a connection to hs and sends a request head for a
// body of length bytes, of which it sends none: the caller trickles it.
func rawRequest(t *testing.T, hs *httptest.Server, path string, length int) net.Conn {
	t.Helper()
	conn, err := net.DialTimeout("tcp", hs.Listener.Addr().String(), 2*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	fmt.Fprintf(conn, "POST %s HTTP/1.1\r\nHost: %s\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\n\r\n", path, hs.Listener.Addr(), length)
	return conn
}

// TestATrickledAnonymousBodyIsCutOff: a stranger sending a sign-in body a
// byte at a time loses the connection once its few seconds are up.
func TestATrickledAnonymousBodyIsCutOff(t *testing.T) {
	e := newEnv(t, func(c *testConfig) { c.AnonymousTimeout = 300 * time.Millisecond })
	hs := httptest.NewServer(e.srv)
	t.Cleanup(hs.Close)
	conn := rawRequest(t, hs, "/signin", 1000)
	ended := make(chan error, 1)
	go func() {
		_, err := io.Copy(io.Discard, conn) // until the server closes
		ended <- err
	}()
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	deadline := time.After(5 * time.Second)
	for {
		select {
		case <-ended:
			return
		case <-tick.C:
			conn.Write([]byte("a")) // errors once the server has gone
		case <-deadline:
			t.Fatal("the trickling connection is still held after 5 s")
		}
	}
}

// TestStrangersHaveFewRequestsAtOnce: past AnonymousRequests in flight
// from one address, a request from no one signed in is 429; one signed in
// from the same address is served, and the places come back.
func TestStrangersHaveFewRequestsAtOnce(t *testing.T) {
	e := newEnv(t, func(c *testConfig) { c.AnonymousRequests = 3; c.AnonymousTimeout = 5 * time.Second })
	e.user("ada@example.org", "Ada", false)
	c := e.signIn("ada@example.org")
	hs := httptest.NewServer(e.srv)
	t.Cleanup(hs.Close)

	var held []net.Conn
	for range 3 {
		held = append(held, rawRequest(t, hs, "/signin", 100))
	}
	waitFor(t, func() bool {
		e.srv.anonymous.mu.Lock()
		defer e.srv.anonymous.mu.Unlock()
		return e.srv.anonymous.byAddr["127.0.0.1"] == 3
	})
	get := func(cr cred) int {
		req, _ := http.NewRequest(http.MethodGet, hs.URL+"/api/v1/me", nil)
		if cr.cookie != nil {
			req.AddCookie(cr.cookie)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	if got := get(cred{}); got != http.StatusTooManyRequests {
		t.Fatalf("a fourth request from no one: %d, want 429", got)
	}
	if got := get(c); got != http.StatusOK {
		t.Fatalf("a signed-in request from the same address: %d, want 200", got)
	}
	// The held requests finish: their places come back.
	for _, conn := range held {
		conn.Write(bytes.Repeat([]byte("a"), 100))
		if _, err := http.ReadResponse(bufio.NewReader(conn), nil); err != nil {
			t.Fatal(err)
		}
	}
	waitFor(t, func() bool { return get(cred{}) == http.StatusUnauthorized })
}

// waitFor polls cond for up to 5 s.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); !cond(); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("condition not met within 5 s")
		}
	}
}
