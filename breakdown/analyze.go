package breakdown

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"
	"unicode/utf8"

	"closedset/screenplay"
)

// Analyze breaks a script down: one Scene per scene of the script, each
// with the categories found in it and the lines that show them.
func Analyze(s *screenplay.Script, opts Options) *Breakdown {
	scenes := make([]Scene, 0, len(s.Scenes))
	b, _ := Walk(s, opts, func(sc Scene) error {
		scenes = append(scenes, sc)
		return nil
	})
	b.Scenes = scenes
	return b
}

// Walk breaks a script down as Analyze does, but hands each scene to emit
// as soon as it is read, in order, and keeps none: a caller that writes
// each one out holds one scene's breakdown at a time, not the script's.
// The Breakdown returned has every field but Scenes. An error from emit
// stops the walk and is returned.
func Walk(s *screenplay.Script, opts Options, emit func(Scene) error) (*Breakdown, error) {
	w := NewWalker(opts)
	for i := range s.Scenes {
		w.Learn(&s.Scenes[i])
	}
	return w.walk(s.TitleValue("title"), s.Format, len(s.Scenes), func(each func(*screenplay.Scene) error) error {
		for i := range s.Scenes {
			if err := each(&s.Scenes[i]); err != nil {
				return err
			}
		}
		return nil
	}, emit)
}

// A Walker breaks down a script read as a screenplay.Stream, in its two
// passes: Learn is given each scene of the first (the cast and the ages
// stated anywhere in the script), then WalkStream breaks each scene of
// the second down and hands it to emit. Neither keeps a scene.
type Walker struct{ a *analyzer }

// NewWalker returns a Walker with opts.
func NewWalker(opts Options) *Walker {
	lex := opts.Lexicon
	if lex == nil {
		lex = DefaultLexicon()
	}
	a := &analyzer{lex: lex, threshold: opts.Threshold}
	if a.threshold <= 0 || a.threshold > 1 {
		a.threshold = Threshold
	}
	a.startCast()
	return &Walker{a: a}
}

// Learn reads a scene of the first pass (screenplay.OpenStream's learn).
func (w *Walker) Learn(sc *screenplay.Scene) { w.a.learnScene(sc) }

// WalkStream breaks down the scenes of st, learned first, as Walk does.
func (w *Walker) WalkStream(st *screenplay.Stream, emit func(Scene) error) (*Breakdown, error) {
	return w.walk(st.TitleValue("title"), st.Format, st.Scenes, st.Each, emit)
}

func (w *Walker) walk(title string, format screenplay.Format, n int, scenes func(func(*screenplay.Scene) error) error, emit func(Scene) error) (*Breakdown, error) {
	a := w.a
	a.finishCast()
	b := &Breakdown{Title: strings.ReplaceAll(title, "\n", " "), Format: format}
	sum := newSummary(n)
	var carry undress
	var birth labour
	if err := scenes(func(sc *screenplay.Scene) error {
		out := a.scene(sc)
		carry = a.carryUndress(sc, &out, carry)
		birth = a.carryLabour(sc, &out, birth)
		sum.count(&out)
		return emit(out)
	}); err != nil {
		return nil, err
	}
	b.Summary = sum.finish(a)
	return b, nil
}

// analyzer holds what is learned about the whole script (who is a minor)
// and scratch space reused from scene to scene.
type analyzer struct {
	lex *Lexicon
	// ages are characters' stated ages in script order, carried across
	// the script.
	ages map[string][]age
	// unscoped indexes, for each list of ages, the ages that are not
	// scoped to their scene, for ageAt's binary search.
	unscoped map[string][]int
	// names are every character's name as it may stand in action: NORA and
	// Nora.
	names []castName
	// byFirstWord indexes names by their first word, longest first.
	byFirstWord map[string][]castName
	// minorName marks the canonical names of characters under 18 somewhere
	// in the script; minorNames are the forms of their names.
	minorName map[string]bool
	// minorNames are the forms of names of characters under 18.
	minorNames []castName
	// nameWords are the one-word forms of names, for @name in phrases.
	nameWords map[string]bool
	words     []word
	ms        []match
	// minorsFlagged collects minors seen in flagged scenes, for the summary.
	minorsFlagged map[string]bool
	// scoped is set while learnScene reads a flashback: ages stated there
	// hold in that scene only.
	scoped bool
	// threshold is the confidence a flag needs (Options.Threshold).
	threshold float64
	// leftOut counts scenes with a sign under the threshold and no flag.
	leftOut int
	// setting is what the scene's heading says of where it is, when the
	// lexicon reads it ("strip club", "bedroom").
	setting string
	// seen, spoke (the line where each character first speaks) and
	// pending (action to read for "Name (NN)" once every cue is known)
	// are the first pass's.
	seen    map[string]bool
	spoke   map[string]int
	pending []parenAge
	// dead are the characters seen dead, by the scene it was shown in:
	// their body in a later scene is a body on set.
	dead map[string]int
	// castEntries are the lexicon's cast entries each name matches.
	castEntries map[string][]*Entry
}

