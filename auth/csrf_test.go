package auth

import (
	"bytes"
	"closedset"
	"testing"
)

func TestCSRF(t *testing.T) {
	key := bytes.Repeat([]byte{7}, 32)
	c, err := NewCSRF(key)
	if err != nil {
		t.Fatal(err)
	}
	key[0] = 0 // the helper keeps its own copy
	tok := c.Token("css_session-a")
	if tok != c.Token("css_session-a") || len(tok) != 43 {
		t.Fatalf("token %q is not stable", tok)
	}
	if !c.Check("css_session-a", tok) {
		t.Error("the session's own token was refused")
	}
	other, _ := NewCSRF(bytes.Repeat([]byte{8}, 32))
	tampered := []byte(tok)
	tampered[5] ^= 1
	for name, ok := range map[string]bool{
		"another session's token":  c.Check("css_session-b", tok),
		"another key's token":      other.Check("css_session-a", other.Token("css_session-b")),
		"a token from another key": c.Check("css_session-a", other.Token("css_session-a")),
		"a tampered token":         c.Check("css_session-a", string(tampered)),
		"a truncated token":        c.Check("css_session-a", tok[:42]),
		"no token":                 c.Check("css_session-a", ""),
		"no session":               c.Check("", c.Token("")),
		"not base64":               c.Check("css_session-a", "!!"),
	} {
		if ok {
			t.Errorf("%s was accepted", name)
		}
	}
	if _, err := NewCSRF(make([]byte, 31)); !closedset.Is(err, closedset.Invalid) {
		t.Errorf("a 31-byte key: %v", err)
	}
}
