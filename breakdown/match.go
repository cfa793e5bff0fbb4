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
	// hash is wordHash of the word, taken while tokenize reads it, when
	// ascii; a word with other letters is always looked up.
	hash  uint32
	ascii bool
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
				// One pass: find the word's end and hash its folded bytes.
				h, ascii := hashByte(hashInit, c), true
				j := i + 1
				for j < len(text) {
					d := text[j]
					if isWordByte(d) {
						h = hashByte(h, d)
						j++
						continue
					}
					// Inner apostrophes and hyphens join word parts.
					if (d == '\'' || d == '-') && j+1 < len(text) && isWordByte(text[j+1]) {
						h = hashByte(hashByte(h, d), text[j+1])
						j += 2
						continue
					}
					if d >= utf8.RuneSelf {
						r, size := utf8.DecodeRuneInString(text[j:])
						if unicode.IsLetter(r) {
							ascii = false
							j += size
							continue
						}
						if r == '’' && j+size < len(text) && isWordByte(text[j+size]) {
							ascii = false
							j += size + 1
							continue
						}
					}
					break
				}
				words = append(words, word{start: i, end: j, sentence: sentence, clause: clause, hash: foldHash(h), ascii: ascii})
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

// findMatches appends every lexicon entry found in text to ms. An ASCII
// word is tested against a bloom filter of anchor words by the hash
// tokenize took; a word that passes is folded to lower case once and
// looked up once, and the rest of a phrase is only checked where its
// anchor stands.
func (l *Lexicon) findMatches(text string, words []word, names map[string]bool, ms []match) []match {
	var buf [maxWordLen]byte
	for i, w := range words {
		if w.ascii && !l.mayAnchor(w.hash) {
			continue
		}
		surface := text[w.start:w.end]
		var an *anchored
		switch {
		case len(surface) > maxWordLen:
			// Too long for any folded entry; an exact one may still be.
			an = l.anchors[strings.ToLower(surface)]
		case w.ascii:
			for k := 0; k < len(surface); k++ {
				buf[k] = lowerASCII[surface[k]]
			}
			an = l.anchors[string(buf[:len(surface)])]
		default:
			an = l.anchors[strings.ToLower(surface)]
		}
		if an == nil {
			continue
		}
		for _, x := range an.exact {
			if x.form == surface {
				ms = l.tryEntries(text, words, names, i, x.ids, ms)
			}
		}
		if len(surface) <= maxWordLen {
			ms = l.tryEntries(text, words, names, i, an.fold, ms)
		}
	}
	return ms
}

func (l *Lexicon) tryEntries(text string, words []word, names map[string]bool, i int, ids []int32, ms []match) []match {
	for _, id := range ids {
		e := &l.entries[id]
		from := i - e.anchor
		if from < 0 || words[from].sentence != words[i].sentence {
			continue
		}
		// The plain words before the anchor, in place.
		if _, ok := matchTokens(text, words, names, e.tokens[:e.anchor], from, words[i].sentence, false); !ok {
			continue
		}
		if end, ok := matchTokens(text, words, names, e.tokens[e.anchor+1:], i+1, words[i].sentence, true); ok {
			ms = append(ms, match{entry: id, from: from, to: end})
		}
	}
	return ms
}

// matchTokens matches toks against words from index i, within one
// sentence, returning the index after the match. ends says that toks end
// the phrase.
func matchTokens(text string, words []word, names map[string]bool, toks []token, i, sentence int, ends bool) (int, bool) {
	if len(toks) == 0 {
		return i, true
	}
	t := toks[0]
	if t.gap {
		for skip := 0; skip <= maxGap; skip++ {
			if i+skip > len(words) || (i+skip < len(words) && words[i+skip].sentence != sentence) {
				break
			}
			if end, ok := matchTokens(text, words, names, toks[1:], i+skip, sentence, ends); ok {
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
		// "Nora's" is Nora too, but not as the last word of a phrase:
		// "holds Paul's" holds his hand or his coat, not Paul.
		base := strings.TrimSuffix(strings.TrimSuffix(surface, "'s"), "’s")
		if names[base] && !commonWords[strings.ToLower(base)] && len(base) > 1 && (!ends || len(toks) > 1 || base == surface) {
			return matchTokens(text, words, names, toks[1:], i+1, sentence, ends)
		}
		if len(t.alts) == 0 {
			return 0, false
		}
	}
	for _, alt := range t.alts {
		if t.exact && surface == alt || !t.exact && strings.EqualFold(surface, alt) {
			return matchTokens(text, words, names, toks[1:], i+1, sentence, ends)
		}
	}
	return 0, false
}
