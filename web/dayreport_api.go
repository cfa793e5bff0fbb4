package web

import (
	"bytes"
	"closedset"
	"net/http"
	"strconv"
	"time"

	"closedset/auth"
	"closedset/docs"
	"closedset/shoot"
)

// dayReportAPIRoutes registers the end-of-day report of a shoot day
// (issue 13, item 7): read as JSON, HTML or PDF by the production team,
// signed off by an IC; a correction is a new signed version.
func (s *Server) dayReportAPIRoutes() {
	const v1 = "/api/v1"
	s.route("GET "+v1+"/shoot-days/{id}/report", auth.ReportRead, s.dayScope("id"), s.apiDayReport(""))
	s.route("GET "+v1+"/shoot-days/{id}/report.pdf", auth.ReportRead, s.dayScope("id"), s.apiDayReport("pdf"))
	s.route("GET "+v1+"/shoot-days/{id}/report.html", auth.ReportRead, s.dayScope("id"), s.apiDayReport("html"))
	s.route("POST "+v1+"/shoot-days/{id}/report/sign", auth.ReportSign, s.dayScope("id"), s.apiSignDayReport)
}

// reportVersion reads ?version=N: a signed version; 0 (none) is the
// report as it stands now.
func reportVersion(r *http.Request) (int, error) {
	v := r.URL.Query().Get("version")
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		return 0, closedset.FieldErrorf(closedset.Invalid, "version", "%q is not a signed version (1, 2, ...)", clipText(v, 20))
	}
	return n, nil
}

// signedOut is a signed version of a report, without its content.
type signedOut struct {
	Version  int       `json:"version"`
	Hash     string    `json:"hash"`
	SignedBy int64     `json:"signed_by"`
	Name     string    `json:"signed_by_name"`
	At       time.Time `json:"signed_at"`
}

func signedJSON(v shoot.SignedReport) signedOut {
	return signedOut{Version: v.Version, Hash: v.Hash, SignedBy: v.SignedBy, Name: v.SignerName, At: v.SignedAt}
}

// dayReportOut is the report with what identifies it: its hash (to name
// when signing), its sign-off when this content is a signed version's,
// and every signed version.
type dayReportOut struct {
	ShootDayID int64 `json:"shoot_day_id"`
	shoot.DayReport
	Hash     string      `json:"hash"`
	Signoff  *signedOut  `json:"signoff"`
	Versions []signedOut `json:"versions"`
}

func (s *Server) apiDayReport(ext string) handler {
	return func(w http.ResponseWriter, r *http.Request, rq *request) error {
		id, _ := pathID(r, "id")
		ctx := r.Context()
		version, err := reportVersion(r)
		if err != nil {
			return err
		}
		d, versions, err := s.ops.EndOfDay(ctx, rq.caller(), id, version)
		if err != nil {
			return err
		}
		switch ext {
		case "":
			out := dayReportOut{ShootDayID: id, DayReport: d.Report, Hash: d.Report.Hash(), Versions: []signedOut{}}
			for _, v := range versions {
				out.Versions = append(out.Versions, signedJSON(v))
				if d.Signoff != nil && v.Version == d.Signoff.Version {
					so := signedJSON(v)
					out.Signoff = &so
				}
			}
			return writeJSON(w, http.StatusOK, out)
		case "pdf":
			paper, err := s.paper(ctx, rq.ProductionID)
			if err != nil {
				return err
			}
			return renderDoc(w, ext, reportFilename(d), func(b *bytes.Buffer) error { return docs.RenderDayReportPDF(b, d, paper) })
		}
		return renderDoc(w, ext, reportFilename(d), func(b *bytes.Buffer) error { return docs.RenderDayReportHTML(b, d) })
	}
}

func reportFilename(d docs.EndOfDay) string {
	name := "end-of-day-" + d.Report.Date.String()
	if d.Signoff != nil {
		name += "-v" + strconv.Itoa(d.Signoff.Version)
	}
	return name
}

// reportSignIn is POST /shoot-days/{id}/report/sign: optionally, the hash of
// the report the signer read.
type reportSignIn struct {
	Hash string `json:"hash"`
}

func (s *Server) apiSignDayReport(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, _ := pathID(r, "id")
	var in reportSignIn
	// The body is optional: without one the report as it stands is
	// signed.
	if err := decodeOptionalJSON(r, &in); err != nil {
		return err
	}
	v, created, err := s.ops.SignDayReport(r.Context(), rq.caller(), id, in.Hash)
	if err != nil {
		return err
	}
	status := http.StatusOK
	if created {
		status = http.StatusCreated
	}
	w.Header().Set("Location", "/api/v1/shoot-days/"+strconv.FormatInt(id, 10)+"/report?version="+strconv.Itoa(v.Version))
	return writeJSON(w, status, struct {
		signedOut
		Created bool `json:"created"`
	}{signedJSON(v), created})
}
