package report

import (
	"bufio"
	"encoding/json"
	"io"
	"strings"

	"closedset/breakdown"
	"closedset/screenplay"
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
	return writeJSON(w, b.Title, b.Format, func(emit func(breakdown.Scene) error) (breakdown.Summary, error) {
		for _, sc := range b.Scenes {
			if err := emit(sc); err != nil {
				return breakdown.Summary{}, err
			}
		}
		return b.Summary, nil
	})
}

// StreamJSON breaks down the script of st (opened with w.Learn as its
// first pass) and writes it as WriteJSON does, each scene as soon as it
// is analysed: neither the script nor its breakdown is ever held whole.
func StreamJSON(out io.Writer, st *screenplay.Stream, w *breakdown.Walker) error {
	title := strings.ReplaceAll(st.TitleValue("title"), "\n", " ")
	return writeJSON(out, title, st.Format, func(emit func(breakdown.Scene) error) (breakdown.Summary, error) {
		b, err := w.WalkStream(st, emit)
		if err != nil {
			return breakdown.Summary{}, err
		}
		return b.Summary, nil
	})
}

// writeJSON writes the document: title and format, the scenes walk gives
// (a scene written as soon as it is given), then the summary it returns.
func writeJSON(w io.Writer, title string, format screenplay.Format, walk func(emit func(breakdown.Scene) error) (breakdown.Summary, error)) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	bw.WriteString("{\n  \"title\": ")
	if err := writeJSONValue(bw, "", title); err != nil {
		return err
	}
	bw.WriteString(",\n  \"format\": ")
	if err := writeJSONValue(bw, "", format); err != nil {
		return err
	}
	bw.WriteString(",\n  \"scenes\": [")
	n := 0
	sum, err := walk(func(sc breakdown.Scene) error {
		if n > 0 {
			bw.WriteByte(',')
		}
		n++
		bw.WriteString("\n    ")
		return writeJSONValue(bw, "    ", contractScene(sc))
	})
	if err != nil {
		return err
	}
	if n > 0 {
		bw.WriteString("\n  ")
	}
	bw.WriteString("],\n  \"summary\": ")
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
