package store

import (
	"context"
	"fmt"
	"iter"

	"closedset/audit"
)

// AuditEvents streams the whole chain in Seq order, for audit.Verify: it
// holds one event at a time, whatever the chain's length. Stopping early
// releases the query.
func (s *SQL) AuditEvents(ctx context.Context) iter.Seq2[audit.Event, error] {
	return func(yield func(audit.Event, error) bool) {
		rows, err := s.rd().QueryContext(ctx, `SELECT `+eventColumns+` FROM audit_events ORDER BY seq`)
		if err != nil {
			yield(audit.Event{}, fmt.Errorf("store: audit events: %w", err))
			return
		}
		defer rows.Close()
		for rows.Next() {
			e, err := scanEvent(rows)
			if !yield(e, err) || err != nil {
				return
			}
		}
		if err := rows.Err(); err != nil {
			yield(audit.Event{}, fmt.Errorf("store: audit events: %w", err))
		}
	}
}

// Head reads the chain's head seq: one indexed row, cheap enough to poll.
func (s *SQL) Head(ctx context.Context) (int64, error) {
	var seq int64
	if err := s.rd().QueryRowContext(ctx, `SELECT seq FROM audit_head WHERE id = 1`).Scan(&seq); err != nil {
		return 0, fmt.Errorf("store: audit head: %w", err)
	}
	return seq, nil
}

// HeadAnchor is the chain's head as the store keeps it (audit_head): the
// count and hash every new event chains to. A verifier compares it with
// the chain it walked: events cut off the end, or added around closedset,
// leave the two apart.
func (s *SQL) HeadAnchor(ctx context.Context) (audit.Anchor, error) {
	var a audit.Anchor
	if err := s.rd().QueryRowContext(ctx, `SELECT seq, hash FROM audit_head WHERE id = 1`).Scan(&a.Count, &a.Hash); err != nil {
		return audit.Anchor{}, fmt.Errorf("store: audit head: %w", err)
	}
	return a, nil
}

const eventColumns = `seq, at_us, actor_id, actor_name, action, object, digest, prev_hash, hash, bound_rows`

func scanEvent(row interface{ Scan(...any) error }) (audit.Event, error) {
	var e audit.Event
	var at int64
	var rows string
	if err := row.Scan(&e.Seq, &at, &e.Actor.ID, &e.Actor.Name, &e.Action, &e.Object, &e.Digest, &e.PrevHash, &e.Hash, &rows); err != nil {
		return audit.Event{}, fmt.Errorf("store: audit event: %w", err)
	}
	e.At = fromMicros(at)
	var err error
	if e.Rows, err = audit.ParseRows(rows); err != nil {
		return audit.Event{}, fmt.Errorf("store: audit event %d was changed: %w", e.Seq, err)
	}
	return e, nil
}
