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

// Calendar feeds: the secret URLs of users' iCalendar feeds, kept as the
// hash of their token. They are auth.Tokens that never expire and whose
// use is not recorded (a calendar polls every few minutes).

// CreateCalendarFeed stores a new feed's token hash for its user.
func (s *SQL) CreateCalendarFeed(ctx context.Context, by audit.Actor, nt auth.TokenRecord) (auth.Token, error) {
	if err := checkSecret("calendar token hash", nt.Hash); err != nil {
		return auth.Token{}, err
	}
	name, err := text("calendar name", nt.Name, textfield.MaxName)
	if err != nil {
		return auth.Token{}, err
	}
	t := auth.Token{UserID: nt.UserID, Name: name}
	err = s.writeTx(ctx, by, func(tx *sql.Tx, now time.Time) (*change, error) {
		if err := mustExist(ctx, tx, "users", "user", nt.UserID); err != nil {
			return nil, err
		}
		t.Created = now
		if err := tx.QueryRowContext(ctx, `INSERT INTO calendar_feeds (user_id, name, hash, created_us) VALUES ($1, $2, $3, $4) RETURNING id`,
			nt.UserID, name, nt.Hash, now.UnixMicro()).Scan(&t.ID); err != nil {
			return nil, s.conflict(err, "the calendar feed already exists")
		}
		return &change{action: "calendar.create", object: audit.Object("calendar_feed", t.ID), data: map[string]any{"id": t.ID, "user": nt.UserID, "name": name}}, nil
	})
	if err != nil {
		return auth.Token{}, err
	}
	return t, nil
}

// CalendarFeedUser is the user a feed's token belongs to, unless the user
// is disabled: NotFound then, as for an unknown or revoked token.
func (s *SQL) CalendarFeedUser(ctx context.Context, hash []byte) (auth.User, error) {
	var u auth.User
	err := scanUser(s.rd().QueryRowContext(ctx, `SELECT `+userColumns+`
		FROM calendar_feeds f JOIN users u ON u.id = f.user_id
		WHERE f.hash = $1 AND NOT u.disabled`, hash), &u)
	if errors.Is(err, sql.ErrNoRows) {
		return auth.User{}, closedset.Errorf(closedset.NotFound, "no such calendar feed")
	}
	if err != nil {
		return auth.User{}, fmt.Errorf("store: calendar feed user: %w", err)
	}
	return u, nil
}

// CalendarFeedsOf lists the user's feeds, newest first.
func (s *SQL) CalendarFeedsOf(ctx context.Context, userID int64) ([]auth.Token, error) {
	rows, err := s.rd().QueryContext(ctx, `SELECT id, user_id, name, created_us FROM calendar_feeds WHERE user_id = $1 ORDER BY id DESC`, userID)
	if err != nil {
		return nil, fmt.Errorf("store: calendar feeds of user %d: %w", userID, err)
	}
	defer rows.Close()
	var out []auth.Token
	for rows.Next() {
		var t auth.Token
		var created int64
		if err := rows.Scan(&t.ID, &t.UserID, &t.Name, &created); err != nil {
			return nil, fmt.Errorf("store: calendar feeds of user %d: %w", userID, err)
		}
		t.Created = fromMicros(created)
		out = append(out, t)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: calendar feeds of user %d: %w", userID, err)
	}
	return out, nil
}

// RevokeCalendarFeed deletes one of the user's feeds; another's is
// NotFound.
func (s *SQL) RevokeCalendarFeed(ctx context.Context, by audit.Actor, userID, feedID int64) error {
	return s.revokeOwned(ctx, by, "calendar_feeds", "calendar_feed", "calendar.revoke", userID, feedID)
}
