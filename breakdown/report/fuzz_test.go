package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"closedset/breakdown"
	"closedset/screenplay"
)

// FuzzBreakdownJSON feeds random Fountain through the reader, the engine
// and every writer: nothing may panic, and the JSON is always valid JSON,
// whatever bytes (invalid UTF-8, control characters, quotes) the script
// holds. Seeds live in testdata/fuzz/FuzzBreakdownJSON.
func FuzzBreakdownJSON(f *testing.F) {
	f.Add([]byte("INT. BEDROOM - NIGHT\n\nHe kisses her neck. They undress.\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		// A hang is a bug too (inputs are bounded), but the fuzzer only
		// stalls on one; a panic turns it into a saved crasher. Run with
		// -fuzzminimizetime 2s: minimising new inputs otherwise pauses the
		// exec counter for up to a minute, which looks like a hang.
		wd := time.AfterFunc(10*time.Second, func() { panic(fmt.Sprintf("slow input: %q", data)) })
		defer wd.Stop()
		s, err := screenplay.Read(data, screenplay.Options{Name: "fuzz.fountain", Format: screenplay.Fountain, MaxBytes: 1 << 16})
		if err != nil {
			return
		}
		b := breakdown.Analyze(s, breakdown.Options{})
		var buf bytes.Buffer
		if err := WriteJSON(&buf, b); err != nil {
			t.Fatal(err)
		}
		if !json.Valid(buf.Bytes()) {
			t.Fatalf("invalid JSON:\n%s", buf.Bytes())
		}
		// Analysed and written scene by scene, it is the same document,
		// and an indenting encoder gives it byte for byte.
		var streamed, whole bytes.Buffer
		if err := streamJSON(&streamed, data, screenplay.Options{Name: "fuzz.fountain", Format: screenplay.Fountain, MaxBytes: 1 << 16}); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(streamed.Bytes(), buf.Bytes()) {
			t.Fatalf("streamed JSON differs:\n%s\nwhole:\n%s", streamed.Bytes(), buf.Bytes())
		}
		// The layout is json.Indent's, as an indenting encoder gives it.
		var compact bytes.Buffer
		if err := json.Compact(&compact, buf.Bytes()); err != nil {
			t.Fatal(err)
		}
		if err := json.Indent(&whole, compact.Bytes(), "", "  "); err != nil {
			t.Fatal(err)
		}
		whole.WriteByte('\n')
		if !bytes.Equal(whole.Bytes(), buf.Bytes()) {
			t.Fatalf("not laid out as an indenting encoder does:\n%s", buf.Bytes())
		}
		for _, format := range Formats {
			if err := Write(&bytes.Buffer{}, format, b); err != nil {
				t.Fatalf("%s: %v", format, err)
			}
		}
		WriteSlate(&bytes.Buffer{}, Text, NewSlate([]ScriptResult{NewScriptResult("fuzz", b)}))
	})
}
