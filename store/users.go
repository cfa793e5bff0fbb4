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
	"closedset/textfield"
)

const userColumns = `u.id, u.email, u.name, u.password_hash, u.admin, u.disabled, u.created_us, u.trainer`

func scanUser(row interface{ Scan(...any) error }, u *auth.User, extra ...any) error {
	var created int64
	if err := row.Scan(append([]any{&u.ID, &u.Email, &u.Name, &u.PasswordHash, &u.Admin, &u.Disabled, &created, &u.Trainer}, extra...)...); err != nil {
		return err
	}
	u.Created = fromMicros(created)
	return nil
}

// CreateUser adds a user. The email must not be taken (Conflict).
func (s *SQL) CreateUser(ctx context.Context, by audit.Actor, nu auth.NewUser) (auth.User, error) {
	email, err := normalEmail(nu.Email)
	if err != nil {
		return auth.User{}, err
	}
	name, err := text("name", nu.Name, textfield.MaxName)
	if err != nil {
		return auth.User{}, err
	}
	if err := checkSecret("password hash", []byte(nu.PasswordHash)); err != nil {
		return auth.User{}, err
	}
	u := auth.User{Email: email, Name: name, PasswordHash: nu.PasswordHash, Admin: nu.Admin}
	err = s.writeTx(ctx, by, func(tx *sql.Tx, now time.Time) (*change, error) {
		var taken int
		err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM users WHERE email = $1`, email).Scan(&taken)
		if err != nil {
			return nil, fmt.Errorf("store: create user: %w", err)
		}
		if taken > 0 {
			return nil, closedset.Errorf(closedset.Conflict, "a user with email %s already exists", email)
		}
		u.Created = now
		err = tx.QueryRowContext(ctx, `INSERT INTO users (email, name, password_hash, admin, created_us)
			VALUES ($1, $2, $3, $4, $5) RETURNING id`, email, name, nu.PasswordHash, nu.Admin, now.UnixMicro()).Scan(&u.ID)
		if err != nil {
			return nil, s.conflict(err, "a user with email %s already exists", email)
		}
		// The password hash stays out of the event.
		return &change{action: "user.create", object: audit.Object("user", u.ID), data: map[string]any{"id": u.ID, "email": email, "name": name, "admin": nu.Admin}}, nil
	})
	if err != nil {
		return auth.User{}, err
	}
	return u, nil
}

// conflict turns a unique violation into a Conflict error with the given
// message, and wraps any other error.
func (s *SQL) conflict(err error, format string, args ...any) error {
	if s.d.IsUnique(err) {
		return closedset.Errorf(closedset.Conflict, format, args...)
	}
	return fmt.Errorf("store: %s: %w", fmt.Sprintf(format, args...), err)
}

// User returns the user with the id.
func (s *SQL) User(ctx context.Context, id int64) (auth.User, error) {
	return userByID(ctx, s.rd(), id)
}

func userByID(ctx context.Context, q querier, id int64) (auth.User, error) {
	var u auth.User
	err := scanUser(q.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users u WHERE u.id = $1`, id), &u)
	if errors.Is(err, sql.ErrNoRows) {
		return auth.User{}, closedset.Errorf(closedset.NotFound, "user %d not found", id)
	}
	if err != nil {
		return auth.User{}, fmt.Errorf("store: user %d: %w", id, err)
	}
	return u, nil
}

// UserByEmail returns the user with the email, compared case-insensitively.
func (s *SQL) UserByEmail(ctx context.Context, email string) (auth.User, error) {
	e, err := normalEmail(email)
	if err != nil {
		return auth.User{}, closedset.Errorf(closedset.NotFound, "no user with email %q", email)
	}
	var u auth.User
	err = scanUser(s.rd().QueryRowContext(ctx, `SELECT `+userColumns+` FROM users u WHERE u.email = $1`, e), &u)
	if errors.Is(err, sql.ErrNoRows) {
		return auth.User{}, closedset.Errorf(closedset.NotFound, "no user with email %s", e)
	}
	if err != nil {
		return auth.User{}, fmt.Errorf("store: user by email: %w", err)
	}
	return u, nil
}

