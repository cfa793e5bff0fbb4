package main

import (
	"fmt"
	"io"
	"os"

	"closedset/breakdown"
	"closedset/breakdown/report"
)

func runBreakdown(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlags("breakdown", stderr)
	format := fs.String("format", "text", "output format: text, json, csv, md or html")
	lexicon := fs.String("lexicon", "", "a lexicon `FILE` of extra entries (same tab-separated format as the embedded one)")
	threshold := fs.Float64("threshold", breakdown.Threshold, "the confidence (0 to 1) at which a scene is flagged: lower it to see more; the report counts the scenes a lower one would add")
	var sf scriptFlags
	sf.register(fs)
	fs.Usage = func() {
		fmt.Fprintln(stderr, `Usage: closedset breakdown [--format text|json|csv|md|html] [--lexicon FILE] [--threshold T] [--input-format F] FILE

Finds the scenes of a script an intimacy coordinator must see (kissing,
intimate touch, nudity, simulated sex, sexual violence, hyper-exposed
material, minors) with the lines that show them.

  text  a report for the terminal
  json  the Breakdown JSON contract: every scene, flagged or not
  csv   one row per flagged scene and category, for a spreadsheet
  md    the report for a producer, in Markdown
  html  the same report as one self-contained HTML file

The breakdown is a starting point for the IC's own read, never a substitute.`)
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usageError("want one FILE (or - for standard input), got %d", fs.NArg())
	}
	f, err := report.ParseFormat(*format)
	if err != nil {
		return usageError("%v", err)
	}
	if !(*threshold > 0 && *threshold <= 1) {
		return usageError("--threshold %v: want a confidence above 0 and at most 1", *threshold)
	}
	lex, err := loadLexicon(*lexicon)
	if err != nil {
		return err
	}
	// Read in two passes, a scene at a time (screenplay.Stream): the
	// first learns the cast and ages, the second breaks each scene down.
	walker := breakdown.NewWalker(breakdown.Options{Lexicon: lex, Threshold: *threshold})
	st, err := sf.openScript(fs.Arg(0), stdin, walker.Learn)
	if err != nil {
		return err
	}
	if f == report.JSON {
		// Each scene written as soon as it is analysed.
		return report.StreamJSON(stdout, st, walker)
	}
	// The other reports print the summary and the flagged scenes: only
	// those are kept (never the script, nor the scenes with no flag).
	var scenes []breakdown.Scene
	b, err := walker.WalkStream(st, func(sc breakdown.Scene) error {
		if sc.NeedsIC {
			scenes = append(scenes, sc.Detached())
		}
		return nil
	})
	if err != nil {
		return err
	}
	b.Scenes = scenes
	return report.Write(stdout, f, b)
}

// maxLexiconFile bounds a --lexicon file. ParseLexicon refuses anything
// over its own limit (1 MiB) with the file named, so reading one byte more
// than that is enough for it to say so.
const maxLexiconFile = 1<<20 + 1

// loadLexicon returns the embedded lexicon extended with the entries of
// path, or nil (the default) when path is empty. A file that cannot be read
// or parsed is a usage error (exit 2) naming the file and line.
func loadLexicon(path string) (*breakdown.Lexicon, error) {
	if path == "" {
		return nil, nil
	}
	data, err := readFileBounded(path, maxLexiconFile)
	if err != nil {
		return nil, &exitError{code: 2, err: fmt.Errorf("--lexicon %w", err)}
	}
	extra, err := breakdown.ParseLexicon(data, path)
	if err != nil {
		return nil, &exitError{code: 2, err: fmt.Errorf("--lexicon %w", err)}
	}
	return breakdown.DefaultLexicon().Extend(extra), nil
}

// readFileBounded reads at most max bytes of a named file.
func readFileBounded(path string, max int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, unwrapPathError(err))
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.IsDir() {
		return nil, fmt.Errorf("%s: is a folder, not a file", path)
	}
	data, err := io.ReadAll(io.LimitReader(f, max))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, unwrapPathError(err))
	}
	return data, nil
}
