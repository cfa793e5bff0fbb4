package screenplay

import (
	"strings"
	"testing"
)

func TestDetect(t *testing.T) {
	laidOut := strings.Repeat("INT. ROOM - DAY\n\n                         ANNA\n               Hello there.\n\n", 4)
	tests := []struct {
		name string
		in   string
		want Format
		kind error
	}{
		{"pdf", "%PDF-1.4\n...", PDF, nil},
		{"pdf after junk", "\x00\x00junk%PDF-1.7\n", PDF, nil},
		{"fdx", `<?xml version="1.0" encoding="UTF-8" standalone="no" ?>` + "\n<FinalDraft DocumentType=\"Script\">", FDX, nil},
		{"other xml", `<?xml version="1.0"?><html></html>`, "", ErrBinary},
		{"fountain", "INT. HOUSE - DAY\n\nShe waits.\n", Fountain, nil},
		{"laid-out text", laidOut, Text, nil},
		{"indented fountain with a title page", "Title: X\n\n" + laidOut, Fountain, nil},
		{"indented fountain with sections", "# Act One\n\n" + laidOut, Fountain, nil},
		{"utf-16", "\xFF\xFEI\x00N\x00T\x00", Fountain, nil},
		{"zip (docx)", "PK\x03\x04rest", "", ErrBinary},
		{"rtf", "{\\rtf1\\ansi}", "", ErrBinary},
		{"binary", "\x7fELF\x00\x00\x01", "", ErrBinary},
		{"empty", " \n\t\n", "", ErrEmpty},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Detect([]byte(tt.in))
			if got != tt.want || why(err) != tt.kind {
				t.Errorf("Detect = %q, %v; want %q, %v", got, err, tt.want, tt.kind)
			}
		})
	}
}

func TestReadUTF16(t *testing.T) {
	in := "\xFF\xFE" + string([]byte{'I', 0, 'N', 0, 'T', 0, '.', 0, ' ', 0, 'A', 0, ' ', 0, '-', 0, ' ', 0, 'D', 0, 'A', 0, 'Y', 0, '\n', 0})
	s, err := Read([]byte(in), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Scenes) != 1 || s.Scenes[0].Heading != "INT. A - DAY" {
		t.Errorf("UTF-16 scenes: %+v", s.Scenes)
	}
}

func TestReadErrorsNameTheFile(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
		opts Options
		want string
		kind error
	}{
		{"too large", []byte(strings.Repeat("x", 101)), Options{Name: "big.fountain", MaxBytes: 100}, "big.fountain: file is 101 bytes, over the 100 bytes limit", ErrTooLarge},
		{"undecodable bytes", []byte("INT. A - DAY\n\nBad \x81 byte\n"), Options{Name: "odd.txt"}, "odd.txt: line 3: byte 0x81 is neither UTF-8 nor Windows-1252 text", ErrBinary},
		{"forced wrong format", []byte("INT. A - DAY\n"), Options{Name: "x.pdf", Format: PDF}, "x.pdf: ", ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Read(tt.in, tt.opts)
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) || why(err) != tt.kind {
				t.Errorf("err = %v (%v); want prefix %q, %v", err, why(err), tt.want, tt.kind)
			}
		})
	}
}
