package screenplay

import (
	"errors"
	"testing"

	"closedset"
)

// why is the reason a reading error wraps (ErrBinary, ErrMalformed, ...),
// nil when err has none.
func why(err error) error {
	for _, w := range []error{ErrTooLarge, ErrBinary, ErrMalformed, ErrNoText, ErrEmpty, ErrLimit} {
		if errors.Is(err, w) {
			return w
		}
	}
	return nil
}

// TestReadErrorKinds: a file over the limit is closedset.TooLarge, every
// other file that cannot be read closedset.Unprocessable, and the message
// names the file and the line.
func TestReadErrorKinds(t *testing.T) {
	tests := []struct {
		name string
		in   string
		opts Options
		kind closedset.Kind
		why  error
		msg  string
	}{
		{"too large", "INT. A - DAY\n", Options{Name: "big.fountain", MaxBytes: 4}, closedset.TooLarge, ErrTooLarge, "big.fountain: file is 13 bytes, over the 4 bytes limit"},
		{"binary", "\x7fELF\x00\x00\x01", Options{Name: "a.out"}, closedset.Unprocessable, ErrBinary, "a.out: binary data, not a screenplay (expected Fountain, FDX, PDF or plain text)"},
		{"malformed", "<FinalDraft>\n<Content>\n</Paragraph>", Options{Name: "harbor.fdx"}, closedset.Unprocessable, ErrMalformed, "harbor.fdx: line 3: </Paragraph> closes <Content> opened on line 2"},
		{"no name", "", Options{}, closedset.Unprocessable, ErrEmpty, "input: file is empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Read([]byte(tt.in), tt.opts)
			var e *closedset.Error
			if !errors.As(err, &e) || e.Kind != tt.kind || why(err) != tt.why || err.Error() != tt.msg {
				t.Errorf("err = %v (%T, kind %q, %v), want %q of kind %q, %v", err, err, closedset.KindOf(err), why(err), tt.msg, tt.kind, tt.why)
			}
		})
	}
}
