package screenplay

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"
)

// streamed reads data as a Stream and gathers what Read would give: the
// scenes (with copies of their elements, which a stream lets go of) and
// the script's title, format and pages.
func streamed(t testing.TB, data []byte, opts Options, viaFile bool) (*Script, error) {
	t.Helper()
	var learned []Scene
	learn := func(sc *Scene) { learned = append(learned, *sc) }
	var st *Stream
	var err error
	if viaFile {
		// A file read a window at a time, however small.
		path := filepath.Join(t.TempDir(), "script")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		old := streamWhole
		streamWhole = 64
		defer func() { streamWhole = old }()
		st, err = OpenFile(context.Background(), path, opts, learn)
		filesStreamed += boolInt(err == nil && st.file != nil)
	} else {
		st, err = OpenStream(context.Background(), string(data), opts, learn)
	}
	if err != nil {
		return nil, err
	}
	s := &Script{Format: st.Format, Title: st.Title, Revisions: st.Revisions, Pages: st.Pages}
	err = st.Each(func(sc *Scene) error {
		c := *sc
		c.Elements = append([]Element(nil), sc.Elements...)
		s.Scenes = append(s.Scenes, c)
		return nil
	})
	if err != nil {
		t.Fatalf("Each: %v", err)
	}
	if len(learned) != len(s.Scenes) || st.Scenes != len(s.Scenes) {
		t.Fatalf("first pass gave %d scenes (counted %d), second %d", len(learned), st.Scenes, len(s.Scenes))
	}
	return s, nil
}

// filesStreamed counts the files a test read a window at a time.
var filesStreamed int

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// sameAsRead fails unless the stream of data gives what Read gives.
func sameAsRead(t testing.TB, name string, data []byte, opts Options) {
	t.Helper()
	sameAsReadVia(t, name, data, opts, false)
}

// sameAsReadVia is sameAsRead, the stream read from a file when viaFile.
func sameAsReadVia(t testing.TB, name string, data []byte, opts Options, viaFile bool) {
	t.Helper()
	want, werr := Read(data, opts)
	got, gerr := streamed(t, data, opts, viaFile)
	if (werr == nil) != (gerr == nil) {
		t.Fatalf("%s: Read error %v, stream error %v", name, werr, gerr)
	}
	if werr != nil {
		if werr.Error() != gerr.Error() {
			t.Fatalf("%s: Read error %q, stream error %q", name, werr, gerr)
		}
		return
	}
	if got.Format != want.Format || got.Pages != want.Pages || !reflect.DeepEqual(got.Title, want.Title) || !reflect.DeepEqual(got.Revisions, want.Revisions) {
		t.Fatalf("%s: stream gives %s, %d pages, title %q; Read %s, %d pages, title %q", name, got.Format, got.Pages, got.Title, want.Format, want.Pages, want.Title)
	}
	if len(got.Scenes) != len(want.Scenes) {
		t.Fatalf("%s: stream gives %d scenes, Read %d", name, len(got.Scenes), len(want.Scenes))
	}
	for i := range want.Scenes {
		w, g := want.Scenes[i], got.Scenes[i]
		if len(w.Elements) == 0 {
			w.Elements = nil
		}
		if !reflect.DeepEqual(g, w) {
			t.Fatalf("%s: scene %d differs:\nstream %+v\n  Read %+v", name, i+1, g, w)
		}
	}
}

// TestStreamReadsAsRead: on every script the tests have and the shared
// corpus, a Stream's scenes are Read's, field for field.
func TestStreamReadsAsRead(t *testing.T) {
	if raceOn {
		// One goroutine: make test runs it without -race, where it is
		// five times faster.
		t.Skip("run without -race (make test does)")
	}
	var files []string
	for _, root := range []string{"testdata", corpusPath(t, ".")} {
		filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() && !strings.HasSuffix(p, ".tsv") && !strings.HasSuffix(p, ".md") {
				files = append(files, p)
			}
			return nil
		})
	}
	if len(files) < 50 {
		t.Fatalf("only %d scripts found", len(files))
	}
	before := filesStreamed
	defer func() {
		t.Logf("%d files read a window at a time", filesStreamed-before)
		if filesStreamed-before < 30 {
			t.Errorf("only %d files were read a window at a time", filesStreamed-before)
		}
	}()
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		sameAsRead(t, f, data, Options{Name: filepath.Base(f)})
		sameAsReadVia(t, f, data, Options{Name: filepath.Base(f)}, true)
	}
}

