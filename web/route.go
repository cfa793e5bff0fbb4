package web

import (
	"closedset"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"closedset/auth"
	"closedset/production"
)

// Access levels of a route besides the actions of auth: public routes need
// no one signed in; signedIn routes need someone, and nothing more.
const (
	public   auth.Action = ""
	signedIn auth.Action = "web.signed_in"
)

// handler serves one route once the middleware has let the request
// through. A returned error is answered by its code: JSON under /api/, an
// error page elsewhere. A handler that has written its answer returns nil.
type handler func(w http.ResponseWriter, r *http.Request, rq *request) error

// scopeFunc finds the production a request concerns, from its path (a
// production id, or the id of a revision, scene or flag, whose production
// it loads), and whether the target is the user's own record (Can's own).
// A missing resource is a not_found error. A nil scopeFunc means the route
// concerns no production; so does a production id of 0.
type scopeFunc func(r *http.Request, rq *request) (productionID int64, own bool, err error)

// request is what the middleware learnt about a request, for its handler.
type request struct {
	ID           string     // request id, in the log and in internal errors
	User         auth.User  // zero ID: no one signed in (public routes only)
	Roles        auth.Roles // in the scoped production; 0 if none or a stranger
	ProductionID int64      // 0 if unscoped
	Own          bool       // the scope's target is the user's own
	ViaSession   bool       // authenticated by cookie (CSRF applies), not a Bearer token
	session      string     // the session id from the cookie, for CSRF tokens
	done         func()     // nil, or frees what admit held for the request
	// scene is the scene sceneScope read to find the production, with
	// its flags, for the handler to use rather than read it again.
	scene *production.Scene
}

// release frees what admit held for the request (its place among the
// anonymous requests of its address).
func (rq *request) release() {
	if rq.done != nil {
		rq.done()
		rq.done = nil
	}
}

// Principal is the user as the permission table sees them in the scoped
// production.
func (rq *request) Principal() auth.Principal {
	return auth.Principal{Admin: rq.User.Admin, Trainer: rq.User.Trainer, Roles: rq.Roles}
}

// Can reports whether the user may do a in the scoped production (own
// taken from the scope): for handlers that show or hide parts of a page.
func (rq *request) Can(a auth.Action) bool {
	return auth.Can(rq.Principal(), a, rq.Own)
}

// routeInfo is one entry of the route table.
type routeInfo struct {
	Pattern string // as registered: "GET /api/v1/productions/{id}"
	Method  string
	Path    string
	Action  auth.Action // public, signedIn or an auth action
	Or      auth.Action // "" or a second action that admits too; the handler decides which the record allows
	Scope   scopeFunc
	Stream  bool // answers a stream that lasts until the client leaves (live events)
	// Body is the most the request body may hold, applied before anything
	// reads it: smallBody unless the route was registered for more.
	Body   int64
	Upload bool // carries a script, in a multipart form its handler streams
}

// API reports whether the route answers JSON.
func (ri routeInfo) API() bool { return isAPIPath(ri.Path) }

// Routes returns the route table, in registration order.
func (s *Server) Routes() []routeInfo { return append([]routeInfo(nil), s.routes...) }

// route registers h for pattern (a ServeMux pattern with its method) behind
// the one middleware chain: request id and logging, body limit,
// authentication, CSRF for cookie-authenticated unsafe methods, then
// authorization of action a in the production scope finds.
func (s *Server) route(pattern string, a auth.Action, scope scopeFunc, h handler) {
	s.routeOr(pattern, a, "", scope, h)
}

