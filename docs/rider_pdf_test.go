package docs

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ledongthuc/pdf"
)

func renderPDF(t *testing.T, r Rider, size PageSize) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := RenderRiderPDF(&b, r, size); err != nil {
		t.Fatalf("RenderRiderPDF: %v", err)
	}
	return b.Bytes()
}

// riderFieldTexts is every rider field as the documents print it.
func riderFieldTexts(r Rider) []string {
	want := []string{
		"Intimacy rider — " + r.Production, r.Policy, r.Performer.Name,
		r.Performer.Representative, whenText(r.IssuedAt),
		r.ID + ", version 2", Digest(r),
	}
	want = append(want, r.Performer.Characters...)
	want = append(want, rights...)
	for _, s := range r.Scenes {
		want = append(want, sceneTitle(s.Number, s.Heading), pagesText(s.Pages), s.PlanVersion,
			s.Description, s.FinalPicture, nudityText(s.Nudity), s.BodyDouble, s.DigitalDouble)
		for _, a := range s.Nudity.Areas {
			want = append(want, areaText(a))
		}
		for _, l := range [][]string{s.Acts, s.Contact, s.Footage, s.Stills, s.Garments, s.Barriers, s.Conditions, s.Beyond} {
			want = append(want, l...)
		}
	}
	var out []string
	for _, w := range want {
		if w != "" {
			out = append(out, w)
		}
	}
	return out
}

func TestRiderPDFCarriesEveryField(t *testing.T) {
	r := fullRider(t)
	for _, size := range []PageSize{A4, Letter} {
		t.Run(string(size), func(t *testing.T) {
			pages := pdfText(t, renderPDF(t, r, size))
			text := flat(pages)
			for _, w := range riderFieldTexts(r) {
				if !strings.Contains(text, flat([]string{w})) {
					t.Errorf("rider PDF lacks %q", w)
				}
			}
			// The fixture's worded forms, spelled out so a broken helper cannot hide them.
			for _, w := range []string{
				"pp. 34–35, blue revision 3 March 2026", "p. 61, pink revision",
				"buttocks — rear, side", "breasts/chest — side",
				"Zoë Ødegård as Дарья, Young Mara", "Nguyễn Thị Lan (agent)",
				"Tuesday 3 March 2026, 14:05 PST (UTC-08:00, America/Los_Angeles)",
				"Limits on use of footage", "Limits on use of stills", "Body double terms",
				"Digital double or replica terms", "Garments", "Barriers", "Other conditions",
			} {
				if !strings.Contains(text, w) {
					t.Errorf("rider PDF lacks %q", w)
				}
			}
			for i, p := range pages {
				foot := fmt.Sprintf("Rider R-0007 v2 · digest %s · page %d of %d", Digest(r)[:12], i+1, len(pages))
				if !strings.Contains(p, foot) {
					t.Errorf("page %d lacks footer %q", i+1, foot)
				}
			}
		})
	}
}

func TestRiderPDFPaperSize(t *testing.T) {
	for _, tc := range []struct {
		size PageSize
		box  string
	}{{A4, "/MediaBox [0 0 595.28 841.89]"}, {Letter, "/MediaBox [0 0 612.00 792.00]"}} {
		t.Run(string(tc.size), func(t *testing.T) {
			if b := renderPDF(t, fullRider(t), tc.size); !bytes.Contains(b, []byte(tc.box)) {
				t.Errorf("no %s in the PDF", tc.box)
			}
		})
	}
	if err := RenderRiderPDF(&bytes.Buffer{}, fullRider(t), "A3"); err == nil || !strings.Contains(err.Error(), "A3") {
		t.Errorf("unknown paper: got %v, want an error naming A3", err)
	}
}