// SetPassword replaces a user's password hash and, in the same
// transaction, ends every session and deletes every API token and
// calendar feed of the user: whoever held the old password may hold one of those, so a password
// change (the user's own, the operator's, an admin's reset) leaves nothing
// signed in before it working. One event, user.password, counts them.
func (s *SQL) SetPassword(ctx context.Context, by audit.Actor, userID int64, hash string) error {
	if err := checkSecret("password hash", []byte(hash)); err != nil {
		return err
	}
	return s.writeTx(ctx, by, func(tx *sql.Tx, now time.Time) (*change, error) {
		if err := updatePassword(ctx, tx, userID, hash, ""); err != nil {
			return nil, err
		}
		var n [3]int64
		for i, table := range []string{"sessions", "api_tokens", "calendar_feeds"} {
			res, err := tx.ExecContext(ctx, `DELETE FROM `+table+` WHERE user_id = $1`, userID)
			if err != nil {
				return nil, fmt.Errorf("store: ending the credentials of user %d: %w", userID, err)
			}
			if n[i], err = res.RowsAffected(); err != nil {
				return nil, fmt.Errorf("store: ending the credentials of user %d: %w", userID, err)
			}
		}
		// That the password changed, and when: never the hash.
		return &change{action: "user.password", object: audit.Object("user", userID), data: map[string]any{"user": userID, "sessions": n[0], "tokens": n[1]}}, nil
	})
}

// RehashPassword replaces a hash with a stronger hash of the same password
// (new parameters, upgraded at sign-in), if the stored hash is still old:
// the password did not change, so sessions and tokens stay. A hash changed
// meanwhile is a Conflict and is kept.
func (s *SQL) RehashPassword(ctx context.Context, by audit.Actor, userID int64, old, hash string) error {
	if err := checkSecret("password hash", []byte(hash)); err != nil {
		return err
	}
	return s.writeTx(ctx, by, func(tx *sql.Tx, now time.Time) (*change, error) {
		if err := updatePassword(ctx, tx, userID, hash, old); err != nil {
			return nil, err
		}
		return &change{action: "user.password.rehash", object: audit.Object("user", userID), data: map[string]any{"user": userID}}, nil
	})
}

// updatePassword sets the user's hash; when old is not "", only if the
// stored hash is old.
func updatePassword(ctx context.Context, tx *sql.Tx, userID int64, hash, old string) error {
	q, args := `UPDATE users SET password_hash = $1 WHERE id = $2`, []any{hash, userID}
	if old != "" {
		q, args = q+` AND password_hash = $3`, append(args, old)
	}
	res, err := tx.ExecContext(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("store: set password of user %d: %w", userID, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("store: set password of user %d: %w", userID, err)
	} else if n == 0 {
		if err := mustExist(ctx, tx, "users", "user", userID); err != nil {
			return err
		}
		return closedset.Errorf(closedset.Conflict, "the password of user %d changed meanwhile", userID)
	}
	return nil
}

// CountUsers returns how many users there are: none before the first
// admin is made.
func (s *SQL) CountUsers(ctx context.Context) (int, error) {
	var n int
	if err := s.rd().QueryRowContext(ctx, `SELECT COUNT(*) FROM users`).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: count users: %w", err)
	}
	return n, nil
}

