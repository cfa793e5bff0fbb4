package consent

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"slices"
)

// PlanTag starts the bytes a plan's hash covers; a new canonical encoding
// gets a new tag, so that two encodings never share a hash.
const PlanTag = "closedset-plan-v1"

// Normalize returns the plan as its canonical encoding sees it:
//
//   - texts: valid UTF-8 (bad bytes become U+FFFD), control characters
//     dropped; paragraphs (split by blank lines) separated by one blank
//     line, and within a paragraph line breaks and runs of space collapsed
//     to one space; no space at either end; list items on one line;
//   - lists that are sets (areas, angles, content, acts, contact, garments,
//     barriers, a beat's performers and contact areas) sorted by their
//     bytes with duplicates removed, and never null;
//   - performers sorted by id, beats by order (ties keep their order);
//   - a missing nudity level is "none";
//   - a performer's stills consent appears only when given ("stills":
//     true), so plans from before the field keep their encoding.
//
// Normalize is idempotent, and a valid plan stays valid.
func (p Plan) Normalize() Plan {
	q := Plan{
		Description:    normText(p.Description),
		FinalPicture:   normText(p.FinalPicture),
		Barriers:       normSet(p.Barriers),
		Camera:         normText(p.Camera),
		Coverage:       normText(p.Coverage),
		FootageLimits:  normText(p.FootageLimits),
		StillsLimits:   normText(p.StillsLimits),
		Double:         normText(p.Double),
		Intent:         normText(p.Intent),
		DirectorIntent: normText(p.DirectorIntent),
		ProducerIntent: normText(p.ProducerIntent),
		Conditions:     normText(p.Conditions),
		Performers:     make([]PerformerPlan, len(p.Performers)),
		Beats:          make([]Beat, len(p.Beats)),
	}
	for i, pp := range p.Performers {
		level := normLine(pp.Nudity.Level)
		if level == "" {
			level = "none"
		}
		q.Performers[i] = PerformerPlan{
			PerformerID: pp.PerformerID,
			Nudity:      Nudity{Level: level, Areas: normSet(pp.Nudity.Areas), Angles: normSet(pp.Nudity.Angles)},
			Acts:        normSet(pp.Acts),
			Content:     normSet(pp.Content),
			Contact:     normSet(pp.Contact),
			Garments:    normSet(pp.Garments),
			Barriers:    normSet(pp.Barriers),
			Double:      normText(pp.Double),
			Stills:      pp.Stills,
		}
	}
	slices.SortStableFunc(q.Performers, func(a, b PerformerPlan) int { return cmp.Compare(a.PerformerID, b.PerformerID) })
	for i, b := range p.Beats {
		ids := slices.Clone(b.Performers)
		slices.Sort(ids)
		ids = slices.Compact(ids)
		if ids == nil {
			ids = []int64{}
		}
		q.Beats[i] = Beat{
			Order: b.Order, Performers: ids, Action: normText(b.Action), ContactAreas: normSet(b.ContactAreas),
			Count: normText(b.Count), Timing: normText(b.Timing), Breath: normText(b.Breath),
			Eyeline: normText(b.Eyeline), Camera: normText(b.Camera),
		}
	}
	slices.SortStableFunc(q.Beats, func(a, b Beat) int { return cmp.Compare(a.Order, b.Order) })
	return q
}

// normSet is a set of one-line texts: each normalized, sorted, distinct,
// never nil.
func normSet(items []string) []string {
	out := make([]string, len(items))
	for i, s := range items {
		out[i] = normLine(s)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// Canonical is the plan's canonical encoding: the JSON of p.Normalize()
// with every object's keys sorted by their bytes, no insignificant space,
// no HTML escaping, and numbers as integers. Every field is present. It is
// itself a plan body: DecodePlan(Canonical) gives back a plan with the same
// Canonical.
func (p Plan) Canonical() []byte {
	raw, err := json.Marshal(p.Normalize())
	if err != nil {
		// A Plan holds only strings (made valid UTF-8), integers and
		// slices of them: it always encodes.
		panic("consent: a plan does not encode as JSON: " + err.Error())
	}
	// Decoding into any and encoding again sorts every object's keys
	// (encoding/json writes maps in key order) whatever the struct's field
	// order; UseNumber keeps integers as written.
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		panic("consent: a plan's JSON does not decode: " + err.Error())
	}
	var out bytes.Buffer
	enc := json.NewEncoder(&out)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		panic("consent: a plan's JSON does not encode: " + err.Error())
	}
	return bytes.TrimSuffix(out.Bytes(), []byte("\n"))
}

// Hash is the plan version's identity: the lowercase hex SHA-256 of
//
//	PlanTag "\n" Canonical()
//
// Two plans with the same content have the same hash whatever the order of
// their fields, set items or performers, or their spacing; any change of
// content changes it.
func (p Plan) Hash() string {
	h := sha256.New()
	h.Write([]byte(PlanTag + "\n"))
	h.Write(p.Canonical())
	return hex.EncodeToString(h.Sum(nil))
}
