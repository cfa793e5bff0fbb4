package breakdown

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"closedset/screenplay"
)

// States carried from scene to scene (issue 14): a body an IC plans for
// stays so across a cut while the story runs on, and a script seldom says
// it again. The walker sees scenes one at a time, in order, and carries
// only what it has seen; what it keeps is copied out of the scene, whose
// text points into a window of the file that is let go.

// jumpWords in a heading say that time has passed since the scene before:
// a carried state has ended, or may have.
var jumpWords = []string{"NEXT DAY", "NEXT MORNING", "NEXT NIGHT", "NEXT EVENING", "NEXT AFTERNOON", "THE NEXT", "FOLLOWING",
	"ANOTHER DAY", "TOMORROW", "HOURS LATER", "DAY LATER", "DAYS LATER", "WEEK LATER", "WEEKS LATER", "MONTH LATER", "MONTHS LATER",
	"YEAR LATER", "YEARS LATER", "AGO", "EARLIER", "PRESENT DAY", "FLASHBACK", "FLASH BACK", "DREAM", "MEMORY", "THE PAST", "MONTAGE"}

// timeJump reports a heading that says time has passed, or another time
// is shown.
func timeJump(sc *screenplay.Scene) bool {
	t := strings.ToUpper(sc.Time + " " + sc.Heading)
	return slices.ContainsFunc(jumpWords, func(w string) bool { return strings.Contains(t, w) })
}

// dayPart ranks a heading's time of day, from dawn (1) to night (4); 0
// when it names none. A part earlier than the last one seen is a new day.
func dayPart(sc *screenplay.Scene) int {
	t := strings.ToUpper(sc.Time)
	switch {
	case strings.Contains(t, "DAWN") || strings.Contains(t, "MORNING") || strings.Contains(t, "SUNRISE"):
		return 1
	case strings.Contains(t, "DAY") || strings.Contains(t, "AFTERNOON") || strings.Contains(t, "NOON"):
		return 2
	case strings.Contains(t, "DUSK") || strings.Contains(t, "EVENING") || strings.Contains(t, "SUNSET") || strings.Contains(t, "TWILIGHT"):
		return 3
	case strings.Contains(t, "NIGHT"):
		return 4
	}
	return 0
}

// runsOn reports a scene that follows the one before (its heading's
// interior or exterior, place and time),
// without a jump in time: its heading says so (CONTINUOUS, MOMENTS LATER,
// SAME), or it is in the same building LATER, or in the same room at the
// same time of day.
func runsOn(intExt, place, time string, sc *screenplay.Scene) bool {
	if timeJump(sc) {
		return false
	}
	if continuous(sc) {
		return true
	}
	t := strings.ToUpper(strings.TrimSpace(sc.Time))
	if t == "NEXT" || strings.Contains(t, "LATER") {
		return samePlace(place, sc.Location)
	}
	// The same room at the same time of day (or none said): the scene
	// before, cut in two.
	return place != "" && intExt == sc.IntExt && strings.EqualFold(place, strings.TrimSpace(sc.Location)) && (t == "" || strings.EqualFold(time, t))
}

// samePlace reports two headings' locations in one building: the same
// first part (WINTER PALACE - HALLWAY, WINTER PALACE - BEDROOM), or one
// the start of the other (RESIDENCE, RESIDENCE KITCHEN).
func samePlace(a, b string) bool {
	a, b = building(a), building(b)
	if a == "" || b == "" {
		return false
	}
	if len(a) > len(b) {
		a, b = b, a
	}
	return strings.EqualFold(a, b) || len(b) > len(a) && strings.EqualFold(a, b[:len(a)]) && b[len(a)] == ' '
}

// building is a location's first part, before a dash, slash or comma.
func building(loc string) string {
	if k := strings.IndexAny(loc, "/,–-"); k >= 0 {
		loc = loc[:k]
	}
	return strings.TrimSpace(loc)
}

// labour is who was last seen in labour: the birth runs on from scene to
// scene until the baby is born or time jumps.
type labour struct {
	from int      // the scene she was first seen in labour
	last int      // the last scene that said so in words
	name string   // who
	ev   Evidence // the line that showed it, copied
	part int      // the part of the day last seen
}

