package web

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"closedset/auth"
	"closedset/ops"
	"closedset/production"
)

// scheduleRoutes registers scheduling out and in (issue 17, item 3): the
// breakdown sheet of the intimate scenes as CSV, and a shooting schedule
// (scene number, date, call time) read into shoot days and call times,
// by the API (the form on the shoot days page: schedulePageRoutes).
func (s *Server) scheduleRoutes() {
	const v1 = "/api/v1"
	s.route("GET "+v1+"/productions/{id}/schedule.csv", auth.ReadinessRead, s.productionScope("id"), s.apiScheduleCSV)
	s.route("POST "+v1+"/productions/{id}/schedule", auth.ScheduleWrite, s.productionScope("id"), s.apiImportSchedule)
}

// schedulePageRoutes registers the shoot days page's schedule form.
func (s *Server) schedulePageRoutes() {
	s.route("POST /productions/{id}/schedule", auth.ScheduleWrite, s.productionScope("id"), s.pageImportSchedule)
}

// sheetHeader is the breakdown sheet's columns, in the order scheduling
// tools (Movie Magic Scheduling, StudioBinder) import a breakdown: the
// day, the scene's slugline cut into its parts, its length, its cast and
// its elements (here the intimacy categories), then readiness.
var sheetHeader = []string{"Shoot Day", "Date", "Call", "Scene", "Int/Ext", "Set", "Day/Night", "Pages", "Eighths", "Cast", "Intimacy", "Ready", "Blocked By"}

func (s *Server) apiScheduleCSV(w http.ResponseWriter, r *http.Request, rq *request) error {
	rows, tz, err := s.ops.ScheduleSheet(r.Context(), rq.caller())
	if err != nil {
		return err
	}
	var b bytes.Buffer
	cw := csv.NewWriter(&b)
	cw.UseCRLF = true // RFC 4180, as spreadsheets write it
	cw.Write(sheetHeader)
	days := map[production.Date]int{}
	for _, row := range rows {
		if err := cw.Write(sheetRecord(row, tz, days)); err != nil {
			return err
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "text/csv; charset=utf-8")
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": fmt.Sprintf("production-%d-schedule.csv", rq.ProductionID)}))
	h.Set("Cache-Control", "no-store")
	_, err = w.Write(b.Bytes())
	return err
}

// sheetRecord is one row of the sheet; days numbers the shoot days in
// the order they come (the sheet is by date).
func sheetRecord(row ops.SheetRow, tz *time.Location, days map[production.Date]int) []string {
	var day, date, call string
	if !row.Day.IsZero() {
		if days[row.Day] == 0 {
			days[row.Day] = len(days) + 1
		}
		day, date = strconv.Itoa(days[row.Day]), row.Day.String()
	}
	if row.CallTime != nil {
		call = row.CallTime.In(tz).Format("2006-01-02 15:04")
	}
	ie, set, dn := slugParts(row.Scene.Heading)
	ready := "ready"
	var gates []string
	if !row.Readiness.Ready {
		ready = "not ready"
		for _, b := range row.Readiness.Blockers {
			if !containsString(gates, b.Gate) {
				gates = append(gates, b.Gate)
			}
		}
	}
	pages := ""
	if row.Scene.Eighths > 0 {
		pages = pagesLabel(row.Scene.Eighths)
	}
	rec := []string{day, date, call, row.Scene.Number, ie, set, dn, pages, strconv.Itoa(row.Scene.Eighths),
		strings.Join(row.Performers, "; "), strings.Join(row.Scene.Flagged(), "; "), ready, strings.Join(gates, "; ")}
	for i := range rec {
		rec[i] = cellSafe(rec[i])
	}
	return rec
}

func containsString(list []string, s string) bool {
	for _, l := range list {
		if l == s {
			return true
		}
	}
	return false
}

// pagesLabel is a length in eighths as a breakdown sheet writes it:
// "1 3/8", "6/8", "2".
func pagesLabel(n int) string {
	switch {
	case n < 8:
		return fmt.Sprintf("%d/8", n)
	case n%8 == 0:
		return strconv.Itoa(n / 8)
	}
	return fmt.Sprintf("%d %d/8", n/8, n%8)
}

// slugParts cuts a scene heading into its interior or exterior, its set
// and its time of day: "INT. BEDROOM - NIGHT" is INT, BEDROOM, NIGHT. A
// heading that is no slugline is all set.
func slugParts(heading string) (intExt, set, dayNight string) {
	h := strings.TrimSpace(heading)
	for _, p := range []string{"INT./EXT.", "EXT./INT.", "INT/EXT", "I/E", "INT.", "EXT.", "INT ", "EXT "} {
		if len(h) >= len(p) && strings.EqualFold(h[:len(p)], p) {
			intExt = strings.TrimRight(strings.ToUpper(p), ". ")
			h = strings.TrimSpace(h[len(p):])
			break
		}
	}
	if i := strings.LastIndex(h, " - "); i >= 0 {
		h, dayNight = strings.TrimSpace(h[:i]), strings.TrimSpace(h[i+3:])
	}
	return intExt, h, dayNight
}

// cellSafe keeps a cell from being read as a formula by a spreadsheet
// (CSV injection): one that starts like a formula gets a leading quote.
func cellSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// apiImportSchedule reads a schedule CSV body and applies it: 200 with
// what changed, or 400 naming every bad row with nothing written.
func (s *Server) apiImportSchedule(w http.ResponseWriter, r *http.Request, rq *request) error {
	data, err := readBody(r.Body, smallBody, "the schedule")
	if err != nil {
		return err
	}
	res, err := s.importSchedule(r, rq, data)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, res)
}

func (s *Server) importSchedule(r *http.Request, rq *request, data []byte) (ops.ScheduleImport, error) {
	rows, err := production.ParseSchedule(data)
	if err != nil {
		return ops.ScheduleImport{}, err
	}
	return s.ops.ImportSchedule(r.Context(), rq.caller(), rows)
}

// pageImportSchedule is the shoot days page's upload form: the file, or
// rows pasted into the text box.
func (s *Server) pageImportSchedule(w http.ResponseWriter, r *http.Request, rq *request) error {
	data := []byte(r.PostFormValue("csv"))
	f, _, err := r.FormFile("file")
	switch {
	case err == nil:
		defer f.Close()
		data, err = readBody(f, smallBody, "the schedule")
	case errors.Is(err, http.ErrMissingFile) || errors.Is(err, http.ErrNotMultipart):
		err = nil
	}
	if err == nil {
		_, err = s.importSchedule(r, rq, data)
	}
	if err == nil {
		return redirect(w, r, fmt.Sprintf("/productions/%d/shoot-days", rq.ProductionID))
	}
	return formError(err, func(status int, _ string) error {
		return s.renderShootDays(w, r, rq, status, "", nil, formErrorsOf(err, nil, formField{Input: "schedule-file"}))
	})
}
