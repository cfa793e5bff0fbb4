package main

import (
	"bufio"
	"closedset"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/term"

	"closedset/audit"
	"closedset/auth"
	"closedset/ops"
)

// minPassword is the shortest password `user create` accepts, in
// characters: long enough that a passphrase is the easy way to meet it.
const minPassword = auth.MinPassword

// operator is the audit actor of a change made from the command line: the
// person at the terminal has database access, not a user account, so the
// chain names the command they ran.
func operator(cmd string) audit.Actor {
	return audit.Actor{ID: audit.System.ID, Name: "closedset " + cmd}
}

func runUser(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) > 0 && args[0] == "password" {
		return runUserPassword(args[1:], stdin, stdout, stderr)
	}
	if len(args) == 0 || args[0] != "create" {
		return usageError("want: closedset user create --email E --name N [--admin] [--db URL], or closedset user password --email E [--db URL]")
	}
	fs := newFlags("user create", stderr)
	email := fs.String("email", "", "the user's email, their sign-in name")
	name := fs.String("name", "", "the user's name as others see it")
	admin := fs.Bool("admin", false, "make the user an installation admin (users and backups; no production data)")
	db := dbFlag(fs)
	fs.Usage = func() {
		fmt.Fprintln(stderr, `Usage: closedset user create --email E --name N [--admin] [--db URL]

Creates a user. The password is the first line of standard input, or is
asked for twice without echo when standard input is a terminal; it must be
at least 12 characters. Prints the new user's id.`)
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args[1:]); err != nil {
		return err
	}
	if fs.NArg() != 0 {
		return usageError("unexpected argument %q", fs.Arg(0))
	}
	if err := checkEmail(*email); err != nil {
		return err
	}
	if strings.TrimSpace(*name) == "" {
		return usageError("--name is required")
	}
	d, err := db()
	if err != nil {
		return err
	}
	pw, err := readNewPassword(stdin, stderr)
	if err != nil {
		return err
	}
	hash, err := auth.HashPassword(pw, rand.Reader)
	if err != nil {
		return err
	}
	ctx := context.Background()
	st, err := openStore(ctx, d, mayCreate)
	if err != nil {
		return err
	}
	defer st.Close()
	u, err := st.CreateUser(ctx, operator("user create"), auth.NewUser{
		Email: strings.TrimSpace(*email), Name: strings.TrimSpace(*name), PasswordHash: hash, Admin: *admin,
	})
	if err != nil {
		if closedset.Is(err, closedset.Conflict) {
			return fmt.Errorf("a user with email %s already exists", strings.TrimSpace(*email))
		}
		if closedset.Is(err, closedset.Invalid) {
			return usageError("%v", err)
		}
		return fmt.Errorf("create user: %w", err)
	}
	fmt.Fprintln(stdout, u.ID)
	return nil
}

// runUserPassword sets a user's password: how the first admin replaces
// the one-time password, and how an operator helps someone locked out.
func runUserPassword(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlags("user password", stderr)
	email := fs.String("email", "", "the user whose password to set")
	db := dbFlag(fs)
	fs.Usage = func() {
		fmt.Fprintln(stderr, `Usage: closedset user password --email E [--db URL]

Sets a user's password, read like user create's: the first line of
standard input, or asked for twice without echo on a terminal.`)
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 0 {
		return usageError("unexpected argument %q", fs.Arg(0))
	}
	if err := checkEmail(*email); err != nil {
		return err
	}
	ctx := context.Background()
	st, _, err := openFlagged(ctx, db, mustExist)
	if err != nil {
		return err
	}
	defer st.Close()
	u, err := st.UserByEmail(ctx, strings.TrimSpace(*email))
	if closedset.Is(err, closedset.NotFound) {
		return fmt.Errorf("no user with email %s", strings.TrimSpace(*email))
	} else if err != nil {
		return fmt.Errorf("find user: %w", err)
	}
	pw, err := readNewPassword(stdin, stderr)
	if err != nil {
		return err
	}
	hash, err := auth.HashPassword(pw, rand.Reader)
	if err != nil {
		return err
	}
	if err := st.SetPassword(ctx, operator("user password"), u.ID, hash); err != nil {
		return fmt.Errorf("set the password: %w", err)
	}
	fmt.Fprintf(stdout, "password of %s changed\n", u.Email)
	return nil
}

// checkEmail does the least the CLI can: the store owns the real rules.
func checkEmail(email string) error {
	e := strings.TrimSpace(email)
	if e == "" {
		return usageError("--email is required")
	}
	if at := strings.IndexByte(e, '@'); at <= 0 || at == len(e)-1 || strings.ContainsAny(e, " \t\r\n") {
		return usageError("--email %q is not an email address", e)
	}
	return nil
}

// readNewPassword reads the new password: without echo, twice, from a
// terminal; else the first line of stdin.
func readNewPassword(stdin io.Reader, stderr io.Writer) (string, error) {
	var pw string
	if f, ok := stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fd := int(f.Fd())
		fmt.Fprint(stderr, "Password (at least 12 characters): ")
		a, err := term.ReadPassword(fd)
		fmt.Fprintln(stderr)
		if err != nil {
			return "", fmt.Errorf("read the password: %w", err)
		}
		fmt.Fprint(stderr, "Again: ")
		b, err := term.ReadPassword(fd)
		fmt.Fprintln(stderr)
		if err != nil {
			return "", fmt.Errorf("read the password: %w", err)
		}
		if string(a) != string(b) {
			return "", usageError("the two passwords differ")
		}
		pw = string(a)
	} else {
		line, err := bufio.NewReaderSize(io.LimitReader(stdin, auth.MaxPassword+2), auth.MaxPassword+2).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return "", fmt.Errorf("read the password from standard input: %w", err)
		}
		pw = strings.TrimSuffix(strings.TrimSuffix(line, "\n"), "\r")
	}
	return pw, checkNewPassword(pw)
}

