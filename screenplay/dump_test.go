package screenplay

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"
)

// TestDump prints what the PDF reader makes of a file: DUMP=path go test -run TestDump
func TestDump(t *testing.T) {
	p := os.Getenv("DUMP")
	if p == "" {
		t.Skip("set DUMP")
	}
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Now()
	s, err := readPDF(context.Background(), data, p)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Println("time", time.Since(t0), "pages", s.Pages)
	for _, f := range s.Title {
		fmt.Printf("TITLE %s: %q\n", f.Key, f.Value)
	}
	n := 0
	for _, e := range s.Elements {
		if e.Type == SceneHeading {
			n++
		}
		fmt.Printf("%4d p%d/%.1f %-13s %4s %q\n", e.Line, e.Page, e.PageLine, e.Type, e.Number, e.Text)
	}
	fmt.Println("headings", n)
}
