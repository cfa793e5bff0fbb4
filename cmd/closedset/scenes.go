package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"closedset/screenplay"
)

func runScenes(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlags("scenes", stderr)
	format := fs.String("format", "text", "output format: text or json")
	var sf scriptFlags
	sf.register(fs)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: closedset scenes [--format text|json] [--input-format F] FILE\n\nLists the scenes of a script with their pages, length in eighths and the characters present (speaking or not; the JSON also lists speaking).")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usageError("want one FILE (or - for standard input), got %d", fs.NArg())
	}
	if *format != "text" && *format != "json" {
		return usageError("unknown --format %q (want text or json)", *format)
	}
	s, err := sf.readScript(fs.Arg(0), stdin)
	if err != nil {
		return err
	}
	if *format == "json" {
		return writeScenesJSON(stdout, s)
	}
	return writeScenesText(stdout, s)
}

// writeScenesJSON writes the JSON answer of closedset scenes: title,
// format, pages and scenes, indented. It is written one scene at a time,
// the same bytes an indenting json.Encoder gives for the whole document,
// without holding the whole (some 60 MB for a 20 MB script) in memory.
func writeScenesJSON(w io.Writer, s *screenplay.Script) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	fields := []struct {
		key string
		v   any
	}{{"title", scriptTitle(s)}, {"format", s.Format}, {"pages", s.Pages}}
	bw.WriteString("{")
	for _, f := range fields {
		data, err := json.Marshal(f.v)
		if err != nil {
			return err
		}
		fmt.Fprintf(bw, "\n  %q: %s,", f.key, data)
	}
	bw.WriteString("\n  \"scenes\": [")
	for i := range s.Scenes {
		if i > 0 {
			bw.WriteByte(',')
		}
		data, err := json.MarshalIndent(&s.Scenes[i], "    ", "  ")
		if err != nil {
			return err
		}
		bw.WriteString("\n    ")
		bw.Write(data)
	}
	if len(s.Scenes) > 0 {
		bw.WriteString("\n  ")
	}
	bw.WriteString("]\n}\n")
	return bw.Flush()
}

func scriptTitle(s *screenplay.Script) string {
	return strings.ReplaceAll(s.TitleValue("title"), "\n", " ")
}

func writeScenesText(w io.Writer, s *screenplay.Script) error {
	title := scriptTitle(s)
	if title == "" {
		title = "(untitled)"
	}
	total := 0
	for _, sc := range s.Scenes {
		total += sc.Eighths
	}
	fmt.Fprintf(w, "%s: %d scenes, %d pages (%s), %s\n\n", title, len(s.Scenes), s.Pages, s.Format, screenplay.FormatEighths(total)+" pages of scenes")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "#\tNO.\tPAGE\tLENGTH\tHEADING\tCHARACTERS")
	for _, sc := range s.Scenes {
		fmt.Fprintf(tw, "%d\t%s\t%d\t%s\t%s\t%s\n", sc.Index, dash(sc.Number), sc.Page,
			screenplay.FormatEighths(sc.Eighths), clip(sc.Heading, 48), clip(strings.Join(sc.Characters, ", "), 60))
	}
	return tw.Flush()
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// clip shortens s to n runes for a table cell.
func clip(s string, n int) string {
	s = strings.ReplaceAll(s, "\n", " ")
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
