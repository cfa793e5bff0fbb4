package main

import (
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

// scenesDoc is the JSON answer of closedset scenes.
type scenesDoc struct {
	Title  string             `json:"title"`
	Format screenplay.Format  `json:"format"`
	Pages  int                `json:"pages"`
	Scenes []screenplay.Scene `json:"scenes"`
}

func writeScenesJSON(w io.Writer, s *screenplay.Script) error {
	doc := scenesDoc{Title: scriptTitle(s), Format: s.Format, Pages: s.Pages, Scenes: s.Scenes}
	if doc.Scenes == nil {
		doc.Scenes = []screenplay.Scene{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
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
