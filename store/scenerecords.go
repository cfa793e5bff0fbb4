package store

import (
	"context"
	"database/sql"
	"fmt"

	"closedset/consent"
	"closedset/ops"
	"closedset/production"
)

// SceneRecords reads what readiness looks at for one scene in one read
// transaction: the lineage once, then each kind of record in one query
// over it (the cast's riders and boundaries in one query each, whatever
// the cast's size), rather than a dozen reads that each begin a
// transaction and walk the lineage again.
func (s *SQL) SceneRecords(ctx context.Context, sceneID int64) (ops.SceneRecords, error) {
	var r ops.SceneRecords
	err := s.readTx(ctx, func(tx *sql.Tx) error {
		ids, err := lineage(ctx, tx, sceneID)
		if err != nil {
			return err
		}
		r.Lineage = ids
		if at, ok, err := callTimeOf(ctx, tx, ids); err != nil {
			return err
		} else if ok {
			r.CallTime = &at
		}
		if pv, ok, err := latestPlan(ctx, tx, sceneID); err != nil {
			return err
		} else if ok {
			r.Plan = &pv
		}
		if r.Cast, err = scenePerformers(ctx, tx, sceneID); err != nil {
			return err
		}
		if r.Riders, r.Boundaries, err = castRecords(ctx, tx, r.Cast); err != nil {
			return err
		}
		if r.Consents, err = latestConsents(ctx, tx, ids, 0); err != nil {
			return err
		}
		if r.Safeguards, err = safeguardsOf(ctx, tx, ids); err != nil {
			return err
		}
		in, args := inList(ids, 1)
		if r.Requests, err = loadRequests(ctx, tx, `r.scene_id IN (`+in+`)`, args...); err != nil {
			return err
		}
		if cs, err := closedSetsOf(ctx, tx, ids, true); err != nil {
			return err
		} else if len(cs) > 0 {
			r.ClosedSet = &cs[0]
		}
		if r.Pauses, err = pausesOf(ctx, tx, sceneID); err != nil {
			return wrapStore(err, "pauses of scene %d", sceneID)
		}
		return nil
	})
	if err != nil {
		return ops.SceneRecords{}, err
	}
	return r, nil
}

// castRecords reads the riders of the cast (by performer in the cast's
// order, each's oldest first, as RidersOf gives them one by one) and
// their latest sealed boundaries.
func castRecords(ctx context.Context, q querier, cast []production.Performer) ([]consent.Rider, map[int64]ops.SealedBoundaries, error) {
	if len(cast) == 0 {
		return nil, nil, nil
	}
	ids := make([]int64, len(cast))
	for i, p := range cast {
		ids[i] = p.ID
	}
	in, args := inList(ids, 1)
	all, err := loadRiders(ctx, q, `ri.performer_id IN (`+in+`)`, args...)
	if err != nil {
		return nil, nil, err
	}
	riders := make([]consent.Rider, 0, len(all))
	for _, id := range ids {
		for _, r := range all {
			if r.PerformerID == id {
				riders = append(riders, r)
			}
		}
	}
	rows, err := q.QueryContext(ctx, `SELECT b.performer_id, b.sealed, b.version FROM boundaries b
		WHERE b.performer_id IN (`+in+`)
		AND b.version = (SELECT MAX(b2.version) FROM boundaries b2 WHERE b2.performer_id = b.performer_id)`, args...)
	if err != nil {
		return nil, nil, fmt.Errorf("store: boundaries of the cast: %w", err)
	}
	defer rows.Close()
	bounds := make(map[int64]ops.SealedBoundaries, len(cast))
	for rows.Next() {
		var id int64
		var b ops.SealedBoundaries
		if err := rows.Scan(&id, &b.Sealed, &b.Version); err != nil {
			return nil, nil, fmt.Errorf("store: boundaries of the cast: %w", err)
		}
		bounds[id] = b
	}
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("store: boundaries of the cast: %w", err)
	}
	return riders, bounds, nil
}
