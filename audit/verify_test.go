package audit

import (
	"errors"
	"iter"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestVerifyValidChain(t *testing.T) {
	es := chain(t, 50)
	a, err := Verify(stream(es))
	if err != nil {
		t.Fatal(err)
	}
	if a.Count != 50 || a.Hash != es[49].Hash {
		t.Errorf("anchor %v, want 50 events ending in %s", a, es[49].Hash)
	}
}

// TestVerifyDetectsTampering edits, removes and reorders events of a
// five-event chain, one way each, and checks the first bad event is named.
func TestVerifyDetectsTampering(t *testing.T) {
	cases := []struct {
		name   string
		tamper func([]Event) []Event
		seq    int64
		kind   BreakKind
		msg    string
	}{
		// Edits.
		{"first event's action", func(es []Event) []Event { es[0].Action = "production.delete"; return es },
			1, Changed, "event 1 was changed (its hash does not match its contents)"},
		{"last event's object", func(es []Event) []Event { es[4].Object = "production:9"; return es },
			5, Changed, "event 5 was changed (its hash does not match its contents)"},
		{"only At, by a microsecond", func(es []Event) []Event { es[2].At = es[2].At.Add(time.Microsecond); return es },
			3, Changed, "event 3 was changed (its hash does not match its contents)"},
		{"only At, below a microsecond", func(es []Event) []Event { es[2].At = es[2].At.Add(1); return es },
			3, Changed, "event 3 was changed (its time has digits below a microsecond)"},
		{"only Actor id", func(es []Event) []Event { es[1].Actor.ID = 99; return es },
			2, Changed, "event 2 was changed (its hash does not match its contents)"},
		{"only Actor name", func(es []Event) []Event { es[1].Actor.Name = "someone-else@example.org"; return es },
			2, Changed, "event 2 was changed (its hash does not match its contents)"},
		{"only Digest", func(es []Event) []Event { es[3].Digest = flipHex(es[3].Digest); return es },
			4, Changed, "event 4 was changed (its hash does not match its contents)"},
		{"Digest re-spelled in capitals", func(es []Event) []Event { es[3].Digest = strings.ToUpper(es[3].Digest); return es },
			4, Changed, "event 4 was changed (its digest is not a lowercase hex SHA-256)"},
		{"only PrevHash", func(es []Event) []Event { es[3].PrevHash = flipHex(es[3].PrevHash); return es },
			4, Changed, "event 4 was changed (its hash does not match its contents)"},
		{"only Hash", func(es []Event) []Event { es[3].Hash = flipHex(es[3].Hash); return es },
			4, Changed, "event 4 was changed (its hash does not match its contents)"},
		{"first event given a forged previous hash", func(es []Event) []Event {
			es[0].PrevHash = es[1].Hash
			rehash(&es[0])
			return es
		}, 1, Changed, "event 1 was changed (its previous hash is not the genesis value)"},
		{"middle event edited and rehashed", func(es []Event) []Event {
			es[2].Actor.Name = "nobody"
			rehash(&es[2])
			return es
		}, 4, Unlinked, "event 4 does not follow event 3"},
		// Removals.
		{"middle event deleted", func(es []Event) []Event { return slices.Delete(es, 2, 3) },
			3, Missing, "event 3 is missing (2 is followed by 4)"},
		{"first event deleted", func(es []Event) []Event { return es[1:] },
			1, Missing, "event 1 is missing (the chain starts at 2)"},
		{"middle event deleted and the rest renumbered", func(es []Event) []Event {
			es = slices.Delete(es, 2, 3)
			for i := 2; i < len(es); i++ {
				es[i].Seq--
			}
			return es
		}, 3, Changed, "event 3 was changed (its hash does not match its contents)"},
		{"middle event deleted, the rest renumbered and rehashed", func(es []Event) []Event {
			es = slices.Delete(es, 2, 3)
			for i := 2; i < len(es); i++ {
				es[i].Seq--
				rehash(&es[i])
			}
			return es
		}, 3, Unlinked, "event 3 does not follow event 2"},
		// Reorders.
		{"two neighbours swapped", func(es []Event) []Event { es[1], es[2] = es[2], es[1]; return es },
			2, Reordered, "event 2 is out of order (it comes after event 3)"},
		{"first and last swapped", func(es []Event) []Event { es[0], es[4] = es[4], es[0]; return es },
			1, Reordered, "event 1 is out of order (it comes after event 4)"},
		{"last event moved first", func(es []Event) []Event { return append([]Event{es[4]}, es[:4]...) },
			1, Reordered, "event 1 is out of order (it comes after event 5)"},
		{"swapped and renumbered", func(es []Event) []Event {
			es[1], es[2] = es[2], es[1]
			es[1].Seq, es[2].Seq = 2, 3
			return es
		}, 2, Changed, "event 2 was changed (its hash does not match its contents)"},
		{"swapped, renumbered and rehashed", func(es []Event) []Event {
			es[1], es[2] = es[2], es[1]
			es[1].Seq, es[2].Seq = 2, 3
			rehash(&es[1])
			rehash(&es[2])
			return es
		}, 2, Unlinked, "event 2 does not follow event 1"},
		{"event repeated", func(es []Event) []Event { return slices.Insert(es, 2, es[1]) },
			2, Reordered, "event 2 appears more than once"},
		{"sequence number zero", func(es []Event) []Event { es[0].Seq = 0; return es },
			0, Changed, "event 0 was changed (sequence numbers start at 1)"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			es := c.tamper(chain(t, 5))
			_, err := Verify(stream(es))
			var b *BrokenError
			if !errors.As(err, &b) {
				t.Fatalf("err = %v, want a *BrokenError", err)
			}
			if b.Seq != c.seq || b.Kind != c.kind || !strings.HasPrefix(b.Msg, c.msg) {
				t.Errorf("got event %d %s %q\nwant event %d %s %q", b.Seq, b.Kind, b.Msg, c.seq, c.kind, c.msg)
			}
		})
	}
}

