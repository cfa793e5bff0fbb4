package web

import (
	"bytes"
	"net/http"
	"testing"
)

// FuzzAPIBodies sends arbitrary bodies to every JSON-decoding route, as a
// producer and IC of the production: no panic, no 5xx.
func FuzzAPIBodies(f *testing.F) {
	for _, seed := range []string{
		`{"title": "T", "policy": "sag_aftra"}`,
		`{"email": "ic@example.org", "role": "ic"}`,
		`{"decision": "confirmed", "note": "ok"}`,
		`{"name": "ci"}`,
		`{"title": "\u0000", "policy": "custom", "time_zone": "Europe/London"}`,
		`{"email": "x", "password": "y"}`,
		`[]`, `null`, `{"a":`, `{} {}`, `{"title": 1e999}`,
	} {
		for route := range 6 {
			f.Add(uint8(route), []byte(seed))
		}
	}
	w := newWorld(f)
	if _, err := w.st.AddMember(f.Context(), w.users["producer"].Actor(), w.prod.ID, w.users["producer"].ID, "ic"); err != nil {
		f.Fatal(err)
	}
	paths := []string{
		"/api/v1/productions",
		"/api/v1/productions/" + itoa(w.prod.ID) + "/members",
		"/api/v1/flags/" + itoa(w.flag.ID) + "/review",
		"/api/v1/tokens",
		"/api/v1/session",
		"/api/v1/productions/" + itoa(w.prod.ID) + "/scripts?filename=f.fountain",
	}
	f.Fuzz(func(t *testing.T, route uint8, body []byte) {
		path := paths[int(route)%len(paths)]
		r := newRequest(call{method: "POST", path: path, body: bytes.NewReader(body)})
		r.Header.Set("Content-Type", "application/json")
		r.Header.Set("Authorization", "Bearer "+w.tokens["producer"])
		res := serve(w.env, r)
		if res.Code >= 500 || res.Code < 200 {
			t.Fatalf("POST %s %q: status %d: %s", path, body, res.Code, res.Body)
		}
		if res.Code == http.StatusTooManyRequests && path != "/api/v1/session" {
			t.Fatalf("POST %s: 429", path)
		}
	})
}
