package docs

import (
	"bytes"
	"html"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// checkGolden compares got with testdata/name, rewriting it under -update.
func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (run with -update after checking it)", name)
	}
}

func TestRiderHTMLGolden(t *testing.T) {
	r := fullRider(t)
	var plain, signed, summary bytes.Buffer
	if err := RenderRiderHTML(&plain, r); err != nil {
		t.Fatal(err)
	}
	if err := RenderSignedRiderHTML(&signed, r, fullSignature(t, r)); err != nil {
		t.Fatal(err)
	}
	if err := RenderSummaryHTML(&summary, fullSummary(t)); err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "rider.golden.html", plain.Bytes())
	checkGolden(t, "rider_signed.golden.html", signed.Bytes())
	checkGolden(t, "summary.golden.html", summary.Bytes())
}

func TestRiderHTMLCarriesEveryField(t *testing.T) {
	r := fullRider(t)
	var b bytes.Buffer
	if err := RenderRiderHTML(&b, r); err != nil {
		t.Fatal(err)
	}
	text := html.UnescapeString(b.String())
	for _, w := range riderFieldTexts(r) {
		if !strings.Contains(text, w) {
			t.Errorf("rider HTML lacks %q", w)
		}
	}
	if strings.Contains(text, "Signature certificate") {
		t.Error("an unsigned rider shows a signature certificate")
	}
}

func TestSignedRiderHTMLShowsTheSignature(t *testing.T) {
	r := fullRider(t)
	s := fullSignature(t, r)
	var b bytes.Buffer
	if err := RenderSignedRiderHTML(&b, r, s); err != nil {
		t.Fatal(err)
	}
	text := html.UnescapeString(b.String())
	for _, w := range []string{"Signature certificate", s.TypedName, s.UserEmail, s.IP, s.UserAgent, s.DocumentDigest, whenText(s.SignedAt)} {
		if !strings.Contains(text, w) {
			t.Errorf("signed rider HTML lacks %q", w)
		}
	}
}

func TestHTMLEscapesEveryValue(t *testing.T) {
	const evil = `<script>alert(1)</script>`
	r := fullRider(t)
	r.Performer.Name = evil
	r.Production = evil
	r.Scenes[0].Acts = []string{evil}
	r.Scenes[0].Description = `"><img src=x onerror=alert(1)>`
	s := fullSignature(t, r)
	s.UserAgent = evil
	sum := fullSummary(t)
	sum.Scenes[0].People[0].Name = evil
	sum.Scenes[0].Costume = []string{evil}

	docs := map[string]func(*bytes.Buffer) error{
		"rider":   func(b *bytes.Buffer) error { return RenderRiderHTML(b, r) },
		"signed":  func(b *bytes.Buffer) error { return RenderSignedRiderHTML(b, r, s) },
		"summary": func(b *bytes.Buffer) error { return RenderSummaryHTML(b, sum) },
	}
	for name, render := range docs {
		t.Run(name, func(t *testing.T) {
			var b bytes.Buffer
			if err := render(&b); err != nil {
				t.Fatal(err)
			}
			out := b.String()
			if strings.Contains(out, "<script") || strings.Contains(out, "<img") {
				t.Errorf("markup from a field reached the page:\n%s", out)
			}
			if !strings.Contains(out, "&lt;script&gt;alert(1)&lt;/script&gt;") {
				t.Error("the escaped name is missing")
			}
		})
	}
}

// TestHTMLIsSelfContained: a rider is printed, mailed and opened offline, so
// it loads nothing from anywhere.
func TestHTMLIsSelfContained(t *testing.T) {
	r := fullRider(t)
	var b bytes.Buffer
	if err := RenderSignedRiderHTML(&b, r, fullSignature(t, r)); err != nil {
		t.Fatal(err)
	}
	if err := RenderSummaryHTML(&b, fullSummary(t)); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, bad := range []string{"<script", "<link", "src=", "@import", "url(", "http://", "https://"} {
		if strings.Contains(out, bad) {
			t.Errorf("HTML contains %q", bad)
		}
	}
	if !strings.Contains(out, `name="viewport"`) {
		t.Error("no viewport meta: unreadable on a phone")
	}
}
