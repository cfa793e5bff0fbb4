package store

import (
	"closedset"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"closedset/audit"
	"closedset/consent"
)

// PutBoundaries appends a new version of the performer's sealed
// boundaries. Its event names the performer and the version only: no
// bytes and no digest of them, which would let anyone holding the chain
// test a guess at what a performer said.
func (s *SQL) PutBoundaries(ctx context.Context, by audit.Actor, performerID int64, sealed []byte) (int, error) {
	if err := checkBytes("sealed boundaries", sealed, MaxSealed); err != nil {
		return 0, err
	}
	var version int
	err := s.writeTx(ctx, by, func(tx *sql.Tx, now time.Time) (*change, error) {
		if err := mustExist(ctx, tx, "performers", "performer", performerID); err != nil {
			return nil, err
		}
		if err := mustExist(ctx, tx, "users", "user", by.ID); err != nil {
			return nil, err
		}
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) + 1 FROM boundaries WHERE performer_id = $1`, performerID).Scan(&version); err != nil {
			return nil, fmt.Errorf("store: put boundaries: %w", err)
		}
		var id int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO boundaries (performer_id, version, sealed, by_id, at_us) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
			performerID, version, sealed, by.ID, now.UnixMicro()).Scan(&id); err != nil {
			return nil, fmt.Errorf("store: put boundaries: %w", err)
		}
		return (&change{action: "boundaries.put", object: audit.Object("performer", performerID), data: map[string]any{"performer": performerID, "version": version}}).bind("boundaries", id), nil
	})
	if err != nil {
		return 0, err
	}
	return version, nil
}

// Boundaries returns the performer's latest sealed boundaries.
func (s *SQL) Boundaries(ctx context.Context, performerID int64) ([]byte, int, error) {
	var sealed []byte
	var version int
	err := s.readTx(ctx, func(tx *sql.Tx) error {
		if err := mustExist(ctx, tx, "performers", "performer", performerID); err != nil {
			return err
		}
		err := tx.QueryRowContext(ctx, `SELECT sealed, version FROM boundaries WHERE performer_id = $1
			ORDER BY version DESC LIMIT 1`, performerID).Scan(&sealed, &version)
		if errors.Is(err, sql.ErrNoRows) {
			return closedset.Errorf(closedset.NotFound, "performer %d has no boundaries recorded", performerID)
		}
		if err != nil {
			return fmt.Errorf("store: boundaries of performer %d: %w", performerID, err)
		}
		return nil
	})
	if err != nil {
		return nil, 0, err
	}
	return sealed, version, nil
}

// SetCallTime appends the scene's call time; the latest is the scene's.
func (s *SQL) SetCallTime(ctx context.Context, by audit.Actor, sceneID int64, callTime time.Time) error {
	if callTime.IsZero() || callTime.Year() < 1970 || callTime.Year() > 9999 {
		return closedset.Errorf(closedset.Invalid, "call time %v is not a time between 1970 and 9999", callTime)
	}
	at := callTime.UTC().Truncate(time.Microsecond)
	return s.writeTx(ctx, by, func(tx *sql.Tx, now time.Time) (*change, error) {
		if err := mustExist(ctx, tx, "scenes", "scene", sceneID); err != nil {
			return nil, err
		}
		if err := mustExist(ctx, tx, "users", "user", by.ID); err != nil {
			return nil, err
		}
		var id int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO call_times (scene_id, call_us, by_id, at_us) VALUES ($1, $2, $3, $4) RETURNING id`,
			sceneID, at.UnixMicro(), by.ID, now.UnixMicro()).Scan(&id); err != nil {
			return nil, fmt.Errorf("store: set call time: %w", err)
		}
		return (&change{action: "schedule.set", object: audit.Object("scene", sceneID), data: map[string]any{"scene": sceneID, "call_time": at}}).bind("call_times", id), nil
	})
}

