package consent

import (
	"closedset"
	"errors"
	"io"

	"closedset/internal/strictjson"
)

// decodeStrict decodes one JSON object of at most limit bytes from r into
// v with the one strict decoder (strictjson: no unknown, repeated or
// upper-case fields, no trailing data); what is wrong is a closedset.Invalid
// error naming what.
func decodeStrict(r io.Reader, limit int64, what string, v any) error {
	err := strictjson.Decode(r, limit, v)
	var se *strictjson.Error
	if errors.As(err, &se) {
		// A field's own check (UnmarshalJSON) that names the field says
		// best what is wrong.
		var e *closedset.Error
		if errors.As(se.Err, &e) && e.Field != "" {
			return e
		}
		return invalid(what, "%s", se.Msg)
	}
	return err
}