func TestRiderPDFEmbedsItsFontsAndMetadata(t *testing.T) {
	b := renderPDF(t, fullRider(t), A4)
	r, err := pdf.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	info := r.Trailer().Key("Info")
	for key, want := range map[string]string{"Creator": "closedset", "Producer": "closedset", "Title": "Intimacy rider — Harbor Lights"} {
		if got := info.Key(key).Text(); got != want {
			t.Errorf("Info %s = %q, want %q", key, got, want)
		}
	}
	fonts := r.Page(1).Resources().Key("Font")
	seen := map[string]bool{}
	for _, k := range fonts.Keys() {
		f := fonts.Key(k)
		desc := f.Key("DescendantFonts").Index(0).Key("FontDescriptor")
		if desc.Key("FontFile2").IsNull() {
			t.Errorf("font %s is not embedded", f.Key("BaseFont").Name())
		}
		if f.Key("ToUnicode").IsNull() {
			t.Errorf("font %s has no ToUnicode map", f.Key("BaseFont").Name())
		}
		seen[f.Key("BaseFont").Name()] = true
	}
	// The Go fonts (fpdf names them utf8go*) for Latin, Cyrillic and Nordic
	// letters, DejaVu Sans for the Vietnamese ones the Go fonts lack.
	var names []string
	for n := range seen {
		names = append(names, n)
	}
	joined := strings.Join(names, " ")
	if !strings.Contains(joined, "utf8goB") || !strings.Contains(joined, "utf8dejavu") {
		t.Errorf("page 1 fonts %v: want the Go fonts and DejaVu Sans", names)
	}
}

func TestRiderPDFIsDeterministic(t *testing.T) {
	r := fullRider(t)
	a, b := renderPDF(t, r, A4), renderPDF(t, r, A4)
	if !bytes.Equal(a, b) {
		t.Fatal("two renders of the same rider differ")
	}
	sum := sha256.Sum256(a)
	golden := filepath.Join("testdata", "rider.pdf.sha256")
	got := hex.EncodeToString(sum[:]) + "\n"
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with -update)", err)
	}
	if got != string(want) {
		t.Errorf("rider PDF hash %s, golden %s (run with -update after checking the PDF)", got, want)
	}
}

func TestSignedRiderPDFEndsWithCertificate(t *testing.T) {
	r := fullRider(t)
	s := fullSignature(t, r)
	var b bytes.Buffer
	if err := RenderSignedRiderPDF(&b, r, s, Letter); err != nil {
		t.Fatal(err)
	}
	pages := pdfText(t, b.Bytes())
	last := flat(pages[len(pages)-1:])
	for _, w := range []string{
		"Signature certificate", s.TypedName, "314, zoe@example.test",
		"Wednesday 4 March 2026, 09:30 PST (UTC-08:00, America/Los_Angeles)",
		s.IP, s.UserAgent, s.DocumentDigest, "Agreed to sign electronically", "yes",
		"agree to sign it electronically",
	} {
		if !strings.Contains(last, w) {
			t.Errorf("certificate page lacks %q:\n%s", w, last)
		}
	}
	if all := flat(pages[:len(pages)-1]); !strings.Contains(all, "simulated orgasm") {
		t.Error("the signed PDF lacks the rider before its certificate")
	}
}

func TestSignedRiderIsRefusedWhenItDoesNotMatch(t *testing.T) {
	r := fullRider(t)
	changed := fullRider(t)
	changed.Scenes[0].Acts = append(changed.Scenes[0].Acts, "simulated oral sex")
	for _, tc := range []struct {
		name string
		sig  func(Signature) Signature
		want error
	}{
		{"signed another version", func(s Signature) Signature { s.DocumentDigest = Digest(changed); return s }, ErrDigestMismatch},
		{"no digest", func(s Signature) Signature { s.DocumentDigest = ""; return s }, ErrDigestMismatch},
		{"did not agree", func(s Signature) Signature { s.Agreed = false; return s }, ErrNotAgreed},
		{"no typed name", func(s Signature) Signature { s.TypedName = ""; return s }, ErrNoTypedName},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := tc.sig(fullSignature(t, r))
			var b bytes.Buffer
			if err := RenderSignedRiderPDF(&b, r, s, A4); !errors.Is(err, tc.want) {
				t.Errorf("PDF: got %v, want %v", err, tc.want)
			}
			if err := RenderSignedRiderHTML(&b, r, s); !errors.Is(err, tc.want) {
				t.Errorf("HTML: got %v, want %v", err, tc.want)
			}
			if b.Len() != 0 {
				t.Errorf("a refused signature wrote %d bytes", b.Len())
			}
		})
	}
}