func checkNewPassword(pw string) error {
	switch n := utf8.RuneCountInString(pw); {
	case pw == "":
		return usageError("no password on standard input (pipe one line, or run in a terminal to be asked)")
	case !utf8.ValidString(pw):
		return usageError("the password is not valid UTF-8")
	case len(pw) > auth.MaxPassword:
		return usageError("the password is over %d bytes", auth.MaxPassword)
	case n < minPassword:
		return usageError("the password is %d characters, want at least %d", n, minPassword)
	}
	return nil
}

func runToken(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "create" {
		return usageError("want: closedset token create --email E [--name N] [--expires-in-days D] [--db URL]")
	}
	fs := newFlags("token create", stderr)
	email := fs.String("email", "", "the user the token acts as")
	name := fs.String("name", "cli", "what the token is for, as its owner will see it")
	days := fs.Int("expires-in-days", 0, "days until the token stops working; 0: until it is revoked")
	db := dbFlag(fs)
	fs.Usage = func() {
		fmt.Fprintln(stderr, `Usage: closedset token create --email E [--name N] [--expires-in-days D] [--db URL]

Prints a new API token (cs_...) for the user: send it as
"Authorization: Bearer TOKEN". Only its hash is stored, so it cannot be
shown again; the audit log records who made it. Its owner lists and
revokes it on their account page; a password change ends it.`)
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args[1:]); err != nil {
		return err
	}
	if fs.NArg() != 0 {
		return usageError("unexpected argument %q", fs.Arg(0))
	}
	if err := checkEmail(*email); err != nil {
		return err
	}
	if n := strings.TrimSpace(*name); n == "" || len(n) > 100 {
		return usageError("--name must be 1 to 100 bytes")
	}
	if *days < 0 || *days > ops.MaxTokenDays {
		return usageError("--expires-in-days must be 0 (never) to %d", ops.MaxTokenDays)
	}
	ctx := context.Background()
	st, _, err := openFlagged(ctx, db, mustExist)
	if err != nil {
		return err
	}
	defer st.Close()
	u, err := st.UserByEmail(ctx, strings.TrimSpace(*email))
	if err != nil {
		if closedset.Is(err, closedset.NotFound) {
			return fmt.Errorf("no user with email %s (closedset user create makes one)", strings.TrimSpace(*email))
		}
		return fmt.Errorf("find user: %w", err)
	}
	plain, hash, err := auth.NewToken(rand.Reader)
	if err != nil {
		return err
	}
	rec := auth.TokenRecord{UserID: u.ID, Name: strings.TrimSpace(*name), Hash: hash}
	if *days > 0 {
		rec.Expires = time.Now().Add(time.Duration(*days) * 24 * time.Hour)
	}
	if _, err := st.CreateToken(ctx, operator("token create"), rec); err != nil {
		return fmt.Errorf("store the token: %w", err)
	}
	fmt.Fprintln(stdout, plain)
	return nil
}
