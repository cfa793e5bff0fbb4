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
)

// The load test measures the scene list, the page every member opens
// first, over real HTTP on loopback and a real SQLite file:
//
//	go test ./web -run TestLoadSceneList -load -v
//	go test ./web -run TestLoadSceneList -load -load.clients 64 -load.duration 10s -v
//
// It is skipped unless -load is given.
var (
	loadRun      = flag.Bool("load", false, "run the load test")
	loadClients  = flag.Int("load.clients", 64, "concurrent clients")
	loadDuration = flag.Duration("load.duration", 10*time.Second, "how long to send requests")
)

func TestLoadSceneList(t *testing.T) {
	if !*loadRun {
		t.Skip("load test: run with -load")
	}
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
	t.Logf("seeded %d scenes (%d flagged)", rev.SceneCount, rev.FlaggedCount)

	ts := httptest.NewServer(e.srv)
	defer ts.Close()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: *loadClients}}
	url := ts.URL + "/api/v1/productions/" + itoa(p.ID) + "/scenes"

	var mu sync.Mutex
	var lat []time.Duration
	var failures int
	var size int64
	deadline := time.Now().Add(*loadDuration)
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
	if len(lat) == 0 {
		t.Fatalf("no request succeeded (%d failures)", failures)
	}
	slices.Sort(lat)
	pct := func(p float64) time.Duration { return lat[int(float64(len(lat)-1)*p)] }
	fmt.Printf("scene list (%d scenes, %d KiB): %d clients, %s: %d requests, %.0f req/s, p50 %s, p99 %s, %d failures\n",
		rev.SceneCount, size>>10, *loadClients, *loadDuration, len(lat), float64(len(lat))/loadDuration.Seconds(),
		pct(0.50).Round(time.Microsecond), pct(0.99).Round(time.Microsecond), failures)
	if failures > 0 {
		t.Errorf("%d requests failed", failures)
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
