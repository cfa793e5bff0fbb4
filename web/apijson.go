package web

import (
	"time"

	"closedset/auth"
	"closedset/breakdown"
	"closedset/ops"
	"closedset/production"
)

// The API's JSON shapes. Lists are never null: an empty list is [].

type userOut struct {
	ID    int64  `json:"id"`
	Email string `json:"email"`
	Name  string `json:"name"`
	Admin bool   `json:"admin"`
	// Disabled accounts cannot sign in (the admin's users page).
	Disabled bool `json:"disabled,omitempty"`
}

func userJSON(u auth.User) userOut {
	return userOut{ID: u.ID, Email: u.Email, Name: u.Name, Admin: u.Admin, Disabled: u.Disabled}
}

type productionOut struct {
	ID       int64     `json:"id"`
	Title    string    `json:"title"`
	Policy   string    `json:"policy"`
	TimeZone string    `json:"time_zone"`
	Created  time.Time `json:"created"`
	Roles    []string  `json:"roles"` // the asking user's roles in it
}

func productionJSON(p production.Production, roles auth.Roles) productionOut {
	return productionOut{ID: p.ID, Title: p.Title, Policy: p.Policy, TimeZone: p.TimeZone, Created: p.Created, Roles: roleNames(roles)}
}

func roleNames(rs auth.Roles) []string {
	out := []string{}
	for _, r := range rs.List() {
		out = append(out, string(r))
	}
	return out
}

type memberOut struct {
	UserID int64     `json:"user_id"`
	Email  string    `json:"email"`
	Name   string    `json:"name"`
	Roles  []string  `json:"roles"`
	Added  time.Time `json:"added"`
}

func memberJSON(m production.Member) memberOut {
	return memberOut{UserID: m.UserID, Email: m.Email, Name: m.Name, Roles: roleNames(m.Roles), Added: m.Added}
}

type revisionOut struct {
	ID           int64     `json:"id"`
	ScriptID     int64     `json:"script_id"`
	ProductionID int64     `json:"production_id"`
	Seq          int       `json:"seq"`
	Title        string    `json:"title"`
	Filename     string    `json:"filename"`
	Format       string    `json:"format"`
	Colour       string    `json:"colour"`
	Date         string    `json:"date"`
	SHA256       string    `json:"sha256"`
	Size         int64     `json:"size"`
	UploadedBy   int64     `json:"uploaded_by"`
	Uploaded     time.Time `json:"uploaded"`
	Scenes       int       `json:"scenes"`
	Flagged      int       `json:"flagged"`
}

func revisionJSON(r production.Revision) revisionOut {
	return revisionOut{ID: r.ID, ScriptID: r.ScriptID, ProductionID: r.ProductionID, Seq: r.Seq, Title: r.Title,
		Filename: r.Filename, Format: r.Format, Colour: r.Colour, Date: r.Date, SHA256: r.SHA256, Size: r.Size,
		UploadedBy: r.UploadedBy, Uploaded: r.Uploaded, Scenes: r.SceneCount, Flagged: r.FlaggedCount}
}

type scriptOut struct {
	ID        int64         `json:"id"`
	Title     string        `json:"title"`
	Created   time.Time     `json:"created"`
	Revisions []revisionOut `json:"revisions"`
}

func scriptJSON(s production.Script) scriptOut {
	out := scriptOut{ID: s.ID, Title: s.Title, Created: s.Created, Revisions: make([]revisionOut, len(s.Revisions))}
	for i, r := range s.Revisions {
		out.Revisions[i] = revisionJSON(r)
	}
	return out
}

// summaryOut counts a revision's breakdown, as the breakdown JSON's
// summary does.
type summaryOut struct {
	Scenes         int            `json:"scenes"`
	Flagged        int            `json:"flagged"`
	FlaggedEighths int            `json:"flagged_eighths"`
	ByCategory     map[string]int `json:"by_category"`
}

func summaryJSON(scenes []production.Scene) summaryOut {
	s := summaryOut{Scenes: len(scenes), ByCategory: map[string]int{}}
	for _, sc := range scenes {
		if !sc.NeedsIC {
			continue
		}
		s.Flagged++
		s.FlaggedEighths += sc.Eighths
		seen := map[breakdown.Category]bool{}
		for _, f := range sc.Flags {
			if !seen[f.Category] {
				seen[f.Category] = true
				s.ByCategory[string(f.Category)]++
			}
		}
	}
	return s
}

// sceneOut is a scene as the breakdown JSON has it (DESIGN.md), with the
// ids of the scene, its revision and script, and of each flag.
type sceneOut struct {
	ID         int64  `json:"id"`
	RevisionID int64  `json:"revision_id"`
	ScriptID   int64  `json:"script_id"`
	Index      int    `json:"index"`
	Number     string `json:"number"`
	Heading    string `json:"heading"`
	Line       int    `json:"line"`
	Page       int    `json:"page"`
	Eighths    int    `json:"eighths"`
	// Characters is Present, under the name the API has always had.
	Characters []string  `json:"characters"`
	Speaking   []string  `json:"speaking"`
	Present    []string  `json:"present"`
	Flags      []flagOut `json:"flags"`
	NeedsIC    bool      `json:"needs_ic"`
	// Cast is the scene's performers (GET /scenes/{id} only): those
	// playing a character present, with the IC's choices applied.
	Cast []castOut `json:"cast,omitempty"`
}

