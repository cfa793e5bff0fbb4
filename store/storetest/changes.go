package storetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"closedset/ops"
)

// changesWait bounds how long a test waits to be told of a commit: far
// longer than telling takes, so a slow machine does not fail it.
const changesWait = 10 * time.Second

// watcher is s as an ops.Watcher; every backend's store is one.
func watcher(t *testing.T, s ops.Store) ops.Watcher {
	t.Helper()
	w, ok := s.(ops.Watcher)
	if !ok {
		t.Fatalf("%T tells of no commit (not an ops.Watcher)", s)
	}
	return w
}

// toldOf waits on ch for the seq want, as a page's watcher does: earlier
// seqs are passed over, and on 0 ("maybe something changed") it reads
// the head. A listener taking hold wakes 0, which replaces a commit's
// seq not yet read; the head then tells of the commit.
func toldOf(t *testing.T, s ops.Reader, ch <-chan int64, want int64) {
	t.Helper()
	deadline := time.After(changesWait)
	for {
		select {
		case seq, ok := <-ch:
			if !ok {
				t.Fatalf("the channel closed before telling of head %d", want)
			}
			if seq == 0 {
				head, err := s.Head(context.Background())
				if err != nil {
					t.Fatalf("reading the head on a wake: %v", err)
				}
				seq = head
				if seq < want {
					continue
				}
			}
			if seq == want {
				return
			}
			if seq > want {
				t.Fatalf("told of head %d, want %d", seq, want)
			}
		case <-deadline:
			t.Fatalf("not told of head %d within %s", want, changesWait)
		}
	}
}

// testChangesTellOfCommits: a watcher is told of each commit with its
// new head, not of a transaction rolled back, and its channel closes when
// it stops watching.
func testChangesTellOfCommits(t *testing.T, open Opener) {
	s := open(t)
	ctx, cancel := context.WithCancel(context.Background())
	ch := watcher(t, s).Changes(ctx)

	addUser(t, s, "ida@example.com", "Ida")
	head, err := s.Head(ctx)
	if err != nil {
		t.Fatal(err)
	}
	toldOf(t, s, ch, head)

	// A transaction rolled back moves no head and tells of nothing this
	// process could mistake for the next commit's.
	boom := errors.New("boom")
	if err := s.Tx(ctx, func(tx ops.Store) error {
		addUser(t, tx, "gone@example.com", "Gone")
		return boom
	}); !errors.Is(err, boom) {
		t.Fatalf("Tx: %v, want boom", err)
	}
	addUser(t, s, "nora@example.com", "Nora")
	toldOf(t, s, ch, head+1)

	cancel()
	deadline := time.After(changesWait)
	for {
		select {
		case _, ok := <-ch:
			if !ok {
				return
			}
		case <-deadline:
			t.Fatal("the channel is still open after its watcher stopped")
		}
	}
}

// SharedChanges watches one store and writes through another over the
// same database, as two servers do: once the watcher's listener has taken
// hold (it tells 0 then), it is told of the other's commit with its head.
func SharedChanges(t *testing.T, watched, writer ops.Store) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ch := watcher(t, watched).Changes(ctx)
	select {
	case seq := <-ch:
		if seq != 0 {
			t.Fatalf("told of head %d before any write", seq)
		}
	case <-time.After(changesWait):
		t.Fatalf("the listener did not take hold within %s", changesWait)
	}
	addUser(t, writer, "ida@example.com", "Ida")
	head, err := writer.Head(ctx)
	if err != nil {
		t.Fatal(err)
	}
	toldOf(t, watched, ch, head)
}
