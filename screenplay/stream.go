package screenplay

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// A Stream reads a script one scene at a time, so a caller that writes
// each scene out holds one scene, not the script. OpenFile reads a long
// Fountain file a window of lines at a time and never holds it whole;
// OpenStream holds the text it is given, and nothing else of the script.
//
// Opening a Fountain stream is a first pass that learns what a scene
// cannot know alone: the title page, the page count and the cast (every
// cue and introduced name, and which names are also ordinary words). Each
// then parses the text again, a chunk at a time, and hands over each
// scene as soon as the next one's heading is placed on its page; on two
// cores the parsing runs ahead of the caller (pipeline). Every scene is
// the one Read gives, field for field. Other formats are read whole and
// walked.
type Stream struct {
	Format    Format
	Title     []TitleField
	Revisions []Revision
	Pages     int
	// Scenes counts the scenes.
	Scenes int

	whole *Script // a format read whole; nil for a Fountain stream
	name  string  // Options.Name, for errors
	text  string
	cast  *cast
	file  *streamFile // the file a stream reads again in Each, if any
}

// streamFile is a file a Stream reads a window at a time (OpenFile).
type streamFile struct {
	path    string
	skip    int64 // a byte order mark
	sep     byte
	size    int64
	modTime time.Time
	check   func(string) error
}

// TitleValue returns the value of the first title page field named key
// (case-insensitive), or "".
func (st *Stream) TitleValue(key string) string {
	return (&Script{Title: st.Title}).TitleValue(key)
}

// OpenStream opens text for reading scene by scene (see Stream). learn,
// when set, is called with each scene of the first pass, in order and
// without its Present (the cast is not known yet), for a caller that must
// also learn something of the whole script first; the scene is valid only
// during the call. Errors are Read's.
func OpenStream(ctx context.Context, text string, opts Options, learn func(*Scene)) (st *Stream, err error) {
	if err := tooLarge(int64(len(text)), opts); err != nil {
		return nil, err
	}
	defer func() {
		if r := recover(); r != nil {
			if p, ok := r.(callerPanic); ok {
				panic(p.v)
			}
			st, err = nil, readPanic(r, opts)
		}
	}()
	format := opts.Format
	if format == "" {
		if format, err = detectString(text); err != nil {
			return nil, named(err, opts.Name)
		}
	}
	// Only well-formed UTF-8 Fountain is streamed over the text as it is;
	// anything that needs decoding or another reader is read whole.
	body := strings.TrimPrefix(text, string(utf8BOM))
	if format != Fountain || isUTF16([]byte(text[:min(len(text), 2)])) || !utf8.ValidString(body) {
		opts.Format = format
		s, err := ReadContext(ctx, []byte(text), opts)
		if err != nil {
			return nil, err
		}
		st := &Stream{Format: s.Format, Title: s.Title, Revisions: s.Revisions, Pages: s.Pages, Scenes: len(s.Scenes), whole: s}
		if learn != nil {
			for i := range s.Scenes {
				callFn(func(sc *Scene) error { learn(sc); return nil }, &s.Scenes[i])
			}
		}
		return st, nil
	}
	st = &Stream{Format: Fountain, text: body, name: opts.Name}
	var b castBuilder
	w := newFountainWalk(&window{text: body, eof: true}, lineSep(body))
	if err := pipeline(w, nil, firstPass(&b, learn)); err != nil {
		return nil, named(err, opts.Name)
	}
	st.Title, st.Pages, st.Scenes = w.title, w.asm.pag.pages, w.asm.count
	st.cast = b.cast()
	return st, nil
}

// Each calls fn with each scene in order, Present and Characters filled
// in as Read fills them. The scene and its Elements are valid only during
// the call; an error from fn stops the walk and is returned.
func (st *Stream) Each(fn func(*Scene) error) (err error) {
	if st.whole != nil {
		for i := range st.whole.Scenes {
			if err := fn(&st.whole.Scenes[i]); err != nil {
				return err
			}
		}
		return nil
	}
	w := newFountainWalk(&window{text: st.text, eof: true}, lineSep(st.text))
	if sf := st.file; sf != nil {
		f, win, err := sf.open()
		if err != nil {
			return err
		}
		defer f.Close()
		w = newFountainWalk(win, sf.sep)
	}
	// A reader bug must not take the caller down (as in Read); a panic
	// of fn's own is fn's, and goes on up.
	defer func() {
		if r := recover(); r != nil {
			if p, ok := r.(callerPanic); ok {
				panic(p.v)
			}
			err = readPanic(r, Options{Name: st.name})
		}
	}()
	n := 0
	err = pipeline(w, func(sc *Scene) error {
		if n++; n > st.Scenes {
			return errChanged
		}
		sc.Present = st.cast.presentIn(sc)
		sc.Characters = sc.Present
		return nil
	}, func(sc *Scene) error { return callFn(fn, sc) })
	if err == nil && n != st.Scenes {
		err = errChanged
	}
	if errors.Is(err, errChanged) && st.file != nil {
		err = fmt.Errorf("%s changed while it was read", st.file.path)
	}
	return err
}

