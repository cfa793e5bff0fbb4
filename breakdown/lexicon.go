package breakdown

import (
	"closedset"
	_ "embed"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
)

//go:embed lexicon.tsv
var defaultLexicon []byte

// role is what a lexicon entry does when it matches.
type role uint8

const (
	roleFlag     role = iota // evidence for a category
	roleHeading              // evidence read only in scene headings
	roleContext              // strengthens other evidence, never flags alone
	roleNot                  // a false friend: voids hits inside it
	roleNegation             // voids a hit just after it in the clause
	roleHedge                // weakens a hit just after it
	roleInstead              // a false friend that is evidence of another category
	roleCast                 // evidence read in the names of the characters on screen
)

// Entry is one line of a lexicon.
type Entry struct {
	Category Category
	// Qualifier is the nudity level; the hyper_exposed kind; "handled",
	// "family" (a parent's care or play) or "kissed" (on the forehead, a
	// cheek) for a minor; "solo" or "video" for simulated sex with no
	// partner's touch on set (self-pleasure, a film playing in the room);
	// or, for sexual violence, "touch" (a touch of the body: assault unless
	// the scene shows lovers), "force" (force on a body: sexual only where
	// the scene is, else violence) or, as context, "threat" (a weapon
	// trained, an order: undress under it is assault).
	Qualifier string
	Area      string // body area the entry shows, if any
	Phrase    string
	Weight    float64
	Notes     string
	Source    string // file:line, for review

	role   role
	tokens []token
	// anchor is the token looked up in the index: the first that is not a
	// common word, so "in the shower" is tried only where "shower" stands.
	anchor int
}

// token is one place in a phrase.
type token struct {
	alts  []string // surface forms, lower case unless exact
	exact bool     // match case exactly (=KISS)
	gap   bool     // "*": up to maxGap words of anything
	name  bool     // "@name": a character's name (NORA, Nora), or one of alts
}

const (
	maxGap          = 3
	maxLexiconBytes = 1 << 20
	maxEntries      = 20000
	maxTokens       = 12
	maxAlts         = 64
	maxWordLen      = 48
)

// Lexicon is a parsed, indexed set of entries.
type Lexicon struct {
	entries []Entry
	// anchors maps the lower-case form of an anchor token to the entries
	// anchored on it: a word is looked up once, whatever its case.
	anchors map[string]*anchored
	// bloom has a bit set for the hash of every anchor form: most words of
	// a script are none, and the bit test is cheaper than the map.
	bloom [bloomBits / 64]uint64
}

const bloomBits = 1 << 16

var defaultOnce = sync.OnceValues(func() (*Lexicon, error) {
	return ParseLexicon(defaultLexicon, "lexicon.tsv")
})

// DefaultLexicon returns the reviewed lexicon embedded in the binary.
func DefaultLexicon() *Lexicon {
	l, err := defaultOnce()
	if err != nil {
		// The embedded file is checked by tests; reaching this is a build bug.
		panic("breakdown: embedded lexicon: " + err.Error())
	}
	return l
}

// ParseLexicon reads a lexicon in the format documented at the top of
// lexicon.tsv. Errors are *closedset.Error (Invalid, or TooLarge over a
// limit) naming the file and line.
func ParseLexicon(data []byte, name string) (*Lexicon, error) {
	if len(data) > maxLexiconBytes {
		return nil, closedset.Errorf(closedset.TooLarge, "%s: lexicon is %d bytes, over the %d limit", name, len(data), maxLexiconBytes)
	}
	if !utf8.Valid(data) {
		return nil, closedset.Errorf(closedset.Invalid, "%s: lexicon is not UTF-8 text", name)
	}
	l := &Lexicon{}
	for no, line := range strings.Split(string(data), "\n") {
		line = strings.TrimRight(line, "\r")
		if strings.TrimSpace(line) == "" || strings.HasPrefix(strings.TrimSpace(line), "#") {
			continue
		}
		es, err := parseEntries(line)
		if err != nil {
			return nil, closedset.Errorf(closedset.Invalid, "%s: line %d: %v", name, no+1, err)
		}
		if len(l.entries)+len(es) > maxEntries {
			return nil, closedset.Errorf(closedset.TooLarge, "%s: line %d: more than %d entries", name, no+1, maxEntries)
		}
		for _, e := range es {
			e.Source = fmt.Sprintf("%s:%d", name, no+1)
			l.entries = append(l.entries, e)
		}
	}
	l.index()
	return l, nil
}

// Extend returns a lexicon with the entries of l followed by those of more.
func (l *Lexicon) Extend(more *Lexicon) *Lexicon {
	out := &Lexicon{entries: append(append([]Entry(nil), l.entries...), more.entries...)}
	out.index()
	return out
}