// CallTime returns the latest call time set for the scene or a scene it
// was carried from; false when none was set.
func (s *SQL) CallTime(ctx context.Context, sceneID int64) (time.Time, bool, error) {
	var at time.Time
	var ok bool
	err := s.readTx(ctx, func(tx *sql.Tx) error {
		ids, err := lineage(ctx, tx, sceneID)
		if err != nil {
			return err
		}
		at, ok, err = callTimeOf(ctx, tx, ids)
		return err
	})
	return at, ok, err
}

// callTimeOf reads the latest call time set for any scene of a lineage.
func callTimeOf(ctx context.Context, q querier, lineage []int64) (time.Time, bool, error) {
	in, args := inList(lineage, 1)
	var us int64
	err := q.QueryRowContext(ctx, `SELECT call_us FROM call_times WHERE scene_id IN (`+in+`) ORDER BY id DESC LIMIT 1`, args...).Scan(&us)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, false, nil
	}
	if err != nil {
		return time.Time{}, false, fmt.Errorf("store: call time of scene %d: %w", lineage[0], err)
	}
	return fromMicros(us), true, nil
}

const planColumns = `scene_id, version, hash, content, carried_from, by_id, at_us`

func scanPlan(row interface{ Scan(...any) error }, p *consent.PlanVersion) error {
	var at int64
	if err := row.Scan(&p.SceneID, &p.Version, &p.Hash, &p.Content, &p.CarriedFrom, &p.By, &at); err != nil {
		return err
	}
	p.At = fromMicros(at)
	return nil
}

// latestPlan returns the scene's latest plan version; ok is false when it
// has none.
func latestPlan(ctx context.Context, q querier, sceneID int64) (consent.PlanVersion, bool, error) {
	var p consent.PlanVersion
	err := scanPlan(q.QueryRowContext(ctx, `SELECT `+planColumns+` FROM plan_versions WHERE scene_id = $1
		ORDER BY version DESC LIMIT 1`, sceneID), &p)
	if errors.Is(err, sql.ErrNoRows) {
		return consent.PlanVersion{}, false, nil
	}
	if err != nil {
		return consent.PlanVersion{}, false, fmt.Errorf("store: plan of scene %d: %w", sceneID, err)
	}
	return p, true, nil
}

// PutPlan stores a new version of the scene's plan when its hash differs
// from the latest version's; the same plan again returns the latest and
// records no event. The event digests the hash, not the content.
func (s *SQL) PutPlan(ctx context.Context, by audit.Actor, sceneID int64, content []byte, hash string) (consent.PlanVersion, error) {
	if err := checkBytes("plan content", content, MaxPlan); err != nil {
		return consent.PlanVersion{}, err
	}
	if err := checkHash("plan hash", hash); err != nil {
		return consent.PlanVersion{}, err
	}
	var p consent.PlanVersion
	err := s.writeTx(ctx, by, func(tx *sql.Tx, now time.Time) (*change, error) {
		if err := mustExist(ctx, tx, "scenes", "scene", sceneID); err != nil {
			return nil, err
		}
		if err := mustExist(ctx, tx, "users", "user", by.ID); err != nil {
			return nil, err
		}
		latest, ok, err := latestPlan(ctx, tx, sceneID)
		if err != nil {
			return nil, err
		}
		if ok && latest.Hash == hash {
			p = latest
			return nil, nil
		}
		p = consent.PlanVersion{SceneID: sceneID, Version: latest.Version + 1, Hash: hash, Content: content, By: by.ID, At: now}
		id, err := insertPlan(ctx, tx, p)
		if err != nil {
			return nil, err
		}
		return (&change{action: "plan.put", object: audit.Object("scene", sceneID), data: map[string]any{"scene": sceneID, "version": p.Version, "hash": hash}}).bind("plan_versions", id), nil
	})
	if err != nil {
		return consent.PlanVersion{}, err
	}
	return p, nil
}

