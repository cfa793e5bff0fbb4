// Package breakdown finds the scenes of a screenplay an intimacy coordinator
// must see: kissing, intimate touch, nudity, simulated sex, sexual violence,
// hyper-exposed material and minors. Every flag carries the lines that
// raised it.
//
// It reads like an IC: what is filmed is in action lines, parentheticals and
// headings, so dialogue is never evidence; negations ("they do not touch")
// and false friends ("naked ambition", a band called KISS) void a match. The
// words are data (lexicon.tsv, embedded), reviewed and extendable per run.
// Recall matters more than precision: a missed scene is a performer
// unprotected, so doubtful evidence is flagged with a lower confidence
// rather than dropped.
package breakdown

import (
	"closedset/screenplay"
	"strings"
)

// Category is a kind of intimate or hyper-exposed content.
type Category string

// The categories, as in DESIGN.md.
const (
	Kissing        Category = "kissing"
	IntimateTouch  Category = "intimate_touch"
	Nudity         Category = "nudity"
	SimulatedSex   Category = "simulated_sex"
	SexualViolence Category = "sexual_violence"
	HyperExposed   Category = "hyper_exposed"
	Minor          Category = "minor"
)

// Categories lists every category in report order.
var Categories = []Category{Kissing, IntimateTouch, Nudity, SimulatedSex, SexualViolence, HyperExposed, Minor}

func (c Category) valid() bool {
	for _, k := range Categories {
		if c == k {
			return true
		}
	}
	return false
}

func categoryNames() []string {
	out := make([]string, len(Categories))
	for i, c := range Categories {
		out[i] = string(c)
	}
	return out
}

// Breakdown is the intimacy breakdown of one script.
type Breakdown struct {
	Title   string            `json:"title"`
	Format  screenplay.Format `json:"format"`
	Scenes  []Scene           `json:"scenes"`
	Summary Summary           `json:"summary"`
}

// Scene is one scene with its flags.
type Scene struct {
	Index   int    `json:"index"`
	Number  string `json:"number"`
	Heading string `json:"heading"`
	Line    int    `json:"line"`
	Page    int    `json:"page"`
	Eighths int    `json:"eighths"`
	// Characters is Present, under the name the JSON has always had.
	Characters []string `json:"characters"`
	// Speaking are the characters with a line in the scene (its cues).
	Speaking []string `json:"speaking"`
	// Present are the characters in the scene, speaking or not
	// (screenplay.Scene.Present).
	Present []string `json:"present"`
	Flags   []Flag   `json:"flags"`
	NeedsIC bool     `json:"needs_ic"`
}

// Flag is one category found in a scene.
type Flag struct {
	Category Category `json:"category"`
	// Level is the degree of nudity: implied, partial or full.
	Level string `json:"level,omitempty"`
	// Kind is the kind of hyper-exposed material: medical, death, birth,
	// bathing, bodily or violence.
	Kind string `json:"kind,omitempty"`
	// Areas are the body areas the evidence names (breasts, buttocks,
	// genitals).
	Areas      []string   `json:"areas,omitempty"`
	Confidence float64    `json:"confidence"`
	Evidence   []Evidence `json:"evidence"`
	Characters []string   `json:"characters"`
	// Situation says in a few words what raised the flag, as an IC would
	// put it: "setting: strip club; shown: lap dance".
	Situation string `json:"situation,omitempty"`
}

// Evidence is a line of the input that raised a flag.
type Evidence struct {
	Line int    `json:"line"` // 1-based line of the input (of the extracted text for a PDF)
	Text string `json:"text"` // the sentence, as written
	// Match is the words of Text that matched, for highlighting.
	Match string `json:"match"`
}

// Summary counts what the breakdown found.
type Summary struct {
	Scenes         int              `json:"scenes"`
	Flagged        int              `json:"flagged"`
	FlaggedEighths int              `json:"flagged_eighths"`
	ByCategory     map[Category]int `json:"by_category"`
	// Minors are the characters under 18 in flagged scenes.
	Minors []string `json:"minors"`
	// Threshold is the confidence a flag needed; LeftOut counts the
	// scenes with a weaker sign (at least half of it) and no flag, so an
	// IC knows what a lower threshold would add.
	Threshold float64 `json:"threshold"`
	LeftOut   int     `json:"left_out"`
}

// Options tunes an analysis.
type Options struct {
	// Lexicon is the word list; nil means DefaultLexicon.
	Lexicon *Lexicon
	// Threshold is the confidence at which a category is flagged; 0
	// means Threshold. A production lowers it to see more.
	Threshold float64
}

// Threshold is the confidence at which a category is flagged. Low on
// purpose: an IC would rather dismiss a flag than miss a scene.
const Threshold = 0.5

// Detached returns sc with copies of its strings: a scene kept after a
// streamed walk (screenplay.Stream) must not keep the window of the file
// its quotes were read from. Lists are copied with them.
func (sc Scene) Detached() Scene {
	strs := func(in []string) []string {
		if in == nil {
			return nil
		}
		out := make([]string, len(in))
		for i, s := range in {
			out[i] = strings.Clone(s)
		}
		return out
	}
	sc.Number, sc.Heading = strings.Clone(sc.Number), strings.Clone(sc.Heading)
	sc.Characters, sc.Speaking, sc.Present = strs(sc.Characters), strs(sc.Speaking), strs(sc.Present)
	if sc.Flags != nil {
		flags := make([]Flag, len(sc.Flags))
		for i, f := range sc.Flags {
			f.Areas, f.Characters, f.Situation = strs(f.Areas), strs(f.Characters), strings.Clone(f.Situation)
			if f.Evidence != nil {
				ev := make([]Evidence, len(f.Evidence))
				for k, e := range f.Evidence {
					ev[k] = Evidence{Line: e.Line, Text: strings.Clone(e.Text), Match: strings.Clone(e.Match)}
				}
				f.Evidence = ev
			}
			flags[i] = f
		}
		sc.Flags = flags
	}
	return sc
}
