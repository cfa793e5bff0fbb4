package screenplay

import (
	"math"
	"regexp"
	"strings"
)

// The words that tell one caps line from another are data: a new
// transition or shot is a new alternative here, not a new branch.
var (
	slugline   = regexp.MustCompile(`^(INT|EXT|EST|I/E|E/I|INT\.?\s*/\s*EXT|EXT\.?\s*/\s*INT|INT\.?\s*-\s*EXT|INTERIOR|EXTERIOR)(\.|\s|/|$)`)
	transition = regexp.MustCompile(`^(FADE IN:?|FADE OUT\.?|FADE TO BLACK\.?|CUT TO BLACK\.?|SMASH TO BLACK\.?|BLACKOUT\.?|IRIS (IN|OUT)\.?|[A-Z .'’-]* TO:|[A-Z .'’-]*(CUT|DISSOLVE|FADE|WIPE):)$`)
	actBreak   = regexp.MustCompile(`^(COLD OPEN|TEASER|PROLOGUE|EPILOGUE|TAG|(END OF )?(ACT|PART) (ONE|TWO|THREE|FOUR|FIVE|SIX|SEVEN|EIGHT|NINE|TEN|\d{1,2}|[IVX]{1,5})|END OF (TEASER|COLD OPEN|TAG|SHOW|EPISODE|PROLOGUE|EPILOGUE))\.?$`)
	shotLine   = regexp.MustCompile(`^(ANGLE ON|REVERSE ANGLE|CLOSE ON|CLOSE UP|CLOSE-UP|CLOSEUP|EXTREME CLOSE|ECU|WIDE ON|WIDE SHOT|NEW ANGLE|NEW SHOT|PUSH IN|PUSH ON|PULL BACK|PULL OUT|DOLLY|TRACKING|PAN (TO|UP|DOWN|ACROSS)|TILT|ZOOM|BACK TO SCENE|BACK TO|INTERCUT|INTER-CUT|INSERT|POV|.{1,40}'S POV|ON THE|OVER BLACK|SERIES OF SHOTS|MONTAGE|END MONTAGE|END OF MONTAGE|SPLIT SCREEN|AERIAL|TWO SHOT|MEDIUM SHOT|OVERHEAD SHOT)\b`)
	omitted    = regexp.MustCompile(`(?i)^(scene\s+)?omitted\.?$`)
	contdMark  = regexp.MustCompile(`(?i)\s*\((cont['’]?d\.?|cont\.|continued|con['’]t|cont)\)`)
	cueText    = regexp.MustCompile(`^[^a-z]*\p{Lu}[^:!?]*$`)
)

// elements reads the body rows in order into elements.
func (d *layoutDoc) elements(rows []*row) []Element {
	var out []Element
	for i := 0; i < len(rows); {
		if n, els := d.dualBlock(rows, i); n > 0 {
			out = append(out, els...)
			i += n
			continue
		}
		kind := d.kindOf(rows, i)
		var n int
		var els []Element
		switch kind {
		case Character:
			n, els = d.speech(rows, i)
		case SceneHeading:
			n, els = d.heading(rows, i)
		default:
			n, els = d.paragraph(rows, i, kind)
		}
		out = append(out, els...)
		i += n
	}
	return out
}

// follows reports whether b is the printed line right after a on the page.
func follows(a, b *row) bool {
	return a.page == b.page && b.y-a.y <= 1.35
}

func (d *layoutDoc) dx(r *row) float64 { return r.x - d.left }

// kindOf judges one row by its indent, its case and what follows it.
func (d *layoutDoc) kindOf(rows []*row, i int) ElementType {
	r := rows[i]
	t, dx, caps := r.text, d.dx(r), isCaps(r.text)
	if r.number != "" && dx < 0.5*inch {
		if omitted.MatchString(t) {
			return Action
		}
		return SceneHeading
	}
	if dx < 0.5*inch {
		switch {
		case !caps:
			return Action
		case slugline.MatchString(t):
			return SceneHeading
		case transition.MatchString(t):
			return Transition
		case actBreak.MatchString(t):
			return ActBreak
		case shotLine.MatchString(t):
			return Shot
		}
		return Action
	}
	if strings.HasPrefix(t, "(") {
		return Parenthetical
	}
	if caps {
		switch {
		case transition.MatchString(t) && dx >= 2*inch:
			return Transition
		case d.isCue(rows, i):
			return Character
		case actBreak.MatchString(t):
			return ActBreak
		case dx >= 3.5*inch && len(t) <= 30 && (strings.HasSuffix(t, ":") || strings.HasSuffix(t, ".")):
			return Transition // right-aligned, in words the list does not know
		}
	}
	if math.Abs((r.x+r.end)/2-(d.left+3*inch)) <= 0.4*inch && dx >= inch {
		return Centered
	}
	if dx < d.cueMin && !caps {
		return Dialogue // dialogue whose cue is lost (a page break)
	}
	return Action
}

