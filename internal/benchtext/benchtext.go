// Package benchtext builds the large Fountain inputs the benchmarks read:
// a mix of real scripts with notes and boneyard spliced in (the reader's
// slow path), and a dense script where nearly every scene is flagged and
// ages are restated. They are generated, never committed: 20 MB of text
// is cheap to make and costly to keep.
package benchtext

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sort"
)

// Mix returns about size bytes of Fountain made of the .fountain files
// under the given folders, one after another and repeated, with a note and
// a boneyard span spliced in every few dozen lines. It fails when the
// folders hold no Fountain at all.
func Mix(size int, dirs ...string) ([]byte, error) {
	var files []string
	for _, d := range dirs {
		m, _ := filepath.Glob(filepath.Join(d, "*", "*.fountain"))
		files = append(files, m...)
		m, _ = filepath.Glob(filepath.Join(d, "*.fountain"))
		files = append(files, m...)
	}
	sort.Strings(files)
	var scripts [][]byte
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		scripts = append(scripts, bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n")))
	}
	if len(scripts) == 0 {
		return nil, fmt.Errorf("benchtext: no .fountain files under %v", dirs)
	}
	out := make([]byte, 0, size+size/8)
	n := 0
	for len(out) < size {
		for _, s := range scripts {
			for len(s) > 0 && len(out) < size+len(s) {
				i := bytes.IndexByte(s, '\n')
				if i < 0 {
					i = len(s) - 1
				}
				line := s[:i+1]
				s = s[i+1:]
				n++
				switch {
				case n%40 == 0 && len(line) > 1:
					// A note inside a line, and one over two lines.
					out = append(out, line[:len(line)-1]...)
					out = append(out, " [[check this with the IC]]\n"...)
					continue
				case n%97 == 0:
					out = append(out, "\n/* A cut scene, kept in the boneyard:\n\nINT. BARN - NIGHT\n\nThey kiss.\n*/\n"...)
				case n%131 == 0:
					out = append(out, "[[A note\nover two lines]]\n"...)
				}
				out = append(out, line...)
			}
			out = append(out, '\n')
			if len(out) >= size {
				break
			}
		}
	}
	return out, nil
}

// Dense returns about size bytes of a script in which nearly every scene
// is flagged: kissing, nudity, sex and minors, with each character's age
// stated again on each appearance, as some drafts do.
func Dense(size int) []byte {
	names := []string{"NORA", "JACK", "MAYA", "LEO", "IRIS", "SAM", "JUNE", "OWEN", "TESS", "RAFE"}
	places := []string{"BEDROOM", "MOTEL ROOM", "CAR", "BATHROOM", "BARN", "LOCKER ROOM", "BEACH", "KITCHEN"}
	out := make([]byte, 0, size+4096)
	out = append(out, "Title: Dense\nAuthor: benchtext\n\n"...)
	for i := 0; len(out) < size; i++ {
		a, b := names[i%len(names)], names[(i*7+3)%len(names)]
		if a == b {
			b = names[(i+1)%len(names)]
		}
		ageA, ageB := 15+i%20, 16+(i*3)%25
		out = fmt.Appendf(out, "INT. %s - NIGHT #%d#\n\n", places[i%len(places)], i+1)
		out = fmt.Appendf(out, "%s (%d) pulls %s (%d) close. They kiss, slow, then hungry.\n\n", a, ageA, b, ageB)
		out = fmt.Appendf(out, "%s\n(whispering)\nAre you sure?\n\n%s\nI'm sure.\n\n", a, b)
		out = fmt.Appendf(out, "%s unbuttons %s's shirt. %s is topless, then fully naked. They have sex on the bed.\n\n", b, a, a)
		if i%3 == 0 {
			out = fmt.Appendf(out, "%s, %d, watches from the doorway, then grabs %s by the throat.\n\n", names[(i+5)%len(names)], 14+i%5, b)
		}
		out = append(out, "CUT TO:\n\n"...)
	}
	return out
}
