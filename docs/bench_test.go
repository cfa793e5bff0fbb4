package docs

import (
	"bytes"
	"testing"
)

// BenchmarkRenderRiderPDF renders a 10-scene rider with long texts and
// reports the PDF's size.
func BenchmarkRenderRiderPDF(b *testing.B) {
	r := longRider(b, 10)
	var buf bytes.Buffer
	b.ReportAllocs()
	for b.Loop() {
		buf.Reset()
		if err := RenderRiderPDF(&buf, r, A4); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(buf.Len()), "pdf-bytes")
}
