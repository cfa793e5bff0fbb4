package postgres_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"testing"

	"closedset/store/postgres"
	"closedset/store/postgres/pgtest"
	"closedset/store/storetest"
)

// TestPrivateDataIsNotInADump stores sealed boundaries and a sealed
// withdrawal reason holding a canary and looks for it in a pg_dump of
// the database. Without pg_dump (or with one older than the server) the
// test skips, in CI too: the client tools are not part of the server.
func TestPrivateDataIsNotInADump(t *testing.T) {
	const canary = "CANARY-7f3a-lower-back-scar"
	u := pgtest.Database(t)
	s, err := postgres.Open(context.Background(), u)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	storetest.WriteSealedCanary(t, s, canary)
	pgDump, err := exec.LookPath("pg_dump")
	if err != nil {
		skipOrFail(t, "pg_dump is not installed: the dump is not checked")
	}
	var out, stderr bytes.Buffer
	cmd := exec.Command(pgDump, "--no-owner", "--dbname="+u)
	cmd.Stdout, cmd.Stderr = &out, &stderr
	if err := cmd.Run(); err != nil {
		if bytes.Contains(stderr.Bytes(), []byte("version mismatch")) {
			skipOrFail(t, "pg_dump cannot dump this server: "+stderr.String())
		}
		t.Fatalf("pg_dump: %v: %s", err, stderr.Bytes())
	}
	if !bytes.Contains(out.Bytes(), []byte("COPY public.boundaries")) {
		t.Fatalf("the dump (%d bytes) has no boundaries table: is it a dump of the store?", out.Len())
	}
	if bytes.Contains(out.Bytes(), []byte(canary)) || bytes.Contains(out.Bytes(), []byte("lower-back-scar")) {
		t.Fatal("the dump holds the private canary in plaintext")
	}
}

// skipOrFail skips a check that needs a tool the machine lacks, except in
// CI, where the tool is installed with PostgreSQL and its absence fails.
func skipOrFail(t *testing.T, why string) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatal(why)
	}
	t.Skip(why)
}
