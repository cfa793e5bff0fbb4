package auth

import (
	"closedset"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
)

// CSRF derives and checks the token every form of a session carries. The
// token is HMAC-SHA256 of the session id under a server key: nothing to
// store, different for every session, useless once the session ends, and
// impossible to compute without the key even for someone who knows the
// session id's hash.
type CSRF struct {
	key []byte
}

// csrfLabel separates this use of the key from any other.
const csrfLabel = "closedset-csrf-v1\x00"

// NewCSRF returns a CSRF helper keyed with key, at least 32 random bytes
// kept outside the database (with the other server keys).
func NewCSRF(key []byte) (*CSRF, error) {
	if len(key) < 32 {
		return nil, closedset.Errorf(closedset.Invalid, "CSRF key is %d bytes, want at least 32", len(key))
	}
	return &CSRF{key: append([]byte(nil), key...)}, nil
}

// Token returns the CSRF token of a session, for its forms and for the
// X-CSRF-Token header of its scripts.
func (c *CSRF) Token(sessionID string) string {
	return base64.RawURLEncoding.EncodeToString(c.mac(sessionID))
}

// Check reports, in constant time, whether token is the session's CSRF
// token. An empty session or token never checks.
func (c *CSRF) Check(sessionID, token string) bool {
	if sessionID == "" || token == "" {
		return false
	}
	got, err := base64.RawURLEncoding.Strict().DecodeString(token)
	if err != nil {
		return false
	}
	return hmac.Equal(got, c.mac(sessionID))
}

func (c *CSRF) mac(sessionID string) []byte {
	m := hmac.New(sha256.New, c.key)
	m.Write([]byte(csrfLabel))
	m.Write([]byte(sessionID))
	return m.Sum(nil)
}
