package consent

import (
	"cmp"
	"encoding/json"
	"fmt"
	"slices"
)

// Change is how a new plan version differs from an old one, per performer:
// re-consent to a version that adds content for a performer needs a new
// rider, with the policy's notice again; a version that only reduces it
// may be re-confirmed on the rider already signed (issue 5, item 5).
type Change struct {
	// Performers has one entry per performer in either version, by id.
	Performers []PerformerChange
}

// PerformerChange is what a new version adds and removes for one performer,
// in words a rider and an IC can read ("nudity: partial -> full").
type PerformerChange struct {
	PerformerID int64
	Added       []string
	Reduced     []string
}

// NeedsNewRider reports whether the new version adds anything for the
// performer: a consent on the old version cannot simply be re-confirmed.
func (c PerformerChange) NeedsNewRider() bool { return len(c.Added) > 0 }

// Unchanged reports that the new version changes nothing for the performer.
func (c PerformerChange) Unchanged() bool { return len(c.Added) == 0 && len(c.Reduced) == 0 }

// For returns the change for one performer (unchanged if not in either).
func (c Change) For(performerID int64) PerformerChange {
	for _, pc := range c.Performers {
		if pc.PerformerID == performerID {
			return pc
		}
	}
	return PerformerChange{PerformerID: performerID}
}

// Compare tells, per performer, what p (the new version) adds to or
// reduces from old. The rules, conservative where a change cannot be
// ranked:
//
//   - more: a higher nudity level; a new area or angle seen; a new act,
//     content category or contact; consent to stills; a new or changed
//     beat the performer is in; a garment or barrier removed (less
//     protection); joining the plan.
//   - less: the reverse of each; leaving the plan.
//   - any change of the scene's shared texts (description, final picture,
//     camera, coverage, footage and stills limits, double terms, intent
//     notes, conditions, or the performer's own double terms) counts as
//     more for everyone in the new version, because a rider carries them
//     and words cannot be ranked.
func (p Plan) Compare(old Plan) Change {
	n, o := p.Normalize(), old.Normalize()
	shared := sharedChanges(o, n)
	ids := map[int64]bool{}
	for _, pp := range o.Performers {
		ids[pp.PerformerID] = true
	}
	for _, pp := range n.Performers {
		ids[pp.PerformerID] = true
	}
	oldBeats, newBeats := o.beatsByPerformer(), n.beatsByPerformer()
	var out Change
	for id := range ids {
		op, inOld := o.For(id)
		np, inNew := n.For(id)
		pc := PerformerChange{PerformerID: id}
		switch {
		case !inOld:
			pc.Added = append(pc.Added, "joins the plan")
		case !inNew:
			pc.Reduced = append(pc.Reduced, "leaves the plan")
		default:
			pc.Added, pc.Reduced = comparePerformer(op, np)
			if op.Double != np.Double {
				pc.Added = append(pc.Added, "double terms changed")
			}
			a, r := compareBeats(oldBeats[id], newBeats[id])
			pc.Added, pc.Reduced = append(pc.Added, a...), append(pc.Reduced, r...)
			pc.Added = append(pc.Added, shared...)
		}
		out.Performers = append(out.Performers, pc)
	}
	slices.SortFunc(out.Performers, func(a, b PerformerChange) int { return cmp.Compare(a.PerformerID, b.PerformerID) })
	return out
}

func sharedChanges(o, n Plan) []string {
	var out []string
	for _, f := range []struct{ name, old, new string }{
		{"description", o.Description, n.Description}, {"final picture", o.FinalPicture, n.FinalPicture},
		{"camera", o.Camera, n.Camera}, {"coverage", o.Coverage, n.Coverage},
		{"footage limits", o.FootageLimits, n.FootageLimits}, {"stills limits", o.StillsLimits, n.StillsLimits},
		{"double terms", o.Double, n.Double}, {"intent", o.Intent, n.Intent},
		{"director intent", o.DirectorIntent, n.DirectorIntent}, {"producer intent", o.ProducerIntent, n.ProducerIntent},
		{"conditions", o.Conditions, n.Conditions},
	} {
		if f.old != f.new {
			out = append(out, f.name+" changed")
		}
	}
	if a, _ := setDiff(o.Barriers, n.Barriers); len(a) > 0 {
		// A scene barrier removed is less protection for everyone.
		for _, b := range a {
			out = append(out, "scene barrier removed: "+b)
		}
	}
	return out
}

// comparePerformer compares one performer's normalized plans.
func comparePerformer(o, n PerformerPlan) (added, reduced []string) {
	switch on, nn := nudityRank(o.Nudity.Level), nudityRank(n.Nudity.Level); {
	case nn > on:
		added = append(added, fmt.Sprintf("nudity: %s -> %s", o.Nudity.Level, n.Nudity.Level))
	case nn < on:
		reduced = append(reduced, fmt.Sprintf("nudity: %s -> %s", o.Nudity.Level, n.Nudity.Level))
	}
	more := []struct {
		name     string
		old, new []string
	}{
		{"area seen", o.Nudity.Areas, n.Nudity.Areas}, {"angle", o.Nudity.Angles, n.Nudity.Angles},
		{"act", o.Acts, n.Acts}, {"content", o.Content, n.Content}, {"contact", o.Contact, n.Contact},
	}
	for _, l := range more {
		gone, new := setDiff(l.old, l.new)
		for _, s := range new {
			added = append(added, l.name+": "+s)
		}
		for _, s := range gone {
			reduced = append(reduced, l.name+" removed: "+s)
		}
	}
	switch {
	case n.Stills && !o.Stills:
		added = append(added, "stills: consents to stills")
	case o.Stills && !n.Stills:
		reduced = append(reduced, "stills consent withdrawn from the plan")
	}
	protect := []struct {
		name     string
		old, new []string
	}{{"garment", o.Garments, n.Garments}, {"barrier", o.Barriers, n.Barriers}}
	for _, l := range protect {
		gone, new := setDiff(l.old, l.new)
		for _, s := range gone {
			added = append(added, l.name+" removed: "+s)
		}
		for _, s := range new {
			reduced = append(reduced, l.name+" added: "+s)
		}
	}
	return added, reduced
}

// setDiff returns what is in old only and in new only; both sorted.
func setDiff(old, new []string) (gone, added []string) {
	in := func(list []string) map[string]bool {
		m := make(map[string]bool, len(list))
		for _, s := range list {
			m[s] = true
		}
		return m
	}
	inOld, inNew := in(old), in(new)
	for _, s := range old {
		if !inNew[s] {
			gone = append(gone, s)
		}
	}
	for _, s := range new {
		if !inOld[s] {
			added = append(added, s)
		}
	}
	return gone, added
}

// beatsByPerformer is, for each performer, the beats they are in, each as
// its JSON without its order (renumbering beats is no change, rewording
// one is), sorted.
func (p Plan) beatsByPerformer() map[int64][]string {
	out := map[int64][]string{}
	for _, b := range p.Beats {
		ids := b.Performers
		b.Order = 0
		j, _ := json.Marshal(b)
		for _, id := range ids {
			out[id] = append(out[id], string(j))
		}
	}
	for _, l := range out {
		slices.Sort(l)
	}
	return out
}

func compareBeats(old, new []string) (added, reduced []string) {
	gone, add := setDiff(old, new)
	if len(add) > 0 {
		added = append(added, fmt.Sprintf("%d beat(s) new or changed", len(add)))
	}
	if len(gone) > 0 && len(add) == 0 {
		reduced = append(reduced, fmt.Sprintf("%d beat(s) removed", len(gone)))
	}
	return added, reduced
}