func TestLongRiderPaginatesWithoutLosingText(t *testing.T) {
	r := longRider(t, 30)
	pages := pdfText(t, renderPDF(t, r, A4))
	if len(pages) < 20 {
		t.Fatalf("30 long scenes on %d pages: text was lost or squeezed", len(pages))
	}
	// A paragraph that crosses a page break has the footer drawn in between.
	var body []string
	for _, p := range pages {
		for _, line := range strings.Split(p, "\n") {
			if !strings.Contains(line, " · page ") {
				body = append(body, line)
			}
		}
	}
	all := squash(strings.Join(body, ""))
	for _, s := range r.Scenes {
		for _, w := range []string{s.Description, s.Acts[0], s.Conditions[0], s.Conditions[1], sceneTitle(s.Number, s.Heading)} {
			if !strings.Contains(all, squash(w)) {
				t.Errorf("scene %s: text lost: %.60q...", s.Number, w)
			}
		}
	}
	for i, p := range pages {
		if want := fmt.Sprintf("page %d of %d", i+1, len(pages)); !strings.Contains(p, want) {
			t.Errorf("page %d lacks %q", i+1, want)
		}
	}
}

// squash drops all white space, so text compares equal however it wrapped,
// even a word broken across lines.
func squash(s string) string {
	return strings.Join(strings.Fields(s), "")
}

func TestRiderPDFRefusesAnIncompleteRider(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit func(*Rider)
		want string
	}{
		{"no id", func(r *Rider) { r.ID = "" }, "no id"},
		{"no production", func(r *Rider) { r.Production = "" }, "no production"},
		{"no performer", func(r *Rider) { r.Performer.Name = "" }, "no performer"},
		{"no issue time", func(r *Rider) { r.IssuedAt = time.Time{} }, "no issue time"},
		{"no scenes", func(r *Rider) { r.Scenes = nil }, "no scenes"},
		{"scene without number", func(r *Rider) { r.Scenes[1].Number = "" }, "scene 2 has no number"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := fullRider(t)
			tc.edit(&r)
			var b bytes.Buffer
			err := RenderRiderPDF(&b, r, A4)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v, want an error saying %q", err, tc.want)
			}
			if b.Len() != 0 {
				t.Errorf("wrote %d bytes for an incomplete rider", b.Len())
			}
		})
	}
}

// TestUndrawableCharactersAreSpelledOut: a character no embedded font can
// draw is printed as its code point rather than dropped or boxed.
func TestUndrawableCharactersAreSpelledOut(t *testing.T) {
	r := fullRider(t)
	r.Performer.Name = "Mei 😀 Lin"
	r.Scenes[0].Acts = []string{"tab\there", "bad \xff byte"}
	text := flat(pdfText(t, renderPDF(t, r, A4)))
	for _, w := range []string{"Mei <U+1F600> Lin", "tab here", "bad \uFFFD byte"} {
		if !strings.Contains(text, w) {
			t.Errorf("PDF lacks %q", w)
		}
	}
}

// TestPageSizeForAProductionsZone: Letter in the Americas, A4 elsewhere
// and when the zone is unknown.
func TestPageSizeForAProductionsZone(t *testing.T) {
	for zone, want := range map[string]PageSize{
		"America/Los_Angeles": Letter, "America/Toronto": Letter, "America/New_York": Letter, "US/Pacific": Letter,
		"Europe/London": A4, "Europe/Berlin": A4, "Australia/Sydney": A4, "UTC": A4, "": A4, "Americana/Nowhere": A4,
	} {
		if got := PageSizeFor(zone); got != want {
			t.Errorf("PageSizeFor(%q) = %s, want %s", zone, got, want)
		}
	}
}
