package docs

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

// FuzzRiderPDF puts arbitrary strings in a one-scene rider's fields: the
// renderer must never panic, and what it writes must be a whole PDF.
func FuzzRiderPDF(f *testing.F) {
	f.Add("Zoë Ødegård", "42A", "INT. HOTEL — NIGHT", "simulated intercourse", "not in trailers")
	f.Add("Nguyễn Thị Lan", "1", "", "", "")
	f.Add("<script>alert(1)</script>", "\x00", "\xff\xfe", "a\tb\r\nc\u2028d", "😀 ☃ 漢字")
	at := time.Date(2026, 3, 3, 14, 5, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, name, number, heading, act, text string) {
		// Keep each input's PDF work small: a fuzzer's long strings only
		// make more pages of the same code.
		for _, s := range []*string{&name, &number, &heading, &act, &text} {
			if len(*s) > 2000 {
				*s = (*s)[:2000]
			}
		}
		r := Rider{
			ID: "R-" + number, Version: 1, Production: heading + "x", Policy: text,
			Performer: Performer{Name: name, Characters: []string{act}, Representative: text},
			IssuedAt:  at,
			Scenes: []RiderScene{{
				Number: number, Heading: heading, Pages: ScriptPages{First: number, Colour: text},
				Description: text, FinalPicture: act,
				Nudity: Nudity{Level: act, Areas: []ShownArea{{Area: text, Angles: []string{name}}}},
				Acts:   []string{act}, Contact: []string{text}, Footage: []string{name},
				Garments: []string{heading}, Conditions: []string{text + act},
			}},
		}
		var b bytes.Buffer
		err := RenderRiderPDF(&b, r, A4)
		if err != nil {
			if b.Len() != 0 {
				t.Fatalf("error %v, yet %d bytes written", err, b.Len())
			}
			return
		}
		out := b.String()
		if !strings.HasPrefix(out, "%PDF-1.") || !strings.HasSuffix(strings.TrimSpace(out), "%%EOF") {
			t.Fatalf("not a whole PDF: %.20q ... %.20q", out, out[max(0, len(out)-20):])
		}
		if len(Digest(r)) != 64 {
			t.Fatal("digest is not hex SHA-256")
		}
	})
}