// genericName are the names of a script that are common nouns (THE MAN,
// THE BOY): not a particular body.
var genericName = map[string]bool{"MAN": true, "WOMAN": true, "BOY": true, "GIRL": true, "FATHER": true, "MOTHER": true,
	"OLD MAN": true, "OLD WOMAN": true, "SOLDIER": true, "GUARD": true, "DOCTOR": true, "NURSE": true, "COP": true, "OFFICER": true}

// bodies learns who is shown dead, and flags a later scene where a dead
// character's body is handled or seen (named in action, silent) as
// hyper-exposed death, saying where they died.
func (a *analyzer) bodies(sc *screenplay.Scene, out *Scene, hits []hit) {
	if a.dead == nil {
		a.dead = map[string]int{}
	}
	// Someone who speaks is not a body (a misread, a ghost, a flashback):
	// they are dead no more.
	for _, n := range sc.Speaking {
		delete(a.dead, n)
	}
	shown := false
	for _, h := range hits {
		if h.e.Category == HyperExposed && h.e.Qualifier == "death" && h.weight >= 0.75 && h.ev.Line != sc.Line {
			shown = true
			// Only a sentence that names one character says whose body it
			// is; "the MAN" or "the BOY" may be anyone.
			if ns := a.namesIn(h.ev.Text); len(ns) == 1 && !genericName[ns[0]] {
				if _, ok := a.dead[ns[0]]; !ok {
					a.dead[ns[0]] = sc.Index
				}
			}
		}
	}
	if shown || len(a.dead) == 0 || slices.ContainsFunc(out.Flags, func(f Flag) bool { return f.Category == HyperExposed && f.Kind == "death" }) {
		return
	}
	for _, e := range sc.Elements {
		if e.Type != screenplay.Action {
			continue
		}
		for _, n := range a.peopleIn(e.Text) {
			from, ok := a.dead[n]
			if !ok || from == sc.Index || slices.Contains(sc.Speaking, n) {
				continue
			}
			k := strings.Index(e.Text, n)
			if k < 0 {
				k = 0
			}
			ev := Evidence{Line: e.LineAt(k), Match: n,
				Text: clipAround(oneSpace(e.Text[sentenceStart(e.Text, k):sentenceEnd(e.Text, k+len(n))]), n)}
			out.Flags = append(out.Flags, Flag{Category: HyperExposed, Kind: "death", Confidence: 0.6, Evidence: []Evidence{ev}, Characters: []string{n},
				Situation: fmt.Sprintf("carried: %s was shown dead in scene %d", n, from)})
			slices.SortStableFunc(out.Flags, func(x, y Flag) int {
				return cmp.Compare(slices.Index(Categories, x.Category), slices.Index(Categories, y.Category))
			})
			return
		}
	}
}

// situation puts a flag's reason in a few words: where the scene is and
// what is shown, the strongest line's words first.
func (a *analyzer) situation(f *Flag) string {
	var parts []string
	if a.setting != "" {
		parts = append(parts, "setting: "+a.setting)
	}
	switch {
	case f.Category == Minor && len(f.Characters) > 0:
		parts = append(parts, "minor on screen: "+strings.Join(f.Characters, ", "))
	case len(f.Evidence) > 0:
		var shown []string
		for _, ev := range f.Evidence {
			m := strings.ToLower(ev.Match)
			if m != "" && m != a.setting && !slices.Contains(shown, m) {
				shown = append(shown, m)
			}
			if len(shown) == 3 {
				break
			}
		}
		if len(shown) > 0 {
			parts = append(parts, "shown: "+strings.Join(shown, ", "))
		}
	}
	return strings.Join(parts, "; ")
}

type age struct {
	scoped bool // holds in its own scene only
	years  int
	scene  int      // index of the scene where it is stated
	ev     Evidence // where the age is stated
}

type castName struct {
	form string // as it may appear in action
	name string // the canonical (cue) name
}

// hit is one piece of evidence found in a scene.
type hit struct {
	e      *Entry
	weight float64
	ev     Evidence
}

