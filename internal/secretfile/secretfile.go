// Package secretfile writes a key file once: created only where there is
// none, readable by its owner alone, and never left half-written.
package secretfile

import (
	"fmt"
	"os"
)

// Create writes data to a new file at path with permissions 0600 and
// syncs it. When a file is already there it writes nothing and returns an
// error that errors.Is(err, fs.ErrExist): another process made it first,
// and its file is the one to read. A file not wholly written is removed.
func Create(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("create %s: %w", path, err)
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
