package auth

import (
	"bytes"
	"closedset"
	"crypto/rand"
	"crypto/sha256"
	"strings"
	"testing"
)

func TestNewTokenFormatAndHash(t *testing.T) {
	tok, hash, err := NewToken(zeros())
	if err != nil {
		t.Fatal(err)
	}
	if want := "cs_" + strings.Repeat("A", 43); tok != want {
		t.Errorf("token %q, want %q", tok, want)
	}
	if sum := sha256.Sum256([]byte(tok)); !bytes.Equal(hash, sum[:]) {
		t.Error("the stored hash is not SHA-256 of the token")
	}
	other, _, _ := NewToken(rand.Reader)
	if other == tok || len(other) != len(tok) {
		t.Errorf("a random token %q", other)
	}
	if _, _, err := NewToken(bytes.NewReader(make([]byte, 31))); err == nil {
		t.Error("a short random source was accepted")
	}
}

func TestSessionIDsAreNotTokens(t *testing.T) {
	sid, hash, err := NewSessionID(rand.Reader)
	if err != nil || !strings.HasPrefix(sid, "css_") {
		t.Fatalf("session id %q, %v", sid, err)
	}
	if got, err := ParseToken(sid, SessionPrefix); err != nil || !bytes.Equal(got, hash) {
		t.Errorf("ParseToken(session) = %x, %v", got, err)
	}
	if _, err := ParseToken(sid, TokenPrefix); !closedset.Is(err, closedset.Unauthorized) {
		t.Errorf("a session id passed as an API token: %v", err)
	}
}

func TestParseTokenRefusesJunk(t *testing.T) {
	tok, hash, _ := NewToken(rand.Reader)
	if got, err := ParseToken(tok, TokenPrefix); err != nil || !bytes.Equal(got, hash) {
		t.Fatalf("ParseToken(valid) = %x, %v", got, err)
	}
	for _, bad := range []string{
		"", "cs_", tok[3:], tok[:len(tok)-1], tok + "A", "CS_" + tok[3:],
		tok[:10] + "+" + tok[11:], // base64, not base64url
		tok[:10] + " " + tok[11:],
		"cs_" + strings.Repeat("A", 42) + "=",
		"cs_" + strings.Repeat("A", 42) + "B", // non-zero padding bits: not the one spelling
	} {
		if _, err := ParseToken(bad, TokenPrefix); !closedset.Is(err, closedset.Unauthorized) {
			t.Errorf("ParseToken(%q) = %v, want unauthorized", bad, err)
		}
	}
}
