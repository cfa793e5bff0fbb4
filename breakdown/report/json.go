package report

import (
	"bufio"
	"encoding/json"
	"io"

	"closedset/breakdown"
)

// WriteJSON writes b as the Breakdown JSON contract of DESIGN.md, indented.
// Nil lists are written as [] so a reader never has to tell null from
// empty: every scene has "characters" (who is present, as "present"),
// "speaking", "present" and "flags", flagged or not.
//
// The document is written one scene at a time, the same bytes an indenting
// json.Encoder gives for the whole: a dense 20 MB script's report is some
// 180 MB, and encoding it whole held it in memory twice. Its values cannot
// fail to encode (strings, counts and rounded finite confidences), so only
// a failing writer leaves it short.
func WriteJSON(w io.Writer, b *breakdown.Breakdown) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	bw.WriteString("{\n  \"title\": ")
	if err := writeJSONValue(bw, "", b.Title); err != nil {
		return err
	}
	bw.WriteString(",\n  \"format\": ")
	if err := writeJSONValue(bw, "", b.Format); err != nil {
		return err
	}
	bw.WriteString(",\n  \"scenes\": [")
	for i, sc := range b.Scenes {
		if i > 0 {
			bw.WriteByte(',')
		}
		bw.WriteString("\n    ")
		if err := writeJSONValue(bw, "    ", contractScene(sc)); err != nil {
			return err
		}
	}
	if len(b.Scenes) > 0 {
		bw.WriteString("\n  ")
	}
	bw.WriteString("],\n  \"summary\": ")
	sum := b.Summary
	if sum.ByCategory == nil {
		sum.ByCategory = map[breakdown.Category]int{}
	}
	sum.Minors = nonNil(sum.Minors)
	if err := writeJSONValue(bw, "  ", sum); err != nil {
		return err
	}
	bw.WriteString("\n}\n")
	return bw.Flush()
}

// contractScene is sc with every list of the contract non-nil.
func contractScene(sc breakdown.Scene) breakdown.Scene {
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
	return sc
}

// writeJSONValue writes v indented by two spaces a level, its lines after
// the first starting with prefix: a value nested at that depth.
func writeJSONValue(w *bufio.Writer, prefix string, v any) error {
	data, err := json.MarshalIndent(v, prefix, "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(data)
	return err
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
