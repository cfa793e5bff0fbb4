// Package alerttest holds the real parts alert tests talk to: an SMTP
// server started in the test's process (github.com/emersion/go-smtp) that
// keeps what it receives, and a Web Push endpoint (httptest) that
// decrypts what it receives with the subscription's private key.
package alerttest

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
)

// Mail is one message an SMTP server received.
type Mail struct {
	From    string
	To      []string
	Subject string
	Body    string // the message body, CRLFs as LFs
	Raw     string // the whole message as received
}

// SMTPServer is a real SMTP server on a loopback port.
type SMTPServer struct {
	Addr string // host:port
	mu   sync.Mutex
	got  []Mail
	wake chan struct{}
	srv  *smtp.Server
}

// StartSMTP starts an SMTP server for the test, closed at its end.
func StartSMTP(t testing.TB) *SMTPServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	return serveSMTP(t, ln)
}

// StartSMTPAt starts an SMTP server on addr (a port the test freed).
func StartSMTPAt(t testing.TB, addr string) *SMTPServer {
	t.Helper()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	return serveSMTP(t, ln)
}

func serveSMTP(t testing.TB, ln net.Listener) *SMTPServer {
	s := &SMTPServer{Addr: ln.Addr().String(), wake: make(chan struct{}, 1)}
	s.srv = smtp.NewServer(backend{s})
	s.srv.Domain = "localhost"
	s.srv.ReadTimeout, s.srv.WriteTimeout = 10*time.Second, 10*time.Second
	s.srv.MaxMessageBytes = 1 << 20
	go s.srv.Serve(ln)
	t.Cleanup(func() { s.srv.Close() })
	return s
}

// Close stops the server.
func (s *SMTPServer) Close() { s.srv.Close() }

// Wait returns the first n messages received, failing the test when
// fewer than n arrived within d.
func (s *SMTPServer) Wait(t testing.TB, n int, d time.Duration) []Mail {
	t.Helper()
	deadline := time.After(d)
	for {
		s.mu.Lock()
		if len(s.got) >= n {
			out := append([]Mail(nil), s.got[:n]...)
			s.mu.Unlock()
			return out
		}
		have := len(s.got)
		s.mu.Unlock()
		select {
		case <-s.wake:
		case <-deadline:
			t.Fatalf("SMTP server received %d message(s) in %v, want %d", have, d, n)
		}
	}
}

// Received is every message so far.
func (s *SMTPServer) Received() []Mail {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Mail(nil), s.got...)
}

type backend struct{ s *SMTPServer }

func (b backend) NewSession(*smtp.Conn) (smtp.Session, error) { return &session{s: b.s}, nil }

type session struct {
	s    *SMTPServer
	from string
	to   []string
}

func (x *session) Reset()        { x.from, x.to = "", nil }
func (x *session) Logout() error { return nil }
func (x *session) Mail(from string, _ *smtp.MailOptions) error {
	x.from = from
	return nil
}
func (x *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	x.to = append(x.to, to)
	return nil
}

func (x *session) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	m := Mail{From: x.from, To: x.to, Raw: string(raw)}
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return fmt.Errorf("not a message: %w", err)
	}
	dec := new(mimeDecoder)
	m.Subject = dec.header(msg.Header.Get("Subject"))
	body, _ := io.ReadAll(msg.Body)
	m.Body = strings.ReplaceAll(string(body), "\r\n", "\n")
	x.s.mu.Lock()
	x.s.got = append(x.s.got, m)
	x.s.mu.Unlock()
	select {
	case x.s.wake <- struct{}{}:
	default:
	}
	return nil
}
