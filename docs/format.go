package docs

import (
	"strings"
	"time"
)

// The words both renderings use, so the HTML and the PDF say the same thing.

// pagesText says which script pages a scene is on and their revision:
// "pp. 34–35, blue revision 3 March 2026".
func pagesText(p ScriptPages) string {
	var b strings.Builder
	switch {
	case p.First == "" && p.Last == "":
		b.WriteString("pages not given")
	case p.Last == "" || p.Last == p.First:
		b.WriteString("p. " + p.First)
	case p.First == "":
		b.WriteString("p. " + p.Last)
	default:
		b.WriteString("pp. " + p.First + "–" + p.Last)
	}
	if p.Colour != "" {
		b.WriteString(", " + p.Colour + " revision")
	}
	if !p.RevisionDate.IsZero() {
		if p.Colour == "" {
			b.WriteString(", revision of")
		}
		b.WriteString(" " + p.RevisionDate.Format("2 January 2006"))
	}
	return b.String()
}

// whenText shows a time in its own location, with the zone spelled out so a
// reader in another zone cannot misread it.
func whenText(t time.Time) string {
	if t.IsZero() {
		return "not scheduled"
	}
	s := t.Format("Monday 2 January 2006, 15:04 MST") + " (UTC" + t.Format("-07:00")
	if loc := t.Location().String(); loc != "" && loc != "Local" && loc != "UTC" {
		s += ", " + loc
	}
	return s + ")"
}

func areaText(a ShownArea) string {
	if len(a.Angles) == 0 {
		return a.Area
	}
	return a.Area + " — " + strings.Join(a.Angles, ", ")
}

func nudityText(n Nudity) string {
	if n.Level == "" {
		return "none"
	}
	return n.Level
}

// orNone keeps an empty answer visible: on a rider "none" is a term too.
func orNone(s string) string {
	if strings.TrimSpace(s) == "" {
		return "none"
	}
	return s
}

func characters(cs []string) string {
	if len(cs) == 0 {
		return ""
	}
	return "as " + strings.Join(cs, ", ")
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
