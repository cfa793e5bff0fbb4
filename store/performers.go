package store

import (
	"closedset"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"closedset/audit"
	"closedset/production"
	"closedset/textfield"
)

// CreatePerformer adds a performer to a production. Its event names the
// performer and the characters, never their contact or date of birth.
func (s *SQL) CreatePerformer(ctx context.Context, by audit.Actor, np production.NewPerformer) (production.Performer, error) {
	p, err := checkPerformer(np)
	if err != nil {
		return production.Performer{}, err
	}
	p.CreatedBy = by.ID
	err = s.writeTx(ctx, by, func(tx *sql.Tx, now time.Time) (*change, error) {
		if err := mustExist(ctx, tx, "productions", "production", p.ProductionID); err != nil {
			return nil, err
		}
		if err := mustExist(ctx, tx, "users", "user", by.ID); err != nil {
			return nil, err
		}
		if p.UserID != 0 {
			if err := mustExist(ctx, tx, "users", "user", p.UserID); err != nil {
				return nil, err
			}
			var other int64
			err := tx.QueryRowContext(ctx, `SELECT id FROM performers WHERE production_id = $1 AND user_id = $2 AND removed_us = 0`, p.ProductionID, p.UserID).Scan(&other)
			if err == nil {
				return nil, closedset.Errorf(closedset.Conflict, "user %d is already performer %d in production %d", p.UserID, other, p.ProductionID)
			}
			if !errors.Is(err, sql.ErrNoRows) {
				return nil, fmt.Errorf("store: create performer: %w", err)
			}
		}
		p.Created = now
		err := tx.QueryRowContext(ctx, `INSERT INTO performers (production_id, user_id, name, email, phone, date_of_birth,
			representative, created_by, created_us) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
			p.ProductionID, p.UserID, p.Name, p.Email, p.Phone, p.DateOfBirth.String(), p.Representative, by.ID, now.UnixMicro()).Scan(&p.ID)
		if err != nil {
			return nil, fmt.Errorf("store: create performer: %w", err)
		}
		for i, c := range p.Characters {
			if _, err := tx.ExecContext(ctx, `INSERT INTO performer_characters (performer_id, idx, name) VALUES ($1, $2, $3)`, p.ID, i, c); err != nil {
				return nil, fmt.Errorf("store: create performer: character %s: %w", c, err)
			}
		}
		return &change{action: "performer.create", object: audit.Object("performer", p.ID), data: map[string]any{
			"id": p.ID, "production": p.ProductionID, "user": p.UserID, "name": p.Name, "characters": p.Characters}}, nil
	})
	if err != nil {
		return production.Performer{}, err
	}
	return p, nil
}

// UpdatePerformer replaces a performer's name, contact, date of birth,
// representative, characters and account link (np.UserID; the production
// stays). Its event names the performer and the characters, never their
// contact or date of birth. A removed performer is a Conflict.
func (s *SQL) UpdatePerformer(ctx context.Context, by audit.Actor, id int64, np production.NewPerformer) (production.Performer, error) {
	var p production.Performer
	err := s.writeTx(ctx, by, func(tx *sql.Tx, now time.Time) (*change, error) {
		old, err := performerByID(ctx, tx, id)
		if err != nil {
			return nil, err
		}
		if !old.Removed.IsZero() {
			return nil, closedset.Errorf(closedset.Conflict, "performer %d was removed from the cast", id)
		}
		np.ProductionID = old.ProductionID
		if p, err = checkPerformer(np); err != nil {
			return nil, err
		}
		p.ID, p.CreatedBy, p.Created = id, old.CreatedBy, old.Created
		if p.UserID != 0 && p.UserID != old.UserID {
			if err := mustExist(ctx, tx, "users", "user", p.UserID); err != nil {
				return nil, err
			}
			var other int64
			err := tx.QueryRowContext(ctx, `SELECT id FROM performers WHERE production_id = $1 AND user_id = $2 AND removed_us = 0 AND id <> $3`,
				p.ProductionID, p.UserID, id).Scan(&other)
			if err == nil {
				return nil, closedset.Errorf(closedset.Conflict, "user %d is already performer %d in production %d", p.UserID, other, p.ProductionID)
			}
			if !errors.Is(err, sql.ErrNoRows) {
				return nil, fmt.Errorf("store: update performer: %w", err)
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE performers SET user_id = $1, name = $2, email = $3, phone = $4, date_of_birth = $5,
			representative = $6 WHERE id = $7`, p.UserID, p.Name, p.Email, p.Phone, p.DateOfBirth.String(), p.Representative, id); err != nil {
			return nil, fmt.Errorf("store: update performer %d: %w", id, err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM performer_characters WHERE performer_id = $1`, id); err != nil {
			return nil, fmt.Errorf("store: update performer %d: %w", id, err)
		}
		for i, c := range p.Characters {
			if _, err := tx.ExecContext(ctx, `INSERT INTO performer_characters (performer_id, idx, name) VALUES ($1, $2, $3)`, id, i, c); err != nil {
				return nil, fmt.Errorf("store: update performer %d: character %s: %w", id, c, err)
			}
		}
		return &change{action: "performer.update", object: audit.Object("performer", id), data: map[string]any{
			"id": id, "production": p.ProductionID, "user": p.UserID, "name": p.Name, "characters": p.Characters}}, nil
	})
	if err != nil {
		return production.Performer{}, err
	}
	return p, nil
}

// RemovePerformer takes a performer off the cast: the record is marked
// removed, never deleted, so their riders, consents and withdrawals stay
// in the ledger. Removing one already removed changes nothing.
func (s *SQL) RemovePerformer(ctx context.Context, by audit.Actor, id int64) error {
	return s.writeTx(ctx, by, func(tx *sql.Tx, now time.Time) (*change, error) {
		var removed, production int64
		err := tx.QueryRowContext(ctx, `SELECT removed_us, production_id FROM performers WHERE id = $1`, id).Scan(&removed, &production)
		if errors.Is(err, sql.ErrNoRows) {
			return nil, closedset.Errorf(closedset.NotFound, "performer %d not found", id)
		}
		if err != nil {
			return nil, fmt.Errorf("store: remove performer %d: %w", id, err)
		}
		if removed != 0 {
			return nil, nil
		}
		if _, err := tx.ExecContext(ctx, `UPDATE performers SET removed_us = $1 WHERE id = $2`, now.UnixMicro(), id); err != nil {
			return nil, fmt.Errorf("store: remove performer %d: %w", id, err)
		}
		return &change{action: "performer.remove", object: audit.Object("performer", id), data: map[string]any{"id": id, "production": production}}, nil
	})
}

func checkPerformer(np production.NewPerformer) (production.Performer, error) {
	p := production.Performer{ProductionID: np.ProductionID, UserID: np.UserID}
	var err error
	if p.Name, err = text("name", np.Name, textfield.MaxName); err != nil {
		return production.Performer{}, err
	}
	if strings.TrimSpace(np.Email) != "" {
		if p.Email, err = normalEmail(np.Email); err != nil {
			return production.Performer{}, err
		}
	}
	if p.Phone, err = optional("phone", np.Phone, textfield.MaxPhone); err != nil {
		return production.Performer{}, err
	}
	if p.Representative, err = optional("representative", np.Representative, textfield.MaxName); err != nil {
		return production.Performer{}, err
	}
	if d := np.DateOfBirth; !d.Valid() || d.Year < 1900 {
		return production.Performer{}, closedset.Errorf(closedset.Invalid, "date of birth %q is not a date from 1900 on", d.String())
	}
	p.DateOfBirth = np.DateOfBirth
	if len(np.Characters) > production.MaxCharacters {
		return production.Performer{}, closedset.Errorf(closedset.Invalid, "%d characters, over the %d one performer may play", len(np.Characters), production.MaxCharacters)
	}
	for _, c := range np.Characters {
		name, err := text("character", c, textfield.MaxName)
		if err != nil {
			return production.Performer{}, err
		}
		// The breakdown names characters upper-cased; one spelling makes
		// "which performers are in this scene" an equality.
		name = strings.ToUpper(name)
		if !slices.Contains(p.Characters, name) {
			p.Characters = append(p.Characters, name)
		}
	}
	return p, nil
}

const performerColumns = `p.id, p.production_id, p.user_id, p.name, p.email, p.phone, p.date_of_birth, p.representative,
	p.created_by, p.created_us, p.removed_us`

// onCast is the condition on p (performers) of a performer not removed.
const onCast = ` AND p.removed_us = 0`

// loadPerformers reads the performers matching cond (on p, performers)
// with their characters, in two queries.
func loadPerformers(ctx context.Context, q querier, cond string, args ...any) ([]production.Performer, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+performerColumns+` FROM performers p WHERE `+cond+` ORDER BY p.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: performers: %w", err)
	}
	defer rows.Close()
	var out []production.Performer
	index := map[int64]int{}
	for rows.Next() {
		var p production.Performer
		var created, removed int64
		var dob string
		if err := rows.Scan(&p.ID, &p.ProductionID, &p.UserID, &p.Name, &p.Email, &p.Phone, &dob, &p.Representative,
			&p.CreatedBy, &created, &removed); err != nil {
			return nil, fmt.Errorf("store: performers: %w", err)
		}
		if p.DateOfBirth, err = production.ParseDate(dob); err != nil {
			return nil, fmt.Errorf("store: performer %d: date of birth: %w", p.ID, err)
		}
		p.Created = fromMicros(created)
		if removed != 0 {
			p.Removed = fromMicros(removed)
		}
		index[p.ID] = len(out)
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: performers: %w", err)
	}
	if len(out) == 0 {
		return nil, nil
	}
	rows, err = q.QueryContext(ctx, `SELECT c.performer_id, c.name FROM performer_characters c
		JOIN performers p ON p.id = c.performer_id WHERE `+cond+` ORDER BY c.performer_id, c.idx`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: performers' characters: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			return nil, fmt.Errorf("store: performers' characters: %w", err)
		}
		if i, ok := index[id]; ok {
			out[i].Characters = append(out[i].Characters, name)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: performers' characters: %w", err)
	}
	return out, nil
}

func performerByID(ctx context.Context, q querier, id int64) (production.Performer, error) {
	ps, err := loadPerformers(ctx, q, `p.id = $1`, id)
	if err != nil {
		return production.Performer{}, err
	}
	if len(ps) == 0 {
		return production.Performer{}, closedset.Errorf(closedset.NotFound, "performer %d not found", id)
	}
	return ps[0], nil
}

// Performer returns the performer with the id, removed or not.
func (s *SQL) Performer(ctx context.Context, id int64) (production.Performer, error) {
	var p production.Performer
	err := s.readTx(ctx, func(tx *sql.Tx) (err error) {
		p, err = performerByID(ctx, tx, id)
		return err
	})
	return p, err
}

// Performers lists the production's performers on the cast (not removed)
// in the order they were added.
func (s *SQL) Performers(ctx context.Context, productionID int64) ([]production.Performer, error) {
	var out []production.Performer
	err := s.readTx(ctx, func(tx *sql.Tx) error {
		if err := mustExist(ctx, tx, "productions", "production", productionID); err != nil {
			return err
		}
		var err error
		out, err = loadPerformers(ctx, tx, `p.production_id = $1`+onCast, productionID)
		return err
	})
	return out, err
}

// PerformerByUser returns the user's performer record in the production.
func (s *SQL) PerformerByUser(ctx context.Context, productionID, userID int64) (production.Performer, error) {
	if userID == 0 {
		return production.Performer{}, closedset.Errorf(closedset.NotFound, "user 0 is no one")
	}
	var out []production.Performer
	err := s.readTx(ctx, func(tx *sql.Tx) (err error) {
		out, err = loadPerformers(ctx, tx, `p.production_id = $1 AND p.user_id = $2`+onCast, productionID, userID)
		return err
	})
	if err != nil {
		return production.Performer{}, err
	}
	if len(out) == 0 {
		return production.Performer{}, closedset.Errorf(closedset.NotFound, "user %d is not a performer in production %d", userID, productionID)
	}
	return out[0], nil
}

// ScenePerformers returns the performers of the scene's production who
// play one of the characters present in it, speaking or not.
func (s *SQL) ScenePerformers(ctx context.Context, sceneID int64) ([]production.Performer, error) {
	var out []production.Performer
	err := s.readTx(ctx, func(tx *sql.Tx) (err error) {
		out, err = scenePerformers(ctx, tx, sceneID)
		return err
	})
	return out, err
}

func scenePerformers(ctx context.Context, q querier, sceneID int64) ([]production.Performer, error) {
	production, chars, err := sceneCharacters(ctx, q, sceneID)
	if err != nil {
		return nil, err
	}
	choices, err := castChoices(ctx, q, sceneID)
	if err != nil || len(chars) == 0 && len(choices) == 0 {
		return nil, err
	}
	all, err := loadPerformers(ctx, q, `p.production_id = $1`+onCast, production)
	if err != nil {
		return nil, err
	}
	return applyCast(all, chars, choices), nil
}

// sceneCharacters returns the scene's production and the characters
// present in it, upper-cased.
func sceneCharacters(ctx context.Context, q querier, sceneID int64) (int64, []string, error) {
	var production int64
	var raw string
	err := q.QueryRowContext(ctx, `SELECT s.production_id, sc.present FROM scenes sc
		JOIN revisions r ON r.id = sc.revision_id JOIN scripts s ON s.id = r.script_id WHERE sc.id = $1`, sceneID).Scan(&production, &raw)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil, closedset.Errorf(closedset.NotFound, "scene %d not found", sceneID)
	}
	if err != nil {
		return 0, nil, fmt.Errorf("store: scene %d: %w", sceneID, err)
	}
	chars, err := scanJSON[[]string]("scene present", raw)
	if err != nil {
		return 0, nil, err
	}
	for i, c := range chars {
		chars[i] = strings.ToUpper(c)
	}
	return production, chars, nil
}

// sceneProduction returns the production of the scene.
func sceneProduction(ctx context.Context, q querier, sceneID int64) (int64, error) {
	p, _, err := sceneCharacters(ctx, q, sceneID)
	return p, err
}

// performerIn checks that the performer exists and belongs to the
// production.
func performerIn(ctx context.Context, q querier, performerID, productionID int64) error {
	var production int64
	err := q.QueryRowContext(ctx, `SELECT production_id FROM performers WHERE id = $1`, performerID).Scan(&production)
	if errors.Is(err, sql.ErrNoRows) {
		return closedset.Errorf(closedset.NotFound, "performer %d not found", performerID)
	}
	if err != nil {
		return fmt.Errorf("store: performer %d: %w", performerID, err)
	}
	if production != productionID {
		return closedset.Errorf(closedset.Invalid, "performer %d is not in production %d", performerID, productionID)
	}
	return nil
}
