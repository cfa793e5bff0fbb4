package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// buildBinary builds closedset once into a temp folder: the crash test
// needs a process it can kill -9.
func buildBinary(t *testing.T) string {
	t.Helper()
	// go test puts its own go first on the PATH.
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("the crash test builds closedset and needs go on the PATH: %v", err)
	}
	bin := filepath.Join(t.TempDir(), "closedset")
	cmd := exec.Command(goBin, "build", "-o", bin, ".")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// cli runs the built binary to the end and returns its exit status and
// output.
func cli(t *testing.T, bin, stdin string, args ...string) (int, string, string) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return code, out.String(), errb.String()
}

// server is a running `closedset serve` process.
type server struct {
	cmd  *exec.Cmd
	base string
	logs *bytes.Buffer
}

// startServer starts the binary on a free port and waits until it answers
// /healthz.
func startServer(t *testing.T, bin, db string) *server {
	t.Helper()
	addrFile := filepath.Join(t.TempDir(), "addr")
	logs := &bytes.Buffer{}
	cmd := exec.Command(bin, "serve", "--addr", "127.0.0.1:0", "--addr-file", addrFile, "--db", db)
	cmd.Stdout, cmd.Stderr = logs, logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	s := &server{cmd: cmd, logs: logs}
	t.Cleanup(func() {
		if s.cmd.ProcessState == nil {
			s.cmd.Process.Kill()
			s.cmd.Wait()
		}
	})
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if b, err := os.ReadFile(addrFile); err == nil && strings.HasSuffix(string(b), "\n") {
			s.base = "http://" + strings.TrimSpace(string(b))
			if resp, err := http.Get(s.base + "/healthz"); err == nil {
				resp.Body.Close()
				if resp.StatusCode == http.StatusOK {
					return s
				}
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("the server did not come up:\n%s", logs)
	return nil
}

// api makes one API call with the token and decodes the JSON answer into
// out (when non-nil). It returns the status, or an error when no answer
// came (the server was killed mid-request).
func api(client *http.Client, token, method, url string, body, out any) (int, error) {
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return 0, err
		}
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, url, r)
	if err != nil {
		return 0, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, err // an answer cut off is not an acknowledgement
	}
	if out != nil && resp.StatusCode/100 == 2 {
		if err := json.Unmarshal(data, out); err != nil {
			return 0, fmt.Errorf("decode %s: %w", data, err)
		}
	}
	return resp.StatusCode, nil
}

// acked is every write the server answered with success.
type acked struct {
	mu          sync.Mutex
	productions map[string]int64 // title -> id
	invited     map[int64]bool   // production id -> the second user was invited
	writes      int
}

// TestKilledServerLosesNoAcknowledgedWrite is DESIGN.md's invariant 8:
// clients write through the API while the server is killed with SIGKILL,
// several times over; after each restart every write that was answered
// with success is there, and the audit chain verifies with at least one
// event per acknowledged write.
func TestKilledServerLosesNoAcknowledgedWrite(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and kills servers: not with -short")
	}
	bin := buildBinary(t)
	db := "sqlite:" + filepath.Join(t.TempDir(), "data", "closedset.db")
	if code, _, stderr := cli(t, bin, "a long enough password\n", "user", "create", "--email", "writer@example.org", "--name", "Writer", "--db", db); code != 0 {
		t.Fatalf("user create: %s", stderr)
	}
	if code, _, stderr := cli(t, bin, "a long enough password\n", "user", "create", "--email", "dept@example.org", "--name", "Dept Head", "--db", db); code != 0 {
		t.Fatalf("user create: %s", stderr)
	}
	code, out, stderr := cli(t, bin, "", "token", "create", "--email", "writer@example.org", "--db", db)
	if code != 0 {
		t.Fatalf("token create: %s", stderr)
	}
	token := strings.TrimSpace(out)

	const cycles, workers = 3, 6
	ack := &acked{productions: map[string]int64{}, invited: map[int64]bool{}}
	for cycle := 1; cycle <= cycles; cycle++ {
		s := startServer(t, bin, db)
		checkAcknowledged(t, s, token, ack)
		before := ack.writes
		stop := make(chan struct{})
		var wg sync.WaitGroup
		for w := range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				write(s.base, token, fmt.Sprintf("c%d-w%d", cycle, w), stop, ack)
			}()
		}
		// Let the clients write for a while, then pull the plug mid-stream.
		time.Sleep(1500 * time.Millisecond)
		if err := s.cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		s.cmd.Wait()
		close(stop)
		wg.Wait()
		t.Logf("cycle %d: %d writes acknowledged before SIGKILL (%d productions in all)", cycle, ack.writes-before, len(ack.productions))
		if ack.writes == before {
			t.Fatalf("cycle %d: no write was acknowledged; server log:\n%s", cycle, s.logs)
		}
	}

	s := startServer(t, bin, db)
	checkAcknowledged(t, s, token, ack)
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := s.cmd.Wait(); err != nil {
		t.Errorf("the server did not stop cleanly on SIGTERM: %v\n%s", err, s.logs)
	}

	code, out, stderr = cli(t, bin, "", "audit", "verify", "--db", db)
	if code != 0 {
		t.Fatalf("audit verify: exit %d: %s%s", code, out, stderr)
	}
	m := regexp.MustCompile(`audit chain intact: (\d+) events`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("audit verify said %q", out)
	}
	n, _ := strconv.Atoi(m[1])
	if n < ack.writes {
		t.Errorf("%d audit events for %d acknowledged writes", n, ack.writes)
	}
	t.Logf("all %d acknowledged writes found after %d kills; audit chain intact with %d events", ack.writes, cycles, n)
}

