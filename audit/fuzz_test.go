package audit

import (
	"slices"
	"strings"
	"testing"
	"time"
)

// FuzzVerify applies random mutations to a valid chain, including a forger's
// tools (fresh hashes, relinking, renumbering), and checks the property the
// package promises: checked against the anchor of the original chain, a
// mutated chain either fails verification or is the original chain,
// possibly with valid events appended.
//
// The input is read four bytes at a time: operation, event, other event,
// value.
func FuzzVerify(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{0, 2, 0, 1})                // renumber an event
	f.Add([]byte{1, 1, 0, 1})                // move At
	f.Add([]byte{9, 2, 0, 0})                // delete an event
	f.Add([]byte{10, 1, 2, 0})               // swap two events
	f.Add([]byte{3, 2, 0, 'x', 13, 2, 0, 0}) // edit a name, rehash
	f.Add([]byte{13, 4, 0, 0, 14, 5, 0, 0})  // rehash, relink
	f.Add([]byte{12, 3, 0, 5, 15, 0, 0, 0})  // another time zone, append
	f.Add([]byte{9, 5, 0, 0, 9, 4, 0, 0})    // cut the tail
	f.Fuzz(func(t *testing.T, ops []byte) {
		orig := chain(t, 6)
		anchor := Anchor{Count: 6, Hash: orig[5].Hash}
		es := slices.Clone(orig)
		for len(ops) >= 4 && len(es) > 0 {
			es = mutate(t, es, ops[0], int(ops[1])%len(es), int(ops[2])%len(es), ops[3])
			ops = ops[4:]
		}
		if _, err := VerifyAnchor(stream(es), anchor); err != nil {
			return // detected
		}
		if len(es) < len(orig) {
			t.Fatalf("a chain of %d events verified against an anchor of %d", len(es), len(orig))
		}
		for i := range orig {
			if !sameEvent(es[i], orig[i]) {
				t.Fatalf("event %d changed undetected:\n got %+v\nwant %+v", i+1, es[i], orig[i])
			}
		}
	})
}

func mutate(t *testing.T, es []Event, op byte, i, j int, v byte) []Event {
	e := &es[i]
	d := int64(int8(v)) // a small signed amount
	switch op % 16 {
	case 0:
		e.Seq += d
	case 1:
		e.At = e.At.Add(time.Duration(d) * time.Microsecond)
	case 2:
		e.At = e.At.Add(time.Duration(d)) // nanoseconds
	case 3:
		e.Actor.Name += string(rune(v))
	case 4:
		e.Actor.ID += d
	case 5:
		e.Action = e.Action[:len(e.Action)/2] + string(rune(v))
	case 6:
		e.Object = string(rune(v)) + e.Object
	case 7:
		e.Digest = setHexDigit(e.Digest, v)
	case 8:
		e.PrevHash = setHexDigit(e.PrevHash, v)
	case 9:
		return slices.Delete(es, i, i+1)
	case 10:
		es[i], es[j] = es[j], es[i]
	case 11:
		return slices.Insert(es, i, *e)
	case 12:
		e.At = e.At.In(time.FixedZone("zone", int(d)*900))
	case 13:
		if isHash(e.Digest) && isHash(e.PrevHash) {
			rehash(e)
		}
	case 14:
		if i > 0 && isHash(e.Digest) {
			e.PrevHash = es[i-1].Hash
			if isHash(e.PrevHash) {
				rehash(e)
			}
		}
	case 15:
		last := es[len(es)-1]
		if n, err := Next(&last, last.At.Add(time.Minute), System, "audit.verify", "installation:1", v); err == nil {
			return append(es, n)
		}
	}
	return es
}

// setHexDigit rewrites one character of a hash with any byte, valid hex,
// uppercase hex or not hex at all.
func setHexDigit(h string, v byte) string {
	if h == "" {
		return string(rune(v))
	}
	b := []byte(h)
	b[int(v)%len(b)] = "0123456789abcdefABCDEF.z"[int(v)%24]
	return string(b)
}

// FuzzParseRows: whatever ParseRows accepts, FormatRows writes back
// byte for byte (one spelling per list), and every row it returns is one
// an event may carry.
func FuzzParseRows(f *testing.F) {
	h := strings.Repeat("ab", 32)
	f.Add("")
	f.Add("withdrawals:5:" + h)
	f.Add("withdrawals:5:" + h + " rider_scenes:12:" + h)
	f.Add("withdrawals:05:" + h)
	f.Add("a:-1:" + h)
	f.Add("a::" + h)
	f.Fuzz(func(t *testing.T, s string) {
		rows, err := ParseRows(s)
		if err != nil {
			return
		}
		if got := FormatRows(rows); got != s {
			t.Fatalf("ParseRows(%q) then FormatRows = %q", s, got)
		}
		for _, r := range rows {
			if err := checkRow(r); err != nil {
				t.Fatalf("ParseRows(%q) returned %+v: %v", s, r, err)
			}
		}
	})
}
