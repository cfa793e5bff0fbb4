package web

import (
	"sync"
)

// sceneLists keeps the scene list of the productions read most recently
// as the API answers it (GET /productions/{id}/scenes), encoded, each
// tagged with the audit head the scenes were read at. Every write moves
// the head, so an entry serves only while nothing has changed, on any
// server sharing the database. Only the list everyone allowed to read
// every scene sees is kept: a performer's list, filtered to their own
// scenes, is encoded for them each time and never kept.
type sceneLists struct {
	mu   sync.Mutex
	byID map[int64]encodedList
}

type encodedList struct {
	head int64
	body []byte // the JSON answer, newline included; never written to
}

// maxSceneLists bounds the entries: a list is a few hundred KB at most.
const maxSceneLists = 64

// get returns the production's list encoded at head.
func (c *sceneLists) get(productionID, head int64) ([]byte, bool) {
	c.mu.Lock()
	e, ok := c.byID[productionID]
	c.mu.Unlock()
	if !ok || e.head != head || head == 0 {
		return nil, false
	}
	return e.body, true
}

// put keeps the production's list encoded at head, unless an entry of a
// later head is there already.
func (c *sceneLists) put(productionID, head int64, body []byte) {
	if head == 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.byID == nil {
		c.byID = make(map[int64]encodedList)
	}
	old, ok := c.byID[productionID]
	if ok && old.head > head {
		return
	}
	if !ok && len(c.byID) >= maxSceneLists {
		for id := range c.byID { // any one: a miss only costs an encoding
			delete(c.byID, id)
			break
		}
	}
	c.byID[productionID] = encodedList{head: head, body: body}
}
