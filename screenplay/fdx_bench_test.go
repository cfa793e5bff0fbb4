package screenplay

import (
	"os"
	"testing"
)

// benchFDX are the files the FDX speed target is measured on: a feature
// (333 KB) and a long stage play full of Final Draft metadata (660 KB).
var benchFDX = []string{"screenplain/Big-Fish.fdx", "real/equivocation-stage-play.fdx"}

// BenchmarkReadFDX measures the FDX reader as used (the scanner) and, for
// comparison, the same reader over encoding/xml.
//
//	go test ./screenplay -run '^$' -bench ReadFDX -benchmem -cpu 1 -count 5
func BenchmarkReadFDX(b *testing.B) {
	readers := []struct {
		name string
		read func([]byte) (*Script, error)
	}{
		{"scanner", func(d []byte) (*Script, error) { return readFDX(d) }},
		{"encoding-xml", readFDXStd},
	}
	for _, rel := range benchFDX {
		data, err := os.ReadFile(corpusPath(b, rel))
		if err != nil {
			b.Fatal(err)
		}
		for _, r := range readers {
			b.Run(rel+"/"+r.name, func(b *testing.B) {
				b.SetBytes(int64(len(data)))
				b.ReportAllocs()
				for b.Loop() {
					if _, err := r.read(data); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// BenchmarkXMLScanner measures the tokenizer alone: the ceiling of the
// FDX reader.
func BenchmarkXMLScanner(b *testing.B) {
	for _, rel := range benchFDX {
		data, err := os.ReadFile(corpusPath(b, rel))
		if err != nil {
			b.Fatal(err)
		}
		b.Run(rel, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			var t xmlToken
			for b.Loop() {
				s := newXMLScanner(data, fdxMaxAttrs)
				for {
					if err := s.next(&t); err != nil {
						b.Fatal(err)
					}
					if t.kind == xmlEOF {
						break
					}
				}
			}
		})
	}
}
