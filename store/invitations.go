package store

import (
	"closedset"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"closedset/audit"
	"closedset/auth"
	"closedset/production"
)

// CreateInvitation stores an invitation to a role in a production, with
// the hash of its one-time token. Its event names the production, the
// email and the role, never the hash.
func (s *SQL) CreateInvitation(ctx context.Context, by audit.Actor, ni production.NewInvitation) (production.Invitation, error) {
	email, err := normalEmail(ni.Email)
	if err != nil {
		return production.Invitation{}, err
	}
	role, err := auth.ParseRole(string(ni.Role))
	if err != nil {
		return production.Invitation{}, err
	}
	if err := checkSecret("invitation hash", ni.Hash); err != nil {
		return production.Invitation{}, err
	}
	inv := production.Invitation{ProductionID: ni.ProductionID, Email: email, Role: role, InvitedBy: by.ID, InvitedByName: by.Name,
		Expires: ni.Expires.UTC().Truncate(time.Microsecond)}
	err = s.writeTx(ctx, by, func(tx *sql.Tx, now time.Time) (*change, error) {
		if err := mustExist(ctx, tx, "productions", "production", ni.ProductionID); err != nil {
			return nil, err
		}
		if err := mustExist(ctx, tx, "users", "user", by.ID); err != nil {
			return nil, err
		}
		if !inv.Expires.After(now) {
			return nil, closedset.Errorf(closedset.Invalid, "the invitation would expire (%s) before it is made", inv.Expires.Format(time.RFC3339))
		}
		inv.Created = now
		err := tx.QueryRowContext(ctx, `INSERT INTO invitations (production_id, email, role, hash, invited_by, created_us, expires_us,
			accepted_us, accepted_by, revoked_us, revoked_by) VALUES ($1, $2, $3, $4, $5, $6, $7, 0, 0, 0, 0) RETURNING id`,
			ni.ProductionID, email, string(role), ni.Hash, by.ID, now.UnixMicro(), inv.Expires.UnixMicro()).Scan(&inv.ID)
		if err != nil {
			return nil, s.conflict(err, "the invitation already exists")
		}
		return &change{action: "invitation.create", object: audit.Object("invitation", inv.ID), data: map[string]any{
			"id": inv.ID, "production": ni.ProductionID, "email": email, "role": string(role), "expires": inv.Expires}}, nil
	})
	if err != nil {
		return production.Invitation{}, err
	}
	return inv, nil
}

const invitationQuery = `SELECT i.id, i.production_id, i.email, i.role, i.invited_by, u.name, i.created_us, i.expires_us,
	i.accepted_us, i.accepted_by, i.revoked_us FROM invitations i JOIN users u ON u.id = i.invited_by`

func scanInvitation(row interface{ Scan(...any) error }) (production.Invitation, error) {
	var inv production.Invitation
	var role string
	var created, expires, accepted, revoked int64
	if err := row.Scan(&inv.ID, &inv.ProductionID, &inv.Email, &role, &inv.InvitedBy, &inv.InvitedByName, &created, &expires,
		&accepted, &inv.AcceptedBy, &revoked); err != nil {
		return production.Invitation{}, err
	}
	inv.Role, inv.Created, inv.Expires = auth.Role(role), fromMicros(created), fromMicros(expires)
	if accepted != 0 {
		inv.Accepted = fromMicros(accepted)
	}
	if revoked != 0 {
		inv.Revoked = fromMicros(revoked)
	}
	return inv, nil
}

// Invitations lists the production's invitations, newest first, in every
// state.
func (s *SQL) Invitations(ctx context.Context, productionID int64) ([]production.Invitation, error) {
	var out []production.Invitation
	err := s.readTx(ctx, func(tx *sql.Tx) error {
		if err := mustExist(ctx, tx, "productions", "production", productionID); err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, invitationQuery+` WHERE i.production_id = $1 ORDER BY i.id DESC`, productionID)
		if err != nil {
			return fmt.Errorf("store: invitations of production %d: %w", productionID, err)
		}
		defer rows.Close()
		for rows.Next() {
			inv, err := scanInvitation(rows)
			if err != nil {
				return fmt.Errorf("store: invitations of production %d: %w", productionID, err)
			}
			out = append(out, inv)
		}
		return rows.Err()
	})
	return out, err
}

