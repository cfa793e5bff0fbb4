package store

import (
	"cmp"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"math"
	"slices"
	"time"

	"closedset/audit"
)

// ledgerKeys are the tables whose rows are records: appended, never
// changed (most under triggers), each written with the audit event that
// names it by its key and the hash of its contents (audit.Row). A key may
// name a group of rows written together (a rider's scenes), hashed as one.
// Tables whose rows change in place (users, members, performers' contact
// details, sessions) are not here: their history is the events alone.
var ledgerKeys = []struct{ table, key string }{
	{"flag_reviews", "id"},
	{"production_policies", "id"},
	{"boundaries", "id"},
	{"scene_lineage", "scene_id"},
	{"scene_cast", "id"},
	{"call_times", "id"},
	{"plan_versions", "id"},
	{"riders", "id"},
	{"rider_scenes", "rider_id"},
	{"rider_signatures", "rider_id"},
	{"consents", "id"},
	{"withdrawals", "id"},
	{"withdrawal_reasons", "withdrawal_id"},
	{"guardians", "id"},
	{"studio_teachers", "id"},
	{"department_requests", "id"},
	{"request_states", "id"},
	{"shoot_days", "id"},
	{"shoot_day_versions", "id"},
	{"shoot_day_scenes", "version_id"},
	{"closed_set_versions", "id"},
	{"closed_set_approvals", "id"},
	// The shoot day's record (migration 15).
	{"rehearsals", "id"},
	{"rehearsal_people", "rehearsal_id"},
	{"takes", "id"},
	{"take_performers", "take_id"},
	{"check_ins", "id"},
	{"scene_pauses", "id"},
	{"scene_resumes", "id"},
	{"deviations", "id"},
	{"step_outs", "id"},
	{"debriefs", "id"},
	{"crew_debriefs", "id"},
	{"day_reports", "id"},
	// The IC's own record (migration 16).
	{"ic_profiles", "id"},
	{"proof_files", "id"},
	{"proof_shares", "id"},
	{"stage_signoffs", "id"},
	{"ic_of_record", "id"},
}

// ledgerRef names rows a write made, for its event: the event carries
// their hash, computed when it is appended, inside the same transaction.
type ledgerRef struct {
	table string
	key   int64
}

// ledgerTable returns the backup spec and key column of a ledger table.
func ledgerTable(name string) (backupTable, string, bool) {
	for _, l := range ledgerKeys {
		if l.table == name {
			return backupTables[tableIndex(name)], l.key, true
		}
	}
	return backupTable{}, "", false
}

// ledgerRowTag starts every row group's hash, so that it can never equal
// another hash of the same bytes.
const ledgerRowTag = "closedset-ledger-row-v1\n"