// firstPass is what the first pass does with each scene: learn the cast
// (b), and hand the scene to the caller's learn.
func firstPass(b *castBuilder, learn func(*Scene)) func(*Scene) error {
	return func(sc *Scene) error {
		b.scene(sc)
		if learn == nil {
			return nil
		}
		return callFn(func(sc *Scene) error { learn(sc); return nil }, sc)
	}
}

// pipeDepth is how many scenes the reading may run ahead of the caller.
const pipeDepth = 16

// errStopped ends a walk whose scenes are no longer wanted.
var errStopped = errors.New("stopped")

// pipeline walks w on a goroutine of its own, running prepare (when set)
// there on each scene, and hands the scenes to consume on the caller's
// goroutine, up to pipeDepth behind: on two cores, reading a script and
// what is done with each scene overlap. A scene handed over owns a copy
// of its elements, as the walk goes on meanwhile. A panic of the walk is
// raised again here, for the caller's recover; consume's goes on up.
func pipeline(w *fountainWalk, prepare, consume func(*Scene) error) error {
	if prepare == nil {
		prepare = func(*Scene) error { return nil }
	}
	if runtime.GOMAXPROCS(0) < 2 {
		return w.run(func(sc *Scene) error {
			if err := prepare(sc); err != nil {
				return err
			}
			return consume(sc)
		})
	}
	scenes := make(chan *Scene, pipeDepth)
	stop := make(chan struct{})
	var (
		walkErr   error
		walkPanic any
	)
	go func() {
		defer close(scenes)
		defer func() {
			if r := recover(); r != nil {
				walkPanic = r
			}
		}()
		walkErr = w.run(func(sc *Scene) error {
			if err := prepare(sc); err != nil {
				return err
			}
			c := *sc
			c.Elements = slices.Clone(sc.Elements)
			select {
			case scenes <- &c:
				return nil
			case <-stop:
				return errStopped
			}
		})
	}()
	var err error
	func() {
		// However consume ends (an error, a panic), the walk is stopped
		// and waited for.
		defer func() {
			close(stop)
			for range scenes {
			}
		}()
		for sc := range scenes {
			if err = consume(sc); err != nil {
				return
			}
		}
	}()
	switch {
	case walkPanic != nil:
		panic(walkPanic)
	case err != nil:
		return err
	case errors.Is(walkErr, errStopped):
		return nil
	}
	return walkErr
}

// callerPanic carries a panic of Each's fn past Each's recover.
type callerPanic struct{ v any }

func callFn(fn func(*Scene) error, sc *Scene) error {
	defer func() {
		if r := recover(); r != nil {
			panic(callerPanic{r})
		}
	}()
	return fn(sc)
}

// errChanged is a second pass that does not find the first pass's scenes.
var errChanged = errors.New("the script changed while it was read")

// detectString is Detect over text without copying all of it: the checks
// Detect makes of the whole input are made here, the rest on a head long
// enough for every other check.
func detectString(text string) (Format, error) {
	const small = 1 << 20
	if len(text) <= small {
		return Detect([]byte(text))
	}
	// textFormat reads up to 400 lines that are not blank.
	end, lines := 0, 0
	for end < len(text) && lines < 400 {
		i := strings.IndexByte(text[end:], '\n')
		line := text[end:]
		if i >= 0 {
			line = text[end : end+i]
			end += i + 1
		} else {
			end = len(text)
		}
		if strings.TrimSpace(line) != "" {
			lines++
		}
	}
	head := []byte(text[:max(end, min(len(text), 4096))])
	f, err := Detect(head)
	if err != nil {
		if strings.TrimSpace(text) != "" && len(bytes.TrimSpace(head)) == 0 {
			return Detect([]byte(text)) // blank at the top only
		}
		return f, err
	}
	if (f == Fountain || f == Text) && !isUTF16(head) && strings.IndexByte(text, 0) >= 0 {
		return Detect([]byte(text)) // binary further in
	}
	return f, nil
}

