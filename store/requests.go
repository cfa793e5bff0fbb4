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
	"closedset/textfield"
)

// Department requests: the request as raised, and each change of its
// state appended to request_states; the latest change is its state. A
// request's events name its department and state, never its text or
// note: the chain records who asked what of whom, the request holds it.

// requestQuery reads requests with their latest state; %s is a condition
// on r (department_requests).
const requestQuery = `SELECT r.id, r.production_id, r.scene_id, r.department, r.text, r.due_us, r.performer_id, r.by_id, r.at_us,
	st.state, st.note, st.by_id, st.at_us
	FROM department_requests r
	JOIN request_states st ON st.id = (SELECT MAX(s2.id) FROM request_states s2 WHERE s2.request_id = r.id)
	WHERE %s ORDER BY r.due_us, r.id`

func loadRequests(ctx context.Context, q querier, cond string, args ...any) ([]production.Request, error) {
	rows, err := q.QueryContext(ctx, fmt.Sprintf(requestQuery, cond), args...)
	if err != nil {
		return nil, fmt.Errorf("store: requests: %w", err)
	}
	defer rows.Close()
	var out []production.Request
	for rows.Next() {
		var r production.Request
		var dept, state string
		var due, at, stateAt int64
		if err := rows.Scan(&r.ID, &r.ProductionID, &r.SceneID, &dept, &r.Text, &due, &r.PerformerID, &r.By, &at,
			&state, &r.Note, &r.StateBy, &stateAt); err != nil {
			return nil, fmt.Errorf("store: requests: %w", err)
		}
		r.Department, r.State = auth.Role(dept), production.RequestState(state)
		r.Due, r.At, r.StateAt = fromMicros(due), fromMicros(at), fromMicros(stateAt)
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: requests: %w", err)
	}
	return out, nil
}

