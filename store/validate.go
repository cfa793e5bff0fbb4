package store

import (
	"closedset"
	"strings"
	"time"
	"unicode/utf8"

	"closedset/consent"
	"closedset/textfield"
)

// Bounds on what the store keeps, so that one record always fits a page,
// a log line and a backup line. The limits on text people type are
// textfield's, the same for the API, the pages and the store.
const (
	MaxSecret   = 512      // a password hash's encoding, a token or session hash
	MaxOriginal = 32 << 20 // an original script file; uploads stop earlier
)

// text checks a required one-line text field with the one text check
// (textfield.Line) and returns it trimmed.
func text(what, s string, max int) (string, error) {
	return invalidText(textfield.Line(what, s, max, true))
}

// optional is text that may be empty.
func optional(what, s string, max int) (string, error) {
	return invalidText(textfield.Line(what, s, max, false))
}

// invalidText makes a textfield error an Invalid one.
func invalidText(s string, err error) (string, error) {
	if err != nil {
		return "", closedset.Errorf(closedset.Invalid, "%s", err)
	}
	return s, nil
}

func isControl(r rune) bool { return r < 0x20 || r == 0x7f }

// normalEmail checks an email address and returns it lower-cased, the one
// spelling the store keeps and compares.
func normalEmail(s string) (string, error) {
	e, err := text("email", s, textfield.MaxEmail)
	if err != nil {
		return "", err
	}
	e = strings.ToLower(e)
	local, domain, ok := strings.Cut(e, "@")
	if !ok || local == "" || domain == "" || strings.Contains(domain, "@") || strings.ContainsAny(e, " \t") {
		return "", closedset.Errorf(closedset.Invalid, "email %q is not an address like name@example.com", s)
	}
	return e, nil
}

// checkPolicy checks that p names one of consent's policy packs.
func checkPolicy(p string) error {
	if _, err := consent.PolicyByName(p); err != nil {
		return closedset.Errorf(closedset.Invalid, "unknown policy %q (want one of %s)", p, strings.Join(consent.PolicyNames(), ", "))
	}
	return nil
}

func checkTimeZone(tz string) error {
	if tz == "" || tz == "Local" || utf8.RuneCountInString(tz) > textfield.MaxTimeZone {
		return closedset.Errorf(closedset.Invalid, "time zone %q is not an IANA name like Europe/London", tz)
	}
	if _, err := time.LoadLocation(tz); err != nil {
		return closedset.Errorf(closedset.Invalid, "unknown time zone %q (want an IANA name like Europe/London)", tz)
	}
	return nil
}

func checkSecret(what string, b []byte) error {
	if len(b) == 0 || len(b) > MaxSecret {
		return closedset.Errorf(closedset.Invalid, "%s must be 1 to %d bytes", what, MaxSecret)
	}
	return nil
}

// clip makes one line of text read from a file fit a field: invalid UTF-8
// and control characters become spaces, and it is cut to max characters.
func clip(s string, max int) string {
	s = strings.ToValidUTF8(s, " ")
	s = strings.Map(func(r rune) rune {
		if isControl(r) {
			return ' '
		}
		return r
	}, s)
	s = strings.TrimSpace(s)
	if utf8.RuneCountInString(s) > max {
		s = strings.TrimSpace(string([]rune(s)[:max]))
	}
	return s
}

// Bounds of the consent ledger.
const (
	MaxHash       = 128     // a content hash or digest, as its package writes it
	MaxPlan       = 1 << 20 // a plan's canonical content
	MaxRider      = 4 << 20 // a rider's canonical content
	MaxSealed     = 1 << 20 // sealed boundaries or a sealed reason
	MaxRiderScene = 500     // scenes on one rider
	MaxUserAgent  = 512     // a signer's user agent, clipped
	MaxIP         = 64      // a signer's address
)

// checkHash checks a hash or digest computed by another package: the
// store compares it, never computes it, so it only bounds its form
// (letters, digits and : - _ + / =).
func checkHash(what, h string) error {
	if h == "" || len(h) > MaxHash {
		return closedset.Errorf(closedset.Invalid, "%s must be 1 to %d characters", what, MaxHash)
	}
	for _, r := range h {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune(":-_+/=", r)) {
			return closedset.Errorf(closedset.Invalid, "%s %q is not a hash (letters, digits and :-_+/= only)", what, h)
		}
	}
	return nil
}

// checkBytes checks a required opaque value's size.
func checkBytes(what string, b []byte, max int) error {
	if len(b) == 0 {
		return closedset.Errorf(closedset.Invalid, "%s is empty", what)
	}
	if len(b) > max {
		return closedset.Errorf(closedset.Invalid, "%s is %d bytes, over the %d the store keeps", what, len(b), max)
	}
	return nil
}
