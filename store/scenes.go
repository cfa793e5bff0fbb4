package store

import (
	"closedset"
	"context"
	"database/sql"
	"fmt"
	"time"

	"closedset/audit"
	"closedset/breakdown"
	"closedset/production"
	"closedset/textfield"
)

// Scenes are read with their flags and each flag's latest review in two
// queries whatever their number: one for the scenes, one for the flags
// with their reviews. Each query takes a condition on sc (scenes), r
// (revisions) and s (scripts).
const (
	sceneQuery = `SELECT sc.id, sc.revision_id, r.script_id, s.production_id, sc.idx, sc.number, sc.heading,
		sc.line, sc.page, sc.eighths, sc.characters, sc.present, sc.text, sc.text_hash, sc.needs_ic
		FROM scenes sc JOIN revisions r ON r.id = sc.revision_id JOIN scripts s ON s.id = r.script_id
		WHERE %s ORDER BY s.id, sc.idx`
	flagQuery = `SELECT f.id, f.scene_id, f.category, f.level, f.kind, f.areas, f.confidence, f.evidence, f.characters, f.situation,
		fr.decision, fr.note, fr.by_id, fr.by_name, fr.at_us, fr.carried_from_seq
		FROM flags f JOIN scenes sc ON sc.id = f.scene_id
		JOIN revisions r ON r.id = sc.revision_id JOIN scripts s ON s.id = r.script_id
		LEFT JOIN flag_reviews fr ON fr.id = (SELECT MAX(fr2.id) FROM flag_reviews fr2 WHERE fr2.flag_id = f.id)
		WHERE %s ORDER BY f.scene_id, f.idx`

	// currentRevision keeps the latest revision of each script of the
	// production $1, found on the (script_id, seq) index.
	currentRevision = `s.production_id = $1 AND r.seq = (SELECT MAX(r2.seq) FROM revisions r2 WHERE r2.script_id = r.script_id)`
)

// loadScenes reads the scenes matching cond, with their flags.
func loadScenes(ctx context.Context, q querier, cond string, arg int64) ([]production.Scene, error) {
	rows, err := q.QueryContext(ctx, fmt.Sprintf(sceneQuery, cond), arg)
	if err != nil {
		return nil, fmt.Errorf("store: scenes: %w", err)
	}
	defer rows.Close()
	var out []production.Scene
	index := map[int64]int{}
	for rows.Next() {
		var sc production.Scene
		var speaking, present string
		if err := rows.Scan(&sc.ID, &sc.RevisionID, &sc.ScriptID, &sc.ProductionID, &sc.Index, &sc.Number, &sc.Heading,
			&sc.Line, &sc.Page, &sc.Eighths, &speaking, &present, &sc.Text, &sc.TextHash, &sc.NeedsIC); err != nil {
			return nil, fmt.Errorf("store: scenes: %w", err)
		}
		if sc.Speaking, err = scanJSON[[]string]("scene characters", speaking); err != nil {
			return nil, err
		}
		if sc.Present, err = scanJSON[[]string]("scene present", present); err != nil {
			return nil, err
		}
		sc.Characters = sc.Present
		index[sc.ID] = len(out)
		out = append(out, sc)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: scenes: %w", err)
	}
	if len(out) == 0 {
		return nil, nil
	}
	flags, err := loadFlags(ctx, q, cond, arg)
	if err != nil {
		return nil, err
	}
	for _, f := range flags {
		sc := &out[index[f.SceneID]]
		sc.Flags = append(sc.Flags, f)
	}
	return out, nil
}

func loadFlags(ctx context.Context, q querier, cond string, arg int64) ([]production.Flag, error) {
	rows, err := q.QueryContext(ctx, fmt.Sprintf(flagQuery, cond), arg)
	if err != nil {
		return nil, fmt.Errorf("store: flags: %w", err)
	}
	defer rows.Close()
	var out []production.Flag
	for rows.Next() {
		var f production.Flag
		var category, areas, evidence, chars string
		var decision, note, byName sql.NullString
		var by, at, carried sql.NullInt64
		if err := rows.Scan(&f.ID, &f.SceneID, &category, &f.Level, &f.Kind, &areas, &f.Confidence, &evidence, &chars, &f.Situation,
			&decision, &note, &by, &byName, &at, &carried); err != nil {
			return nil, fmt.Errorf("store: flags: %w", err)
		}
		f.Category = breakdown.Category(category)
		if f.Areas, err = scanJSON[[]string]("flag areas", areas); err != nil {
			return nil, err
		}
		if len(f.Areas) == 0 {
			f.Areas = nil // as the breakdown gives it: omitted when empty
		}
		if f.Evidence, err = scanJSON[[]breakdown.Evidence]("flag evidence", evidence); err != nil {
			return nil, err
		}
		if f.Characters, err = scanJSON[[]string]("flag characters", chars); err != nil {
			return nil, err
		}
		if decision.Valid {
			f.Review = &production.Review{Decision: production.Decision(decision.String), Note: note.String, By: by.Int64, ByName: byName.String, At: fromMicros(at.Int64),
				CarriedFrom: int(carried.Int64)}
		}
		out = append(out, f)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: flags: %w", err)
	}
	return out, nil
}

