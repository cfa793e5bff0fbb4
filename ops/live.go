package ops

import "context"

// Watcher is a Store that tells of commits as they happen, so that a
// pause reaches the open pages of its production at once rather than at
// the next poll of Reader.Head. store.SQL is one: this process's commits
// always, and on PostgreSQL those of every server sharing the database
// (LISTEN/NOTIFY).
type Watcher interface {
	// Changes returns a channel that receives a value soon after each
	// commit until ctx ends, when it is closed. The value is the new
	// head's seq, or 0 for "maybe something changed"; the channel holds
	// only the latest one. It carries nothing about what changed: a
	// watcher reads the head, and pages refetch what their user may see.
	// Some commits go untold (another process's on SQLite, one made while
	// a listener reconnects), so a watcher still reads the head now and
	// then.
	Changes(ctx context.Context) <-chan int64
}

// Watcher is the store's Watcher, or nil when it has none: live pages
// then poll the head.
func (o *Ops) Watcher() Watcher {
	w, _ := o.store.(Watcher)
	return w
}
