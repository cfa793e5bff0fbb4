package store

import (
	"closedset"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"closedset/audit"
	"closedset/auth"
	"closedset/production"
)

// Closed-set lists: versions of a scene's list, numbered through its
// lineage (a list follows its scene into a new draft), each approved once
// by an IC and once by an AD.

// MaxClosedSet bounds a list's canonical content.
const MaxClosedSet = production.MaxClosedSetBytes

// PutClosedSet stores content (a list's canonical JSON, already
// normalized) as the scene's next version, unless hash is the latest
// version's: then it returns the latest and records nothing.
func (s *SQL) PutClosedSet(ctx context.Context, by audit.Actor, sceneID int64, content []byte, hash string) (production.ClosedSetVersion, error) {
	if err := checkBytes("closed-set list", content, MaxClosedSet); err != nil {
		return production.ClosedSetVersion{}, err
	}
	if err := checkHash("closed-set hash", hash); err != nil {
		return production.ClosedSetVersion{}, err
	}
	var list production.ClosedSet
	if err := json.Unmarshal(content, &list); err != nil {
		return production.ClosedSetVersion{}, closedset.Errorf(closedset.Invalid, "closed-set list is not a list's JSON")
	}
	var out production.ClosedSetVersion
	err := s.writeTx(ctx, by, func(tx *sql.Tx, now time.Time) (*change, error) {
		if err := mustExist(ctx, tx, "users", "user", by.ID); err != nil {
			return nil, err
		}
		latest, ok, err := latestClosedSet(ctx, tx, sceneID)
		if err != nil {
			return nil, err
		}
		if ok && latest.Hash == hash {
			out = latest
			return nil, nil
		}
		out = production.ClosedSetVersion{SceneID: sceneID, Version: latest.Version + 1, Hash: hash, List: list, By: by.ID, At: now}
		var id int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO closed_set_versions (scene_id, version, hash, content, by_id, at_us) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
			sceneID, out.Version, hash, string(content), by.ID, now.UnixMicro()).Scan(&id); err != nil {
			return nil, fmt.Errorf("store: put closed-set list of scene %d: %w", sceneID, err)
		}
		return (&change{action: "closedset.put", object: audit.Object("scene", sceneID), data: map[string]any{
			"scene": sceneID, "version": out.Version, "hash": hash}}).bind("closed_set_versions", id), nil
	})
	if err != nil {
		return production.ClosedSetVersion{}, err
	}
	return out, nil
}

