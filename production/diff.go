// Package production holds what a production is made of across the
// workspace: its members and roles, its scripts and their revisions, and how
// the scenes of one revision match those of the next. Its main invariant:
// no scene with intimate content changes between drafts without showing up
// in the intimacy diff.
package production

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"hash/fnv"
	"slices"
	"strings"
	"unicode"

	"closedset/screenplay"
)

// RevisionScene is what matching needs to know of a scene in one revision.
type RevisionScene struct {
	Number  string   // the printed scene number, "" when unnumbered
	Heading string   // as printed
	Text    string   // the scene's text, as SceneText gives it
	Flags   []string // the breakdown categories flagged in it, sorted
}

// SceneText is the scene's printed text, one element a line, whitespace
// collapsed: what a reader of the page sees, so reflowing a paragraph is no
// change but a changed word is. The script's structure around a scene is
// left out (transitions, act breaks, THE END, the OMITTED placeholder of
// a cut scene that follows it): a scene that becomes the last before THE
// END, gains a CUT TO: or is followed by a cut, has not changed.
func SceneText(sc *screenplay.Scene) string {
	var b strings.Builder
	for _, e := range sc.Elements {
		if !e.Type.Printed() || e.Type == screenplay.Transition || e.Type == screenplay.ActBreak || endMark(e) || e.Omitted() {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(strings.Join(strings.Fields(e.Text), " "))
	}
	return b.String()
}

// endMark reports a centered THE END, END or END OF ... line.
func endMark(e screenplay.Element) bool {
	if e.Type != screenplay.Centered {
		return false
	}
	t := strings.ToUpper(strings.Join(strings.Fields(strings.Trim(e.Text, " .!")), " "))
	return t == "THE END" || t == "END" || strings.HasPrefix(t, "END OF ")
}

// TextHash is the hex SHA-256 of a scene's text: a revision that changes it
// changes the hash, and consents bound to the old text go stale.
func TextHash(text string) string {
	sum := sha256.Sum256([]byte(text))
	return hex.EncodeToString(sum[:])
}

// Unchanged is the pairs of MatchScenes whose scene text is the same in
// both drafts: an IC's review of such a scene still holds in the new draft.
func Unchanged(old, new []RevisionScene) []Pair {
	var out []Pair
	for _, p := range MatchScenes(old, new) {
		if p.Old >= 0 && p.New >= 0 && old[p.Old].Text == new[p.New].Text {
			out = append(out, p)
		}
	}
	return out
}

// Pair is one scene of the old revision matched to one of the new; Old or
// New is -1 for a scene removed or added.
type Pair struct {
	Old, New int
	// How is how the pair was found: "number", "heading" or "text".
	How string
	// Similarity of the two texts, 0 to 1 (1 for identical).
	Similarity float64
}

// minSimilarity is how alike two scenes' texts must be to be the same scene
// when neither number nor heading says so.
const minSimilarity = 0.35

// MatchScenes pairs the scenes of two revisions: first by scene number
// where both drafts number their scenes and the number is unique in each,
// then by identical heading with similar text, then by text alone. Every
// scene of each side appears in exactly one pair, in the new draft's order,
// with removed scenes after the new scene that follows them in the old.
func MatchScenes(old, new []RevisionScene) []Pair {
	oldTaken := make([]bool, len(old))
	newTaken := make([]bool, len(new))
	var pairs []Pair
	take := func(i, j int, how string, sim float64) {
		oldTaken[i], newTaken[j] = true, true
		pairs = append(pairs, Pair{Old: i, New: j, How: how, Similarity: sim})
	}
	shOld, shNew := shinglesOf(old), shinglesOf(new)

	// 1. Scene numbers, where unique on both sides.
	oldNum, newNum := uniqueNumbers(old), uniqueNumbers(new)
	for j, s := range new {
		if i, ok := oldNum[s.Number]; ok && newNum[s.Number] == j {
			take(i, j, "number", jaccard(shOld[i], shNew[j]))
		}
	}
	// 2 and 3. The remaining scenes, best candidates first: the same
	// heading counts for a lot, the text decides.
	type cand struct {
		i, j int
		sim  float64
		same bool
	}
	var cands []cand
	for i := range old {
		if oldTaken[i] {
			continue
		}
		for j := range new {
			if newTaken[j] {
				continue
			}
			sim := jaccard(shOld[i], shNew[j])
			same := normalHeading(old[i].Heading) == normalHeading(new[j].Heading)
			if sim >= minSimilarity || same && sim >= minSimilarity/2 {
				cands = append(cands, cand{i, j, sim, same})
			}
		}
	}
	slices.SortStableFunc(cands, func(a, b cand) int {
		if a.same != b.same {
			if a.same {
				return -1
			}
			return 1
		}
		if c := cmp.Compare(b.sim, a.sim); c != 0 {
			return c
		}
		// Prefer scenes that stay near their old place.
		return cmp.Compare(abs(a.i-a.j), abs(b.i-b.j))
	})
	for _, c := range cands {
		if oldTaken[c.i] || newTaken[c.j] {
			continue
		}
		how := "text"
		if c.same {
			how = "heading"
		}
		take(c.i, c.j, how, c.sim)
	}
	for j := range new {
		if !newTaken[j] {
			pairs = append(pairs, Pair{Old: -1, New: j})
		}
	}
	for i := range old {
		if !oldTaken[i] {
			pairs = append(pairs, Pair{Old: i, New: -1})
		}
	}
	sortPairs(pairs, len(old))
	return pairs
}

// sortPairs puts pairs in the new draft's order; a removed scene goes just
// before the scene that followed it in the old draft.
func sortPairs(pairs []Pair, nOld int) {
	newOf := make([]int, nOld)
	for i := range newOf {
		newOf[i] = -1
	}
	for _, p := range pairs {
		if p.Old >= 0 {
			newOf[p.Old] = p.New
		}
	}
	key := func(p Pair) float64 {
		if p.New >= 0 {
			return float64(p.New)
		}
		for i := p.Old + 1; i < nOld; i++ {
			if newOf[i] >= 0 {
				return float64(newOf[i]) - 0.5 + float64(p.Old)/float64(4*nOld+1)
			}
		}
		return float64(1<<30) + float64(p.Old)
	}
	keys := make(map[Pair]float64, len(pairs))
	for _, p := range pairs {
		keys[p] = key(p)
	}
	slices.SortStableFunc(pairs, func(a, b Pair) int { return cmp.Compare(keys[a], keys[b]) })
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

func uniqueNumbers(scenes []RevisionScene) map[string]int {
	seen := map[string]int{}
	dup := map[string]bool{}
	for i, s := range scenes {
		n := strings.ToUpper(strings.TrimSpace(s.Number))
		if n == "" {
			continue
		}
		if _, ok := seen[n]; ok {
			dup[n] = true
		}
		seen[n] = i
	}
	out := map[string]int{}
	for n, i := range seen {
		if !dup[n] {
			out[n] = i
		}
	}
	// Look-ups use the number as written in each draft.
	byWritten := map[string]int{}
	for _, s := range scenes {
		if i, ok := out[strings.ToUpper(strings.TrimSpace(s.Number))]; ok {
			byWritten[s.Number] = i
		}
	}
	return byWritten
}

func normalHeading(h string) string {
	return strings.Join(strings.Fields(strings.ToUpper(h)), " ")
}

// shingles are the hashes of a text's overlapping three-word runs, so
// moved sentences still match and a changed word changes few shingles.
type shingles map[uint64]bool

func shinglesOf(scenes []RevisionScene) []shingles {
	out := make([]shingles, len(scenes))
	for i, s := range scenes {
		out[i] = shingle(s.Text)
	}
	return out
}

func shingle(text string) shingles {
	words := strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '\''
	})
	sh := shingles{}
	if len(words) < 3 {
		if len(words) > 0 {
			sh[hashWords(words)] = true
		}
		return sh
	}
	for k := 0; k+3 <= len(words); k++ {
		sh[hashWords(words[k:k+3])] = true
	}
	return sh
}

