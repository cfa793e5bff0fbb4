package web

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
)

// TestOpenAPIDescribesEveryRoute holds the OpenAPI document and the route
// table to each other: every API route is documented, and everything
// documented is routed.
func TestOpenAPIDescribesEveryRoute(t *testing.T) {
	e := newEnv(t)
	w := e.do(call{method: "GET", path: "/api/v1/openapi.json"})
	if w.Code != http.StatusOK {
		t.Fatalf("openapi.json: %d", w.Code)
	}
	var doc struct {
		OpenAPI string                                `json:"openapi"`
		Paths   map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.1") {
		t.Errorf("openapi %q, want 3.1", doc.OpenAPI)
	}
	documented := map[string]bool{}
	for path, ops := range doc.Paths {
		for method := range ops {
			if method == "parameters" || method == "summary" || method == "description" {
				continue
			}
			documented[strings.ToUpper(method)+" "+path] = true
		}
	}
	routed := map[string]bool{}
	for _, ri := range e.srv.Routes() {
		if ri.API() {
			routed[ri.Method+" "+ri.Path] = true
		}
	}
	for r := range routed {
		if !documented[r] {
			t.Errorf("route %s is not in openapi.json", r)
		}
	}
	var extra []string
	for d := range documented {
		if !routed[d] {
			extra = append(extra, d)
		}
	}
	slices.Sort(extra)
	for _, d := range extra {
		t.Errorf("openapi.json names %s, which is not routed", d)
	}
}