// hashRows hashes the rows of one key, each encoded as its backup line's
// row object (the same on every backend):
//
//	SHA-256("closedset-ledger-row-v1\n" || table || "\n" || for each row: {"col":value,...} || "\n")
//
// with rows in the table's backup order.
func hashRows(t backupTable, rows [][]any) (string, error) {
	h := sha256.New()
	h.Write([]byte(ledgerRowTag + t.name + "\n"))
	var b []byte
	for _, vals := range rows {
		var err error
		if b, err = appendRowJSON(b[:0], t, vals); err != nil {
			return "", fmt.Errorf("store: hashing a %s row: %w", t.name, err)
		}
		h.Write(append(b, '\n'))
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// scanValues scans the current row of rows into fresh values of t's kinds.
func scanValues(rows *sql.Rows, t backupTable) ([]any, error) {
	ptrs := make([]any, len(t.cols))
	for i, c := range t.cols {
		ptrs[i] = newValue(c.kind)
	}
	if err := rows.Scan(ptrs...); err != nil {
		return nil, err
	}
	vals := make([]any, len(ptrs))
	for i, p := range ptrs {
		vals[i] = deref(p)
	}
	return vals, nil
}

// ledgerRows hashes what a write made, inside its transaction: the rows it
// names must be there.
func ledgerRows(ctx context.Context, q querier, refs []ledgerRef) ([]audit.Row, error) {
	out := make([]audit.Row, 0, len(refs))
	for _, r := range refs {
		t, key, ok := ledgerTable(r.table)
		if !ok {
			return nil, fmt.Errorf("store: %s is not a ledger table", r.table)
		}
		rows, err := q.QueryContext(ctx, `SELECT `+t.columnList()+` FROM `+t.name+` WHERE `+key+` = $1 ORDER BY `+t.order, r.key)
		if err != nil {
			return nil, fmt.Errorf("store: binding %s %d: %w", r.table, r.key, err)
		}
		var group [][]any
		for rows.Next() {
			vals, err := scanValues(rows, t)
			if err != nil {
				rows.Close()
				return nil, fmt.Errorf("store: binding %s %d: %w", r.table, r.key, err)
			}
			group = append(group, vals)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("store: binding %s %d: %w", r.table, r.key, err)
		}
		if len(group) == 0 {
			return nil, fmt.Errorf("store: binding %s %d: no such row", r.table, r.key)
		}
		h, err := hashRows(t, group)
		if err != nil {
			return nil, err
		}
		out = append(out, audit.Row{Table: r.table, Key: r.key, Hash: h})
	}
	return out, nil
}

// eachLedgerGroup streams a ledger table in key order and calls fn with
// each key's hash.
func eachLedgerGroup(ctx context.Context, q querier, table, key string, fn func(key int64, hash string) error) error {
	t, _, _ := ledgerTable(table)
	rows, err := q.QueryContext(ctx, `SELECT `+key+`, `+t.columnList()+` FROM `+t.name+` ORDER BY `+key+`, `+t.order)
	if err != nil {
		return fmt.Errorf("store: reading %s: %w", table, err)
	}
	defer rows.Close()
	ext := backupTable{name: t.name, cols: append([]column{{"key", kInt}}, t.cols...)}
	var (
		cur   int64
		group [][]any
	)
	flush := func() error {
		if len(group) == 0 {
			return nil
		}
		h, err := hashRows(t, group)
		if err != nil {
			return err
		}
		group = group[:0]
		return fn(cur, h)
	}
	for rows.Next() {
		vals, err := scanValues(rows, ext)
		if err != nil {
			return fmt.Errorf("store: reading %s: %w", table, err)
		}
		k := vals[0].(int64)
		if k != cur {
			if err := flush(); err != nil {
				return err
			}
			cur = k
		}
		group = append(group, vals[1:])
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("store: reading %s: %w", table, err)
	}
	return flush()
}

// VerifyLedger recomputes the hash of every ledger row and compares it
// with the event that wrote it: a row deleted, edited or added outside
// closedset is reported, the earliest event first. It reads one snapshot
// and holds one hash per ledger row. It does not verify the chain itself
// (audit.Verify does); run both.
func (s *SQL) VerifyLedger(ctx context.Context) ([]audit.RowBreak, error) {
	type bound struct {
		seq  int64
		hash string
	}
	var breaks []audit.RowBreak
	err := s.readTx(ctx, func(tx *sql.Tx) error {
		want := map[string]map[int64]bound{}
		rows, err := tx.QueryContext(ctx, `SELECT seq, bound_rows FROM audit_events WHERE bound_rows <> '' ORDER BY seq`)
		if err != nil {
			return fmt.Errorf("store: verify ledger: %w", err)
		}
		for rows.Next() {
			var seq int64
			var words string
			if err := rows.Scan(&seq, &words); err != nil {
				rows.Close()
				return fmt.Errorf("store: verify ledger: %w", err)
			}
			rs, err := audit.ParseRows(words)
			if err != nil {
				rows.Close()
				return fmt.Errorf("store: verify ledger: event %d: %w", seq, err)
			}
			for _, r := range rs {
				if want[r.Table] == nil {
					want[r.Table] = map[int64]bound{}
				}
				want[r.Table][r.Key] = bound{seq, r.Hash}
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("store: verify ledger: %w", err)
		}
		for _, l := range ledgerKeys {
			w := want[l.table]
			err := eachLedgerGroup(ctx, tx, l.table, l.key, func(key int64, hash string) error {
				b, ok := w[key]
				switch {
				case !ok:
					breaks = append(breaks, audit.RowBreak{Seq: 0, Table: l.table, Key: key, Msg: fmt.Sprintf("%s row %d was written by no audit event: it was added outside closedset", l.table, key)})
				case b.hash != hash:
					breaks = append(breaks, audit.RowBreak{Seq: b.seq, Table: l.table, Key: key, Msg: fmt.Sprintf("%s row %d, written by event %d, was changed since", l.table, key, b.seq)})
				}
				delete(w, key)
				return nil
			})
			if err != nil {
				return err
			}
			delete(want, l.table)
			for key, b := range w {
				breaks = append(breaks, audit.RowBreak{Seq: b.seq, Table: l.table, Key: key, Msg: fmt.Sprintf("%s row %d, written by event %d, is missing", l.table, key, b.seq)})
			}
		}
		for table, w := range want {
			for key, b := range w {
				breaks = append(breaks, audit.RowBreak{Seq: b.seq, Table: table, Key: key, Msg: fmt.Sprintf("event %d names %s row %d, and %s is not a ledger table", b.seq, table, key, table)})
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	// Rows no event wrote have no event to sort by: they come last.
	rank := func(b audit.RowBreak) int64 {
		if b.Seq == 0 {
			return math.MaxInt64
		}
		return b.Seq
	}
	slices.SortFunc(breaks, func(a, b audit.RowBreak) int {
		return cmp.Or(cmp.Compare(rank(a), rank(b)), cmp.Compare(a.Table, b.Table), cmp.Compare(a.Key, b.Key))
	})
	return breaks, nil
}

// bindLedger binds the ledger rows written before the chain covered the
// ledger (migration 13): once, in one system event naming them all.
func (s *SQL) bindLedger(ctx context.Context) error {
	var n int
	if err := s.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM ledger_binding`).Scan(&n); err != nil {
		return fmt.Errorf("store: ledger binding: %w", err)
	}
	if n > 0 {
		return nil
	}
	return s.writeTx(ctx, audit.System, func(tx *sql.Tx, now time.Time) (*change, error) {
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM ledger_binding`).Scan(&n); err != nil || n > 0 {
			return nil, err // another server did it first
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO ledger_binding (id, bound_us) VALUES (1, $1)`, now.UnixMicro()); err != nil {
			return nil, fmt.Errorf("store: ledger binding: %w", err)
		}
		var refs []ledgerRef
		for _, l := range ledgerKeys {
			err := eachLedgerGroup(ctx, tx, l.table, l.key, func(key int64, _ string) error {
				refs = append(refs, ledgerRef{l.table, key})
				return nil
			})
			if err != nil {
				return nil, err
			}
		}
		if len(refs) == 0 {
			return nil, nil // nothing written yet: no event
		}
		return &change{action: "ledger.bind", object: "installation:1", data: map[string]any{"rows": len(refs)}, rows: refs}, nil
	})
}
