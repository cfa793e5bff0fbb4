// Package web is closedset's HTTP face: the JSON API under /api/v1 and the
// server-rendered pages, served by one Server over the operations (package
// ops). Handlers only decode, call an operation and encode; web imports no
// storage code.
//
// Its invariant: every route is registered through route(), which applies
// one middleware chain — logging, body limit, authentication, CSRF for
// cookie-authenticated writes, and authorization through auth.Can with the
// user's roles in the production the request concerns — so no handler can
// forget a check, and the authorization matrix test covers every route.
package web

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/netip"
	"strings"
	"time"

	"closedset/auth"
	"closedset/ops"
)

// Config is everything a Server needs, built by cmd from flags and the
// environment.
type Config struct {
	// Ops are the operations every handler calls, over the store cmd
	// chose; their clock and upload limit are the server's.
	Ops           *ops.Ops
	Logger        *slog.Logger // nil: discard
	CSRFKey       []byte       // at least 32 random bytes (auth.NewCSRF)
	SecureCookies bool         // Secure flag on cookies (set when served behind TLS)
	Rand          io.Reader    // nil: crypto/rand.Reader
	Limits        auth.Limits  // zero: auth.DefaultLimits
	// TrustedProxies are the reverse proxies (load balancers) whose
	// X-Forwarded-For is believed when limiting sign-in attempts per
	// client address; without them every user behind a proxy would share
	// one address and one limit. Empty: the connection's address counts.
	TrustedProxies []netip.Prefix
	// LiveInterval is how often the live-update watcher reads the store's
	// head while a page listens, when the store tells of no commit (not an
	// ops.Watcher); 0: DefaultLiveInterval.
	LiveInterval time.Duration
	// LiveFallback is how often it reads the head anyway when the store
	// tells of commits, for one that went untold; 0: DefaultLiveFallback.
	LiveFallback time.Duration
	// AnonymousRequests bounds the requests in flight per client address
	// from no one signed in; 0: DefaultAnonymousRequests.
	AnonymousRequests int
	// AnonymousTimeout is how long a request from no one signed in has to
	// send its body; 0: DefaultAnonymousTimeout.
	AnonymousTimeout time.Duration
}

// sessionLifetime is how long a sign-in lasts: a shoot day.
const sessionLifetime = 12 * time.Hour

// maxConcurrentLogins bounds the argon2 checks running at once: each takes
// 64 MiB and most of a core, so a burst of logins costs a known amount.
const maxConcurrentLogins = 4

// Server serves the API and the pages. It is safe for concurrent use.
type Server struct {
	ops  *ops.Ops
	log  *slog.Logger
	csrf *auth.CSRF
	// origins refuses unsafe requests a browser sends from another site
	// (Sec-Fetch-Site, Origin): besides the session's CSRF token, it
	// covers the forms that run before there is a session (sign-in).
	origins   *http.CrossOriginProtection
	limiter   *auth.Limiter
	secure    bool
	proxies   []netip.Prefix
	maxUpload int64
	now       func() time.Time
	rand      io.Reader
	logins    chan struct{} // semaphore of password checks
	mux       *http.ServeMux
	routes    []routeInfo
	live      *hub
	anonymous *anonymous
	// sceneLists keeps the encoded scene lists (scenelist.go).
	sceneLists sceneLists
}

// New returns a Server over cfg.Store with every route registered.
func New(cfg Config) (*Server, error) {
	if cfg.Ops == nil {
		return nil, errors.New("web: no operations (Config.Ops)")
	}
	csrf, err := auth.NewCSRF(cfg.CSRFKey)
	if err != nil {
		return nil, fmt.Errorf("web: %w", err)
	}
	s := &Server{
		ops:       cfg.Ops,
		log:       cfg.Logger,
		csrf:      csrf,
		origins:   http.NewCrossOriginProtection(),
		limiter:   auth.NewLimiter(cfg.Limits),
		secure:    cfg.SecureCookies,
		proxies:   cfg.TrustedProxies,
		maxUpload: cfg.Ops.MaxUpload(),
		now:       cfg.Ops.Now,
		rand:      cfg.Rand,
		logins:    make(chan struct{}, maxConcurrentLogins),
		mux:       http.NewServeMux(),
		anonymous: newAnonymous(cfg.AnonymousRequests, cfg.AnonymousTimeout),
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.rand == nil {
		s.rand = rand.Reader
	}
	s.live = newHub(s.ops, s.ops.Watcher(), cfg.LiveInterval, cfg.LiveFallback, cfg.CSRFKey, func(msg string, args ...any) { s.log.Warn(msg, args...) })
	s.route("GET /healthz", public, nil, s.healthz)
	s.apiRoutes()
	// The pages live in their own files (pages*.go) and register
	// themselves through route() like the API.
	if p, ok := any(s).(interface{ pageRoutes() }); ok {
		p.pageRoutes()
	}
	return s, nil
}

// ServeHTTP sets the security headers every response carries and hands
// the request to its route. A request no route matches is answered here,
// in JSON under /api/.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("X-Frame-Options", "DENY")
	if err := s.origins.Check(r); err != nil {
		s.renderError(w, r, &request{}, errorf(codeForbidden, "cross-site request refused: %v", err))
		return
	}
	if handler, pattern := s.mux.Handler(r); pattern == "" {
		s.unrouted(w, r, handler)
		return
	}
	s.mux.ServeHTTP(w, r)
}

// unrouted answers a request that no route matches with the status the
// mux chose (404 or 405): a JSON error under /api/, else the error page,
// styled like the app, with a way home.
func (s *Server) unrouted(w http.ResponseWriter, r *http.Request, mux http.Handler) {
	probe := &statusProbe{header: http.Header{}}
	mux.ServeHTTP(probe, r)
	allowed := probe.status == http.StatusMethodNotAllowed
	if allowed {
		w.Header().Set("Allow", probe.header.Get("Allow"))
	}
	if isAPIPath(r.URL.Path) {
		e := errorf(codeNotFound, "no such endpoint: %s %s", r.Method, r.URL.Path)
		if allowed {
			e = errorf(codeMethodNotAllowed, "%s is not allowed on %s (allowed: %s)", r.Method, r.URL.Path, probe.header.Get("Allow"))
		}
		writeJSONError(w, e, "")
		return
	}
	rq := &request{ID: s.requestID()}
	_ = s.authenticate(r, rq) // only to offer the signed-in their productions
	e := errorf(codeNotFound, "There is no page at this address. It may have moved, or the link may be mistyped.")
	if allowed {
		e = errorf(codeMethodNotAllowed, "This page cannot be used that way (%s). Go back and use its links and buttons.", r.Method)
	}
	s.renderError(w, r, rq, e)
}

// statusProbe records the status a handler would answer, writing nothing.
type statusProbe struct {
	header http.Header
	status int
}

func (p *statusProbe) Header() http.Header         { return p.header }
func (p *statusProbe) Write(b []byte) (int, error) { return len(b), nil }
func (p *statusProbe) WriteHeader(code int)        { p.status = code }

// isAPIPath reports whether errors on path are answered in JSON rather
// than as a page.
func isAPIPath(path string) bool {
	return strings.HasPrefix(path, "/api/") || path == "/healthz"
}

// healthz answers load balancers: 200 when the store answers.
func (s *Server) healthz(w http.ResponseWriter, r *http.Request, rq *request) error {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if _, err := s.ops.CountUsers(ctx); err != nil {
		return &Error{Code: codeUnavailable, Message: "the store does not answer", Err: err}
	}
	return writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}