// labourWords, in a line flagged birth, say a birth is under way, not yet
// done; bornWords say it is done.
var (
	labourWords = []string{"contraction", "in labor", "in labour", "labouring", "laboring", "labor pains", "labour pains",
		"water broke", "waters broke", "water breaks", "waters break", "waters have broken", "down her leg", "dilat", "push", "crowning"}
	bornWords = []string{"is born", "was born", "been born", "newborn", "new born", "umbilical", "cuts the cord", "cut the cord",
		"placenta", "afterbirth", "first cry", "first breath", "delivers the baby", "baby is delivered", "gives birth", "gave birth", "baby cries", "baby wails"}
)

// labourSpan is how many scenes a labour carries past the last that
// showed it in words: a birth takes hours, not a film.
const labourSpan = 12

// carryLabour carries a birth under way into the following scenes where
// the woman in labour is present (issue 14), as hyper-exposed birth, until
// the baby is born, a day passes or another time is shown. It returns
// what carries on.
func (a *analyzer) carryLabour(sc *screenplay.Scene, out *Scene, prev labour) labour {
	born := textHas(sc, bornWords)
	if part := dayPart(sc); part != 0 && !flashback(sc.Heading) {
		if prev.part != 0 && part < prev.part && prev.name != "" {
			prev = labour{} // a new day
		}
		prev.part = part
	}
	if f := flagOfKind(out.Flags, HyperExposed, "birth"); f != nil {
		if born {
			return labour{}
		}
		for _, ev := range f.Evidence {
			if ev.Line == sc.Line || !hasAny(strings.ToLower(ev.Text), labourWords) {
				continue
			}
			name, from := a.nameNear(ev), prev.from
			if name == "" {
				name = prev.name
			}
			if name == "" {
				continue
			}
			if name != prev.name {
				from = sc.Index
			}
			ev.Text, ev.Match = strings.Clone(ev.Text), strings.Clone(ev.Match)
			return labour{from: from, last: sc.Index, name: name, ev: ev, part: prev.part}
		}
		return prev
	}
	switch {
	case prev.name == "":
		return prev
	case sc.Index-prev.last > labourSpan:
		return labour{}
	case flashback(sc.Heading):
		return prev // another time: she is in labour when it ends
	case timeJump(sc):
		return labour{}
	}
	if !slices.Contains(out.Present, prev.name) {
		return prev
	}
	ev := prev.ev
	ev.Text = fmt.Sprintf("in labour since scene %d: %s", prev.from, ev.Text)
	addFlag(out, Flag{Category: HyperExposed, Kind: "birth", Confidence: 0.6, Evidence: []Evidence{ev}, Characters: []string{prev.name},
		Situation: fmt.Sprintf("carried: in labour since scene %d", prev.from)})
	if born {
		return labour{}
	}
	return prev
}

// nameNear returns the character named nearest the matched words of ev
// (Mary in "Tim helps Mary through a contraction"), or "".
func (a *analyzer) nameNear(ev Evidence) string {
	at := strings.Index(ev.Text, ev.Match)
	best, dist := "", len(ev.Text)+1
	a.namesAt(ev.Text, func(n string, k, _ int) {
		if d := max(k-at, at-k); !genericName[n] && d < dist {
			best, dist = n, d
		}
	})
	return best
}

// addFlag adds a carried flag to a scene, in the order of Categories.
func addFlag(out *Scene, f Flag) {
	out.Flags = append(out.Flags, f)
	slices.SortStableFunc(out.Flags, func(x, y Flag) int {
		return cmp.Compare(slices.Index(Categories, x.Category), slices.Index(Categories, y.Category))
	})
	out.NeedsIC = true
}

func flagOfKind(flags []Flag, c Category, kind string) *Flag {
	for i := range flags {
		if flags[i].Category == c && flags[i].Kind == kind {
			return &flags[i]
		}
	}
	return nil
}

// textHas reports an action line or parenthetical of the scene with one
// of words (lower case) in it.
func textHas(sc *screenplay.Scene, words []string) bool {
	for _, e := range sc.Elements {
		if e.Type != screenplay.Action && e.Type != screenplay.Parenthetical {
			continue
		}
		if hasAny(strings.ToLower(e.Text), words) {
			return true
		}
	}
	return false
}

func hasAny(t string, words []string) bool {
	return slices.ContainsFunc(words, func(w string) bool { return strings.Contains(t, w) })
}
