package breakdown

import (
	"cmp"
	"math"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"closedset/screenplay"
)

// The first pass collects every character's name and any age the script
// states for them, so an age given once ("JUNE (15)" in scene 2) still
// counts in scene 14: startCast, learnScene for each scene, finishCast.
func (a *analyzer) startCast() {
	a.ages = map[string][]age{}
	a.minorsFlagged = map[string]bool{}
	a.seen = map[string]bool{}
	a.spoke = map[string]int{}
}

// addName adds a character's name as it may stand in action.
func (a *analyzer) addName(name string) {
	if name == "" || a.seen[name] {
		return
	}
	// What the first pass keeps is copied: a stream's scenes point into
	// a window of the file that must be let go with them.
	name = strings.Clone(name)
	a.seen[name] = true
	a.names = append(a.names, castName{form: name, name: name})
	if t := titleCase(name); t != name {
		a.names = append(a.names, castName{form: t, name: name})
	}
}

// learnScene reads a scene of the first pass for names and ages.
func (a *analyzer) learnScene(sc *screenplay.Scene) {
	for _, c := range sc.Speaking {
		a.addName(c)
	}
	for _, e := range sc.Elements {
		if e.Type == screenplay.Character {
			if n := screenplay.CharacterName(e.Text); a.spoke[n] == 0 {
				a.spoke[strings.Clone(n)] = e.Line
			}
		}
	}
	a.scoped = flashback(sc.Heading)
	defer func() { a.scoped = false }()
	for _, in := range sc.Introduced {
		a.addName(in.Name)
		if in.Age == 0 {
			continue
		}
		ev := Evidence{Line: in.Line, Text: introText(sc, in), Match: in.Name}
		a.setAge(in.Name, in.Age, sc.Index, ev)
		// "NORA VANCE (34)" speaks as NORA; "PRINCESS SOPHIA (17)" as
		// SOPHIA.
		if first, rest, ok := strings.Cut(in.Name, " "); ok && !isTitle(first) {
			a.setAge(first, in.Age, sc.Index, ev)
		} else if ok {
			if second, _, _ := strings.Cut(rest, " "); second != "" && !isTitle(second) {
				a.setAge(second, in.Age, sc.Index, ev)
			}
		}
	}
	for j := range sc.Elements {
		if e := &sc.Elements[j]; e.Type == screenplay.Action {
			a.yearsOld(e, sc.Index, a.spoke)
			if mayParenAge(e.Text) {
				el := *e
				el.Text = strings.Clone(el.Text)
				a.pending = append(a.pending, parenAge{el: el, scene: sc.Index, scoped: a.scoped})
			}
		}
	}
}

// mayParenAge reports a '(' right before a digit, without which
// parenAgeRE cannot match: only such elements wait for the whole cast.
func mayParenAge(text string) bool {
	for i := strings.IndexByte(text, '('); i >= 0 && i+1 < len(text); {
		if c := text[i+1]; '0' <= c && c <= '9' {
			return true
		}
		k := strings.IndexByte(text[i+1:], '(')
		if k < 0 {
			return false
		}
		i += 1 + k
	}
	return false
}