func hashWords(ws []string) uint64 {
	h := fnv.New64a()
	for _, w := range ws {
		h.Write([]byte(w))
		h.Write([]byte{0})
	}
	return h.Sum64()
}

func jaccard(a, b shingles) float64 {
	if len(a) == 0 && len(b) == 0 {
		return 1
	}
	inter := 0
	for k := range a {
		if b[k] {
			inter++
		}
	}
	return float64(inter) / float64(len(a)+len(b)-inter)
}

// Change is how a scene with intimate content differs between two drafts.
type Change string

// The kinds of change in an intimacy diff.
const (
	Added   Change = "added"   // a flagged scene new in this draft
	Removed Change = "removed" // a flagged scene cut from this draft
	Changed Change = "changed" // a flagged scene whose text or flags changed
)

// DiffEntry is one scene in the intimacy diff.
type DiffEntry struct {
	Change Change
	Old    int // index in the old draft, -1 when added
	New    int // index in the new draft, -1 when removed
	// FlagsAdded and FlagsRemoved are the categories that appear or
	// disappear between the drafts.
	FlagsAdded   []string
	FlagsRemoved []string
	// TextChanged is set when the scene's printed text differs.
	TextChanged bool
}

// IntimacyDiff lists the scenes with intimate content that were added,
// removed or changed from one draft to the next: every pair where either
// side is flagged and something differs. Unflagged scenes are left out; a
// scene that becomes flagged is a change with flags added.
func IntimacyDiff(old, new []RevisionScene) []DiffEntry {
	var out []DiffEntry
	for _, p := range MatchScenes(old, new) {
		switch {
		case p.Old < 0:
			if len(new[p.New].Flags) > 0 {
				out = append(out, DiffEntry{Change: Added, Old: -1, New: p.New, FlagsAdded: new[p.New].Flags})
			}
		case p.New < 0:
			if len(old[p.Old].Flags) > 0 {
				out = append(out, DiffEntry{Change: Removed, Old: p.Old, New: -1, FlagsRemoved: old[p.Old].Flags})
			}
		default:
			o, n := old[p.Old], new[p.New]
			if len(o.Flags) == 0 && len(n.Flags) == 0 {
				continue
			}
			e := DiffEntry{Change: Changed, Old: p.Old, New: p.New,
				FlagsAdded: minus(n.Flags, o.Flags), FlagsRemoved: minus(o.Flags, n.Flags),
				TextChanged: o.Text != n.Text}
			if e.TextChanged || len(e.FlagsAdded) > 0 || len(e.FlagsRemoved) > 0 {
				out = append(out, e)
			}
		}
	}
	return out
}

// minus returns the items of a not in b.
func minus(a, b []string) []string {
	var out []string
	for _, x := range a {
		if !slices.Contains(b, x) {
			out = append(out, x)
		}
	}
	return out
}
