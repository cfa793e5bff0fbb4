package web

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"closedset/auth"
	"closedset/production"
)

// The load tests measure the reads every member makes over and over, over
// real HTTP on loopback and a real SQLite file: the scene list (the page
// every member opens first), a scene's readiness (polled by the AD and
// the IC on set) and the day board (each of the day's scenes with its
// readiness). Each prints requests per second and latency percentiles:
//
//	go test ./web -run TestLoad -load -v
//	go test ./web -run TestLoad/readiness -load -load.clients 64 -load.duration 10s -v
//
// They are skipped unless -load is given, and assert nothing on timings:
// only that every request succeeded.
var (
	loadRun      = flag.Bool("load", false, "run the load tests")
	loadClients  = flag.Int("load.clients", 64, "concurrent clients")
	loadDuration = flag.Duration("load.duration", 10*time.Second, "how long to send requests to each endpoint")
)

func TestLoad(t *testing.T) {
	if !*loadRun {
		t.Skip("load test: run with -load")
	}
	t.Run("scenes", func(t *testing.T) {
		e := newEnv(t)
		ic := e.user("ic@example.org", "Ivy", false)
		tok := e.token(ic)
		np := newProduction("Load")
		np.Role = auth.IC
		p, err := e.st.CreateProduction(context.Background(), ic.Actor(), np)
		if err != nil {
			t.Fatal(err)
		}
		file := filepath.Join(t.TempDir(), "long.fountain")
		if err := os.WriteFile(file, longScript(t, 18), 0o600); err != nil {
			t.Fatal(err)
		}
		rev := e.addRevision(ic, p.ID, 0, file)
		what := fmt.Sprintf("scene list (%d scenes, %d flagged)", rev.SceneCount, rev.FlaggedCount)
		hammer(t, e.srv, what, "/api/v1/productions/"+itoa(p.ID)+"/scenes", tok)
	})
	// The world (authz_test.go) is a production with two drafts, a cast
	// performer with boundaries, plans, riders and a consent, a
	// department request, a closed-set list and a shoot day: every gate
	// has something to read.
	w := newWorld(t)
	t.Run("readiness", func(t *testing.T) {
		hammer(t, w.srv, "readiness (one scene, drafts 2)", "/api/v1/scenes/"+itoa(w.scene.ID)+"/readiness", w.tokens["ad"])
	})
	t.Run("dayboard", func(t *testing.T) {
		scenes, err := w.st.CurrentScenes(context.Background(), w.prod.ID)
		if err != nil {
			t.Fatal(err)
		}
		var ids []int64
		for _, sc := range scenes {
			ids = append(ids, sc.ID)
		}
		d, err := w.srv.ops.CreateShootDay(context.Background(), w.asAD().caller(), production.DateOf(w.clock.Now().AddDate(0, 0, 8)), ids)
		if err != nil {
			t.Fatal(err)
		}
		what := fmt.Sprintf("day board (%d scenes)", len(ids))
		hammer(t, w.srv, what, "/api/v1/shoot-days/"+itoa(d.ID), w.tokens["ad"])
	})
}

// hammer sends GET path with the token from -load.clients clients for
// -load.duration and prints what it measured.
func hammer(t *testing.T, h http.Handler, what, path, tok string) {
	t.Helper()
	ts := httptest.NewServer(h)
	defer ts.Close()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: *loadClients}}
	defer client.CloseIdleConnections()
	url := ts.URL + path

	var mu sync.Mutex
	var lat []time.Duration
	var failures int
	var size int64
	cpu0, start := processCPU(), time.Now()
	deadline := start.Add(*loadDuration)
	var wg sync.WaitGroup
	for range *loadClients {
		wg.Go(func() {
			var mine []time.Duration
			bad := 0
			for time.Now().Before(deadline) {
				req, _ := http.NewRequest("GET", url, nil)
				req.Header.Set("Authorization", "Bearer "+tok)
				t0 := time.Now()
				res, err := client.Do(req)
				if err != nil {
					bad++
					continue
				}
				n, _ := io.Copy(io.Discard, res.Body)
				res.Body.Close()
				if res.StatusCode != 200 {
					bad++
					continue
				}
				mine = append(mine, time.Since(t0))
				mu.Lock()
				size = n
				mu.Unlock()
			}
			mu.Lock()
			lat = append(lat, mine...)
			failures += bad
			mu.Unlock()
		})
	}
	wg.Wait()
	elapsed, cpu := time.Since(start), processCPU()-cpu0
	if len(lat) == 0 {
		t.Fatalf("%s: no request succeeded (%d failures)", what, failures)
	}
	slices.Sort(lat)
	pct := func(p float64) time.Duration { return lat[int(float64(len(lat)-1)*p)] }
	// CPU per request counts the server and the client (one process),
	// and is the figure to compare across runs on a busy machine; the
	// CPU share says how much of the machine the run had.
	fmt.Printf("%s, %d KiB: %d clients, %s: %d requests, %.0f req/s, p50 %s, p99 %s, %d failures; CPU %s a request, %.0f%% of a core\n",
		what, size>>10, *loadClients, *loadDuration, len(lat), float64(len(lat))/elapsed.Seconds(),
		pct(0.50).Round(time.Microsecond), pct(0.99).Round(time.Microsecond), failures,
		(cpu / time.Duration(len(lat))).Round(time.Microsecond), 100*cpu.Seconds()/elapsed.Seconds())
	if failures > 0 {
		t.Errorf("%s: %d requests failed", what, failures)
	}
}

var sceneNumber = regexp.MustCompile(` #[0-9A-Z]+#`)

// longScript repeats harbor's scenes n times (11 scenes each), without
// their numbers, after one title page.
func longScript(t *testing.T, n int) []byte {
	data, err := os.ReadFile("../screenplay/testdata/twins/harbor.fountain")
	if err != nil {
		t.Fatal(err)
	}
	s := string(data)
	i := strings.Index(s, "FADE IN:")
	title, body := s[:i], sceneNumber.ReplaceAllString(strings.TrimSuffix(strings.TrimSpace(s[i:]), "> THE END <"), "")
	var b strings.Builder
	b.WriteString(title)
	for range n {
		b.WriteString(body)
		b.WriteString("\n\n")
	}
	return []byte(b.String())
}
