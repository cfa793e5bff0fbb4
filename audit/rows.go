package audit

import (
	"fmt"
	"strconv"
	"strings"
)

// A Row is a record an event wrote, outside the chain: its table, its key
// and the hash of its contents as the store computes it. An event that
// names its rows commits to them: a row deleted or edited later no longer
// matches the hash its event carries, and a row no event names was written
// around closedset. The chain's hash covers Rows (see Canonical), so the
// list itself cannot be edited either.
type Row struct {
	Table string // the table, a-z and '_'
	Key   int64  // the row's key in it (for a group of rows, their shared key)
	Hash  string // lowercase hex SHA-256 of the row's contents
}

// MaxTable bounds a Row's table name.
const MaxTable = 64

func (r Row) String() string { return fmt.Sprintf("%s:%d:%s", r.Table, r.Key, r.Hash) }

func checkRow(r Row) error {
	if r.Table == "" || len(r.Table) > MaxTable || strings.Trim(r.Table, "abcdefghijklmnopqrstuvwxyz_") != "" {
		return fmt.Errorf("audit: row table %q must be 1 to %d of a-z and '_'", r.Table, MaxTable)
	}
	if r.Key < 0 {
		return fmt.Errorf("audit: row key %d of %s is negative", r.Key, r.Table)
	}
	if !isHash(r.Hash) {
		return fmt.Errorf("audit: row hash %q of %s:%d is not a lowercase hex SHA-256", r.Hash, r.Table, r.Key)
	}
	return nil
}

// FormatRows writes rows the one way a store keeps them: each as
// "table:key:hash", separated by single spaces; no rows is "".
func FormatRows(rows []Row) string {
	var b strings.Builder
	for i, r := range rows {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(r.String())
	}
	return b.String()
}

// ParseRows reads what FormatRows wrote, and nothing else: a list in
// another spelling would change the stored event without changing what
// its hash covers.
func ParseRows(s string) ([]Row, error) {
	if s == "" {
		return nil, nil
	}
	fields := strings.Split(s, " ")
	rows := make([]Row, len(fields))
	for i, f := range fields {
		table, rest, ok1 := strings.Cut(f, ":")
		key, hash, ok2 := strings.Cut(rest, ":")
		n, err := strconv.ParseInt(key, 10, 64)
		if !ok1 || !ok2 || err != nil || strconv.FormatInt(n, 10) != key {
			return nil, fmt.Errorf("audit: row %d %q is not table:key:hash", i+1, f)
		}
		rows[i] = Row{Table: table, Key: n, Hash: hash}
		if err := checkRow(rows[i]); err != nil {
			return nil, err
		}
	}
	return rows, nil
}

// RowBreak is a row outside the chain that does not match the event that
// wrote it: missing, changed since, or written by no event.
type RowBreak struct {
	Seq   int64  // the event that wrote the row; 0 when none did
	Table string // the row's table
	Key   int64  // the row's key
	Msg   string // for a person: "withdrawals row 5, written by event 17, is missing"
}

func (b RowBreak) Error() string { return b.Msg }
