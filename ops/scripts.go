package ops

import (
	"closedset"
	"context"
	"path"
	"slices"
	"strings"

	"closedset/auth"
	"closedset/breakdown"
	"closedset/production"
	"closedset/screenplay"
	"closedset/textfield"
)

// The application operations the API and the pages share: handlers
// decode their input, call one of these, and render the result.

// UploadScript parses and breaks down a script file (a file that is no
// screenplay is unprocessable, with the reader's message) and stores it as
// a new script of the caller's production, or as the next revision of
// scriptID when it is not 0. A revision carries, in the same transaction,
// the IC's reviews of unchanged scenes and every scene's plan to its match
// in the new draft, so that a changed scene's consents are stale from the
// moment the draft exists (invariant 1). Nothing is written unless
// everything succeeds.
func (o *Ops) UploadScript(ctx context.Context, c Caller, scriptID int64, filename string, data []byte) (production.Revision, error) {
	if err := c.check(auth.ScriptUpload, false); err != nil {
		return production.Revision{}, err
	}
	name, err := cleanFilename(filename)
	if err != nil {
		return production.Revision{}, err
	}
	switch {
	case int64(len(data)) > o.maxUpload:
		return production.Revision{}, closedset.Errorf(closedset.TooLarge, "%s is over the %d-byte upload limit", name, o.maxUpload)
	case len(data) == 0:
		return production.Revision{}, closedset.Errorf(closedset.Unprocessable, "%s is empty", name)
	}
	if scriptID != 0 { // refuse a stranger's script before the parse's work
		if _, err := latestRevision(ctx, o.store, c.ProductionID, scriptID); err != nil {
			return production.Revision{}, err
		}
	}
	release, err := o.reads.take(ctx, c.User.ID)
	if err != nil {
		return production.Revision{}, err
	}
	d, err := o.readDraft(ctx, name, data)
	release()
	if err != nil {
		return production.Revision{}, wrap(err, "read draft %s", name)
	}
	if len(d.Scenes) == 0 {
		// Any text reads as Fountain; without a single scene heading it is
		// no screenplay the breakdown can work on.
		return production.Revision{}, closedset.Errorf(closedset.Unprocessable, "%s has no scene headings (INT. or EXT. lines): is it a screenplay?", name)
	}
	if err := d.CheckSize(name); err != nil {
		return production.Revision{}, err
	}
	title := d.Title
	if title == "" {
		title = strings.TrimSuffix(name, path.Ext(name))
	}
	var rev production.Revision
	err = o.store.Tx(ctx, func(tx Store) error {
		var latest production.Revision // the script's current draft, when adding a revision
		if scriptID != 0 {
			if latest, err = latestRevision(ctx, tx, c.ProductionID, scriptID); err != nil {
				return err
			}
		}
		nr := production.DraftRevision(d, c.ProductionID, scriptID, name, data)
		nr.Title = title
		if latest.ID != 0 {
			if nr.Carry, err = carriedReviews(ctx, tx, latest.ID, d); err != nil {
				return err
			}
		}
		if rev, err = tx.AddRevision(ctx, c.Actor(), nr); err != nil || latest.ID == 0 {
			return err
		}
		return o.carryPlans(ctx, tx, c, latest.ID, rev.ID)
	})
	return rev, err
}

// latestRevision is the current draft of a script of the production,
// not_found unless scriptID is one of its scripts.
func latestRevision(ctx context.Context, st Reader, productionID, scriptID int64) (production.Revision, error) {
	scripts, err := st.Scripts(ctx, productionID)
	if err != nil {
		return production.Revision{}, err
	}
	for _, sc := range scripts {
		if sc.ID == scriptID && len(sc.Revisions) > 0 {
			return sc.Revisions[len(sc.Revisions)-1], nil
		}
	}
	return production.Revision{}, closedset.Errorf(closedset.NotFound, "no script %d in this production", scriptID)
}