func (a *analyzer) scene(sc *screenplay.Scene) Scene {
	out := Scene{
		Index: sc.Index, Number: sc.Number, Heading: sc.Heading, Line: sc.Line,
		Page: sc.Page, Eighths: sc.Eighths, Characters: sc.Present, Speaking: sc.Speaking, Present: sc.Present, Flags: []Flag{},
	}
	var hits []hit
	for i := range sc.Elements {
		el := &sc.Elements[i]
		switch el.Type {
		case screenplay.SceneHeading:
			hits = a.read(el, true, hits)
		case screenplay.Action, screenplay.Parenthetical, screenplay.Shot, screenplay.General, screenplay.Centered:
			hits = a.read(el, false, hits)
		}
	}
	hits = a.cast(sc, hits)
	// The setting is what the heading says most surely: a morgue before
	// the hospital it is in.
	a.setting = ""
	best := 0.0
	for _, h := range hits {
		if h.ev.Line == sc.Line && h.ev.Match != "" && h.weight > best {
			a.setting, best = strings.ToLower(h.ev.Match), h.weight
		}
	}
	out.Flags = a.flags(sc, hits)
	a.bodies(sc, &out, hits)
	for i := range out.Flags {
		if out.Flags[i].Situation == "" {
			out.Flags[i].Situation = a.situation(&out.Flags[i])
		}
	}
	out.NeedsIC = len(out.Flags) > 0
	return out
}

// read finds the lexicon's entries in one element and turns them into hits,
// dropping those voided by a false friend or a negation and weakening those
// after a hedge.
func (a *analyzer) read(el *screenplay.Element, heading bool, hits []hit) []hit {
	text := el.Text
	if !heading {
		// Words inside quotation marks in action are said, sung, written
		// on a sign or a headline: a mention, not an act on screen. A
		// script copied out of a PDF puts speech there too.
		text = maskQuoted(text)
	}
	a.words = tokenize(text, a.words)
	a.ms = a.lex.findMatches(text, a.words, a.nameWords, a.ms[:0])
	if len(a.ms) == 0 {
		return hits
	}
	for _, m := range a.ms {
		e := &a.lex.entries[m.entry]
		switch {
		case e.role == roleHeading && !heading, e.role == roleCast,
			e.role != roleHeading && e.role != roleContext && heading,
			e.role == roleNot, e.role == roleNegation, e.role == roleHedge:
			continue
		}
		w := e.Weight
		if e.role != roleHeading && a.voided(m) || a.isName(text, m) {
			continue
		}
		if e.role == roleFlag || e.role == roleContext || e.role == roleInstead {
			if a.negated(m, roleNegation) >= 0 {
				continue
			}
			if h := a.negated(m, roleHedge); h >= 0 {
				w *= a.lex.entries[h].Weight
			}
		}
		hits = append(hits, hit{e: e, weight: w, ev: evidence(el, a.words, m)})
	}
	return hits
}

// cast reads the names of the characters named in a scene's action for
// what they say of a body (issue 14): a script that calls someone
// G-STRING GUY or THE DEAD MAN shows them so wherever the action has
// them, in words it no longer repeats (and that read as a name, not as
// the thing they name). A voice heard is not a body on screen.
func (a *analyzer) cast(sc *screenplay.Scene, hits []hit) []hit {
	if a.castEntries == nil {
		a.castEntries = map[string][]*Entry{}
	}
	var done []string
	for i := range sc.Elements {
		el := &sc.Elements[i]
		if el.Type != screenplay.Action {
			continue
		}
		for _, n := range a.namesIn(el.Text) {
			if slices.Contains(done, n) {
				continue
			}
			done = append(done, n)
			es, ok := a.castEntries[n]
			if !ok {
				a.words = tokenize(n, a.words)
				a.ms = a.lex.findMatches(n, a.words, nil, a.ms[:0])
				for _, m := range a.ms {
					if e := &a.lex.entries[m.entry]; e.role == roleCast {
						es = append(es, e)
					}
				}
				a.castEntries[n] = es
			}
			if len(es) == 0 {
				continue
			}
			k := strings.Index(strings.ToUpper(el.Text), n)
			if k < 0 {
				k = 0
			}
			m := el.Text[k:min(k+len(n), len(el.Text))]
			ev := Evidence{Line: el.LineAt(k), Match: m,
				Text: clipAround(oneSpace(el.Text[sentenceStart(el.Text, k):sentenceEnd(el.Text, k+len(m))]), m)}
			for _, e := range es {
				hits = append(hits, hit{e: e, weight: e.Weight, ev: ev})
			}
		}
	}
	return hits
}

// isName reports whether the matched words are a character's name
// (PRINCIPAL VAGINA, a dog called Kiss), not the thing they name.
func (a *analyzer) isName(text string, m match) bool {
	for i := m.from; i < m.to; i++ {
		w := text[a.words[i].start:a.words[i].end]
		if w[0] < 'A' || w[0] > 'Z' || !a.nameWords[w] {
			return false
		}
	}
	return true
}

// voided reports whether a false friend ("naked ambition", or "a kiss on
// the forehead", which is evidence of something else instead) covers m.
func (a *analyzer) voided(m match) bool {
	self := a.lex.entries[m.entry].role
	for _, n := range a.ms {
		// Phrases that say the same thing instead do not void each other.
		if r := a.lex.entries[n.entry].role; (r == roleNot || r == roleInstead && self != roleInstead) && n.from <= m.from && m.to <= n.to {
			return true
		}
	}
	return false
}

