package screenplay

import (
	"bytes"
	"compress/zlib"
	"context"
	"encoding/ascii85"
	"strings"
	"testing"
	"time"
)

// deflate compresses b with zlib, as a PDF's FlateDecode expects.
func deflate(b []byte) []byte {
	var z bytes.Buffer
	w, _ := zlib.NewWriterLevel(&z, zlib.BestCompression)
	w.Write(b)
	w.Close()
	return z.Bytes()
}

// zeros returns a zlib stream of n zero bytes without holding them.
func zeros(n int64) []byte {
	var z bytes.Buffer
	w, _ := zlib.NewWriterLevel(&z, zlib.BestCompression)
	chunk := make([]byte, 1<<20)
	for ; n > 0; n -= int64(len(chunk)) {
		w.Write(chunk[:min(n, int64(len(chunk)))])
	}
	w.Close()
	return z.Bytes()
}

func a85(b []byte) []byte {
	out := make([]byte, ascii85.MaxEncodedLen(len(b)))
	return append(out[:ascii85.Encode(out, b)], "~>"...)
}

// The attacks of issue 12, as small files: a predictor row of a trillion
// bytes, and bombs the old guard let through because it inflated one
// Flate layer only.
func predictorBomb(param string) []byte {
	return minimalPDF(deflate([]byte("BT /F1 12 Tf 108 700 Td (INT. HOUSE - DAY) Tj ET")),
		" /Filter /FlateDecode /DecodeParms << /Predictor 12 "+param+" >>")
}

func twoLayerFlateBomb(n int64) []byte {
	return minimalPDF(deflate(zeros(n)), " /Filter [/FlateDecode /FlateDecode]")
}

func ascii85FlateBomb(n int64) []byte {
	return minimalPDF(a85(zeros(n)), " /Filter [/ASCII85Decode /FlateDecode]")
}

func TestPDFRefusesAbsurdPredictors(t *testing.T) {
	tests := []struct{ name, param, says string }{
		{"a trillion columns (the 693-byte file)", "/Columns 1000000000000", "/Columns"},
		{"negative columns", "/Columns -5", "/Columns"},
		{"absurd colors", "/Columns 10 /Colors 100000", "/Colors"},
		{"absurd bits per component", "/Columns 10 /BitsPerComponent 1000", "/BitsPerComponent"},
		{"a row too wide", "/Columns 1000000 /Colors 64 /BitsPerComponent 16", "/Columns"},
		{"an indirect column count", "/Columns 9 0 R", "/Columns"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			data := predictorBomb(tc.param)
			_, err := readPDF(context.Background(), data, "bomb.pdf")
			if why(err) != ErrLimit || !strings.Contains(err.Error(), tc.says) {
				t.Errorf("%d bytes: error %v, want ErrLimit naming %s", len(data), err, tc.says)
			}
		})
	}
	t.Run("sane parameters still read", func(t *testing.T) {
		_, err := readPDF(context.Background(), predictorBomb("/Columns 4 /Colors 1 /BitsPerComponent 8"), "ok.pdf")
		if why(err) == ErrLimit {
			t.Errorf("refused sane predictor parameters: %v", err)
		}
	})
}

// TestPDFRefusesLayeredBombs uses a small limit; the real one
// (maxDecodedBytes) works the same way, only slower to reach.
func TestPDFRefusesLayeredBombs(t *testing.T) {
	const limit = 4 << 20
	tests := []struct {
		name string
		data []byte
	}{
		{"two Flate layers", twoLayerFlateBomb(2 * limit)},
		{"ASCII85 then Flate", ascii85FlateBomb(2 * limit)},
		{"three Flate layers", minimalPDF(deflate(deflate(zeros(2*limit))), " /Filter [/FlateDecode /FlateDecode /FlateDecode]")},
		{"many small streams together", bytes.Repeat(minimalPDF(zeros(limit/3), " /Filter /FlateDecode"), 4)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := checkStreams(tc.data, limit)
			if why(err) != ErrLimit || !strings.Contains(err.Error(), "decompression bomb") {
				t.Errorf("%d bytes: error %v, want a decompression bomb", len(tc.data), err)
			}
		})
	}
}

// TestPDFRefusesRealSizeBombsQuickly reads the bombs of issue 12 at full
// size through the real guard: each is refused, not read, within seconds.
func TestPDFRefusesRealSizeBombsQuickly(t *testing.T) {
	if testing.Short() || raceOn {
		t.Skip("builds and inflates bombs of a few hundred MB")
	}
	tests := []struct {
		name string
		data []byte
	}{
		{"two Flate layers", twoLayerFlateBomb(maxDecodedBytes + 1<<20)},
		{"ASCII85 then Flate", ascii85FlateBomb(maxDecodedBytes + 1<<20)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			start := time.Now()
			_, err := readPDF(context.Background(), tc.data, "bomb.pdf")
			if why(err) != ErrLimit {
				t.Errorf("%d bytes: error %v, want ErrLimit", len(tc.data), err)
			}
			if d := time.Since(start); d > 10*time.Second {
				t.Errorf("took %v", d)
			}
		})
	}
}

// TestPDFCountsAStreamDrawnAgainAndAgain: a page naming one 1 MB content
// stream a hundred times decodes 100 MB, over the budget, though the file
// holds the stream once.
func TestPDFCountsAStreamDrawnAgainAndAgain(t *testing.T) {
	content := deflate([]byte("BT /F1 12 Tf 108 700 Td (INT. HOUSE - DAY) Tj ET" + strings.Repeat(" ", 1<<20)))
	data := pagePDF("["+strings.Repeat("4 0 R ", 100)+"]", content, " /Filter /FlateDecode")
	_, err := readPDF(context.Background(), data, "again.pdf")
	if why(err) != ErrLimit || !strings.Contains(err.Error(), "draw more than") {
		t.Errorf("error %v, want ErrLimit for drawing too much", err)
	}
	once := pagePDF("[4 0 R 4 0 R]", content, " /Filter /FlateDecode")
	if _, err := readPDF(context.Background(), once, "twice.pdf"); why(err) == ErrLimit {
		t.Errorf("a stream drawn twice: %v", err)
	}
}

func TestPDFRefusesObjectStreamTricks(t *testing.T) {
	tests := []struct{ name, dict string }{
		{"a trillion objects", " /Type /ObjStm /N 1000000000000 /First 4"},
		{"an extension chain", " /Type /ObjStm /N 1 /First 4 /Extends 4 0 R"},
		{"filters named indirectly", " /Filter 9 0 R"},
		{"too many layers", " /Filter [" + strings.Repeat("/FlateDecode ", 20) + "]"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := readPDF(context.Background(), minimalPDF([]byte("1 0 "), tc.dict), "objstm.pdf")
			if why(err) != ErrLimit {
				t.Errorf("error %v, want ErrLimit", err)
			}
		})
	}
}
