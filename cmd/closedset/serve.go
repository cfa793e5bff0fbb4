package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	// Time zones work on machines without a zoneinfo database.
	_ "time/tzdata"

	"closedset/auth"
	"closedset/internal/secretfile"
	"closedset/ops"
	"closedset/sandbox"
	"closedset/seal"
	"closedset/store"
	"closedset/web"
)

// csrfKeyEnv names the environment variable that carries the CSRF key (64
// hex digits) instead of a key file.
const csrfKeyEnv = "CLOSEDSET_CSRF_KEY"

// sealKeyEnv names the environment variable that carries the key sealing
// performer-private data (64 hex digits) instead of a key file.
const sealKeyEnv = "CLOSEDSET_KEY"

// trustedProxyEnv lists the trusted proxies like --trusted-proxy.
const trustedProxyEnv = "CLOSEDSET_TRUSTED_PROXIES"

// parsePrefixes reads "10.0.0.0/8, 192.0.2.7": CIDRs or single addresses.
func parsePrefixes(s string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f == "" {
			continue
		}
		if a, err := netip.ParseAddr(f); err == nil {
			out = append(out, netip.PrefixFrom(a, a.BitLen()))
			continue
		}
		p, err := netip.ParsePrefix(f)
		if err != nil {
			return nil, fmt.Errorf("%q is neither an address nor a CIDR", f)
		}
		out = append(out, p.Masked())
	}
	return out, nil
}

// secureCookiesEnv turns on Secure cookies like --secure-cookies.
const secureCookiesEnv = "CLOSEDSET_SECURE_COOKIES"

// shutdownTimeout is how long requests in flight get to finish after
// SIGINT or SIGTERM.
const shutdownTimeout = 15 * time.Second

// serveConfig is everything `closedset serve` is told, from flags and the
// environment.
type serveConfig struct {
	addr          string
	addrFile      string
	db            database
	keyFile       string
	sealKeyFile   string
	secureCookies bool
	logFormat     string
	maxUpload     int64
	proxies       []netip.Prefix
	smtp          string // the SMTP server's URL; "": no e-mail. Holds a password: never logged
	publicURL     string
	vapidKeyFile  string
}

// smtpEnv names the environment variable that carries the SMTP URL like
// --smtp (better than a flag for one with a password: ps shows flags).
const smtpEnv = "CLOSEDSET_SMTP"