// CreateSession records a sign-in. Its event, session.create, names the
// user and the session's times, never its hash: the chain says who signed
// in when, and holds nothing that could sign in. Expired sessions are swept
// out in the same transaction: they are housekeeping, not records.
func (s *SQL) CreateSession(ctx context.Context, ss auth.Session) error {
	if err := checkSecret("session hash", ss.Hash); err != nil {
		return err
	}
	return s.writeTx(ctx, audit.System, func(tx *sql.Tx, now time.Time) (*change, error) {
		var u auth.User
		err := scanUser(tx.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users u WHERE u.id = $1`, ss.UserID), &u)
		if errors.Is(err, sql.ErrNoRows) {
			return nil, closedset.Errorf(closedset.NotFound, "user %d not found", ss.UserID)
		}
		if err != nil {
			return nil, fmt.Errorf("store: create session: %w", err)
		}
		if u.Disabled {
			return nil, closedset.Errorf(closedset.Forbidden, "the account %s is disabled", u.Email)
		}
		created := ss.Created.UTC().Truncate(time.Microsecond)
		if ss.Created.IsZero() {
			created = now
		}
		expires := ss.Expires.UTC().Truncate(time.Microsecond)
		if !expires.After(created) {
			return nil, closedset.Errorf(closedset.Invalid, "session expires (%s) before it is created (%s)", expires.Format(time.RFC3339), created.Format(time.RFC3339))
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE expires_us <= $1`, now.UnixMicro()); err != nil {
			return nil, fmt.Errorf("store: sweeping expired sessions: %w", err)
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO sessions (hash, user_id, created_us, expires_us) VALUES ($1, $2, $3, $4)`,
			ss.Hash, ss.UserID, created.UnixMicro(), expires.UnixMicro())
		if err != nil {
			return nil, s.conflict(err, "the session already exists")
		}
		actor := u.Actor()
		return &change{action: "session.create", object: audit.Object("user", u.ID), data: map[string]any{"user": u.ID, "created": created, "expires": expires}, actor: &actor}, nil
	})
}

// SessionUser returns the user of the session with the hash, if it has not
// expired at now and the user is not disabled.
func (s *SQL) SessionUser(ctx context.Context, hash []byte, now time.Time) (auth.User, auth.Session, error) {
	var u auth.User
	ss := auth.Session{Hash: hash}
	var created, expires int64
	err := scanUser(s.rd().QueryRowContext(ctx, `SELECT `+userColumns+`, s.created_us, s.expires_us
		FROM sessions s JOIN users u ON u.id = s.user_id
		WHERE s.hash = $1 AND s.expires_us > $2 AND NOT u.disabled`, hash, now.UnixMicro()), &u, &created, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return auth.User{}, auth.Session{}, closedset.Errorf(closedset.NotFound, "no such session, or it has expired")
	}
	if err != nil {
		return auth.User{}, auth.Session{}, fmt.Errorf("store: session user: %w", err)
	}
	ss.UserID, ss.Created, ss.Expires = u.ID, fromMicros(created), fromMicros(expires)
	return u, ss, nil
}

// DeleteSession ends a session (signing out). Ending a session that does
// not exist, or no longer does, is not an error and records nothing: a
// second click on "sign out" changes nothing.
func (s *SQL) DeleteSession(ctx context.Context, hash []byte) error {
	return s.writeTx(ctx, audit.System, func(tx *sql.Tx, now time.Time) (*change, error) {
		var u auth.User
		err := scanUser(tx.QueryRowContext(ctx, `SELECT `+userColumns+` FROM sessions s JOIN users u ON u.id = s.user_id
			WHERE s.hash = $1`, hash), &u)
		if errors.Is(err, sql.ErrNoRows) {
			return nil, nil
		}
		if err != nil {
			return nil, fmt.Errorf("store: delete session: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE hash = $1`, hash); err != nil {
			return nil, fmt.Errorf("store: delete session: %w", err)
		}
		actor := u.Actor()
		return &change{action: "session.delete", object: audit.Object("user", u.ID), data: map[string]any{"user": u.ID}, actor: &actor}, nil
	})
}

// Users lists every account of the installation by email.
func (s *SQL) Users(ctx context.Context) ([]auth.User, error) {
	rows, err := s.rd().QueryContext(ctx, `SELECT `+userColumns+` FROM users u ORDER BY u.email`)
	if err != nil {
		return nil, fmt.Errorf("store: users: %w", err)
	}
	defer rows.Close()
	var out []auth.User
	for rows.Next() {
		var u auth.User
		if err := scanUser(rows, &u); err != nil {
			return nil, fmt.Errorf("store: users: %w", err)
		}
		out = append(out, u)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: users: %w", err)
	}
	return out, nil
}

// SetUserDisabled disables or enables an account. Disabling ends its
// sessions in the same transaction; its API tokens are refused while it
// is disabled (TokenUser). Setting what is already set records nothing.
func (s *SQL) SetUserDisabled(ctx context.Context, by audit.Actor, userID int64, disabled bool) error {
	return s.writeTx(ctx, by, func(tx *sql.Tx, now time.Time) (*change, error) {
		var was bool
		err := tx.QueryRowContext(ctx, `SELECT disabled FROM users WHERE id = $1`, userID).Scan(&was)
		if errors.Is(err, sql.ErrNoRows) {
			return nil, closedset.Errorf(closedset.NotFound, "user %d not found", userID)
		}
		if err != nil {
			return nil, fmt.Errorf("store: disable user %d: %w", userID, err)
		}
		if was == disabled {
			return nil, nil
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET disabled = $1 WHERE id = $2`, disabled, userID); err != nil {
			return nil, fmt.Errorf("store: disable user %d: %w", userID, err)
		}
		action := "user.enable"
		if disabled {
			action = "user.disable"
			if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1`, userID); err != nil {
				return nil, fmt.Errorf("store: ending the sessions of user %d: %w", userID, err)
			}
		}
		return &change{action: action, object: audit.Object("user", userID), data: map[string]any{"user": userID}}, nil
	})
}
