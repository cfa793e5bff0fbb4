package screenplay

import (
	"maps"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Who is in a scene: its speakers (the cues), and everyone the writer puts
// there without a line. Love scenes are mostly silent ("Mara and Tomas
// kiss"), so the cues alone miss the people an IC must plan for.
//
// The cast is every name a cue gives anywhere in the script, plus the names
// introduced in capitals with an age in action ("MARA (30s)"). A scene's
// action, shots and parentheticals are read for those names, never its
// dialogue: a name spoken is not a person present. A name counts when it
// stands in capitals or capitalised; a name that is also an ordinary word
// of the script ("will", "grace", "nurse") must stand in capitals, or
// capitalised in mid-sentence, or at a sentence's start as the subject of a
// verb ("Will walks in") or a possessive ("Grace's hand").

// maxNameWords bounds the words of a name looked up in action: the lookup
// tries every span of up to this many words at each word of the text, so
// its cost is linear in the text whatever the cast.
const maxNameWords = 4

// cast is a script's characters as their names may stand in action.
type cast struct {
	// forms maps a name's words, lower-cased and joined by one space
	// ("dr ellis"), to the character it names.
	forms map[string]castForm
	words []token // scratch, reused across elements
	key   []byte  // scratch: a key being built, looked up without a copy
}

type castForm struct {
	name string // the canonical name, as its cue gives it
	// common marks a name whose every word is also an ordinary word of the
	// script (written in lower case somewhere), or a word of commonNames.
	common bool
}

// token is a word of a text, as byte offsets: its key (appendKey) is
// built only where a name may stand, into a reused buffer.
type token struct {
	start, end int
}

// notPeople are cue names that are voices, devices or groups, never one
// person to find in action.
var notPeople = map[string]bool{
	"ALL": true, "BOTH": true, "EVERYONE": true, "EVERYBODY": true, "TOGETHER": true, "OTHERS": true,
	"VOICE": true, "VOICES": true, "TV": true, "RADIO": true, "PHONE": true, "INTERCOM": true, "SPEAKER": true,
	"PA": true, "COMPUTER": true, "SUPER": true, "TITLE": true, "CARD": true, "INSERT": true, "SIGN": true,
	"TEXT": true, "SCREEN": true, "NARRATOR": true, "CHORUS": true, "CROWD": true, "GROUP": true,
	"HE": true, "SHE": true, "HIM": true, "HER": true, "THEY": true, "WE": true, "YOU": true, "IT": true, "I": true,
	"BACK": true, "CUT": true, "LATER": true, "CONTINUED": true, "MORE": true, "THE END": true,
}

// commonNames are names that are ordinary English words, common when the
// script itself happens not to use them in lower case.
var commonNames = map[string]bool{
	"will": true, "may": true, "hope": true, "grace": true, "bill": true, "mark": true, "rose": true,
	"faith": true, "joy": true, "april": true, "june": true, "august": true, "art": true, "pat": true,
	"sue": true, "ray": true, "jack": true, "frank": true, "guy": true, "rich": true, "sky": true,
	"dawn": true, "summer": true, "amber": true, "holly": true, "ivy": true, "iris": true, "daisy": true,
	"pearl": true, "ruby": true, "rusty": true, "chuck": true, "buck": true, "bob": true, "gene": true,
	"drew": true, "chase": true, "hunter": true, "angel": true, "page": true, "piper": true, "star": true,
	"mom": true, "dad": true, "man": true, "woman": true, "boy": true, "girl": true, "doctor": true,
	"nurse": true, "cop": true, "guard": true, "officer": true, "driver": true, "waiter": true, "waitress": true,
	"bartender": true, "priest": true, "baby": true, "kid": true, "mother": true, "father": true,
}

// present fills each scene's Present: its speakers and the characters its
// action names, in order of first appearance. A speaker heard only in
// voice-over (V.O.), or a cue that is no one (ALL, NARRATOR), is not
// present unless the action names them.
func present(scenes []Scene) {
	var b castBuilder
	for i := range scenes {
		b.scene(&scenes[i])
	}
	c := b.cast()
	for i := range scenes {
		scenes[i].Present = c.presentIn(&scenes[i])
	}
}

// castBuilder gathers what the cast is made of, a scene at a time, so a
// stream can learn it in a first pass without keeping the scenes.
type castBuilder struct {
	cues      map[string]bool
	speaking  []string // every cue's name, in order of first line
	intros    []string // every introduced name, in order of first introduction
	seenIntro map[string]bool
	// lower holds the key of every word the script writes in lower case
	// outside headings and cues (markCommon), each to its own copy.
	lower map[string]string
	words []token
	key   []byte
	// recent are lower-case words lately added to lower (lowerASCII).
	recent [4096]string
}

// scene adds what sc says of the cast.
func (b *castBuilder) scene(sc *Scene) {
	if b.cues == nil {
		b.cues, b.seenIntro, b.lower = map[string]bool{}, map[string]bool{}, map[string]string{}
	}
	// What is kept is copied: a stream's scenes point into a window of
	// the file that must be let go with them.
	for _, name := range sc.Speaking {
		if !b.cues[name] {
			name = strings.Clone(name)
			b.cues[name] = true
			b.speaking = append(b.speaking, name)
		}
	}
	for _, in := range sc.Introduced {
		if !b.seenIntro[in.Name] {
			name := strings.Clone(in.Name)
			b.seenIntro[name] = true
			b.intros = append(b.intros, name)
		}
	}
	for _, e := range sc.Elements {
		if e.Type == SceneHeading || e.Type == Character {
			continue
		}
		if b.lowerASCII(e.Text) {
			continue
		}
		b.words = tokenize(e.Text, b.words[:0])
		for _, t := range b.words {
			w := e.Text[t.start:t.end]
			if !isLowerWord(w) {
				continue
			}
			var keyEnd int
			b.key, keyEnd, _ = appendKey(b.key[:0], w)
			if _, ok := b.lower[string(b.key[:keyEnd])]; !ok {
				k := string(b.key[:keyEnd])
				b.lower[k] = k
			}
		}
	}
}

// lowerASCII adds the lower-case words of text as the loop over tokenize
// in scene does, in one pass and without a copy, and reports whether it
// could: it gives up (false) at the first byte that is not ASCII, and the
// caller reads the text the general way (adding a word twice is no harm).
func (b *castBuilder) lowerASCII(text string) bool {
	for i := 0; i < len(text); {
		c := text[i]
		if c >= utf8.RuneSelf {
			return false
		}
		if !asciiWord[c] {
			i++
			continue
		}
		start, upper, h := i, false, uint(0)
		for ; i < len(text); i++ {
			c := text[i]
			if c >= utf8.RuneSelf {
				return false
			}
			if !asciiWord[c] && c != '\'' {
				break
			}
			upper = upper || 'A' <= c && c <= 'Z'
			if c != '\'' {
				h = h*31 + uint(c)
			}
		}
		if upper {
			continue
		}
		// The word is its own key (appendKey): lower case already, less
		// any apostrophes it ends with. Most words were just seen: a
		// small table of recent ones spares the map.
		k := strings.TrimRight(text[start:i], "'")
		if k == "" {
			continue
		}
		slot := &b.recent[h%uint(len(b.recent))]
		if *slot == k {
			continue
		}
		// The table and the map keep their own copy of the word.
		kept, ok := b.lower[k]
		if !ok {
			kept = strings.Clone(k)
			b.lower[kept] = kept
		}
		*slot = kept
	}
	return true
}

// cast collects the script's characters: every cue, then every name
// introduced with an age ("NORA VANCE (34)" is NORA when NORA speaks).
func (b *castBuilder) cast() *cast {
	c := &cast{forms: map[string]castForm{}}
	cues := b.cues
	add := func(form, name string) {
		if notPeople[name] || notPeople[form] {
			return
		}
		key := nameKey(form)
		if key == "" || strings.Count(key, " ") >= maxNameWords || utf8.RuneCountInString(key) < 2 {
			return
		}
		if old, ok := c.forms[key]; ok {
			// Two characters share this form ("Sutter" for MR. and MRS.
			// SUTTER): the form names neither. Two cues that differ only
			// in punctuation ("MAN." and "MAN") are one character, the
			// first.
			if old.name != name && nameKey(old.name) != nameKey(name) {
				c.forms[key] = castForm{}
			}
			return
		}
		c.forms[key] = castForm{name: name}
	}
	for _, name := range b.speaking {
		add(name, name)
	}
	for _, name := range b.intros {
		add(name, introducedAs(name, cues))
	}
	// "DR. ELLIS" is "Ellis" in action too, when no one else is. Keys are
	// taken in sorted order: when MR. and MRS. MONROE both could claim
	// "Monroe", the first claims it on every run (map order once decided).
	for _, key := range slices.Sorted(maps.Keys(c.forms)) {
		f := c.forms[key]
		first, rest, ok := strings.Cut(key, " ")
		if ok && f.name != "" && nameTitleWords[first] {
			if _, taken := c.forms[rest]; !taken && !cues[strings.ToUpper(rest)] {
				c.forms[rest] = f
			}
		}
	}
	c.markCommon(b.lower)
	return c
}

// introducedAs is the cue an introduced name speaks as: NORA VANCE speaks
// as NORA, DR. ELLIS NORTH as ELLIS or NORTH; else the name itself.
func introducedAs(name string, cues map[string]bool) string {
	if cues[name] {
		return name
	}
	words := strings.Fields(name)
	for len(words) > 1 && nameTitleWords[strings.ToLower(strings.TrimRight(words[0], "."))] {
		words = words[1:]
	}
	if len(words) > 1 {
		if cues[words[0]] {
			return words[0]
		}
		if last := words[len(words)-1]; cues[last] {
			return last
		}
	}
	return name
}

var nameTitleWords = map[string]bool{
	"dr": true, "mr": true, "mrs": true, "ms": true, "miss": true, "st": true, "lt": true, "sgt": true,
	"capt": true, "cpt": true, "prof": true, "det": true, "officer": true, "detective": true, "agent": true,
	"father": true, "sister": true, "aunt": true, "uncle": true, "judge": true, "nurse": true, "doctor": true,
	"coach": true, "mister": true, "madame": true, "lady": true, "lord": true, "sir": true,
}

// markCommon marks the names that are also ordinary words: those whose
// every word the script writes in lower case somewhere (lower).
func (c *cast) markCommon(lower map[string]string) {
	for key, f := range c.forms {
		common := true
		for _, w := range strings.Fields(key) {
			if _, ok := lower[w]; !ok && !commonNames[w] && !nameTitleWords[w] {
				common = false
				break
			}
		}
		f.common = common
		c.forms[key] = f
	}
}

// nameKey is a name's words lower-cased and joined by one space, with
// full stops and '#' dropped and apostrophes made plain: "DR. O’NEIL" is
// "dr o'neil".
func nameKey(name string) string {
	var b []byte
	for _, t := range tokenize(name, nil) {
		if len(b) > 0 {
			b = append(b, ' ')
		}
		var keyEnd int
		b, keyEnd, _ = appendKey(b, name[t.start:t.end])
		b = b[:keyEnd]
	}
	return string(b)
}

// tokenize splits text into words: letters and digits, with apostrophes
// inside or ending a word ("Mara's", "Tomas'"). ASCII is classified by a
// table, so plain English action never decodes a rune.
func tokenize(text string, out []token) []token {
	for i := 0; i < len(text); {
		c := text[i]
		if c < utf8.RuneSelf && !asciiWord[c] {
			i++
			continue
		}
		if c >= utf8.RuneSelf {
			if r, n := utf8.DecodeRuneInString(text[i:]); !unicode.IsLetter(r) && !unicode.IsDigit(r) {
				i += n
				continue
			}
		}
		start := i
		for i < len(text) {
			if c := text[i]; c < utf8.RuneSelf {
				if asciiWord[c] || c == '\'' {
					i++
					continue
				}
				break
			}
			r, n := utf8.DecodeRuneInString(text[i:])
			if unicode.IsLetter(r) || unicode.IsDigit(r) || isApostrophe(r) {
				i += n
				continue
			}
			break
		}
		out = append(out, token{start: start, end: i})
	}
	return out
}

// asciiWord marks the ASCII letters and digits.
var asciiWord = func() (t [utf8.RuneSelf]bool) {
	for c := range t {
		t[c] = 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
	}
	return t
}()

func isApostrophe(r rune) bool { return r == '\'' || r == '’' }

// appendKey appends word w lower-cased with apostrophes made plain (’ as
// ') to b. The word's key is b[:keyEnd] (trailing apostrophes dropped);
// baseEnd > 0 ends the key of its base, without a possessive ending
// ("mara's", "tomas'"), when it has one.
func appendKey(b []byte, w string) (_ []byte, keyEnd, baseEnd int) {
	from := len(b)
	ascii := true
	for i := 0; i < len(w); i++ {
		if w[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		for i := 0; i < len(w); i++ {
			c := w[i]
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			b = append(b, c)
		}
	} else {
		b = append(b, strings.ReplaceAll(strings.ToLower(w), "’", "'")...)
	}
	keyEnd = len(b)
	for keyEnd > from && b[keyEnd-1] == '\'' {
		keyEnd--
	}
	switch n := len(b) - from; {
	case n >= 2 && b[len(b)-2] == '\'' && b[len(b)-1] == 's':
		baseEnd = len(b) - 2
	case n >= 1 && b[len(b)-1] == '\'':
		baseEnd = len(b) - 1
	}
	return b, keyEnd, baseEnd
}

// presentIn lists a scene's speakers (but voice-overs and groups) and the
// characters its action names, in order of first appearance.
func (c *cast) presentIn(sc *Scene) []string {
	out := []string{}
	add := func(name string) {
		if name != "" && !contains(out, name) {
			out = append(out, name)
		}
	}
	for _, e := range sc.Elements {
		switch e.Type {
		case Character:
			if name := CharacterName(e.Text); !notPeople[name] && !voiceOver(e.Text) {
				add(name)
			}
		case Action, Parenthetical, Shot, General:
			c.namesIn(e.Text, add)
		}
	}
	return out
}

// voiceOver reports a cue spoken over the picture ("ANNA (V.O.)"): the
// narrator is heard, not in the scene. Off-screen (O.S.) is in the scene.
func voiceOver(cue string) bool {
	k := strings.IndexAny(cue, "(（[")
	if k < 0 {
		return false
	}
	ext := strings.ToUpper(dropDotsAndSpaces.Replace(cue[k:]))
	return strings.Contains(ext, "VO") && !strings.Contains(ext, "VOICE") || strings.Contains(ext, "NARRAT")
}

var dropDotsAndSpaces = strings.NewReplacer(".", "", " ", "")

// namesIn calls add for each character named in text, by the case rules
// at the top of this file.
func (c *cast) namesIn(text string, add func(string)) {
	if len(c.forms) == 0 {
		return
	}
	c.words = tokenize(text, c.words[:0])
	words := c.words
	shouting, read := false, false // whether the text is mostly capitals, read once a name is found
	for i := 0; i < len(words); i++ {
		if c := text[words[i].start]; c < utf8.RuneSelf {
			if c < 'A' || c > 'Z' {
				continue
			}
		} else if r, _ := utf8.DecodeRuneInString(text[words[i].start:]); !unicode.IsUpper(r) {
			continue
		}
		n, f, possessive, ok := c.longestAt(text, words, i)
		if !ok {
			continue
		}
		if !read {
			shouting, read = mostlyUpper(text), true
		}
		if c.counts(text, words, i, n, f, possessive, shouting) {
			add(f.name)
		}
		i += n - 1
	}
}

// longestAt finds the longest name starting at word i: its length in
// words, whether its last word is possessive.
func (c *cast) longestAt(text string, words []token, i int) (n int, f castForm, possessive, ok bool) {
	key := c.key[:0]
	for k := i; k < len(words) && k-i < maxNameWords; k++ {
		if k > i {
			if !nameGap(text[words[k-1].end:words[k].start]) {
				break
			}
			key = append(key, ' ')
		}
		var keyEnd, baseEnd int
		key, keyEnd, baseEnd = appendKey(key, text[words[k].start:words[k].end])
		if g, found := c.forms[string(key[:keyEnd])]; found && g.name != "" {
			n, f, possessive, ok = k-i+1, g, false, true
		} else if baseEnd > 0 {
			if g, found := c.forms[string(key[:baseEnd])]; found && g.name != "" {
				n, f, possessive, ok = k-i+1, g, true, true
			}
		}
		key = key[:keyEnd]
	}
	c.key = key
	return n, f, possessive, ok
}

// nameGap reports whether the text between two words may lie inside a
// name: spaces, a full stop after a title ("Dr. Ellis"), a '#'.
func nameGap(s string) bool {
	if len(s) == 0 || len(s) > 3 {
		return false
	}
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case ' ', '.', '#', '\n':
		default:
			return false
		}
	}
	return true
}

