package store

import (
	"closedset"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"closedset/audit"
	"closedset/breakdown"
	"closedset/production"
	"closedset/textfield"
)

const revisionColumns = `r.id, r.script_id, s.production_id, r.seq, r.title, r.filename, r.format, r.colour, r.draft_date,
	r.sha256, r.size, r.uploaded_by, r.uploaded_us, r.scene_count, r.flagged_count`

func scanRevision(row interface{ Scan(...any) error }, r *production.Revision) error {
	var uploaded int64
	err := row.Scan(&r.ID, &r.ScriptID, &r.ProductionID, &r.Seq, &r.Title, &r.Filename, &r.Format, &r.Colour, &r.Date,
		&r.SHA256, &r.Size, &r.UploadedBy, &uploaded, &r.SceneCount, &r.FlaggedCount)
	r.Uploaded = fromMicros(uploaded)
	return err
}

// AddRevision stores an uploaded draft with its scenes and their flags:
// a new script when nr.ScriptID is 0, else the script's next revision.
// Its event, script.upload, digests the file's SHA-256, never its bytes.
func (s *SQL) AddRevision(ctx context.Context, by audit.Actor, nr production.NewRevision) (production.Revision, error) {
	r, err := checkRevision(nr)
	if err != nil {
		return production.Revision{}, err
	}
	r.UploadedBy = by.ID
	err = s.writeTx(ctx, by, func(tx *sql.Tx, now time.Time) (*change, error) {
		if err := mustExist(ctx, tx, "productions", "production", nr.ProductionID); err != nil {
			return nil, err
		}
		if err := mustExist(ctx, tx, "users", "user", by.ID); err != nil {
			return nil, err
		}
		r.Uploaded = now
		if r.ScriptID == 0 {
			err := tx.QueryRowContext(ctx, `INSERT INTO scripts (production_id, title, created_us) VALUES ($1, $2, $3) RETURNING id`,
				nr.ProductionID, r.Title, now.UnixMicro()).Scan(&r.ScriptID)
			if err != nil {
				return nil, fmt.Errorf("store: add script: %w", err)
			}
		} else {
			var production int64
			err := tx.QueryRowContext(ctx, `SELECT production_id FROM scripts WHERE id = $1`, r.ScriptID).Scan(&production)
			if errors.Is(err, sql.ErrNoRows) || err == nil && production != nr.ProductionID {
				return nil, closedset.Errorf(closedset.NotFound, "script %d not found in production %d", r.ScriptID, nr.ProductionID)
			}
			if err != nil {
				return nil, fmt.Errorf("store: add revision: %w", err)
			}
		}
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(seq), 0) + 1 FROM revisions WHERE script_id = $1`, r.ScriptID).Scan(&r.Seq); err != nil {
			return nil, fmt.Errorf("store: add revision: %w", err)
		}
		err := tx.QueryRowContext(ctx, `INSERT INTO revisions (script_id, seq, title, filename, format, colour, draft_date,
			sha256, size, uploaded_by, uploaded_us, scene_count, flagged_count)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id`,
			r.ScriptID, r.Seq, r.Title, r.Filename, r.Format, r.Colour, r.Date,
			r.SHA256, r.Size, r.UploadedBy, now.UnixMicro(), r.SceneCount, r.FlaggedCount).Scan(&r.ID)
		if err != nil {
			return nil, fmt.Errorf("store: add revision: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO revision_files (revision_id, data) VALUES ($1, $2)`, r.ID, nr.Original); err != nil {
			return nil, fmt.Errorf("store: add revision: keeping the file: %w", err)
		}
		carried, err := insertScenes(ctx, tx, r.ScriptID, r.ID, nr)
		if err != nil {
			return nil, err
		}
		return (&change{action: "script.upload", object: audit.Object("revision", r.ID), data: map[string]any{
			"production": nr.ProductionID, "script": r.ScriptID, "revision": r.ID, "seq": r.Seq,
			"filename": r.Filename, "sha256": r.SHA256, "size": r.Size, "scenes": r.SceneCount, "carried_reviews": len(nr.Carry)}}).bind("flag_reviews", carried...), nil
	})
	if err != nil {
		return production.Revision{}, err
	}
	r.ProductionID = nr.ProductionID
	return r, nil
}