// finishCast completes what learnScene learned, once every scene is read.
func (a *analyzer) finishCast() {
	spoke, add := a.spoke, a.addName
	pending := a.pending
	a.pending = nil
	a.scoped = false
	// "Ginger (10)", "PRINCESS SOPHIA AUGUSTUS (17, one day ...)": an age
	// in parentheses after a name the reader did not take for an
	// introduction, once every cue of the script is known.
	for _, p := range pending {
		a.parenAges(p, spoke)
	}
	a.childrenByName()
	a.unscoped = make(map[string][]int, len(a.ages))
	for name, list := range a.ages {
		slices.SortStableFunc(list, func(x, y age) int { return cmp.Compare(x.scene, y.scene) })
		var idx []int
		for k, ag := range list {
			if !ag.scoped {
				idx = append(idx, k)
			}
		}
		a.unscoped[name] = idx
	}
	// Names known only from an age in action ("her seven-year-old, LILY").
	var aged []string
	for name := range a.ages {
		aged = append(aged, name)
	}
	sort.Strings(aged) // a stable order for stable reports
	for _, name := range aged {
		add(name)
	}
	a.nameWords = map[string]bool{}
	for _, n := range a.names {
		for _, w := range strings.Fields(n.form) {
			if !isTitle(strings.ToUpper(w)) {
				a.nameWords[w] = true
			}
		}
	}
	// Longer names first, so "DR. ELLIS" is found before "ELLIS".
	slices.SortStableFunc(a.names, func(x, y castName) int { return cmp.Compare(len(y.form), len(x.form)) })
	a.minorName = map[string]bool{}
	a.byFirstWord = map[string][]castName{}
	for _, n := range a.names {
		first, _, _ := strings.Cut(n.form, " ")
		first = strings.TrimRight(first, ".'")
		a.byFirstWord[first] = append(a.byFirstWord[first], n)
	}
	for _, n := range a.names {
		for _, ag := range a.ages[n.name] {
			if ag.years < 18 {
				a.minorNames = append(a.minorNames, n)
				a.minorName[n.name] = true
				break
			}
		}
	}
}

// setAge records an age stated for a character in a scene. Ages are kept
// in script order: "WILL (5)" early and "WILL, now 28" later are both true,
// each from where it is said.
func (a *analyzer) setAge(name string, years, scene int, ev Evidence) {
	a.setAgeScoped(name, years, scene, ev, a.scoped)
}

// setAgeScoped is setAge for an age that holds in its scene only when
// scoped (a flashback's, a memory's).
func (a *analyzer) setAgeScoped(name string, years, scene int, ev Evidence, scoped bool) {
	list, ok := a.ages[name]
	if n := len(list); n > 0 && list[n-1].scene == scene {
		return // the first statement in a scene stands
	}
	if !ok {
		name = strings.Clone(name)
	}
	ev.Text, ev.Match = strings.Clone(ev.Text), strings.Clone(ev.Match)
	a.ages[name] = append(list, age{years: years, scene: scene, ev: ev, scoped: scoped})
}

// flashbackWords in a heading mark a scene in another time: an age stated
// there is that time's.
var flashbackWords = []string{"FLASHBACK", "FLASH BACK", "MEMORY", "YEARS EARLIER", "YEARS AGO", "YEARS BEFORE", "THE PAST", "DREAM"}

func flashback(heading string) bool {
	h := strings.ToUpper(heading)
	return slices.ContainsFunc(flashbackWords, func(w string) bool { return strings.Contains(h, w) })
}

// ageAt returns the age of a character in a scene: the last one stated at
// or before it, or else the first stated after it. An age scoped to a
// scene (a flashback's) holds in that scene only. Lists are sorted by
// scene, so this is two binary searches however often ages are restated.
func (a *analyzer) ageAt(name string, scene int) (age, bool) {
	list := a.ages[name]
	i := sort.Search(len(list), func(k int) bool { return list[k].scene > scene })
	if i > 0 && list[i-1].scene == scene {
		return list[i-1], true
	}
	// Before i every age is of an earlier scene: the last unscoped one
	// stands, else the first unscoped one after.
	idx := a.unscoped[name]
	j := sort.SearchInts(idx, i)
	if j > 0 {
		return list[idx[j-1]], true
	}
	if j < len(idx) {
		return list[idx[j]], true
	}
	return age{}, false
}

// introText quotes the sentence where a character is introduced.
func introText(sc *screenplay.Scene, in screenplay.Introduction) string {
	for _, e := range sc.Elements {
		if e.Type != screenplay.Action {
			continue
		}
		if k := strings.Index(e.Text, in.Name); k >= 0 && e.LineAt(k) == in.Line {
			s, t := sentenceStart(e.Text, k), sentenceEnd(e.Text, k+len(in.Name))
			return clipAround(oneSpace(e.Text[s:t]), in.Name)
		}
	}
	return in.Name
}