// negated returns the entry of a cue of the given role (negation or hedge)
// that ends at most three words before m in the same clause, or -1.
func (a *analyzer) negated(m match, r role) int32 {
	for _, n := range a.ms {
		if a.lex.entries[n.entry].role != r || n.to > m.from || m.from-n.to > 3 {
			continue
		}
		if a.words[n.to-1].clause == a.words[m.from].clause {
			return n.entry
		}
	}
	return -1
}

// maxEvidenceText bounds the sentence quoted as evidence.
const maxEvidenceText = 280

// evidence quotes the sentence of el around m, with its input line.
func evidence(el *screenplay.Element, words []word, m match) Evidence {
	text := el.Text
	start, end := words[m.from].start, words[m.to-1].end
	s, e := 0, len(text)
	if el.Type != screenplay.SceneHeading {
		s, e = sentenceStart(text, start), sentenceEnd(text, end)
	}
	quote := oneSpace(text[s:e])
	if len(quote) > maxEvidenceText {
		quote = clipAround(quote, oneSpace(text[start:end]))
	}
	return Evidence{Line: el.LineAt(start), Text: quote, Match: oneSpace(text[start:end])}
}

func sentenceStart(text string, i int) int {
	for j := i - 1; j > 0; j-- {
		if (text[j-1] == '.' || text[j-1] == '!' || text[j-1] == '?') && (text[j] == ' ' || text[j] == '\n') {
			return j
		}
	}
	return 0
}

func sentenceEnd(text string, i int) int {
	for j := i; j < len(text); j++ {
		if text[j] == '.' || text[j] == '!' || text[j] == '?' {
			for j+1 < len(text) && (text[j+1] == '.' || text[j+1] == '!' || text[j+1] == '?' || text[j+1] == '"' || text[j+1] == ')') {
				j++
			}
			return j + 1
		}
	}
	return len(text)
}

// clipAround shortens a long quote to a window around the matched words.
func clipAround(quote, m string) string {
	k := strings.Index(quote, m)
	if k < 0 {
		k = 0
	}
	from := max(0, k-maxEvidenceText/2)
	to := min(len(quote), from+maxEvidenceText)
	for from > 0 && from < len(quote) && quote[from]&0xC0 == 0x80 {
		from++
	}
	for to < len(quote) && quote[to]&0xC0 == 0x80 {
		to++
	}
	out := quote[from:to]
	if from > 0 {
		out = "…" + out
	}
	if to < len(quote) {
		out += "…"
	}
	return out
}

// flagKey groups hits into flags: one per category, and one per kind of
// hyper-exposed material.
type flagKey struct {
	cat  Category
	kind string
}

