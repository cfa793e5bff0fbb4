package production

import (
	"closedset"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strings"

	"closedset/breakdown"
	"closedset/screenplay"
)

// Draft is one script file read and broken down, ready to be kept as a
// revision: what an upload and the demo production both store.
type Draft struct {
	Title  string
	Format screenplay.Format
	// Colour is the revision colour: the last revision set of a Final
	// Draft file, else a title-page "Revision" or "Draft" line naming a
	// colour; "" when the file does not say.
	Colour string
	// Date is the draft date as the title page writes it, "" if none.
	Date   string
	SHA256 string // hex SHA-256 of the file as given
	Scenes []DraftScene
	// Summary is the breakdown's summary of the whole draft.
	Summary breakdown.Summary
}

// DraftScene is one scene with its breakdown and the text a consent binds
// to.
type DraftScene struct {
	breakdown.Scene
	Text     string // SceneText
	TextHash string // TextHash(Text)
}

// ReadDraft parses a script file of any supported format and breaks it
// down. Errors are the screenplay reader's, naming the file.
func ReadDraft(ctx context.Context, name string, data []byte, opts screenplay.Options, bo breakdown.Options) (*Draft, error) {
	opts.Name = name
	s, err := screenplay.ReadContext(ctx, data, opts)
	if err != nil {
		return nil, err
	}
	b := breakdown.Analyze(s, bo)
	sum := sha256.Sum256(data)
	d := &Draft{
		Title:   b.Title,
		Format:  s.Format,
		Date:    titleValue(s, "draft date", "date"),
		Colour:  colour(s),
		SHA256:  hex.EncodeToString(sum[:]),
		Scenes:  make([]DraftScene, len(b.Scenes)),
		Summary: b.Summary,
	}
	for i := range b.Scenes {
		text := SceneText(&s.Scenes[i])
		d.Scenes[i] = DraftScene{Scene: b.Scenes[i], Text: text, TextHash: TextHash(text)}
	}
	return d, nil
}

// RevisionScenes is what MatchScenes and IntimacyDiff need of a draft's
// scenes.
func (d *Draft) RevisionScenes() []RevisionScene {
	out := make([]RevisionScene, len(d.Scenes))
	for i, sc := range d.Scenes {
		out[i] = RevisionScene{Number: sc.Number, Heading: sc.Heading, Text: sc.Text, Flags: Categories(sc.Flags)}
	}
	return out
}

// Categories is the sorted, distinct categories of flags.
func Categories(flags []breakdown.Flag) []string {
	var out []string
	for _, f := range flags {
		if c := string(f.Category); !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	slices.Sort(out)
	return out
}

func titleValue(s *screenplay.Script, keys ...string) string {
	for _, k := range keys {
		for _, f := range s.Title {
			if strings.EqualFold(strings.TrimSpace(f.Key), k) {
				return firstLine(f.Value)
			}
		}
	}
	return ""
}

func firstLine(v string) string {
	v, _, _ = strings.Cut(strings.TrimSpace(v), "\n")
	return strings.TrimSpace(v)
}

// revisionColours are the industry's revision colours in order
// (DOMAIN.md): a title-page line naming one gives the draft's colour.
var revisionColours = []string{"white", "blue", "pink", "yellow", "green", "goldenrod", "buff", "salmon", "cherry", "tan", "gray", "grey"}

func colour(s *screenplay.Script) string {
	if n := len(s.Revisions); n > 0 {
		if c := strings.ToLower(strings.TrimSpace(s.Revisions[n-1].Color)); c != "" {
			return c
		}
	}
	for _, f := range s.Title {
		v := strings.ToLower(f.Value)
		for _, c := range revisionColours {
			for _, w := range strings.FieldsFunc(v, func(r rune) bool { return r < 'a' || r > 'z' }) {
				if w == c {
					if c == "grey" {
						return "gray"
					}
					return c
				}
			}
		}
	}
	return ""
}

// Bounds on a draft a production keeps: far above any real script (a
// feature has 100 to 250 scenes, a season's scripts fewer each), so that
// one upload cannot hold the store for long or grow every page with it.
const (
	MaxScenes          = 2000 // scenes in one draft
	MaxSceneCharacters = 200  // characters present in one scene
	MaxDraftCharacters = 1000 // distinct characters in one draft
)

// CheckSize refuses a draft past the bounds, naming the one it passes.
func (d *Draft) CheckSize(name string) error {
	if len(d.Scenes) > MaxScenes {
		return closedset.Errorf(closedset.TooLarge, "%s has %d scenes, over the %d one draft may have", name, len(d.Scenes), MaxScenes)
	}
	all := map[string]bool{}
	for _, sc := range d.Scenes {
		if len(sc.Present) > MaxSceneCharacters {
			return closedset.Errorf(closedset.TooLarge, "%s: scene %d names %d characters, over the %d one scene may have", name, sc.Index, len(sc.Present), MaxSceneCharacters)
		}
		for _, c := range sc.Present {
			all[c] = true
		}
	}
	if len(all) > MaxDraftCharacters {
		return closedset.Errorf(closedset.TooLarge, "%s names %d characters, over the %d one draft may have", name, len(all), MaxDraftCharacters)
	}
	return nil
}
