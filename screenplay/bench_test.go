package screenplay

import (
	"bytes"
	"closedset/internal/benchtext"
	"os"
	"path/filepath"
	"testing"
)

// bigScript builds a large Fountain script (about 5 MB) from the corpus's
// Big Fish, so the benchmark measures steady-state parsing, not one file.
func bigScript(b *testing.B, rel string, copies int) []byte {
	data, err := os.ReadFile(corpusPath(b, rel))
	if err != nil {
		b.Fatal(err)
	}
	return bytes.Repeat(append(data, '\n'), copies)
}

func benchmarkRead(b *testing.B, data []byte) {
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Read(data, Options{MaxBytes: int64(len(data)) + 1}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkReadFountainFeature(b *testing.B) {
	benchmarkRead(b, bigScript(b, "screenplain/Big-Fish.fountain", 1))
}

func BenchmarkReadFountainLarge(b *testing.B) {
	benchmarkRead(b, bigScript(b, "screenplain/Big-Fish.fountain", 32))
}

func BenchmarkParseFountainOnly(b *testing.B) {
	data := bigScript(b, "screenplain/Big-Fish.fountain", 1)
	text := string(data)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		parseFountain(text)
	}
}

// BenchmarkReadMix20MB reads 20 MB of the public corpus with notes and
// boneyard spliced in, the reader's slow path Big Fish never takes.
func BenchmarkReadMix20MB(b *testing.B) {
	data, err := benchtext.Mix(20<<20, filepath.Join("..", "..", "shared", "corpus"), filepath.Join("..", "breakdown", "testdata", "devset"))
	if err != nil {
		b.Fatal(err)
	}
	benchmarkRead(b, data)
}

// BenchmarkReadDense20MB reads 20 MB of short, flagged scenes.
func BenchmarkReadDense20MB(b *testing.B) {
	benchmarkRead(b, benchtext.Dense(20<<20))
}
