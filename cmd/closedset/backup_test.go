package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"closedset/audit"
	"closedset/auth"
	"closedset/ops"
	"closedset/production"
	"closedset/seal"
)

// snapshot is what a round trip must keep, as text: users and their
// productions and roles, every revision's scenes with their flags and
// reviews, and the audit chain's head.
func snapshot(t *testing.T, st ops.Store, emails []string) string {
	t.Helper()
	ctx := context.Background()
	var b strings.Builder
	n, err := st.CountUsers(ctx)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(&b, "users %d\n", n)
	seen := map[int64]bool{}
	for _, email := range emails {
		u, err := st.UserByEmail(ctx, email)
		if err != nil {
			t.Fatalf("%s: %v", email, err)
		}
		fmt.Fprintf(&b, "user %d %s %q admin=%v hash=%v %s\n", u.ID, u.Email, u.Name, u.Admin, u.PasswordHash == testHash(), u.Created.UTC().Format(time.RFC3339Nano))
		ms, err := st.ProductionsOf(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range ms {
			fmt.Fprintf(&b, "  member of %d as %s\n", m.ID, m.Roles)
			if seen[m.ID] {
				continue
			}
			seen[m.ID] = true
			fmt.Fprintf(&b, "production %d %q %s %s by %d\n", m.ID, m.Title, m.Policy, m.TimeZone, m.CreatedBy)
			scripts, err := st.Scripts(ctx, m.ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, sc := range scripts {
				for _, r := range sc.Revisions {
					fmt.Fprintf(&b, " revision %d seq %d %s %s %s scenes %d flagged %d\n", r.ID, r.Seq, r.Colour, r.Filename, r.SHA256, r.SceneCount, r.FlaggedCount)
					file, err := st.RevisionFile(ctx, r.ID)
					if err != nil {
						t.Fatal(err)
					}
					fmt.Fprintf(&b, "  file %d bytes\n", len(file))
					scenes, err := st.Scenes(ctx, r.ID)
					if err != nil {
						t.Fatal(err)
					}
					for _, s := range scenes {
						fmt.Fprintf(&b, "  scene %d %s %q %s\n", s.Index, s.Number, s.Heading, s.TextHash)
						for _, f := range s.Flags {
							fmt.Fprintf(&b, "   flag %d %s %s %.2f %d lines", f.ID, f.Category, f.Kind, f.Confidence, len(f.Evidence))
							if f.Review != nil {
								fmt.Fprintf(&b, " %s by %d %q", f.Review.Decision, f.Review.By, f.Review.Note)
							}
							b.WriteByte('\n')
						}
					}
				}
			}
		}
	}
	head, err := audit.Verify(st.AuditEvents(ctx))
	if err != nil {
		t.Fatalf("audit chain: %v", err)
	}
	fmt.Fprintf(&b, "audit %s\n", head)
	return b.String()
}

// TestBackupRestoreRoundTrip: everything a production holds comes back
// from a backup, into a fresh database, unchanged, with the same audit
// chain.
func TestBackupRestoreRoundTrip(t *testing.T) {
	ctx := context.Background()
	path := newDB(t)
	st := openPath(t, path)
	ic := addUser(t, st, "ic@example.org", "Ivy Coordinator", false)
	addUser(t, st, "ops@example.org", "Ops", true)
	pr := addUser(t, st, "producer@example.org", "Pat Producer", false)
	p, err := loadDemo(ctx, demoOps(t, st), ic)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.AddMember(ctx, ic.Actor(), p.ID, pr.ID, auth.Producer); err != nil {
		t.Fatal(err)
	}
	scenes, err := st.CurrentScenes(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	reviewed := 0
	for _, sc := range scenes {
		for i, f := range sc.Flags {
			d := production.Confirmed
			if i%2 == 1 {
				d = production.Dismissed
			}
			if _, err := st.ReviewFlag(ctx, ic.Actor(), f.ID, d, "read in prep"); err != nil {
				t.Fatal(err)
			}
			reviewed++
		}
	}
	if reviewed == 0 {
		t.Fatal("the demo has no flags to review")
	}
	emails := []string{"ic@example.org", "ops@example.org", "producer@example.org"}
	want := snapshot(t, st, emails)

	out := filepath.Join(t.TempDir(), "closedset.backup")
	code, stdout, stderr := runCLI(t, "", "backup", "--out", out, "--db", "sqlite:"+path)
	if code != 0 || !strings.Contains(stdout, "written to "+out) {
		t.Fatalf("backup: exit %d: %s%s", code, stdout, stderr)
	}
	fi, err := os.Stat(out)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("backup file mode %v, want 0600", fi.Mode().Perm())
	}
	if left, _ := filepath.Glob(out + ".*"); len(left) != 0 {
		t.Errorf("temporary files were left behind: %v", left)
	}

	fresh := filepath.Join(t.TempDir(), "restored", "closedset.db")
	code, stdout, stderr = runCLI(t, "", "restore", "--db", "sqlite:"+fresh, "--backup-key-file", backupKeyOf(path), out)
	if code != 0 || !strings.Contains(stdout, fmt.Sprintf("3 users, 1 productions, 2 script revisions, %d flag reviews; audit chain intact", reviewed)) {
		t.Fatalf("restore: exit %d: %s%s", code, stdout, stderr)
	}
	if got := snapshot(t, openPath(t, fresh), emails); got != want {
		t.Errorf("restored database differs.\nrestored:\n%s\noriginal:\n%s", got, want)
	}
}

// backupKeyOf is the backup key file beside the SQLite database at path.
func backupKeyOf(path string) string { return filepath.Join(filepath.Dir(path), backupKeyName) }

// rehashed is a backup edited by f, line by line, and sealed again as
// someone without the key would: the end line recounted and the last line
// the plain SHA-256 of every line before it.
func rehashed(t *testing.T, backup []byte, f func(string) string) []byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(backup))
	if err != nil {
		t.Fatal(err)
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	ls := strings.Split(strings.TrimSuffix(string(raw), "\n"), "\n")
	var body strings.Builder
	for _, l := range ls[:len(ls)-1] {
		body.WriteString(f(l) + "\n")
	}
	sum := sha256.Sum256([]byte(body.String()))
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	fmt.Fprintf(zw, "%s{\"closedset_backup_mac\":\"%s\"}\n", body.String(), hex.EncodeToString(sum[:]))
	zw.Close()
	return buf.Bytes()
}

// TestRestoreRefusesAnEditedBackup: a backup edited to make a user admin
// and re-hashed with plain SHA-256 is refused, naming the backup key it
// was made with, and writes nothing; a wrong key is refused naming the
// key needed; the untouched backup restores with its key.
func TestRestoreRefusesAnEditedBackup(t *testing.T) {
	t.Setenv(backupKeyEnv, "")
	path := newDB(t)
	st := openPath(t, path)
	addUser(t, st, "ops@example.org", "Ops", true)
	addUser(t, st, "mallory@example.org", "Mallory", false)
	out := filepath.Join(t.TempDir(), "b")
	if code, _, stderr := runCLI(t, "", "backup", "--out", out, "--db", "sqlite:"+path); code != 0 {
		t.Fatal(stderr)
	}
	key, err := seal.LoadKey(backupKeyOf(path))
	if err != nil {
		t.Fatalf("the first backup made no key file: %v", err)
	}
	if fi, err := os.Stat(backupKeyOf(path)); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("backup key file: %v %v", fi, err)
	}
	good, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	edited := filepath.Join(t.TempDir(), "edited")
	n := 0
	os.WriteFile(edited, rehashed(t, good, func(l string) string {
		if strings.Contains(l, `"email":"mallory@example.org"`) {
			n++
			return strings.Replace(l, `"admin":false`, `"admin":true`, 1)
		}
		return l
	}), 0o600)
	if n != 1 {
		t.Fatalf("the backup has %d lines of Mallory's account", n)
	}
	other := filepath.Join(t.TempDir(), "other.key")
	if _, err := seal.LoadOrCreateKey(other); err != nil {
		t.Fatal(err)
	}
	otherKey, _ := seal.LoadKey(other)
	tests := []struct {
		name, file, keyFile string
		want                []string
	}{
		{"edited and re-hashed", edited, backupKeyOf(path), []string{"does not verify under backup key " + key.ID(), "changed after it was made"}},
		{"another key", out, other, []string{"made with backup key " + key.ID() + ", not with the key given (" + otherKey.ID() + ")", "--backup-key-file"}},
		{"no key", out, "", []string{"made with backup key " + key.ID() + ", and no backup key was given", "$" + backupKeyEnv}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fresh := filepath.Join(t.TempDir(), "closedset.db")
			args := []string{"restore", "--db", "sqlite:" + fresh, tt.file}
			if tt.keyFile != "" {
				args = append(args[:1], append([]string{"--backup-key-file", tt.keyFile}, args[1:]...)...)
			}
			code, stdout, stderr := runCLI(t, "", args...)
			for _, w := range tt.want {
				if code != 1 || stdout != "" || !strings.Contains(stderr, w) {
					t.Errorf("exit %d, stdout %q, stderr %q; want exit 1 and %q", code, stdout, stderr, w)
				}
			}
			if strings.Contains(stderr, hex.EncodeToString(key[:])) || strings.Contains(stderr, hex.EncodeToString(otherKey[:])) {
				t.Error("the message shows a key")
			}
			if n, err := openPath(t, fresh).CountUsers(context.Background()); err != nil || n != 0 {
				t.Errorf("a refused restore left %d users (%v)", n, err)
			}
		})
	}
	fresh := filepath.Join(t.TempDir(), "closedset.db")
	t.Setenv(backupKeyEnv, hex.EncodeToString(key[:]))
	if code, stdout, stderr := runCLI(t, "", "restore", "--db", "sqlite:"+fresh, out); code != 0 || !strings.Contains(stdout, "2 users") {
		t.Fatalf("restore with the key: exit %d: %s%s", code, stdout, stderr)
	}
	if u, err := openPath(t, fresh).UserByEmail(context.Background(), "mallory@example.org"); err != nil || u.Admin {
		t.Errorf("Mallory after the restore: %+v %v", u, err)
	}
}

