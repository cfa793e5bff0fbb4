package web

import (
	"context"
	"net/http"

	"closedset/auth"
	"closedset/store"
)

// The scopes of the consent routes: each finds the production of the
// record in the path and whether it is the signed-in user's own (their
// performer record, their rider, a scene they are cast in).

// safeguardAction names a scene's guardians and studio teacher: the
// production's safety, the IC's to record.
const safeguardAction = auth.PlanWrite

// reconfirmAction re-confirms a consent on the rider already signed:
// like signing, only the performer does it for themself.
const reconfirmAction = auth.RiderSign

// performerScope: the parameter is a performer id; own when the
// performer record is the user's.
func (s *Server) performerScope(param string) scopeFunc {
	return s.ownScope(param, func(ctx context.Context, id int64) (store.Performer, error) {
		return s.store.Performer(ctx, id)
	})
}

// riderScope: the parameter is a rider id; own when the rider is the
// user's.
func (s *Server) riderScope(param string) scopeFunc {
	return s.ownScope(param, func(ctx context.Context, id int64) (store.Performer, error) {
		rd, err := s.store.Rider(ctx, id)
		if err != nil {
			return store.Performer{}, err
		}
		return s.store.Performer(ctx, rd.PerformerID)
	})
}

// ownScope finds the performer a record in the path belongs to.
func (s *Server) ownScope(param string, find func(ctx context.Context, id int64) (store.Performer, error)) scopeFunc {
	return func(r *http.Request, rq *request) (int64, bool, error) {
		id, err := pathID(r, param)
		if err != nil {
			return 0, false, err
		}
		p, err := find(r.Context(), id)
		if store.KindOf(err) == store.NotFound {
			return 0, false, errorf(codeNotFound, "not found")
		}
		if err != nil {
			return 0, false, err
		}
		return p.ProductionID, p.UserID != 0 && p.UserID == rq.User.ID, nil
	}
}

// castScope: the parameter is a scene id; own when the user plays a
// character in it.
func (s *Server) castScope(param string) scopeFunc {
	return func(r *http.Request, rq *request) (int64, bool, error) {
		pid, _, err := s.sceneScope(param)(r, rq)
		if err != nil || rq.User.ID == 0 {
			return pid, false, err
		}
		id, _ := pathID(r, param)
		sc, err := s.store.Scene(r.Context(), id)
		if err != nil {
			return 0, false, err
		}
		p, err := s.store.PerformerByUser(r.Context(), pid, rq.User.ID)
		if store.KindOf(err) == store.NotFound {
			return pid, false, nil
		}
		if err != nil {
			return 0, false, err
		}
		return pid, plays(p, sc), nil
	}
}
