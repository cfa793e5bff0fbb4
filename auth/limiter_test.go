package auth

import (
	"closedset"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

var t0 = time.Date(2026, 3, 14, 9, 0, 0, 0, time.UTC)

func TestLimiterAccountBoundaries(t *testing.T) {
	l := NewLimiter(DefaultLimits)
	for i := 1; i <= 5; i++ {
		if err := l.Attempt("anna@example.org", "192.0.2.1", t0.Add(time.Duration(i)*time.Second)); err != nil {
			t.Fatalf("attempt %d refused: %v", i, err)
		}
	}
	// The sixth, from another address and in other case, is the same account.
	err := l.Attempt("Anna@Example.org ", "198.51.100.9", t0.Add(10*time.Second))
	if !closedset.Is(err, closedset.RateLimited) {
		t.Fatalf("6th attempt: %v, want rate limited", err)
	}
	if want := "too many login attempts; try again in 14m51s"; err.Error() != want {
		t.Errorf("message %q, want %q", err, want)
	}
	// The first attempt (at 1 s) leaves the window at 15 min 1 s, not before.
	if err := l.Attempt("anna@example.org", "192.0.2.1", t0.Add(15*time.Minute+time.Second-time.Nanosecond)); err == nil {
		t.Error("allowed a nanosecond before the window ended")
	}
	if err := l.Attempt("anna@example.org", "192.0.2.1", t0.Add(15*time.Minute+time.Second)); err != nil {
		t.Errorf("refused once the first attempt left the window: %v", err)
	}
	// Refused attempts are not counted: one slot freed, one used, so the
	// next is refused until the second attempt leaves the window.
	if err := l.Attempt("anna@example.org", "192.0.2.1", t0.Add(15*time.Minute+time.Second)); err == nil {
		t.Error("a seventh attempt in the window was allowed")
	}
}

func TestLimiterForgivesASuccess(t *testing.T) {
	l := NewLimiter(DefaultLimits)
	for range 4 {
		l.Attempt("anna@example.org", "192.0.2.1", t0)
	}
	l.Attempt("anna@example.org", "192.0.2.1", t0)
	l.Succeeded("anna@example.org", "192.0.2.1")
	for i := range 5 {
		if err := l.Attempt("anna@example.org", "192.0.2.1", t0); err != nil {
			t.Fatalf("attempt %d after a success: %v", i+1, err)
		}
	}
}

func TestLimiterAddressBoundaries(t *testing.T) {
	l := NewLimiter(DefaultLimits)
	for i := range 20 {
		if err := l.Attempt(fmt.Sprintf("user%d@example.org", i), "203.0.113.5", t0); err != nil {
			t.Fatalf("attempt %d refused: %v", i+1, err)
		}
	}
	if err := l.Attempt("user99@example.org", "203.0.113.5", t0); !closedset.Is(err, closedset.RateLimited) {
		t.Errorf("21st attempt from one address: %v", err)
	}
	if err := l.Attempt("user99@example.org", "203.0.113.6", t0); err != nil {
		t.Errorf("another address was limited: %v", err)
	}
	if err := l.Attempt("user98@example.org", "::ffff:203.0.113.5", t0); err == nil {
		t.Error("the same IPv4 address written as IPv6 escaped the limit")
	}
}

func TestLimiterCountsAnIPv6ClientByItsSlash64(t *testing.T) {
	l := NewLimiter(Limits{PerIP: 2})
	l.Attempt("a@example.org", "2001:db8:1:2::1", t0)
	l.Attempt("b@example.org", "2001:db8:1:2:ffff::9", t0)
	if err := l.Attempt("c@example.org", "2001:db8:1:2::abcd%eth0", t0); err == nil {
		t.Error("a third address in the same /64 was allowed")
	}
	if err := l.Attempt("c@example.org", "2001:db8:1:3::1", t0); err != nil {
		t.Errorf("the next /64 was limited: %v", err)
	}
}

func TestLimiterMemoryIsBounded(t *testing.T) {
	l := NewLimiter(Limits{MaxKeys: 100})
	for i := range 10_000 {
		l.Attempt(fmt.Sprintf("user%d@example.org", i), fmt.Sprintf("10.0.%d.%d", i/256, i%256), t0.Add(time.Duration(i)*time.Millisecond))
	}
	if n, m := len(l.accounts.m), len(l.ips.m); n > 100 || m > 100 {
		t.Errorf("%d accounts and %d addresses kept, want at most 100 each", n, m)
	}
	// Once the window has passed, a full map sweeps out its expired keys
	// rather than dropping live ones.
	later := t0.Add(time.Hour)
	l.Attempt("new@example.org", "10.9.9.9", later)
	if n := len(l.accounts.m); n != 1 {
		t.Errorf("%d accounts after the sweep, want 1", n)
	}
}

func TestLimiterUnderConcurrentAttempts(t *testing.T) {
	l := NewLimiter(DefaultLimits)
	var allowed atomic.Int32
	var wg sync.WaitGroup
	for i := range 50 {
		wg.Go(func() {
			if l.Attempt("anna@example.org", fmt.Sprintf("192.0.2.%d", i), t0) == nil {
				allowed.Add(1)
			}
		})
	}
	wg.Wait()
	if n := allowed.Load(); n != 5 {
		t.Errorf("%d parallel attempts allowed, want exactly 5", n)
	}
}
