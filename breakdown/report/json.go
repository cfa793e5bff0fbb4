package report

import (
	"encoding/json"
	"io"

	"closedset/breakdown"
)

// WriteJSON writes b as the Breakdown JSON contract of DESIGN.md, indented.
// Nil lists are written as [] so a reader never has to tell null from
// empty: every scene has "characters" (who is present, as "present"),
// "speaking", "present" and "flags", flagged or not.
func WriteJSON(w io.Writer, b *breakdown.Breakdown) error {
	out := *b
	out.Scenes = make([]breakdown.Scene, len(b.Scenes))
	for i, sc := range b.Scenes {
		sc.Characters = nonNil(sc.Characters)
		sc.Speaking = nonNil(sc.Speaking)
		sc.Present = nonNil(sc.Present)
		if sc.Flags == nil {
			sc.Flags = []breakdown.Flag{}
		}
		flags := make([]breakdown.Flag, len(sc.Flags))
		for j, f := range sc.Flags {
			f.Characters = nonNil(f.Characters)
			if f.Evidence == nil {
				f.Evidence = []breakdown.Evidence{}
			}
			flags[j] = f
		}
		sc.Flags = flags
		out.Scenes[i] = sc
	}
	if out.Summary.ByCategory == nil {
		out.Summary.ByCategory = map[breakdown.Category]int{}
	}
	out.Summary.Minors = nonNil(out.Summary.Minors)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(&out)
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
