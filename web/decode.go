package web

import (
	"bytes"
	"closedset"
	"closedset/ops"
	"closedset/production"
	"context"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// performerIn is a performer to add (POST /api/v1/productions/{id}/performers).
type performerIn struct {
	Name           string   `json:"name"`
	Email          string   `json:"email"`
	DateOfBirth    string   `json:"date_of_birth"` // YYYY-MM-DD
	Characters     []string `json:"characters"`
	Phone          string   `json:"phone"`
	Representative string   `json:"representative"`
}

// callTimeLayouts are the forms of a call time without an offset, read in
// the production's zone: the API's and the pages' datetime-local input.
var callTimeLayouts = []string{"2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02 15:04:05", "2006-01-02 15:04"}

// parseCallTime reads a call time: RFC 3339, or a local date and time in
// tz (the production's zone).
func parseCallTime(v string, tz *time.Location) (time.Time, error) {
	v = strings.TrimSpace(v)
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t, nil
	}
	for _, l := range callTimeLayouts {
		if t, err := time.ParseInLocation(l, v, tz); err == nil {
			return t, nil
		}
	}
	return time.Time{}, closedset.Errorf(closedset.Invalid, "call_time %q is not a time like 2026-03-05T07:30:00+00:00 (RFC 3339), or 2026-03-05T07:30 in the production's time zone", clipText(v, 60))
}

// clipText shortens what a client sent before it is quoted in an error.
func clipText(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

// renderDoc writes a document as PDF or HTML into a buffer first, so that
// a failure is answered as an error, not a cut document.
func renderDoc(w http.ResponseWriter, ext, filename string, render func(*bytes.Buffer) error) error {
	var b bytes.Buffer
	if err := render(&b); err != nil {
		return err
	}
	h := w.Header()
	switch ext {
	case "pdf":
		h.Set("Content-Type", "application/pdf")
		h.Set("Content-Disposition", `inline; filename="`+filename+`.pdf"`)
	case "html":
		h.Set("Content-Type", "text/html; charset=utf-8")
		// The document is self-contained with its styles inline and no
		// scripts: allow exactly that.
		h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'")
	}
	h.Set("Content-Length", strconv.Itoa(b.Len()))
	h.Set("Cache-Control", "private, no-store")
	w.WriteHeader(http.StatusOK)
	w.Write(b.Bytes())
	return nil
}

// caller is the request's user as the operations see them.
func (rq *request) caller() ops.Caller {
	return ops.Caller{User: rq.User, ProductionID: rq.ProductionID, Roles: rq.Roles}
}

// readBody reads a request body of at most max bytes: an upload over it
// is too_large.
func readBody(body io.Reader, max int64, what string) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(body, max+1))
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig) || int64(len(data)) > max:
		return nil, errorf(codeTooLarge, "%s is over the %d-byte upload limit", what, max)
	case err != nil:
		return nil, errorf(codeBadRequest, "reading the upload: %v", err)
	}
	return data, nil
}

// record is the performer to add, its date of birth read.
func (in performerIn) record() (production.NewPerformer, error) {
	dob, err := production.ParseDate(strings.TrimSpace(in.DateOfBirth))
	if err != nil {
		return production.NewPerformer{}, closedset.FieldErrorf(closedset.Invalid, "date_of_birth", "%s", err)
	}
	return production.NewPerformer{Name: in.Name, Email: in.Email, Phone: in.Phone, DateOfBirth: dob,
		Characters: in.Characters, Representative: in.Representative}, nil
}

// createPerformer adds the performer a request describes.
func (s *Server) createPerformer(ctx context.Context, rq *request, in performerIn) (production.Performer, error) {
	np, err := in.record()
	if err != nil {
		return production.Performer{}, err
	}
	return s.ops.CreatePerformer(ctx, rq.caller(), np)
}
