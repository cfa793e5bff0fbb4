// Package mail sends closedset's alerts by e-mail through an SMTP server
// given as a URL: smtp://[user:password@]host:port[?from=addr] (STARTTLS
// when the server offers it) or smtps://... (TLS from the start).
//
// Its invariant: the password in the URL is never printed: a Mailer's
// String, GoString and LogValue show the URL with the password redacted,
// and errors name the host only.
package mail

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"mime"
	"net"
	"net/mail"
	"net/smtp"
	"net/url"
	"os"
	"strings"
	"time"
)

// Mailer sends messages through one SMTP server. Safe for concurrent
// use: each message is one SMTP session.
type Mailer struct {
	host    string // host:port
	tls     bool   // smtps: TLS from the start
	user    string
	pass    string
	from    string
	timeout time.Duration
	// TLSConfig is used for STARTTLS and smtps; nil verifies the server's
	// name against the system roots.
	TLSConfig *tls.Config
}

// Parse reads an SMTP URL. from is the From address when the URL has no
// ?from=; "" makes one of the host name.
func Parse(raw string) (*Mailer, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, errors.New("smtp URL does not parse: want smtp://[user:password@]host:port[?from=addr]")
	}
	m := &Mailer{timeout: 30 * time.Second}
	switch u.Scheme {
	case "smtp":
	case "smtps":
		m.tls = true
	default:
		return nil, fmt.Errorf("smtp URL: scheme %q: want smtp or smtps", u.Scheme)
	}
	if u.Hostname() == "" {
		return nil, errors.New("smtp URL: no host")
	}
	port := u.Port()
	if port == "" {
		port = "25"
		if m.tls {
			port = "465"
		}
	}
	m.host = net.JoinHostPort(u.Hostname(), port)
	if u.User != nil {
		m.user = u.User.Username()
		m.pass, _ = u.User.Password()
	}
	m.from = u.Query().Get("from")
	if m.from == "" {
		h, _ := os.Hostname()
		if h == "" || !strings.Contains(h, ".") {
			h = "localhost"
		}
		m.from = "closedset@" + h
	}
	if _, err := mail.ParseAddress(m.from); err != nil {
		return nil, fmt.Errorf("smtp URL: from %q is not an e-mail address", m.from)
	}
	return m, nil
}

// String is the URL with the password redacted.
func (m *Mailer) String() string {
	u := url.URL{Scheme: "smtp", Host: m.host}
	if m.tls {
		u.Scheme = "smtps"
	}
	if m.user != "" {
		u.User = url.UserPassword(m.user, "REDACTED")
	}
	return u.String()
}

// GoString is String: %#v prints no password either.
func (m *Mailer) GoString() string { return m.String() }

// LogValue is String, for slog.
func (m *Mailer) LogValue() slog.Value { return slog.StringValue(m.String()) }

// Mail sends one plain-text message to one address.
func (m *Mailer) Mail(ctx context.Context, to, subject, body string) error {
	if _, err := mail.ParseAddress(to); err != nil || strings.ContainsAny(to, "\r\n") {
		return fmt.Errorf("mail: %q is not an e-mail address", to)
	}
	ctx, cancel := context.WithTimeout(ctx, m.timeout)
	defer cancel()
	d := net.Dialer{}
	conn, err := d.DialContext(ctx, "tcp", m.host)
	if err != nil {
		return fmt.Errorf("mail: connect to %s: %w", m.host, err)
	}
	defer conn.Close()
	if dl, ok := ctx.Deadline(); ok {
		conn.SetDeadline(dl)
	}
	name, _, _ := net.SplitHostPort(m.host)
	tc := m.TLSConfig
	if tc == nil {
		tc = &tls.Config{ServerName: name}
	}
	if m.tls {
		conn = tls.Client(conn, tc)
	}
	c, err := smtp.NewClient(conn, name)
	if err != nil {
		return fmt.Errorf("mail: %s: %w", m.host, err)
	}
	defer c.Close()
	if ok, _ := c.Extension("STARTTLS"); ok && !m.tls {
		if err := c.StartTLS(tc); err != nil {
			return fmt.Errorf("mail: %s: STARTTLS: %w", m.host, err)
		}
	}
	if m.user != "" {
		// PlainAuth refuses to send the password over a connection that is
		// neither TLS nor to localhost.
		if err := c.Auth(smtp.PlainAuth("", m.user, m.pass, name)); err != nil {
			return fmt.Errorf("mail: %s: sign in as %s refused", m.host, m.user)
		}
	}
	if err := c.Mail(m.from); err != nil {
		return fmt.Errorf("mail: %s: MAIL FROM: %w", m.host, err)
	}
	if err := c.Rcpt(to); err != nil {
		return fmt.Errorf("mail: %s: RCPT TO: %w", m.host, err)
	}
	w, err := c.Data()
	if err != nil {
		return fmt.Errorf("mail: %s: DATA: %w", m.host, err)
	}
	if _, err := w.Write(m.message(to, subject, body)); err != nil {
		return fmt.Errorf("mail: %s: %w", m.host, err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("mail: %s: %w", m.host, err)
	}
	return c.Quit()
}

// message is the RFC 5322 message: headers, then the body with CRLF
// line ends (the DATA writer dot-stuffs it).
func (m *Mailer) message(to, subject, body string) []byte {
	var b strings.Builder
	subject = strings.NewReplacer("\r", " ", "\n", " ").Replace(subject)
	fmt.Fprintf(&b, "From: closedset <%s>\r\n", m.from)
	fmt.Fprintf(&b, "To: <%s>\r\n", to)
	fmt.Fprintf(&b, "Subject: %s\r\n", mime.QEncoding.Encode("utf-8", subject))
	fmt.Fprintf(&b, "Date: %s\r\n", time.Now().Format(time.RFC1123Z))
	b.WriteString("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n")
	for _, line := range strings.Split(strings.ReplaceAll(body, "\r\n", "\n"), "\n") {
		b.WriteString(line + "\r\n")
	}
	return []byte(b.String())
}