// insertPlan appends a plan version and returns its row's id.
func insertPlan(ctx context.Context, tx *sql.Tx, p consent.PlanVersion) (int64, error) {
	var id int64
	err := tx.QueryRowContext(ctx, `INSERT INTO plan_versions (scene_id, version, hash, content, carried_from, by_id, at_us)
		VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, p.SceneID, p.Version, p.Hash, p.Content, p.CarriedFrom, p.By, p.At.UnixMicro()).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("store: put plan of scene %d: %w", p.SceneID, err)
	}
	return id, nil
}

// Plan returns the scene's latest plan version.
func (s *SQL) Plan(ctx context.Context, sceneID int64) (consent.PlanVersion, error) {
	var p consent.PlanVersion
	err := s.readTx(ctx, func(tx *sql.Tx) error {
		if err := mustExist(ctx, tx, "scenes", "scene", sceneID); err != nil {
			return err
		}
		var ok bool
		var err error
		if p, ok, err = latestPlan(ctx, tx, sceneID); err == nil && !ok {
			return closedset.Errorf(closedset.NotFound, "scene %d has no plan", sceneID)
		}
		return err
	})
	return p, err
}

// PlanVersions returns every version of the scene's plan, oldest first.
func (s *SQL) PlanVersions(ctx context.Context, sceneID int64) ([]consent.PlanVersion, error) {
	var out []consent.PlanVersion
	err := s.readTx(ctx, func(tx *sql.Tx) error {
		if err := mustExist(ctx, tx, "scenes", "scene", sceneID); err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, `SELECT `+planColumns+` FROM plan_versions WHERE scene_id = $1 ORDER BY version`, sceneID)
		if err != nil {
			return fmt.Errorf("store: plans of scene %d: %w", sceneID, err)
		}
		defer rows.Close()
		for rows.Next() {
			var p consent.PlanVersion
			if err := scanPlan(rows, &p); err != nil {
				return fmt.Errorf("store: plans of scene %d: %w", sceneID, err)
			}
			out = append(out, p)
		}
		return rows.Err()
	})
	return out, err
}

// PlanByHash returns the scene's latest plan version with the hash (a plan
// changed and changed back has the hash twice).
func (s *SQL) PlanByHash(ctx context.Context, sceneID int64, hash string) (consent.PlanVersion, error) {
	var p consent.PlanVersion
	err := scanPlan(s.rd().QueryRowContext(ctx, `SELECT `+planColumns+` FROM plan_versions WHERE scene_id = $1 AND hash = $2
		ORDER BY version DESC LIMIT 1`, sceneID, hash), &p)
	if errors.Is(err, sql.ErrNoRows) {
		return consent.PlanVersion{}, closedset.Errorf(closedset.NotFound, "scene %d has no plan with hash %s", sceneID, hash)
	}
	if err != nil {
		return consent.PlanVersion{}, fmt.Errorf("store: plan of scene %d: %w", sceneID, err)
	}
	return p, nil
}

// CarryPlan copies the latest plan of a scene to its matched scene in a
// later draft of the same script, as that scene's version 1, and links the
// scenes. The content and its hash are the same: whether consents still
// hold is then a matter of the scene text's hash.
func (s *SQL) CarryPlan(ctx context.Context, by audit.Actor, fromSceneID, toSceneID int64) (consent.PlanVersion, error) {
	var p consent.PlanVersion
	err := s.writeTx(ctx, by, func(tx *sql.Tx, now time.Time) (*change, error) {
		if err := mustExist(ctx, tx, "users", "user", by.ID); err != nil {
			return nil, err
		}
		var fromScript, toScript int64
		var fromSeq, toSeq int
		for _, sc := range []struct {
			id     int64
			script *int64
			seq    *int
		}{{fromSceneID, &fromScript, &fromSeq}, {toSceneID, &toScript, &toSeq}} {
			err := tx.QueryRowContext(ctx, `SELECT r.script_id, r.seq FROM scenes sc JOIN revisions r ON r.id = sc.revision_id
				WHERE sc.id = $1`, sc.id).Scan(sc.script, sc.seq)
			if errors.Is(err, sql.ErrNoRows) {
				return nil, closedset.Errorf(closedset.NotFound, "scene %d not found", sc.id)
			}
			if err != nil {
				return nil, fmt.Errorf("store: carry plan: %w", err)
			}
		}
		if fromScript != toScript || fromSeq >= toSeq {
			return nil, closedset.Errorf(closedset.Invalid, "scene %d is not of a later draft of the same script as scene %d: a plan is carried forward only", toSceneID, fromSceneID)
		}
		from, ok, err := latestPlan(ctx, tx, fromSceneID)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, closedset.Errorf(closedset.NotFound, "scene %d has no plan to carry", fromSceneID)
		}
		if _, has, err := latestPlan(ctx, tx, toSceneID); err != nil {
			return nil, err
		} else if has {
			return nil, closedset.Errorf(closedset.Conflict, "scene %d already has a plan", toSceneID)
		}
		var linked int64
		err = tx.QueryRowContext(ctx, `SELECT from_scene_id FROM scene_lineage WHERE scene_id = $1`, toSceneID).Scan(&linked)
		if err == nil {
			return nil, closedset.Errorf(closedset.Conflict, "scene %d was already carried from scene %d", toSceneID, linked)
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return nil, fmt.Errorf("store: carry plan: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO scene_lineage (scene_id, from_scene_id, by_id, at_us) VALUES ($1, $2, $3, $4)`,
			toSceneID, fromSceneID, by.ID, now.UnixMicro()); err != nil {
			return nil, fmt.Errorf("store: carry plan: %w", err)
		}
		p = consent.PlanVersion{SceneID: toSceneID, Version: 1, Hash: from.Hash, Content: from.Content, By: by.ID, At: now, CarriedFrom: fromSceneID}
		id, err := insertPlan(ctx, tx, p)
		if err != nil {
			return nil, err
		}
		return (&change{action: "plan.carry", object: audit.Object("scene", toSceneID), data: map[string]any{
			"scene": toSceneID, "from": fromSceneID, "from_version": from.Version, "version": 1, "hash": from.Hash}}).
			bind("scene_lineage", toSceneID).bind("plan_versions", id), nil
	})
	if err != nil {
		return consent.PlanVersion{}, err
	}
	return p, nil
}