// routeOr registers a route like route, admitted when the user may do a
// or alt: its handler must then ask the table which of the two the record
// it acts on allows.
func (s *Server) routeOr(pattern string, a, alt auth.Action, scope scopeFunc, h handler) {
	method, path, ok := strings.Cut(pattern, " ")
	if !ok || method == "" || !strings.HasPrefix(path, "/") {
		panic("web: route pattern " + pattern + " needs a method and a path")
	}
	if a != public && a != signedIn && !knownAction(a) {
		panic("web: route " + pattern + " names unknown action " + string(a))
	}
	if alt != "" && (a == public || a == signedIn || !knownAction(alt)) {
		panic("web: route " + pattern + " names a second action " + string(alt) + " it cannot use")
	}
	ri := routeInfo{Pattern: pattern, Method: method, Path: path, Action: a, Or: alt, Scope: scope, Body: smallBody}
	i := len(s.routes)
	s.routes = append(s.routes, ri)
	// The entry is read when a request comes, so the helpers below may
	// amend it as they register.
	s.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		s.serve(w, r, s.routes[i], h)
	})
}

// streamRoute registers a route like route, marked as a stream for the
// tests that walk every route.
func (s *Server) streamRoute(pattern string, a auth.Action, scope scopeFunc, h handler) {
	s.route(pattern, a, scope, h)
	s.routes[len(s.routes)-1].Stream = true
}

// largeRoute registers a route like route whose body may hold up to
// largeBody bytes: a document of many lines (a plan, boundaries).
func (s *Server) largeRoute(pattern string, a auth.Action, scope scopeFunc, h handler) {
	s.route(pattern, a, scope, h)
	s.routes[len(s.routes)-1].Body = largeBody
}

// uploadRoute registers a route like route whose body carries a script:
// the upload limit and room for the form around it. Only these routes
// take a body that large.
func (s *Server) uploadRoute(pattern string, a auth.Action, scope scopeFunc, h handler) {
	s.route(pattern, a, scope, h)
	ri := &s.routes[len(s.routes)-1]
	ri.Body, ri.Upload = s.maxUpload+smallBody, true
}

func knownAction(a auth.Action) bool {
	for _, k := range auth.Actions() {
		if k == a {
			return true
		}
	}
	return false
}

// serve runs the middleware chain for one request of route ri.
func (s *Server) serve(w http.ResponseWriter, r *http.Request, ri routeInfo, h handler) {
	start := time.Now()
	rq := &request{ID: s.requestID()}
	lw := &logWriter{ResponseWriter: w}
	defer func() {
		s.log.LogAttrs(r.Context(), slog.LevelInfo, "request",
			slog.String("request_id", rq.ID),
			slog.String("method", r.Method),
			slog.String("route", ri.Path),
			slog.Int("status", lw.statusOr200()),
			slog.Duration("duration", time.Since(start)),
			slog.Int64("user", rq.User.ID))
	}()
	defer rq.release()
	if err := s.admit(lw, r, ri, rq); err != nil {
		s.refuse(lw, r, rq, err)
		return
	}
	if err := h(lw, r, rq); err != nil {
		if lw.status != 0 {
			// The answer has begun: too late to replace it.
			s.log.ErrorContext(r.Context(), "request failed after answering", "request_id", rq.ID, "err", err)
			return
		}
		s.renderError(lw, r, rq, err)
	}
}

