package store

import (
	"closedset"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"time"

	"closedset/audit"
	"closedset/production"
)

// Shoot days: one per date of a production, with versions of its scene
// list; the latest version holds.

// CreateShootDay makes the production's day on date with its first scene
// list. A second day on the same date is a Conflict; every scene must be
// the production's.
func (s *SQL) CreateShootDay(ctx context.Context, by audit.Actor, productionID int64, date production.Date, sceneIDs []int64) (production.Day, error) {
	if !date.Valid() {
		return production.Day{}, closedset.FieldErrorf(closedset.Invalid, "date", "%q is not a calendar date", date)
	}
	ids, err := production.CheckDayScenes(sceneIDs)
	if err != nil {
		return production.Day{}, err
	}
	var out production.Day
	err = s.writeTx(ctx, by, func(tx *sql.Tx, now time.Time) (*change, error) {
		if err := mustExist(ctx, tx, "users", "user", by.ID); err != nil {
			return nil, err
		}
		if err := mustExist(ctx, tx, "productions", "production", productionID); err != nil {
			return nil, err
		}
		var other int64
		err := tx.QueryRowContext(ctx, `SELECT id FROM shoot_days WHERE production_id = $1 AND day = $2`, productionID, date.String()).Scan(&other)
		if err == nil {
			return nil, closedset.FieldErrorf(closedset.Conflict, "date", "the production already has a shoot day on %s (day %d): edit its scenes", date, other)
		}
		if !errNoRows(err) {
			return nil, fmt.Errorf("store: create shoot day: %w", err)
		}
		var id int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO shoot_days (production_id, day, by_id, at_us) VALUES ($1, $2, $3, $4) RETURNING id`,
			productionID, date.String(), by.ID, now.UnixMicro()).Scan(&id); err != nil {
			return nil, fmt.Errorf("store: create shoot day: %w", err)
		}
		vid, err := insertDayScenes(ctx, tx, productionID, id, 1, ids, by, now)
		if err != nil {
			return nil, err
		}
		out = production.Day{ID: id, ProductionID: productionID, Date: date, SceneIDs: ids, Version: 1, By: by.ID, At: now}
		return (&change{action: "shootday.create", object: audit.Object("shoot_day", id), data: map[string]any{
			"day": id, "production": productionID, "date": date, "scenes": ids}}).bind("shoot_days", id).bindDayVersion(vid, len(ids)), nil
	})
	if err != nil {
		return production.Day{}, err
	}
	return out, nil
}

// SetShootDayScenes makes a new version of the day's scene list, unless
// it is the list the day holds: that records nothing.
func (s *SQL) SetShootDayScenes(ctx context.Context, by audit.Actor, dayID int64, sceneIDs []int64) (production.Day, error) {
	ids, err := production.CheckDayScenes(sceneIDs)
	if err != nil {
		return production.Day{}, err
	}
	var out production.Day
	err = s.writeTx(ctx, by, func(tx *sql.Tx, now time.Time) (*change, error) {
		if err := mustExist(ctx, tx, "users", "user", by.ID); err != nil {
			return nil, err
		}
		cur, err := dayByID(ctx, tx, dayID)
		if err != nil {
			return nil, err
		}
		if slices.Equal(cur.SceneIDs, ids) {
			out = cur
			return nil, nil
		}
		vid, err := insertDayScenes(ctx, tx, cur.ProductionID, dayID, cur.Version+1, ids, by, now)
		if err != nil {
			return nil, err
		}
		out = cur
		out.SceneIDs, out.Version, out.By, out.At = ids, cur.Version+1, by.ID, now
		return (&change{action: "shootday.scenes", object: audit.Object("shoot_day", dayID), data: map[string]any{
			"day": dayID, "version": out.Version, "scenes": ids}}).bindDayVersion(vid, len(ids)), nil
	})
	if err != nil {
		return production.Day{}, err
	}
	return out, nil
}

// bindDayVersion binds a day's scene-list version and its scenes, if any.
func (c *change) bindDayVersion(vid int64, scenes int) *change {
	c.bind("shoot_day_versions", vid)
	if scenes > 0 {
		c.bind("shoot_day_scenes", vid)
	}
	return c
}

// insertDayScenes writes version of the day's scene list, each scene
// checked to be the production's, and returns the version's row id.
func insertDayScenes(ctx context.Context, tx *sql.Tx, productionID, dayID int64, version int, ids []int64, by audit.Actor, now time.Time) (int64, error) {
	for _, id := range ids {
		p, err := sceneProduction(ctx, tx, id)
		if closedset.Is(err, closedset.NotFound) || err == nil && p != productionID {
			return 0, closedset.FieldErrorf(closedset.Invalid, "scene_ids", "scene %d is not a scene of this production", id)
		}
		if err != nil {
			return 0, err
		}
	}
	var vid int64
	if err := tx.QueryRowContext(ctx, `INSERT INTO shoot_day_versions (day_id, version, by_id, at_us) VALUES ($1, $2, $3, $4) RETURNING id`,
		dayID, version, by.ID, now.UnixMicro()).Scan(&vid); err != nil {
		return 0, fmt.Errorf("store: scenes of shoot day %d: %w", dayID, err)
	}
	for i, id := range ids {
		if _, err := tx.ExecContext(ctx, `INSERT INTO shoot_day_scenes (version_id, idx, scene_id) VALUES ($1, $2, $3)`, vid, i, id); err != nil {
			return 0, fmt.Errorf("store: scenes of shoot day %d: %w", dayID, err)
		}
	}
	return vid, nil
}

// dayQuery reads days with their latest scene list's version; %s is a
// condition on d (shoot_days).
const dayQuery = `SELECT d.id, d.production_id, d.day, v.id, v.version, v.by_id, v.at_us
	FROM shoot_days d JOIN shoot_day_versions v ON v.id = (SELECT MAX(v2.id) FROM shoot_day_versions v2 WHERE v2.day_id = d.id)
	WHERE %s ORDER BY d.day, d.id`

func loadDays(ctx context.Context, q querier, cond string, arg int64) ([]production.Day, error) {
	rows, err := q.QueryContext(ctx, fmt.Sprintf(dayQuery, cond), arg)
	if err != nil {
		return nil, fmt.Errorf("store: shoot days: %w", err)
	}
	var out []production.Day
	var versions []int64
	for rows.Next() {
		var d production.Day
		var day string
		var vid, at int64
		if err := rows.Scan(&d.ID, &d.ProductionID, &day, &vid, &d.Version, &d.By, &at); err != nil {
			rows.Close()
			return nil, fmt.Errorf("store: shoot days: %w", err)
		}
		if d.Date, err = production.ParseDate(day); err != nil {
			rows.Close()
			return nil, fmt.Errorf("store: shoot day %d: %w", d.ID, err)
		}
		d.At, d.SceneIDs = fromMicros(at), []int64{}
		out = append(out, d)
		versions = append(versions, vid)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: shoot days: %w", err)
	}
	for i, vid := range versions {
		rows, err := q.QueryContext(ctx, `SELECT scene_id FROM shoot_day_scenes WHERE version_id = $1 ORDER BY idx`, vid)
		if err != nil {
			return nil, fmt.Errorf("store: scenes of shoot day %d: %w", out[i].ID, err)
		}
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return nil, fmt.Errorf("store: scenes of shoot day %d: %w", out[i].ID, err)
			}
			out[i].SceneIDs = append(out[i].SceneIDs, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("store: scenes of shoot day %d: %w", out[i].ID, err)
		}
	}
	return out, nil
}

func dayByID(ctx context.Context, q querier, id int64) (production.Day, error) {
	ds, err := loadDays(ctx, q, `d.id = $1`, id)
	if err != nil {
		return production.Day{}, err
	}
	if len(ds) == 0 {
		return production.Day{}, closedset.Errorf(closedset.NotFound, "shoot day %d not found", id)
	}
	return ds[0], nil
}

// ShootDay returns one day with its current scene list.
func (s *SQL) ShootDay(ctx context.Context, id int64) (production.Day, error) {
	var out production.Day
	err := s.readTx(ctx, func(tx *sql.Tx) (err error) {
		out, err = dayByID(ctx, tx, id)
		return err
	})
	return out, err
}

// ShootDays returns the production's days by date, each with its current
// scene list.
func (s *SQL) ShootDays(ctx context.Context, productionID int64) ([]production.Day, error) {
	var out []production.Day
	err := s.readTx(ctx, func(tx *sql.Tx) error {
		if err := mustExist(ctx, tx, "productions", "production", productionID); err != nil {
			return err
		}
		var err error
		out, err = loadDays(ctx, tx, `d.production_id = $1`, productionID)
		return err
	})
	return out, err
}
