package audit

import (
	"fmt"
	"iter"
	"testing"
	"time"
)

// t0 is a fixed clock: tests never read the real time.
var t0 = time.Date(2026, 3, 14, 9, 30, 0, 123456000, time.UTC)

// chain builds a valid chain of n events, one a minute, by a few actors.
func chain(t testing.TB, n int) []Event {
	t.Helper()
	actors := []Actor{{1, "ic@example.org"}, {2, "producer@example.org"}, System}
	actions := []string{"production.create", "member.add", "script.upload", "flag.confirm"}
	var es []Event
	var prev *Event
	for i := range n {
		e, err := Next(prev, t0.Add(time.Duration(i)*time.Minute), actors[i%len(actors)],
			actions[i%len(actions)], Object("production", int64(i%3+1)),
			map[string]any{"step": i, "title": fmt.Sprintf("change %d", i)})
		if err != nil {
			t.Fatal(err)
		}
		es = append(es, e)
		prev = &es[len(es)-1]
	}
	return es
}

// stream yields events as a store would, one at a time.
func stream(es []Event) iter.Seq2[Event, error] {
	return func(yield func(Event, error) bool) {
		for _, e := range es {
			if !yield(e, nil) {
				return
			}
		}
	}
}

// sameEvent compares events as records: the instant of At, not its location.
func sameEvent(a, b Event) bool {
	return a.Seq == b.Seq && a.At.Equal(b.At) && a.Actor == b.Actor && a.Action == b.Action &&
		a.Object == b.Object && a.Digest == b.Digest && a.PrevHash == b.PrevHash && a.Hash == b.Hash
}

// rehash gives e a fresh, self-consistent hash, as a forger who knows the
// format would.
func rehash(e *Event) { e.Hash = ComputeHash(*e) }