// Invitation returns the invitation with the id.
func (s *SQL) Invitation(ctx context.Context, id int64) (production.Invitation, error) {
	return s.oneInvitation(ctx, `i.id = $1`, id)
}

// InvitationByHash returns the invitation whose token has the hash, in
// whatever state: the caller decides whether it may still be used.
func (s *SQL) InvitationByHash(ctx context.Context, hash []byte) (production.Invitation, error) {
	return s.oneInvitation(ctx, `i.hash = $1`, hash)
}

func (s *SQL) oneInvitation(ctx context.Context, cond string, arg any) (production.Invitation, error) {
	inv, err := scanInvitation(s.rd().QueryRowContext(ctx, invitationQuery+` WHERE `+cond, arg))
	if errors.Is(err, sql.ErrNoRows) {
		return production.Invitation{}, closedset.Errorf(closedset.NotFound, "no such invitation")
	}
	if err != nil {
		return production.Invitation{}, fmt.Errorf("store: invitation: %w", err)
	}
	return inv, nil
}

// RevokeInvitation makes a pending invitation unusable. Revoking one
// already revoked changes nothing; one already accepted is a Conflict.
func (s *SQL) RevokeInvitation(ctx context.Context, by audit.Actor, id int64) error {
	return s.writeTx(ctx, by, func(tx *sql.Tx, now time.Time) (*change, error) {
		var accepted, revoked int64
		err := tx.QueryRowContext(ctx, `SELECT accepted_us, revoked_us FROM invitations WHERE id = $1`, id).Scan(&accepted, &revoked)
		if errors.Is(err, sql.ErrNoRows) {
			return nil, closedset.Errorf(closedset.NotFound, "invitation %d not found", id)
		}
		if err != nil {
			return nil, fmt.Errorf("store: revoke invitation %d: %w", id, err)
		}
		switch {
		case accepted != 0:
			return nil, closedset.Errorf(closedset.Conflict, "invitation %d was already accepted: remove the member instead", id)
		case revoked != 0:
			return nil, nil
		}
		if _, err := tx.ExecContext(ctx, `UPDATE invitations SET revoked_us = $1, revoked_by = $2 WHERE id = $3`,
			now.UnixMicro(), by.ID, id); err != nil {
			return nil, fmt.Errorf("store: revoke invitation %d: %w", id, err)
		}
		return &change{action: "invitation.revoke", object: audit.Object("invitation", id), data: map[string]any{"id": id}}, nil
	})
}

// AcceptInvitation marks a pending, unexpired invitation used by the
// account userID (made from it in the same transaction). An invitation no
// longer pending is a Conflict and writes nothing.
func (s *SQL) AcceptInvitation(ctx context.Context, by audit.Actor, id, userID int64) error {
	return s.writeTx(ctx, by, func(tx *sql.Tx, now time.Time) (*change, error) {
		if err := mustExist(ctx, tx, "users", "user", userID); err != nil {
			return nil, err
		}
		res, err := tx.ExecContext(ctx, `UPDATE invitations SET accepted_us = $1, accepted_by = $2
			WHERE id = $3 AND accepted_us = 0 AND revoked_us = 0 AND expires_us > $1`, now.UnixMicro(), userID, id)
		if err != nil {
			return nil, fmt.Errorf("store: accept invitation %d: %w", id, err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return nil, fmt.Errorf("store: accept invitation %d: %w", id, err)
		} else if n == 0 {
			return nil, closedset.Errorf(closedset.Conflict, "this invitation was already used, revoked, or has expired")
		}
		return &change{action: "invitation.accept", object: audit.Object("invitation", id), data: map[string]any{"id": id, "user": userID}}, nil
	})
}
