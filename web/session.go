package web

import (
	"closedset"
	"context"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"time"

	"closedset/auth"
)

// cookieName is the session cookie's name. Behind TLS it takes the
// __Host- prefix, which browsers accept only from a secure origin, for the
// whole host: no subdomain can plant or shadow it.
func (s *Server) cookieName() string {
	if s.secure {
		return "__Host-closedset_session"
	}
	return "closedset_session"
}

// maxEmail bounds an email address (RFC 5321's path limit).
const maxEmail = 254

// authenticate finds who sent r: an Authorization header must be a valid
// Bearer token (a bad one is refused, never ignored); otherwise a session
// cookie, if it names a live session. It fills rq.User and returns an
// unauthorized error when no one is proven.
func (s *Server) authenticate(r *http.Request, rq *request) error {
	ctx := r.Context()
	if h := r.Header.Get("Authorization"); h != "" {
		scheme, tok, _ := strings.Cut(h, " ")
		if !strings.EqualFold(scheme, "Bearer") {
			return errorf(codeUnauthorized, "Authorization must be \"Bearer TOKEN\"")
		}
		hash, err := auth.ParseToken(strings.TrimSpace(tok), auth.TokenPrefix)
		if err != nil {
			return err
		}
		u, err := s.ops.UseToken(ctx, hash)
		if closedset.Is(err, closedset.NotFound) {
			return errorf(codeUnauthorized, "unknown, revoked or expired API token")
		} else if err != nil {
			return err
		}
		rq.User = u
		return nil
	}
	c, err := r.Cookie(s.cookieName())
	if err != nil {
		return errorf(codeUnauthorized, "sign in first (session cookie or Bearer token)")
	}
	hash, err := auth.ParseToken(c.Value, auth.SessionPrefix)
	if err != nil {
		return errorf(codeUnauthorized, "your session is not valid; sign in again")
	}
	u, _, err := s.ops.SessionUser(ctx, hash, s.now())
	if closedset.Is(err, closedset.NotFound) {
		return errorf(codeUnauthorized, "your session has ended; sign in again")
	} else if err != nil {
		return err
	}
	rq.User, rq.ViaSession, rq.session = u, true, c.Value
	return nil
}

// csrfToken is the token the forms and scripts of rq's session send back
// (form field "csrf" or header X-CSRF-Token); "" without a session.
func (s *Server) csrfToken(rq *request) string {
	if rq.session == "" {
		return ""
	}
	return s.csrf.Token(rq.session)
}

// wrongLogin is the one answer to a wrong email or password: it does not
// say which was wrong.
var wrongLogin = errorf(codeUnauthorized, "wrong email or password")

// signIn checks email and password and starts a session: the attempt is
// counted against the account and the client address first (rate_limited
// once either has used its attempts); an unknown email costs the time of a
// password check. On success it stores the session and sets its cookie
// (HttpOnly, SameSite=Lax, Secure when configured).
func (s *Server) signIn(w http.ResponseWriter, r *http.Request, email, password string) (auth.User, error) {
	email = strings.TrimSpace(email)
	switch {
	case email == "" || len(email) > maxEmail:
		return auth.User{}, errorf(codeBadRequest, "email must be 1 to %d bytes", maxEmail)
	case password == "" || len(password) > auth.MaxPassword:
		return auth.User{}, errorf(codeBadRequest, "password must be 1 to %d bytes", auth.MaxPassword)
	}
	ctx := r.Context()
	addr := s.clientAddr(r)
	if err := s.limiter.Attempt(email, addr, s.now()); err != nil {
		return auth.User{}, err
	}
	u, err := s.ops.UserByEmail(ctx, email)
	if err != nil && !closedset.Is(err, closedset.NotFound) {
		return auth.User{}, err
	}
	ok, rehash, err := s.checkPassword(ctx, u, err == nil, password)
	if err != nil {
		return auth.User{}, err
	}
	if !ok {
		return auth.User{}, wrongLogin
	}
	s.limiter.Succeeded(email, addr)
	if rehash {
		// Stored hashes carry their parameters; a login with old ones
		// upgrades them. Failing to is no reason to refuse the login.
		if h, err := auth.HashPassword(password, s.rand); err == nil {
			if err := s.ops.RehashPassword(ctx, u, h); err != nil {
				s.log.WarnContext(ctx, "password rehash failed", "user", u.ID, "err", err)
			}
		}
	}
	id, hash, err := auth.NewSessionID(s.rand)
	if err != nil {
		return auth.User{}, err
	}
	now := s.now()
	sess := auth.Session{Hash: hash, UserID: u.ID, Created: now, Expires: now.Add(sessionLifetime)}
	if err := s.ops.StartSession(ctx, sess); err != nil {
		return auth.User{}, err
	}
	s.setSessionCookie(w, id, sess.Expires)
	return u, nil
}

// setSessionCookie gives the browser a session's id (HttpOnly,
// SameSite=Lax, Secure when configured).
func (s *Server) setSessionCookie(w http.ResponseWriter, id string, expires time.Time) {
	http.SetCookie(w, &http.Cookie{
		Name: s.cookieName(), Value: id, Path: "/", Expires: expires, MaxAge: int(sessionLifetime.Seconds()),
		HttpOnly: true, Secure: s.secure, SameSite: http.SameSiteLaxMode,
	})
}

// checkPassword runs the argon2 check (or its stand-in for an unknown
// user) under the login semaphore.
func (s *Server) checkPassword(ctx context.Context, u auth.User, found bool, password string) (ok, rehash bool, err error) {
	select {
	case s.logins <- struct{}{}:
		defer func() { <-s.logins }()
	case <-ctx.Done():
		return false, false, ctx.Err()
	}
	if !found {
		return auth.CheckNoUser(password), false, nil
	}
	ok, rehash, err = auth.CheckPassword(u.PasswordHash, password)
	if closedset.Is(err, closedset.Invalid) {
		// A stored hash that cannot be read is the server's problem,
		// not the user's input.
		return false, false, &Error{Code: codeInternal, Message: "internal error", Err: err}
	}
	return ok, rehash, err
}

// signOut ends the session of r's cookie, if any, and clears the cookie.
func (s *Server) signOut(w http.ResponseWriter, r *http.Request) error {
	http.SetCookie(w, &http.Cookie{
		Name: s.cookieName(), Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: s.secure, SameSite: http.SameSiteLaxMode,
	})
	c, err := r.Cookie(s.cookieName())
	if err != nil {
		return nil
	}
	hash, err := auth.ParseToken(c.Value, auth.SessionPrefix)
	if err != nil {
		return nil
	}
	if err := s.ops.EndSession(r.Context(), hash); err != nil {
		return err
	}
	return nil
}

// clientAddr is the address a request comes from: the connection's, or,
// when that is a trusted proxy, the nearest address in X-Forwarded-For
// that is not one (read from the right: the left end is whatever the
// client chose to write).
func (s *Server) clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	if !s.trusted(host) {
		return host
	}
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		hop := strings.TrimSpace(hops[i])
		if _, err := netip.ParseAddr(hop); err != nil {
			return host // a malformed chain: count the proxy, not a made-up client
		}
		if !s.trusted(hop) {
			return hop
		}
	}
	return host
}

func (s *Server) trusted(addr string) bool {
	a, err := netip.ParseAddr(addr)
	if err != nil {
		return false
	}
	a = a.Unmap()
	for _, p := range s.proxies {
		if p.Contains(a) {
			return true
		}
	}
	return false
}
