package web

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"closedset/ops"
	"closedset/store/sqlite"

	"github.com/chromedp/chromedp"
)

// chromiumPath finds Debian's chromium. Without it the browser tests skip,
// except in CI, where a missing browser is a failure (`make chromium`
// installs it).
func chromiumPath(t *testing.T) string {
	t.Helper()
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium"
	}
	if p, err := exec.LookPath("chromium"); err == nil {
		return p
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("chromium is not installed: run `make chromium` (apt-get install -y chromium)")
	}
	t.Skip("chromium is not installed: run `make chromium` to run the browser tests")
	return ""
}

// startBrowser starts one headless Chromium for the whole test and returns
// a context for its first tab. The browser stops when the test ends.
func startBrowser(t *testing.T) context.Context {
	t.Helper()
	opts := append(browserOptions(),
		chromedp.ExecPath(chromiumPath(t)),
		chromedp.UserDataDir(t.TempDir()),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelTab := chromedp.NewContext(actx)
	t.Cleanup(func() {
		cancelTab()
		cancelAlloc()
	})
	// Start the browser with no deadline: the first run binds the browser's
	// life to its context (see chromedp's docs/API.md, example 21).
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return ctx
}

// browserOptions are chromedp's defaults plus what a closed test
// network and a container need: no sandbox (root in a container), no GPU,
// and no background traffic to outside hosts, which would only time out.
func browserOptions() []chromedp.ExecAllocatorOption {
	return append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("no-first-run", true),
		chromedp.WindowSize(1280, 900),
	)
}

// step runs browser steps with a deadline, so a page that never shows what
// a step waits for fails the test instead of hanging it.
func step(t *testing.T, ctx context.Context, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	sctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	if err := chromedp.Do(sctx, steps...); err != nil {
		shot(t, ctx, "failed-"+what)
		t.Fatalf("%s: %v", what, err)
	}
}

// value runs one browser action that returns a value, with a deadline.
func value[T any](t *testing.T, ctx context.Context, what string, a chromedp.Action[T]) T {
	t.Helper()
	sctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	v, err := chromedp.Run(sctx, a)
	if err != nil {
		shot(t, ctx, "failed-"+what)
		t.Fatalf("%s: %v", what, err)
	}
	return v
}

// artifactsDir is where screenshots go: $CLOSEDSET_ARTIFACTS for CI to
// keep, else web/testdata/artifacts (ignored by git).
func artifactsDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("CLOSEDSET_ARTIFACTS")
	if dir == "" {
		dir = filepath.Join("testdata", "artifacts")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatalf("artifacts folder: %v", err)
	}
	return dir
}

// shot saves a full-page PNG screenshot named after the test and what.
// A failure to take it is logged, never fatal: it is evidence, not a check.
func shot(t *testing.T, ctx context.Context, what string) {
	t.Helper()
	sctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	png, err := chromedp.Run(sctx, chromedp.FullScreenshot(100))
	if err != nil {
		if !errors.Is(err, context.Canceled) {
			t.Logf("screenshot %s: %v", what, err)
		}
		return
	}
	name := strings.NewReplacer("/", "-", " ", "_").Replace(t.Name() + "-" + what)
	p := filepath.Join(artifactsDir(t), name+".png")
	if err := os.WriteFile(p, png, 0o644); err != nil {
		t.Logf("screenshot %s: %v", what, err)
	}
}

// browserStore is a real SQLite store in a temporary folder.
func browserStore(t *testing.T) ops.Store {
	t.Helper()
	st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "closedset.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}
