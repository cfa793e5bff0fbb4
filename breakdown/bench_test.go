package breakdown

import (
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