func runServe(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlags("serve", stderr)
	var c serveConfig
	fs.StringVar(&c.addr, "addr", "127.0.0.1:8080", "`HOST:PORT` to listen on (port 0 picks a free one)")
	fs.StringVar(&c.addrFile, "addr-file", "", "write the address actually listened on to this `FILE` (for scripts and tests)")
	fs.StringVar(&c.keyFile, "key-file", "", "the CSRF key `FILE` (default: csrf.key beside a SQLite database; required with PostgreSQL unless $"+csrfKeyEnv+" is set)")
	fs.StringVar(&c.sealKeyFile, "seal-key-file", "", "the `FILE` of the key that encrypts performer-private data (default: closedset.key beside a SQLite database; required with PostgreSQL unless $"+sealKeyEnv+" is set)")
	fs.BoolVar(&c.secureCookies, "secure-cookies", os.Getenv(secureCookiesEnv) == "1" || os.Getenv(secureCookiesEnv) == "true",
		"mark cookies Secure: set it when users reach the server over HTTPS, e.g. behind a TLS proxy (or $"+secureCookiesEnv+"=1)")
	fs.StringVar(&c.logFormat, "log-format", "text", "log format on stderr: text or json")
	fs.Int64Var(&c.maxUpload, "max-upload", ops.DefaultMaxUpload, "largest script upload accepted, in bytes")
	proxies := fs.String("trusted-proxy", os.Getenv(trustedProxyEnv),
		"comma-separated `CIDRs` of load balancers whose X-Forwarded-For names the client, for the sign-in limit per address (or $"+trustedProxyEnv+")")
	fs.StringVar(&c.smtp, "smtp", os.Getenv(smtpEnv), "send e-mail alerts and invitations through this SMTP server: `URL` smtp://[user:password@]host:port[?from=addr] or smtps://... (or $"+smtpEnv+"); off when unset")
	fs.StringVar(&c.publicURL, "public-url", "", "the `URL` people open closedset at, for the links in alerts and invitations (default: the sign-in address)")
	fs.StringVar(&c.vapidKeyFile, "vapid-key-file", "", "the Web Push key `FILE` (default: vapid.json beside a SQLite database, made on first start; with PostgreSQL push is off unless set)")
	db := dbFlag(fs)
	fs.Usage = func() {
		fmt.Fprintln(stderr, `Usage: closedset serve [--addr 127.0.0.1:8080] [--db URL] [flags]

Runs the web app and the API. The first start on an empty database creates
the data folder, an admin account (admin@localhost, with a one-time
password printed once on the terminal, or standard output, never in the
logs on standard error) and the demo production "Harbour Lights (demo)".
Stops cleanly on SIGINT or SIGTERM.

Cookies are marked Secure only with --secure-cookies: turn it on whenever
people reach closedset over HTTPS (closedset itself speaks plain HTTP, so
run it behind a TLS-terminating proxy for anything but a laptop).`)
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 0 {
		return usageError("unexpected argument %q", fs.Arg(0))
	}
	var err error
	if c.proxies, err = parsePrefixes(*proxies); err != nil {
		return usageError("--trusted-proxy: %v", err)
	}
	if c.db, err = db(); err != nil {
		return err
	}
	if c.logFormat != "text" && c.logFormat != "json" {
		return usageError("--log-format %q: want text or json", c.logFormat)
	}
	if c.maxUpload <= 0 {
		return usageError("--max-upload must be positive")
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	term, closeTerm := terminal(stdout)
	defer closeTerm()
	return serve(ctx, c, term, stderr)
}

// terminal is where the first start's password goes: the controlling
// terminal (/dev/tty) when the process has one and writes to its own
// standard output, else stdout; never the log stream (stderr), which is
// often kept in files or a journal.
func terminal(stdout io.Writer) (io.Writer, func()) {
	if stdout != io.Writer(os.Stdout) {
		return stdout, func() {}
	}
	tty, err := os.OpenFile("/dev/tty", os.O_WRONLY, 0)
	if err != nil {
		return stdout, func() {}
	}
	return tty, func() { tty.Close() }
}

// serve runs the server until ctx ends, then shuts it down gracefully.
// Logs go to stderr; term gets the first start's one-time password.
func serve(ctx context.Context, c serveConfig, term, stderr io.Writer) error {
	var h slog.Handler
	if c.logFormat == "json" {
		h = slog.NewJSONHandler(stderr, nil)
	} else {
		h = slog.NewTextHandler(stderr, nil)
	}
	log := slog.New(h)

	key, err := csrfKey(c)
	if err != nil {
		return err
	}
	sealKey, err := loadSealKey(c)
	if err != nil {
		return err
	}
	// The store logs what it recovers from by itself: on PostgreSQL, its
	// listener for the other servers' changes reconnecting.
	st, err := openStore(ctx, c.db, mayCreate, store.WithLogger(log))
	if err != nil {
		return err
	}
	defer st.Close()
	if err := checkSealKey(ctx, st, sealKey); err != nil {
		return err
	}

	ln, err := net.Listen("tcp", c.addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", c.addr, err)
	}
	defer ln.Close()
	addr := ln.Addr().String()
	if c.addrFile != "" {
		if err := os.WriteFile(c.addrFile, []byte(addr+"\n"), 0o644); err != nil {
			return fmt.Errorf("write --addr-file: %w", err)
		}
	}

	// Uploaded scripts are read in a child process (this binary again)
	// with hard limits: a hostile file ends that process, not the server.
	exe, err := os.Executable()
	if err != nil {
		return fmt.Errorf("find this binary to read uploads in a child process: %w", err)
	}
	child := sandbox.Reader{Exe: exe, MaxBytes: c.maxUpload}

	// One set of operations over the store, for the first start and the
	// web app alike.
	cfg := ops.Config{Store: st, Logger: log, SealKey: sealKey, Now: time.Now, MaxUpload: c.maxUpload, ReadDraft: child.ReadDraft}
	if err := alertConfig(c, addr, &cfg); err != nil {
		return err
	}
	o, err := ops.New(cfg)
	if err != nil {
		return err
	}
	// Alerts go out while the server runs; what is queued when it stops
	// waits in the database for the next start.
	actx, stopAlerts := context.WithCancel(context.Background())
	alertsDone := make(chan struct{})
	go func() { o.RunAlerts(actx); close(alertsDone) }()
	endAlerts := sync.OnceFunc(func() { stopAlerts(); <-alertsDone })
	defer endAlerts()
	email, push := o.AlertChannels()
	log.Info("alerts", "email", email, "push", push)
	// The first start's password goes to the terminal, never to the log.
	if err := firstStart(ctx, st, o, signInURL(addr, c.secureCookies), term); err != nil {
		return err
	}

	handler, err := web.New(web.Config{
		Ops:            o,
		Logger:         log,
		CSRFKey:        key,
		SecureCookies:  c.secureCookies,
		Rand:           rand.Reader,
		Limits:         auth.DefaultLimits,
		TrustedProxies: c.proxies,
	})
	if err != nil {
		return fmt.Errorf("start the web app: %w", err)
	}
	srv := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 5 * time.Second,
		// A 25 MB script over a slow hotel line still arrives; a client
		// that trickles forever does not hold a connection. A request
		// from no one signed in has web.DefaultAnonymousTimeout for its
		// body (the web app sets it per request), and only a few at once
		// per address.
		ReadTimeout:    10 * time.Minute,
		IdleTimeout:    time.Minute,
		MaxHeaderBytes: 64 << 10,
		ErrorLog:       slog.NewLogLogger(h, slog.LevelWarn),
	}
	// Open live-event streams last as long as a page is open: Shutdown
	// would wait them out, so it ends them first.
	srv.RegisterOnShutdown(handler.Close)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	log.Info("closedset serving", "addr", addr, "db", c.db.String())

	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down", "timeout", shutdownTimeout.String())
	sctx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		log.Warn("requests still running at shutdown were cut off", "err", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	endAlerts()
	if err := st.Close(); err != nil {
		return fmt.Errorf("close the database: %w", err)
	}
	log.Info("stopped")
	return nil
}

// signInURL is the address a person types to sign in.
func signInURL(addr string, secure bool) string {
	host, port, err := net.SplitHostPort(addr)
	if err == nil && (host == "" || host == "0.0.0.0" || host == "::") {
		addr = net.JoinHostPort("localhost", port)
	}
	scheme := "http"
	if secure {
		scheme = "https"
	}
	return scheme + "://" + addr + "/signin"
}

// csrfKeyBytes is the size of a generated CSRF key.
const csrfKeyBytes = 32

// csrfKey finds the server's CSRF key: $CLOSEDSET_CSRF_KEY (hex), else the
// key file, which for a SQLite database defaults to csrf.key beside it and
// is created on first start. With PostgreSQL several servers must share
// one key, so it is never made up on the spot.
func csrfKey(c serveConfig) ([]byte, error) {
	if v := os.Getenv(csrfKeyEnv); v != "" {
		k, err := hex.DecodeString(strings.TrimSpace(v))
		if err != nil || len(k) < csrfKeyBytes {
			return nil, usageError("$%s must be at least %d bytes in hex (%d hex digits); openssl rand -hex 32 makes one", csrfKeyEnv, csrfKeyBytes, 2*csrfKeyBytes)
		}
		return k, nil
	}
	path := c.keyFile
	if path == "" {
		if c.db.Path == "" {
			return nil, usageError("with PostgreSQL, set $%s (openssl rand -hex 32) or --key-file, the same for every server", csrfKeyEnv)
		}
		path = filepath.Join(c.db.Dir(), "csrf.key")
	}
	return loadOrCreateKey(path)
}

// loadOrCreateKey reads a hex key file, creating it (0600, with a fresh
// random key) when it does not exist.
func loadOrCreateKey(path string) ([]byte, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			return nil, fmt.Errorf("create the data folder: %w", err)
		}
		k := make([]byte, csrfKeyBytes)
		if _, err := rand.Read(k); err != nil {
			return nil, fmt.Errorf("make a CSRF key: %w", err)
		}
		err := secretfile.Create(path, []byte(hex.EncodeToString(k)+"\n"))
		if errors.Is(err, fs.ErrExist) {
			return loadOrCreateKey(path) // another server made it first
		}
		if err != nil {
			return nil, fmt.Errorf("the key file: %w", err)
		}
		return k, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read the key file: %w", err)
	}
	k, err := hex.DecodeString(strings.TrimSpace(string(data)))
	if err != nil || len(k) < csrfKeyBytes {
		return nil, fmt.Errorf("key file %s must hold at least %d bytes in hex", path, csrfKeyBytes)
	}
	return k, nil
}