// chunkLines is how many lines a Fountain walk parses at a time, before
// cutting at an empty line (where no paragraph or hidden span runs on);
// chunkSize is it but in tests that cut in hard places.
const chunkLines = 2048

var chunkSize = chunkLines

// fountainWalk parses Fountain text a chunk at a time and hands each scene
// to a callback as soon as it is complete.
type fountainWalk struct {
	win   *window
	sep   byte
	title []TitleField
	asm   assembler
}

func newFountainWalk(win *window, sep byte) *fountainWalk {
	return &fountainWalk{win: win, sep: sep, asm: assembler{pag: paginator{l: StandardLayout, page: 1}, start: -1}}
}

// lineSep is the line end of text: "\n", or "\r" in a file with old Mac
// line ends only.
func lineSep(text string) byte {
	if strings.IndexByte(text, '\n') < 0 && strings.IndexByte(text, '\r') >= 0 {
		return '\r'
	}
	return '\n'
}

// lineAt returns the line starting at byte pos (of the whole text) without
// its line end, and where the next starts; ok is false past the last
// line. A file ending in a line end has no empty line after it (as
// splitLines). The window holds the line (window.from).
func (w *fountainWalk) lineAt(pos int) (line string, next int, ok bool) {
	text, rel := w.win.text, pos-w.win.base
	if rel > len(text) {
		return "", 0, false
	}
	rest := text[rel:]
	i := strings.IndexByte(rest, w.sep)
	if i < 0 {
		line, next = rest, pos+len(rest)+1
	} else {
		line, next = rest[:i], pos+i+1
	}
	if len(line) > 0 && line[len(line)-1] == '\r' {
		line = line[:len(line)-1]
	}
	if i < 0 && line == "" && pos > 0 {
		return "", 0, false
	}
	return line, next, true
}

func (w *fountainWalk) run(each func(*Scene) error) error {
	var (
		lines []srcLine
		offs  []int // the byte offset of each of lines
		first = true
		size  = chunkSize
	)
	pos, no := 0, 1
	for {
		// The window: a chunk and, after it, the lines an unclosed note
		// or boneyard may look ahead at.
		if err := w.win.from(pos, size+maxNoteLines+1, w.sep); err != nil {
			return err
		}
		lines, offs = lines[:0], offs[:0]
		p, n, eof := pos, no, false
		for len(lines) < size+maxNoteLines+1 {
			line, next, ok := w.lineAt(p)
			if !ok {
				eof = true
				break
			}
			lines = append(lines, srcLine{text: line, no: n})
			offs = append(offs, p)
			p, n = next, n+1
		}
		limit := len(lines)
		if !eof {
			limit = size
		}
		var notes []Element
		safe := -1
		if window := w.win.text[pos-w.win.base : min(p-w.win.base, len(w.win.text))]; strings.Contains(window, "/*") || strings.Contains(window, "[[") {
			lines, notes, safe = stripHidden(lines, limit)
		} else {
			for i := limit - 1; i >= 0; i-- {
				if lines[i].text == "" {
					safe = i
					break
				}
			}
		}
		cut := len(lines)
		if !eof {
			if safe < 0 || first && safe <= firstText(lines[:limit]) {
				// No place to cut (or the title page may run on): a
				// bigger chunk.
				size *= 2
				continue
			}
			cut = safe + 1
			for k := range notes {
				if notes[k].Line > lines[safe].no {
					notes = notes[:k]
					break
				}
			}
		}
		start := 0
		if first {
			var s Script
			start = parseTitlePage(&s, lines[:cut])
			w.title, first = s.Title, false
		}
		w.asm.buf = parseLines(lines[:cut], notes, start, w.asm.buf)
		if err := w.asm.advance(eof, each); err != nil {
			return err
		}
		if eof {
			return nil
		}
		pos, no, size = offs[cut], lines[cut].no, chunkSize
	}
}

// firstText is the index of the first line with text (len(lines) when
// none).
func firstText(lines []srcLine) int {
	for i, l := range lines {
		if !l.gone && !isBlank(l.text) {
			return i
		}
	}
	return len(lines)
}

