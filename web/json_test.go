package web

import (
	"net/http/httptest"
	"strings"
	"testing"
)

// An optional body may be left out (or blank); one that is sent must be
// JSON, declared so, and valid.
func TestDecodeOptionalJSON(t *testing.T) {
	type in struct {
		Version int `json:"version"`
	}
	for _, tc := range []struct {
		body, ct string
		want     int
		ok       bool
	}{
		{"", "", 7, true},
		{"  \n", "", 7, true},
		{`{"version": 3}`, "application/json", 3, true},
		{`{"version": 3}`, "", 0, false},
		{`{"version": "x"}`, "application/json", 0, false},
		{`{"other": 1}`, "application/json", 0, false},
	} {
		r := httptest.NewRequest("POST", "/x", strings.NewReader(tc.body))
		if tc.ct != "" {
			r.Header.Set("Content-Type", tc.ct)
		}
		v := in{Version: 7}
		err := decodeOptionalJSON(r, &v)
		if (err == nil) != tc.ok || tc.ok && v.Version != tc.want {
			t.Errorf("body %q (%q): version %d, err %v; want %d, ok %v", tc.body, tc.ct, v.Version, err, tc.want, tc.ok)
		}
	}
}
