package sqlite_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"

	"closedset/audit"
	"closedset/auth"
	"closedset/breakdown"
	"closedset/ops"
	"closedset/production"
	"closedset/screenplay"
	"closedset/seal"
	"closedset/store/sqlite"
)

var writeSeeds = flag.Bool("write-restore-seeds", false, "rewrite testdata/fuzz/FuzzRestore from a small store")

// fuzzBackupKey is the backup key of the seeds, so that the fuzzer starts
// from backups whose MAC holds.
var fuzzBackupKey = seal.Key{0: 0xf0, 31: 0x0f}

// FuzzRestore feeds Restore untrusted bytes: a backup file is something a
// person hands the admin. Whatever the input, Restore must not panic, and
// when it fails it must leave the store empty. Inputs that are not gzip
// are gzipped first, so that the fuzzer works on the lines themselves.
func FuzzRestore(f *testing.F) {
	ctx := context.Background()
	dir := f.TempDir()
	n := 0
	fresh := func() ops.Store {
		n++
		s, err := sqlite.Open(ctx, filepath.Join(dir, fmt.Sprintf("fuzz%d.db", n)))
		if err != nil {
			f.Fatal(err)
		}
		return s
	}
	s := fresh()
	f.Cleanup(func() { s.Close() })
	f.Fuzz(func(t *testing.T, data []byte) {
		in := data
		if !bytes.HasPrefix(data, []byte{0x1f, 0x8b}) {
			in = gzipped(data)
		}
		err := s.Restore(ctx, bytes.NewReader(in), fuzzBackupKey)
		if err == nil {
			// A valid backup: restored. Start the next input afresh.
			s.Close()
			s = fresh()
			return
		}
		if users, err := s.CountUsers(ctx); err != nil || users != 0 {
			t.Fatalf("after a refused restore: %d users, %v", users, err)
		}
		for _, err := range s.AuditEvents(ctx) {
			if err != nil {
				t.Fatal(err)
			}
			t.Fatal("after a refused restore the store has audit events")
		}
	})
}

func gzipped(b []byte) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(b)
	zw.Close()
	return buf.Bytes()
}

// TestWriteRestoreSeeds makes FuzzRestore's seeds from a small store, with
// -write-restore-seeds: a whole backup as lines, the same gzipped, and the
// lines cut short.
func TestWriteRestoreSeeds(t *testing.T) {
	if !*writeSeeds {
		t.Skip("run with -write-restore-seeds to rewrite the seeds")
	}
	ctx := context.Background()
	s, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "seed.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	u, err := s.CreateUser(ctx, audit.System, auth.NewUser{Email: "pat@example.com", Name: "Pat", PasswordHash: "$argon2id$seed", Admin: true})
	if err != nil {
		t.Fatal(err)
	}
	p, err := s.CreateProduction(ctx, u.Actor(), production.NewProduction{Title: "Seed", Policy: "custom", TimeZone: "UTC", Role: auth.IC})
	if err != nil {
		t.Fatal(err)
	}
	script := []byte("INT. BEDROOM - NIGHT\n\nThey kiss. She undresses.\n\nEXT. PIER - DAY\n\nGulls.\n")
	d, err := production.ReadDraft(ctx, "seed.fountain", script, screenplay.Options{}, breakdown.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddRevision(ctx, u.Actor(), production.NewRevision{ProductionID: p.ID, Title: "Seed", Filename: "seed.fountain",
		Format: string(d.Format), Original: script, Scenes: d.Scenes}); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := s.Backup(ctx, &buf, fuzzBackupKey); err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	lines, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join("testdata", "fuzz", "FuzzRestore")
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, b := range map[string][]byte{
		"backup-lines": lines,
		"backup-gzip":  buf.Bytes(),
		"cut-short":    lines[:len(lines)/2],
	} {
		seed := fmt.Sprintf("go test fuzz v1\n[]byte(%q)\n", b)
		if err := os.WriteFile(filepath.Join(out, name), []byte(seed), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
