package sqlite

import (
	"context"
	"database/sql"
	"path/filepath"
	"slices"
	"testing"
)

// TestKeptStatementsAnswerNestedReadsOfTheSameQuery reads a query while
// the same text runs again on the same connection with other arguments
// (each must get its own answer), then runs it once more: the connection
// keeps one statement for the text, reused once its rows are closed.
func TestKeptStatementsAnswerNestedReadsOfTheSameQuery(t *testing.T) {
	ctx := context.Background()
	db, err := openDB(dsn(filepath.Join(t.TempDir(), "cache.db")))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	c, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	const q = `SELECT value FROM json_each($1) ORDER BY value`
	read := func(list string) []int64 {
		t.Helper()
		rows, err := c.QueryContext(ctx, q, list)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out []int64
		for rows.Next() {
			var v int64
			if err := rows.Scan(&v); err != nil {
				t.Fatal(err)
			}
			out = append(out, v)
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		return out
	}
	outer, err := c.QueryContext(ctx, q, "[1,2,3]")
	if err != nil {
		t.Fatal(err)
	}
	var got []int64
	for outer.Next() {
		var v int64
		if err := outer.Scan(&v); err != nil {
			t.Fatal(err)
		}
		got = append(got, v)
		if inner := read("[7,8]"); !slices.Equal(inner, []int64{7, 8}) {
			t.Fatalf("the nested read gave %v, want [7 8]", inner)
		}
	}
	outer.Close()
	if !slices.Equal(got, []int64{1, 2, 3}) {
		t.Fatalf("the outer read gave %v, want [1 2 3]", got)
	}
	if again := read("[4]"); !slices.Equal(again, []int64{4}) {
		t.Fatalf("the read after gave %v, want [4]", again)
	}
	var kept int
	if err := c.Raw(func(dc any) error { kept = len(dc.(*cachingConn).stmts); return nil }); err != nil {
		t.Fatal(err)
	}
	if kept != 1 {
		t.Errorf("the connection keeps %d statements, want 1", kept)
	}
}

// TestKeptStatementsSurviveAnError runs a statement that fails, then the
// same text with arguments that work.
func TestKeptStatementsSurviveAnError(t *testing.T) {
	ctx := context.Background()
	db, err := openDB(dsn(filepath.Join(t.TempDir(), "cache.db")))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if _, err := db.ExecContext(ctx, `CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	const ins = `INSERT INTO t (id, v) VALUES ($1, $2)`
	if _, err := db.ExecContext(ctx, ins, 1, "a"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, ins, 1, "b"); err == nil {
		t.Fatal("a second row with id 1 was inserted")
	}
	if _, err := db.ExecContext(ctx, ins, 2, "b"); err != nil {
		t.Fatalf("after a failed insert: %v", err)
	}
	var n int
	if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM t`).Scan(&n); err != nil || n != 2 {
		t.Fatalf("%d rows, %v; want 2", n, err)
	}
	var s sql.NullString
	if err := db.QueryRowContext(ctx, `SELECT v FROM t WHERE id = $1`, 3).Scan(&s); err != sql.ErrNoRows {
		t.Fatalf("reading a missing row: %v, want no rows", err)
	}
	if err := db.QueryRowContext(ctx, `SELECT v FROM t WHERE id = $1`, 2).Scan(&s); err != nil || s.String != "b" {
		t.Fatalf("reading row 2: %q, %v", s.String, err)
	}
}
