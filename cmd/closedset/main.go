// Command closedset is the one binary of closedset: the web app and API
// server, and the command-line tools that read and break down scripts.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"closedset/sandbox"
)

// command is one subcommand: its name, its usage after the name, a line of
// help, and what it runs.
type command struct {
	name    string
	usage   string
	summary string
	run     func(args []string, stdin io.Reader, stdout, stderr io.Writer) error
}

// commands is every subcommand, in the order `closedset help` lists them
// (DESIGN.md's "Command line").
func commands() []command {
	return []command{
		{"serve", "[--addr 127.0.0.1:8080] [--db URL]", "web app + API; first start creates the data folder", runServe},
		{"scenes", "[--format text|json] FILE", "parse only: scenes, characters, page eighths", runScenes},
		{"breakdown", "[--format text|json|csv|md|html] FILE", "intimacy breakdown of one script", runBreakdown},
		{"scan", "[--format text|json|csv] PATH...", "breakdown of many scripts (a slate), progress on stderr", runScan},
		{"user", "create --email E --name N [--admin]", "password read from stdin", runUser},
		{"user", "password --email E", "set a user's password, read from stdin", runUser},
		{"token", "create --email E", "prints a new API token for that user", runToken},
		{"audit", "verify [--db URL]", "exit 0 and a summary if the chain holds, 1 naming the first bad event", runAudit},
		{"backup", "--out FILE", "consistent online backup", runBackup},
		{"restore", "FILE", "restore a backup into an empty database", runRestore},
		{"help", "", "this list", nil},
	}
}

// exitError carries the exit status a failure should end the process with.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

// usageError is a mistake in how the command was called: exit status 2.
func usageError(format string, a ...any) error {
	return &exitError{code: 2, err: fmt.Errorf(format, a...)}
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		printHelp(stdout)
		return 0
	}
	if args[0] == sandbox.Subcommand { // hidden: serve runs it to read an upload
		if err := sandbox.Child(args[1:], stdin, stdout); err != nil {
			fmt.Fprintf(stderr, "closedset %s: %v\n", args[0], err)
			return 1
		}
		return 0
	}
	for _, c := range commands() {
		if c.name != args[0] || c.run == nil {
			continue
		}
		err := c.run(args[1:], stdin, stdout, stderr)
		if err == nil {
			return 0
		}
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		fmt.Fprintf(stderr, "closedset %s: %v\n", commandName(args), err)
		var ee *exitError
		if errors.As(err, &ee) {
			return ee.code
		}
		return 1
	}
	fmt.Fprintf(stderr, "closedset: unknown command %q (closedset help lists them)\n", args[0])
	return 2
}

// commandName is the command as the user typed it, with its subcommand
// (user create, audit verify) when it has one, for error messages.
func commandName(args []string) string {
	if len(args) > 1 {
		for _, c := range commands() {
			if c.name == args[0] && strings.HasPrefix(c.usage, args[1]+" ") {
				return args[0] + " " + args[1]
			}
		}
	}
	return args[0]
}

func printHelp(w io.Writer) {
	fmt.Fprintln(w, "closedset: intimacy coordination for film, television, streaming and games.")
	fmt.Fprintln(w, "\nUsage: closedset COMMAND [flags]\n\nCommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-57s %s\n", "closedset "+c.name+" "+c.usage, c.summary)
	}
	fmt.Fprintln(w, "\nFILE may be - for standard input; its format (Fountain, FDX, PDF, plain text)")
	fmt.Fprintln(w, "is detected from content, or forced with --input-format.")
	fmt.Fprintln(w, "Every command that touches the database takes --db URL (sqlite:PATH or")
	fmt.Fprintf(w, "postgres://...), else reads $%s;\nthe default is %s.\n", dbEnv, defaultDB)
	fmt.Fprintln(w, "Run closedset COMMAND -h for a command's flags.")
}

// newFlags makes a flag set that reports errors instead of exiting.
func newFlags(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("closedset "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

// parseFlags parses args, mapping flag mistakes to exit status 2.
func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return &exitError{code: 2, err: err}
	}
	return nil
}
