package storetest

import (
	"context"
	"testing"

	"closedset/ops"
	"closedset/production"
)

// LargeProduction fills s with a production whose one script has two
// revisions of n scenes each (harbor's scenes over and over), with every
// other flag of the latest reviewed, and returns its id: the shape
// CurrentScenes serves on a real show.
func LargeProduction(tb testing.TB, s ops.Store, n int) int64 {
	tb.Helper()
	ctx := context.Background()
	h := LoadHarbor(tb)
	u := addUser(tb, s, "pat@example.com", "Pat")
	p := addProduction(tb, s, u, "Harbor Lights, the series")
	scenes := make([]production.DraftScene, n)
	for i := range scenes {
		scenes[i] = h.Draft.Scenes[i%len(h.Draft.Scenes)]
		scenes[i].Index = i + 1
	}
	nr := NewRevision(h, p.ID, 0)
	nr.Scenes = scenes
	r, err := s.AddRevision(ctx, u.Actor(), nr)
	if err != nil {
		tb.Fatal(err)
	}
	nr.ScriptID = r.ScriptID
	if r, err = s.AddRevision(ctx, u.Actor(), nr); err != nil {
		tb.Fatal(err)
	}
	cur, err := s.Scenes(ctx, r.ID)
	if err != nil {
		tb.Fatal(err)
	}
	k := 0
	for _, sc := range cur {
		for _, f := range sc.Flags {
			if k++; k%2 == 0 {
				if _, err := s.ReviewFlag(ctx, u.Actor(), f.ID, production.Confirmed, "seen"); err != nil {
					tb.Fatal(err)
				}
			}
		}
	}
	return p.ID
}