// assembler paginates elements as they are parsed and makes scenes of
// them: a scene is complete once the next scene's heading is placed on
// its page (its length runs to there).
type assembler struct {
	buf    []Element
	pag    paginator
	placed int // the elements of buf placed on their page
	seen   int // the elements of buf looked at for headings
	start  int // the index in buf of the open scene's heading; -1 before the first
	count  int // scenes handed over
}

func (a *assembler) advance(eof bool, each func(*Scene) error) error {
	for a.placed < len(a.buf) {
		e := &a.buf[a.placed]
		var next ElementType
		if needsNext(e.Type) {
			if next = nextPrinted(a.buf, a.placed); next == "" && !eof {
				break // what follows is not parsed yet
			}
		}
		a.pag.place(e, next)
		a.placed++
	}
	for ; a.seen < a.placed; a.seen++ {
		if a.buf[a.seen].Type != SceneHeading {
			continue
		}
		if a.start >= 0 {
			if err := a.emit(a.buf[a.start:a.seen], &a.buf[a.seen], each); err != nil {
				return err
			}
		}
		a.start = a.seen
	}
	if eof {
		if a.start >= 0 {
			if err := a.emit(a.buf[a.start:], nil, each); err != nil {
				return err
			}
		}
		a.buf, a.start = a.buf[:0], -1
		return nil
	}
	// Let go of what is handed over (or, before the first heading, of
	// what belongs to no scene).
	drop := a.start
	if drop < 0 {
		drop = a.placed
	}
	if drop > 0 {
		n := copy(a.buf, a.buf[drop:])
		clear(a.buf[n:])
		a.buf = a.buf[:n]
		a.placed -= drop
		a.seen -= drop
		if a.start >= 0 {
			a.start -= drop
		}
	}
	return nil
}

func (a *assembler) emit(els []Element, next *Element, each func(*Scene) error) error {
	a.count++
	sc := newScene(a.count, els)
	sc.Eighths = sceneEighths(els, next, a.pag.l.LinesPerPage)
	introduceIn(&sc)
	return each(&sc)
}

// window is the part of a script's text a walk reads now: from byte base
// of the whole text, either all of it (eof) or through enough lines for a
// round of the walk. A window over a reader holds a round's bytes only.
type window struct {
	text string
	base int
	eof  bool // text runs to the end of the script

	r     io.Reader // nil for a text held whole
	buf   []byte    // the bytes from base read so far
	check func(string) error
}

// from moves the window to start at pos and hold n line ends after it,
// or all that is left. A window over a whole text already does.
func (w *window) from(pos, n int, sep byte) error {
	if w.r == nil {
		return nil
	}
	if drop := pos - w.base; drop > 0 {
		k := copy(w.buf, w.buf[min(drop, len(w.buf)):])
		w.buf, w.base = w.buf[:k], pos
	}
	for !w.eof && bytes.Count(w.buf, []byte{sep}) < n {
		if len(w.buf) == cap(w.buf) {
			w.buf = slices.Grow(w.buf, max(64<<10, len(w.buf)))
		}
		k, err := w.r.Read(w.buf[len(w.buf):cap(w.buf)])
		w.buf = w.buf[:len(w.buf)+k]
		switch {
		case err == io.EOF:
			w.eof = true
		case err != nil:
			return fmt.Errorf("reading: %w", err)
		}
	}
	// The scenes of this round point into the window's text: a copy of
	// its bytes, let go with them.
	w.text = string(w.buf)
	if w.check == nil {
		return nil
	}
	// What follows the last line end may be a character cut short; the
	// next window, which starts before it, checks it.
	checked := w.text
	if k := strings.LastIndexByte(checked, sep); !w.eof && k >= 0 {
		checked = checked[:k+1]
	}
	return w.check(checked)
}

// streamWhole is how small a file OpenFile reads whole: below it, reading
// it twice a window at a time saves nothing. streamHead is how much of a
// file is read first, to tell its format.
var streamWhole, streamHead int64 = 1 << 20, 1 << 20

// errReadWhole stops a first pass over a file that must be read whole
// after all (it is not UTF-8 further in).
var errReadWhole = errors.New("read the file whole")