// flags turns a scene's hits into flags.
func (a *analyzer) flags(sc *screenplay.Scene, hits []hit) (out []Flag) {
	if len(hits) == 0 {
		// A minor alone in a scene is no flag: nothing to protect them from.
		return []Flag{}
	}
	direct := map[flagKey][]hit{}
	context := map[Category][]hit{}
	var minorHits, handled, grabs, force []hit
	for _, h := range hits {
		switch {
		case h.e.role == roleContext:
			context[h.e.Category] = append(context[h.e.Category], h)
		case h.e.Category == SexualViolence && h.e.Qualifier == "touch":
			grabs = append(grabs, h)
		case h.e.Category == SexualViolence && h.e.Qualifier == "force":
			force = append(force, h)
		case h.e.Category == Minor && h.e.Qualifier != "":
			handled = append(handled, h)
		case h.e.Category == Minor:
			minorHits = append(minorHits, h)
		default:
			k := flagKey{cat: h.e.Category}
			if h.e.Category == HyperExposed {
				k.kind = h.e.Qualifier
			}
			direct[k] = append(direct[k], h)
		}
	}
	conf := map[flagKey]float64{}
	weak := false // a sign under the threshold, left out
	defer func() {
		if weak && len(out) == 0 {
			a.leftOut++
		}
	}()
	for k, hs := range direct {
		conf[k] = noisyOr(1, hs)
	}
	nudity, touch := flagKey{cat: Nudity}, flagKey{cat: IntimateTouch}
	sv, sex := flagKey{cat: SexualViolence}, flagKey{cat: SimulatedSex}
	if len(grabs) > 0 {
		// A grab of the breasts or buttocks between lovers (they kiss or
		// have sex, and no one refuses) is intimate touch; otherwise it is
		// assault (issue 14).
		k := sv
		lovers := conf[flagKey{cat: Kissing}] >= a.threshold || conf[sex] >= a.threshold
		if lovers && len(context[SexualViolence]) == 0 && conf[sv] < a.threshold {
			k = touch
		}
		direct[k] = append(direct[k], grabs...)
		conf[k] = noisyOr(1, direct[k])
	}
	if len(force) > 0 {
		// Force on a body (pinned, a hand over the mouth) is assault, but
		// in a fight (a strangling, a beating) with nothing sexual in the
		// scene (sex, undress, a kiss or touch, another sign of assault, a
		// refusal) it is the fight's: violence at close quarters.
		violence := flagKey{cat: HyperExposed, kind: "violence"}
		k := sv
		if conf[violence] >= a.threshold && len(context[SexualViolence]) == 0 &&
			!slices.ContainsFunc([]flagKey{sv, sex, nudity, touch, {cat: Kissing}}, func(c flagKey) bool { return conf[c] >= a.threshold }) {
			k = violence
		}
		direct[k] = append(direct[k], force...)
		conf[k] = noisyOr(1, direct[k])
	}
	// Context strengthens evidence of its own category, and a scene that
	// already shows undressing or intimate touch lends support to the
	// categories its setting suggests (a bedroom at night after undressing).
	// The setting lends support on the undressing the scene's own words
	// show, before its context adds to it: taken after, the report would
	// hang on the order of this loop.
	shownNude := conf[nudity]
	for _, cat := range Categories {
		hs, ok := context[cat]
		if !ok {
			continue
		}
		k := flagKey{cat: cat}
		c, ok := conf[k]
		ctx := noisyOr(1, hs)
		switch {
		case ok:
			conf[k] = 1 - (1-c)*(1-ctx)
			direct[k] = append(direct[k], hs...)
		case cat == SimulatedSex && shownNude >= a.threshold && nightInBed(sc, hs):
			// No word for it, but the setting says it: undressing in a
			// bedroom at night. Both are quoted.
			conf[k] = 1 - (1-ctx)*(1-shownNude*0.5)
			direct[k] = append(append(direct[k], hs...), direct[nudity]...)
		}
	}
	// A body undressed where a doctor or nurse examines it is a medical
	// exposure the IC plans (issue 14), in whatever words; where a clinic
	// is the setting, a needle or a drip is more surely a procedure.
	if clinic := kindOf(context[HyperExposed], "medical"); len(clinic) > 0 {
		medical := flagKey{cat: HyperExposed, kind: "medical"}
		c := noisyOr(1, clinic)
		switch {
		case conf[medical] > 0:
			conf[medical] = 1 - (1-conf[medical])*(1-c)
			direct[medical] = append(direct[medical], clinic...)
		case shownNude >= a.threshold:
			conf[medical] = 1 - (1-c)*(1-shownNude*0.5)
			direct[medical] = append(append(direct[medical], clinic...), direct[nudity]...)
		}
	}
	// In a sex scene, weak signs of undress ("under the sheet") are enough
	// to plan for nudity; with none, and nothing saying they stay
	// dressed, an IC still plans for implied nudity (issue 14).
	// Sex alone (self-pleasure) or on a screen in the room is neither: no
	// partner's touch, often under the covers; and a moan is no partner.
	partnered := slices.ContainsFunc(direct[sex], func(h hit) bool { return between(h, 0.6) })
	if conf[sex] >= a.threshold && conf[nudity] < a.threshold && partnered {
		switch {
		case conf[nudity] > 0:
			conf[nudity] = 1 - (1-conf[nudity])*(1-0.3)
		case conf[sex] >= 0.8 && !clothedIn(sc):
			conf[nudity] = 0.55
			direct[nudity] = append(direct[nudity], direct[sex]...)
		}
	}
	// Simulated sex shown on screen is intimate touch too: the IC plans the
	// contact as well as the act. Context alone does not carry it over.
	if conf[sex] >= a.threshold {
		var shown []hit
		for _, h := range direct[sex] {
			if between(h, 0.6) {
				shown = append(shown, h)
			}
		}
		if len(shown) > 0 {
			conf[touch] = math.Max(conf[touch], conf[sex]*0.9)
			direct[touch] = append(direct[touch], shown...)
		}
	}
	// Violence on a body in a scene of sex is sexualised violence: the IC
	// plans it as such (issue 14), whatever word the script avoided. In a
	// scene of undress alone it is violence on an exposed body, which the
	// nudity and violence flags already say (a fight after a tryst).
	violence := flagKey{cat: HyperExposed, kind: "violence"}
	if conf[sv] < a.threshold && conf[violence] >= a.threshold {
		if c := conf[sex]; c >= a.threshold {
			conf[sv] = math.Min(c, conf[violence]) * 0.9
			direct[sv] = append(append(append([]hit(nil), direct[violence]...), direct[sex]...), direct[nudity]...)
		}
	}
	// Undress under a threat (a weapon trained on someone, an order, a
	// punishment) is a body stripped by force: sexual violence (issue 14),
	// whatever word the script avoided, and violence on an exposed body.
	if threat := kindOf(context[SexualViolence], "threat"); len(threat) > 0 && conf[sv] < a.threshold && conf[nudity] >= a.threshold {
		c := 1 - (1-conf[nudity]*0.9)*(1-noisyOr(1, threat))
		conf[sv] = c
		direct[sv] = append(append(direct[sv], threat...), direct[nudity]...)
		if conf[violence] < a.threshold {
			conf[violence] = max(conf[violence], c*0.9)
			direct[violence] = append(append(direct[violence], threat...), direct[nudity]...)
		}
	}
	for _, cat := range Categories {
		if cat == Minor {
			continue
		}
		for _, k := range keysOf(direct, cat) {
			if conf[k] < a.threshold {
				if conf[k] >= a.threshold/2 {
					weak = true
				}
				continue
			}
			out = append(out, a.flag(k, conf[k], direct[k], sc))
		}
	}
	if f, byHandling, ok := a.minorFlag(sc, out, minorHits, handled); ok {
		// A child picked up or held by an adult is intimate touch as well
		// (DOMAIN.md), whatever else the scene holds; a kiss on the
		// forehead is not, nor a parent holding their own child (a kiss on
		// the forehead as they hold it says as much).
		held := slices.DeleteFunc(slices.Clone(handled), func(h hit) bool { return h.e.Qualifier != "handled" })
		family := slices.ContainsFunc(handled, func(h hit) bool { return h.e.Qualifier == "family" || h.e.Qualifier == "kissed" })
		if byHandling && len(held) > 0 && !family && !hasCategory(out, IntimateTouch) {
			t := Flag{Category: IntimateTouch, Confidence: f.Confidence, Evidence: evidenceOf(held)}
			t.Characters = a.charactersIn(IntimateTouch, t.Evidence, sc)
			out = append(out, t)
			slices.SortStableFunc(out, func(a, b Flag) int {
				return cmp.Compare(slices.Index(Categories, a.Category), slices.Index(Categories, b.Category))
			})
		}
		out = append(out, f)
	} else if !hasCategory(out, Kissing) {
		// With no child there, a kiss on the forehead or a cheek is a
		// light kiss between adults: friends or lovers, flagged at its
		// own low confidence for the IC to judge.
		var kissed []hit
		for _, h := range handled {
			if h.e.Qualifier == "kissed" {
				kissed = append(kissed, h)
			}
		}
		if c := noisyOr(1, kissed); c >= a.threshold {
			k := Flag{Category: Kissing, Confidence: round2(c), Evidence: evidenceOf(kissed)}
			k.Characters = a.charactersIn(Kissing, k.Evidence, sc)
			k.Situation = "a kiss on the forehead or cheek, no child in the scene"
			out = append(out, k)
			slices.SortStableFunc(out, func(a, b Flag) int {
				return cmp.Compare(slices.Index(Categories, a.Category), slices.Index(Categories, b.Category))
			})
		}
	}
	if out == nil {
		return []Flag{}
	}
	return out
}

