package docs

import (
	"bytes"
	"strings"
	"testing"
)

// beyondLine is fullRider's line beyond the performer's boundaries.
const beyondLine = "no touch on back"

func TestARiderWithoutLinesBeyondBoundariesKeepsItsDigest(t *testing.T) {
	// The digest of fullRider before riders carried lines beyond the
	// boundaries: a rider issued then must still decode as the one issued.
	r := fullRider(t)
	r.Scenes[0].Beyond = nil
	if got, want := Digest(r), "177fc8bbf76f0c0da261e8e1762f7972ae4d9ef940f7023dc585c0f82623d6ee"; got != want {
		t.Errorf("digest = %s, want the digest riders had before: %s", got, want)
	}
}

func TestThePerformerReadsTheLinesBeyondTheirBoundaries(t *testing.T) {
	r := fullRider(t)
	var h bytes.Buffer
	if err := RenderRiderHTML(&h, r); err != nil {
		t.Fatal(err)
	}
	text := flat(pdfText(t, renderPDF(t, r, Letter)))
	for name, doc := range map[string]string{"HTML": h.String(), "PDF": text} {
		for _, w := range []string{"Beyond the boundaries you recorded", beyondLine, "You do not have to agree to them"} {
			if !strings.Contains(doc, w) {
				t.Errorf("the %s rider lacks %q", name, w)
			}
		}
	}
}

func TestAWithheldRiderHidesTheLinesAndKeepsTheSignature(t *testing.T) {
	r := fullRider(t)
	sig := fullSignature(t, r)
	w := r.WithholdPrivate()
	if Digest(w) != Digest(r) {
		t.Fatalf("the withheld copy's digest %s is not the issued %s", Digest(w), Digest(r))
	}
	if len(r.Scenes[0].Beyond) == 0 {
		t.Fatal("withholding changed the rider it was made from")
	}
	if !w.Scenes[0].Withheld() || w.Scenes[1].Withheld() {
		t.Errorf("withheld marks = %v, %v; want the first scene only", w.Scenes[0].Withheld(), w.Scenes[1].Withheld())
	}
	var h, p bytes.Buffer
	if err := RenderSignedRiderHTML(&h, w, sig); err != nil {
		t.Fatalf("the withheld copy's signature does not check: %v", err)
	}
	if err := RenderSignedRiderPDF(&p, w, sig, A4); err != nil {
		t.Fatalf("the withheld copy's signature does not check: %v", err)
	}
	text := flat(pdfText(t, p.Bytes()))
	for name, doc := range map[string]string{"HTML": h.String(), "PDF": text} {
		if strings.Contains(doc, beyondLine) || strings.Contains(doc, "Beyond the boundaries you recorded") {
			t.Errorf("the withheld %s rider shows the lines beyond the boundaries", name)
		}
		if !strings.Contains(doc, "shown only to the performer and the intimacy coordinators") {
			t.Errorf("the withheld %s rider does not say lines were withheld", name)
		}
		if !strings.Contains(doc, Digest(r)) {
			t.Errorf("the withheld %s rider does not carry the issued digest", name)
		}
	}
}

// TestARiderSaysWhatChangedSinceTheSignedOne: a new rider's scene lists
// what changed since the performer signed for it, in the HTML and the PDF
// she signs, and the change is part of what she signs (the digest).
func TestARiderSaysWhatChangedSinceTheSignedOne(t *testing.T) {
	r := fullRider(t)
	before := Digest(r)
	changed := "the script now reads: Mara kisses him, [removed: tentative] [added: hungry] at first."
	r.Scenes[0].Changed = []string{changed}
	if Digest(r) == before {
		t.Error("the changes are not part of the rider's digest")
	}
	var h bytes.Buffer
	if err := RenderRiderHTML(&h, r); err != nil {
		t.Fatal(err)
	}
	text := flat(pdfText(t, renderPDF(t, r, Letter)))
	for name, doc := range map[string]string{"HTML": h.String(), "PDF": text} {
		for _, w := range []string{"What changed since the rider you signed", "[removed: tentative] [added: hungry]"} {
			if !strings.Contains(doc, w) {
				t.Errorf("the %s rider lacks %q", name, w)
			}
		}
	}
}

// TestAWithheldRiderCannotBeGuessedFromItsDigest: a reader of a withheld
// copy sees the digest and every other field; putting a guessed line back
// (even the right one) does not give the digest, because the salt it was
// issued with is withheld too.
func TestAWithheldRiderCannotBeGuessedFromItsDigest(t *testing.T) {
	r := fullRider(t)
	r.Salt = "5f2c0d9e4b7a18c63e0f9a2b1c4d5e6f"
	w := r.WithholdPrivate()
	if w.Salt != "" || Digest(w) != Digest(r) {
		t.Fatalf("withheld copy: salt %q, digest %s; want no salt and the issued digest %s", w.Salt, Digest(w), Digest(r))
	}
	guess := w
	guess.issued = ""
	guess.Scenes = append([]RiderScene(nil), w.Scenes...)
	guess.Scenes[0].Beyond = r.Scenes[0].Beyond // the right guess
	if Digest(guess) == Digest(r) {
		t.Fatal("the withheld lines can be confirmed against the digest")
	}
}