// anchored are the entries anchored on one lower-case word: those that
// match it in any case, and those that match it only as written (=KISS).
type anchored struct {
	fold  []int32
	exact []exactForm
}

type exactForm struct {
	form string
	ids  []int32
}

func (l *Lexicon) index() {
	l.anchors = make(map[string]*anchored)
	l.bloom = [bloomBits / 64]uint64{}
	for i := range l.entries {
		e := &l.entries[i]
		e.anchor = anchorOf(e.tokens)
		t := e.tokens[e.anchor]
		for _, a := range t.alts {
			key := strings.ToLower(a)
			an := l.anchors[key]
			if an == nil {
				an = &anchored{}
				l.anchors[key] = an
			}
			if !t.exact {
				an.fold = append(an.fold, int32(i))
			} else if k := slices.IndexFunc(an.exact, func(x exactForm) bool { return x.form == a }); k >= 0 {
				an.exact[k].ids = append(an.exact[k].ids, int32(i))
			} else {
				an.exact = append(an.exact, exactForm{form: a, ids: []int32{int32(i)}})
			}
			h := wordHash(key)
			l.bloom[h/64] |= 1 << (h % 64)
		}
	}
}

// mayAnchor reports whether a word with this hash may be an anchor.
func (l *Lexicon) mayAnchor(h uint32) bool { return l.bloom[h/64]&(1<<(h%64)) != 0 }

// wordHash is FNV-1a of the ASCII-lower-cased word, folded to bloomBits,
// as tokenize computes it while it reads the word.
func wordHash(w string) uint32 {
	h := hashInit
	for i := 0; i < len(w); i++ {
		h = hashByte(h, w[i])
	}
	return foldHash(h)
}

const hashInit = uint32(2166136261)

func hashByte(h uint32, c byte) uint32 {
	return (h ^ uint32(lowerASCII[c])) * 16777619
}

func foldHash(h uint32) uint32 { return (h ^ h>>16) % bloomBits }

// lowerASCII maps A-Z to a-z and every other byte to itself.
var lowerASCII = func() (t [256]byte) {
	for c := range t {
		t[c] = byte(c)
		if 'A' <= c && c <= 'Z' {
			t[c] = byte(c) + 'a' - 'A'
		}
	}
	return t
}()

// commonWords are too frequent to anchor a phrase on.
var commonWords = map[string]bool{
	"a": true, "an": true, "the": true, "her": true, "his": true, "him": true, "them": true,
	"their": true, "on": true, "in": true, "of": true, "to": true, "at": true, "with": true,
	"up": true, "down": true, "out": true, "off": true, "into": true, "onto": true, "over": true,
	"under": true, "and": true, "by": true, "for": true, "from": true, "is": true, "it": true,
	"she": true, "he": true, "they": true, "back": true, "no": true, "not": true, "each": true,
	"other": true, "other's": true, "between": true, "against": true, "beneath": true,
}

// anchorOf picks the token to index an entry by: the first that is not a
// common word, with only plain words before it so the words before the
// anchor can be checked in place.
func anchorOf(toks []token) int {
	for k, t := range toks {
		if t.gap {
			break
		}
		if t.name {
			// A name is one word wide but no anchor: look past it.
			continue
		}
		common := false
		for _, a := range t.alts {
			if commonWords[strings.ToLower(a)] {
				common = true
				break
			}
		}
		if !common {
			return k
		}
	}
	return 0
}

// parseEntries reads one line: an entry for each of its phrases (several
// phrases share a line when separated by ";").
func parseEntries(line string) ([]Entry, error) {
	f := strings.Split(line, "\t")
	if len(f) < 3 {
		return nil, fmt.Errorf("want category, phrase and weight separated by tabs, got %q", line)
	}
	var e Entry
	if err := e.setCategory(strings.TrimSpace(f[0])); err != nil {
		return nil, err
	}
	w, err := strconv.ParseFloat(strings.TrimSpace(f[2]), 64)
	if err != nil || w < 0 || w > 1 {
		return nil, fmt.Errorf("weight %q is not a number from 0 to 1", f[2])
	}
	e.Weight = w
	if len(f) > 3 {
		e.Notes = strings.TrimSpace(strings.Join(f[3:], " "))
	}
	var out []Entry
	for _, phrase := range strings.Split(f[1], ";") {
		pe := e
		pe.Phrase = strings.TrimSpace(phrase)
		if pe.tokens, err = parsePhrase(pe.Phrase); err != nil {
			return nil, err
		}
		out = append(out, pe)
	}
	return out, nil
}