// Scenes returns the revision's scenes in order, with their flags.
func (s *SQL) Scenes(ctx context.Context, revisionID int64) ([]production.Scene, error) {
	var out []production.Scene
	err := s.readTx(ctx, func(tx *sql.Tx) error {
		var err error
		if out, err = loadScenes(ctx, tx, `sc.revision_id = $1`, revisionID); err != nil || len(out) > 0 {
			return err
		}
		return mustExist(ctx, tx, "revisions", "revision", revisionID)
	})
	return out, err
}

// CurrentScenes returns the scenes of the latest revision of each of the
// production's scripts, by script then scene, in two queries.
func (s *SQL) CurrentScenes(ctx context.Context, productionID int64) ([]production.Scene, error) {
	out, _, err := s.CurrentScenesAt(ctx, productionID)
	return out, err
}

// CurrentScenesAt is CurrentScenes with the audit head they were read at;
// 0 inside a write transaction, whose head may never be committed.
func (s *SQL) CurrentScenesAt(ctx context.Context, productionID int64) ([]production.Scene, int64, error) {
	var out []production.Scene
	var head int64
	err := s.readTx(ctx, func(tx *sql.Tx) error {
		// The head first: the snapshot the scenes are read in is the
		// one the head was read in.
		var err error
		if head, err = headIn(ctx, tx); err != nil {
			return err
		}
		// Inside a write transaction the head may be one that is never
		// committed: no cache then.
		cache := s.tx == nil
		if cache {
			var ok bool
			if out, ok = s.scenes.get(productionID, head); ok {
				return nil
			}
		}
		if out, err = loadScenes(ctx, tx, currentRevision, productionID); err != nil {
			return err
		}
		if len(out) == 0 {
			if err := mustExist(ctx, tx, "productions", "production", productionID); err != nil {
				return err
			}
		}
		if cache {
			s.scenes.put(productionID, head, out)
		}
		return nil
	})
	if err != nil {
		return nil, 0, err
	}
	if s.tx != nil {
		head = 0
	}
	return out, head, nil
}

// Scene returns one scene with its flags. Every request about a scene
// reads it first (to find its production), so it is kept like the
// current scenes until the head moves.
func (s *SQL) Scene(ctx context.Context, id int64) (production.Scene, error) {
	out, err := readCached(ctx, s, s.scene, id, func(out []production.Scene) bool { return len(out) == 1 },
		func(tx *sql.Tx) ([]production.Scene, error) { return loadScenes(ctx, tx, `sc.id = $1`, id) })
	if err != nil {
		return production.Scene{}, err
	}
	if len(out) == 0 {
		return production.Scene{}, closedset.Errorf(closedset.NotFound, "scene %d not found", id)
	}
	return out[0], nil
}

// Flag returns one flag with its latest review.
func (s *SQL) Flag(ctx context.Context, id int64) (production.Flag, error) {
	return flagByID(ctx, s.read, id)
}

func flagByID(ctx context.Context, q querier, id int64) (production.Flag, error) {
	fs, err := loadFlags(ctx, q, `f.id = $1`, id)
	if err != nil {
		return production.Flag{}, err
	}
	if len(fs) == 0 {
		return production.Flag{}, closedset.Errorf(closedset.NotFound, "flag %d not found", id)
	}
	return fs[0], nil
}

// ReviewFlag appends an IC's decision on a flag, which becomes the flag's
// state; earlier reviews stay as they were.
func (s *SQL) ReviewFlag(ctx context.Context, by audit.Actor, flagID int64, decision production.Decision, note string) (production.Flag, error) {
	d, err := production.ParseDecision(string(decision))
	if err != nil {
		return production.Flag{}, err
	}
	note, err = checkNote(note)
	if err != nil {
		return production.Flag{}, err
	}
	var f production.Flag
	err = s.writeTx(ctx, by, func(tx *sql.Tx, now time.Time) (*change, error) {
		if err := mustExist(ctx, tx, "flags", "flag", flagID); err != nil {
			return nil, err
		}
		if err := mustExist(ctx, tx, "users", "user", by.ID); err != nil {
			return nil, err
		}
		var id int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO flag_reviews (flag_id, decision, note, by_id, by_name, at_us)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, flagID, string(d), note, by.ID, by.Name, now.UnixMicro()).Scan(&id); err != nil {
			return nil, fmt.Errorf("store: review flag %d: %w", flagID, err)
		}
		if f, err = flagByID(ctx, tx, flagID); err != nil {
			return nil, err
		}
		return (&change{action: "flag.review", object: audit.Object("flag", flagID), data: map[string]any{"flag": flagID, "decision": string(d), "note": note}}).bind("flag_reviews", id), nil
	})
	if err != nil {
		return production.Flag{}, err
	}
	return f, nil
}

// checkNote allows line breaks and tabs in a note, but no other control
// character.
func checkNote(note string) (string, error) {
	return invalidText(textfield.Para("note", note, textfield.MaxNote, false))
}
