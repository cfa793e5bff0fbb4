package main

import (
	"bytes"
	"compress/zlib"
	"encoding/ascii85"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"closedset/sandbox"
)

// TestMain lets the test binary stand in for closedset as the child that
// reads uploads: serve, run in-process by the tests, re-executes
// os.Executable(), which is this binary.
func TestMain(m *testing.M) {
	if len(os.Args) > 1 && os.Args[1] == sandbox.Subcommand {
		os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// bombPDF is a one-page PDF whose content stream is content with the
// given extra dictionary entries: the hostile uploads of issue 12 are made
// here, never downloaded.
func bombPDF(content []byte, dict string) []byte {
	var b bytes.Buffer
	var offs []int
	obj := func(s string) {
		offs = append(offs, b.Len())
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", len(offs), s)
	}
	b.WriteString("%PDF-1.4\n")
	obj("<< /Type /Catalog /Pages 2 0 R >>")
	obj("<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
	obj("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>")
	offs = append(offs, b.Len())
	fmt.Fprintf(&b, "4 0 obj\n<< /Length %d%s >>\nstream\n", len(content), dict)
	b.Write(content)
	b.WriteString("\nendstream\nendobj\n")
	obj("<< /Type /Font /Subtype /Type1 /BaseFont /Courier >>")
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(offs)+1)
	for _, o := range offs {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(offs)+1, xref)
	return b.Bytes()
}

func deflated(r io.Reader) []byte {
	var z bytes.Buffer
	w, _ := zlib.NewWriterLevel(&z, zlib.BestCompression)
	io.Copy(w, r)
	w.Close()
	return z.Bytes()
}

// zeroReader reads n zero bytes.
func zeroReader(n int64) io.Reader { return io.LimitReader(zeroes{}, n) }

type zeroes struct{}

func (zeroes) Read(p []byte) (int, error) { clear(p); return len(p), nil }

// issue12Bombs are the three PDFs of issue 12's Done-when.
func issue12Bombs() map[string][]byte {
	const big = 2 << 30 // decoded size of the layered bombs
	twice := deflated(bytes.NewReader(deflated(zeroReader(big))))
	inner := deflated(zeroReader(big))
	a85 := make([]byte, ascii85.MaxEncodedLen(len(inner)))
	a85 = append(a85[:ascii85.Encode(a85, inner)], "~>"...)
	return map[string][]byte{
		"predictor": bombPDF(deflated(strings.NewReader("BT /F1 12 Tf 108 700 Td (INT. HOUSE - DAY) Tj ET")),
			" /Filter /FlateDecode /DecodeParms << /Predictor 12 /Columns 1000000000000 >>"),
		"two Flate layers":   bombPDF(twice, " /Filter [/FlateDecode /FlateDecode]"),
		"ASCII85 then Flate": bombPDF(a85, " /Filter [/ASCII85Decode /FlateDecode]"),
	}
}

// TestHostilePDFsGetA4xxWhileTheServerAnswers is issue 12's Done-when for
// PDFs: the real binary serves, reads each upload in its child process,
// answers each bomb with a 4xx within 10 s, and answers /healthz all the
// while.
func TestHostilePDFsGetA4xxWhileTheServerAnswers(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and 2 GB bombs: not with -short")
	}
	bombs := issue12Bombs()
	bin := buildBinary(t)
	db := "sqlite:" + filepath.Join(t.TempDir(), "data", "closedset.db")
	if code, _, stderr := cli(t, bin, "a long enough password\n", "user", "create", "--email", "writer@example.org", "--name", "Writer", "--db", db); code != 0 {
		t.Fatalf("user create: %s", stderr)
	}
	code, out, stderr := cli(t, bin, "", "token", "create", "--email", "writer@example.org", "--db", db)
	if code != 0 {
		t.Fatalf("token create: %s", stderr)
	}
	token := strings.TrimSpace(out)
	s := startServer(t, bin, db)
	client := &http.Client{Timeout: 30 * time.Second}
	var p struct{ ID int64 }
	if code, err := api(client, token, "POST", s.base+"/api/v1/productions", map[string]string{"title": "Harbor", "policy": "sag_aftra"}, &p); code != http.StatusCreated && code != http.StatusOK || err != nil {
		t.Fatalf("create production: %d %v\n%s", code, err, s.logs)
	}

	// /healthz is asked every 100 ms while the bombs go in.
	stop := make(chan struct{})
	var healthy, sick atomic.Int64
	go func() {
		for {
			select {
			case <-stop:
				return
			case <-time.After(100 * time.Millisecond):
			}
			c := &http.Client{Timeout: 2 * time.Second}
			resp, err := c.Get(s.base + "/healthz")
			if err == nil && resp.StatusCode == http.StatusOK {
				healthy.Add(1)
			} else {
				sick.Add(1)
			}
			if err == nil {
				resp.Body.Close()
			}
		}
	}()
	for name, data := range bombs {
		t.Run(name, func(t *testing.T) {
			req, _ := http.NewRequest("POST", fmt.Sprintf("%s/api/v1/productions/%d/scripts?filename=bomb.pdf", s.base, p.ID), bytes.NewReader(data))
			req.Header.Set("Authorization", "Bearer "+token)
			req.Header.Set("Content-Type", "application/octet-stream")
			start := time.Now()
			resp, err := client.Do(req)
			if err != nil {
				t.Fatalf("%d bytes: no answer: %v\n%s", len(data), err, s.logs)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			took := time.Since(start)
			// Refused as unreadable, not by some other gate (a wrong
			// route, a token, the body limit).
			if resp.StatusCode != http.StatusUnprocessableEntity || !bytes.Contains(body, []byte(`"code":"unprocessable"`)) {
				t.Errorf("%d bytes: status %d, want 422 unprocessable: %s", len(data), resp.StatusCode, body)
			}
			if took > 10*time.Second {
				t.Errorf("%d bytes: answered after %v", len(data), took)
			}
			t.Logf("%d bytes: %d in %v: %s", len(data), resp.StatusCode, took.Round(time.Millisecond), bytes.TrimSpace(body))
		})
	}
	close(stop)
	if resp, err := http.Get(s.base + "/healthz"); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("after the bombs /healthz: %v\n%s", err, s.logs)
	}
	if sick.Load() > 0 || healthy.Load() == 0 {
		t.Errorf("/healthz answered %d times and failed %d times while the bombs were read", healthy.Load(), sick.Load())
	}
}