// ApproveClosedSet records an approval of the scene's list version in
// role (ic or ad). Only the latest version may be approved (a Conflict
// names it otherwise: the approver saw an older list); approving it again
// in the same role records nothing.
func (s *SQL) ApproveClosedSet(ctx context.Context, by audit.Actor, sceneID int64, version int, role auth.Role) (production.ClosedSetVersion, error) {
	if role != auth.IC && role != auth.AD {
		return production.ClosedSetVersion{}, closedset.Errorf(closedset.Invalid, "a closed-set list is approved by an IC or an AD, not %q", role)
	}
	var out production.ClosedSetVersion
	err := s.writeTx(ctx, by, func(tx *sql.Tx, now time.Time) (*change, error) {
		if err := mustExist(ctx, tx, "users", "user", by.ID); err != nil {
			return nil, err
		}
		latest, ok, err := latestClosedSet(ctx, tx, sceneID)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, closedset.Errorf(closedset.NotFound, "scene %d has no closed-set list to approve", sceneID)
		}
		if version != latest.Version {
			return nil, closedset.FieldErrorf(closedset.Conflict, "version", "version %d is not the current list: version %d is; read it, then approve it", version, latest.Version)
		}
		out = latest
		if latest.ApprovedBy(role) {
			return nil, nil
		}
		var vid int64
		if err := tx.QueryRowContext(ctx, `SELECT id FROM closed_set_versions WHERE scene_id = $1 AND version = $2 ORDER BY id DESC LIMIT 1`,
			latest.SceneID, latest.Version).Scan(&vid); err != nil {
			return nil, fmt.Errorf("store: approve closed-set list: %w", err)
		}
		var aid int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO closed_set_approvals (version_id, role, by_id, at_us) VALUES ($1, $2, $3, $4) RETURNING id`,
			vid, string(role), by.ID, now.UnixMicro()).Scan(&aid); err != nil {
			return nil, fmt.Errorf("store: approve closed-set list: %w", err)
		}
		var name string
		if err := tx.QueryRowContext(ctx, `SELECT name FROM users WHERE id = $1`, by.ID).Scan(&name); err != nil {
			return nil, fmt.Errorf("store: approve closed-set list: %w", err)
		}
		out.Approvals = append(out.Approvals, production.ClosedSetApproval{Version: version, Role: role, By: by.ID, ByName: name, At: now})
		return (&change{action: "closedset.approve", object: audit.Object("scene", sceneID), data: map[string]any{
			"scene": sceneID, "version": version, "hash": latest.Hash, "role": role}}).bind("closed_set_approvals", aid), nil
	})
	if err != nil {
		return production.ClosedSetVersion{}, err
	}
	return out, nil
}

// latestClosedSet reads the latest list of the scene's lineage with its
// approvals; ok is false when it has none (Version 0).
func latestClosedSet(ctx context.Context, q querier, sceneID int64) (production.ClosedSetVersion, bool, error) {
	vs, err := closedSetVersions(ctx, q, sceneID, true)
	if err != nil || len(vs) == 0 {
		return production.ClosedSetVersion{}, false, err
	}
	return vs[0], true, nil
}

// closedSetVersions reads the lists of the scene's lineage with their
// approvals, oldest first; only the latest when latest is set.
func closedSetVersions(ctx context.Context, q querier, sceneID int64, latest bool) ([]production.ClosedSetVersion, error) {
	ids, err := lineage(ctx, q, sceneID)
	if err != nil {
		return nil, err
	}
	return closedSetsOf(ctx, q, ids, latest)
}

// closedSetsOf is closedSetVersions over a lineage already read.
func closedSetsOf(ctx context.Context, q querier, ids []int64, latest bool) ([]production.ClosedSetVersion, error) {
	sceneID := ids[0]
	in, args := inList(ids, 1)
	query := `SELECT id, scene_id, version, hash, content, by_id, at_us FROM closed_set_versions
		WHERE scene_id IN (` + in + `) ORDER BY version, id`
	if latest {
		query = `SELECT id, scene_id, version, hash, content, by_id, at_us FROM closed_set_versions
		WHERE scene_id IN (` + in + `) ORDER BY version DESC, id DESC LIMIT 1`
	}
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("store: closed-set lists of scene %d: %w", sceneID, err)
	}
	var out []production.ClosedSetVersion
	var vids []int64
	for rows.Next() {
		var v production.ClosedSetVersion
		var vid, at int64
		var content string
		if err := rows.Scan(&vid, &v.SceneID, &v.Version, &v.Hash, &content, &v.By, &at); err != nil {
			rows.Close()
			return nil, fmt.Errorf("store: closed-set lists of scene %d: %w", sceneID, err)
		}
		v.At = fromMicros(at)
		if v.List, err = scanJSON[production.ClosedSet]("closed-set list", content); err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, v)
		vids = append(vids, vid)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: closed-set lists of scene %d: %w", sceneID, err)
	}
	for i, vid := range vids {
		if out[i].Approvals, err = closedSetApprovals(ctx, q, vid, out[i].Version); err != nil {
			return nil, fmt.Errorf("store: approvals of scene %d: %w", sceneID, err)
		}
	}
	return out, nil
}

// closedSetApprovals reads the approvals of one stored version, oldest
// first.
func closedSetApprovals(ctx context.Context, q querier, vid int64, version int) ([]production.ClosedSetApproval, error) {
	rows, err := q.QueryContext(ctx, `SELECT a.role, a.by_id, u.name, a.at_us FROM closed_set_approvals a JOIN users u ON u.id = a.by_id
		WHERE a.version_id = $1 ORDER BY a.id`, vid)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []production.ClosedSetApproval
	for rows.Next() {
		a := production.ClosedSetApproval{Version: version}
		var role string
		var at int64
		if err := rows.Scan(&role, &a.By, &a.ByName, &at); err != nil {
			return nil, err
		}
		a.Role, a.At = auth.Role(role), fromMicros(at)
		out = append(out, a)
	}
	return out, rows.Err()
}

// ClosedSet returns the latest closed-set list of the scene or a scene it
// was carried from, with its approvals; NotFound when none was written.
func (s *SQL) ClosedSet(ctx context.Context, sceneID int64) (production.ClosedSetVersion, error) {
	var out production.ClosedSetVersion
	err := s.readTx(ctx, func(tx *sql.Tx) error {
		v, ok, err := latestClosedSet(ctx, tx, sceneID)
		if err == nil && !ok {
			return closedset.Errorf(closedset.NotFound, "scene %d has no closed-set list", sceneID)
		}
		out = v
		return err
	})
	return out, err
}

// ClosedSetVersions returns every closed-set list of the scene's lineage
// with its approvals, oldest first: what the end-of-day report measures
// compliance against. None is an empty list, not an error.
func (s *SQL) ClosedSetVersions(ctx context.Context, sceneID int64) ([]production.ClosedSetVersion, error) {
	var out []production.ClosedSetVersion
	err := s.readTx(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = closedSetVersions(ctx, tx, sceneID, false)
		return err
	})
	return out, err
}
