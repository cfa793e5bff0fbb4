package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"closedset/alert"
	"closedset/audit"
	"closedset/ops"
	"closedset/production"
)

// Alerts (issue 17, migration 18). A user's choice of channels and their
// browsers' push subscriptions are settings, written with an event like
// other changes of an account. The outbox and the scan keys are
// housekeeping: written without an event, in the caller's transaction
// when there is one (so an alert is queued exactly when its cause
// commits), and changed in place as messages are delivered.

// AlertPrefs is the user's choice of channels, alert.DefaultPrefs when
// they never chose.
func (s *SQL) AlertPrefs(ctx context.Context, userID int64) (alert.Prefs, error) {
	p := alert.DefaultPrefs
	err := s.rd().QueryRowContext(ctx, `SELECT email, push FROM alert_prefs WHERE user_id = $1`, userID).Scan(&p.Email, &p.Push)
	if errors.Is(err, sql.ErrNoRows) {
		return alert.DefaultPrefs, nil
	}
	if err != nil {
		return alert.Prefs{}, fmt.Errorf("store: alert choices of user %d: %w", userID, err)
	}
	return p, nil
}

// SetAlertPrefs records the user's choice of channels.
func (s *SQL) SetAlertPrefs(ctx context.Context, by audit.Actor, userID int64, p alert.Prefs) error {
	return s.writeTx(ctx, by, func(tx *sql.Tx, now time.Time) (*change, error) {
		if err := mustExist(ctx, tx, "users", "user", userID); err != nil {
			return nil, err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO alert_prefs (user_id, email, push, at_us) VALUES ($1, $2, $3, $4)
			ON CONFLICT (user_id) DO UPDATE SET email = excluded.email, push = excluded.push, at_us = excluded.at_us`,
			userID, p.Email, p.Push, now.UnixMicro())
		if err != nil {
			return nil, fmt.Errorf("store: record alert choices of user %d: %w", userID, err)
		}
		return &change{action: "alerts.prefs", object: audit.Object("user", userID), data: p}, nil
	})
}

// AddPushSubscription keeps a browser's subscription for the user; the
// same endpoint again replaces its keys and owner (a browser signed in
// as someone else).
func (s *SQL) AddPushSubscription(ctx context.Context, by audit.Actor, userID int64, sub alert.Subscription) error {
	return s.writeTx(ctx, by, func(tx *sql.Tx, now time.Time) (*change, error) {
		if err := mustExist(ctx, tx, "users", "user", userID); err != nil {
			return nil, err
		}
		var id int64
		err := tx.QueryRowContext(ctx, `INSERT INTO push_subscriptions (user_id, endpoint, p256dh, auth, at_us) VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (endpoint) DO UPDATE SET user_id = excluded.user_id, p256dh = excluded.p256dh, auth = excluded.auth, at_us = excluded.at_us
			RETURNING id`, userID, sub.Endpoint, sub.P256dh, sub.Auth, now.UnixMicro()).Scan(&id)
		if err != nil {
			return nil, fmt.Errorf("store: keep a push subscription of user %d: %w", userID, err)
		}
		// The endpoint is a secret of the subscription: the event names
		// the row only.
		return &change{action: "alerts.subscribe", object: audit.Object("push_subscription", id), data: map[string]any{"user_id": userID}}, nil
	})
}

// PushSubscriptions lists the user's subscriptions, oldest first.
func (s *SQL) PushSubscriptions(ctx context.Context, userID int64) ([]alert.Subscription, error) {
	rows, err := s.rd().QueryContext(ctx, `SELECT endpoint, p256dh, auth FROM push_subscriptions WHERE user_id = $1 ORDER BY id`, userID)
	if err != nil {
		return nil, fmt.Errorf("store: push subscriptions of user %d: %w", userID, err)
	}
	defer rows.Close()
	var out []alert.Subscription
	for rows.Next() {
		var sub alert.Subscription
		if err := rows.Scan(&sub.Endpoint, &sub.P256dh, &sub.Auth); err != nil {
			return nil, fmt.Errorf("store: push subscriptions of user %d: %w", userID, err)
		}
		out = append(out, sub)
	}
	return out, rows.Err()
}

// ForgetPushSubscription deletes a subscription the push service no
// longer knows: housekeeping, without an event.
func (s *SQL) ForgetPushSubscription(ctx context.Context, endpoint string) error {
	return s.housekeep(ctx, func(q querier, _ time.Time) error {
		_, err := q.ExecContext(ctx, `DELETE FROM push_subscriptions WHERE endpoint = $1`, endpoint)
		return err
	})
}

// QueueAlerts adds messages to the outbox, due at once.
func (s *SQL) QueueAlerts(ctx context.Context, msgs []alert.Message) error {
	if len(msgs) == 0 {
		return nil
	}
	return s.housekeep(ctx, func(q querier, now time.Time) error { return queue(ctx, q, now, msgs) })
}

// QueueAlertsOnce is QueueAlerts for the first call with key only: a
// later call with the same key queues nothing and returns false.
func (s *SQL) QueueAlertsOnce(ctx context.Context, key string, msgs []alert.Message) (bool, error) {
	queued := false
	err := s.housekeep(ctx, func(q querier, now time.Time) error {
		res, err := q.ExecContext(ctx, `INSERT INTO alert_scans (scan_key, at_us) VALUES ($1, $2) ON CONFLICT (scan_key) DO NOTHING`, key, now.UnixMicro())
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return err
		}
		queued = true
		return queue(ctx, q, now, msgs)
	})
	return queued, err
}

func queue(ctx context.Context, q querier, now time.Time, msgs []alert.Message) error {
	for _, m := range msgs {
		_, err := q.ExecContext(ctx, `INSERT INTO alert_outbox
			(user_id, channel, address, subject, body, url, state, attempts, next_us, created_us, done_us, last_error)
			VALUES ($1, $2, $3, $4, $5, $6, 'queued', 0, $7, $7, 0, '')`,
			m.UserID, string(m.Channel), m.Address, m.Subject, m.Body, m.URL, now.UnixMicro())
		if err != nil {
			return fmt.Errorf("store: queue an alert: %w", err)
		}
	}
	return nil
}

// ClaimAlerts takes up to limit queued messages due at now for one
// delivery attempt each: a claimed message is not due again until lease
// has passed, so two servers sharing the database never both send it,
// and one whose server stopped mid-delivery is tried again after the
// lease. Each comes back with its attempts counted.
func (s *SQL) ClaimAlerts(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]alert.Message, error) {
	type due struct {
		m    alert.Message
		next int64
	}
	var found []due
	rows, err := s.rd().QueryContext(ctx, `SELECT id, user_id, channel, address, subject, body, url, attempts, next_us FROM alert_outbox
		WHERE state = 'queued' AND next_us <= $1 ORDER BY next_us, id LIMIT $2`, now.UnixMicro(), limit)
	if err != nil {
		return nil, fmt.Errorf("store: due alerts: %w", err)
	}
	for rows.Next() {
		var d due
		var ch string
		if err := rows.Scan(&d.m.ID, &d.m.UserID, &ch, &d.m.Address, &d.m.Subject, &d.m.Body, &d.m.URL, &d.m.Attempts, &d.next); err != nil {
			rows.Close()
			return nil, fmt.Errorf("store: due alerts: %w", err)
		}
		d.m.Channel = alert.Channel(ch)
		found = append(found, d)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: due alerts: %w", err)
	}
	var out []alert.Message
	for _, d := range found {
		claimed := false
		err := s.housekeep(ctx, func(q querier, _ time.Time) error {
			res, err := q.ExecContext(ctx, `UPDATE alert_outbox SET next_us = $1, attempts = attempts + 1
				WHERE id = $2 AND state = 'queued' AND next_us = $3`, now.Add(lease).UnixMicro(), d.m.ID, d.next)
			if err != nil {
				return err
			}
			n, err := res.RowsAffected()
			claimed = n == 1
			return err
		})
		if err != nil {
			return out, fmt.Errorf("store: claim alert %d: %w", d.m.ID, err)
		}
		if claimed {
			d.m.Attempts++
			out = append(out, d.m)
		}
	}
	return out, nil
}

// FinishAlert records the outcome of a claimed message's attempt: sent
// (its body, which may hold an invitation's link, is then dropped);
// failed for now, due again at retry; or given up (retry zero) with the
// error, which names no secret.
func (s *SQL) FinishAlert(ctx context.Context, id int64, sent bool, retry time.Time, lastError string) error {
	return s.housekeep(ctx, func(q querier, now time.Time) error {
		var err error
		switch {
		case sent:
			_, err = q.ExecContext(ctx, `UPDATE alert_outbox SET state = 'sent', body = '', url = '', done_us = $1, last_error = '' WHERE id = $2`, now.UnixMicro(), id)
		case retry.IsZero():
			_, err = q.ExecContext(ctx, `UPDATE alert_outbox SET state = 'failed', body = '', url = '', done_us = $1, last_error = $2 WHERE id = $3`, now.UnixMicro(), lastError, id)
		default:
			_, err = q.ExecContext(ctx, `UPDATE alert_outbox SET next_us = $1, last_error = $2 WHERE id = $3 AND state = 'queued'`, retry.UnixMicro(), lastError, id)
		}
		return err
	})
}

// housekeep runs fn as a write outside the audit chain: in the caller's
// transaction when there is one, else in its own, taking its turn among
// this process's writers but not the chain's head.
func (s *SQL) housekeep(ctx context.Context, fn func(q querier, now time.Time) error) error {
	if s.tx != nil {
		return fn(s.tx.tx, s.tx.now)
	}
	release, err := s.startWrite(ctx)
	if err != nil {
		return err
	}
	defer release()
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: begin: %w", err)
	}
	defer tx.Rollback()
	if err := fn(tx, s.clock()); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store: commit: %w", err)
	}
	return nil
}

// UnsignedRiders lists each performer's latest rider while it is
// unsigned, for performers still in the cast, with its scenes.
func (s *SQL) UnsignedRiders(ctx context.Context) ([]ops.RiderDue, error) {
	var out []ops.RiderDue
	err := s.readTx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT r.id, r.production_id, r.performer_id FROM riders r
			JOIN performers p ON p.id = r.performer_id AND p.removed_us = 0
			WHERE NOT EXISTS (SELECT 1 FROM rider_signatures sg WHERE sg.rider_id = r.id)
			AND NOT EXISTS (SELECT 1 FROM riders r2 WHERE r2.performer_id = r.performer_id AND r2.id > r.id)
			ORDER BY r.id`)
		if err != nil {
			return fmt.Errorf("store: unsigned riders: %w", err)
		}
		for rows.Next() {
			var r ops.RiderDue
			if err := rows.Scan(&r.RiderID, &r.ProductionID, &r.PerformerID); err != nil {
				rows.Close()
				return fmt.Errorf("store: unsigned riders: %w", err)
			}
			out = append(out, r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("store: unsigned riders: %w", err)
		}
		for i := range out {
			srows, err := tx.QueryContext(ctx, `SELECT scene_id FROM rider_scenes WHERE rider_id = $1 ORDER BY idx`, out[i].RiderID)
			if err != nil {
				return fmt.Errorf("store: unsigned riders: %w", err)
			}
			for srows.Next() {
				var id int64
				if err := srows.Scan(&id); err != nil {
					srows.Close()
					return fmt.Errorf("store: unsigned riders: %w", err)
				}
				out[i].SceneIDs = append(out[i].SceneIDs, id)
			}
			srows.Close()
			if err := srows.Err(); err != nil {
				return fmt.Errorf("store: unsigned riders: %w", err)
			}
		}
		return nil
	})
	return out, err
}

// OpenRequestsDue lists the requests of every production due by before
// (and due at all) whose latest state is open or in progress.
func (s *SQL) OpenRequestsDue(ctx context.Context, before time.Time) ([]production.Request, error) {
	return loadRequests(ctx, s.rd(), `r.due_us > 0 AND r.due_us <= $1 AND st.state IN ('open', 'in_progress')`, before.UTC().UnixMicro())
}
