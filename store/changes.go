package store

import (
	"context"
	"sync"
)

// Live changes. An open page learns that something changed from the
// chain's head moving (ops.Reader.Head), and polling the head alone makes
// a performer's pause wait for the next poll. So a commit that appended
// events wakes this process's watchers at once (Tx), and on a backend
// whose other servers share the database it also tells them (the
// dialect's Notify, inside the transaction so that only a commit is told)
// for their listener (Config.Listen) to wake theirs. A wake carries the
// new head's seq, never what changed: the watcher reads the head and the
// page refetches what its user may see.

// changes fans each wake out to the open Changes channels, and runs the
// backend's listener while any is open: no connection is held for it
// while no page listens.
type changes struct {
	listen func(ctx context.Context, wake func(seq int64))

	mu     sync.Mutex
	subs   map[chan int64]struct{}
	stop   context.CancelFunc // the running listener's; nil when none runs
	closed bool
	runs   sync.WaitGroup // the listeners started, for Close to wait on
}

func newChanges(listen func(ctx context.Context, wake func(seq int64))) *changes {
	return &changes{listen: listen, subs: map[chan int64]struct{}{}}
}

// watch returns a channel that receives a seq soon after each commit
// until ctx ends, when it is closed. It holds at most the latest value:
// a slow reader misses seqs but never the last wake.
func (c *changes) watch(ctx context.Context) <-chan int64 {
	ch := make(chan int64, 1)
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		close(ch)
		return ch
	}
	c.subs[ch] = struct{}{}
	if c.listen != nil && c.stop == nil {
		lctx, cancel := context.WithCancel(context.Background())
		c.stop = cancel
		c.runs.Go(func() { c.listen(lctx, c.wake) })
	}
	context.AfterFunc(ctx, func() {
		c.mu.Lock()
		defer c.mu.Unlock()
		if _, ok := c.subs[ch]; !ok {
			return // closed with the store
		}
		delete(c.subs, ch)
		close(ch)
		if len(c.subs) == 0 && c.stop != nil {
			c.stop()
			c.stop = nil
		}
	})
	return ch
}

// wake leaves seq as every watcher's latest value without blocking; an
// older value not yet read is replaced. Senders hold the lock, so each
// channel is empty after its drain.
func (c *changes) wake(seq int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for ch := range c.subs {
		select {
		case <-ch:
		default:
		}
		ch <- seq
	}
}

// close stops the listener, waits for it, and closes every channel.
func (c *changes) close() {
	c.mu.Lock()
	c.closed = true
	if c.stop != nil {
		c.stop()
		c.stop = nil
	}
	for ch := range c.subs {
		delete(c.subs, ch)
		close(ch)
	}
	c.mu.Unlock()
	c.runs.Wait()
}