// isCue reports whether row i is a character cue: a short caps line at the
// cue indent with dialogue or a parenthetical right under it.
func (d *layoutDoc) isCue(rows []*row, i int) bool {
	r := rows[i]
	if d.dx(r) < d.cueMin-0.1*inch || d.dx(r) > 4.2*inch || len(r.text) > 60 || !cueText.MatchString(r.text) {
		return false
	}
	if i+1 >= len(rows) || !follows(r, rows[i+1]) {
		return false
	}
	next := rows[i+1]
	return d.dx(next) >= 0.5*inch && next.x < r.x+0.05*inch
}

// speech reads a cue and the parentheticals and dialogue under it.
func (d *layoutDoc) speech(rows []*row, i int) (int, []Element) {
	cue := rows[i]
	out := []Element{d.element(Character, cue, cleanCue(cue.text))}
	j := i + 1
	for j < len(rows) && follows(rows[j-1], rows[j]) && d.dx(rows[j]) >= 0.5*inch {
		r := rows[j]
		if j > i+1 && isCaps(r.text) && d.isCue(rows, j) && !strings.HasPrefix(r.text, "(") {
			break // the next speaker, with no blank line between
		}
		if strings.HasPrefix(r.text, "(") {
			n := 1
			for !strings.Contains(rows[j+n-1].text, ")") && j+n < len(rows) && follows(rows[j+n-1], rows[j+n]) && d.dx(rows[j+n]) >= 0.5*inch {
				n++
			}
			out = append(out, d.joined(Parenthetical, rows[j:j+n]))
			j += n
			continue
		}
		n := 1
		for j+n < len(rows) && follows(rows[j+n-1], rows[j+n]) && d.dx(rows[j+n]) >= 0.5*inch &&
			!strings.HasPrefix(rows[j+n].text, "(") && !(isCaps(rows[j+n].text) && d.isCue(rows, j+n) && rows[j+n].x > r.x+0.3*inch) {
			n++
		}
		out = append(out, d.joined(Dialogue, rows[j:j+n]))
		j += n
	}
	return j - i, out
}

// cleanCue strips (CONT'D) in any spelling from a cue: it only repeats the
// speaker across a page break or an action line.
func cleanCue(t string) string {
	return strings.TrimSpace(contdMark.ReplaceAllString(t, ""))
}

// heading reads a scene heading, joining a heading that wraps onto the next
// line (a long slug, or one whose last words Final Draft pushes down).
func (d *layoutDoc) heading(rows []*row, i int) (int, []Element) {
	r := rows[i]
	n := 1
	for i+n < len(rows) && follows(rows[i+n-1], rows[i+n]) {
		next := rows[i+n]
		if next.number != "" && next.number != r.number || !isCaps(next.text) || d.dx(next) >= 0.5*inch && len(next.text) > 12 {
			break
		}
		if d.dx(next) < 0.5*inch && rows[i+n-1].end < d.left+4*inch {
			break // a short heading is complete; a caps line under it is action
		}
		if slugline.MatchString(next.text) || shotLine.MatchString(next.text) || transition.MatchString(next.text) {
			break
		}
		n++
	}
	el := d.element(SceneHeading, r, "")
	var parts []string
	for _, x := range rows[i : i+n] {
		parts = append(parts, x.text)
	}
	el.Text = strings.Join(parts, " ")
	el.Number = r.number
	return n, []Element{el}
}

// paragraph reads an action paragraph (or a run of lines of one kind) up
// to a blank line or a line of another kind.
func (d *layoutDoc) paragraph(rows []*row, i int, kind ElementType) (int, []Element) {
	r := rows[i]
	n := 1
	if kind == Action || kind == Centered || kind == Dialogue {
		for i+n < len(rows) && follows(rows[i+n-1], rows[i+n]) && d.kindOf(rows, i+n) == kind &&
			(kind != Action || math.Abs(rows[i+n].x-r.x) < 0.5*inch) {
			n++
		}
	}
	el := d.joined(kind, rows[i:i+n])
	if kind == Action && r.number != "" {
		el.Number = r.number
	}
	return n, []Element{el}
}

func (d *layoutDoc) element(t ElementType, r *row, text string) Element {
	if text == "" {
		text = r.text
	}
	el := Element{Type: t, Text: squeeze(text), Line: r.line}
	if d.pages > 0 {
		el.Page = r.page
		el.PageLine = max(0, r.y-d.top)
	}
	return el
}

// joined makes one element of consecutive rows, one line of Text each.
func (d *layoutDoc) joined(t ElementType, rows []*row) Element {
	el := d.element(t, rows[0], "")
	var lines []string
	var offs []int
	regular := true
	for k, r := range rows {
		lines = append(lines, squeeze(r.text))
		offs = append(offs, r.line-rows[0].line)
		if r.line-rows[0].line != k {
			regular = false
		}
	}
	el.Text = strings.Join(lines, "\n")
	if !regular {
		el.LineOffsets = offs
	}
	return el
}

// squeeze collapses the runs of spaces that justified or column text leaves.
func squeeze(s string) string {
	return strings.TrimSpace(spaces.ReplaceAllString(s, " "))
}
