package report

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"closedset/breakdown"
	"closedset/screenplay"
)

// WriteMarkdown writes the breakdown report an IC hands to a producer:
// summary table, the flagged scenes at a glance, then each flagged scene
// with its flags and evidence, the matched words in bold.
func WriteMarkdown(w io.Writer, b *breakdown.Breakdown) error {
	bw := bufio.NewWriter(w)
	s := b.Summary
	fmt.Fprintf(bw, "# Intimacy breakdown: %s\n\n", mdEscape(title(b)))
	fmt.Fprintf(bw, "> %s\n\n", Disclaimer)
	fmt.Fprintf(bw, "## Summary\n\n| | |\n|:--|--:|\n")
	fmt.Fprintf(bw, "| Scenes | %d |\n| Flagged scenes | %d |\n| Flagged pages | %s |\n", s.Scenes, s.Flagged, pagesOf(s.FlaggedEighths))
	for _, c := range categoryCounts(s, true) {
		fmt.Fprintf(bw, "| %s | %d |\n", mdEscape(Label(c.cat)), c.n)
	}
	fmt.Fprintf(bw, "| Minors | %s |\n", mdEscape(orNone(s.Minors)))
	scenes := flagged(b)
	if len(scenes) == 0 {
		fmt.Fprintf(bw, "\nNo scene was flagged.\n")
		return bw.Flush()
	}
	fmt.Fprintf(bw, "\n## Flagged scenes\n\n| # | Scene | Heading | Page | Length | Categories |\n|--:|:--|:--|--:|--:|:--|\n")
	for _, sc := range scenes {
		fmt.Fprintf(bw, "| %d | %s | %s | %d | %s | %s |\n", sc.Index, mdEscape(dashIfEmpty(sc.Number)), mdEscape(sc.Heading),
			sc.Page, screenplay.FormatEighths(sc.Eighths), mdEscape(categoryList(sc)))
	}
	for _, sc := range scenes {
		writeMarkdownScene(bw, sc)
	}
	return bw.Flush()
}

func writeMarkdownScene(w io.Writer, sc breakdown.Scene) {
	fmt.Fprintf(w, "\n## %d. %s\n\n", sc.Index, mdEscape(sc.Heading))
	fmt.Fprintf(w, "Scene %s · page %d · %s · characters: %s\n", mdEscape(dashIfEmpty(sc.Number)), sc.Page,
		eighthsOfPage(sc.Eighths), mdEscape(orNone(people(sc))))
	for _, f := range sc.Flags {
		fmt.Fprintf(w, "\n### %s\n\nConfidence %.2f", mdEscape(flagTitle(f)), f.Confidence)
		if len(f.Characters) > 0 {
			fmt.Fprintf(w, " · characters: %s", mdEscape(strings.Join(f.Characters, ", ")))
		}
		fmt.Fprintf(w, "\n\n")
		for _, ev := range f.Evidence {
			seg := highlight(ev)
			fmt.Fprintf(w, "- line %d: %s", ev.Line, mdEscape(seg.Before))
			if seg.Match != "" {
				fmt.Fprintf(w, "**%s**%s", mdEscape(seg.Match), mdEscape(seg.After))
			}
			fmt.Fprintln(w)
		}
	}
}

// categoryList names a scene's flags in one line: "Kissing, Nudity (implied)".
func categoryList(sc breakdown.Scene) string {
	names := make([]string, len(sc.Flags))
	for i, f := range sc.Flags {
		names[i] = Label(f.Category)
		if q := qualifier(f); q != "" {
			names[i] += " (" + q + ")"
		}
	}
	return strings.Join(names, ", ")
}

func dashIfEmpty(s string) string {
	if s == "" {
		return "–"
	}
	return s
}

// mdSpecial are the characters that could turn script text into markup
// anywhere in a line: emphasis, code, links, raw HTML, tables, entities,
// strike-through and math. Characters that matter only at the start of a
// line (#, -, +, 1.) cannot: script text never starts one here.
const mdSpecial = "\\`*_[]<>|&~$#!"

// mdEscape makes untrusted script text literal in Markdown (CommonMark and
// GitHub's flavour), on one line, with no control characters.
func mdEscape(s string) string {
	s = printable(s)
	if !strings.ContainsAny(s, mdSpecial) {
		return s
	}
	var sb strings.Builder
	for _, r := range s {
		if r < 0x80 && strings.ContainsRune(mdSpecial, r) {
			sb.WriteByte('\\')
		}
		sb.WriteRune(r)
	}
	return sb.String()
}
