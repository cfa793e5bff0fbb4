package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"closedset/screenplay"
)

// scriptFlags are the flags every command that reads one script shares.
type scriptFlags struct {
	inputFormat string
	maxBytes    int64
	timeout     time.Duration
}

func (f *scriptFlags) register(fs interface {
	StringVar(*string, string, string, string)
	Int64Var(*int64, string, int64, string)
	DurationVar(*time.Duration, string, time.Duration, string)
}) {
	fs.StringVar(&f.inputFormat, "input-format", "", "force the input format: fountain, fdx, pdf or text")
	fs.Int64Var(&f.maxBytes, "max-bytes", screenplay.DefaultMaxBytes, "refuse input larger than this many bytes")
	fs.DurationVar(&f.timeout, "timeout", 2*time.Minute, "give up reading one script after this long")
}

// readScript reads and parses FILE ("-" for stdin). Every failure to read or
// parse is exit status 2 with a one-line message naming the file.
func (f *scriptFlags) readScript(path string, stdin io.Reader) (*screenplay.Script, error) {
	format, err := screenplay.ParseFormat(f.inputFormat)
	if err != nil {
		return nil, usageError("%v", err)
	}
	data, err := readBounded(path, stdin, f.maxBytes)
	if err != nil {
		return nil, &exitError{code: 2, err: err}
	}
	ctx, cancel := context.WithTimeout(context.Background(), f.timeout)
	defer cancel()
	s, err := screenplay.ReadContext(ctx, data, screenplay.Options{Name: path, Format: format, MaxBytes: f.maxBytes})
	if err != nil {
		return nil, &exitError{code: 2, err: err}
	}
	return s, nil
}

// readBounded reads at most max+1 bytes, so an endless stream is refused
// without being held in memory.
func readBounded(path string, stdin io.Reader, max int64) ([]byte, error) {
	var r io.Reader = stdin
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, unwrapPathError(err))
		}
		defer f.Close()
		if st, err := f.Stat(); err == nil && st.IsDir() {
			return nil, fmt.Errorf("%s: is a folder, not a script file", path)
		}
		r = f
	}
	if max <= 0 {
		max = screenplay.DefaultMaxBytes
	}
	data, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, unwrapPathError(err))
	}
	// Let the reader produce the size error, with the file named.
	return data, nil
}

func unwrapPathError(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}
