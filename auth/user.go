package auth

import (
	"time"

	"closedset/audit"
)

// NewUser is a user to create. Email is compared case-insensitively and
// stored lower-cased.
type NewUser struct {
	Email        string
	Name         string
	PasswordHash string // auth.HashPassword
	Admin        bool
}

// User is a person who signs in.
type User struct {
	ID           int64
	Email        string
	Name         string
	PasswordHash string
	Admin        bool
	// Trainer is a trainer or mentor of the training pathway: they sign
	// off trainees' stages. The admin grants it.
	Trainer bool
	// Disabled users cannot sign in, and their sessions and API tokens
	// stop working at once; an admin enables them again.
	Disabled bool
	Created  time.Time
}

// Actor is the user as the audit chain names them.
func (u User) Actor() audit.Actor { return audit.Actor{ID: u.ID, Name: u.Name} }

// Principal is the user as the permission table sees them, outside any
// production.
func (u User) Principal() Principal { return Principal{Admin: u.Admin, Trainer: u.Trainer} }

// Session is one sign-in of the web app.
type Session struct {
	Hash    []byte // auth.NewSessionID's hash; the plaintext lives only in the cookie
	UserID  int64
	Created time.Time
	Expires time.Time
}

// TokenRecord is an API token to store: its hash, never its plaintext.
type TokenRecord struct {
	UserID int64
	Name   string // what the token is for, as its owner called it
	Hash   []byte // auth.NewToken's hash
	// Expires is when the token stops working; zero: never.
	Expires time.Time
}

// Token is a stored API token (never its plaintext).
type Token struct {
	ID      int64
	UserID  int64
	Name    string
	Created time.Time
	// Expires is when the token stops working; zero: never.
	Expires time.Time
	// LastUsed is when the token last proved a request, to within
	// TokenUseInterval; zero: never used.
	LastUsed time.Time
}

// TokenUseInterval is how stale a token's LastUsed may grow before a use
// records a new one: recording every request would make every API call a
// write.
const TokenUseInterval = 5 * time.Minute

// Expired reports whether the token no longer works at now.
func (t Token) Expired(now time.Time) bool { return !t.Expires.IsZero() && !now.Before(t.Expires) }
