package postgres

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
)

// Channel is the NOTIFY channel on which every write transaction tells
// the servers sharing the database that it committed. Its payload is the
// new head's seq in decimal and nothing else: no record's content, which
// any role of the database could LISTEN for.
const Channel = "closedset_events"

// The listener's wait between reconnections: doubled on each failure up
// to the most, back to the least once LISTEN takes hold again.
const (
	minBackoff = 100 * time.Millisecond
	maxBackoff = 10 * time.Second
)

// listener returns the store's Config.Listen: LISTEN on a connection of
// its own (pooled connections are handed to others between queries, and
// would drop the subscription), reconnecting with backoff when it fails.
func listener(cfg *pgx.ConnConfig, log *slog.Logger) func(ctx context.Context, wake func(seq int64)) {
	return func(ctx context.Context, wake func(seq int64)) {
		wait := minBackoff
		for {
			listened, err := listen(ctx, cfg, wake)
			if ctx.Err() != nil {
				return
			}
			if listened {
				wait = minBackoff
			}
			// Pages still see changes meanwhile, at the watcher's slower
			// poll of the head.
			log.Warn("postgres: listening for other servers' changes", "err", err, "retry_in", wait.String())
			select {
			case <-ctx.Done():
				return
			case <-time.After(wait):
			}
			wait = min(2*wait, maxBackoff)
		}
	}
}

// listen connects, listens on Channel and tells wake of each notification
// until ctx ends or the connection fails; listened says whether LISTEN
// took hold.
func listen(ctx context.Context, cfg *pgx.ConnConfig, wake func(seq int64)) (listened bool, err error) {
	conn, err := pgx.ConnectConfig(ctx, cfg.Copy())
	if err != nil {
		return false, fmt.Errorf("connect: %w", err)
	}
	defer func() {
		cctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		conn.Close(cctx)
	}()
	if _, err := conn.Exec(ctx, "LISTEN "+Channel); err != nil {
		return false, fmt.Errorf("LISTEN %s: %w", Channel, err)
	}
	// Commits made before LISTEN took hold (since the watcher last read
	// the head, or while disconnected) were told to no one here.
	wake(0)
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			if errors.Is(err, context.Canceled) && ctx.Err() != nil {
				return true, nil
			}
			return true, fmt.Errorf("waiting for a notification: %w", err)
		}
		seq, err := strconv.ParseInt(n.Payload, 10, 64)
		if err != nil {
			seq = 0 // another writer's payload: still a change
		}
		wake(seq)
	}
}
