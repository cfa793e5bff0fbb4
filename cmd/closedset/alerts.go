package main

import (
	"fmt"
	"strings"

	"closedset/alert/mail"
	"closedset/alert/push"
	"closedset/ops"
)

// alertConfig sets the alert senders of cfg from the serve flags: e-mail
// through --smtp when set, Web Push with the VAPID keys beside a SQLite
// database (or --vapid-key-file), and the public URL the links in alerts
// point to. Neither the SMTP password nor the VAPID private key is ever
// logged or put in an error.
func alertConfig(c serveConfig, addr string, cfg *ops.Config) error {
	cfg.PublicURL = strings.TrimRight(c.publicURL, "/")
	if cfg.PublicURL == "" {
		cfg.PublicURL = strings.TrimSuffix(signInURL(addr, c.secureCookies), "/signin")
	}
	if c.smtp != "" {
		m, err := mail.Parse(c.smtp)
		if err != nil {
			return usageError("--smtp: %v", err)
		}
		cfg.Mailer = m
	}
	path := c.vapidKeyFile
	if path == "" && c.db.Path != "" {
		path = push.KeyFile(c.db.Path)
	}
	if path == "" {
		return nil // PostgreSQL without a key file: push is off
	}
	keys, err := push.LoadOrCreateKeys(path)
	if err != nil {
		return fmt.Errorf("the Web Push keys: %w", err)
	}
	from := "closedset@localhost"
	if strings.HasPrefix(cfg.PublicURL, "https://") {
		from = cfg.PublicURL
	}
	cfg.Pusher = &push.Pusher{Keys: keys, Subscriber: from}
	cfg.VAPIDPublicKey = keys.Public
	return nil
}
