// Package credentials holds an intimacy coordinator's own record: their
// training by area, Mental Health First Aid, background check, applied
// experience, set days and certification; the state of a certification on
// a date (trainee, certified, review due, lapsed), computed, never stored;
// and the training pathway a trainee walks to certification, whose gates
// are rules over the record.
//
// Its invariants: the areas and the pathway are data (areas.tsv,
// pathway.tsv), parsed by pure functions; a certification's state is a
// function of the record and a day; and nothing here holds a proof file's
// bytes, only its id: proofs are sealed by ops before they reach the store.
package credentials

import (
	_ "embed"
	"fmt"
	"strings"

	"closedset"
)

// Kind is what an area of the record is.
type Kind string

// The kinds of area.
const (
	KindArea       Kind = "area"       // a training area, done once
	KindMHFA       Kind = "mhfa"       // Mental Health First Aid: it expires
	KindBackground Kind = "background" // a background check
	KindExperience Kind = "experience" // supervised or mentored applied experience
)

// Area is one line of the areas file.
type Area struct {
	Key  string
	Kind Kind
	Name string
}

// Areas is an areas file, in its order.
type Areas []Area

// MaxDataFile bounds an areas or pathway file.
const MaxDataFile = 64 << 10

//go:embed areas.tsv
var defaultAreas []byte

// DefaultAreas returns the embedded areas (areas.tsv).
func DefaultAreas() Areas {
	a, err := ParseAreas(defaultAreas)
	if err != nil {
		panic("credentials: embedded areas.tsv: " + err.Error())
	}
	return a
}

// ParseAreas reads an areas file: key, kind and name a line, tab-separated;
// blank lines and # comments skipped. Errors name the line.
func ParseAreas(data []byte) (Areas, error) {
	if len(data) > MaxDataFile {
		return nil, closedset.Errorf(closedset.TooLarge, "areas file is %d bytes, at most %d", len(data), MaxDataFile)
	}
	var out Areas
	seen := map[string]bool{}
	for _, dl := range dataLines(data) {
		n, line := dl.n, dl.text
		f := strings.Split(line, "\t")
		if len(f) != 3 {
			return nil, lineErr("areas", n, "%d fields, want 3 (key, kind, name)", len(f))
		}
		a := Area{Key: f[0], Kind: Kind(f[1]), Name: strings.TrimSpace(f[2])}
		if !validKey(a.Key) {
			return nil, lineErr("areas", n, "key %q: lower-case letters, digits and _ only", a.Key)
		}
		switch a.Kind {
		case KindArea, KindMHFA, KindBackground, KindExperience:
		default:
			return nil, lineErr("areas", n, "kind %q (want area, mhfa, background or experience)", f[1])
		}
		if a.Name == "" || len(a.Name) > 200 {
			return nil, lineErr("areas", n, "a name of 1 to 200 bytes")
		}
		if seen[a.Key] {
			return nil, lineErr("areas", n, "%s appears twice", a.Key)
		}
		seen[a.Key] = true
		out = append(out, a)
	}
	if len(out) == 0 {
		return nil, closedset.Errorf(closedset.Invalid, "areas file lists no area")
	}
	return out, nil
}

// Find returns the area with key.
func (as Areas) Find(key string) (Area, bool) {
	for _, a := range as {
		if a.Key == key {
			return a, true
		}
	}
	return Area{}, false
}

// Training returns the training areas (kind area), in order.
func (as Areas) Training() []Area {
	var out []Area
	for _, a := range as {
		if a.Kind == KindArea {
			out = append(out, a)
		}
	}
	return out
}

// dataLine is one content line of a data file and its 1-based number.
type dataLine struct {
	n    int
	text string
}

// dataLines returns the content lines of a data file, in order: trailing
// CR trimmed, blank lines and # comments skipped.
func dataLines(data []byte) []dataLine {
	var out []dataLine
	for i, line := range strings.Split(string(data), "\n") {
		line = strings.TrimRight(line, "\r")
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		out = append(out, dataLine{i + 1, line})
	}
	return out
}

func lineErr(file string, n int, format string, args ...any) error {
	return closedset.Errorf(closedset.Invalid, "%s file: line %d: %s", file, n, fmt.Sprintf(format, args...))
}

func validKey(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_') {
			return false
		}
	}
	return true
}
