package web

import (
	"mime"
	"net/http"
	"strconv"

	"closedset/auth"
)

// breakdownFDXRoutes registers Final Draft out (issue 17, item 2): a
// revision's intimacy breakdown as Final Draft tagging, for those who
// read every scene's flags.
func (s *Server) breakdownFDXRoutes() {
	s.route("GET /api/v1/revisions/{id}/breakdown.fdx", auth.SceneRead, s.revisionScope("id"), s.apiBreakdownFDX)
}

func (s *Server) apiBreakdownFDX(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, _ := pathID(r, "id") // checked by the scope
	data, name, err := s.ops.BreakdownFDX(r.Context(), rq.caller(), id)
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "application/xml; charset=utf-8")
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	h.Set("Content-Length", strconv.Itoa(len(data)))
	h.Set("Cache-Control", "private, no-store")
	w.WriteHeader(http.StatusOK)
	w.Write(data)
	return nil
}
