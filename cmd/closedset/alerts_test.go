package main

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"closedset/alert/alerttest"
	"closedset/alert/push"
	"closedset/ops"
)

// TestServeTurnsAlertsOnAndLogsNoSecret: with --smtp (a password in its
// URL) the server delivers e-mail; it makes the Web Push keys beside the
// database (0600) and turns push on; neither the SMTP password nor the
// VAPID private key reaches the log stream.
func TestServeTurnsAlertsOnAndLogsNoSecret(t *testing.T) {
	smtpd := alerttest.StartSMTP(t)
	dir := filepath.Join(t.TempDir(), "closedset-data")
	base, logs, _, cancel, done := startServeWith(t, dir, func(c *serveConfig) {
		c.smtp = "smtp://alerts:CANARY-smtp-pw@" + smtpd.Addr + "?from=closedset@example.org"
	})
	defer cancel()
	for {
		resp, err := http.Get(base + "/healthz")
		if err == nil {
			resp.Body.Close()
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("serve: %v\n%s", err, logs.String())
	}
	out := logs.String()
	if !strings.Contains(out, `"msg":"alerts","email":true,"push":true`) {
		t.Errorf("the log does not say alerts are on:\n%s", out)
	}
	path := push.KeyFile(filepath.Join(dir, "closedset.db"))
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("VAPID key file: %v %v", fi, err)
	}
	keys, err := push.LoadOrCreateKeys(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{"CANARY-smtp-pw", keys.Private} {
		if strings.Contains(out, secret) {
			t.Errorf("the log stream holds a secret (%.8s...):\n%s", secret, out)
		}
	}
}

// TestSMTPURLIsCheckedAtStart: a bad --smtp is a usage error, naming no
// password.
func TestSMTPURLIsCheckedAtStart(t *testing.T) {
	err := alertConfig(serveConfig{smtp: "http://u:CANARY-pw@host"}, "127.0.0.1:1", new(ops.Config))
	if err == nil || strings.Contains(err.Error(), "CANARY-pw") {
		t.Errorf("alertConfig = %v", err)
	}
}
