package sandbox

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"closedset"
	"closedset/breakdown"
	"closedset/production"
	"closedset/screenplay"
)

// TestMain makes the test binary its own child: run with Subcommand it is
// the child, and with CLOSEDSET_SANDBOX_HOG set it misbehaves under its
// limits the way a hostile file makes a reader misbehave.
func TestMain(m *testing.M) {
	if len(os.Args) > 1 && os.Args[1] == Subcommand {
		hog := os.Getenv("CLOSEDSET_SANDBOX_HOG")
		if hog == "" {
			if err := Child(os.Args[2:], os.Stdin, os.Stdout); err != nil {
				os.Exit(1)
			}
			os.Exit(0)
		}
		a, err := parseArgs(os.Args[2:])
		if err != nil || limit(a.memory, a.cpu) != nil {
			os.Exit(3)
		}
		misbehave(hog)
	}
	os.Exit(m.Run())
}

var sink [][]byte

func misbehave(how string) {
	switch how {
	case "memory":
		for {
			b := make([]byte, 16<<20)
			for i := range b {
				b[i] = 1
			}
			sink = append(sink, b)
		}
	case "cpu":
		for n := 0; ; n++ {
			if n == -1 {
				os.Exit(0)
			}
		}
	case "sleep":
		time.Sleep(time.Hour)
	case "flood":
		b := make([]byte, 1<<20)
		for {
			os.Stdout.Write(b)
		}
	case "garbage":
		os.Stdout.WriteString("{not json")
		os.Exit(0)
	}
}

func testReader(t *testing.T) Reader {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	return Reader{Exe: exe, Memory: 256 << 20, CPU: 2, Timeout: 10 * time.Second, MaxOutput: 1 << 20}
}

func TestChildReadsADraft(t *testing.T) {
	d, err := testReader(t).ReadDraft(context.Background(), "a.fountain", []byte("INT. HOUSE - DAY\n\nANNA kisses BEN.\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Scenes) != 1 || d.Scenes[0].Heading != "INT. HOUSE - DAY" || d.SHA256 == "" {
		t.Errorf("draft %+v", d)
	}
}

func TestChildReadingErrorKeepsItsKindAndWords(t *testing.T) {
	_, err := testReader(t).ReadDraft(context.Background(), "photo.pdf", []byte("%PDF-1.4 garbage"))
	if closedset.KindOf(err) != closedset.Unprocessable || !strings.HasPrefix(err.Error(), "photo.pdf: ") {
		t.Errorf("error %v (%s)", err, closedset.KindOf(err))
	}
}

// TestChildOverItsLimitsIsUnprocessable: whatever the child does, the
// caller gets a 422 naming the limit, quickly.
func TestChildOverItsLimitsIsUnprocessable(t *testing.T) {
	tests := []struct{ hog, says string }{
		{"memory", "memory"},
		{"cpu", "CPU time"},
		{"sleep", "longer than"},
		{"flood", "wrote back more"},
		{"garbage", "cut short"},
	}
	for _, tc := range tests {
		t.Run(tc.hog, func(t *testing.T) {
			r := testReader(t)
			r.Env = []string{"CLOSEDSET_SANDBOX_HOG=" + tc.hog}
			r.Timeout = 4 * time.Second
			if tc.hog == "cpu" {
				// CPU seconds can take longer on a shared machine.
				r.CPU, r.Timeout = 1, 9*time.Second
			}
			start := time.Now()
			_, err := r.ReadDraft(context.Background(), "bomb.pdf", []byte("%PDF-1.4"))
			if closedset.KindOf(err) != closedset.Unprocessable || !strings.Contains(err.Error(), "could not be read within the limits") || !strings.Contains(err.Error(), tc.says) {
				t.Errorf("error %v (%s), want unprocessable naming %q", err, closedset.KindOf(err), tc.says)
			}
			if d := time.Since(start); d > 10*time.Second {
				t.Errorf("took %v", d)
			}
		})
	}
}

// TestChildDraftIsTheInProcessDraft: the draft comes back through JSON
// exactly as production.ReadDraft makes it, for each format.
func TestChildDraftIsTheInProcessDraft(t *testing.T) {
	for _, file := range []string{"../screenplay/testdata/pdf/pilot.pdf", "../screenplay/testdata/fdx/" + firstFile(t, "../screenplay/testdata/fdx")} {
		t.Run(filepath.Base(file), func(t *testing.T) {
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			name := filepath.Base(file)
			want, err := production.ReadDraft(context.Background(), name, data, screenplay.Options{}, breakdown.Options{})
			if err != nil {
				t.Fatal(err)
			}
			got, err := testReader(t).ReadDraft(context.Background(), name, data)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("through the child:\n%+v\nin process:\n%+v", got, want)
			}
		})
	}
}

func firstFile(t *testing.T, dir string) string {
	es, err := os.ReadDir(dir)
	if err != nil || len(es) == 0 {
		t.Fatalf("%s: %v", dir, err)
	}
	return es[0].Name()
}

// TestChildGetsNoneOfTheServersEnvironment: a secret in the server's
// environment does not reach the child that reads untrusted bytes.
func TestChildGetsNoneOfTheServersEnvironment(t *testing.T) {
	t.Setenv("CLOSEDSET_KEY", "0123456789abcdef")
	t.Setenv("CLOSEDSET_SANDBOX_HOG", "memory") // would fail the read if it reached the child
	r := testReader(t)
	if _, err := r.ReadDraft(context.Background(), "harbor.fountain", []byte("INT. ROOM - DAY\n\nANNA reads.\n")); err != nil {
		t.Fatalf("a read with secrets in the server's environment: %v", err)
	}
}
