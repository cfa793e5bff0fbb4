package breakdown

import (
	"closedset/internal/benchtext"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"testing"

	"closedset/screenplay"
)

// BenchmarkBreakdownFeature parses and breaks down one long feature (Big
// Fish, Fountain): the throughput a single script sees.
//
//	go test ./breakdown -run '^$' -bench . -benchmem -cpu 1
func BenchmarkBreakdownFeature(b *testing.B) {
	data, err := os.ReadFile(filepath.Join("..", "..", "shared", "corpus", "screenplain", "Big-Fish.fountain"))
	if err != nil {
		b.Skip("corpus not present")
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		s, err := screenplay.Read(data, screenplay.Options{})
		if err != nil {
			b.Fatal(err)
		}
		Analyze(s, Options{})
	}
}

// BenchmarkBreakdownOnly measures the breakdown alone on a parsed script.
func BenchmarkBreakdownOnly(b *testing.B) {
	data, err := os.ReadFile(filepath.Join("..", "..", "shared", "corpus", "screenplain", "Big-Fish.fountain"))
	if err != nil {
		b.Skip("corpus not present")
	}
	s, err := screenplay.Read(data, screenplay.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		Analyze(s, Options{})
	}
}

// BenchmarkBreakdownSlate parses and breaks down the development set, ten
// scripts of different voices, as one slate.
func BenchmarkBreakdownSlate(b *testing.B) {
	files, _ := filepath.Glob(filepath.Join("testdata", "devset", "*.fountain"))
	var scripts [][]byte
	size := 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		scripts = append(scripts, data)
		size += len(data)
	}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	for b.Loop() {
		for _, data := range scripts {
			s, err := screenplay.Read(data, screenplay.Options{})
			if err != nil {
				b.Fatal(err)
			}
			Analyze(s, Options{})
		}
	}
}

// The issue 15 inputs: 20 MB of the public corpus mixed with notes and
// boneyard (the reader's slow path), and 20 MB of a dense script where
// nearly every scene is flagged and ages are restated. Each is read from
// a file as a stream, broken down and written a scene at a time as JSON,
// as closedset breakdown does; scripts/benchcli compares the binary with
// wc -w on the same files.
func benchmarkBreakdownJSON(b *testing.B, data []byte) {
	path := filepath.Join(b.TempDir(), "bench.fountain")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		w := NewWalker(Options{})
		st, err := screenplay.OpenFile(context.Background(), path, screenplay.Options{}, w.Learn)
		if err != nil {
			b.Fatal(err)
		}
		enc := json.NewEncoder(io.Discard)
		if _, err := w.WalkStream(st, func(sc Scene) error { return enc.Encode(sc) }); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkBreakdownMix20MB(b *testing.B) {
	data, err := benchtext.Mix(20<<20, filepath.Join("..", "..", "shared", "corpus"), filepath.Join("testdata", "devset"))
	if err != nil {
		b.Fatal(err)
	}
	benchmarkBreakdownJSON(b, data)
}

func BenchmarkBreakdownDense20MB(b *testing.B) {
	benchmarkBreakdownJSON(b, benchtext.Dense(benchSize(b)))
}

// benchSize is 20 MB, or 2 MB with -short for a quick profile.
func benchSize(b *testing.B) int {
	if testing.Short() {
		return 2 << 20
	}
	return 20 << 20
}
