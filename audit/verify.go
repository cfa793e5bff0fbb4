package audit

import (
	"fmt"
	"iter"
	"time"
)

// BreakKind says how a chain is broken.
type BreakKind string

// The ways a chain breaks.
const (
	// Changed: an event's contents do not match its own hash, or a field is
	// not in its one valid spelling.
	Changed BreakKind = "changed"
	// Missing: a sequence number is skipped.
	Missing BreakKind = "missing"
	// Reordered: events come out of sequence order.
	Reordered BreakKind = "reordered"
	// Unlinked: an event is intact but does not link to the one before it:
	// one of the two was rewritten with a fresh hash, or events were removed
	// or reordered and then renumbered.
	Unlinked BreakKind = "unlinked"
	// Truncated: the chain is shorter than an anchor kept elsewhere.
	Truncated BreakKind = "truncated"
	// Rewritten: the event an anchor names has another hash than the
	// anchor: the chain was rewritten, with fresh hashes, up to it.
	Rewritten BreakKind = "rewritten"
)

// BrokenError reports the first event at which a chain does not hold.
type BrokenError struct {
	Seq  int64     // the first bad event's sequence number
	Kind BreakKind // how the chain is broken there
	Msg  string    // for a person: "event 12 was changed (...)"
}

func (e *BrokenError) Error() string { return e.Msg }

func broken(seq int64, kind BreakKind, format string, args ...any) *BrokenError {
	return &BrokenError{Seq: seq, Kind: kind, Msg: fmt.Sprintf(format, args...)}
}

// A Verifier checks a chain one event at a time, in the order the store
// holds them (by Seq), keeping only the last hash: it verifies a chain of
// any length in constant memory. The zero Verifier checks a chain from its
// first event. Once broken it stays broken.
type Verifier struct {
	n      int64  // events verified
	last   string // hash of event n
	gap    *gap   // where sequence numbers first skipped, while looking for the skipped one
	anchor *Anchor
	err    error
}

// Expect makes the Verifier also check the chain against an anchor taken
// earlier (see Anchor): the chain must reach the anchor's count, with the
// anchor's hash at that event. Call it before the first Add.
func (v *Verifier) Expect(a Anchor) { v.anchor = &a }

// Add checks the next event. It returns a *BrokenError at the first event
// that does not hold, and the same error for every later call. A gap in the
// sequence numbers is reported by Finish, which alone knows whether the
// skipped event came later (reordered) or never (missing).
func (v *Verifier) Add(e Event) error {
	if v.err != nil {
		return v.err
	}
	v.err = v.add(e)
	return v.err
}

func (v *Verifier) add(e Event) error {
	want := v.n + 1
	if v.gap != nil {
		// Past a gap, only look for the skipped event: found later it was
		// moved, never found it was removed. Either way the chain broke at
		// the gap; Finish says how.
		if e.Seq == want && !v.gap.found {
			v.gap.found, v.gap.before = true, v.gap.last
		}
		v.gap.last = e.Seq
		return nil
	}
	switch {
	case e.Seq < 1:
		return broken(e.Seq, Changed, "event %d was changed (sequence numbers start at 1)", e.Seq)
	case e.Seq == v.n:
		return broken(e.Seq, Reordered, "event %d appears more than once", e.Seq)
	case e.Seq < want:
		return broken(e.Seq, Reordered, "event %d is out of order (it comes after event %d)", e.Seq, v.n)
	case e.Seq > want:
		v.gap = &gap{after: e.Seq, last: e.Seq}
		return nil
	}
	if err := wellFormed(e); err != nil {
		return err
	}
	if ComputeHash(e) != e.Hash {
		return broken(e.Seq, Changed, "event %d was changed (its hash does not match its contents)", e.Seq)
	}
	if e.PrevHash != v.Head().Hash {
		if e.Seq == 1 {
			return broken(1, Changed, "event 1 was changed (its previous hash is not the genesis value)")
		}
		return broken(e.Seq, Unlinked, "event %d does not follow event %d (its previous hash does not match): one of them was rewritten, or events were removed or reordered and renumbered", e.Seq, e.Seq-1)
	}
	v.n, v.last = e.Seq, e.Hash
	if a := v.anchor; a != nil && a.Count == v.n && a.Hash != v.last {
		return broken(v.n, Rewritten, "event %d does not match the anchor (hash %s, anchor %s): the chain was rewritten up to it", v.n, short(v.last), short(a.Hash))
	}
	return nil
}

