package consent

import (
	"errors"
	"io"

	"closedset/internal/strictjson"
)

// decodeStrict decodes one JSON object of at most limit bytes from r into
// v with the one strict decoder (strictjson: no unknown, repeated or
// upper-case fields, no trailing data); what is wrong is an *Error naming
// what.
func decodeStrict(r io.Reader, limit int64, what string, v any) error {
	err := strictjson.Decode(r, limit, v)
	var se *strictjson.Error
	if errors.As(err, &se) {
		var e *Error
		if errors.As(se.Err, &e) {
			return e
		}
		return invalid(what, "%s", se.Msg)
	}
	return err
}