// admit authenticates and authorizes a request. It returns nil to let it
// through, or the error to answer.
func (s *Server) admit(w http.ResponseWriter, r *http.Request, ri routeInfo, rq *request) error {
	// The body's bound comes first: nothing below may read more.
	if r.ContentLength > ri.Body {
		return errorf(codeTooLarge, "request body is %d bytes, over the %d-byte limit", r.ContentLength, ri.Body)
	}
	r.Body = http.MaxBytesReader(w, r.Body, ri.Body)

	authErr := s.authenticate(r, rq)
	if authErr != nil {
		// No one proven: the client gets a few concurrent requests and a
		// few seconds to send its body, so strangers cannot hold memory
		// or connections (a trickled body is cut off).
		_ = http.NewResponseController(w).SetReadDeadline(time.Now().Add(s.anonymous.timeout))
		release, ok := s.anonymous.acquire(s.clientAddr(r))
		if !ok {
			return errorf(codeRateLimited, "too many requests at once from your address without signing in (%d); wait for them to finish", s.anonymous.max)
		}
		rq.done = release
	}
	if ri.Action == public {
		// Public routes act on no one's authority: no CSRF. Their form
		// is read here, so a body over the bound is a 413, not a form
		// with its fields missing.
		return parseForm(r, ri)
	}
	if authErr != nil {
		return authErr
	}
	if err := parseForm(r, ri); err != nil {
		return err
	}
	if rq.ViaSession && !safeMethod(r.Method) && !s.csrf.Check(rq.session, csrfFrom(r)) {
		return errorf(codeForbidden, "missing or invalid CSRF token (form field csrf or header X-CSRF-Token)")
	}
	if ri.Scope != nil {
		pid, own, err := ri.Scope(r, rq)
		if err != nil {
			return err
		}
		rq.ProductionID, rq.Own = pid, own
		if pid != 0 {
			if rq.Roles, err = s.ops.Roles(r.Context(), pid, rq.User.ID); err != nil {
				return err
			}
		}
	}
	if ri.Action == signedIn || ri.admits(rq.Principal(), rq.Own) {
		return nil
	}
	if rq.ProductionID != 0 && rq.Roles == 0 {
		// A stranger learns nothing, not even that the production exists.
		return errorf(codeNotFound, "not found")
	}
	denied := string(ri.Action)
	if ri.Or != "" {
		denied += " or " + string(ri.Or)
	}
	return errorf(codeForbidden, "%s is not allowed for %s", denied, describeRoles(rq))
}

// parseForm reads the form of an unsafe request of route ri, within the
// route's body bound: an error (too_large past it) is answered, where a
// handler reading r.PostFormValue would see the fields missing. Upload
// routes read their multipart form themselves, as it streams.
func parseForm(r *http.Request, ri routeInfo) error {
	if safeMethod(r.Method) || ri.Upload {
		return nil
	}
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	var err error
	switch mt {
	case "application/x-www-form-urlencoded":
		err = r.ParseForm()
	case "multipart/form-data":
		err = r.ParseMultipartForm(ri.Body)
	default:
		return nil
	}
	if err == nil {
		return nil
	}
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return asError(err)
	}
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return &Error{Code: codeBadRequest, Message: "the form cannot be read: " + err.Error(), Err: err}
}

// admits reports whether the table lets p through the route: its action,
// or its second one.
func (ri routeInfo) admits(p auth.Principal, own bool) bool {
	return auth.Can(p, ri.Action, own) || ri.Or != "" && auth.Can(p, ri.Or, own)
}

func describeRoles(rq *request) string {
	if rq.Roles != 0 {
		return "roles " + rq.Roles.String()
	}
	return "you here"
}

// refuse answers a request the middleware turned away. A page asked for by
// someone not signed in is a redirect to the sign-in page.
func (s *Server) refuse(w http.ResponseWriter, r *http.Request, rq *request, err error) {
	if asError(err).Code == codeUnauthorized && !isAPIPath(r.URL.Path) {
		if r.Method == http.MethodGet || r.Method == http.MethodHead {
			next := "/signin"
			if p, ok := sitePath(r.URL.RequestURI()); ok {
				next += "?next=" + url.QueryEscape(p)
			}
			redirect(w, r, next)
		} else {
			redirect(w, r, "/signin")
		}
		return
	}
	s.renderError(w, r, rq, err)
}

func safeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}

// csrfFrom reads the CSRF token of a request: the X-CSRF-Token header, else
// the csrf field of a form body.
func csrfFrom(r *http.Request) string {
	if t := r.Header.Get("X-CSRF-Token"); t != "" {
		return t
	}
	ct := r.Header.Get("Content-Type")
	if strings.HasPrefix(ct, "application/x-www-form-urlencoded") || strings.HasPrefix(ct, "multipart/form-data") {
		return r.PostFormValue("csrf")
	}
	return ""
}

