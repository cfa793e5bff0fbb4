package ops

import (
	"context"
	"fmt"
	"slices"
	"time"

	"closedset"
	"closedset/auth"
	"closedset/production"
)

// Department requests (issue 13, item 1): the IC raises a request to one
// department for one scene; that department's head (a member holding
// its role) moves it to in progress, done or can't do. A department head
// sees only their department's requests: every list here is filtered
// through auth.RequestRead, own when the request's department is one of
// the caller's roles.

// ownsRequest is the own argument of the request actions: the request is
// for a department the caller heads.
func (c Caller) ownsRequest(r production.Request) bool { return c.Roles.Has(r.Department) }

// CanSeeRequest reports whether the caller may read the request.
func (c Caller) CanSeeRequest(r production.Request) bool {
	return c.Can(auth.RequestRead, c.ownsRequest(r))
}

// CanAnswerRequest reports whether the caller may change the request's
// state: the IC, or the head of its department.
func (c Caller) CanAnswerRequest(r production.Request) bool {
	return c.Can(auth.RequestState, c.ownsRequest(r))
}

// RaiseRequest raises a request to a department for a scene of the
// caller's production. The due time must be before the scene's call time
// when one is set; the performer, when named, must be on the scene's
// cast. Read and written in one transaction, so a call time moved at the
// same moment is the one checked.
func (o *Ops) RaiseRequest(ctx context.Context, c Caller, nr production.NewRequest) (production.Request, error) {
	if err := c.check(auth.RequestCreate, false); err != nil {
		return production.Request{}, err
	}
	var out production.Request
	err := o.store.Tx(ctx, func(tx Store) error {
		in := o.in(tx)
		if _, err := in.SceneInProduction(ctx, c, nr.SceneID); err != nil {
			return err
		}
		at, ok, err := tx.CallTime(ctx, nr.SceneID)
		if err != nil {
			return err
		}
		var call *time.Time
		if ok {
			_, tz, err := in.ProductionZone(ctx, c.ProductionID)
			if err != nil {
				return err
			}
			at = at.In(tz) // the error names the call as the production reads it
			call = &at
		}
		checked, err := nr.Validate(call)
		if err != nil {
			return err
		}
		if nr.PerformerID != 0 {
			if err := in.requestPerformer(ctx, c, nr.SceneID, nr.PerformerID); err != nil {
				return err
			}
		}
		out, err = tx.CreateRequest(ctx, c.Actor(), c.ProductionID, checked)
		return err
	})
	return out, err
}

// requestPerformer checks that a request's performer is on the scene's
// cast: a garment by their size is for someone who is there.
func (o *Ops) requestPerformer(ctx context.Context, c Caller, sceneID, performerID int64) error {
	p, err := o.castPerformer(ctx, c, performerID)
	if closedset.Is(err, closedset.NotFound) {
		return closedset.FieldErrorf(closedset.Invalid, "performer_id", "%d is not a performer of this production", performerID)
	}
	if err != nil {
		return err
	}
	cast, err := o.store.ScenePerformers(ctx, sceneID)
	if err != nil {
		return err
	}
	if !slices.ContainsFunc(cast, func(q production.Performer) bool { return q.ID == p.ID }) {
		return closedset.FieldErrorf(closedset.Invalid, "performer_id", "%s is not in scene %d", p.Name, sceneID)
	}
	return nil
}

// RequestInProduction loads a request of the caller's production that
// the caller may read: another production's, or another department's
// for a department head, is not found.
func (o *Ops) RequestInProduction(ctx context.Context, c Caller, id int64) (production.Request, error) {
	r, err := o.store.Request(ctx, id)
	if closedset.Is(err, closedset.NotFound) || err == nil && (r.ProductionID != c.ProductionID || !c.CanSeeRequest(r)) {
		return production.Request{}, closedset.Errorf(closedset.NotFound, "no request %d in this production", id)
	}
	return r, err
}

// SetRequestState moves a request to in progress, done (with a note of
// what was done) or can't do (with why): the request's department, or an
// IC.
func (o *Ops) SetRequestState(ctx context.Context, c Caller, id int64, state production.RequestState, note string) (production.Request, error) {
	var out production.Request
	err := o.store.Tx(ctx, func(tx Store) error {
		r, err := o.in(tx).RequestInProduction(ctx, c, id)
		if err != nil {
			return err
		}
		if !c.CanAnswerRequest(r) {
			return closedset.Errorf(closedset.Forbidden, "only %s or an IC may answer %s", r.Department, r.Describe())
		}
		out, err = tx.SetRequestState(ctx, c.Actor(), id, state, note)
		return err
	})
	return out, err
}

// RequestsOfScene lists the scene's requests the caller may read.
func (o *Ops) RequestsOfScene(ctx context.Context, c Caller, sceneID int64) ([]production.Request, error) {
	if err := c.check(auth.RequestList, false); err != nil {
		return nil, err
	}
	if _, err := o.SceneInProduction(ctx, c, sceneID); err != nil {
		return nil, err
	}
	all, err := o.store.SceneRequests(ctx, sceneID)
	if err != nil {
		return nil, err
	}
	return visibleRequests(c, all), nil
}

// RequestsOfProduction lists the production's requests the caller may
// read: a department head's, their departments' only.
func (o *Ops) RequestsOfProduction(ctx context.Context, c Caller) ([]production.Request, error) {
	if err := c.check(auth.RequestList, false); err != nil {
		return nil, err
	}
	all, err := o.store.ProductionRequests(ctx, c.ProductionID)
	if err != nil {
		return nil, err
	}
	return visibleRequests(c, all), nil
}

func visibleRequests(c Caller, all []production.Request) []production.Request {
	out := []production.Request{}
	for _, r := range all {
		if c.CanSeeRequest(r) {
			out = append(out, r)
		}
	}
	return out
}

// RequestWithHistory is the request's changes, for a caller who may read it.
func (o *Ops) RequestWithHistory(ctx context.Context, c Caller, id int64) (production.Request, []production.RequestChange, error) {
	r, err := o.RequestInProduction(ctx, c, id)
	if err != nil {
		return production.Request{}, nil, err
	}
	h, err := o.store.RequestHistory(ctx, id)
	if err != nil {
		return production.Request{}, nil, fmt.Errorf("history of request %d: %w", id, err)
	}
	return r, h, nil
}