// checkRevision validates a new revision and returns its stored form.
func checkRevision(nr production.NewRevision) (production.Revision, error) {
	r := production.Revision{ScriptID: nr.ScriptID, Format: nr.Format, Size: int64(len(nr.Original)), SceneCount: len(nr.Scenes)}
	var err error
	if r.Filename, err = text("filename", nr.Filename, textfield.MaxFilename); err != nil {
		return production.Revision{}, err
	}
	if r.Format, err = text("format", nr.Format, 32); err != nil {
		return production.Revision{}, err
	}
	// Title, colour and date are read from the file's title page, not
	// typed by anyone: an odd title page is clipped, never a refused
	// upload. A draft without a title is named by its file.
	r.Title, r.Colour, r.Date = clip(nr.Title, textfield.MaxTitle), clip(nr.Colour, 32), clip(nr.Date, textfield.MaxTitle)
	if r.Title == "" {
		r.Title = r.Filename
	}
	if len(nr.Original) == 0 {
		return production.Revision{}, closedset.Errorf(closedset.Invalid, "the file %s is empty", r.Filename)
	}
	if len(nr.Original) > MaxOriginal {
		return production.Revision{}, closedset.Errorf(closedset.Invalid, "the file %s is %d bytes, over the %d the store keeps", r.Filename, len(nr.Original), MaxOriginal)
	}
	sum := sha256.Sum256(nr.Original)
	r.SHA256 = hex.EncodeToString(sum[:])
	if nr.SHA256 != "" && nr.SHA256 != r.SHA256 {
		return production.Revision{}, closedset.Errorf(closedset.Invalid, "the file's SHA-256 is %s, not %s as given", r.SHA256, nr.SHA256)
	}
	for i, sc := range nr.Scenes {
		if sc.Index != i+1 {
			return production.Revision{}, closedset.Errorf(closedset.Invalid, "scene %d has index %d: scenes must be numbered 1, 2, 3, ... in order", i+1, sc.Index)
		}
		if sc.NeedsIC {
			r.FlaggedCount++
		}
	}
	return r, nil
}

// insertScenes stores the revision's scenes and their flags with two
// prepared statements (a draft has hundreds of scenes), then the reviews
// carried from the script's earlier revisions.
func insertScenes(ctx context.Context, tx *sql.Tx, scriptID, revisionID int64, nr production.NewRevision) (carried []int64, err error) {
	sceneStmt, err := tx.PrepareContext(ctx, `INSERT INTO scenes (revision_id, idx, number, heading, line, page, eighths,
		characters, present, text, text_hash, needs_ic) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`)
	if err != nil {
		return nil, fmt.Errorf("store: add scenes: %w", err)
	}
	defer sceneStmt.Close()
	flagStmt, err := tx.PrepareContext(ctx, `INSERT INTO flags (scene_id, idx, category, level, kind, areas, confidence,
		evidence, characters, situation) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`)
	if err != nil {
		return nil, fmt.Errorf("store: add flags: %w", err)
	}
	defer flagStmt.Close()
	// flagIDs finds a new flag by its scene's position and category, for
	// the carried reviews.
	type flagKey struct {
		scene    int
		category string
	}
	flagIDs := map[flagKey]int64{}
	for pos, sc := range nr.Scenes {
		var id int64
		err := sceneStmt.QueryRowContext(ctx, revisionID, sc.Index, sc.Number, sc.Heading, sc.Line, sc.Page, sc.Eighths,
			jsonList(sc.Speaking), jsonList(scenePresent(sc.Scene)), sc.Text, sc.TextHash, sc.NeedsIC).Scan(&id)
		if err != nil {
			return nil, fmt.Errorf("store: add scene %d: %w", sc.Index, err)
		}
		for i, f := range sc.Flags {
			ev, err := json.Marshal(nonNil(f.Evidence))
			if err != nil {
				return nil, fmt.Errorf("store: scene %d flag %d: %w", sc.Index, i+1, err)
			}
			var flagID int64
			if err := flagStmt.QueryRowContext(ctx, id, i+1, string(f.Category), f.Level, f.Kind, jsonList(f.Areas),
				f.Confidence, string(ev), jsonList(f.Characters), f.Situation).Scan(&flagID); err != nil {
				return nil, fmt.Errorf("store: add scene %d flag %d: %w", sc.Index, i+1, err)
			}
			if k := (flagKey{pos, string(f.Category)}); flagIDs[k] == 0 {
				flagIDs[k] = flagID
			}
		}
	}
	for _, c := range nr.Carry {
		to := flagIDs[flagKey{c.Scene, c.Category}]
		if to == 0 {
			return nil, closedset.Errorf(closedset.Invalid, "carried review: scene %d has no %s flag", c.Scene+1, c.Category)
		}
		// The review copied is the latest on a flag of the same script's
		// earlier revisions, never another script's.
		var id int64
		err := tx.QueryRowContext(ctx, `INSERT INTO flag_reviews (flag_id, decision, note, by_id, by_name, at_us, carried_from_seq)
			SELECT $1, fr.decision, fr.note, fr.by_id, fr.by_name, fr.at_us,
				CASE WHEN fr.carried_from_seq > 0 THEN fr.carried_from_seq ELSE r.seq END
			FROM flag_reviews fr JOIN flags f ON f.id = fr.flag_id JOIN scenes sc ON sc.id = f.scene_id
			JOIN revisions r ON r.id = sc.revision_id
			WHERE fr.flag_id = $2 AND r.script_id = $3 AND r.id <> $4 AND f.category = $5
			ORDER BY fr.id DESC LIMIT 1 RETURNING id`, to, c.From, scriptID, revisionID, c.Category).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return nil, closedset.Errorf(closedset.Invalid, "carried review: flag %d has no %s review in this script", c.From, c.Category)
		}
		if err != nil {
			return nil, fmt.Errorf("store: carry the review of flag %d: %w", c.From, err)
		}
		carried = append(carried, id)
	}
	return carried, nil
}

