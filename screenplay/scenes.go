package screenplay

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// finish completes a Script from its elements: page positions (from the
// standard layout unless the reader knew them, as for a PDF), scenes with
// their headings split, speakers, introductions, who is present and
// eighths.
func finish(s *Script) {
	if !hasPositions(s.Elements) {
		StandardLayout.Paginate(s.Elements)
	}
	s.Pages = 0
	for _, e := range s.Elements {
		s.Pages = max(s.Pages, e.Page)
	}
	s.Scenes = buildScenes(s.Elements)
	measureScenes(s.Scenes, s.Elements, StandardLayout.LinesPerPage)
	introduce(s.Scenes)
	present(s.Scenes)
	for i := range s.Scenes {
		s.Scenes[i].Characters = s.Scenes[i].Present
	}
}

func hasPositions(els []Element) bool {
	for _, e := range els {
		if e.Page > 0 {
			return true
		}
	}
	return false
}

func buildScenes(els []Element) []Scene {
	n := 0
	for _, e := range els {
		if e.Type == SceneHeading {
			n++
		}
	}
	scenes := make([]Scene, 0, n)
	start := -1
	for i, e := range els {
		if e.Type != SceneHeading {
			continue
		}
		if start >= 0 {
			scenes = append(scenes, newScene(len(scenes)+1, els[start:i]))
		}
		start = i
	}
	if start >= 0 {
		scenes = append(scenes, newScene(len(scenes)+1, els[start:]))
	}
	return scenes
}