// gap records a skip in sequence numbers: event n+1 was expected, after
// came. Telling a removed event from a moved one only needs the skipped
// number, so the walk stays in constant memory.
type gap struct {
	after  int64 // the Seq that came where n+1 was expected
	last   int64 // the Seq of the latest event seen
	found  bool  // the skipped event came later
	before int64 // if found, the Seq of the event it came after
}

func (v *Verifier) gapError() error {
	want, g := v.n+1, v.gap
	switch {
	case g.found:
		return broken(want, Reordered, "event %d is out of order (it comes after event %d)", want, g.before)
	case v.n == 0:
		return broken(want, Missing, "event %d is missing (the chain starts at %d)", want, g.after)
	default:
		return broken(want, Missing, "event %d is missing (%d is followed by %d)", want, v.n, g.after)
	}
}

// wellFormed checks the fields the hash covers in more than one spelling:
// hashes must be lowercase hex and times whole microseconds, or a
// re-spelled field would change the stored event without changing its hash.
func wellFormed(e Event) error {
	switch {
	case !isHash(e.Digest):
		return broken(e.Seq, Changed, "event %d was changed (its digest is not a lowercase hex SHA-256)", e.Seq)
	case !isHash(e.PrevHash):
		return broken(e.Seq, Changed, "event %d was changed (its previous hash is not a lowercase hex SHA-256)", e.Seq)
	case !isHash(e.Hash):
		return broken(e.Seq, Changed, "event %d was changed (its hash is not a lowercase hex SHA-256)", e.Seq)
	case e.At.Nanosecond()%int(time.Microsecond) != 0:
		return broken(e.Seq, Changed, "event %d was changed (its time has digits below a microsecond)", e.Seq)
	}
	for _, r := range e.Rows {
		if checkRow(r) != nil {
			return broken(e.Seq, Changed, "event %d was changed (a row it names is not table:key:hash)", e.Seq)
		}
	}
	return nil
}

// Finish ends the walk: it reports a gap left open by the last event, and a
// chain shorter than the expected anchor, and returns the anchor of the
// verified chain: its count and last hash.
func (v *Verifier) Finish() (Anchor, error) {
	if v.err == nil && v.gap != nil {
		v.err = v.gapError()
	}
	if v.err == nil && v.anchor != nil && v.n < v.anchor.Count {
		v.err = broken(v.n+1, Truncated, "event %d is missing: the chain ends at event %d but its anchor counts %d events", v.n+1, v.n, v.anchor.Count)
	}
	return v.Head(), v.err
}

// Head returns the anchor of the events verified so far.
func (v *Verifier) Head() Anchor {
	if v.n == 0 {
		return Anchor{Count: 0, Hash: Genesis}
	}
	return Anchor{Count: v.n, Hash: v.last}
}

// Verify walks a chain in Seq order, as a store streams it, and returns the
// anchor of the verified chain (its count of events and last hash), or a
// *BrokenError naming the first event that was changed, removed or
// reordered. An error from the stream is returned wrapped, with the anchor
// of the events verified before it.
//
// A chain alone cannot show that events were cut from its end, nor that it
// was rewritten whole from some event on with fresh hashes: a shorter or
// rewritten chain is still a valid chain. Against both, keep the anchor
// Verify returns somewhere the database's writers cannot change (print it,
// mail it, commit it) and check later chains with VerifyAnchor.
func Verify(events iter.Seq2[Event, error]) (Anchor, error) {
	return walk(&Verifier{}, events)
}

// VerifyAnchor is Verify that also requires the chain to extend the anchor:
// at least a.Count events, with event a.Count's hash equal to a.Hash. A
// chain that grew since the anchor was taken verifies.
func VerifyAnchor(events iter.Seq2[Event, error], a Anchor) (Anchor, error) {
	v := &Verifier{}
	v.Expect(a)
	return walk(v, events)
}

func walk(v *Verifier, events iter.Seq2[Event, error]) (Anchor, error) {
	for e, err := range events {
		if err != nil {
			return v.Head(), fmt.Errorf("audit: reading the event after %d: %w", v.n, err)
		}
		if v.Add(e) != nil {
			break
		}
	}
	return v.Finish()
}

func short(h string) string {
	if len(h) > 12 {
		return h[:12]
	}
	return h
}
