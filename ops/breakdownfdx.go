package ops

import (
	"bytes"
	"closedset"
	"context"
	"strings"

	"closedset/auth"
	"closedset/production"
	"closedset/screenplay"
)

// Final Draft out (issue 17, item 2): a revision's intimacy breakdown as
// Final Draft tagging, so that it opens in Final Draft's breakdown
// reports and travels on to the scheduling tools that read them.

// IntimacyCategory is the tag category of the export.
const IntimacyCategory = "Intimacy"

// BreakdownFDX writes the revision's scenes as a Final Draft file with a
// TagData category Intimacy: one tag per flagged category per scene (the
// flags an IC confirmed or has not reviewed; dismissed ones left out),
// linked to the paragraph of the flag's evidence. The scenes' text is the
// text consents bind to, one paragraph a line; the flags' evidence is the
// script's own words, never a note or a boundary. It returns the file and
// a name for it.
func (o *Ops) BreakdownFDX(ctx context.Context, c Caller, revisionID int64) ([]byte, string, error) {
	if err := c.check(auth.SceneRead, false); err != nil {
		return nil, "", err
	}
	rev, err := o.store.Revision(ctx, revisionID)
	if closedset.Is(err, closedset.NotFound) || err == nil && rev.ProductionID != c.ProductionID {
		return nil, "", closedset.Errorf(closedset.NotFound, "no revision %d in this production", revisionID)
	}
	if err != nil {
		return nil, "", err
	}
	scenes, err := o.store.Scenes(ctx, revisionID)
	if err != nil {
		return nil, "", err
	}
	out := make([]screenplay.FDXScene, 0, len(scenes))
	for _, sc := range scenes {
		out = append(out, fdxScene(sc))
	}
	var b bytes.Buffer
	if err := screenplay.WriteFDX(&b, rev.Title, out); err != nil {
		return nil, "", err
	}
	name := strings.TrimSuffix(rev.Filename, "."+rev.Format)
	if name == "" {
		name = "script"
	}
	return b.Bytes(), name + "-intimacy-breakdown.fdx", nil
}

// fdxScene is one stored scene to write: its heading, its lines typed
// back roughly (a speaker's cue, a parenthetical and the line after
// them as dialogue, the rest action), and its Intimacy tags.
func fdxScene(sc production.Scene) screenplay.FDXScene {
	fs := screenplay.FDXScene{Number: sc.Number, Heading: sc.Heading}
	lines := strings.Split(sc.Text, "\n")
	if len(lines) > 0 && strings.EqualFold(strings.Join(strings.Fields(lines[0]), " "), strings.Join(strings.Fields(sc.Heading), " ")) {
		lines = lines[1:]
	}
	speakers := map[string]bool{}
	for _, s := range sc.Speaking {
		speakers[strings.ToUpper(s)] = true
	}
	speaking := false
	for _, l := range lines {
		if strings.TrimSpace(l) == "" {
			continue
		}
		typ := screenplay.Action
		cue := strings.TrimSpace(l)
		if i := strings.Index(cue, "("); i > 0 {
			cue = strings.TrimSpace(cue[:i])
		}
		switch {
		case speakers[cue] && cue == strings.ToUpper(cue):
			typ, speaking = screenplay.Character, true
		case speaking && strings.HasPrefix(l, "("):
			typ = screenplay.Parenthetical
		case speaking:
			typ, speaking = screenplay.Dialogue, false
		}
		fs.Paragraphs = append(fs.Paragraphs, screenplay.Element{Type: typ, Text: l})
	}
	for _, cat := range sc.Flagged() {
		t := screenplay.FDXTag{Tag: screenplay.Tag{Category: IntimacyCategory, Label: cat}}
		for _, fl := range sc.Flags {
			if string(fl.Category) == cat && len(fl.Evidence) > 0 {
				t.Near = fl.Evidence[0].Text
				break
			}
		}
		fs.Tags = append(fs.Tags, t)
	}
	return fs
}