func newScene(index int, els []Element) Scene {
	h := els[0]
	sc := Scene{
		Index:         index,
		Number:        h.Number,
		Heading:       h.Text,
		Line:          h.Line,
		Page:          h.Page,
		SourceEighths: h.Length,
		Elements:      els,
		Speaking:      []string{},
	}
	sc.IntExt, sc.Location, sc.Time = SplitHeading(h.Text)
	for _, e := range els {
		if e.Type != Character {
			continue
		}
		name := CharacterName(e.Text)
		if name != "" && !contains(sc.Speaking, name) {
			sc.Speaking = append(sc.Speaking, name)
		}
	}
	return sc
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// CharacterName returns the name in a character cue without extensions
// ("ANNA (V.O.)", "ANNA (CONT'D)", "@McDUCK") in upper case.
func CharacterName(cue string) string {
	name := strings.TrimPrefix(strings.TrimSpace(cue), "@")
	name = strings.TrimSuffix(name, "^")
	if k := strings.IndexAny(name, "(（["); k >= 0 {
		name = name[:k]
	}
	return strings.ToUpper(strings.TrimSpace(name))
}

// SplitHeading splits a scene heading into its INT/EXT part, location and
// time of day: "INT. HOUSE - KITCHEN - NIGHT" gives "INT", "HOUSE -
// KITCHEN", "NIGHT". Headings that are not sluglines ("TITLE CARD") give
// an empty INT/EXT and the whole heading as location.
func SplitHeading(h string) (intExt, location, tod string) {
	h = strings.TrimSpace(h)
	n := headingPrefixLen(h)
	if n == 0 {
		return "", h, ""
	}
	intExt = normalIntExt(h[:n])
	rest := strings.TrimSpace(strings.TrimLeft(h[n:], ".-– "))
	// The time of day follows the last dash.
	for _, sep := range []string{" - ", " – ", " — ", " -- ", "- ", " -"} {
		if k := strings.LastIndex(rest, sep); k >= 0 {
			return intExt, strings.TrimSpace(rest[:k]), strings.TrimSpace(rest[k+len(sep):])
		}
	}
	// "INT HOUSE DAY": a last word that names a time of day.
	if k := strings.LastIndexByte(rest, ' '); k > 0 && timesOfDay[strings.ToUpper(strings.Trim(rest[k+1:], "."))] {
		return intExt, strings.TrimSpace(rest[:k]), rest[k+1:]
	}
	return intExt, rest, ""
}

var timesOfDay = map[string]bool{
	"DAY": true, "NIGHT": true, "MORNING": true, "EVENING": true, "AFTERNOON": true,
	"DAWN": true, "DUSK": true, "LATER": true, "CONTINUOUS": true, "SUNSET": true,
	"SUNRISE": true, "NOON": true, "MIDNIGHT": true, "SAME": true,
}

func normalIntExt(p string) string {
	p = strings.ToUpper(strings.TrimRight(strings.TrimSpace(p), ".-。 "))
	p = strings.ReplaceAll(p, ".", "")
	switch p {
	case "INT", "ИНТ":
		return "INT"
	case "EXT", "НАТ", "ЭКСТ":
		return "EXT"
	case "EST":
		return "EST"
	}
	return "INT/EXT"
}

// introduce finds characters introduced in action with an age, the way
// scripts present them: "NORA (34)", "NORA, 34,", "JUNE (15)", "MARK (40s)".
func introduce(scenes []Scene) {
	for i := range scenes {
		introduceIn(&scenes[i])
	}
}

func introduceIn(sc *Scene) {
	for _, e := range sc.Elements {
		if e.Type == Action {
			sc.Introduced = appendIntroductions(sc.Introduced, e)
		}
	}
}

func appendIntroductions(out []Introduction, e Element) []Introduction {
	text := e.Text
	for at := 0; at < len(text); at++ {
		// Jump to the next '(' or ',' with the fast byte search.
		p, c := strings.IndexByte(text[at:], '('), strings.IndexByte(text[at:], ',')
		switch {
		case p < 0 && c < 0:
			return out
		case p < 0 || (c >= 0 && c < p):
			at += c
		default:
			at += p
		}
		if !ageMayFollow(text, at) {
			continue
		}
		age, ageText, ok := ageAfter(text[at:])
		if !ok {
			continue
		}
		name := capsNameBefore(text[:at])
		if name == "" {
			continue
		}
		out = append(out, Introduction{Name: name, Age: age, AgeText: ageText, Line: e.LineAt(at)})
	}
	return out
}

// ageMayFollow is a cheap test that the '(' or ',' at text[at] follows an
// upper-case word and opens something that could be an age.
func ageMayFollow(text string, at int) bool {
	b := at - 1
	for b >= 0 && text[b] == ' ' {
		b--
	}
	if b < 0 || (text[b] < 'A' || text[b] > 'Z') && text[b] < utf8.RuneSelf && text[b] != '.' && text[b] != '\'' {
		return false
	}
	k := at + 1
	for k < len(text) && text[k] == ' ' {
		k++
	}
	if k == len(text) {
		return false
	}
	switch c := text[k] | 0x20; {
	case '0' <= text[k] && text[k] <= '9', c == 'e', c == 'm', c == 'l', c == 'a', c == 'n':
		return true
	}
	return false
}

// Omitted reports an OMITTED placeholder: the line a revised script keeps
// where a cut scene was ("OMITTED", "SCENE OMITTED", usually with the cut
// scene's number). It is not a scene, and none of the scene it sits in.
func (e Element) Omitted() bool {
	return e.Type == Action && omitted.MatchString(strings.TrimSpace(e.Text))
}

// LineAt returns the input line of byte offset off in e.Text.
func (e Element) LineAt(off int) int {
	k := strings.Count(e.Text[:off], "\n")
	if e.LineOffsets != nil && k < len(e.LineOffsets) {
		return e.Line + e.LineOffsets[k]
	}
	if e.LineOffsets != nil {
		return e.Line
	}
	return e.Line + k
}

// ageAfter reads an age right after s[0] ('(' or ','): "(34)", "(15 years
// old)", "(40s)", "(late 20s)", ", 34,".
func ageAfter(s string) (age int, text string, ok bool) {
	open := s[0]
	s = s[1:]
	var end int
	if open == '(' {
		end = strings.IndexByte(s, ')')
	} else {
		s = strings.TrimLeft(s, " ")
		end = strings.IndexAny(s, ",.;")
	}
	if end <= 0 || end > 24 {
		return 0, "", false
	}
	text = strings.TrimSpace(s[:end])
	digits := 0
	for _, w := range strings.Fields(text) {
		w = strings.TrimSuffix(strings.TrimSuffix(w, "s"), "'")
		n := 0
		for _, c := range w {
			if c < '0' || c > '9' {
				n = -1
				break
			}
			n = n*10 + int(c-'0')
			if n > 150 {
				n = -1
				break
			}
		}
		if n > 0 && w != "" {
			age = n
			digits++
		}
	}
	if digits != 1 {
		return 0, "", false
	}
	// Only words that describe an age may stand around the number.
	for _, w := range strings.Fields(strings.ToLower(text)) {
		w = strings.Trim(w, ",.")
		if w[0] >= '0' && w[0] <= '9' {
			continue
		}
		switch w {
		case "early", "mid", "late", "years", "year", "old", "yrs", "yo", "y.o.", "about", "around", "ish", "mid-", "age", "aged", "now":
		default:
			if !strings.HasPrefix(w, "mid-") && !strings.HasPrefix(w, "early-") && !strings.HasPrefix(w, "late-") {
				return 0, "", false
			}
		}
	}
	return age, text, true
}

// capsNameBefore returns the upper-case name (up to four words) that ends
// right before the age, or "" when the text before is not a name in caps.
// A word ending in a full stop belongs to the name only as a title ("DR.").
func capsNameBefore(s string) string {
	s = strings.TrimRight(s, " ")
	start := len(s)
	for words := 0; words < 4 && start > 0; words++ {
		i := strings.LastIndexByte(s[:start], ' ') + 1
		word := s[i:start]
		if !hasUpperLetter(word) || words > 0 && strings.HasSuffix(word, ".") && !nameTitles[word] {
			break
		}
		start = i
		for start > 0 && s[start-1] == ' ' {
			start--
		}
	}
	name := strings.TrimSpace(s[start:])
	if utf8.RuneCountInString(name) < 2 {
		return ""
	}
	return name
}

var nameTitles = map[string]bool{
	"DR.": true, "MR.": true, "MRS.": true, "MS.": true, "ST.": true, "LT.": true,
	"SGT.": true, "CPT.": true, "CAPT.": true, "PROF.": true, "DET.": true, "OFC.": true,
}

func hasUpperLetter(w string) bool {
	n := 0
	for _, r := range w {
		if unicode.IsUpper(r) {
			n++
		}
	}
	return n >= 1 && utf8.RuneCountInString(strings.Trim(w, ".'’-")) >= 1 && !hasLower(w)
}