// kindOf returns the hits of entries of one qualifier.
func kindOf(hs []hit, q string) []hit {
	var out []hit
	for _, h := range hs {
		if h.e.Qualifier == q {
			out = append(out, h)
		}
	}
	return out
}

// between reports a hit of sex between partners on set, at least as sure
// as min: not self-pleasure nor a film playing in the room.
func between(h hit, min float64) bool {
	return h.e.role == roleFlag && h.e.Qualifier != "solo" && h.e.Qualifier != "video" && h.weight >= min
}

// keysOf returns the flag keys of one category, kinds in a stable order.
func keysOf(m map[flagKey][]hit, cat Category) []flagKey {
	var ks []flagKey
	for k := range m {
		if k.cat == cat {
			ks = append(ks, k)
		}
	}
	slices.SortFunc(ks, func(a, b flagKey) int { return strings.Compare(a.kind, b.kind) })
	return ks
}

// noisyOr combines independent pieces of evidence: the chance that at least
// one of them is right. One lexicon entry found again and again is one
// piece of evidence, at its strongest: "blood" five times in a battle is
// no more a wound on a body than once.
func noisyOr(scale float64, hs []hit) float64 {
	// The best weight of each entry, multiplied in order of first hit:
	// float products depend on their order, and a report must not change
	// from one run to the next.
	type best struct {
		e *Entry
		w float64
	}
	var buf [16]best
	bs := buf[:0]
	var at map[*Entry]int // past a handful of entries, an index
hits:
	for _, h := range hs {
		if at != nil {
			if k, ok := at[h.e]; ok {
				bs[k].w = max(bs[k].w, h.weight)
				continue
			}
			at[h.e] = len(bs)
		} else {
			for k := range bs {
				if bs[k].e == h.e {
					bs[k].w = max(bs[k].w, h.weight)
					continue hits
				}
			}
			if len(bs) == len(buf) {
				at = make(map[*Entry]int, 2*len(buf))
				for k, b := range bs {
					at[b.e] = k
				}
				at[h.e] = len(bs)
			}
		}
		bs = append(bs, best{h.e, h.weight})
	}
	p := 1.0
	for _, b := range bs {
		p *= 1 - math.Min(1, b.w*scale)
	}
	return 1 - p
}