var numberWords = map[string]int{
	"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
	"ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
	"sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
}

// yearsOld finds "her seven-year-old, LILY" and "LILY, a 7-year-old" in an
// action line and records the age for the name beside it.
func (a *analyzer) yearsOld(el *screenplay.Element, scene int, spoke map[string]int) {
	if !strings.Contains(el.Text, "year") {
		return
	}
	words := tokenize(el.Text, nil)
	for i, w := range words {
		s := strings.ToLower(el.Text[w.start:w.end])
		n, ok := parseYearsOld(s)
		if !ok && i+2 < len(words) && strings.ToLower(el.Text[words[i+1].start:words[i+1].end]) == "year" &&
			strings.HasPrefix(strings.ToLower(el.Text[words[i+2].start:words[i+2].end]), "old") {
			n, ok = parseNumber(s)
		}
		if !ok {
			continue
		}
		ev := Evidence{Line: el.LineAt(w.start), Match: el.Text[w.start:w.end]}
		ev.Text = clipAround(oneSpace(el.Text[sentenceStart(el.Text, w.start):sentenceEnd(el.Text, w.end)]), ev.Match)
		// The nearest name in capitals within four words either side.
		for d := 1; d <= 4; d++ {
			for _, j := range []int{i + d, i - d} {
				if j < 0 || j >= len(words) || words[j].sentence != w.sentence {
					continue
				}
				name := el.Text[words[j].start:words[j].end]
				if isCapsName(name) {
					first, ok := spoke[name]
					a.setAgeScoped(name, n, scene, ev, a.scoped || ok && first < ev.Line)
					d = 5
					break
				}
			}
		}
	}
}

// parenAge is an action element to read for "Name (NN)" once the cast is
// known.
type parenAge struct {
	el     screenplay.Element
	scene  int
	scoped bool
}

// parenAgeRE finds up to four capitalised words and an age in
// parentheses after them: "Ginger (10)", "SOPHIA AUGUSTUS (17, ...".
var parenAgeRE = regexp.MustCompile(`((?:[A-Z][A-Za-z'’.-]*\s+){0,3}[A-Z][A-Za-z'’.-]*)\s+\((\d{1,2})[,)\s]`)

// parenAges records "Name (NN)" ages in an action element for the words
// of the name that are a character's cue (GINGER for "Ginger (10)").
func (a *analyzer) parenAges(p parenAge, spoke map[string]int) {
	text := p.el.Text
	if !strings.Contains(text, "(") {
		return
	}
	for _, m := range parenAgeRE.FindAllStringSubmatchIndex(text, -1) {
		years, err := strconv.Atoi(text[m[4]:m[5]])
		if err != nil || years == 0 {
			continue
		}
		name := text[m[2]:m[3]]
		for _, w := range strings.Fields(name) {
			cue := strings.ToUpper(strings.Trim(w, ".,’'"))
			if _, ok := spoke[cue]; !ok || isTitle(cue) {
				continue
			}
			ev := Evidence{Line: p.el.LineAt(m[2]), Match: name}
			ev.Text = clipAround(oneSpace(text[sentenceStart(text, m[2]):sentenceEnd(text, m[3])]), name)
			if len(a.ages[cue]) == 0 || a.ages[cue][len(a.ages[cue])-1].scene != p.scene {
				a.setAgeScoped(cue, years, p.scene, ev, p.scoped)
			}
			break
		}
	}
}

// parseYearsOld reads "seven-year-old" or "7-year-old(s)".
func parseYearsOld(s string) (int, bool) {
	num, rest, ok := strings.Cut(s, "-year-old")
	if !ok || (rest != "" && rest != "s") {
		return 0, false
	}
	return parseNumber(num)
}

func parseNumber(s string) (int, bool) {
	if n, err := strconv.Atoi(s); err == nil && n > 0 && n < 130 {
		return n, true
	}
	n, ok := numberWords[s]
	return n, ok
}

