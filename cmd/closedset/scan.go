package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"closedset/breakdown"
	"closedset/breakdown/report"
	"closedset/screenplay"
)

// scriptExts are the file endings scan picks up inside folders. A folder a
// production sends holds call sheets, notes, images and Word files beside
// the scripts; sniffing each would report every one of them as a failed
// script. So the ending picks the candidates, and the content then decides
// the format (a .txt that is Fountain is read as Fountain). A file named
// on the command line is always read, whatever its ending.
var scriptExts = map[string]bool{".fountain": true, ".spmd": true, ".txt": true, ".fdx": true, ".pdf": true}

const scanHelp = `Usage: closedset scan [--format text|json|csv] [--lexicon FILE] [--jobs N] PATH...

Breaks down every script under each PATH (a file, or a folder walked
recursively) on all cores, and prints one row per script, sorted by path:
format, scenes, flagged scenes, flagged pages, minors, categories and an
estimate of the intimacy coordinator's prep and shoot days. A progress bar
shows on standard error when it is a terminal.

Inside folders, scan reads files ending in .fountain, .spmd, .txt, .fdx or
.pdf (any case) and skips hidden files and folders (names starting with a
dot, such as .git or macOS ._ files); their format is detected from
content. A file named as a PATH is read whatever its ending.

A script that cannot be read is reported on its row and the scan goes on.
Exit status: 0 when every script was read, 1 when some could not be, 2 for
a usage error (bad flag, bad --lexicon file, no PATH).

The estimate rule:
`

func runScan(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fset := newFlags("scan", stderr)
	format := fset.String("format", "text", "output format: text, json or csv")
	lexicon := fset.String("lexicon", "", "a lexicon `FILE` of extra entries (same tab-separated format as the embedded one)")
	jobs := fset.Int("jobs", runtime.NumCPU(), "scripts read at once")
	var sf scriptFlags
	sf.register(fset)
	fset.Usage = func() {
		fmt.Fprint(stderr, scanHelp, indent(report.EstimateRule, "  "), "\n\n")
		fset.PrintDefaults()
	}
	if err := parseFlags(fset, args); err != nil {
		return err
	}
	if fset.NArg() == 0 {
		return usageError("want at least one PATH (a script file or a folder of scripts)")
	}
	f, err := report.ParseSlateFormat(*format)
	if err != nil {
		return usageError("%v", err)
	}
	if _, err := screenplay.ParseFormat(sf.inputFormat); err != nil {
		return usageError("%v", err)
	}
	if *jobs < 1 {
		return usageError("--jobs must be at least 1, got %d", *jobs)
	}
	for _, p := range fset.Args() {
		if p == "-" {
			return usageError("scan reads files and folders, not standard input (closedset breakdown - reads one script from it)")
		}
	}
	lex, err := loadLexicon(*lexicon)
	if err != nil {
		return err
	}
	files, results := collectScripts(fset.Args())
	bar := newProgress(stderr, len(files))
	results = append(results, scanFiles(files, *jobs, func(path string) report.ScriptResult {
		defer bar.Add(1)
		return scanOne(&sf, lex, path)
	})...)
	bar.Finish()
	sort.SliceStable(results, func(i, j int) bool { return results[i].Path < results[j].Path })
	slate := report.NewSlate(results)
	if err := report.WriteSlate(stdout, f, slate); err != nil {
		return err
	}
	if n := slate.Totals.Failed; n > 0 {
		return &exitError{code: 1, err: fmt.Errorf("%d of %d scripts could not be read (see their rows)", n, slate.Totals.Scripts)}
	}
	return nil
}

// collectScripts expands PATHs into script files. A PATH that does not
// exist, or a folder that cannot be read, becomes a failed result rather
// than stopping the scan.
func collectScripts(paths []string) (files []string, failed []report.ScriptResult) {
	seen := map[string]bool{}
	add := func(p string) {
		if c := filepath.Clean(p); !seen[c] {
			seen[c] = true
			files = append(files, p)
		}
	}
	for _, root := range paths {
		st, err := os.Stat(root)
		if err != nil {
			failed = append(failed, report.FailedScript(root, fmt.Errorf("%s: %w", root, unwrapPathError(err))))
			continue
		}
		if !st.IsDir() {
			add(root)
			continue
		}
		filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				failed = append(failed, report.FailedScript(p, fmt.Errorf("%s: %w", p, unwrapPathError(err))))
				return nil // the walk skips what it cannot read and goes on
			}
			if p != root && strings.HasPrefix(d.Name(), ".") {
				if d.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
			if d.IsDir() || !scriptExts[strings.ToLower(filepath.Ext(p))] {
				return nil
			}
			// A symlink is followed to a file, never to a folder: walking
			// into linked folders could loop.
			if d.Type()&fs.ModeSymlink != 0 {
				if st, err := os.Stat(p); err != nil || !st.Mode().IsRegular() {
					return nil
				}
			} else if !d.Type().IsRegular() {
				return nil
			}
			add(p)
			return nil
		})
	}
	return files, failed
}

// scanFiles runs scan on every file with a pool of workers. Results come
// back in the order of files, whatever order the workers finish in.
func scanFiles(files []string, workers int, scan func(string) report.ScriptResult) []report.ScriptResult {
	out := make([]report.ScriptResult, len(files))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(workers, max(len(files), 1)) {
		wg.Go(func() {
			for i := range next {
				out[i] = scan(files[i])
			}
		})
	}
	for i := range files {
		next <- i
	}
	close(next)
	wg.Wait()
	return out
}

// scanOne reads and breaks down one script. Any failure, even a panic in
// the engine, is the script's result: one bad file never stops a slate.
func scanOne(sf *scriptFlags, lex *breakdown.Lexicon, path string) (r report.ScriptResult) {
	defer func() {
		if p := recover(); p != nil {
			r = report.FailedScript(path, fmt.Errorf("%s: breakdown failed (%v)", path, p))
		}
	}()
	walker := breakdown.NewWalker(breakdown.Options{Lexicon: lex})
	st, err := sf.openScript(path, nil, walker.Learn)
	if err != nil {
		var ee *exitError
		if errors.As(err, &ee) {
			err = ee.err
		}
		return report.FailedScript(path, err)
	}
	// A slate's row needs the flagged scenes only (for the estimate): the
	// rest are let go as the walk passes them.
	var flagged []breakdown.Scene
	b, _ := walker.WalkStream(st, func(sc breakdown.Scene) error {
		if sc.NeedsIC {
			flagged = append(flagged, sc.Detached())
		}
		return nil
	})
	b.Scenes = flagged
	return report.NewScriptResult(path, b)
}

// progress is the bar on standard error, or nothing when it is not a
// terminal: a log file or a CI console must not fill up with redraws.
type progress interface {
	Add(int) error
	Finish() error
}

type noProgress struct{}

func (noProgress) Add(int) error { return nil }
func (noProgress) Finish() error { return nil }

func newProgress(stderr io.Writer, n int) progress {
	f, ok := stderr.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) || n == 0 {
		return noProgress{}
	}
	return progressbar.NewOptions(n,
		progressbar.OptionSetWriter(stderr),
		progressbar.OptionSetDescription("scanning"),
		progressbar.OptionShowCount(),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionClearOnFinish(),
	)
}

func indent(s, prefix string) string {
	return prefix + strings.ReplaceAll(s, "\n", "\n"+prefix)
}
