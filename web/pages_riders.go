package web

import (
	"net/http"
	"strconv"
	"time"

	"closedset/ops"
	"closedset/production"
)

// The riders board: every performer of a production, their riders
// (delivered, signed, superseded) and what awaits whom, for the people who
// issue riders.

// ridersPage is the riders board as the page shows it.
type ridersPage struct {
	Production production.Production
	Zone       *time.Location
	Board      ops.RiderBoard
	Issued     int64 // the rider just issued (or found already delivered), 0 if none
	Again      bool  // Issued was already delivered for these plans: nothing new was issued
}

func (s *Server) pageRiders(w http.ResponseWriter, r *http.Request, rq *request) error {
	ctx := r.Context()
	p, err := s.ops.Production(ctx, rq.ProductionID)
	if err != nil {
		return err
	}
	b, err := s.ops.RiderBoard(ctx, rq.caller())
	if err != nil {
		return err
	}
	page := ridersPage{Production: p, Zone: loadZone(p.TimeZone), Board: b}
	q := r.URL.Query()
	if id, err := strconv.ParseInt(q.Get("issued"), 10, 64); err == nil && id > 0 {
		page.Issued, page.Again = id, q.Get("again") != ""
	}
	return renderPage(w, http.StatusOK, "riders", s.view(rq, "Riders · "+p.Title, page))
}

// riderBoardOut is the riders board as the API answers it.
type riderBoardOut struct {
	Performers []riderLineOut `json:"performers"`
}

type riderLineOut struct {
	PerformerID int64            `json:"performer_id"`
	Name        string           `json:"name"`
	Awaiting    ops.Awaiting     `json:"awaiting"`
	Scenes      []string         `json:"scenes"`
	Summary     string           `json:"summary"`
	Riders      []riderStatusOut `json:"riders"`
}

type riderStatusOut struct {
	riderOut
	Number  string         `json:"number"`
	Version int            `json:"version"`
	State   ops.RiderState `json:"state"`
}

func riderBoardJSON(b ops.RiderBoard) riderBoardOut {
	out := riderBoardOut{Performers: make([]riderLineOut, len(b.Performers))}
	for i, l := range b.Performers {
		lo := riderLineOut{PerformerID: l.Performer.ID, Name: l.Performer.Name, Awaiting: l.Awaiting, Scenes: nonNil(l.Scenes),
			Summary: l.Summary(), Riders: make([]riderStatusOut, len(l.Riders))}
		for j, st := range l.Riders {
			lo.Riders[j] = riderStatusOut{riderOut: riderJSON(st.Rider, nil), Number: st.Number, Version: st.Version, State: st.State}
		}
		out.Performers[i] = lo
	}
	return out
}

func (s *Server) apiRiderBoard(w http.ResponseWriter, r *http.Request, rq *request) error {
	b, err := s.ops.RiderBoard(r.Context(), rq.caller())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, riderBoardJSON(b))
}