func isCapsName(s string) bool {
	if len(s) < 2 {
		return false
	}
	letters := 0
	for _, r := range s {
		if unicode.IsLower(r) {
			return false
		}
		if unicode.IsLetter(r) {
			letters++
		}
	}
	return letters >= 2
}

func isTitle(w string) bool {
	switch strings.TrimSuffix(w, ".") {
	case "DR", "MR", "MRS", "MS", "ST", "LT", "SGT", "CAPT", "PROF", "DET", "OFFICER", "AUNT", "UNCLE", "LITTLE", "YOUNG", "OLD":
		return true
	}
	return false
}

// titleCase turns NORA VANCE into Nora Vance, the way a name reads in
// action after its introduction.
func titleCase(s string) string {
	b := []rune(strings.ToLower(s))
	up := true
	for i, r := range b {
		if up && unicode.IsLetter(r) {
			b[i] = unicode.ToUpper(r)
		}
		up = !unicode.IsLetter(r) && r != '\''
	}
	return string(b)
}

// charactersIn names the characters of a flag: first those the evidence
// mentions, and for acts between partners those named in the same
// paragraphs ("Nora and Theo stand close. He kisses her."), then everyone
// else present in the scene. "They undress each other" names no one, yet
// the flag is about the people in the room.
func (a *analyzer) charactersIn(cat Category, evs []Evidence, sc *screenplay.Scene) []string {
	var out []string
	add := func(text string) {
		for _, name := range a.namesIn(text) {
			if !contains(out, name) {
				out = append(out, name)
			}
		}
	}
	for _, ev := range evs {
		if ev.Line != sc.Line { // a heading names places, not people
			add(ev.Text)
		}
	}
	if len(out) < 2 && cat != HyperExposed && cat != Nudity {
		for _, e := range sc.Elements {
			if e.Type != screenplay.Action && e.Type != screenplay.Parenthetical {
				continue
			}
			last := e.LineAt(len(e.Text))
			for _, ev := range evs {
				if e.Line <= ev.Line && ev.Line <= last {
					add(e.Text)
					break
				}
			}
		}
	}
	for _, name := range sc.Present {
		if !contains(out, name) {
			out = append(out, name)
		}
	}
	if out == nil {
		out = []string{}
	}
	return out
}

// namesIn returns the characters named in text, longest names first: each
// capitalised word is looked up among the first words of names, and only
// those candidates are compared in full.
func (a *analyzer) namesIn(text string) []string { return a.named(text, false) }

// peopleIn is namesIn without the names in the possessive: "Chrissy's
// wake" or "Chrissy's window" puts a thing of hers in the scene, not her.
func (a *analyzer) peopleIn(text string) []string { return a.named(text, true) }

func (a *analyzer) named(text string, people bool) []string {
	var out []string
	a.namesAt(text, func(name string, _, end int) {
		if !people || !possessive(text[end:]) {
			out = append(out, name)
		}
	})
	return out
}

