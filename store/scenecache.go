package store

import (
	"closedset/production"
	"sync"
)

// sceneCache keeps the current scenes of the productions read most
// recently, each tagged with the audit chain's head when it was read. Every
// write appends an event and so moves the head, which makes a cached list
// stale the moment anything changes, on any server sharing the database: a
// hit needs the head read in the same snapshot to be the one the list was
// read at. The scene list is the workspace's hottest read (every page load
// of a production, every API poll), and decoding its flags' evidence is
// most of its cost.
type sceneCache struct {
	mu   sync.Mutex
	byID map[int64]cachedScenes
}

type cachedScenes struct {
	head   int64
	scenes []production.Scene
}

// maxCachedProductions bounds the cache: a few hundred KB a production.
const maxCachedProductions = 64

// get returns a copy of the production's scenes read at head.
func (c *sceneCache) get(productionID, head int64) ([]production.Scene, bool) {
	c.mu.Lock()
	e, ok := c.byID[productionID]
	c.mu.Unlock()
	if !ok || e.head != head {
		return nil, false
	}
	return copyScenes(e.scenes), true
}

func (c *sceneCache) put(productionID, head int64, scenes []production.Scene) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.byID == nil {
		c.byID = make(map[int64]cachedScenes)
	}
	if _, ok := c.byID[productionID]; !ok && len(c.byID) >= maxCachedProductions {
		for id := range c.byID { // any one: a miss only costs a read
			delete(c.byID, id)
			break
		}
	}
	c.byID[productionID] = cachedScenes{head: head, scenes: copyScenes(scenes)}
}

// copyScenes copies the scenes and their flag lists, so a caller that
// filters or annotates what it got cannot change what others get. The
// evidence and name lists inside stay shared: nothing writes to them.
func copyScenes(in []production.Scene) []production.Scene {
	out := make([]production.Scene, len(in))
	copy(out, in)
	for i := range out {
		out[i].Flags = append([]production.Flag(nil), out[i].Flags...)
		for j := range out[i].Flags {
			if r := out[i].Flags[j].Review; r != nil {
				rc := *r
				out[i].Flags[j].Review = &rc
			}
		}
	}
	return out
}
