package web

import (
	_ "embed"
	"net/http"
)

// openAPI is the API's OpenAPI 3.1 description, written by hand; a test
// holds it to the route table.
//
//go:embed openapi.json
var openAPI []byte

func (s *Server) apiOpenAPI(w http.ResponseWriter, r *http.Request, rq *request) error {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Write(openAPI)
	return nil
}
