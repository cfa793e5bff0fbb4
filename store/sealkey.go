package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"closedset/audit"
)

// RecordSealKey records keyID as the id of the key that seals this
// database's private data, unless one is recorded already, and returns the
// id recorded: keyID on first use, else the earlier one, which the caller
// compares. Recording is a write with its event (sealkey.record); a later
// call that finds a key id writes nothing.
func (s *SQL) RecordSealKey(ctx context.Context, by audit.Actor, keyID string) (string, error) {
	recorded := keyID
	err := s.writeTx(ctx, by, func(tx *sql.Tx, now time.Time) (*change, error) {
		err := tx.QueryRowContext(ctx, `SELECT key_id FROM seal_key WHERE id = 1`).Scan(&recorded)
		if err == nil {
			return nil, nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return nil, fmt.Errorf("store: read the seal key's id: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO seal_key (id, key_id, at_us) VALUES (1, $1, $2)`, keyID, now.UnixMicro()); err != nil {
			return nil, fmt.Errorf("store: record the seal key's id: %w", err)
		}
		return &change{action: "sealkey.record", object: audit.Object("sealkey", 1), data: map[string]any{"key_id": keyID}}, nil
	})
	if err != nil {
		return "", err
	}
	return recorded, nil
}