// OpenFile opens the script in the file at path as OpenStream does, but a
// Fountain file is read a window of lines at a time in both passes and
// never held whole: memory is a round of lines, one scene and what the
// first pass learned, not the file. A small file, another format, or one
// that needs decoding is read whole and opened with OpenStream.
func OpenFile(ctx context.Context, path string, opts Options, learn func(*Scene)) (st *Stream, err error) {
	defer func() {
		if r := recover(); r != nil {
			if p, ok := r.(callerPanic); ok {
				panic(p.v)
			}
			st, err = nil, readPanic(r, opts)
		}
	}()
	max := opts.MaxBytes
	if max <= 0 {
		max = DefaultMaxBytes
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	whole := func(r io.Reader, head []byte) (*Stream, error) {
		var b strings.Builder
		b.Grow(int(min(info.Size(), max)) + 1)
		b.Write(head)
		if _, err := io.Copy(&b, io.LimitReader(r, max+1-int64(len(head)))); err != nil {
			return nil, err
		}
		return OpenStream(ctx, b.String(), opts, learn)
	}
	if !info.Mode().IsRegular() || info.Size() <= streamWhole || info.Size() > max || opts.Format != "" && opts.Format != Fountain {
		return whole(f, nil)
	}
	head := make([]byte, min(info.Size(), streamHead))
	if _, err := io.ReadFull(f, head); err != nil {
		return nil, err
	}
	if opts.Format == "" {
		// Detect reads the head (up to 400 lines that are not blank, in
		// textFormat); what it checks of the whole, the first pass does.
		prefix, ok := detectPrefix(head, int64(len(head)) == info.Size())
		if !ok || len(bytes.TrimSpace(head)) == 0 {
			return whole(f, head)
		}
		if format, err := Detect(prefix); err != nil || format != Fountain {
			return whole(f, head)
		}
	}
	skip := 0
	if bytes.HasPrefix(head, utf8BOM) {
		skip = len(utf8BOM)
	}
	if isUTF16(head) || bytes.IndexByte(head, '\n') < 0 {
		return whole(f, head)
	}
	sf := &streamFile{path: path, skip: int64(skip), sep: '\n', size: info.Size(), modTime: info.ModTime()}
	detected := opts.Format == ""
	sf.check = func(text string) error {
		if !utf8.ValidString(text) {
			return errReadWhole // Windows-1252, decoded whole
		}
		if detected && strings.IndexByte(text, 0) >= 0 {
			_, err := Detect([]byte{0}) // as Detect says of the whole
			return err
		}
		return nil
	}
	win := &window{r: io.MultiReader(bytes.NewReader(head[skip:]), f), buf: make([]byte, 0, 256<<10), check: sf.check}
	st = &Stream{Format: Fountain, file: sf, name: opts.Name}
	var b castBuilder
	w := newFountainWalk(win, sf.sep)
	err = pipeline(w, nil, firstPass(&b, learn))
	switch {
	case errors.Is(err, errReadWhole):
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			return nil, err
		}
		return whole(f, nil)
	case err != nil:
		return nil, named(err, opts.Name)
	}
	st.Title, st.Pages, st.Scenes = w.title, w.asm.pag.pages, w.asm.count
	st.cast = b.cast()
	return st, nil
}

// detectPrefix is the part of head Detect reads: at least 4096 bytes and
// up to 400 lines that are not blank (textFormat); ok is false when head
// ends before them and is not the whole file.
func detectPrefix(head []byte, whole bool) (prefix []byte, ok bool) {
	if whole {
		return head, true
	}
	end, lines := 0, 0
	for lines < 400 {
		i := bytes.IndexByte(head[end:], '\n')
		if i < 0 {
			return nil, false
		}
		if len(bytes.TrimSpace(head[end:end+i])) > 0 {
			lines++
		}
		end += i + 1
	}
	return head[:max(end, 4096)], true
}

// open opens the file again for a pass, checking it has not changed.
func (sf *streamFile) open() (*os.File, *window, error) {
	f, err := os.Open(sf.path)
	if err != nil {
		return nil, nil, err
	}
	info, err := f.Stat()
	if err == nil && (info.Size() != sf.size || !info.ModTime().Equal(sf.modTime)) {
		err = fmt.Errorf("%s changed while it was read", sf.path)
	}
	if err == nil {
		_, err = f.Seek(sf.skip, io.SeekStart)
	}
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	return f, &window{r: f, buf: make([]byte, 0, 256<<10), check: sf.check}, nil
}