var levelRank = map[string]int{"": 0, "implied": 1, "partial": 2, "full": 3}

func (a *analyzer) flag(k flagKey, conf float64, hs []hit, sc *screenplay.Scene) Flag {
	f := Flag{Category: k.cat, Kind: k.kind, Confidence: round2(conf)}
	areas := map[string]bool{}
	for _, h := range hs {
		if k.cat == Nudity && h.e.role != roleContext {
			if levelRank[h.e.Qualifier] > levelRank[f.Level] {
				f.Level = h.e.Qualifier
			}
			if h.e.Area != "" && !areas[h.e.Area] {
				areas[h.e.Area] = true
				f.Areas = append(f.Areas, h.e.Area)
			}
		}
	}
	if k.cat == Nudity && f.Level == "" {
		f.Level = "implied"
	}
	f.Evidence = evidenceOf(hs)
	f.Characters = a.charactersIn(k.cat, f.Evidence, sc)
	return f
}

// maxEvidence bounds the lines quoted for one flag.
const maxEvidence = 8

// evidenceOf lists the distinct lines of hits, strongest first and then in
// script order, at most maxEvidence.
func evidenceOf(hs []hit) []Evidence {
	sorted := append([]hit(nil), hs...)
	slices.SortStableFunc(sorted, func(a, b hit) int {
		if c := cmp.Compare(b.weight, a.weight); c != 0 {
			return c
		}
		return cmp.Compare(a.ev.Line, b.ev.Line)
	})
	var out []Evidence
	seen := map[string]bool{}
	for _, h := range sorted {
		key := h.ev.Text
		if seen[key] || h.weight == 0 {
			continue
		}
		seen[key] = true
		out = append(out, h.ev)
		if len(out) == maxEvidence {
			break
		}
	}
	slices.SortStableFunc(out, byLine)
	return out
}

// nightInBed reports a scene set at night in a bedroom (or a motel room),
// its heading among the context hits, with more than one character there.
func nightInBed(sc *screenplay.Scene, ctx []hit) bool {
	// One body alone, undressed in bed, is no partner's act.
	if len(sc.Present) == 1 || !strings.Contains(strings.ToUpper(sc.Time), "NIGHT") {
		return false
	}
	for _, h := range ctx {
		if h.ev.Line == sc.Line {
			return true
		}
	}
	return false
}

func hasCategory(flags []Flag, c Category) bool {
	return slices.ContainsFunc(flags, func(f Flag) bool { return f.Category == c })
}

func byLine(a, b Evidence) int { return cmp.Compare(a.Line, b.Line) }

func round2(x float64) float64 { return math.Round(x*100) / 100 }

// undress is who was last seen undressed, and where: nudity carried from
// scene to scene while the story runs on without a cut in time.
type undress struct {
	from  int      // the scene it was seen in
	names []string // who
	ev    Evidence // the line that showed it, copied
	// intExt, place and time are the last scene's heading's, copied: the
	// next scene at the same place and time of day runs on from it.
	intExt, place, time string
}

// continuous reports a scene that follows the one before without a jump
// in time, as its heading says: CONTINUOUS, MOMENTS LATER, SAME. The same
// place alone is not enough: a bedroom is slept in night after night.
func continuous(sc *screenplay.Scene) bool {
	t := strings.ToUpper(sc.Time + " " + sc.Heading)
	for _, w := range []string{"CONTINUOUS", "MOMENTS LATER", "SECONDS LATER", "SAME", "CONTINUED", "SIMULTANEOUS"} {
		if strings.Contains(t, w) {
			return true
		}
	}
	return false
}

// dressedWords end a carried undress: someone dresses, or the scene says
// what they wear.
var dressedWords = []string{"dresses", "dressed", "puts on", "pulls on", "pull on", "put on", "buttons", "zips up", "wearing", "in a robe", "in his robe", "in her robe", "clothes on"}

