package store

import "testing"

// TestEveryBackendHasEveryMigration checks the embedded files: numbered
// from 1 without a gap, one file per number for each backend.
func TestEveryBackendHasEveryMigration(t *testing.T) {
	for _, name := range []string{"sqlite", "postgres"} {
		steps, err := migrations(Dialect{Name: name, ID: "ID", Blob: "BLOB"})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(steps) != SchemaVersion() {
			t.Fatalf("%s has %d migrations, want %d", name, len(steps), SchemaVersion())
		}
		for i, m := range steps {
			if m.version != i+1 {
				t.Fatalf("%s: migration %d is %s", name, i+1, m.name)
			}
		}
	}
}
