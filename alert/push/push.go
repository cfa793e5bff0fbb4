// Package push sends closedset's alerts by Web Push (RFC 8030), encrypted
// for the browser's subscription (RFC 8291, aes128gcm) and signed with the
// server's VAPID key (RFC 8292).
//
// Its invariant: the VAPID private key is never printed: Keys' String,
// GoString and LogValue show the public key only. The key pair is kept in
// a file beside the database (0600), like the seal key.
package push

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	webpush "github.com/SherClockHolmes/webpush-go"

	"closedset/alert"
	"closedset/internal/secretfile"
)

// Keys are the server's VAPID key pair, base64url as browsers take them.
type Keys struct {
	Public  string `json:"public"`
	Private string `json:"private"`
}

// String names the public key only.
func (k Keys) String() string { return "push.Keys(public " + k.Public + ", private redacted)" }

// GoString is String.
func (k Keys) GoString() string { return k.String() }

// LogValue is String, for slog.
func (k Keys) LogValue() slog.Value { return slog.StringValue(k.String()) }

// KeyFile is where the VAPID keys of a SQLite database are kept: beside
// it, like seal.KeyFile.
func KeyFile(dbPath string) string {
	return filepath.Join(filepath.Dir(dbPath), "vapid.json")
}

// LoadOrCreateKeys reads the key file at path, creating it with a new key
// pair (permissions 0600) when it does not exist.
func LoadOrCreateKeys(path string) (Keys, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		var k Keys
		if k.Private, k.Public, err = webpush.GenerateVAPIDKeys(); err != nil {
			return Keys{}, fmt.Errorf("make VAPID keys: %w", err)
		}
		body, _ := json.Marshal(k)
		err = secretfile.Create(path, append(body, '\n'))
		if errors.Is(err, fs.ErrExist) {
			return LoadOrCreateKeys(path) // another server made it first
		}
		if err != nil {
			return Keys{}, fmt.Errorf("the VAPID key file: %w", err)
		}
		return k, nil
	}
	if err != nil {
		return Keys{}, fmt.Errorf("read the VAPID key file: %w", err)
	}
	if fi, err := os.Stat(path); err == nil && fi.Mode().Perm()&0o077 != 0 {
		return Keys{}, fmt.Errorf("VAPID key file %s is readable by others (mode %v): chmod 600 it", path, fi.Mode().Perm())
	}
	var k Keys
	if err := json.Unmarshal(data, &k); err != nil || k.Public == "" || k.Private == "" {
		return Keys{}, fmt.Errorf("VAPID key file %s must hold {\"public\": ..., \"private\": ...}", path)
	}
	return k, nil
}

// Pusher sends Web Push messages with one key pair.
type Pusher struct {
	Keys Keys
	// Subscriber is the contact push services may write to (an e-mail
	// address or an https URL), carried in the VAPID token.
	Subscriber string
	// Client posts to push services; nil: http.DefaultClient.
	Client *http.Client
}

// Payload is what the service worker receives, as JSON.
type Payload struct {
	Title string `json:"title"`
	Body  string `json:"body"`
	URL   string `json:"url"`
}

// Push sends the notice to the subscription. A subscription the push
// service no longer knows (404, 410) is an error wrapping alert.ErrGone.
func (p *Pusher) Push(ctx context.Context, sub alert.Subscription, n alert.Notice) error {
	body, err := json.Marshal(Payload{Title: n.Subject, Body: n.Body, URL: n.URL})
	if err != nil {
		return err
	}
	opts := &webpush.Options{
		Subscriber:      p.Subscriber,
		TTL:             24 * 60 * 60,
		Urgency:         webpush.UrgencyHigh,
		VAPIDPublicKey:  p.Keys.Public,
		VAPIDPrivateKey: p.Keys.Private,
	}
	if p.Client != nil {
		opts.HTTPClient = p.Client
	}
	if opts.Subscriber == "" {
		opts.Subscriber = "closedset@localhost"
	}
	resp, err := webpush.SendNotificationWithContext(ctx, body, &webpush.Subscription{
		Endpoint: sub.Endpoint, Keys: webpush.Keys{Auth: sub.Auth, P256dh: sub.P256dh},
	}, opts)
	if err != nil {
		return fmt.Errorf("push to %s: %w", host(sub.Endpoint), err)
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, io.LimitReader(resp.Body, 4<<10))
	switch {
	case resp.StatusCode == http.StatusNotFound || resp.StatusCode == http.StatusGone:
		return fmt.Errorf("%w: %s answered %s", alert.ErrGone, host(sub.Endpoint), resp.Status)
	case resp.StatusCode/100 != 2:
		return fmt.Errorf("push to %s: %s", host(sub.Endpoint), resp.Status)
	}
	return nil
}

// host names a push service without the subscription's path, which is
// its secret.
func host(endpoint string) string {
	rest, _, _ := strings.Cut(strings.TrimPrefix(strings.TrimPrefix(endpoint, "https://"), "http://"), "/")
	return rest
}
