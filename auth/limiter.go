package auth

import (
	"closedset"
	"crypto/sha256"
	"net/netip"
	"strings"
	"sync"
	"time"
)

// Limits configure a Limiter.
type Limits struct {
	Window     time.Duration // how long an attempt counts
	PerAccount int           // attempts per account (email) in a window
	PerIP      int           // attempts per client address in a window
	MaxKeys    int           // accounts, and addresses, remembered at most
}

// DefaultLimits: 5 attempts per account and 20 per address in any 15
// minutes, about a hundred thousand keys of each (a few MiB at most).
var DefaultLimits = Limits{Window: 15 * time.Minute, PerAccount: 5, PerIP: 20, MaxKeys: 100_000}

// A Limiter slows down password guessing: it counts login attempts per
// account and per client address over a sliding window. An attempt counts
// from the moment it is made, so parallel requests cannot slip past the
// limit while their passwords are being checked; a successful login
// forgives its attempt. It is safe for concurrent use and takes the time as
// an argument.
//
// The per-account limit lets anyone hold an account's logins shut for one
// window by failing on purpose: accepted, since the alternative lets a
// botnet try passwords against it forever, and the block ends by itself.
//
// Memory is bounded: each key keeps at most its limit of times, and when a
// map is full, expired keys are dropped, then arbitrary ones. Under a flood
// of distinct keys an evicted key's count starts again: the limiter then
// degrades to a weaker limit, never to unbounded memory.
type Limiter struct {
	limits   Limits
	mu       sync.Mutex
	accounts windows
	ips      windows
}

// NewLimiter returns a Limiter; zero fields of l take DefaultLimits' values.
func NewLimiter(l Limits) *Limiter {
	d := DefaultLimits
	if l.Window <= 0 {
		l.Window = d.Window
	}
	if l.PerAccount <= 0 {
		l.PerAccount = d.PerAccount
	}
	if l.PerIP <= 0 {
		l.PerIP = d.PerIP
	}
	if l.MaxKeys <= 0 {
		l.MaxKeys = d.MaxKeys
	}
	return &Limiter{
		limits:   l,
		accounts: windows{m: map[key][]time.Time{}},
		ips:      windows{m: map[key][]time.Time{}},
	}
}

// Attempt records a login attempt for account from addr at now, to be made
// before the password is checked. When the account or the address has used
// up its attempts it records nothing and returns a *closedset.Error of kind RateLimited
// saying how long to wait; the caller must then not check the password.
func (l *Limiter) Attempt(account, addr string, now time.Time) error {
	ak, ik := accountKey(account), addrKey(addr)
	l.mu.Lock()
	defer l.mu.Unlock()
	wait := max(
		l.accounts.wait(ak, now, l.limits.Window, l.limits.PerAccount),
		l.ips.wait(ik, now, l.limits.Window, l.limits.PerIP))
	if wait > 0 {
		return closedset.Errorf(closedset.RateLimited, "too many login attempts; try again in %s", wait.Round(time.Second))
	}
	l.accounts.add(ak, now, l.limits)
	l.ips.add(ik, now, l.limits)
	return nil
}

// Succeeded forgives a successful login: the account's count starts again,
// and the address loses this one attempt (an office behind one address
// logs in many people).
func (l *Limiter) Succeeded(account, addr string) {
	ak, ik := accountKey(account), addrKey(addr)
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.accounts.m, ak)
	if ts := l.ips.m[ik]; len(ts) > 0 {
		l.ips.m[ik] = ts[:len(ts)-1]
	}
}

// key is a fixed-size digest of an account or address, so that a hostile
// 1 MB "email" costs the map 32 bytes.
type key [sha256.Size]byte

// accountKey folds case and space: Anna@Example.org is anna@example.org.
func accountKey(account string) key {
	return sha256.Sum256([]byte(strings.ToLower(strings.TrimSpace(account))))
}

// addrKey counts an IPv6 client by its /64, the block one host usually
// holds, so it cannot rotate addresses to escape the limit.
func addrKey(addr string) key {
	if a, err := netip.ParseAddr(addr); err == nil {
		a = a.Unmap().WithZone("")
		if a.Is6() {
			p, _ := a.Prefix(64)
			addr = p.String()
		} else {
			addr = a.String()
		}
	}
	return sha256.Sum256([]byte(addr))
}

// windows holds, per key, the times of the attempts still in the window,
// oldest first.
type windows struct {
	m         map[key][]time.Time
	nextSweep time.Time
}

// wait returns how long until k may try again: 0 when it may now.
func (w *windows) wait(k key, now time.Time, window time.Duration, limit int) time.Duration {
	ts := w.prune(k, now, window)
	if len(ts) < limit {
		return 0
	}
	return ts[len(ts)-limit].Add(window).Sub(now)
}

// prune drops k's attempts older than the window.
func (w *windows) prune(k key, now time.Time, window time.Duration) []time.Time {
	ts, ok := w.m[k]
	if !ok {
		return nil
	}
	i := 0
	for i < len(ts) && !now.Before(ts[i].Add(window)) {
		i++
	}
	if i == len(ts) {
		delete(w.m, k)
		return nil
	}
	if i > 0 {
		ts = append(ts[:0], ts[i:]...)
		w.m[k] = ts
	}
	return ts
}

func (w *windows) add(k key, now time.Time, l Limits) {
	if _, ok := w.m[k]; !ok && len(w.m) >= l.MaxKeys {
		w.evict(now, l)
	}
	w.m[k] = append(w.m[k], now)
}

// evict makes room for one key: first by dropping every expired key (at
// most once per tenth of a window, so that a full map of live keys does not
// make every attempt walk it), then, if still full, an arbitrary key.
func (w *windows) evict(now time.Time, l Limits) {
	if !now.Before(w.nextSweep) {
		w.nextSweep = now.Add(l.Window / 10)
		for k := range w.m {
			w.prune(k, now, l.Window)
		}
	}
	for k := range w.m {
		if len(w.m) < l.MaxKeys {
			return
		}
		delete(w.m, k) // map iteration starts at a random key
	}
}
