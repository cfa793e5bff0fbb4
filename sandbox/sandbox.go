// Package sandbox reads untrusted script files in a child process: the same
// binary, re-executed with a hidden subcommand, under hard limits on its
// address space and CPU time, a wall-clock timeout and a cap on what it may
// write back. Its invariant: whatever the file does to the reader (an
// allocation without end, a loop, a crash the Go runtime cannot recover
// from), the parent gets a *closedset.Error of kind Unprocessable for that
// upload and goes on serving.
//
// The child side is Child, which the binary runs for the subcommand; the
// parent side is Reader.ReadDraft.
package sandbox

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"strconv"
	"strings"
	"time"

	"closedset"
	"closedset/breakdown"
	"closedset/production"
	"closedset/screenplay"
)

// Subcommand is the hidden subcommand the binary runs Child for.
const Subcommand = "parse-child"

// Defaults for a Reader's zero fields.
const (
	DefaultMemory    = 1 << 30 // bytes of address space
	DefaultCPU       = 20      // seconds of CPU time
	DefaultTimeout   = 30 * time.Second
	DefaultMaxOutput = 64 << 20 // bytes of JSON from the child
)

// Reader reads drafts in a child process.
type Reader struct {
	// Exe is the binary to run (os.Executable()); it must run Child when
	// its first argument is Subcommand.
	Exe       string
	MaxBytes  int64         // the upload limit the reader applies; 0: the reader's own
	Memory    int64         // address-space limit of the child
	CPU       int64         // CPU seconds of the child
	Timeout   time.Duration // wall clock, from start to its last byte
	MaxOutput int64         // bytes the child may write back
	// Env is the child's whole environment: none of the server's (the
	// seal, backup and CSRF keys, the database URL) unless named here.
	Env []string
}

// reply is what the child writes on stdout: a draft or an error for a person.
type reply struct {
	Draft *production.Draft `json:"draft,omitempty"`
	Kind  closedset.Kind    `json:"kind,omitempty"`
	Msg   string            `json:"msg,omitempty"`
}

// ReadDraft reads data as production.ReadDraft does, in a child process.
func (r Reader) ReadDraft(ctx context.Context, name string, data []byte) (*production.Draft, error) {
	mem, cpu, timeout, maxOut := r.Memory, r.CPU, r.Timeout, r.MaxOutput
	if mem <= 0 {
		mem = DefaultMemory
	}
	if cpu <= 0 {
		cpu = DefaultCPU
	}
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	if maxOut <= 0 {
		maxOut = DefaultMaxOutput
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	// kill ends the child as soon as it writes more than it may, rather
	// than leaving it blocked on a full pipe until the timeout.
	kctx, kill := context.WithCancel(ctx)
	defer kill()
	cmd := exec.CommandContext(kctx, r.Exe, Subcommand,
		"-name", name, "-max-bytes", strconv.FormatInt(r.MaxBytes, 10),
		"-memory", strconv.FormatInt(mem, 10), "-cpu", strconv.FormatInt(cpu, 10))
	// The child reads untrusted bytes: it gets none of the server's
	// environment (the seal, backup and CSRF keys, the database URL).
	cmd.Env = append([]string{}, r.Env...)
	cmd.Stdin = bytes.NewReader(data)
	out := &capped{max: maxOut, full: kill}
	errOut := &capped{max: 4 << 10}
	cmd.Stdout, cmd.Stderr = out, errOut
	cmd.WaitDelay = time.Second
	err := cmd.Run()
	limited := func(why string) error {
		return &closedset.Error{Kind: closedset.Unprocessable, Err: err,
			Msg: fmt.Sprintf("%s: the file could not be read within the limits: %s", name, why)}
	}
	switch {
	case out.over:
		return nil, limited("the reader wrote back more than any script needs")
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		return nil, limited(fmt.Sprintf("reading took longer than %v", timeout))
	case ctx.Err() != nil:
		return nil, ctx.Err()
	case err != nil:
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			return nil, fmt.Errorf("sandbox: run %s: %w", r.Exe, err)
		}
		return nil, limited(childFailure(ee, errOut.String(), cpu))
	}
	var rep reply
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		return nil, limited("the reader's answer was cut short")
	}
	if rep.Draft == nil {
		kind := rep.Kind
		if kind != closedset.TooLarge {
			kind = closedset.Unprocessable
		}
		return nil, &closedset.Error{Kind: kind, Msg: rep.Msg}
	}
	return rep.Draft, nil
}

// childFailure says in words why the child ended: the Go runtime out of
// memory, killed at its CPU limit, or otherwise.
func childFailure(ee *exec.ExitError, stderr string, cpu int64) string {
	switch {
	case strings.Contains(stderr, "out of memory") || strings.Contains(stderr, "cannot allocate memory") ||
		strings.Contains(stderr, "address space"): // how a -race build runs out
		return "it needed more memory than allowed"
	case cpuSpent(ee.ProcessState) >= time.Duration(cpu)*time.Second*9/10:
		return "it needed more CPU time than allowed"
	}
	return "the reader stopped (" + ee.ProcessState.String() + ")"
}

// capped is a buffer that keeps at most max bytes and notes any more. (It
// holds its buffer rather than embedding it, whose ReadFrom would let
// io.Copy past the cap.)
type capped struct {
	buf  bytes.Buffer
	max  int64
	over bool
	full func() // called once it is over
}

func (c *capped) Write(p []byte) (int, error) {
	if int64(c.buf.Len()+len(p)) > c.max {
		if !c.over && c.full != nil {
			c.full()
		}
		c.over = true
		return 0, errors.New("sandbox: output over its cap")
	}
	return c.buf.Write(p)
}

func (c *capped) Bytes() []byte  { return c.buf.Bytes() }
func (c *capped) String() string { return c.buf.String() }

// Child is the child's side: it sets its own limits, reads the file from
// stdin, and writes one reply as JSON to stdout. A reading error is a
// reply, not a failure; only a broken pipe or bad arguments return an error.
func Child(args []string, stdin io.Reader, stdout io.Writer) error {
	a, err := parseArgs(args)
	if err != nil {
		return err
	}
	if err := limit(a.memory, a.cpu); err != nil {
		return fmt.Errorf("set limits: %w", err)
	}
	data, err := io.ReadAll(stdin)
	if err != nil {
		return err
	}
	var rep reply
	d, err := production.ReadDraft(context.Background(), a.name, data, screenplay.Options{MaxBytes: a.maxBytes}, breakdown.Options{})
	if err != nil {
		var ce *closedset.Error
		if !errors.As(err, &ce) {
			return err
		}
		rep.Kind, rep.Msg = ce.Kind, ce.Error()
	} else {
		rep.Draft = d
	}
	return json.NewEncoder(stdout).Encode(rep)
}

type childArgs struct {
	name                  string
	maxBytes, memory, cpu int64
}

func parseArgs(args []string) (childArgs, error) {
	var a childArgs
	if len(args)%2 != 0 {
		return a, errors.New("arguments come in pairs")
	}
	for i := 0; i < len(args); i += 2 {
		v := args[i+1]
		n, _ := strconv.ParseInt(v, 10, 64)
		switch args[i] {
		case "-name":
			a.name = v
		case "-max-bytes":
			a.maxBytes = n
		case "-memory":
			a.memory = n
		case "-cpu":
			a.cpu = n
		default:
			return a, fmt.Errorf("unknown argument %q", args[i])
		}
	}
	return a, nil
}
