package docs

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"time"
)

// digestHeader names the encoding; a change to it is a new header.
const digestHeader = "closedset rider digest v1\n"

// Digest returns the rider's identity: the lowercase hex SHA-256 of its
// canonical encoding. A signature binds to this value, never to rendered bytes
// (a PDF carries fonts and dates that a re-render may change).
//
// The canonical encoding is the header line "closedset rider digest v1\n"
// followed by one record per field, in the order of the Rider type's fields:
//
//	NAME SP LEN ":" VALUE LF
//
// NAME is the field's path (id, version, production, policy, performer.name,
// performer.characters[0], scene[2].nudity.areas[1].angles[0], ...), LEN the
// byte length of VALUE in decimal, VALUE the raw bytes. A list first writes
// NAME "#" with its length in decimal, then its elements as NAME[i]. An int is
// written in decimal, a time as RFC 3339 with nanoseconds in its own offset,
// a space and its location name (so the same instant shown in another zone is
// another document), a zero time as the empty string. The standing rights
// statement ([Rights]) ends the encoding as the list "rights", because it is
// part of what the performer reads and signs.
//
// A scene's lines beyond the performer's boundaries are written as the
// list "scene[i].beyond_boundaries" after its conditions, only when there
// are some: a rider issued before they existed keeps its digest. A copy
// made by [Rider.WithholdPrivate] has the digest of the rider it was made
// from.
func Digest(r Rider) string {
	if r.issued != "" {
		return r.issued
	}
	var c canon
	c.b = append(c.b, digestHeader...)
	c.str("id", r.ID)
	c.str("version", strconv.Itoa(r.Version))
	c.str("production", r.Production)
	c.str("policy", r.Policy)
	c.str("performer.name", r.Performer.Name)
	c.list("performer.characters", r.Performer.Characters)
	c.str("performer.representative", r.Performer.Representative)
	c.time("issued_at", r.IssuedAt)
	c.count("scene", len(r.Scenes))
	for i, s := range r.Scenes {
		p := "scene[" + strconv.Itoa(i) + "]."
		c.str(p+"number", s.Number)
		c.str(p+"heading", s.Heading)
		c.str(p+"pages.first", s.Pages.First)
		c.str(p+"pages.last", s.Pages.Last)
		c.str(p+"pages.colour", s.Pages.Colour)
		c.time(p+"pages.revision_date", s.Pages.RevisionDate)
		c.str(p+"plan_version", s.PlanVersion)
		c.str(p+"description", s.Description)
		c.str(p+"final_picture", s.FinalPicture)
		c.str(p+"nudity.level", s.Nudity.Level)
		c.count(p+"nudity.areas", len(s.Nudity.Areas))
		for j, a := range s.Nudity.Areas {
			q := p + "nudity.areas[" + strconv.Itoa(j) + "]."
			c.str(q+"area", a.Area)
			c.list(q+"angles", a.Angles)
		}
		c.list(p+"acts", s.Acts)
		c.list(p+"contact", s.Contact)
		c.list(p+"footage", s.Footage)
		c.list(p+"stills", s.Stills)
		c.str(p+"body_double", s.BodyDouble)
		c.str(p+"digital_double", s.DigitalDouble)
		c.list(p+"garments", s.Garments)
		c.list(p+"barriers", s.Barriers)
		c.list(p+"conditions", s.Conditions)
		if len(s.Beyond) > 0 {
			c.list(p+"beyond_boundaries", s.Beyond)
		}
		if len(s.Changed) > 0 { // riders before it keep their digests
			c.list(p+"changed_since_signed", s.Changed)
		}
	}
	c.list("rights", rights)
	if r.Salt != "" { // riders without one keep their digests
		c.str("salt", r.Salt)
	}
	sum := sha256.Sum256(c.b)
	return hex.EncodeToString(sum[:])
}

// canon accumulates the canonical encoding described on Digest.
type canon struct{ b []byte }

func (c *canon) str(name, v string) {
	c.b = append(c.b, name...)
	c.b = append(c.b, ' ')
	c.b = strconv.AppendInt(c.b, int64(len(v)), 10)
	c.b = append(c.b, ':')
	c.b = append(c.b, v...)
	c.b = append(c.b, '\n')
}

func (c *canon) count(name string, n int) { c.str(name+"#", strconv.Itoa(n)) }

func (c *canon) list(name string, vs []string) {
	c.count(name, len(vs))
	for i, v := range vs {
		c.str(name+"["+strconv.Itoa(i)+"]", v)
	}
}

func (c *canon) time(name string, t time.Time) {
	if t.IsZero() {
		c.str(name, "")
		return
	}
	c.str(name, t.Format(time.RFC3339Nano)+" "+t.Location().String())
}