var qualifiers = map[Category]map[string]bool{
	Nudity:         {"implied": true, "partial": true, "full": true},
	HyperExposed:   {"medical": true, "death": true, "birth": true, "bathing": true, "bodily": true, "violence": true},
	Minor:          {"handled": true, "family": true, "kissed": true},
	SimulatedSex:   {"solo": true, "video": true},
	SexualViolence: {"touch": true, "force": true, "threat": true},
}

func (e *Entry) setCategory(s string) error {
	parts := strings.Split(s, "/")
	switch parts[0] {
	case "not", "negation", "hedge":
		if len(parts) > 1 {
			return fmt.Errorf("%q takes no qualifier", parts[0])
		}
		e.role = map[string]role{"not": roleNot, "negation": roleNegation, "hedge": roleHedge}[parts[0]]
		return nil
	case "heading", "context", "instead", "cast":
		e.role = map[string]role{"heading": roleHeading, "context": roleContext, "instead": roleInstead, "cast": roleCast}[parts[0]]
		parts = parts[1:]
		if len(parts) == 0 {
			return fmt.Errorf("%q needs a category after it, e.g. %s/nudity", s, s)
		}
	}
	c := Category(parts[0])
	if !c.valid() {
		return fmt.Errorf("unknown category %q (want one of %s)", parts[0], strings.Join(categoryNames(), ", "))
	}
	e.Category = c
	if len(parts) > 1 {
		if !qualifiers[c][parts[1]] {
			return fmt.Errorf("category %s has no qualifier %q", c, parts[1])
		}
		e.Qualifier = parts[1]
	}
	if len(parts) > 2 {
		e.Area = parts[2]
	}
	if len(parts) > 3 {
		return fmt.Errorf("too many parts in %q (category/qualifier/area)", s)
	}
	return nil
}

func parsePhrase(p string) ([]token, error) {
	words := strings.Fields(p)
	if len(words) == 0 {
		return nil, fmt.Errorf("empty phrase")
	}
	if len(words) > maxTokens {
		return nil, fmt.Errorf("phrase %q has more than %d words", p, maxTokens)
	}
	toks := make([]token, 0, len(words))
	for i, w := range words {
		if w == "*" {
			if i == 0 || i == len(words)-1 {
				return nil, fmt.Errorf("phrase %q: * must stand between words", p)
			}
			toks = append(toks, token{gap: true})
			continue
		}
		if w == "@name" {
			toks = append(toks, token{name: true})
			continue
		}
		var t token
		if strings.HasPrefix(w, "=") {
			t.exact = true
			w = w[1:]
		}
		for _, alt := range strings.Split(w, "|") {
			if alt == "" {
				return nil, fmt.Errorf("phrase %q: empty alternative", p)
			}
			if alt == "@name" {
				// her|his|@name: a name is one of the words at this place.
				t.name = true
				continue
			}
			if !t.exact {
				alt = strings.ToLower(alt)
			}
			if strings.HasSuffix(alt, "~") {
				t.alts = append(t.alts, inflect(strings.TrimSuffix(alt, "~"))...)
			} else {
				t.alts = append(t.alts, alt)
			}
		}
		if len(t.alts) > maxAlts {
			return nil, fmt.Errorf("phrase %q: more than %d forms at one place", p, maxAlts)
		}
		toks = append(toks, t)
	}
	// A phrase is found by a plain word before any gap: a name may stand
	// before it ("@name body"), one word wide, but cannot be looked up.
	if a := toks[anchorOf(toks)]; a.gap || a.name {
		return nil, fmt.Errorf("phrase %q: needs a word before any * to be found by (@name and * cannot be looked up)", p)
	}
	return toks, nil
}

// inflect returns a word with its regular English inflections: kiss →
// kisses, kissed, kissing; strip → strips, stripped, stripping; caress →
// caresses; undress → undressed; carry → carries, carried. A stemmer would
// do this on every word of a script at about 5 µs a word; expanding the
// lexicon once instead keeps the breakdown as fast as parsing.
func inflect(w string) []string {
	forms := []string{w, w + "s", w + "es", w + "ed", w + "ing"}
	n := len(w)
	if n == 0 {
		return forms
	}
	last := w[n-1]
	switch {
	case last == 'e':
		stem := w[:n-1]
		forms = append(forms, w+"d", stem+"ing")
	case last == 'y' && n > 1 && !isVowel(w[n-2]):
		stem := w[:n-1]
		forms = append(forms, stem+"ies", stem+"ied")
	case n >= 3 && !isVowel(last) && isVowel(w[n-2]) && !isVowel(w[n-3]) && last != 'w' && last != 'x' && last != 'y':
		// Short consonant-vowel-consonant words double the last letter.
		forms = append(forms, w+string(last)+"ed", w+string(last)+"ing")
	}
	return forms
}

func isVowel(c byte) bool {
	switch c {
	case 'a', 'e', 'i', 'o', 'u':
		return true
	}
	return false
}
