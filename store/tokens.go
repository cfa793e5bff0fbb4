package store

import (
	"closedset"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"closedset/audit"
	"closedset/auth"
	"closedset/textfield"
)

const tokenColumns = `t.id, t.user_id, t.name, t.created_us, t.expires_us, COALESCE(tu.used_us, 0)`

func scanToken(row interface{ Scan(...any) error }, t *auth.Token, extra ...any) error {
	var created, expires, used int64
	if err := row.Scan(append([]any{&t.ID, &t.UserID, &t.Name, &created, &expires, &used}, extra...)...); err != nil {
		return err
	}
	t.Created, t.Expires, t.LastUsed = fromMicros(created), optMicros(expires), optMicros(used)
	return nil
}

// optMicros is fromMicros with 0 for "not set": the zero time.
func optMicros(us int64) time.Time {
	if us == 0 {
		return time.Time{}
	}
	return fromMicros(us)
}

// CreateToken stores a new API token's hash for its user, with its expiry
// if it has one (which must be after now).
func (s *SQL) CreateToken(ctx context.Context, by audit.Actor, nt auth.TokenRecord) (auth.Token, error) {
	if err := checkSecret("token hash", nt.Hash); err != nil {
		return auth.Token{}, err
	}
	name, err := text("token name", nt.Name, textfield.MaxName)
	if err != nil {
		return auth.Token{}, err
	}
	t := auth.Token{UserID: nt.UserID, Name: name}
	if !nt.Expires.IsZero() {
		t.Expires = nt.Expires.UTC().Truncate(time.Microsecond)
	}
	err = s.writeTx(ctx, by, func(tx *sql.Tx, now time.Time) (*change, error) {
		if err := mustExist(ctx, tx, "users", "user", nt.UserID); err != nil {
			return nil, err
		}
		var expires int64
		if !t.Expires.IsZero() {
			if !t.Expires.After(now) {
				return nil, closedset.Errorf(closedset.Invalid, "the token would expire (%s) before it is made", t.Expires.Format(time.RFC3339))
			}
			expires = t.Expires.UnixMicro()
		}
		t.Created = now
		err := tx.QueryRowContext(ctx, `INSERT INTO api_tokens (user_id, name, hash, created_us, expires_us) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
			nt.UserID, name, nt.Hash, now.UnixMicro(), expires).Scan(&t.ID)
		if err != nil {
			return nil, s.conflict(err, "the token already exists")
		}
		data := map[string]any{"id": t.ID, "user": nt.UserID, "name": name}
		if !t.Expires.IsZero() {
			data["expires"] = t.Expires
		}
		return &change{action: "token.create", object: audit.Object("token", t.ID), data: data}, nil
	})
	if err != nil {
		return auth.Token{}, err
	}
	return t, nil
}

// TokenUser returns the user an API token belongs to, and the token,
// unless the token has expired at now or the user is disabled.
func (s *SQL) TokenUser(ctx context.Context, hash []byte, now time.Time) (auth.User, auth.Token, error) {
	var u auth.User
	var t auth.Token
	var created, expires, used int64
	err := scanUser(s.rd().QueryRowContext(ctx, `SELECT `+userColumns+`, `+tokenColumns+`
		FROM api_tokens t JOIN users u ON u.id = t.user_id LEFT JOIN token_uses tu ON tu.token_id = t.id
		WHERE t.hash = $1 AND NOT u.disabled AND (t.expires_us = 0 OR t.expires_us > $2)`, hash, now.UnixMicro()),
		&u, &t.ID, &t.UserID, &t.Name, &created, &expires, &used)
	if errors.Is(err, sql.ErrNoRows) {
		return auth.User{}, auth.Token{}, closedset.Errorf(closedset.NotFound, "no such token, or it has expired")
	}
	if err != nil {
		return auth.User{}, auth.Token{}, fmt.Errorf("store: token user: %w", err)
	}
	t.Created, t.Expires, t.LastUsed = fromMicros(created), optMicros(expires), optMicros(used)
	return u, t, nil
}

// TokensOf lists the user's API tokens, newest first, expired ones included
// (their owner sees them lapse).
func (s *SQL) TokensOf(ctx context.Context, userID int64) ([]auth.Token, error) {
	rows, err := s.rd().QueryContext(ctx, `SELECT `+tokenColumns+`
		FROM api_tokens t LEFT JOIN token_uses tu ON tu.token_id = t.id
		WHERE t.user_id = $1 ORDER BY t.id DESC`, userID)
	if err != nil {
		return nil, fmt.Errorf("store: tokens of user %d: %w", userID, err)
	}
	defer rows.Close()
	var out []auth.Token
	for rows.Next() {
		var t auth.Token
		if err := scanToken(rows, &t); err != nil {
			return nil, fmt.Errorf("store: tokens of user %d: %w", userID, err)
		}
		out = append(out, t)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: tokens of user %d: %w", userID, err)
	}
	return out, nil
}

// RevokeToken deletes one of the user's API tokens. A token that is not
// the user's is NotFound, the same as one that does not exist: nobody
// learns which ids others hold.
func (s *SQL) RevokeToken(ctx context.Context, by audit.Actor, userID, tokenID int64) error {
	return s.revokeOwned(ctx, by, "api_tokens", "token", "token.revoke", userID, tokenID)
}

// revokeOwned deletes a credential row (an API token, a calendar feed)
// of the user's, with its event (action); another's is NotFound,
// the same as one that does not exist. table is one of ours, never input.
func (s *SQL) revokeOwned(ctx context.Context, by audit.Actor, table, what, action string, userID, id int64) error {
	return s.writeTx(ctx, by, func(tx *sql.Tx, now time.Time) (*change, error) {
		res, err := tx.ExecContext(ctx, `DELETE FROM `+table+` WHERE id = $1 AND user_id = $2`, id, userID)
		if err != nil {
			return nil, fmt.Errorf("store: revoke %s %d: %w", what, id, err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return nil, fmt.Errorf("store: revoke %s %d: %w", what, id, err)
		} else if n == 0 {
			return nil, closedset.Errorf(closedset.NotFound, "%s %d not found", strings.ReplaceAll(what, "_", " "), id)
		}
		return &change{action: action, object: audit.Object(what, id), data: map[string]any{"id": id, "user": userID}}, nil
	})
}

// NoteTokenUse records that the token proved a request at at (later uses
// only move it forward). It is the one write outside the audit chain: a
// token's last use is housekeeping its owner reads, not a record, and an
// event for it would grow the chain with every API client's polling. It
// takes its turn among this process's writers but not the chain's head.
func (s *SQL) NoteTokenUse(ctx context.Context, tokenID int64, at time.Time) error {
	var q querier = s.write
	if s.tx != nil {
		q = s.tx.tx
	} else {
		release, err := s.startWrite(ctx)
		if err != nil {
			return err
		}
		defer release()
	}
	// A WHERE on the SELECT keeps SQLite from reading ON CONFLICT as a
	// join's ON; a token revoked meanwhile inserts nothing.
	_, err := q.ExecContext(ctx, `INSERT INTO token_uses (token_id, used_us) SELECT id, $2 FROM api_tokens WHERE id = $1
		ON CONFLICT (token_id) DO UPDATE SET used_us = excluded.used_us WHERE token_uses.used_us < excluded.used_us`,
		tokenID, at.UTC().UnixMicro())
	if err != nil {
		return fmt.Errorf("store: note the use of token %d: %w", tokenID, err)
	}
	return nil
}