// checkSealKey records the seal key's id in the database at its first
// use, and refuses to start with another key: data sealed under a second
// key could not be read beside the first's, and a boundaries write would
// leave a performer's earlier record unreadable. It names both ids, never
// a key.
func checkSealKey(ctx context.Context, st ops.Store, k seal.Key) error {
	recorded, err := st.RecordSealKey(ctx, operator("serve"), k.ID())
	if err != nil {
		return fmt.Errorf("check the seal key: %w", err)
	}
	if recorded != k.ID() {
		return fmt.Errorf("the seal key given has id %s, but this database's private data is sealed with the key of id %s: start with that key ($%s or --seal-key-file), or its boundaries and withdrawal reasons cannot be read", k.ID(), recorded, sealKeyEnv)
	}
	return nil
}

// loadSealKey finds the key that seals performer-private data:
// $CLOSEDSET_KEY (hex), else --seal-key-file, else for a SQLite database
// the key file beside it (seal.KeyFile), created on first start with
// permissions 0600. With PostgreSQL every server must hold the same key,
// so it is never made up on the spot: the key file must exist. The key is
// never logged or printed.
func loadSealKey(c serveConfig) (seal.Key, error) {
	if v := os.Getenv(sealKeyEnv); v != "" {
		k, err := seal.KeyFromHex(strings.TrimSpace(v))
		if err != nil {
			return seal.Key{}, usageError("$%s must be 64 hex digits (openssl rand -hex 32 makes one): %v", sealKeyEnv, err)
		}
		return k, nil
	}
	path := c.sealKeyFile
	switch {
	case path == "" && c.db.Path == "":
		return seal.Key{}, usageError("with PostgreSQL, set $%s (openssl rand -hex 32) or --seal-key-file, the same for every server; keep it apart from the database and its backups", sealKeyEnv)
	case path == "":
		path = seal.KeyFile(c.db.Path)
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			return seal.Key{}, fmt.Errorf("create the data folder: %w", err)
		}
	case c.db.Path == "":
		if _, err := os.Stat(path); err != nil {
			return seal.Key{}, usageError("--seal-key-file %s: %v; with PostgreSQL the key file must already exist (openssl rand -hex 32 > FILE; chmod 600 FILE)", path, err)
		}
	}
	k, err := seal.LoadOrCreateKey(path)
	if err != nil {
		return seal.Key{}, fmt.Errorf("the seal key: %w", err)
	}
	return k, nil
}