// requestID is 8 random bytes in hex: enough to find a request in the log.
func (s *Server) requestID() string {
	b := make([]byte, 8)
	if _, err := io.ReadFull(s.rand, b); err != nil {
		rand.Read(b)
	}
	return hex.EncodeToString(b)
}

// logWriter remembers the status of the answer, for the log and to know
// whether an answer has begun.
type logWriter struct {
	http.ResponseWriter
	status int
}

func (w *logWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *logWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func (w *logWriter) statusOr200() int {
	if w.status == 0 {
		return http.StatusOK
	}
	return w.status
}

// Unwrap lets http.ResponseController reach the connection (flushing
// for live events).
func (w *logWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// pathID reads the path parameter name as a positive id: a malformed id
// is a not_found, since no resource has it.
func pathID(r *http.Request, name string) (int64, error) {
	v := r.PathValue(name)
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id <= 0 {
		return 0, errorf(codeNotFound, "%q is not an id", v)
	}
	return id, nil
}

// The scope funcs: each reads one path parameter and finds the production.

// productionScope: the parameter is a production id.
func (s *Server) productionScope(param string) scopeFunc {
	return func(r *http.Request, rq *request) (int64, bool, error) {
		id, err := pathID(r, param)
		return id, false, err
	}
}

// revisionScope: the parameter is a revision id.
func (s *Server) revisionScope(param string) scopeFunc {
	return s.loadScope(param, func(ctx context.Context, id int64) (int64, error) {
		rev, err := s.ops.Revision(ctx, id)
		return rev.ProductionID, err
	})
}

// sceneScope: the parameter is a scene id; own when the user's performer
// record in its production plays one of its characters.
func (s *Server) sceneScope(param string) scopeFunc {
	return func(r *http.Request, rq *request) (int64, bool, error) {
		id, err := pathID(r, param)
		if err != nil {
			return 0, false, err
		}
		sc, err := s.ops.Scene(r.Context(), id)
		if closedset.Is(err, closedset.NotFound) {
			return 0, false, errorf(codeNotFound, "not found")
		} else if err != nil {
			return 0, false, err
		}
		rq.scene = &sc
		p, err := s.ops.PerformerByUser(r.Context(), sc.ProductionID, rq.User.ID)
		if closedset.Is(err, closedset.NotFound) {
			return sc.ProductionID, false, nil
		} else if err != nil {
			return 0, false, err
		}
		in, err := s.ops.InScene(r.Context(), p, sc)
		return sc.ProductionID, in, err
	}
}

// scopedScene is the scene of a route under sceneScope, as the scope read
// it for this request.
func (s *Server) scopedScene(r *http.Request, rq *request) (production.Scene, error) {
	if rq.scene != nil {
		return *rq.scene, nil
	}
	id, err := pathID(r, "id")
	if err != nil {
		return production.Scene{}, err
	}
	return s.ops.Scene(r.Context(), id)
}

// flagScope: the parameter is a flag id; its production is its scene's.
func (s *Server) flagScope(param string) scopeFunc {
	return s.loadScope(param, func(ctx context.Context, id int64) (int64, error) {
		f, err := s.ops.Flag(ctx, id)
		if err != nil {
			return 0, err
		}
		sc, err := s.ops.Scene(ctx, f.SceneID)
		return sc.ProductionID, err
	})
}

// selfScope: the route acts on the user's own records only (their tokens):
// no production, and own is true.
func (s *Server) selfScope() scopeFunc {
	return func(r *http.Request, rq *request) (int64, bool, error) { return 0, true, nil }
}

func (s *Server) loadScope(param string, find func(ctx context.Context, id int64) (int64, error)) scopeFunc {
	return func(r *http.Request, rq *request) (int64, bool, error) {
		id, err := pathID(r, param)
		if err != nil {
			return 0, false, err
		}
		pid, err := find(r.Context(), id)
		if closedset.Is(err, closedset.NotFound) {
			return 0, false, errorf(codeNotFound, "not found")
		}
		return pid, false, err
	}
}
