package web

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"

	"closedset/auth"
	"closedset/breakdown"
	"closedset/consent"
)

// openAPI is the API's OpenAPI 3.1 description, written by hand; a test
// holds it to the route table. Its vocabularies (roles, policies,
// categories, body areas) are not written in it: openAPIDoc fills each
// schema's enum from the package that defines it.
//
//go:embed openapi.json
var openAPI []byte

// openAPIDoc is openAPI with its vocabularies filled in, made once.
var openAPIDoc = sync.OnceValues(func() ([]byte, error) { return withVocabularies(openAPI) })

// vocabularies are the schemas whose enum is a Go vocabulary.
func vocabularies() map[string][]string {
	var roles, categories, departments []string
	for _, r := range auth.ProductionRoles() {
		roles = append(roles, string(r))
	}
	for _, c := range breakdown.Categories {
		categories = append(categories, string(c))
	}
	for _, d := range auth.Departments() {
		departments = append(departments, string(d))
	}
	return map[string][]string{
		"Department":      departments,
		"Role":            roles,
		"Policy":          consent.PolicyNames(),
		"Category":        categories,
		"ContentCategory": consent.ContentCategories(),
		"BodyArea":        consent.BodyAreas(),
	}
}

// withVocabularies sets the enum of each schema of vocabularies in doc.
func withVocabularies(doc []byte) ([]byte, error) {
	var d map[string]any
	if err := json.Unmarshal(doc, &d); err != nil {
		return nil, fmt.Errorf("openapi.json: %w", err)
	}
	components, _ := d["components"].(map[string]any)
	schemas, _ := components["schemas"].(map[string]any)
	for name, values := range vocabularies() {
		s, ok := schemas[name].(map[string]any)
		if !ok {
			return nil, fmt.Errorf("openapi.json has no schema %s for its vocabulary", name)
		}
		s["enum"] = values
	}
	return json.Marshal(d)
}

func (s *Server) apiOpenAPI(w http.ResponseWriter, r *http.Request, rq *request) error {
	doc, err := openAPIDoc()
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Write(doc)
	return nil
}
