package web

import (
	"closedset"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
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

// uploadScript reads a script file from body (at most maxUpload bytes,
// else too_large), parses and breaks it down (a file that is no
// screenplay is unprocessable, with the reader's message), and stores it
// as a new script of rq's production, or as the next revision of scriptID
// when it is not 0. Nothing is written unless everything succeeds.
func (s *Server) uploadScript(ctx context.Context, rq *request, scriptID int64, filename string, body io.Reader) (production.Revision, error) {
	name, err := cleanFilename(filename)
	if err != nil {
		return production.Revision{}, err
	}
	var latest production.Revision // the script's current draft, when adding a revision
	if scriptID != 0 {
		if latest, err = s.latestRevision(ctx, rq.ProductionID, scriptID); err != nil {
			return production.Revision{}, err
		}
	}
	data, err := io.ReadAll(io.LimitReader(body, s.maxUpload+1))
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig) || int64(len(data)) > s.maxUpload:
		return production.Revision{}, errorf(codeTooLarge, "%s is over the %d-byte upload limit", name, s.maxUpload)
	case err != nil:
		return production.Revision{}, errorf(codeBadRequest, "reading the upload: %v", err)
	case len(data) == 0:
		return production.Revision{}, errorf(codeUnprocessable, "%s is empty", name)
	}
	d, err := production.ReadDraft(ctx, name, data, screenplay.Options{MaxBytes: s.maxUpload}, breakdown.Options{})
	if err != nil {
		if closedset.KindOf(err) != "" {
			return production.Revision{}, err // asError: 422 (413 for too_large) with the reader's message
		}
		return production.Revision{}, fmt.Errorf("read draft %s: %w", name, err)
	}
	if len(d.Scenes) == 0 {
		// Any text reads as Fountain; without a single scene heading it is
		// no screenplay the breakdown can work on.
		return production.Revision{}, errorf(codeUnprocessable, "%s has no scene headings (INT. or EXT. lines): is it a screenplay?", name)
	}
	var carry []production.Carry
	if latest.ID != 0 {
		if carry, err = s.carriedReviews(ctx, latest.ID, d); err != nil {
			return production.Revision{}, err
		}
	}
	title := d.Title
	if title == "" {
		title = strings.TrimSuffix(name, path.Ext(name))
	}
	nr := production.DraftRevision(d, rq.ProductionID, scriptID, name, data)
	nr.Title, nr.Carry = title, carry
	rev, err := s.store.AddRevision(ctx, rq.User.Actor(), nr)
	if err != nil || latest.ID == 0 {
		return rev, err
	}
	// The new draft is stored; its scenes' plans follow from the old one
	// right away, so that a changed scene's consents are stale from now.
	if err := s.carryPlans(ctx, rq, latest.ID, rev.ID); err != nil {
		return rev, err
	}
	return rev, nil
}

// latestRevision is the current draft of a script of the production,
// not_found unless scriptID is one of its scripts.
func (s *Server) latestRevision(ctx context.Context, productionID, scriptID int64) (production.Revision, error) {
	scripts, err := s.store.Scripts(ctx, productionID)
	if err != nil {
		return production.Revision{}, err
	}
	for _, sc := range scripts {
		if sc.ID == scriptID && len(sc.Revisions) > 0 {
			return sc.Revisions[len(sc.Revisions)-1], nil
		}
	}
	return production.Revision{}, errorf(codeNotFound, "no script %d in this production", scriptID)
}

// carriedReviews keeps an IC's work across drafts: a flag reviewed in the
// current draft keeps its review in the new one when the scene's text is
// unchanged and the same category is flagged there. A changed scene is
// reviewed afresh.
func (s *Server) carriedReviews(ctx context.Context, latestID int64, d *production.Draft) ([]production.Carry, error) {
	old, err := s.store.Scenes(ctx, latestID)
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
		return "", errorf(codeBadRequest, "filename is missing (?filename=script.fountain)")
	}
	return badText(textfield.Line("filename", name, textfield.MaxFilename, true))
}

// reviewFlag records an IC's decision on a detected flag.
func (s *Server) reviewFlag(ctx context.Context, rq *request, flagID int64, decision production.Decision, note string) (production.Flag, error) {
	if _, err := production.ParseDecision(string(decision)); err != nil {
		return production.Flag{}, err
	}
	note, err := badText(textfield.Para("note", note, textfield.MaxNote, false))
	if err != nil {
		return production.Flag{}, err
	}
	return s.store.ReviewFlag(ctx, rq.User.Actor(), flagID, decision, note)
}

// diff is the intimacy diff of two revisions: their scenes, and the
// entries whose Old and New index into them (-1 for none).
type diff struct {
	Old, New             production.Revision
	OldScenes, NewScenes []production.Scene
	Entries              []production.DiffEntry
}

// revisionDiff compares two revisions of one production by the stored
// scenes' text and flag categories (production.IntimacyDiff). The caller
// has authorized newRev's production; a revision of another production is
// not_found.
func (s *Server) revisionDiff(ctx context.Context, oldRev, newRev int64) (diff, error) {
	var d diff
	var err error
	if d.New, err = s.store.Revision(ctx, newRev); err != nil {
		return diff{}, err
	}
	if d.Old, err = s.store.Revision(ctx, oldRev); err != nil || d.Old.ProductionID != d.New.ProductionID {
		if err == nil || closedset.KindOf(err) == closedset.NotFound {
			return diff{}, errorf(codeNotFound, "no revision %d in this production", oldRev)
		}
		return diff{}, err
	}
	if d.OldScenes, err = s.store.Scenes(ctx, oldRev); err != nil {
		return diff{}, err
	}
	if d.NewScenes, err = s.store.Scenes(ctx, newRev); err != nil {
		return diff{}, err
	}
	d.Entries = production.IntimacyDiff(revisionScenes(d.OldScenes), revisionScenes(d.NewScenes))
	return d, nil
}

// previousRevision is the revision before rev in its script, not_found for
// a script's first.
func (s *Server) previousRevision(ctx context.Context, rev production.Revision) (production.Revision, error) {
	scripts, err := s.store.Scripts(ctx, rev.ProductionID)
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
	return production.Revision{}, errorf(codeNotFound, "revision %d is the first of its script; name one to compare with (?against=ID)", rev.ID)
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

// visibleScenes keeps the scenes rq's user may read (auth.SceneRead).
// SceneRead is granted to a performer only for the scenes they are cast
// in (own): those whose characters include one they play. When the
// performer record cannot be read, none is shown (the safe side) and the
// failure is logged.
func (s *Server) visibleScenes(ctx context.Context, rq *request, scenes []production.Scene) []production.Scene {
	if auth.Can(rq.Principal(), auth.SceneRead, false) {
		return scenes
	}
	if !auth.Can(rq.Principal(), auth.SceneRead, true) {
		return nil
	}
	p, ok, err := s.performerOf(ctx, rq)
	if err != nil {
		s.log.ErrorContext(ctx, "reading the performer record to filter scenes", "request_id", rq.ID, "err", err)
		return nil
	}
	if !ok {
		return nil
	}
	var out []production.Scene
	for _, sc := range scenes {
		if plays(p, sc) {
			out = append(out, sc)
		}
	}
	return out
}

// plays reports whether the performer plays a character of the scene.
func plays(p production.Performer, sc production.Scene) bool {
	for _, c := range sc.Characters {
		if slices.ContainsFunc(p.Characters, func(pc string) bool { return strings.EqualFold(pc, c) }) {
			return true
		}
	}
	return false
}
