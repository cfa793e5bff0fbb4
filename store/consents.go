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

// consentQuery reads consents with their withdrawals; %s is a condition
// on c (consents).
const consentQuery = `SELECT c.id, c.performer_id, c.scene_id, c.rider_id, c.kind, c.plan_hash, c.scene_text_hash, c.by_id, c.given_us,
	w.id, w.scene_id, w.on_behalf, w.by_id, w.at_us, wr.withdrawal_id
	FROM consents c LEFT JOIN withdrawals w ON w.consent_id = c.id
	LEFT JOIN withdrawal_reasons wr ON wr.withdrawal_id = w.id
	WHERE %s ORDER BY c.performer_id, c.id`

func loadConsents(ctx context.Context, q querier, cond string, args ...any) ([]consent.Consent, error) {
	rows, err := q.QueryContext(ctx, fmt.Sprintf(consentQuery, cond), args...)
	if err != nil {
		return nil, fmt.Errorf("store: consents: %w", err)
	}
	defer rows.Close()
	var out []consent.Consent
	for rows.Next() {
		var c consent.Consent
		var kind string
		var given int64
		var wID, wScene, wBy, wAt, wReason sql.NullInt64
		var wBehalf sql.NullBool
		if err := rows.Scan(&c.ID, &c.PerformerID, &c.SceneID, &c.RiderID, &kind, &c.PlanHash, &c.SceneTextHash, &c.By, &given,
			&wID, &wScene, &wBehalf, &wBy, &wAt, &wReason); err != nil {
			return nil, fmt.Errorf("store: consents: %w", err)
		}
		c.Kind, c.GivenAt = consent.ConsentKind(kind), fromMicros(given)
		if wID.Valid {
			c.Withdrawal = &consent.Withdrawal{ID: wID.Int64, ConsentID: c.ID, SceneID: wScene.Int64, PerformerID: c.PerformerID,
				OnBehalf: wBehalf.Bool, By: wBy.Int64, At: fromMicros(wAt.Int64), HasReason: wReason.Valid}
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: consents: %w", err)
	}
	return out, nil
}

// latestConsents returns, for each performer (or the one performer when
// performerID is not 0), the latest consent given to any scene of the
// lineage.
func latestConsents(ctx context.Context, q querier, ids []int64, performerID int64) ([]consent.Consent, error) {
	in, args := inList(ids, 1)
	cond := `c.id IN (SELECT MAX(c2.id) FROM consents c2 WHERE c2.scene_id IN (` + in + `) GROUP BY c2.performer_id)`
	if performerID != 0 {
		cond += fmt.Sprintf(` AND c.performer_id = $%d`, len(ids)+1)
		args = append(args, performerID)
	}
	return loadConsents(ctx, q, cond, args...)
}

// Consents returns each performer's latest consent to the scene or a
// scene it was carried from, by performer, with its withdrawal if any.
// Whether it is current or stale is the consent package's to say, from
// its hashes.
func (s *SQL) Consents(ctx context.Context, sceneID int64) ([]consent.Consent, error) {
	var out []consent.Consent
	err := s.readTx(ctx, func(tx *sql.Tx) error {
		ids, err := lineage(ctx, tx, sceneID)
		if err != nil {
			return err
		}
		out, err = latestConsents(ctx, tx, ids, 0)
		return err
	})
	return out, err
}

// WithdrawConsent appends a withdrawal of the performer's latest consent
// to the scene. Its event names the scene, the performer and the consent;
// never the reason, nor a digest of it.
func (s *SQL) WithdrawConsent(ctx context.Context, by audit.Actor, sceneID, performerID int64, sealedReason []byte, onBehalf bool) error {
	if len(sealedReason) > MaxSealed {
		return closedset.Errorf(closedset.Invalid, "the sealed reason is %d bytes, over the %d the store keeps", len(sealedReason), MaxSealed)
	}
	return s.writeTx(ctx, by, func(tx *sql.Tx, now time.Time) (*change, error) {
		if err := mustExist(ctx, tx, "users", "user", by.ID); err != nil {
			return nil, err
		}
		c, err := currentConsent(ctx, tx, sceneID, performerID)
		if err != nil {
			return nil, err
		}
		if c.Withdrawal != nil {
			return nil, nil // already withdrawn: it stays so
		}
		var id int64
		err = tx.QueryRowContext(ctx, `INSERT INTO withdrawals (consent_id, scene_id, performer_id, on_behalf, by_id, at_us)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, c.ID, sceneID, performerID, onBehalf, by.ID, now.UnixMicro()).Scan(&id)
		if err != nil {
			return nil, fmt.Errorf("store: withdraw consent %d: %w", c.ID, err)
		}
		if len(sealedReason) > 0 {
			if _, err := tx.ExecContext(ctx, `INSERT INTO withdrawal_reasons (withdrawal_id, sealed) VALUES ($1, $2)`, id, sealedReason); err != nil {
				return nil, fmt.Errorf("store: withdraw consent %d: %w", c.ID, err)
			}
		}
		ch := (&change{action: "consent.withdraw", object: audit.Object("scene", sceneID), data: map[string]any{
			"scene": sceneID, "performer": performerID, "consent": c.ID, "withdrawal": id, "on_behalf": onBehalf}}).bind("withdrawals", id)
		if len(sealedReason) > 0 {
			ch.bind("withdrawal_reasons", id)
		}
		return ch, nil
	})
}

// currentConsent returns the performer's latest consent to the scene
// (through its lineage), NotFound when they never gave one.
func currentConsent(ctx context.Context, q querier, sceneID, performerID int64) (consent.Consent, error) {
	ids, err := lineage(ctx, q, sceneID)
	if err != nil {
		return consent.Consent{}, err
	}
	production, err := sceneProduction(ctx, q, sceneID)
	if err != nil {
		return consent.Consent{}, err
	}
	if err := performerIn(ctx, q, performerID, production); err != nil {
		return consent.Consent{}, err
	}
	cs, err := latestConsents(ctx, q, ids, performerID)
	if err != nil {
		return consent.Consent{}, err
	}
	if len(cs) == 0 {
		return consent.Consent{}, closedset.Errorf(closedset.NotFound, "performer %d has given no consent to scene %d", performerID, sceneID)
	}
	return cs[0], nil
}

// WithdrawalReason returns a withdrawal's sealed reason.
func (s *SQL) WithdrawalReason(ctx context.Context, withdrawalID int64) ([]byte, error) {
	var b []byte
	err := s.rd().QueryRowContext(ctx, `SELECT sealed FROM withdrawal_reasons WHERE withdrawal_id = $1`, withdrawalID).Scan(&b)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, closedset.Errorf(closedset.NotFound, "withdrawal %d has no reason recorded", withdrawalID)
	}
	if err != nil {
		return nil, fmt.Errorf("store: reason of withdrawal %d: %w", withdrawalID, err)
	}
	return b, nil
}

// ReconfirmConsent appends a consent to the scene's current plan and text
// under the rider of the performer's previous consent. The hashes must be
// the scene's latest plan's and its text's: one cannot reconfirm anything
// but what stands now.
func (s *SQL) ReconfirmConsent(ctx context.Context, by audit.Actor, sceneID, performerID int64, planHash, sceneTextHash string) (consent.Consent, error) {
	if err := checkHash("plan hash", planHash); err != nil {
		return consent.Consent{}, err
	}
	if err := checkHash("scene text hash", sceneTextHash); err != nil {
		return consent.Consent{}, err
	}
	var c consent.Consent
	err := s.writeTx(ctx, by, func(tx *sql.Tx, now time.Time) (*change, error) {
		if err := mustExist(ctx, tx, "users", "user", by.ID); err != nil {
			return nil, err
		}
		prev, err := currentConsent(ctx, tx, sceneID, performerID)
		if err != nil {
			return nil, err
		}
		// A withdrawal wins: re-confirming never undoes one, however the
		// two requests interleave (invariant 2). Consenting again needs a
		// new rider.
		if prev.Withdrawal != nil {
			return nil, closedset.Errorf(closedset.Conflict, "the consent to scene %d was withdrawn: consenting again needs a new rider", sceneID)
		}
		plan, ok, err := latestPlan(ctx, tx, sceneID)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, closedset.Errorf(closedset.NotFound, "scene %d has no plan", sceneID)
		}
		if plan.Hash != planHash {
			return nil, closedset.Errorf(closedset.Conflict, "the plan of scene %d changed again: read it and re-confirm the current version", sceneID)
		}
		var textHash string
		if err := tx.QueryRowContext(ctx, `SELECT text_hash FROM scenes WHERE id = $1`, sceneID).Scan(&textHash); err != nil {
			return nil, fmt.Errorf("store: scene %d: %w", sceneID, err)
		}
		if textHash != sceneTextHash {
			return nil, closedset.Errorf(closedset.Conflict, "the script's text of scene %d changed: a new rider is needed", sceneID)
		}
		c = consent.Consent{PerformerID: performerID, SceneID: sceneID, RiderID: prev.RiderID, Kind: consent.Reconfirmed,
			PlanHash: planHash, SceneTextHash: sceneTextHash, By: by.ID, GivenAt: now}
		if err := insertConsent(ctx, tx, &c); err != nil {
			return nil, err
		}
		return (&change{action: "consent.reconfirm", object: audit.Object("scene", sceneID), data: map[string]any{
			"scene": sceneID, "performer": performerID, "consent": c.ID, "previous": prev.ID, "rider": prev.RiderID,
			"plan_hash": planHash, "scene_text_hash": sceneTextHash}}).bind("consents", c.ID), nil
	})
	if err != nil {
		return consent.Consent{}, err
	}
	return c, nil
}

// NameGuardian names the guardian of a (minor) performer for a scene;
// the latest naming wins.
func (s *SQL) NameGuardian(ctx context.Context, by audit.Actor, sceneID, performerID int64, name string) error {
	name, err := text("guardian's name", name, textfield.MaxName)
	if err != nil {
		return err
	}
	return s.writeTx(ctx, by, func(tx *sql.Tx, now time.Time) (*change, error) {
		if err := mustExist(ctx, tx, "users", "user", by.ID); err != nil {
			return nil, err
		}
		production, err := sceneProduction(ctx, tx, sceneID)
		if err != nil {
			return nil, err
		}
		if err := performerIn(ctx, tx, performerID, production); err != nil {
			return nil, err
		}
		var id int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO guardians (scene_id, performer_id, name, by_id, at_us) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
			sceneID, performerID, name, by.ID, now.UnixMicro()).Scan(&id); err != nil {
			return nil, fmt.Errorf("store: name guardian: %w", err)
		}
		return (&change{action: "safeguard.guardian", object: audit.Object("scene", sceneID), data: map[string]any{"scene": sceneID, "performer": performerID, "name": name}}).bind("guardians", id), nil
	})
}

// NameStudioTeacher names the studio teacher for a scene; the latest
// naming wins.
func (s *SQL) NameStudioTeacher(ctx context.Context, by audit.Actor, sceneID int64, name string) error {
	name, err := text("studio teacher's name", name, textfield.MaxName)
	if err != nil {
		return err
	}
	return s.writeTx(ctx, by, func(tx *sql.Tx, now time.Time) (*change, error) {
		if err := mustExist(ctx, tx, "users", "user", by.ID); err != nil {
			return nil, err
		}
		if err := mustExist(ctx, tx, "scenes", "scene", sceneID); err != nil {
			return nil, err
		}
		var id int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO studio_teachers (scene_id, name, by_id, at_us) VALUES ($1, $2, $3, $4) RETURNING id`,
			sceneID, name, by.ID, now.UnixMicro()).Scan(&id); err != nil {
			return nil, fmt.Errorf("store: name studio teacher: %w", err)
		}
		return (&change{action: "safeguard.studio_teacher", object: audit.Object("scene", sceneID), data: map[string]any{"scene": sceneID, "name": name}}).bind("studio_teachers", id), nil
	})
}

// SceneSafeguards returns the guardians (latest per performer) and the
// studio teacher named for the scene or a scene it was carried from.
func (s *SQL) SceneSafeguards(ctx context.Context, sceneID int64) (consent.Safeguards, error) {
	var sg consent.Safeguards
	err := s.readTx(ctx, func(tx *sql.Tx) error {
		ids, err := lineage(ctx, tx, sceneID)
		if err != nil {
			return err
		}
		sg, err = safeguardsOf(ctx, tx, ids)
		return err
	})
	if err != nil {
		return consent.Safeguards{}, err
	}
	return sg, nil
}

// safeguardsOf reads the safeguards named for any scene of a lineage, as
// the first scene's.
func safeguardsOf(ctx context.Context, q querier, lineage []int64) (consent.Safeguards, error) {
	sceneID := lineage[0]
	sg := consent.Safeguards{SceneID: sceneID}
	in, args := inList(lineage, 1)
	rows, err := q.QueryContext(ctx, `SELECT performer_id, name, by_id, at_us FROM guardians
		WHERE id IN (SELECT MAX(id) FROM guardians WHERE scene_id IN (`+in+`) GROUP BY performer_id) ORDER BY performer_id`, args...)
	if err != nil {
		return sg, fmt.Errorf("store: guardians of scene %d: %w", sceneID, err)
	}
	defer rows.Close()
	for rows.Next() {
		var g consent.Guardian
		var at int64
		if err := rows.Scan(&g.PerformerID, &g.Name, &g.By, &at); err != nil {
			return sg, fmt.Errorf("store: guardians of scene %d: %w", sceneID, err)
		}
		g.At = fromMicros(at)
		sg.Guardians = append(sg.Guardians, g)
	}
	if err := rows.Err(); err != nil {
		return sg, fmt.Errorf("store: guardians of scene %d: %w", sceneID, err)
	}
	err = q.QueryRowContext(ctx, `SELECT name FROM studio_teachers WHERE scene_id IN (`+in+`) ORDER BY id DESC LIMIT 1`, args...).Scan(&sg.StudioTeacher)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return sg, fmt.Errorf("store: studio teacher of scene %d: %w", sceneID, err)
	}
	return sg, nil
}