// TestBackupFollowsNoPlantedSymlink: a link planted where a backup's
// temporary file used to go (FILE.tmp) is not followed: their targets stay as they were, and the backup lands at
// FILE, a regular file.
func TestBackupFollowsNoPlantedSymlink(t *testing.T) {
	path := newDB(t)
	st := openPath(t, path)
	addUser(t, st, "ops@example.org", "Ops", true)
	dir := t.TempDir()
	victim := filepath.Join(dir, "victim")
	if err := os.WriteFile(victim, []byte("keep me"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "b")
	if err := os.Symlink(victim, out+".tmp"); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := runCLI(t, "", "backup", "--out", out, "--db", "sqlite:"+path); code != 0 {
		t.Fatal(stderr)
	}
	if b, _ := os.ReadFile(victim); string(b) != "keep me" {
		t.Errorf("the symlink's target was written: %q", b)
	}
	if fi, err := os.Lstat(out); err != nil || !fi.Mode().IsRegular() {
		t.Errorf("the backup is not a regular file: %v %v", fi, err)
	}
}

func TestRestoreRefusesANonEmptyDatabase(t *testing.T) {
	path := newDB(t)
	st := openPath(t, path)
	addUser(t, st, "ops@example.org", "Ops", true)
	out := filepath.Join(t.TempDir(), "b")
	if code, _, stderr := runCLI(t, "", "backup", "--out", out, "--db", "sqlite:"+path); code != 0 {
		t.Fatal(stderr)
	}
	before := snapshot(t, st, []string{"ops@example.org"})
	code, stdout, stderr := runCLI(t, "", "restore", "--db", "sqlite:"+path, out)
	if code != 1 || stdout != "" || !strings.Contains(stderr, "closedset restore: restore "+out) {
		t.Errorf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	if after := snapshot(t, st, []string{"ops@example.org"}); after != before {
		t.Errorf("a refused restore changed the database:\n%s\n%s", after, before)
	}
}

func TestBackupAndRestoreErrors(t *testing.T) {
	path := newDB(t)
	dir := t.TempDir()
	garbage := filepath.Join(dir, "garbage")
	if err := os.WriteFile(garbage, []byte("not a backup"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"backup without --out", []string{"backup", "--db", "sqlite:" + path}, 2, "--out FILE is required"},
		{"backup of no database", []string{"backup", "--out", filepath.Join(dir, "x"), "--db", "sqlite:" + path + ".typo"}, 1, "no database at"},
		{"backup into a missing folder", []string{"backup", "--out", filepath.Join(dir, "no", "x"), "--db", "sqlite:" + path}, 1, "no such file or directory"},
		{"restore without a file", []string{"restore", "--db", "sqlite:" + path}, 2, "want one backup FILE"},
		{"restore of a missing file", []string{"restore", "--db", "sqlite:" + path, filepath.Join(dir, "nope")}, 2, "no such file"},
		{"restore of a folder", []string{"restore", "--db", "sqlite:" + path, dir}, 2, "is a folder"},
		{"restore of garbage", []string{"restore", "--db", "sqlite:" + filepath.Join(dir, "new.db"), garbage}, 1, "restore " + garbage},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, stderr := runCLI(t, "", tt.args...)
			if code != tt.code || !strings.Contains(stderr, tt.want) || out != "" {
				t.Errorf("exit %d, stdout %q, stderr %q; want exit %d and %q", code, out, stderr, tt.code, tt.want)
			}
		})
	}
}

