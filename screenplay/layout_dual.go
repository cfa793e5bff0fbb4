package screenplay

import "strings"

// dualBlock reads two-column dual dialogue starting at row i: a row with
// two cues side by side, and the rows under it split at the gap between the
// columns. The left column comes first; the right column is marked Dual.
// It returns 0 when row i does not start dual dialogue.
func (d *layoutDoc) dualBlock(rows []*row, i int) (int, []Element) {
	r := rows[i]
	split := d.dualSplit(r)
	if split == 0 || i+1 >= len(rows) || !follows(r, rows[i+1]) {
		return 0, nil
	}
	n := 1
	for i+n < len(rows) && follows(rows[i+n-1], rows[i+n]) && d.dx(rows[i+n]) >= 0.2*inch {
		n++
	}
	var left, right []*row
	for _, x := range rows[i : i+n] {
		l, rt := splitRow(x, split)
		if l != nil {
			left = append(left, l)
		}
		if rt != nil {
			right = append(right, rt)
		}
	}
	out := d.column(left, false)
	return n, append(out, d.column(right, true)...)
}

// dualSplit returns the x where the right column starts when r holds two
// cues side by side, else 0.
func (d *layoutDoc) dualSplit(r *row) float64 {
	if len(r.segs) < 2 || d.dx(r) < 0.5*inch {
		return 0
	}
	for k := 1; k < len(r.segs); k++ {
		s := r.segs[k]
		if s.x-d.left < 2.8*inch || strings.HasPrefix(s.text, "(") {
			continue
		}
		l := joinSegs(r.segs[:k])
		rt := joinSegs(r.segs[k:])
		if isCaps(l) && isCaps(rt) && cueText.MatchString(l) && cueText.MatchString(rt) && len(l) <= 40 && len(rt) <= 40 {
			// The right column's dialogue starts left of its cue.
			return s.x - 1.2*inch
		}
	}
	return 0
}

func joinSegs(ss []seg) string {
	var parts []string
	for _, s := range ss {
		parts = append(parts, s.text)
	}
	return strings.Join(parts, " ")
}

// splitRow cuts a row at x into its left and right column parts.
func splitRow(r *row, x float64) (*row, *row) {
	var l, rt []seg
	for _, s := range r.segs {
		if s.x < x {
			l = append(l, s)
		} else {
			rt = append(rt, s)
		}
	}
	part := func(ss []seg) *row {
		if len(ss) == 0 {
			return nil
		}
		c := *r
		c.segs = ss
		c.setBody()
		return &c
	}
	return part(l), part(rt)
}

// column reads one column of dual dialogue: a cue, then parentheticals and
// dialogue.
func (d *layoutDoc) column(rows []*row, dual bool) []Element {
	if len(rows) == 0 {
		return nil
	}
	out := []Element{d.element(Character, rows[0], cleanCue(rows[0].text))}
	for j := 1; j < len(rows); {
		n := 1
		t := Dialogue
		if strings.HasPrefix(rows[j].text, "(") {
			t = Parenthetical
			for !strings.Contains(rows[j+n-1].text, ")") && j+n < len(rows) {
				n++
			}
		} else {
			for j+n < len(rows) && !strings.HasPrefix(rows[j+n].text, "(") {
				n++
			}
		}
		out = append(out, d.joined(t, rows[j:j+n]))
		j += n
	}
	for k := range out {
		out[k].Dual = dual
	}
	return out
}