// carryUndress carries nudity into a scene that runs on from one where
// characters were undressed (the sheet over them after the act, the
// towel still on), as an IC reads it: implied nudity, low confidence,
// quoting the line that showed it. It returns what carries on.
func (a *analyzer) carryUndress(sc *screenplay.Scene, out *Scene, prev undress) undress {
	if f := flagOf(out.Flags, Nudity); f != nil {
		names := f.Characters
		if len(names) == 0 {
			names = out.Present
		}
		// Only a body shown undressed carries, never a setting alone.
		var ev []Evidence
		for _, e := range f.Evidence {
			if e.Line != sc.Line {
				ev = append(ev, e)
			}
		}
		if len(names) > 0 && len(ev) > 0 && f.Confidence >= 0.6 {
			e := ev[0]
			e.Text, e.Match = strings.Clone(e.Text), strings.Clone(e.Match)
			u := undress{from: sc.Index, names: cloneAll(names), ev: e}
			u.at(sc)
			return u
		}
		return undress{}
	}
	if prev.names == nil || !runsOn(prev.intExt, prev.place, prev.time, sc) {
		return undress{}
	}
	var still []string
	for _, n := range prev.names {
		if slices.Contains(out.Present, n) {
			still = append(still, n)
		}
	}
	if len(still) == 0 || dressesIn(sc) {
		return undress{}
	}
	ev := prev.ev
	ev.Text = fmt.Sprintf("still undressed from scene %d: %s", prev.from, ev.Text)
	addFlag(out, Flag{Category: Nudity, Level: "implied", Confidence: 0.55, Evidence: []Evidence{ev}, Characters: still,
		Situation: fmt.Sprintf("carried: undressed in scene %d, the story runs on without a cut", prev.from)})
	prev.names = still
	prev.at(sc)
	return prev
}

// at notes the heading of the scene the undress was last seen in.
func (u *undress) at(sc *screenplay.Scene) {
	u.intExt = strings.Clone(sc.IntExt)
	u.place, u.time = strings.Clone(strings.TrimSpace(sc.Location)), strings.Clone(strings.TrimSpace(sc.Time))
}

// dressesIn reports an action line of the scene in which someone dresses.
func dressesIn(sc *screenplay.Scene) bool {
	for _, e := range sc.Elements {
		if e.Type != screenplay.Action {
			continue
		}
		t := strings.ToLower(e.Text)
		for _, w := range dressedWords {
			if strings.Contains(t, w) {
				return true
			}
		}
	}
	return false
}

func cloneAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = strings.Clone(s)
	}
	return out
}

func flagOf(flags []Flag, c Category) *Flag {
	for i := range flags {
		if flags[i].Category == c {
			return &flags[i]
		}
	}
	return nil
}

// maskQuoted returns text with what stands between paired quotation marks
// ("…" or “…”) blanked, byte for byte, so that offsets into it are
// offsets into text. An unpaired mark masks nothing.
func maskQuoted(text string) string {
	// Two byte searches: ContainsAny with a non-ASCII quote decodes
	// every rune of the text.
	if strings.IndexByte(text, '"') < 0 && !strings.Contains(text, "“") {
		return text
	}
	b := []byte(text)
	masked := false
	for i := 0; i < len(b); {
		var end int
		switch {
		case b[i] == '"':
			end = strings.IndexByte(text[i+1:], '"')
			if end >= 0 {
				end += i + 1
			}
		case strings.HasPrefix(text[i:], "“"):
			end = strings.Index(text[i+len("“"):], "”")
			if end >= 0 {
				end += i + len("“")
			}
		default:
			i++
			continue
		}
		if end < 0 {
			break
		}
		for j := i; j < end; j++ {
			b[j] = ' '
		}
		masked = true
		i = end + 1
	}
	if !masked {
		return text
	}
	return string(b)
}

// clothedWords say that a scene's lovers stay dressed.
var clothedWords = []string{"clothes on", "clothes still on", "fully clothed", "fully dressed", "still dressed", "still clothed",
	"through their clothes", "over their clothes", "through his clothes", "through her clothes", "dress still on", "clothed"}

// clothedIn reports an action line of the scene saying someone stays dressed.
func clothedIn(sc *screenplay.Scene) bool {
	for _, e := range sc.Elements {
		if e.Type != screenplay.Action {
			continue
		}
		t := strings.ToLower(e.Text)
		if slices.ContainsFunc(clothedWords, func(w string) bool { return strings.Contains(t, w) }) {
			return true
		}
	}
	return false
}

// oneSpace is strings.Join(strings.Fields(s), " "), without a copy when s
// is already so (most quotes of a line are), and in one when it is ASCII.
func oneSpace(s string) string {
	clean := len(s) == 0 || s[0] != ' ' && s[len(s)-1] != ' '
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= utf8.RuneSelf:
			return strings.Join(strings.Fields(s), " ") // Unicode spaces
		case c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r' || c == ' ' && i > 0 && s[i-1] == ' ':
			clean = false
		}
	}
	if clean {
		return s
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r' || c == ' ' {
			if len(b) > 0 && b[len(b)-1] != ' ' {
				b = append(b, ' ')
			}
			continue
		}
		b = append(b, c)
	}
	return strings.TrimSuffix(string(b), " ")
}