// carriedReviews keeps an IC's work across drafts: a flag reviewed in the
// current draft keeps its review in the new one when the scene's text is
// unchanged and the same category is flagged there. A changed scene is
// reviewed afresh.
func carriedReviews(ctx context.Context, st Reader, latestID int64, d *production.Draft) ([]production.Carry, error) {
	old, err := st.Scenes(ctx, latestID)
	if err != nil {
		return nil, err
	}
	var carry []production.Carry
	for _, p := range production.Unchanged(revisionScenes(old), d.RevisionScenes()) {
		for _, f := range old[p.Old].Flags {
			if f.Review != nil && hasCategory(d.Scenes[p.New].Flags, f.Category) {
				carry = append(carry, production.Carry{Scene: p.New, Category: string(f.Category), From: f.ID})
			}
		}
	}
	return carry, nil
}

func hasCategory(flags []breakdown.Flag, c breakdown.Category) bool {
	for _, f := range flags {
		if f.Category == c {
			return true
		}
	}
	return false
}

// cleanFilename keeps the base name of an uploaded file, refusing names
// that are empty, too long, not UTF-8 or hold control characters (they
// end up in headers and the audit trail).
func cleanFilename(name string) (string, error) {
	name = strings.TrimSpace(name)
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	if name == "" || name == "." || name == ".." {
		return "", closedset.Errorf(closedset.Invalid, "filename is missing (?filename=script.fountain)")
	}
	return invalidText(textfield.Line("filename", name, textfield.MaxFilename, true))
}

// ReviewFlag records an IC's decision on a detected flag.
func (o *Ops) ReviewFlag(ctx context.Context, c Caller, flagID int64, decision production.Decision, note string) (production.Flag, error) {
	if err := c.check(auth.FlagReview, false); err != nil {
		return production.Flag{}, err
	}
	if _, err := production.ParseDecision(string(decision)); err != nil {
		return production.Flag{}, err
	}
	note, err := invalidText(textfield.Para("note", note, textfield.MaxNote, false))
	if err != nil {
		return production.Flag{}, err
	}
	return o.store.ReviewFlag(ctx, c.User.Actor(), flagID, decision, note)
}

// Diff is the intimacy diff of two revisions: their scenes, and the
// entries whose Old and New index into them (-1 for none).
type Diff struct {
	Old, New             production.Revision
	OldScenes, NewScenes []production.Scene
	Entries              []DiffEntry
}

// DiffEntry is one scene with intimate content added, removed or changed,
// with the changed passages of its text.
type DiffEntry struct {
	production.DiffEntry
	Text []production.Passage // when TextChanged: the changed lines, word by word
}

// RevisionDiff compares two revisions of one production by the stored
// scenes' text and flag categories (production.IntimacyDiff), keeping the
// entries whose scenes the caller may read (a performer's own). A revision
// of another production is not_found.
func (o *Ops) RevisionDiff(ctx context.Context, c Caller, oldRev, newRev int64) (Diff, error) {
	if err := c.check(auth.RevisionDiff, false); err != nil {
		return Diff{}, err
	}
	var d Diff
	var err error
	if d.New, err = o.store.Revision(ctx, newRev); err != nil {
		return Diff{}, err
	}
	if d.Old, err = o.store.Revision(ctx, oldRev); err != nil || d.Old.ProductionID != d.New.ProductionID {
		if err == nil || closedset.Is(err, closedset.NotFound) {
			return Diff{}, closedset.Errorf(closedset.NotFound, "no revision %d in this production", oldRev)
		}
		return Diff{}, err
	}
	if d.OldScenes, err = o.store.Scenes(ctx, oldRev); err != nil {
		return Diff{}, err
	}
	if d.NewScenes, err = o.store.Scenes(ctx, newRev); err != nil {
		return Diff{}, err
	}
	if d.New.ProductionID != c.ProductionID {
		return Diff{}, closedset.Errorf(closedset.NotFound, "no revision %d in this production", newRev)
	}
	visible := map[int64]bool{}
	for _, sc := range o.VisibleScenes(ctx, c, append(slices.Clone(d.OldScenes), d.NewScenes...)) {
		visible[sc.ID] = true
	}
	for _, e := range production.IntimacyDiff(revisionScenes(d.OldScenes), revisionScenes(d.NewScenes)) {
		if e.Old >= 0 && !visible[d.OldScenes[e.Old].ID] || e.New >= 0 && !visible[d.NewScenes[e.New].ID] {
			continue
		}
		de := DiffEntry{DiffEntry: e}
		if e.TextChanged && e.Old >= 0 && e.New >= 0 {
			de.Text = production.TextChanges(d.OldScenes[e.Old].Text, d.NewScenes[e.New].Text)
		}
		d.Entries = append(d.Entries, de)
	}
	return d, nil
}

