package breakdown

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// word is one word of a text being read: its bytes and the sentence and
// clause it stands in (negation never reaches across a clause).
type word struct {
	start, end int
	sentence   int
	clause     int
}

// match is a lexicon entry found in a text, over words [from, to).
type match struct {
	entry    int32
	from, to int
}

// tokenize splits text into words. A word is a run of letters, digits and
// inner apostrophes or hyphens ("doesn't", "seven-year-old"). Sentences end
// at . ! ?; clauses also at , ; : — ( ) and "--".
func tokenize(text string, words []word) []word {
	words = words[:0]
	sentence, clause := 0, 0
	for i := 0; i < len(text); {
		c := text[i]
		if c < utf8.RuneSelf {
			if isWordByte(c) {
				j := i + 1
				for j < len(text) {
					d := text[j]
					if isWordByte(d) {
						j++
						continue
					}
					// Inner apostrophes and hyphens join word parts.
					if (d == '\'' || d == '-') && j+1 < len(text) && isWordByte(text[j+1]) {
						j += 2
						continue
					}
					if d >= utf8.RuneSelf {
						r, size := utf8.DecodeRuneInString(text[j:])
						if unicode.IsLetter(r) {
							j += size
							continue
						}
						if r == '’' && j+size < len(text) && isWordByte(text[j+size]) {
							j += size + 1
							continue
						}
					}
					break
				}
				words = append(words, word{start: i, end: j, sentence: sentence, clause: clause})
				i = j
				continue
			}
			switch c {
			case '.', '!', '?':
				// "Dr." and "..." mid-sentence are rare enough in action to
				// accept a split there.
				sentence++
				clause++
			case ',', ';', ':', '(', ')', '[', ']':
				clause++
			case '-':
				if i+1 < len(text) && text[i+1] == '-' {
					clause++
				}
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			// A word in another script: take the run of letters.
			j := i + size
			for j < len(text) {
				r2, s2 := utf8.DecodeRuneInString(text[j:])
				if !(unicode.IsLetter(r2) || unicode.IsDigit(r2) || unicode.Is(unicode.Mn, r2)) {
					break
				}
				j += s2
			}
			words = append(words, word{start: i, end: j, sentence: sentence, clause: clause})
			i = j
			continue
		}
		if r == '—' || r == '–' || r == '…' {
			clause++
		}
		i += size
	}
	return words
}

func isWordByte(c byte) bool { return wordBytes[c] }

// wordBytes marks the ASCII letters and digits.
var wordBytes = func() (t [256]bool) {
	for c := 0; c < 256; c++ {
		t[c] = 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
	}
	return t
}()

// lowerWord returns w in lower case, using buf to avoid allocating; ok is
// false for words too long for any lexicon entry.
func lowerWord(w string, buf *[maxWordLen]byte) (string, bool) {
	if len(w) > maxWordLen {
		return "", false
	}
	lower := true
	for i := 0; i < len(w); i++ {
		c := w[i]
		if 'A' <= c && c <= 'Z' {
			lower = false
		} else if c >= utf8.RuneSelf {
			// Non-ASCII: let the standard library fold it.
			return strings.ToLower(w), true
		}
	}
	if lower {
		return w, true
	}
	for i := 0; i < len(w); i++ {
		c := w[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf[i] = c
	}
	return string(buf[:len(w)]), true
}

// findMatches appends every lexicon entry found in text to ms. Each word
// is tested against a bloom filter of anchor words, then looked up in the
// index; the rest of a phrase is only checked where its anchor stands.
func (l *Lexicon) findMatches(text string, words []word, names map[string]bool, ms []match) []match {
	var buf [maxWordLen]byte
	for i, w := range words {
		surface := text[w.start:w.end]
		if isASCII(surface) && !l.mayAnchor(wordHash(surface)) {
			continue
		}
		if ids := l.exact[surface]; ids != nil {
			ms = l.tryEntries(text, words, names, i, ids, ms)
		}
		lw, ok := lowerWord(surface, &buf)
		if !ok {
			continue
		}
		if ids := l.anchors[lw]; ids != nil {
			ms = l.tryEntries(text, words, names, i, ids, ms)
		}
	}
	return ms
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

func (l *Lexicon) tryEntries(text string, words []word, names map[string]bool, i int, ids []int32, ms []match) []match {
	for _, id := range ids {
		e := &l.entries[id]
		from := i - e.anchor
		if from < 0 || words[from].sentence != words[i].sentence {
			continue
		}
		// The plain words before the anchor, in place.
		if _, ok := matchTokens(text, words, names, e.tokens[:e.anchor], from, words[i].sentence); !ok {
			continue
		}
		if end, ok := matchTokens(text, words, names, e.tokens[e.anchor+1:], i+1, words[i].sentence); ok {
			ms = append(ms, match{entry: id, from: from, to: end})
		}
	}
	return ms
}

// matchTokens matches toks against words from index i, within one
// sentence, returning the index after the match.
func matchTokens(text string, words []word, names map[string]bool, toks []token, i, sentence int) (int, bool) {
	if len(toks) == 0 {
		return i, true
	}
	t := toks[0]
	if t.gap {
		for skip := 0; skip <= maxGap; skip++ {
			if i+skip > len(words) || (i+skip < len(words) && words[i+skip].sentence != sentence) {
				break
			}
			if end, ok := matchTokens(text, words, names, toks[1:], i+skip, sentence); ok {
				return end, true
			}
		}
		return 0, false
	}
	if i >= len(words) || words[i].sentence != sentence {
		return 0, false
	}
	surface := text[words[i].start:words[i].end]
	if t.name {
		// "Nora's" is Nora too.
		base := strings.TrimSuffix(strings.TrimSuffix(surface, "'s"), "’s")
		if names[base] {
			return matchTokens(text, words, names, toks[1:], i+1, sentence)
		}
		return 0, false
	}
	for _, alt := range t.alts {
		if t.exact && surface == alt || !t.exact && strings.EqualFold(surface, alt) {
			return matchTokens(text, words, names, toks[1:], i+1, sentence)
		}
	}
	return 0, false
}