// TestStreamCutsAnywhere reads scripts whose chunks must be cut inside
// notes, boneyard, dialogue and a long title page, with chunks far
// smaller than usual, so every cut lands somewhere hard.
func TestStreamCutsAnywhere(t *testing.T) {
	var b strings.Builder
	b.WriteString("Title: Long\nAuthor: A\n")
	for i := range 40 {
		b.WriteString("    line " + strings.Repeat("x", i%7) + "\n")
	}
	b.WriteString("\n")
	for i := range 300 {
		switch i % 6 {
		case 0:
			b.WriteString("INT. ROOM - DAY\n\nNORA (34) and WILL kiss. [[a note\nover lines]] Will undresses.\n\n")
		case 1:
			b.WriteString("WILL\n(softly)\nHello.\n  \nStill me.\n\n")
		case 2:
			b.WriteString("/* boneyard\n\nwith blank lines\n\n*/\nEXT. YARD - NIGHT\n\n")
		case 3:
			b.WriteString("ANGLE ON NORA\n\n> CENTERED <\n\n~lyric one\n~lyric two\n\n===\n\n")
		case 4:
			b.WriteString("[[unclosed note\n\nnot a note]] after\n\n.FORCED HEADING #12A#\n\n")
		default:
			b.WriteString("CUT TO:\n\n\n\n@mcDUCK ^\nQuack.\n\n")
		}
	}
	data := []byte(b.String())
	before := filesStreamed
	defer func() {
		if filesStreamed-before < 10 {
			t.Errorf("%d of the files were read a window at a time, want 10", filesStreamed-before)
		}
	}()
	for _, size := range []int{1, 2, 3, 7, 64} {
		t.Run("", func(t *testing.T) {
			defer setChunk(size)()
			sameAsRead(t, "cuts", data, Options{})
			sameAsRead(t, "cuts crlf", []byte(strings.ReplaceAll(string(data), "\n", "\r\n")), Options{})
			sameAsRead(t, "cuts cr", []byte(strings.ReplaceAll(string(data), "\n", "\r")), Options{})
			sameAsReadVia(t, "cuts from a file", data, Options{}, true)
			sameAsReadVia(t, "cuts from a file, crlf", []byte(strings.ReplaceAll(string(data), "\n", "\r\n")), Options{}, true)
		})
	}
}

// setChunk sets the chunk size for a test and returns what restores it.
func setChunk(n int) func() {
	old := chunkSize
	chunkSize = n
	return func() { chunkSize = old }
}

func FuzzStream(f *testing.F) {
	for _, seed := range []string{
		"INT. HOUSE - DAY\n\nANNA\n(quietly)\nHello.\n",
		"Title: X\nAuthor: Y\n\n.FORCED #1#\n\n!ACTION\n\n@bob ^\nhi\n",
		"[[note\n  spans]]\n/* bone\nyard */\n> CENTER <\n\n===\n\n# Act\n\n= syn\n\n~lyric\n",
		"\xEF\xBB\xBFINT. A - DAY\r\n\r\nCUT TO:\r\n\r\n",
		"INT. A\n\n/*\n\n*/\n\nB\n\nINT. C\n\n[[x\n\n]]\n",
	} {
		f.Add([]byte(seed), uint8(2))
	}
	f.Fuzz(func(t *testing.T, data []byte, chunk uint8) {
		defer setChunk(1 + int(chunk)%16)()
		sameAsRead(t, "fuzz", data, Options{Format: Fountain})
	})
}

// A panic in the caller's own code is the caller's: the stream does not
// pass it off as a file that could not be read.
func TestStreamPassesOnTheCallersPanic(t *testing.T) {
	text := "INT. ROOM - DAY\n\nNora waits.\n"
	for _, pass := range []string{"learn", "each"} {
		func() {
			defer func() {
				if r := recover(); r != "boom" {
					t.Errorf("%s: recovered %v, want the caller's boom", pass, r)
				}
			}()
			learn := func(*Scene) {}
			if pass == "learn" {
				learn = func(*Scene) { panic("boom") }
			}
			st, err := OpenStream(context.Background(), text, Options{}, learn)
			if err != nil {
				t.Fatalf("%s: %v", pass, err)
			}
			st.Each(func(*Scene) error { panic("boom") })
		}()
	}
}

// A caller that stops early gets its error, and the reading stops with
// it: no goroutine is left behind.
func TestStreamStopsWithTheCaller(t *testing.T) {
	var b strings.Builder
	for range 500 {
		b.WriteString("INT. ROOM - DAY\n\nNora waits.\n\n")
	}
	st, err := OpenStream(context.Background(), b.String(), Options{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	before := runtime.NumGoroutine()
	stop := errors.New("enough")
	n := 0
	if err := st.Each(func(*Scene) error {
		if n++; n == 3 {
			return stop
		}
		return nil
	}); err != stop {
		t.Fatalf("Each: %v, want the caller's error", err)
	}
	for range 100 {
		if runtime.NumGoroutine() <= before {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Errorf("%d goroutines after Each stopped, %d before", runtime.NumGoroutine(), before)
}

// A file that changes between the two passes is an error, not a mix of
// two scripts.
func TestStreamFileChangedBetweenPasses(t *testing.T) {
	defer func(old int64) { streamWhole = old }(streamWhole)
	streamWhole = 64
	path := filepath.Join(t.TempDir(), "script.fountain")
	text := strings.Repeat("INT. ROOM - DAY\n\nNora waits.\n\n", 50)
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	st, err := OpenFile(context.Background(), path, Options{}, nil)
	if err != nil || st.file == nil {
		t.Fatalf("OpenFile: %v (streamed from the file: %v)", err, err == nil && st.file != nil)
	}
	if err := os.WriteFile(path, []byte(text+"INT. HALL - NIGHT\n\nTheo runs.\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	err = st.Each(func(*Scene) error { return nil })
	if err == nil || !strings.Contains(err.Error(), "changed while it was read") {
		t.Fatalf("Each after the file changed: %v", err)
	}
}