// SceneLineage returns the scene and the scenes it was carried from,
// newest first.
func (s *SQL) SceneLineage(ctx context.Context, sceneID int64) ([]int64, error) {
	var out []int64
	err := s.readTx(ctx, func(tx *sql.Tx) (err error) {
		out, err = lineage(ctx, tx, sceneID)
		return err
	})
	return out, err
}

// maxLineage bounds a walk of the lineage: one link per revision.
const maxLineage = 10000

// lineage returns the scene (NotFound if missing) and its ancestors, in
// one query. Links only point to earlier drafts (CarryPlan), so the walk
// ends; maxLineage bounds it all the same.
func lineage(ctx context.Context, q querier, sceneID int64) ([]int64, error) {
	rows, err := q.QueryContext(ctx, `WITH RECURSIVE l (id, depth) AS (
			SELECT id, 0 FROM scenes WHERE id = $1
			UNION ALL
			SELECT sl.from_scene_id, l.depth + 1 FROM scene_lineage sl JOIN l ON sl.scene_id = l.id WHERE l.depth < $2
		) SELECT id FROM l ORDER BY depth`, sceneID, maxLineage-1)
	if err != nil {
		return nil, fmt.Errorf("store: lineage of scene %d: %w", sceneID, err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("store: lineage of scene %d: %w", sceneID, err)
		}
		out = append(out, id)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: lineage of scene %d: %w", sceneID, err)
	}
	if len(out) == 0 {
		return nil, closedset.Errorf(closedset.NotFound, "scene %d not found", sceneID)
	}
	return out, nil
}

// inList returns placeholders $start, $start+1, ... for ids, and the ids
// as arguments.
func inList(ids []int64, start int) (string, []any) {
	ph := make([]string, len(ids))
	args := make([]any, len(ids))
	for i, id := range ids {
		ph[i] = "$" + strconv.Itoa(start+i)
		args[i] = id
	}
	return strings.Join(ph, ", "), args
}