// counts applies the case rules to the name found at words[i:i+n].
func (c *cast) counts(text string, words []token, i, n int, f castForm, possessive, shouting bool) bool {
	span := text[words[i].start:words[i+n-1].end]
	caps := !hasLower(span)
	if !f.common {
		return true
	}
	if caps {
		// A line in capitals ("WILL SHE MAKE IT?") is no introduction.
		return !shouting
	}
	if !sentenceStartAt(text, words[i].start) || possessive {
		return true
	}
	// At a sentence's start: the subject of a verb in the present
	// ("Grace smiles."), the way action is written.
	if k := i + n; k < len(words) && strings.TrimLeft(text[words[k-1].end:words[k].start], " ") == "" {
		next := text[words[k].start:words[k].end]
		if isLowerWord(next) && strings.HasSuffix(next, "s") && !strings.HasSuffix(next, "ss") && !strings.HasSuffix(next, "us") && len(next) > 2 {
			return true
		}
	}
	return false
}

// sentenceStartAt reports whether the word at text[at] opens a sentence:
// nothing but quotes, brackets and dashes between it and the element's
// start or the end of the last sentence.
func sentenceStartAt(text string, at int) bool {
	for at > 0 {
		r, n := utf8.DecodeLastRuneInString(text[:at])
		switch {
		case unicode.IsSpace(r), r == '"', r == '“', r == '‘', r == '\'', r == '(', r == '[', r == '-', r == '–', r == '—':
			at -= n
		case r == '.', r == '!', r == '?', r == ':', r == ';', r == '…':
			return true
		default:
			return false
		}
	}
	return true
}

// mostlyUpper reports text whose letters are mostly capitals: a line
// shouted, a sign, a title.
func mostlyUpper(text string) bool {
	upper, letters := 0, 0
	for i := 0; i < len(text); i++ {
		if c := text[i]; c < utf8.RuneSelf {
			switch {
			case 'A' <= c && c <= 'Z':
				upper++
				letters++
			case 'a' <= c && c <= 'z':
				letters++
			}
			continue
		}
		r, n := utf8.DecodeRuneInString(text[i:])
		i += n - 1
		if unicode.IsLetter(r) {
			letters++
			if unicode.IsUpper(r) {
				upper++
			}
		}
	}
	return letters >= 12 && upper*10 >= letters*7
}

func isLowerWord(w string) bool {
	for _, r := range w {
		if unicode.IsUpper(r) {
			return false
		}
	}
	return true
}
