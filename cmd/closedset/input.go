package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
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

// openScript reads FILE ("-" for stdin) and opens it as a stream (learn
// is screenplay.OpenStream's): the text is read into memory once and the
// scenes point into it, never a copy. Every failure to read or parse is
// exit status 2 with a one-line message naming the file.
func (f *scriptFlags) openScript(path string, stdin io.Reader, learn func(*screenplay.Scene)) (*screenplay.Stream, error) {
	format, err := screenplay.ParseFormat(f.inputFormat)
	if err != nil {
		return nil, usageError("%v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), f.timeout)
	defer cancel()
	opts := screenplay.Options{Name: path, Format: format, MaxBytes: f.maxBytes}
	var st *screenplay.Stream
	if path != "-" {
		// A file is read again for the second pass, a window at a time:
		// a long Fountain script is never held whole.
		if info, err := os.Stat(path); err != nil {
			return nil, &exitError{code: 2, err: fmt.Errorf("%s: %w", path, unwrapPathError(err))}
		} else if info.IsDir() {
			return nil, &exitError{code: 2, err: fmt.Errorf("%s: is a folder, not a script file", path)}
		}
		st, err = screenplay.OpenFile(ctx, path, opts, learn)
		if pe, ok := err.(*os.PathError); ok {
			err = fmt.Errorf("%s: %w", path, pe.Err)
		}
	} else {
		var text string
		if text, err = readBounded(path, stdin, f.maxBytes); err != nil {
			return nil, &exitError{code: 2, err: err}
		}
		st, err = screenplay.OpenStream(ctx, text, opts, learn)
	}
	if err != nil {
		return nil, &exitError{code: 2, err: err}
	}
	return st, nil
}

// readBounded reads standard input ("-"), at most max+1 bytes, so an
// endless stream is refused without being held in memory; the text is
// read into a string as it comes, held once.
func readBounded(path string, stdin io.Reader, max int64) (string, error) {
	if max <= 0 {
		max = screenplay.DefaultMaxBytes
	}
	var b strings.Builder
	if _, err := io.Copy(&b, io.LimitReader(stdin, max+1)); err != nil {
		return "", fmt.Errorf("%s: %w", path, unwrapPathError(err))
	}
	// Let the reader produce the size error, with the file named.
	return b.String(), nil
}

func unwrapPathError(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}