// scenePresent is who is in a scene: its speakers too when a caller gave
// only them.
func scenePresent(sc breakdown.Scene) []string {
	out := append([]string(nil), sc.Present...)
	for _, c := range sc.Speaking {
		if !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	return out
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// jsonList encodes a list of names as a JSON array, [] for none.
func jsonList(s []string) string {
	b, _ := json.Marshal(nonNil(s)) // strings always encode
	return string(b)
}

func scanJSON[T any](what string, s string) (T, error) {
	var v T
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		return v, fmt.Errorf("store: reading %s: %w", what, err)
	}
	return v, nil
}

// Scripts lists the production's scripts, oldest first, each with its
// revisions, oldest first.
func (s *SQL) Scripts(ctx context.Context, productionID int64) ([]production.Script, error) {
	var out []production.Script
	err := s.readTx(ctx, func(tx *sql.Tx) error {
		if err := mustExist(ctx, tx, "productions", "production", productionID); err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, `SELECT id, production_id, title, created_us FROM scripts
			WHERE production_id = $1 ORDER BY id`, productionID)
		if err != nil {
			return fmt.Errorf("store: scripts of production %d: %w", productionID, err)
		}
		defer rows.Close()
		index := map[int64]int{}
		for rows.Next() {
			var sc production.Script
			var created int64
			if err := rows.Scan(&sc.ID, &sc.ProductionID, &sc.Title, &created); err != nil {
				return fmt.Errorf("store: scripts of production %d: %w", productionID, err)
			}
			sc.Created = fromMicros(created)
			index[sc.ID] = len(out)
			out = append(out, sc)
		}
		if err := rows.Err(); err != nil {
			return fmt.Errorf("store: scripts of production %d: %w", productionID, err)
		}
		rows, err = tx.QueryContext(ctx, `SELECT `+revisionColumns+` FROM revisions r JOIN scripts s ON s.id = r.script_id
			WHERE s.production_id = $1 ORDER BY r.script_id, r.seq`, productionID)
		if err != nil {
			return fmt.Errorf("store: revisions of production %d: %w", productionID, err)
		}
		defer rows.Close()
		for rows.Next() {
			var r production.Revision
			if err := scanRevision(rows, &r); err != nil {
				return fmt.Errorf("store: revisions of production %d: %w", productionID, err)
			}
			sc := &out[index[r.ScriptID]]
			sc.Revisions = append(sc.Revisions, r)
		}
		return rows.Err()
	})
	return out, err
}

// Revision returns the revision with the id.
func (s *SQL) Revision(ctx context.Context, id int64) (production.Revision, error) {
	var r production.Revision
	err := scanRevision(s.rd().QueryRowContext(ctx, `SELECT `+revisionColumns+` FROM revisions r JOIN scripts s ON s.id = r.script_id
		WHERE r.id = $1`, id), &r)
	if errors.Is(err, sql.ErrNoRows) {
		return production.Revision{}, closedset.Errorf(closedset.NotFound, "revision %d not found", id)
	}
	if err != nil {
		return production.Revision{}, fmt.Errorf("store: revision %d: %w", id, err)
	}
	return r, nil
}

// RevisionFile returns the revision's file as uploaded.
func (s *SQL) RevisionFile(ctx context.Context, id int64) ([]byte, error) {
	var b []byte
	err := s.rd().QueryRowContext(ctx, `SELECT data FROM revision_files WHERE revision_id = $1`, id).Scan(&b)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, closedset.Errorf(closedset.NotFound, "revision %d not found", id)
	}
	if err != nil {
		return nil, fmt.Errorf("store: file of revision %d: %w", id, err)
	}
	return b, nil
}
