package benchtext

import (
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var out = flag.String("out", "", "write mix.fountain and dense.fountain (20 MB each) into this folder")

// TestWrite writes the benchmark inputs for scripts/benchcli, which times
// the closedset binary beside wc -w on them:
//
//	go test ./internal/benchtext -run TestWrite -args -out DIR
func TestWrite(t *testing.T) {
	mix, err := Mix(20<<20, filepath.Join("..", "..", "..", "shared", "corpus"), filepath.Join("..", "..", "breakdown", "testdata", "devset"))
	if err != nil {
		t.Fatal(err)
	}
	dense := Dense(20 << 20)
	if len(mix) < 20<<20 || len(dense) < 20<<20 {
		t.Fatalf("mix %d, dense %d bytes: want 20 MB each", len(mix), len(dense))
	}
	if *out == "" {
		return
	}
	for name, data := range map[string][]byte{"mix.fountain": mix, "dense.fountain": dense} {
		if err := os.WriteFile(filepath.Join(*out, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
