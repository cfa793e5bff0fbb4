package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"closedset/audit"
	"closedset/production"
)

// CastScene records the IC's choice that a performer is in a scene (in)
// or not, whatever the characters the script shows present; the latest
// choice per performer holds. Choosing what already holds records nothing.
func (s *SQL) CastScene(ctx context.Context, by audit.Actor, sceneID, performerID int64, in bool) error {
	return s.writeTx(ctx, by, func(tx *sql.Tx, now time.Time) (*change, error) {
		if err := mustExist(ctx, tx, "users", "user", by.ID); err != nil {
			return nil, err
		}
		prod, err := sceneProduction(ctx, tx, sceneID)
		if err != nil {
			return nil, err
		}
		if err := performerIn(ctx, tx, performerID, prod); err != nil {
			return nil, err
		}
		choices, err := castChoices(ctx, tx, sceneID)
		if err != nil {
			return nil, err
		}
		if cur, ok := choices[performerID]; ok && cur == in {
			return nil, nil
		}
		var id int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO scene_cast (scene_id, performer_id, in_scene, by_id, at_us) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
			sceneID, performerID, in, by.ID, now.UnixMicro()).Scan(&id); err != nil {
			return nil, fmt.Errorf("store: cast scene %d: %w", sceneID, err)
		}
		action := "scene.cast"
		if !in {
			action = "scene.uncast"
		}
		return (&change{action: action, object: audit.Object("scene", sceneID), data: map[string]any{"scene": sceneID, "performer": performerID, "in": in}}).bind("scene_cast", id), nil
	})
}

// SceneCast is the IC's latest choice for each performer chosen in or out
// of the scene by hand.
func (s *SQL) SceneCast(ctx context.Context, sceneID int64) (map[int64]bool, error) {
	var out map[int64]bool
	err := s.readTx(ctx, func(tx *sql.Tx) error {
		if err := mustExist(ctx, tx, "scenes", "scene", sceneID); err != nil {
			return err
		}
		var err error
		out, err = castChoices(ctx, tx, sceneID)
		return err
	})
	return out, err
}

// castChoices reads the latest choice per performer of a scene.
func castChoices(ctx context.Context, q querier, sceneID int64) (map[int64]bool, error) {
	rows, err := q.QueryContext(ctx, `SELECT performer_id, in_scene FROM scene_cast WHERE scene_id = $1 ORDER BY id`, sceneID)
	if err != nil {
		return nil, fmt.Errorf("store: cast of scene %d: %w", sceneID, err)
	}
	defer rows.Close()
	out := map[int64]bool{}
	for rows.Next() {
		var id int64
		var in bool
		if err := rows.Scan(&id, &in); err != nil {
			return nil, fmt.Errorf("store: cast of scene %d: %w", sceneID, err)
		}
		out[id] = in
	}
	return out, rows.Err()
}

// applyCast is the scene's performers: those playing a character present,
// with the IC's choices applied.
func applyCast(all []production.Performer, present []string, choices map[int64]bool) []production.Performer {
	var out []production.Performer
	for _, p := range all {
		in := false
		for _, c := range p.Characters {
			for _, pc := range present {
				in = in || c == pc
			}
		}
		if chosen, ok := choices[p.ID]; ok {
			in = chosen
		}
		if in {
			out = append(out, p)
		}
	}
	return out
}
