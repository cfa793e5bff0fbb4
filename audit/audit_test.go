package audit

import (
	"encoding/hex"
	"encoding/json"
	"flag"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"closedset/textfield"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func TestNextStartsAtGenesisAndLinks(t *testing.T) {
	es := chain(t, 3)
	if es[0].Seq != 1 || es[0].PrevHash != Genesis {
		t.Fatalf("first event: seq %d prev %s, want 1 and genesis", es[0].Seq, es[0].PrevHash)
	}
	for i := 1; i < len(es); i++ {
		if es[i].Seq != es[i-1].Seq+1 || es[i].PrevHash != es[i-1].Hash {
			t.Errorf("event %d does not link to event %d", es[i].Seq, es[i-1].Seq)
		}
	}
}

func TestNextTruncatesTimeToMicrosecondsInUTC(t *testing.T) {
	paris := time.FixedZone("CET", 3600)
	at := time.Date(2026, 3, 14, 10, 30, 0, 123456789, paris)
	e, err := Next(nil, at, System, "backup.run", "installation:1", nil)
	if err != nil {
		t.Fatal(err)
	}
	if e.At.Location() != time.UTC || e.At.Nanosecond() != 123456000 || !e.At.Equal(at.Truncate(time.Microsecond)) {
		t.Errorf("At = %v, want 09:30:00.123456 UTC", e.At)
	}
}

// TestStoredRoundTripVerifies reads events back the way a store does:
// times in another location, rebuilt from microseconds.
func TestStoredRoundTripVerifies(t *testing.T) {
	es := chain(t, 4)
	for i := range es {
		es[i].At = time.UnixMicro(es[i].At.UnixMicro()).In(time.FixedZone("PDT", -7*3600))
	}
	if _, err := Verify(stream(es)); err != nil {
		t.Fatal(err)
	}
}

func TestNextRejectsBadInput(t *testing.T) {
	prevBad := Event{Seq: 3, Hash: "nothex"}
	cases := []struct {
		name   string
		prev   *Event
		at     time.Time
		actor  Actor
		action string
		object string
		change any
		want   string
	}{
		{"change is a channel", nil, t0, System, "a.b", "x:1", make(chan int), "does not encode"},
		{"change is a function", nil, t0, System, "a.b", "x:1", func() {}, "does not encode"},
		{"change holds NaN", nil, t0, System, "a.b", "x:1", map[string]float64{"x": math.NaN()}, "does not encode"},
		{"empty action", nil, t0, System, "", "x:1", nil, "action"},
		{"action with capitals", nil, t0, System, "Member.Add", "x:1", nil, "action"},
		{"action too long", nil, t0, System, strings.Repeat("a", MaxAction+1), "x:1", nil, "action"},
		{"object without kind", nil, t0, System, "a.b", "7", nil, "kind:id"},
		{"object without id", nil, t0, System, "a.b", "production:", nil, "kind:id"},
		{"object with a newline", nil, t0, System, "a.b", "x:1\nforged", nil, "control"},
		{"actor name with a newline", nil, t0, Actor{1, "eve\nevent 9 ok"}, "a.b", "x:1", nil, "control"},
		{"actor name not UTF-8", nil, t0, Actor{1, "\xff"}, "a.b", "x:1", nil, "UTF-8"},
		{"actor name too long", nil, t0, Actor{1, strings.Repeat("n", MaxActorName+1)}, "a.b", "x:1", nil, "over"},
		{"actor name with a trailing line break", nil, t0, Actor{1, "eve\n"}, "a.b", "x:1", nil, "either end"},
		{"negative actor", nil, t0, Actor{-1, "x"}, "a.b", "x:1", nil, "negative"},
		{"no time", nil, time.Time{}, System, "a.b", "x:1", nil, "time"},
		{"previous event without hash", &prevBad, t0, System, "a.b", "x:1", nil, "previous event 3"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Next(c.prev, c.at, c.actor, c.action, c.object, c.change)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("err = %v, want one mentioning %q", err, c.want)
			}
		})
	}
}

// TestLongestUserNameFitsTheLog: a user's name at textfield's limit in
// letters of three bytes is an actor the log takes, since both count
// characters.
func TestLongestUserNameFitsTheLog(t *testing.T) {
	name := strings.Repeat("港", textfield.MaxName)
	if _, err := Next(nil, time.Date(2026, 3, 3, 9, 0, 0, 0, time.UTC), Actor{1, name}, "a.b", "x:1", nil); err != nil {
		t.Errorf("a %d-character name of %d bytes: %v", textfield.MaxName, len(name), err)
	}
}

