package report

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"closedset/breakdown"
	"closedset/screenplay"
)

// WriteText writes a breakdown for a terminal: the title, a summary, then
// each flagged scene with its flags and the lines that raised them.
func WriteText(w io.Writer, b *breakdown.Breakdown) error {
	bw := bufio.NewWriter(w)
	s := b.Summary
	fmt.Fprintf(bw, "%s (%s)\n", printable(title(b)), b.Format)
	fmt.Fprintf(bw, "%d scenes, %d flagged, %s pages flagged\n", s.Scenes, s.Flagged, pagesOf(s.FlaggedEighths))
	if cs := categoryCounts(s, false); len(cs) > 0 {
		parts := make([]string, len(cs))
		for i, c := range cs {
			parts[i] = fmt.Sprintf("%s %d", strings.ToLower(Label(c.cat)), c.n)
		}
		fmt.Fprintf(bw, "by category: %s\n", strings.Join(parts, ", "))
	}
	fmt.Fprintf(bw, "minors: %s\n", orNone(s.Minors))
	if s.LeftOut > 0 {
		scenes := "scenes"
		if s.LeftOut == 1 {
			scenes = "scene"
		}
		fmt.Fprintf(bw, "left out: %d %s with weaker signs, under the %.2f threshold (lower --threshold to see them)\n", s.LeftOut, scenes, s.Threshold)
	}
	for _, sc := range flagged(b) {
		writeTextScene(bw, sc)
	}
	fmt.Fprintf(bw, "\n%s\n", Disclaimer)
	return bw.Flush()
}

func writeTextScene(w io.Writer, sc breakdown.Scene) {
	fmt.Fprintf(w, "\n#%d", sc.Index)
	if sc.Number != "" {
		fmt.Fprintf(w, " scene %s", printable(sc.Number))
	}
	fmt.Fprintf(w, ": %s\n", printable(sc.Heading))
	fmt.Fprintf(w, "  page %d, %s, characters: %s\n", sc.Page, eighthsOfPage(sc.Eighths), orNone(people(sc)))
	for _, f := range sc.Flags {
		fmt.Fprintf(w, "  %s, confidence %.2f", printable(flagTitle(f)), f.Confidence)
		if len(f.Characters) > 0 {
			fmt.Fprintf(w, ", %s", printable(strings.Join(f.Characters, ", ")))
		}
		fmt.Fprintln(w)
		if f.Situation != "" {
			fmt.Fprintf(w, "    why: %s\n", printable(f.Situation))
		}
		for _, ev := range f.Evidence {
			// Plain quotes, not %q: Go escapes would garble a script's own quotes.
			fmt.Fprintf(w, "    line %d: \"%s\"\n", ev.Line, printable(ev.Text))
		}
	}
}

// eighthsOfPage writes a length as "3/8 page" or "1 2/8 pages".
func eighthsOfPage(n int) string {
	if n <= 8 {
		return screenplay.FormatEighths(n) + " page"
	}
	return screenplay.FormatEighths(n) + " pages"
}

func orNone(names []string) string {
	if len(names) == 0 {
		return "none"
	}
	return printable(strings.Join(names, ", "))
}
