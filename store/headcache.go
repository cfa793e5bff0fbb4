package store

import (
	"maps"
	"slices"
	"sync"

	"closedset/ops"
	"closedset/production"
)

// headCache keeps what was read most recently, each value tagged with the
// audit chain's head it was read at. Every write appends an event and so
// moves the head, which makes a kept value stale the moment anything
// changes, on any server sharing the database: a hit needs the head read
// in the same snapshot as the read it spares to be the one the value was
// read at. Nothing is kept or served inside a write transaction, whose
// head may never be committed.
//
// Values go in and out through copy, so a caller that filters or
// annotates what it got cannot change what others get; the lists inside
// them stay shared, as nothing writes to them.
type headCache[K comparable, V any] struct {
	mu    sync.Mutex
	byKey map[K]headEntry[V]
	max   int
	copy  func(V) V
}

type headEntry[V any] struct {
	head  int64
	value V
}

func newHeadCache[K comparable, V any](max int, copy func(V) V) *headCache[K, V] {
	return &headCache[K, V]{byKey: make(map[K]headEntry[V]), max: max, copy: copy}
}

// get returns a copy of the value kept for key if it was read at head.
func (c *headCache[K, V]) get(key K, head int64) (V, bool) {
	c.mu.Lock()
	e, ok := c.byKey[key]
	c.mu.Unlock()
	if !ok || e.head != head {
		var zero V
		return zero, false
	}
	return c.copy(e.value), true
}

// put keeps a copy of the value read at head.
func (c *headCache[K, V]) put(key K, head int64, v V) {
	v = c.copy(v)
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.byKey[key]; !ok && len(c.byKey) >= c.max {
		// Full: those read at another head go first (they can only be
		// stale or older), then any one; a miss only costs a read.
		for k, e := range c.byKey {
			if e.head != head {
				delete(c.byKey, k)
			}
		}
		for k := range c.byKey {
			if len(c.byKey) < c.max {
				break
			}
			delete(c.byKey, k)
		}
	}
	c.byKey[key] = headEntry[V]{head: head, value: v}
}

// Bounds of the caches: a production's scene list is a few hundred KB, a
// scene's records a few KB.
const (
	maxCachedProductions = 64
	maxCachedScenes      = 4096
)

// copyScenes copies the scenes and their flag lists.
func copyScenes(in []production.Scene) []production.Scene {
	out := slices.Clone(in)
	for i := range out {
		out[i].Flags = slices.Clone(out[i].Flags)
		for j := range out[i].Flags {
			if r := out[i].Flags[j].Review; r != nil {
				rc := *r
				out[i].Flags[j].Review = &rc
			}
		}
	}
	return out
}

// copyRecords copies a scene's records: each list, map and pointed-to
// record of its own.
func copyRecords(r ops.SceneRecords) ops.SceneRecords {
	r.Lineage = slices.Clone(r.Lineage)
	if r.CallTime != nil {
		at := *r.CallTime
		r.CallTime = &at
	}
	if r.Plan != nil {
		p := *r.Plan
		r.Plan = &p
	}
	r.Cast = slices.Clone(r.Cast)
	r.Riders = slices.Clone(r.Riders)
	r.Consents = slices.Clone(r.Consents)
	r.Safeguards.Guardians = slices.Clone(r.Safeguards.Guardians)
	r.Requests = slices.Clone(r.Requests)
	if r.ClosedSet != nil {
		cs := *r.ClosedSet
		r.ClosedSet = &cs
	}
	r.Pauses = slices.Clone(r.Pauses)
	r.Boundaries = maps.Clone(r.Boundaries)
	return r
}

// copyProductionRecords copies a production's records and its lead's.
func copyProductionRecords(r ops.ProductionRecords) ops.ProductionRecords {
	r.Policy = slices.Clone(r.Policy)
	if r.Lead != nil {
		l := *r.Lead
		l.Profile = slices.Clone(l.Profile)
		l.SignOffs = slices.Clone(l.SignOffs)
		l.WorkedDays = slices.Clone(l.WorkedDays)
		r.Lead = &l
	}
	return r
}
