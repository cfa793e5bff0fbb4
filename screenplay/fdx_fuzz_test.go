package screenplay

import (
	"closedset"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzFDX feeds the FDX reader arbitrary bytes. It must never panic or
// hang; it either returns a *closedset.Error for a reading reason on one line, or a
// Script whose elements all have a line and a known type. On ASCII input
// it must also agree with encoding/xml (non-ASCII names are where the
// scanner's Unicode name rules only approximate XML's tables).
//
//	go test ./screenplay -run '^$' -fuzz '^FuzzFDX$' -fuzztime 120s
func FuzzFDX(f *testing.F) {
	for _, pattern := range []string{"testdata/fdx/*.fdx", "testdata/fdx/hostile/*.fdx"} {
		files, _ := filepath.Glob(pattern)
		for _, file := range files {
			data, err := os.ReadFile(file)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := readFDX(data)
		if err != nil {
			var e *closedset.Error
			if !errors.As(err, &e) {
				t.Fatalf("error %T %v, want *closedset.Error", err, err)
			}
			if w := why(err); w != ErrMalformed && w != ErrLimit || e.Kind != closedset.Unprocessable {
				t.Errorf("error %v (kind %q): %v", w, e.Kind, err)
			}
			if strings.ContainsAny(err.Error(), "\r\n") || e.Msg == "" {
				t.Errorf("error %q is not one line", err)
			}
		} else {
			if s.Format != FDX {
				t.Errorf("format %q", s.Format)
			}
			checkFDXInvariants(t, s)
		}
		if isASCII(string(data)) {
			if diff := diffReaders(data); diff != "" {
				t.Error(diff)
			}
		}
	})
}