// castOut is one performer of a scene: in its intimate action (named by
// its plan, or every performer while it has none) or only present.
type castOut struct {
	PerformerID int64    `json:"performer_id"`
	Name        string   `json:"name"`
	Characters  []string `json:"characters"`
	InAction    bool     `json:"in_action"`
}

type flagOut struct {
	ID         int64                `json:"id"`
	Category   breakdown.Category   `json:"category"`
	Level      string               `json:"level,omitempty"`
	Kind       string               `json:"kind,omitempty"`
	Areas      []string             `json:"areas,omitempty"`
	Confidence float64              `json:"confidence"`
	Evidence   []breakdown.Evidence `json:"evidence"`
	// Situation is what the breakdown read the scene as ("setting: strip
	// club; shown: g-string"); absent for flags stored before it had one.
	Situation  string     `json:"situation,omitempty"`
	Characters []string   `json:"characters"`
	Review     *reviewOut `json:"review"` // null until an IC reviews it
}

type reviewOut struct {
	Decision production.Decision `json:"decision"`
	Note     string              `json:"note"`
	By       refOut              `json:"by"`
	At       time.Time           `json:"at"`
	// CarriedFrom is the revision seq the review was made on when it was
	// carried to this draft (the scene is unchanged); absent otherwise.
	CarriedFrom int `json:"carried_from_revision,omitempty"`
}

type refOut struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

func sceneJSON(sc production.Scene) sceneOut {
	out := sceneOut{ID: sc.ID, RevisionID: sc.RevisionID, ScriptID: sc.ScriptID, Index: sc.Index, Number: sc.Number,
		Heading: sc.Heading, Line: sc.Line, Page: sc.Page, Eighths: sc.Eighths, Characters: nonNil(sc.Present),
		Speaking: nonNil(sc.Speaking), Present: nonNil(sc.Present),
		Flags: make([]flagOut, len(sc.Flags)), NeedsIC: sc.NeedsIC}
	for i, f := range sc.Flags {
		out.Flags[i] = flagJSON(f)
	}
	return out
}

func flagJSON(f production.Flag) flagOut {
	out := flagOut{ID: f.ID, Category: f.Category, Level: f.Level, Kind: f.Kind, Areas: f.Areas, Confidence: f.Confidence,
		Evidence: f.Evidence, Situation: f.Situation, Characters: nonNil(f.Characters)}
	if out.Evidence == nil {
		out.Evidence = []breakdown.Evidence{}
	}
	if rv := f.Review; rv != nil {
		out.Review = &reviewOut{Decision: rv.Decision, Note: rv.Note, By: refOut{ID: rv.By, Name: rv.ByName}, At: rv.At, CarriedFrom: rv.CarriedFrom}
	}
	return out
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// diffOut is the intimacy diff of two revisions.
type diffOut struct {
	Old     revisionOut `json:"old"`
	New     revisionOut `json:"new"`
	Changes []changeOut `json:"changes"`
}

type changeOut struct {
	Change       production.Change `json:"change"`
	OldScene     *sceneRef         `json:"old_scene"`
	NewScene     *sceneRef         `json:"new_scene"`
	FlagsAdded   []string          `json:"flags_added"`
	FlagsRemoved []string          `json:"flags_removed"`
	TextChanged  bool              `json:"text_changed"`
	// TextChanges are the changed lines of a changed scene, word by word.
	TextChanges []production.Passage `json:"text_changes,omitempty"`
}

type sceneRef struct {
	ID      int64  `json:"id"`
	Index   int    `json:"index"`
	Number  string `json:"number"`
	Heading string `json:"heading"`
}

func diffJSON(d ops.Diff) diffOut {
	out := diffOut{Old: revisionJSON(d.Old), New: revisionJSON(d.New), Changes: make([]changeOut, len(d.Entries))}
	ref := func(scenes []production.Scene, i int) *sceneRef {
		if i < 0 || i >= len(scenes) {
			return nil
		}
		sc := scenes[i]
		return &sceneRef{ID: sc.ID, Index: sc.Index, Number: sc.Number, Heading: sc.Heading}
	}
	for i, e := range d.Entries {
		out.Changes[i] = changeOut{Change: e.Change, OldScene: ref(d.OldScenes, e.Old), NewScene: ref(d.NewScenes, e.New),
			FlagsAdded: nonNil(e.FlagsAdded), FlagsRemoved: nonNil(e.FlagsRemoved), TextChanged: e.TextChanged, TextChanges: e.Text}
	}
	return out
}