// write creates productions, and adds the second user to every third, until
// stop closes or the server stops answering.
func write(base, token, prefix string, stop <-chan struct{}, ack *acked) {
	client := &http.Client{Timeout: 10 * time.Second}
	for i := 0; ; i++ {
		select {
		case <-stop:
			return
		default:
		}
		title := fmt.Sprintf("Crash test %s-%d", prefix, i)
		var p struct {
			ID int64 `json:"id"`
		}
		code, err := api(client, token, "POST", base+"/api/v1/productions", map[string]string{"title": title, "policy": "sag_aftra"}, &p)
		if err != nil {
			if isDown(err) {
				return
			}
			continue
		}
		if code/100 != 2 {
			continue
		}
		ack.mu.Lock()
		ack.productions[title] = p.ID
		ack.writes++
		ack.mu.Unlock()
		if i%3 != 0 {
			continue
		}
		code, err = api(client, token, "POST", fmt.Sprintf("%s/api/v1/productions/%d/members", base, p.ID), map[string]string{"email": "dept@example.org", "role": "costume"}, nil)
		if err == nil && code/100 == 2 {
			ack.mu.Lock()
			ack.invited[p.ID] = true
			ack.writes++
			ack.mu.Unlock()
		} else if err != nil && isDown(err) {
			return
		}
	}
}

// isDown tells a dead server from a slow answer.
func isDown(err error) bool {
	s := err.Error()
	return strings.Contains(s, "connection refused") || strings.Contains(s, "connection reset") || strings.Contains(s, "EOF") || strings.Contains(s, "broken pipe")
}

// checkAcknowledged asserts that every acknowledged production, and every
// acknowledged invitation, is there.
func checkAcknowledged(t *testing.T, s *server, token string, ack *acked) {
	t.Helper()
	client := &http.Client{Timeout: 30 * time.Second}
	var list struct {
		Productions []struct {
			ID    int64  `json:"id"`
			Title string `json:"title"`
		} `json:"productions"`
	}
	code, err := api(client, token, "GET", s.base+"/api/v1/productions", nil, &list)
	if err != nil || code != 200 {
		t.Fatalf("list productions: %d %v\n%s", code, err, s.logs)
	}
	have := map[string]int64{}
	for _, p := range list.Productions {
		have[p.Title] = p.ID
	}
	ack.mu.Lock()
	defer ack.mu.Unlock()
	missing := 0
	for title, id := range ack.productions {
		if have[title] != id {
			missing++
			if missing <= 5 {
				t.Errorf("acknowledged production %q (id %d) is missing after the crash", title, id)
			}
		}
	}
	if missing > 0 {
		t.Fatalf("%d of %d acknowledged productions lost", missing, len(ack.productions))
	}
	for id := range ack.invited {
		var is struct {
			Invitations []struct {
				Email string `json:"email"`
			} `json:"invitations"`
		}
		code, err := api(client, token, "GET", fmt.Sprintf("%s/api/v1/productions/%d/invitations", s.base, id), nil, &is)
		if err != nil || code != 200 {
			t.Fatalf("list invitations of %d: %d %v", id, code, err)
		}
		found := false
		for _, inv := range is.Invitations {
			found = found || inv.Email == "dept@example.org"
		}
		if !found {
			t.Errorf("acknowledged invitation of production %d is missing after the crash", id)
		}
	}
}
