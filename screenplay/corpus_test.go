package screenplay

import (
	"os"
	"path/filepath"
	"testing"
)

// corpusDir is where the shared real-world screenplays live beside the project.
const corpusDir = "../../shared/corpus"

// corpusPath returns the path of a file or folder in the shared corpus. When
// the corpus is absent the test is skipped, except in CI (CI=true), where a
// missing corpus is a failure.
func corpusPath(t testing.TB, rel string) string {
	t.Helper()
	p := filepath.Join(corpusDir, rel)
	if _, err := os.Stat(p); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("shared corpus missing in CI: %v", err)
		}
		t.Skipf("shared corpus not present: %v", err)
	}
	return p
}
