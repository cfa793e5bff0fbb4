package screenplay

import (
	"bytes"
	"fmt"
	"strings"
)

// Revision sets and scene lengths: the production metadata an FDX carries
// beside the text.

type revName struct {
	id   int
	name string
}

// addRevision reads one <Revision ID="1" Name="Blue Rev." Color="#..."/>.
func (p *fdxParser) addRevision() {
	if len(p.s.Revisions) >= 1000 {
		return // Final Draft offers a few dozen; ignore the rest of a hostile list
	}
	t := &p.tok
	get := func(name string) string {
		if a, ok := t.attr(name); ok {
			return strings.TrimSpace(string(p.attrValue(a)))
		}
		return ""
	}
	r := Revision{ID: get("ID"), Name: get("Name")}
	// PageColor (Final Draft 9 on) is the paper colour, what "pink pages"
	// means; Color is the colour of the marks on screen, which Final Draft 8
	// set to the paper colour by default but many writers left unchanged.
	r.Color = revisionColour(get("PageColor"), r.Name, get("Color"))
	p.s.Revisions = append(p.s.Revisions, r)
	p.revNames = append(p.revNames, revName{id: atoiBytes([]byte(r.ID)), name: r.Name})
}

// revisionPalette holds reference colours for each standard revision
// colour: Final Draft's paper colours and the plain colours of the marks.
var revisionPalette = []struct {
	name string
	rgb  [][3]int
}{
	{"white", [][3]int{{0xFF, 0xFF, 0xFF}}},
	{"blue", [][3]int{{0xC6, 0xED, 0xFE}, {0xAD, 0xD8, 0xE6}, {0x00, 0x00, 0xFF}}},
	{"pink", [][3]int{{0xFD, 0xCC, 0xD4}, {0xFF, 0xC0, 0xCB}, {0xFF, 0x69, 0xB4}, {0xFF, 0x00, 0xFF}}},
	{"yellow", [][3]int{{0xFD, 0xFF, 0xAB}, {0xFF, 0xFF, 0x99}, {0xFF, 0xFF, 0x00}}},
	{"green", [][3]int{{0xD1, 0xFE, 0xD0}, {0x90, 0xEE, 0x90}, {0x00, 0xFF, 0x00}, {0x00, 0x80, 0x00}}},
	{"goldenrod", [][3]int{{0xFA, 0xCD, 0x39}, {0xDA, 0xA5, 0x20}}},
	{"buff", [][3]int{{0xFC, 0xED, 0x9D}, {0xF0, 0xDC, 0x82}}},
	{"salmon", [][3]int{{0xF8, 0xAE, 0x8E}, {0xFA, 0x80, 0x72}}},
	{"cherry", [][3]int{{0xFB, 0xA4, 0xB4}, {0xDE, 0x31, 0x63}, {0xD2, 0x04, 0x2D}}},
	{"tan", [][3]int{{0xFD, 0xF1, 0xC7}, {0xD2, 0xB4, 0x8C}}},
}

// revisionColour names a revision's colour: the paper colour when the file
// gives one, else a colour the set's name states ("2nd Blue Rev."), else the
// nearest standard colour to the mark colour, else the mark colour in hex.
func revisionColour(page, name, mark string) string {
	if rgb, ok := parseFDXColour(page); ok {
		return nearestColour(rgb)
	}
	lower := strings.ToLower(name)
	for _, f := range strings.FieldsFunc(lower, func(r rune) bool { return !('a' <= r && r <= 'z') }) {
		for _, c := range revisionPalette {
			if f == c.name {
				return c.name
			}
		}
	}
	if rgb, ok := parseFDXColour(mark); ok {
		return nearestColour(rgb)
	}
	return ""
}

// nearestColour names the standard revision colour nearest rgb, or returns
// it as #RRGGBB when it is far from all of them (black, a dark red).
func nearestColour(rgb [3]int) string {
	const far = 80 * 80
	best, bestD := "", far+1
	for _, c := range revisionPalette {
		for _, ref := range c.rgb {
			d := 0
			for i := range rgb {
				d += (rgb[i] - ref[i]) * (rgb[i] - ref[i])
			}
			if d < bestD {
				best, bestD = c.name, d
			}
		}
	}
	if bestD <= far {
		return best
	}
	return fmt.Sprintf("#%02X%02X%02X", rgb[0], rgb[1], rgb[2])
}

// parseFDXColour reads Final Draft's #RRRRGGGGBBBB (16 bits a channel) or a
// plain #RRGGBB.
func parseFDXColour(s string) ([3]int, bool) {
	s = strings.TrimPrefix(s, "#")
	var width int
	switch len(s) {
	case 12:
		width = 4
	case 6:
		width = 2
	default:
		return [3]int{}, false
	}
	var rgb [3]int
	for i := range rgb {
		v := 0
		for _, c := range []byte(s[i*width : i*width+width]) {
			d, ok := digitValue(c, 16)
			if !ok {
				return [3]int{}, false
			}
			v = v*16 + int(d)
		}
		if width == 4 {
			v >>= 8
		}
		rgb[i] = v
	}
	return rgb, true
}

// parseEighths reads a scene length as Final Draft writes it: "3/8", "1",
// "1 3/8". Anything else is 0 (no stated length): a bad length is not worth
// refusing a script over.
func parseEighths(b []byte) int {
	const maxPages = 10_000
	b = bytes.TrimSpace(b)
	wholePart, fracPart, twoParts := bytes.Cut(b, []byte{' '})
	if !twoParts {
		if bytes.IndexByte(b, '/') >= 0 {
			wholePart, fracPart = nil, b
		} else {
			wholePart, fracPart = b, nil
		}
	}
	whole, frac := 0, 0
	if wholePart != nil {
		whole = atoiBytes(wholePart)
		if whole == 0 && string(wholePart) != "0" || whole > maxPages {
			return 0
		}
	}
	if fracPart != nil {
		if frac = parseFraction(bytes.TrimSpace(fracPart)); frac < 0 {
			return 0
		}
	}
	return whole*8 + frac
}

// parseFraction reads "n/8" with 0 <= n < 8; -1 when it is not one.
func parseFraction(b []byte) int {
	num, den, ok := bytes.Cut(b, []byte{'/'})
	if !ok || string(den) != "8" || len(num) == 0 {
		return -1
	}
	n := atoiBytes(num)
	if n > 7 || n == 0 && string(num) != "0" {
		return -1
	}
	return n
}
