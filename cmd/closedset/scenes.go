package main

import (
	"bufio"
	"bytes"
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
	st, err := sf.openScript(fs.Arg(0), stdin, nil)
	if err != nil {
		return err
	}
	if *format == "json" {
		return writeScenesJSON(stdout, st)
	}
	return writeScenesText(stdout, st)
}

// writeScenesJSON writes the JSON answer of closedset scenes: title,
// format, pages and scenes, indented. It is written one scene at a time
// as the stream reads them, the same bytes an indenting json.Encoder
// gives for the whole document, without holding the script or the
// document (some 60 MB for a 20 MB script) in memory.
func writeScenesJSON(w io.Writer, st *screenplay.Stream) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	fields := []struct {
		key string
		v   any
	}{{"title", scriptTitle(st)}, {"format", st.Format}, {"pages", st.Pages}}
	bw.WriteString("{")
	for _, f := range fields {
		data, err := json.Marshal(f.v)
		if err != nil {
			return err
		}
		fmt.Fprintf(bw, "\n  %q: %s,", f.key, data)
	}
	bw.WriteString("\n  \"scenes\": [")
	n := 0
	err := st.Each(func(sc *screenplay.Scene) error {
		if n > 0 {
			bw.WriteByte(',')
		}
		n++
		data, err := json.MarshalIndent(sc, "    ", "  ")
		if err != nil {
			return err
		}
		bw.WriteString("\n    ")
		_, err = bw.Write(data)
		return err
	})
	if err != nil {
		return err
	}
	if n > 0 {
		bw.WriteString("\n  ")
	}
	bw.WriteString("]\n}\n")
	return bw.Flush()
}

func scriptTitle(st *screenplay.Stream) string {
	return strings.ReplaceAll(st.TitleValue("title"), "\n", " ")
}

// writeScenesText writes the table of closedset scenes. The header's
// total length needs every scene, so the rows are laid out (tabwriter)
// first, as the stream reads them, and written after it.
func writeScenesText(w io.Writer, st *screenplay.Stream) error {
	title := scriptTitle(st)
	if title == "" {
		title = "(untitled)"
	}
	var rows bytes.Buffer
	tw := tabwriter.NewWriter(&rows, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "#\tNO.\tPAGE\tLENGTH\tHEADING\tCHARACTERS")
	total := 0
	err := st.Each(func(sc *screenplay.Scene) error {
		total += sc.Eighths
		_, err := fmt.Fprintf(tw, "%d\t%s\t%d\t%s\t%s\t%s\n", sc.Index, dash(sc.Number), sc.Page,
			screenplay.FormatEighths(sc.Eighths), clip(sc.Heading, 48), clip(strings.Join(sc.Characters, ", "), 60))
		return err
	})
	if err != nil {
		return err
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(w, "%s: %d scenes, %d pages (%s), %s\n\n", title, st.Scenes, st.Pages, st.Format, screenplay.FormatEighths(total)+" pages of scenes")
	_, err = rows.WriteTo(w)
	return err
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
