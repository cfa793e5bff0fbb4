package store

import (
	"closedset"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"closedset/audit"
	"closedset/consent"
	"closedset/textfield"
)

// IssueRider records a rider delivered to a performer now. Each scene
// must be of the performer's production and name an existing version of
// its plan and the scene's own text hash: a rider offers only what was
// planned for the script as it stands.
func (s *SQL) IssueRider(ctx context.Context, by audit.Actor, nr consent.NewRider) (consent.Rider, error) {
	if len(nr.Scenes) == 0 || len(nr.Scenes) > MaxRiderScene {
		return consent.Rider{}, closedset.Errorf(closedset.Invalid, "a rider has 1 to %d scenes, not %d", MaxRiderScene, len(nr.Scenes))
	}
	if err := checkHash("rider digest", nr.Digest); err != nil {
		return consent.Rider{}, err
	}
	if err := checkBytes("rider content", nr.Content, MaxRider); err != nil {
		return consent.Rider{}, err
	}
	seen := map[int64]bool{}
	for _, rs := range nr.Scenes {
		if seen[rs.SceneID] {
			return consent.Rider{}, closedset.Errorf(closedset.Invalid, "scene %d is on the rider twice", rs.SceneID)
		}
		seen[rs.SceneID] = true
		if err := checkHash("plan hash", rs.PlanHash); err != nil {
			return consent.Rider{}, err
		}
		if err := checkHash("scene text hash", rs.SceneTextHash); err != nil {
			return consent.Rider{}, err
		}
	}
	r := consent.Rider{ProductionID: nr.ProductionID, PerformerID: nr.PerformerID, Scenes: nr.Scenes, Digest: nr.Digest, Content: nr.Content, IssuedBy: by.ID}
	err := s.writeTx(ctx, by, func(tx *sql.Tx, now time.Time) (*change, error) {
		if err := mustExist(ctx, tx, "productions", "production", nr.ProductionID); err != nil {
			return nil, err
		}
		if err := mustExist(ctx, tx, "users", "user", by.ID); err != nil {
			return nil, err
		}
		if err := performerIn(ctx, tx, nr.PerformerID, nr.ProductionID); err != nil {
			return nil, err
		}
		scenes := make([]map[string]any, len(nr.Scenes))
		for i, rs := range nr.Scenes {
			if err := checkRiderScene(ctx, tx, nr.ProductionID, rs); err != nil {
				return nil, err
			}
			scenes[i] = map[string]any{"scene": rs.SceneID, "plan_version": rs.PlanVersion, "plan_hash": rs.PlanHash, "scene_text_hash": rs.SceneTextHash}
		}
		r.DeliveredAt = now
		err := tx.QueryRowContext(ctx, `INSERT INTO riders (production_id, performer_id, digest, content, issued_by, delivered_us)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, nr.ProductionID, nr.PerformerID, nr.Digest, nr.Content, by.ID, now.UnixMicro()).Scan(&r.ID)
		if err != nil {
			return nil, fmt.Errorf("store: issue rider: %w", err)
		}
		for i, rs := range nr.Scenes {
			if _, err := tx.ExecContext(ctx, `INSERT INTO rider_scenes (rider_id, idx, scene_id, plan_version, plan_hash, scene_text_hash)
				VALUES ($1, $2, $3, $4, $5, $6)`, r.ID, i, rs.SceneID, rs.PlanVersion, rs.PlanHash, rs.SceneTextHash); err != nil {
				return nil, fmt.Errorf("store: issue rider: scene %d: %w", rs.SceneID, err)
			}
		}
		ch := (&change{action: "rider.issue", object: audit.Object("rider", r.ID), data: map[string]any{
			"id": r.ID, "production": nr.ProductionID, "performer": nr.PerformerID, "digest": nr.Digest, "scenes": scenes}}).bind("riders", r.ID)
		if len(nr.Scenes) > 0 {
			ch.bind("rider_scenes", r.ID)
		}
		return ch, nil
	})
	if err != nil {
		return consent.Rider{}, err
	}
	return r, nil
}

// checkRiderScene checks that a rider's scene is of the production, that
// its plan version exists with that hash, and that its text hash is the
// scene's.
func checkRiderScene(ctx context.Context, q querier, productionID int64, rs consent.RiderScene) error {
	var production int64
	var textHash string
	err := q.QueryRowContext(ctx, `SELECT s.production_id, sc.text_hash FROM scenes sc
		JOIN revisions r ON r.id = sc.revision_id JOIN scripts s ON s.id = r.script_id WHERE sc.id = $1`, rs.SceneID).Scan(&production, &textHash)
	if errors.Is(err, sql.ErrNoRows) || err == nil && production != productionID {
		return closedset.Errorf(closedset.NotFound, "scene %d not found in production %d", rs.SceneID, productionID)
	}
	if err != nil {
		return fmt.Errorf("store: scene %d: %w", rs.SceneID, err)
	}
	if textHash != rs.SceneTextHash {
		return closedset.Errorf(closedset.Invalid, "scene %d's text hash is %s, not %s", rs.SceneID, textHash, rs.SceneTextHash)
	}
	var hash string
	err = q.QueryRowContext(ctx, `SELECT hash FROM plan_versions WHERE scene_id = $1 AND version = $2`, rs.SceneID, rs.PlanVersion).Scan(&hash)
	if errors.Is(err, sql.ErrNoRows) {
		return closedset.Errorf(closedset.Invalid, "scene %d has no plan version %d", rs.SceneID, rs.PlanVersion)
	}
	if err != nil {
		return fmt.Errorf("store: plan of scene %d: %w", rs.SceneID, err)
	}
	if hash != rs.PlanHash {
		return closedset.Errorf(closedset.Invalid, "scene %d's plan version %d has hash %s, not %s", rs.SceneID, rs.PlanVersion, hash, rs.PlanHash)
	}
	return nil
}

// loadRiders reads the riders matching cond (on ri, riders) with their
// scenes and signatures.
func loadRiders(ctx context.Context, q querier, cond string, args ...any) ([]consent.Rider, error) {
	rows, err := q.QueryContext(ctx, `SELECT ri.id, ri.production_id, ri.performer_id, ri.digest, ri.content, ri.issued_by, ri.delivered_us,
		sg.user_id, sg.typed_name, sg.ip, sg.user_agent, sg.digest, sg.signed_us
		FROM riders ri LEFT JOIN rider_signatures sg ON sg.rider_id = ri.id WHERE `+cond+` ORDER BY ri.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: riders: %w", err)
	}
	defer rows.Close()
	var out []consent.Rider
	index := map[int64]int{}
	for rows.Next() {
		var r consent.Rider
		var delivered int64
		var user, signed sql.NullInt64
		var typed, ip, ua, digest sql.NullString
		if err := rows.Scan(&r.ID, &r.ProductionID, &r.PerformerID, &r.Digest, &r.Content, &r.IssuedBy, &delivered,
			&user, &typed, &ip, &ua, &digest, &signed); err != nil {
			return nil, fmt.Errorf("store: riders: %w", err)
		}
		r.DeliveredAt = fromMicros(delivered)
		if user.Valid {
			r.Signature = &consent.Signature{UserID: user.Int64, TypedName: typed.String, IP: ip.String, UserAgent: ua.String,
				Digest: digest.String, At: fromMicros(signed.Int64)}
		}
		index[r.ID] = len(out)
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: riders: %w", err)
	}
	if len(out) == 0 {
		return nil, nil
	}
	rows, err = q.QueryContext(ctx, `SELECT rs.rider_id, rs.scene_id, rs.plan_version, rs.plan_hash, rs.scene_text_hash
		FROM rider_scenes rs JOIN riders ri ON ri.id = rs.rider_id WHERE `+cond+` ORDER BY rs.rider_id, rs.idx`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: rider scenes: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var rs consent.RiderScene
		if err := rows.Scan(&id, &rs.SceneID, &rs.PlanVersion, &rs.PlanHash, &rs.SceneTextHash); err != nil {
			return nil, fmt.Errorf("store: rider scenes: %w", err)
		}
		if i, ok := index[id]; ok {
			out[i].Scenes = append(out[i].Scenes, rs)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: rider scenes: %w", err)
	}
	return out, nil
}

func riderByID(ctx context.Context, q querier, id int64) (consent.Rider, error) {
	rs, err := loadRiders(ctx, q, `ri.id = $1`, id)
	if err != nil {
		return consent.Rider{}, err
	}
	if len(rs) == 0 {
		return consent.Rider{}, closedset.Errorf(closedset.NotFound, "rider %d not found", id)
	}
	return rs[0], nil
}

// Rider returns the rider with its scenes and signature.
func (s *SQL) Rider(ctx context.Context, id int64) (consent.Rider, error) {
	var r consent.Rider
	err := s.readTx(ctx, func(tx *sql.Tx) (err error) {
		r, err = riderByID(ctx, tx, id)
		return err
	})
	return r, err
}

// RidersOf returns the performer's riders, oldest first.
func (s *SQL) RidersOf(ctx context.Context, performerID int64) ([]consent.Rider, error) {
	var out []consent.Rider
	err := s.readTx(ctx, func(tx *sql.Tx) error {
		if err := mustExist(ctx, tx, "performers", "performer", performerID); err != nil {
			return err
		}
		var err error
		out, err = loadRiders(ctx, tx, `ri.performer_id = $1`, performerID)
		return err
	})
	return out, err
}

// SignRider records the signature and the consents it gives, one per
// scene of the rider, bound to the hashes the rider carries: all in one
// transaction with one event.
func (s *SQL) SignRider(ctx context.Context, by audit.Actor, riderID int64, sig consent.Signature) (consent.Rider, []consent.Consent, error) {
	var err error
	if sig.TypedName, err = text("typed name", sig.TypedName, textfield.MaxName); err != nil {
		return consent.Rider{}, nil, err
	}
	if err := checkHash("signed digest", sig.Digest); err != nil {
		return consent.Rider{}, nil, err
	}
	// Address and user agent come from the request, not from a person:
	// clipped, never refused.
	sig.IP, sig.UserAgent = clip(sig.IP, MaxIP), clip(sig.UserAgent, MaxUserAgent)
	var r consent.Rider
	var consents []consent.Consent
	err = s.writeTx(ctx, by, func(tx *sql.Tx, now time.Time) (*change, error) {
		if err := mustExist(ctx, tx, "users", "user", sig.UserID); err != nil {
			return nil, err
		}
		if err := mustExist(ctx, tx, "users", "user", by.ID); err != nil {
			return nil, err
		}
		var err error
		if r, err = riderByID(ctx, tx, riderID); err != nil {
			return nil, err
		}
		if r.Signature != nil {
			return nil, closedset.Errorf(closedset.Conflict, "rider %d is already signed (%s)", riderID, r.Signature.At.Format(time.RFC3339))
		}
		if sig.Digest != r.Digest {
			return nil, closedset.Errorf(closedset.Conflict, "the document signed (digest %s) is not rider %d as issued (digest %s): read it again and sign that", sig.Digest, riderID, r.Digest)
		}
		sig.At = now
		if _, err := tx.ExecContext(ctx, `INSERT INTO rider_signatures (rider_id, user_id, typed_name, ip, user_agent, digest, signed_us)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`, riderID, sig.UserID, sig.TypedName, sig.IP, sig.UserAgent, sig.Digest, now.UnixMicro()); err != nil {
			if s.d.IsUnique(err) {
				return nil, closedset.Errorf(closedset.Conflict, "rider %d is already signed", riderID)
			}
			return nil, fmt.Errorf("store: sign rider %d: %w", riderID, err)
		}
		r.Signature = &sig
		ids := make([]int64, len(r.Scenes))
		for i, rs := range r.Scenes {
			c := consent.Consent{PerformerID: r.PerformerID, SceneID: rs.SceneID, RiderID: riderID, Kind: consent.Signed,
				PlanHash: rs.PlanHash, SceneTextHash: rs.SceneTextHash, By: by.ID, GivenAt: now}
			if err := insertConsent(ctx, tx, &c); err != nil {
				return nil, err
			}
			ids[i] = c.ID
			consents = append(consents, c)
		}
		return (&change{action: "rider.sign", object: audit.Object("rider", riderID), data: map[string]any{
			"rider": riderID, "performer": r.PerformerID, "user": sig.UserID, "digest": sig.Digest, "consents": ids}}).
			bind("rider_signatures", riderID).bind("consents", ids...), nil
	})
	if err != nil {
		return consent.Rider{}, nil, err
	}
	return r, consents, nil
}

func insertConsent(ctx context.Context, tx *sql.Tx, c *consent.Consent) error {
	err := tx.QueryRowContext(ctx, `INSERT INTO consents (performer_id, scene_id, rider_id, kind, plan_hash, scene_text_hash, by_id, given_us)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
		c.PerformerID, c.SceneID, c.RiderID, string(c.Kind), c.PlanHash, c.SceneTextHash, c.By, c.GivenAt.UnixMicro()).Scan(&c.ID)
	if err != nil {
		return fmt.Errorf("store: consent of performer %d to scene %d: %w", c.PerformerID, c.SceneID, err)
	}
	return nil
}
