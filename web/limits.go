package web

import (
	"sync"
	"time"
)

// Request bodies are bounded by route, before anything reads them: a
// stranger's sign-in holds kilobytes, not the upload limit.
const (
	// smallBody bounds sign-in, forms and most JSON.
	smallBody = 64 << 10
	// largeBody bounds the routes that carry a document of many lines
	// (a scene's plan, a performer's boundaries).
	largeBody = maxJSONBody
)

// Requests from no one proven (no valid session or token) are bounded per
// client address: at most DefaultAnonymousRequests at once, each with
// DefaultAnonymousTimeout to send its body.
const (
	DefaultAnonymousRequests = 16
	DefaultAnonymousTimeout  = 10 * time.Second
)

// anonymous counts the requests in flight per client address of those not
// signed in.
type anonymous struct {
	max     int
	timeout time.Duration

	mu     sync.Mutex
	byAddr map[string]int
}

func newAnonymous(max int, timeout time.Duration) *anonymous {
	if max <= 0 {
		max = DefaultAnonymousRequests
	}
	if timeout <= 0 {
		timeout = DefaultAnonymousTimeout
	}
	return &anonymous{max: max, timeout: timeout, byAddr: map[string]int{}}
}

// acquire takes a place for a request from addr; ok is false when addr
// has all its places. release gives the place back (once).
func (a *anonymous) acquire(addr string) (release func(), ok bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.byAddr[addr] >= a.max {
		return nil, false
	}
	a.byAddr[addr]++
	var once sync.Once
	return func() {
		once.Do(func() {
			a.mu.Lock()
			defer a.mu.Unlock()
			if a.byAddr[addr]--; a.byAddr[addr] <= 0 {
				delete(a.byAddr, addr)
			}
		})
	}, true
}