// TestBackupWhileServingWrites: a backup taken while writes keep landing
// is a consistent snapshot: it restores, its chain verifies, and every
// production it holds has its audit event and the other way round.
func TestBackupWhileServingWrites(t *testing.T) {
	ctx := context.Background()
	path := newDB(t)
	st := openPath(t, path)
	u := addUser(t, st, "ic@example.org", "Ivy Coordinator", false)

	var wrote atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	errc := make(chan error, 2)
	for w := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Bounded, so that a slow machine's backup does not make the
			// writers fill the disk.
			for i := 0; i < 1500; i++ {
				select {
				case <-stop:
					return
				default:
				}
				if _, err := st.CreateProduction(ctx, u.Actor(), production.NewProduction{Title: fmt.Sprintf("P %d-%d", w, i), Policy: "sag_aftra", TimeZone: "UTC"}); err != nil {
					errc <- err
					return
				}
				wrote.Add(1)
			}
		}()
	}
	// Start the backup once writes are under way, and keep writing
	// through it.
	for wrote.Load() < 20 {
		time.Sleep(time.Millisecond)
	}
	out := filepath.Join(t.TempDir(), "online.backup")
	code, stdout, stderr := runCLI(t, "", "backup", "--out", out, "--db", "sqlite:"+path)
	close(stop)
	wg.Wait()
	close(errc)
	for err := range errc {
		t.Fatalf("a write failed during the backup: %v", err)
	}
	if code != 0 {
		t.Fatalf("backup: exit %d: %s%s", code, stdout, stderr)
	}

	fresh := filepath.Join(t.TempDir(), "restored.db")
	if code, stdout, stderr := runCLI(t, "", "restore", "--db", "sqlite:"+fresh, "--backup-key-file", backupKeyOf(path), out); code != 0 {
		t.Fatalf("restore: exit %d: %s%s", code, stdout, stderr)
	}
	rs := openPath(t, fresh)
	ps, err := rs.ProductionsOf(ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	creates := 0
	for e, err := range rs.AuditEvents(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		if e.Action == "production.create" {
			creates++
		}
	}
	if len(ps) < 20 || int64(len(ps)) > wrote.Load() || creates != len(ps) {
		t.Errorf("backup holds %d productions and %d production.create events; %d were written in all", len(ps), creates, wrote.Load())
	}
	t.Logf("backup taken during writes: %d of %d productions", len(ps), wrote.Load())
}