// TestTruncationNeedsAnAnchor: cutting the last events leaves a valid,
// shorter chain; only an anchor kept elsewhere shows it.
func TestTruncationNeedsAnAnchor(t *testing.T) {
	es := chain(t, 5)
	anchor, err := Verify(stream(es))
	if err != nil {
		t.Fatal(err)
	}
	cut := es[:3]
	if _, err := Verify(stream(cut)); err != nil {
		t.Fatalf("a truncated chain is still a chain, got %v", err)
	}
	_, err = VerifyAnchor(stream(cut), anchor)
	var b *BrokenError
	if !errors.As(err, &b) || b.Kind != Truncated || b.Seq != 4 {
		t.Fatalf("err = %v, want event 4 truncated", err)
	}
	if want := "event 4 is missing: the chain ends at event 3 but its anchor counts 5 events"; b.Msg != want {
		t.Errorf("msg %q, want %q", b.Msg, want)
	}
}

// TestAnchorDetectsARewrite: a forger who rewrites the chain from event 2
// on with fresh hashes leaves a valid chain; the anchor does not match it.
func TestAnchorDetectsARewrite(t *testing.T) {
	es := chain(t, 5)
	anchor, _ := Verify(stream(es))
	forged := slices.Clone(es[:1])
	for _, e := range es[1:] {
		f, err := Next(&forged[len(forged)-1], e.At, e.Actor, e.Action, e.Object, "something else")
		if err != nil {
			t.Fatal(err)
		}
		forged = append(forged, f)
	}
	if _, err := Verify(stream(forged)); err != nil {
		t.Fatalf("the forgery should be a valid chain: %v", err)
	}
	_, err := VerifyAnchor(stream(forged), anchor)
	var b *BrokenError
	if !errors.As(err, &b) || b.Kind != Rewritten || b.Seq != 5 {
		t.Fatalf("err = %v, want event 5 rewritten", err)
	}
}

func TestAnchorAcceptsAGrownChain(t *testing.T) {
	es := chain(t, 8)
	anchor, _ := Verify(stream(es[:5]))
	head, err := VerifyAnchor(stream(es), anchor)
	if err != nil || head.Count != 8 {
		t.Fatalf("head %v, err %v; want 8 events and no error", head, err)
	}
}

func TestVerifyReportsStreamErrors(t *testing.T) {
	es := chain(t, 3)
	boom := errors.New("connection reset")
	events := func(yield func(Event, error) bool) {
		for _, e := range es[:2] {
			if !yield(e, nil) {
				return
			}
		}
		yield(Event{}, boom)
	}
	head, err := Verify(events)
	var b *BrokenError
	if !errors.Is(err, boom) || errors.As(err, &b) || head.Count != 2 {
		t.Errorf("head %v, err %v; want 2 events and the stream's error", head, err)
	}
}

// TestVerifyStreamsInConstantMemory walks a long chain generated on the
// fly: nothing holds it whole.
func TestVerifyStreamsInConstantMemory(t *testing.T) {
	n := 200_000
	if testing.Short() {
		n = 10_000
	}
	head, err := Verify(generate(t, n))
	if err != nil || head.Count != int64(n) {
		t.Fatalf("head %v, err %v", head, err)
	}
}

func BenchmarkVerify(b *testing.B) {
	es := chain(b, 10_000)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Verify(stream(es)); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(es)), "ns/event")
}

func generate(t testing.TB, n int) iter.Seq2[Event, error] {
	return func(yield func(Event, error) bool) {
		var prev *Event
		for i := range n {
			e, err := Next(prev, t0.Add(time.Duration(i)*time.Second), Actor{1, "ic@example.org"}, "plan.write", Object("scene", int64(i)), i)
			if !yield(e, err) {
				return
			}
			prev = &e
		}
	}
}

// flipHex changes one hex digit, keeping the spelling valid.
func flipHex(h string) string {
	b := []byte(h)
	if b[0] == '0' {
		b[0] = '1'
	} else {
		b[0] = '0'
	}
	return string(b)
}