// CreateRequest raises a request for a scene of the production: the
// request and its first state, open, in one event. The caller has
// validated it (production.NewRequest.Validate); the store checks what it
// can refuse alone.
func (s *SQL) CreateRequest(ctx context.Context, by audit.Actor, productionID int64, nr production.NewRequest) (production.Request, error) {
	if !nr.Department.Department() {
		return production.Request{}, closedset.FieldErrorf(closedset.Invalid, "department", "unknown department %q", nr.Department)
	}
	txt, err := invalidText(textfield.Para("text", nr.Text, production.MaxRequestText, true))
	if err != nil {
		return production.Request{}, err
	}
	due := nr.Due.UTC().Truncate(time.Microsecond)
	var out production.Request
	err = s.writeTx(ctx, by, func(tx *sql.Tx, now time.Time) (*change, error) {
		if err := mustExist(ctx, tx, "users", "user", by.ID); err != nil {
			return nil, err
		}
		sceneProd, err := sceneProduction(ctx, tx, nr.SceneID)
		if err != nil {
			return nil, err
		}
		if sceneProd != productionID {
			return nil, closedset.Errorf(closedset.NotFound, "scene %d not found in production %d", nr.SceneID, productionID)
		}
		if nr.PerformerID != 0 {
			if err := performerIn(ctx, tx, nr.PerformerID, productionID); err != nil {
				return nil, err
			}
		}
		var id int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO department_requests (production_id, scene_id, department, text, due_us, performer_id, by_id, at_us)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
			productionID, nr.SceneID, string(nr.Department), txt, due.UnixMicro(), nr.PerformerID, by.ID, now.UnixMicro()).Scan(&id); err != nil {
			return nil, fmt.Errorf("store: create request: %w", err)
		}
		var sid int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO request_states (request_id, state, note, by_id, at_us) VALUES ($1, $2, '', $3, $4) RETURNING id`,
			id, string(production.RequestOpen), by.ID, now.UnixMicro()).Scan(&sid); err != nil {
			return nil, fmt.Errorf("store: create request: %w", err)
		}
		out = production.Request{ID: id, ProductionID: productionID, SceneID: nr.SceneID, Department: nr.Department, Text: txt, Due: due,
			PerformerID: nr.PerformerID, By: by.ID, At: now, State: production.RequestOpen, StateBy: by.ID, StateAt: now}
		return (&change{action: "request.create", object: audit.Object("request", id), data: map[string]any{
			"request": id, "scene": nr.SceneID, "department": nr.Department, "due": due, "performer": nr.PerformerID}}).
			bind("department_requests", id).bind("request_states", sid), nil
	})
	if err != nil {
		return production.Request{}, err
	}
	return out, nil
}

// SetRequestState appends a change of the request's state. The change is
// checked against the state it finds in the transaction
// (production.CheckChange), so two departments answering at once cannot
// both move it from the same state.
func (s *SQL) SetRequestState(ctx context.Context, by audit.Actor, requestID int64, state production.RequestState, note string) (production.Request, error) {
	var out production.Request
	err := s.writeTx(ctx, by, func(tx *sql.Tx, now time.Time) (*change, error) {
		if err := mustExist(ctx, tx, "users", "user", by.ID); err != nil {
			return nil, err
		}
		cur, err := requestByID(ctx, tx, requestID)
		if err != nil {
			return nil, err
		}
		note, err := production.CheckChange(cur.State, state, note)
		if err != nil {
			return nil, err
		}
		var sid int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO request_states (request_id, state, note, by_id, at_us) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
			requestID, string(state), note, by.ID, now.UnixMicro()).Scan(&sid); err != nil {
			return nil, fmt.Errorf("store: request %d state: %w", requestID, err)
		}
		out = cur
		out.State, out.Note, out.StateBy, out.StateAt = state, note, by.ID, now
		return (&change{action: "request.state", object: audit.Object("request", requestID), data: map[string]any{
			"request": requestID, "department": cur.Department, "from": cur.State, "state": state}}).bind("request_states", sid), nil
	})
	if err != nil {
		return production.Request{}, err
	}
	return out, nil
}

func requestByID(ctx context.Context, q querier, id int64) (production.Request, error) {
	rs, err := loadRequests(ctx, q, `r.id = $1`, id)
	if err != nil {
		return production.Request{}, err
	}
	if len(rs) == 0 {
		return production.Request{}, closedset.Errorf(closedset.NotFound, "request %d not found", id)
	}
	return rs[0], nil
}

// Request returns one request with its latest state.
func (s *SQL) Request(ctx context.Context, id int64) (production.Request, error) {
	return requestByID(ctx, s.rd(), id)
}

// SceneRequests returns the requests raised for the scene or a scene it
// was carried from, by due time.
func (s *SQL) SceneRequests(ctx context.Context, sceneID int64) ([]production.Request, error) {
	var out []production.Request
	err := s.readTx(ctx, func(tx *sql.Tx) error {
		ids, err := lineage(ctx, tx, sceneID)
		if err != nil {
			return err
		}
		in, args := inList(ids, 1)
		out, err = loadRequests(ctx, tx, `r.scene_id IN (`+in+`)`, args...)
		return err
	})
	return out, err
}

// ProductionRequests returns the production's requests, by due time.
func (s *SQL) ProductionRequests(ctx context.Context, productionID int64) ([]production.Request, error) {
	var out []production.Request
	err := s.readTx(ctx, func(tx *sql.Tx) error {
		if err := mustExist(ctx, tx, "productions", "production", productionID); err != nil {
			return err
		}
		var err error
		out, err = loadRequests(ctx, tx, `r.production_id = $1`, productionID)
		return err
	})
	return out, err
}

// RequestHistory returns every change of the request's state, oldest
// first (its raising, open, first).
func (s *SQL) RequestHistory(ctx context.Context, requestID int64) ([]production.RequestChange, error) {
	var out []production.RequestChange
	err := s.readTx(ctx, func(tx *sql.Tx) error {
		if err := mustExist(ctx, tx, "department_requests", "request", requestID); err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, `SELECT id, state, note, by_id, at_us FROM request_states WHERE request_id = $1 ORDER BY id`, requestID)
		if err != nil {
			return fmt.Errorf("store: history of request %d: %w", requestID, err)
		}
		defer rows.Close()
		for rows.Next() {
			c := production.RequestChange{RequestID: requestID}
			var state string
			var at int64
			if err := rows.Scan(&c.ID, &state, &c.Note, &c.By, &at); err != nil {
				return fmt.Errorf("store: history of request %d: %w", requestID, err)
			}
			c.State, c.At = production.RequestState(state), fromMicros(at)
			out = append(out, c)
		}
		return rows.Err()
	})
	return out, err
}

// errNoRows reports sql.ErrNoRows.
func errNoRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }
