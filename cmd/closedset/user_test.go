package main

import (
	"bytes"
	"closedset"
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"closedset/audit"
	"closedset/auth"
)

func TestUserCreate(t *testing.T) {
	path := newDB(t)
	code, out, stderr := runCLI(t, "a long enough password\n", "user", "create", "--email", "Ada@Example.org", "--name", "Ada Lovelace", "--admin", "--db", "sqlite:"+path)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	id, err := strconv.ParseInt(strings.TrimSpace(out), 10, 64)
	if err != nil {
		t.Fatalf("stdout %q is not a user id", out)
	}
	u, err := openPath(t, path).User(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if u.Email != "ada@example.org" || u.Name != "Ada Lovelace" || !u.Admin {
		t.Errorf("stored %+v", u)
	}
	if ok, _, err := auth.CheckPassword(u.PasswordHash, "a long enough password"); !ok || err != nil {
		t.Errorf("the password from stdin does not sign in: %v", err)
	}
}

func TestUserCreateErrors(t *testing.T) {
	path := newDB(t)
	addUser(t, openPath(t, path), "taken@example.org", "Taken", false)
	db := "sqlite:" + path
	tests := []struct {
		name  string
		stdin string
		args  []string
		code  int
		want  string
	}{
		{"duplicate email", "a long enough password\n", []string{"--email", "TAKEN@example.org", "--name", "T"}, 1, "a user with email TAKEN@example.org already exists"},
		{"short password", "short\n", []string{"--email", "n@example.org", "--name", "N"}, 2, "the password is 5 characters, want at least 12"},
		{"no password", "", []string{"--email", "n@example.org", "--name", "N"}, 2, "no password on standard input"},
		{"long password", strings.Repeat("x", auth.MaxPassword+1) + "\n", []string{"--email", "n@example.org", "--name", "N"}, 2, "over 1024 bytes"},
		{"no email", "a long enough password\n", []string{"--name", "N"}, 2, "--email is required"},
		{"not an email", "a long enough password\n", []string{"--email", "nobody", "--name", "N"}, 2, `--email "nobody" is not an email address`},
		{"no name", "a long enough password\n", []string{"--email", "n@example.org"}, 2, "--name is required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"user", "create", "--db", db}, tt.args...)
			code, out, stderr := runCLI(t, tt.stdin, args...)
			if code != tt.code || !strings.Contains(stderr, tt.want) || out != "" {
				t.Errorf("exit %d, stdout %q, stderr %q; want exit %d and %q", code, out, stderr, tt.code, tt.want)
			}
		})
	}
	if code, _, stderr := runCLI(t, "", "user", "delete"); code != 2 || !strings.Contains(stderr, "user create") {
		t.Errorf("unknown subcommand: exit %d, %q", code, stderr)
	}
}

func TestTokenCreate(t *testing.T) {
	path := newDB(t)
	st := openPath(t, path)
	u := addUser(t, st, "ic@example.org", "Ivy Coordinator", false)
	code, out, stderr := runCLI(t, "", "token", "create", "--email", "ic@example.org", "--name", "scripts", "--db", "sqlite:"+path)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	tok := strings.TrimSpace(out)
	if !strings.HasPrefix(tok, auth.TokenPrefix) || strings.Count(out, "\n") != 1 {
		t.Fatalf("stdout %q is not one token", out)
	}
	ctx := context.Background()
	got, _, err := st.TokenUser(ctx, auth.HashToken(tok), time.Now())
	if err != nil || got.ID != u.ID {
		t.Fatalf("the token is not %s's: %+v, %v", u.Email, got, err)
	}
	var last audit.Event
	for e, err := range st.AuditEvents(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		last = e
	}
	if last.Actor != (audit.Actor{ID: 0, Name: "closedset token create"}) {
		t.Errorf("the token's audit event names %+v, want the operator's command", last.Actor)
	}
	if strings.Contains(stderr, tok) {
		t.Error("the token was written to stderr")
	}
}

func TestTokenCreateErrors(t *testing.T) {
	path := newDB(t)
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"unknown user", []string{"--email", "ghost@example.org", "--db", "sqlite:" + path}, 1, "no user with email ghost@example.org"},
		{"no database", []string{"--email", "a@example.org", "--db", "sqlite:" + path + ".typo"}, 1, "no database at"},
		{"no email", []string{"--db", "sqlite:" + path}, 2, "--email is required"},
		{"negative expiry", []string{"--email", "a@example.org", "--expires-in-days", "-1", "--db", "sqlite:" + path}, 2, "--expires-in-days must be"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, stderr := runCLI(t, "", append([]string{"token", "create"}, tt.args...)...)
			if code != tt.code || !strings.Contains(stderr, tt.want) || out != "" {
				t.Errorf("exit %d, stdout %q, stderr %q; want exit %d and %q", code, out, stderr, tt.code, tt.want)
			}
		})
	}
}

func TestUserPassword(t *testing.T) {
	path := newDB(t)
	st := openPath(t, path)
	addUser(t, st, "admin@localhost", "Admin", true)
	code, out, stderr := runCLI(t, "my own passphrase now\n", "user", "password", "--email", "admin@localhost", "--db", "sqlite:"+path)
	if code != 0 || out != "password of admin@localhost changed\n" {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, out, stderr)
	}
	u, err := st.UserByEmail(context.Background(), "admin@localhost")
	if err != nil {
		t.Fatal(err)
	}
	if ok, _, _ := auth.CheckPassword(u.PasswordHash, "my own passphrase now"); !ok {
		t.Error("the new password does not sign in")
	}
	code, _, stderr = runCLI(t, "my own passphrase now\n", "user", "password", "--email", "ghost@localhost", "--db", "sqlite:"+path)
	if code != 1 || stderr != "closedset user password: no user with email ghost@localhost\n" {
		t.Errorf("unknown user: exit %d, %q", code, stderr)
	}
	code, _, stderr = runCLI(t, "short\n", "user", "password", "--email", "admin@localhost", "--db", "sqlite:"+path)
	if code != 2 || !strings.Contains(stderr, "want at least 12") {
		t.Errorf("short password: exit %d, %q", code, stderr)
	}
}

// TestUserPasswordEndsTokensAndSessions: after `closedset user password`,
// the user's old API token and session fail; another user's still work.
func TestUserPasswordEndsTokensAndSessions(t *testing.T) {
	path := newDB(t)
	st := openPath(t, path)
	ctx := context.Background()
	ida := addUser(t, st, "ida@example.org", "Ida Okafor", false)
	bo := addUser(t, st, "bo@example.org", "Bo Lind", false)
	db := "sqlite:" + path
	tokens := map[string]string{}
	for _, email := range []string{ida.Email, bo.Email} {
		code, out, stderr := runCLI(t, "", "token", "create", "--email", email, "--db", db)
		if code != 0 {
			t.Fatalf("token create: exit %d: %s", code, stderr)
		}
		tokens[email] = strings.TrimSpace(out)
	}
	now := time.Now()
	if err := st.CreateSession(ctx, auth.Session{Hash: []byte("session-of-ida"), UserID: ida.ID, Created: now, Expires: now.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := st.TokenUser(ctx, auth.HashToken(tokens[ida.Email]), now); err != nil {
		t.Fatalf("the token before the change: %v", err)
	}

	var stdout, stderr bytes.Buffer
	if err := runUserPassword([]string{"--email", ida.Email, "--db", db}, strings.NewReader("a brand new passphrase\n"), &stdout, &stderr); err != nil {
		t.Fatalf("user password: %v (%s)", err, stderr.String())
	}

	if _, _, err := st.TokenUser(ctx, auth.HashToken(tokens[ida.Email]), time.Now()); !closedset.Is(err, closedset.NotFound) {
		t.Errorf("the old token after the password change: %v, want not found", err)
	}
	if _, _, err := st.SessionUser(ctx, []byte("session-of-ida"), time.Now()); !closedset.Is(err, closedset.NotFound) {
		t.Errorf("the old session after the password change: %v, want not found", err)
	}
	if u, _, err := st.TokenUser(ctx, auth.HashToken(tokens[bo.Email]), time.Now()); err != nil || u.ID != bo.ID {
		t.Errorf("another user's token after the change: %+v, %v", u, err)
	}
	if u, err := st.User(ctx, ida.ID); err != nil {
		t.Fatal(err)
	} else if ok, _, _ := auth.CheckPassword(u.PasswordHash, "a brand new passphrase"); !ok {
		t.Error("the new password does not sign in")
	}
}

// TestTokenCreateWithExpiry: --expires-in-days makes a token that works
// until then and not after.
func TestTokenCreateWithExpiry(t *testing.T) {
	path := newDB(t)
	st := openPath(t, path)
	addUser(t, st, "ic@example.org", "Ivy Coordinator", false)
	code, out, stderr := runCLI(t, "", "token", "create", "--email", "ic@example.org", "--expires-in-days", "2", "--db", "sqlite:"+path)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	hash := auth.HashToken(strings.TrimSpace(out))
	ctx := context.Background()
	_, tok, err := st.TokenUser(ctx, hash, time.Now())
	if err != nil || time.Until(tok.Expires) < 47*time.Hour || time.Until(tok.Expires) > 49*time.Hour {
		t.Fatalf("the token: %+v, %v; want it to expire in two days", tok, err)
	}
	if _, _, err := st.TokenUser(ctx, hash, time.Now().Add(49*time.Hour)); !closedset.Is(err, closedset.NotFound) {
		t.Errorf("the token after its expiry: %v, want not found", err)
	}
}
