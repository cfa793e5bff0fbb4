package ops

import (
	"context"
	"sync"
	"time"

	"closedset"
)

// Reading an untrusted script takes a child process with up to a gigabyte
// of address space and seconds of CPU: a few at a time per user, and a few
// in all, so that one account's uploads cannot hold every core or all the
// memory while others wait.
const (
	// MaxReadsPerUser is how many scripts one account may have read at once.
	MaxReadsPerUser = 2
	// readWait is how long an upload waits for a free reader before it is
	// refused as rate limited.
	readWait = 10 * time.Second
)

// readSlots caps concurrent script reads, in all and per user.
type readSlots struct {
	all    chan struct{}
	mu     sync.Mutex
	byUser map[int64]int
}

func newReadSlots(n int) *readSlots {
	return &readSlots{all: make(chan struct{}, n), byUser: map[int64]int{}}
}

// take waits for a reader for the user; release gives it back. Over the
// user's share it refuses at once; with every reader busy it waits up to
// readWait.
func (s *readSlots) take(ctx context.Context, userID int64) (release func(), err error) {
	s.mu.Lock()
	if s.byUser[userID] >= MaxReadsPerUser {
		s.mu.Unlock()
		return nil, closedset.Errorf(closedset.RateLimited, "you have %d scripts being read already: wait for them to finish", MaxReadsPerUser)
	}
	s.byUser[userID]++
	s.mu.Unlock()
	mine := func() {
		s.mu.Lock()
		if s.byUser[userID]--; s.byUser[userID] == 0 {
			delete(s.byUser, userID)
		}
		s.mu.Unlock()
	}
	t := time.NewTimer(readWait)
	defer t.Stop()
	select {
	case s.all <- struct{}{}:
		return func() { <-s.all; mine() }, nil
	case <-t.C:
		mine()
		return nil, closedset.Errorf(closedset.RateLimited, "the server is reading %d scripts already: try again in a minute", cap(s.all))
	case <-ctx.Done():
		mine()
		return nil, ctx.Err()
	}
}