// PreviousRevision is the revision before rev in its script, not_found for
// a script's first.
func (o *Ops) PreviousRevision(ctx context.Context, rev production.Revision) (production.Revision, error) {
	scripts, err := o.store.Scripts(ctx, rev.ProductionID)
	if err != nil {
		return production.Revision{}, err
	}
	for _, sc := range scripts {
		for i, r := range sc.Revisions {
			if r.ID == rev.ID && i > 0 {
				return sc.Revisions[i-1], nil
			}
		}
	}
	return production.Revision{}, closedset.Errorf(closedset.NotFound, "revision %d is the first of its script; name one to compare with (?against=ID)", rev.ID)
}

func revisionScenes(scenes []production.Scene) []production.RevisionScene {
	out := make([]production.RevisionScene, len(scenes))
	for i, sc := range scenes {
		flags := make([]breakdown.Flag, len(sc.Flags))
		for j, f := range sc.Flags {
			flags[j] = f.Flag
		}
		out[i] = production.RevisionScene{Number: sc.Number, Heading: sc.Heading, Text: sc.Text, Flags: production.Categories(flags)}
	}
	return out
}

// VisibleScenes keeps the scenes rq's user may read (auth.SceneRead).
// SceneRead is granted to a performer only for the scenes they are cast
// in (own): those whose characters include one they play. When the
// performer record cannot be read, none is shown (the safe side) and the
// failure is logged.
func (o *Ops) VisibleScenes(ctx context.Context, c Caller, scenes []production.Scene) []production.Scene {
	if auth.Can(c.Principal(), auth.SceneRead, false) {
		return scenes
	}
	if !auth.Can(c.Principal(), auth.SceneRead, true) {
		return nil
	}
	p, ok, err := o.PerformerOf(ctx, c)
	if err != nil {
		o.log.ErrorContext(ctx, "reading the performer record to filter scenes", "err", err)
		return nil
	}
	if !ok {
		return nil
	}
	var out []production.Scene
	for _, sc := range scenes {
		in, err := o.InScene(ctx, p, sc)
		if err != nil {
			o.log.ErrorContext(ctx, "reading a scene's cast to filter scenes", "err", err)
			return nil
		}
		if in {
			out = append(out, sc)
		}
	}
	return out
}

// InScene reports whether the performer is in the scene: put in or taken
// out by the IC's hand, else by playing a character present (Plays).
func (o *Ops) InScene(ctx context.Context, p production.Performer, sc production.Scene) (bool, error) {
	return o.castReader()(ctx, p, sc)
}

// castReader is InScene reading each scene's hand casting once, for the
// loops that ask it of many performers.
func (o *Ops) castReader() func(context.Context, production.Performer, production.Scene) (bool, error) {
	read := map[int64]map[int64]bool{}
	return func(ctx context.Context, p production.Performer, sc production.Scene) (bool, error) {
		choices, ok := read[sc.ID]
		if !ok {
			var err error
			if choices, err = o.store.SceneCast(ctx, sc.ID); err != nil {
				return false, err
			}
			read[sc.ID] = choices
		}
		if in, ok := choices[p.ID]; ok {
			return in, nil
		}
		return Plays(p, sc), nil
	}
}

// Plays reports whether the performer plays a character present in the
// scene, speaking or not (a silent partner in a love scene is in it).
func Plays(p production.Performer, sc production.Scene) bool {
	for _, c := range sc.Present {
		if slices.ContainsFunc(p.Characters, func(pc string) bool { return strings.EqualFold(pc, c) }) {
			return true
		}
	}
	return false
}

// readDraftHere reads a script file in this process: Config.ReadDraft's
// default.
func (o *Ops) readDraftHere(ctx context.Context, name string, data []byte) (*production.Draft, error) {
	return production.ReadDraft(ctx, name, data, screenplay.Options{MaxBytes: o.maxUpload}, breakdown.Options{})
}
