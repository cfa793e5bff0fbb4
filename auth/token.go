package auth

import (
	"closedset"
	"crypto/sha256"
	"encoding/base32"
	"encoding/base64"
	"fmt"
	"io"
	"strings"
)

// The prefixes of secrets: they make a leaked token recognisable to people
// and to secret scanners, and tell a token from a session id at a glance.
const (
	TokenPrefix      = "cs_"  // API tokens
	SessionPrefix    = "css_" // session ids, in the session cookie
	InvitationPrefix = "csi_" // one-time invitation links
	CalendarPrefix   = "csc_" // the secret URLs of calendar feeds
)

// secretBytes is the randomness of a token or session id: 256 bits.
const secretBytes = 32

// secretLen is the length of a secret after its prefix: unpadded base64url
// of secretBytes.
var secretLen = base64.RawURLEncoding.EncodedLen(secretBytes)

// NewToken makes an API token: "cs_" and 32 random bytes from rand in
// unpadded base64url. The plaintext is shown to its owner once; only the
// hash is stored.
//
// The hash is a plain SHA-256, not argon2: a token has 256 bits of
// randomness, so no guessing is feasible however fast the hash, and a
// unique random value needs no salt. A slow hash would only slow down
// every API request. A stolen database then holds nothing that can be
// presented as a token.
func NewToken(rand io.Reader) (plaintext string, hash []byte, err error) {
	return newSecret(rand, TokenPrefix)
}

// NewSessionID makes a session id the same way, prefixed "css_". The
// session cookie carries the plaintext; the store keeps HashToken of it.
func NewSessionID(rand io.Reader) (plaintext string, hash []byte, err error) {
	return newSecret(rand, SessionPrefix)
}

// NewInvitationToken makes the secret of a one-time invitation link,
// prefixed "csi_": the link carries the plaintext, the store its hash.
func NewInvitationToken(rand io.Reader) (plaintext string, hash []byte, err error) {
	return newSecret(rand, InvitationPrefix)
}

// NewCalendarToken makes the secret of a calendar feed's URL, prefixed
// "csc_": the URL carries the plaintext, the store its hash. A calendar
// application cannot send a header, so the URL is the credential.
func NewCalendarToken(rand io.Reader) (plaintext string, hash []byte, err error) {
	return newSecret(rand, CalendarPrefix)
}

func newSecret(rand io.Reader, prefix string) (string, []byte, error) {
	b := make([]byte, secretBytes)
	if _, err := io.ReadFull(rand, b); err != nil {
		return "", nil, fmt.Errorf("auth: reading randomness: %w", err)
	}
	s := prefix + base64.RawURLEncoding.EncodeToString(b)
	return s, HashToken(s), nil
}

// HashToken returns the SHA-256 of a token or session id: the value the
// store keeps and looks it up by.
func HashToken(plaintext string) []byte {
	h := sha256.Sum256([]byte(plaintext))
	return h[:]
}

// ParseToken checks that s looks like a secret with the given prefix (as
// presented in an Authorization header or a cookie), before any lookup, so
// that junk is refused cheaply and never reaches the store. It returns
// s's hash for the lookup.
func ParseToken(s, prefix string) ([]byte, error) {
	rest, ok := strings.CutPrefix(s, prefix)
	if !ok || len(rest) != secretLen {
		return nil, closedset.Errorf(closedset.Unauthorized, "not a valid %s credential", kindOfSecret(prefix))
	}
	if _, err := base64.RawURLEncoding.Strict().DecodeString(rest); err != nil {
		return nil, closedset.Errorf(closedset.Unauthorized, "not a valid %s credential", kindOfSecret(prefix))
	}
	return HashToken(s), nil
}

func kindOfSecret(prefix string) string {
	switch prefix {
	case SessionPrefix:
		return "session"
	case InvitationPrefix:
		return "invitation"
	case CalendarPrefix:
		return "calendar feed"
	}
	return "API token"
}

// OneTimePassword is a password made for someone to type once (the first
// admin's, an admin's reset): 20 characters of base32 (100 bits) in four
// groups of five, easy to read off a screen and type.
func OneTimePassword(rand io.Reader) (string, error) {
	b := make([]byte, 15)
	if _, err := io.ReadFull(rand, b); err != nil {
		return "", fmt.Errorf("auth: make a password: %w", err)
	}
	s := strings.ToLower(base32.StdEncoding.EncodeToString(b))[:20]
	return s[0:5] + "-" + s[5:10] + "-" + s[10:15] + "-" + s[15:20], nil
}