// namesAt calls fn with each character named in text, as namesIn finds
// them, and the offsets where the name as written starts and ends.
func (a *analyzer) namesAt(text string, fn func(name string, at, end int)) {
	for i := 0; i < len(text); i++ {
		c := text[i]
		if c < 'A' || c > 'Z' || (i > 0 && isWordByte(text[i-1])) {
			continue
		}
		j := i + 1
		for j < len(text) && (isWordByte(text[j]) || text[j] == '.' || text[j] == '\'' || text[j] == '-' && j+1 < len(text) && isWordByte(text[j+1])) {
			j++
		}
		for _, n := range a.byFirstWord[strings.TrimRight(text[i:j], ".'")] {
			end := i + len(n.form)
			if strings.HasPrefix(text[i:], n.form) && (end == len(text) || !isWordByte(text[end])) {
				fn(n.name, i, end)
				break
			}
		}
		i = j
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// minorsIn returns the characters of a scene known to be under 18, with the
// evidence of their age: who speaks, who is named in action, and anyone
// else present.
func (a *analyzer) minorsIn(sc *screenplay.Scene) (names []string, evs []Evidence) {
	if len(a.minorNames) == 0 {
		return nil, nil
	}
	add := func(name string, line int, text string) {
		ag, ok := a.ageAt(name, sc.Index)
		if !ok || ag.years >= 18 || contains(names, name) {
			return
		}
		names = append(names, name)
		evs = append(evs, ag.ev)
		if line > 0 && line != ag.ev.Line {
			evs = append(evs, Evidence{Line: line, Text: text, Match: name})
		}
	}
	for _, e := range sc.Elements {
		switch e.Type {
		case screenplay.Character:
			n := screenplay.CharacterName(e.Text)
			add(n, e.Line, e.Text)
		case screenplay.Action, screenplay.Parenthetical:
			// One pass over the capitalised words finds who is named;
			// only a minor's name is then located for the evidence.
			for _, name := range a.namesIn(e.Text) {
				if !a.minorName[name] {
					continue
				}
				for _, n := range a.minorNames {
					if n.name != name {
						continue
					}
					if k := strings.Index(e.Text, n.form); k >= 0 {
						s, t := sentenceStart(e.Text, k), sentenceEnd(e.Text, k+len(n.form))
						add(n.name, e.LineAt(k), clipAround(oneSpace(e.Text[s:t]), n.form))
						break
					}
				}
			}
		}
	}
	// Anyone else present the reader found (a possessive, a parenthetical):
	// the evidence is where their age is stated.
	for _, name := range sc.Present {
		add(name, 0, "")
	}
	return names, evs
}

// minorFlag flags a minor in a scene that has any other flag, or a child
// handled by an adult (picked up, held, carried).
func (a *analyzer) minorFlag(sc *screenplay.Scene, others []Flag, words, handled []hit) (f Flag, byHandling, ok bool) {
	names, evs := a.minorsIn(sc)
	evs = append([]Evidence(nil), evs...)
	conf := 0.0
	if len(names) > 0 {
		conf = 0.95
	}
	// Words that put a child in the scene ("a toddler", "teenagers").
	c := noisyOr(1, words)
	if c > conf {
		conf = c
	}
	for _, h := range words {
		evs = append(evs, h.ev)
	}
	f = Flag{Category: Minor}
	switch {
	case len(others) > 0 && conf >= a.threshold:
		f.Confidence = round2(conf)
	case len(handled) > 0 && (conf >= a.threshold || slices.ContainsFunc(handled, func(h hit) bool { return h.weight >= 0.8 })):
		// A child handled by an adult: the handling words name the child
		// ("picks up the baby") or a known minor is in the scene. Loose
		// phrases ("holds her in his arms") add up to no child: lovers
		// hold each other so.
		// A known child in the scene makes even a loose handling phrase
		// ("against her chest") likely to be about them.
		h := noisyOr(1, handled)
		f.Confidence = round2(math.Max(h, conf*(0.5+h/2)))
		if f.Confidence < a.threshold {
			return Flag{}, false, false
		}
		for _, h := range handled {
			evs = append(evs, h.ev)
		}
		byHandling = true
	default:
		return Flag{}, false, false
	}
	f.Evidence = dedupeEvidence(evs)
	f.Characters = names
	if f.Characters == nil {
		f.Characters = []string{}
	}
	for _, n := range names {
		a.minorsFlagged[n] = true
	}
	return f, byHandling, true
}

func dedupeEvidence(evs []Evidence) []Evidence {
	var out []Evidence
	seen := map[Evidence]bool{}
	for _, ev := range evs {
		if !seen[ev] {
			seen[ev] = true
			out = append(out, ev)
		}
		if len(out) == maxEvidence {
			break
		}
	}
	slices.SortStableFunc(out, byLine)
	return out
}

func newSummary(scenes int) Summary {
	return Summary{Scenes: scenes, ByCategory: map[Category]int{}, Minors: []string{}}
}

// count adds a scene to the summary.
func (s *Summary) count(sc *Scene) {
	if !sc.NeedsIC {
		return
	}
	s.Flagged++
	s.FlaggedEighths += sc.Eighths
	var seen [8]Category // a scene has few categories
	n := 0
	for _, f := range sc.Flags {
		if !slices.Contains(seen[:n], f.Category) {
			if n < len(seen) {
				seen[n] = f.Category
				n++
			}
			s.ByCategory[f.Category]++
		}
	}
}

// finish completes the summary once every scene is counted.
func (s Summary) finish(a *analyzer) Summary {
	s.Threshold, s.LeftOut = a.threshold, a.leftOut
	for n := range a.minorsFlagged {
		s.Minors = append(s.Minors, n)
	}
	sort.Strings(s.Minors)
	return s
}

// childNouns are the words a cue names a child by ("THE BOY", "LITTLE
// GIRL", "KID #2", "BABY"), with an age that stands for them when the
// script states none. GIRL alone is not among them: scripts name young
// women so ("GIRL AT BAR"); with LITTLE, YOUNG or SCHOOL- it is a child.
var childNouns = map[string]int{
	"BOY": 10, "BOYS": 10, "KID": 10, "KIDS": 10, "CHILD": 10, "CHILDREN": 10,
	"BABY": 1, "INFANT": 1, "NEWBORN": 0, "TODDLER": 2, "TEEN": 15, "TEENS": 15, "TEENAGER": 15, "TEENAGERS": 15,
	"SCHOOLBOY": 12, "SCHOOLGIRL": 12, "SCHOOLKIDS": 10, "SCHOOLCHILDREN": 10,
}

// childModifiers make a child of a cue's noun: LITTLE GIRL, TEENAGE BOY.
var childModifiers = map[string]int{"LITTLE": 7, "YOUNG": 12, "SMALL": 7, "TEENAGE": 15, "TEENAGED": 15}

// childAgeOf is the age a cue's name alone gives ("THE BOY" a child of
// 10), or 0: articles and a number ("KID #2") aside, a child noun, or a
// child modifier and BOY or GIRL.
func childAgeOf(name string) int {
	var words []string
	for _, w := range strings.Fields(strings.ToUpper(name)) {
		w = strings.Trim(w, ".,:'’")
		switch {
		case w == "", w == "THE", w == "A", strings.TrimLeft(w, "#0123456789") == "":
			continue
		}
		words = append(words, w)
	}
	switch len(words) {
	case 1:
		if age, ok := childNouns[words[0]]; ok {
			return max(age, 1)
		}
	case 2:
		if age, ok := childModifiers[words[0]]; ok && (words[1] == "BOY" || words[1] == "GIRL" || childNouns[words[1]] > 0) {
			return age
		}
	}
	return 0
}

// childrenByName gives a cue that names a child by what they are (THE
// BOY of a story that never states his age) that age from their first
// line, unless the script states one: a child on screen all the same.
func (a *analyzer) childrenByName() {
	for _, n := range a.names {
		if n.form != n.name || len(a.ages[n.name]) > 0 {
			continue
		}
		line := a.spoke[n.name]
		age := childAgeOf(n.name)
		if age == 0 || line == 0 {
			continue
		}
		a.setAgeScoped(n.name, age, 0, Evidence{Line: line, Text: n.name, Match: n.name}, false)
	}
}

// bodyWords after a possessive name say it is their body: "Chrissy's
// dead, bloody body".
var bodyWords = []string{"body", "corpse", "remains", "dead", "lifeless", "limp", "motionless", "bloody", "charred"}

// possessive reports a name's possessive ending at the start of rest that
// owns a thing, not the character's own body.
func possessive(rest string) bool {
	var after string
	switch {
	case strings.HasPrefix(rest, "'s"):
		after = rest[len("'s"):]
	case strings.HasPrefix(rest, "’s"):
		after = rest[len("’s"):]
	default:
		return false
	}
	fs := strings.Fields(after)
	for _, w := range fs[:min(3, len(fs))] {
		if slices.Contains(bodyWords, strings.ToLower(strings.Trim(w, ",.;:!?"))) {
			return false
		}
	}
	return true
}
