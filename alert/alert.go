// Package alert holds what closedset tells people away from its pages:
// the kinds of alert, their texts, each user's choice of channels (e-mail,
// Web Push) and the messages queued for delivery.
//
// Its invariant: an alert says that something happened and where to look,
// never why. No reason, boundary, note or request text is ever part of
// one: a Notice is built only from its Kind, a scene number, a production
// title and a link, so there is no field to put them in.
//
// The senders (alert/mail over SMTP, alert/push over Web Push) and the
// outbox (the store) live elsewhere; this package imports neither.
package alert

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"
)

// Channel is a way an alert reaches a person.
type Channel string

// The channels.
const (
	Email Channel = "email"
	Push  Channel = "push"
)

// Prefs are the channels a user chose. A user who never chose gets
// DefaultPrefs.
type Prefs struct {
	Email bool `json:"email"`
	Push  bool `json:"push"`
}

// DefaultPrefs are everyone's until they choose: both channels, each
// used only where it is set up (SMTP configured, a browser subscribed).
var DefaultPrefs = Prefs{Email: true, Push: true}

// Kind is what an alert tells of.
type Kind string

// The kinds of alert, each with its text in texts.
const (
	Withdrawal   Kind = "withdrawal"    // the production's ICs and ADs
	Pause        Kind = "pause"         // the production's ICs and ADs
	StaleConsent Kind = "stale_consent" // the performer
	NewRider     Kind = "new_rider"     // the performer
	RiderDue     Kind = "rider_due"     // the performer and the ICs
	RequestDue   Kind = "request_due"   // the department head
	Invitation   Kind = "invitation"    // the person invited, by e-mail
)

// texts are the subjects of the kinds: {subject} is the scene number (or
// the department, for a request), {production} the production's title,
// and nothing else is ever filled in.
var texts = map[Kind]string{
	Withdrawal:   "Consent changed for scene {subject}",
	Pause:        "Scene {subject} was paused",
	StaleConsent: "Your consent to scene {subject} needs renewing",
	NewRider:     "A new rider is ready for you to read",
	RiderDue:     "A rider for scene {subject} is due within 24 hours and unsigned",
	RequestDue:   "A {subject} request is due",
	Invitation:   "You are invited to {production}",
}

// Notice is one alert's content, the same on every channel.
type Notice struct {
	Subject string
	Body    string
	URL     string // where to open closedset; absolute when a base URL is set
}

// New builds the notice of kind about subject (a scene number, or a
// department for RequestDue) in the production, linking to link.
func New(kind Kind, subject, production, link string) Notice {
	format, ok := texts[kind]
	if !ok {
		format = "Something changed"
	}
	if subject == "" {
		subject = "?"
	}
	s := strings.NewReplacer("{subject}", subject, "{production}", production).Replace(format)
	where := "open closedset"
	if production != "" && kind != Invitation {
		where = production + ": open closedset"
	}
	body := s + ". " + where + "."
	if link != "" {
		body += "\n\n" + link + "\n"
	}
	return Notice{Subject: s, Body: body, URL: link}
}

// Link joins a base URL (https://closedset.example) and a path; with no
// base the path alone.
func Link(base, path string) string {
	if base == "" {
		return path
	}
	u, err := url.Parse(base)
	if err != nil {
		return path
	}
	return strings.TrimRight(u.String(), "/") + path
}

// Message is one queued delivery: a notice to one user (or address) on
// one channel.
type Message struct {
	ID       int64
	UserID   int64 // 0: someone with no account (an invitation)
	Channel  Channel
	Address  string // the e-mail address; "" for push
	Subject  string
	Body     string
	URL      string
	Attempts int // deliveries tried so far, this one included once claimed
}

// ErrGone is wrapped by a push sender's error for a subscription its push
// service no longer knows: it is forgotten.
var ErrGone = errors.New("push subscription gone")

// Subscription is a browser's Web Push subscription (PushSubscription
// in the browser): where to post, and the keys to encrypt for.
type Subscription struct {
	Endpoint string `json:"endpoint"`
	P256dh   string `json:"p256dh"`
	Auth     string `json:"auth"`
}

// Validate checks a subscription as the browser gives it: an https
// endpoint (http only for a loopback host, as tests use) and both keys.
func (s Subscription) Validate() error {
	u, err := url.Parse(s.Endpoint)
	switch {
	case err != nil || u.Host == "" || len(s.Endpoint) > 2000 || !utf8.ValidString(s.Endpoint):
		return fmt.Errorf("endpoint: want the subscription's https URL")
	case u.Scheme != "https" && !(u.Scheme == "http" && loopback(u.Hostname())):
		return fmt.Errorf("endpoint: want an https URL")
	case s.P256dh == "" || len(s.P256dh) > 200:
		return fmt.Errorf("keys.p256dh: want the subscription's public key")
	case s.Auth == "" || len(s.Auth) > 100:
		return fmt.Errorf("keys.auth: want the subscription's auth secret")
	}
	return nil
}

func loopback(host string) bool {
	return host == "localhost" || host == "::1" || strings.HasPrefix(host, "127.")
}

// MaxAttempts is how many times a message is tried before it is given
// up (marked failed): about a day of backoff.
const MaxAttempts = 12

// Backoff is how long to wait after the attempt-th failed delivery:
// 5 s doubling, at most an hour.
func Backoff(attempt int) time.Duration {
	d := 5 * time.Second
	for i := 1; i < attempt && d < time.Hour; i++ {
		d *= 2
	}
	return min(d, time.Hour)
}