func TestDigestIgnoresFieldOrder(t *testing.T) {
	type change struct {
		Title  string `json:"title"`
		Policy string `json:"policy"`
	}
	a, err := Digest(change{"Harbor", "sag-aftra"})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Digest(map[string]string{"policy": "sag-aftra", "title": "Harbor"})
	c, _ := Digest(json.RawMessage(`{ "title" : "Harbor", "policy":"sag-aftra" }`))
	if a != b || a != c {
		t.Errorf("digests differ: %s %s %s", a, b, c)
	}
	d, _ := Digest(change{"Harbor", "equity-uk"})
	if d == a {
		t.Error("a different change has the same digest")
	}
}

func TestCanonicalJSON(t *testing.T) {
	got, err := CanonicalJSON(map[string]any{"b": []any{1.5, "<x&y>"}, "a": map[string]int{"z": 1, "y": 2}, "c": nil})
	if err != nil {
		t.Fatal(err)
	}
	want := `{"a":{"y":2,"z":1},"b":[1.5,"<x&y>"],"c":null}`
	if string(got) != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

// TestNextDigestKeepsTheCallersDigest: a digest the caller computed is
// recorded as given, and must be lowercase hex like a plain one.
func TestNextDigestKeepsTheCallersDigest(t *testing.T) {
	keyed := strings.Repeat("ab", 32)
	e, err := NextDigest(nil, t0, System, "boundaries.write", "performer:7", keyed)
	if err != nil || e.Digest != keyed {
		t.Fatalf("NextDigest: %v", err)
	}
	if _, err := NextDigest(nil, t0, System, "boundaries.write", "performer:7", strings.ToUpper(keyed)); err == nil {
		t.Error("an uppercase digest was accepted")
	}
}

func TestAnchorRoundTrip(t *testing.T) {
	es := chain(t, 3)
	a, err := Verify(stream(es))
	if err != nil {
		t.Fatal(err)
	}
	if a.Count != 3 || a.Hash != es[2].Hash {
		t.Fatalf("anchor %v, want 3 and the last hash", a)
	}
	b, err := ParseAnchor(a.String() + "\n")
	if err != nil || b != a {
		t.Fatalf("ParseAnchor(%q) = %v, %v", a.String(), b, err)
	}
	for _, bad := range []string{"", "3", "x:" + es[2].Hash, "-1:" + es[2].Hash, "3:" + strings.ToUpper(es[2].Hash), "0:" + es[2].Hash} {
		if _, err := ParseAnchor(bad); err == nil {
			t.Errorf("ParseAnchor(%q) succeeded", bad)
		}
	}
	if a, err := Verify(stream(nil)); err != nil || a != (Anchor{0, Genesis}) {
		t.Errorf("empty chain: %v, %v", a, err)
	}
}

// TestGoldenChain pins the canonical encoding and hashes of a small chain:
// testdata/chain.golden.json is the test vector for a verifier written in
// another language. If this test fails, the encoding changed and every
// stored chain with it: that needs a new canonicalTag, not -update.
func TestGoldenChain(t *testing.T) {
	type vector struct {
		Event     Event  `json:"event"`
		Canonical string `json:"canonical_hex"`
	}
	var got []vector
	var prev *Event
	for i, change := range []any{
		map[string]any{"title": "Harbor", "policy": "sag-aftra"},
		map[string]any{"email": "anna@example.org", "role": "performer"},
		nil,
	} {
		actor := []Actor{{1, "ic@example.org"}, {2, "Producer Name"}, System}[i]
		action := []string{"production.create", "member.add", "audit.verify"}[i]
		e, err := Next(prev, t0.Add(time.Duration(i)*time.Second), actor, action, Object("production", 7), change)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, vector{e, hex.EncodeToString(Canonical(e))})
		prev = &got[i].Event
	}
	b, _ := json.MarshalIndent(got, "", "  ")
	path := filepath.Join("testdata", "chain.golden.json")
	if *update {
		if err := os.WriteFile(path, append(b, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if strings.TrimSpace(string(want)) != string(b) {
		t.Errorf("the canonical encoding or hashes changed:\n%s", b)
	}
}
