package sqlite

import (
	"context"
	"database/sql/driver"
	"errors"
	"sync"

	"modernc.org/sqlite"
)

// SQLite compiles a statement's text into a program before it runs it, and
// database/sql asks the driver to do so again for every query that is not
// a *sql.Stmt: a third of a readiness request's time went into parsing the
// same few dozen queries. Each connection here keeps the statements it has
// compiled, by their text, and runs them again with new arguments.
//
// A statement is reused only once its last rows are closed (SQLite resets
// it then): a query run while the same text is still being read on the
// connection, as a nested read may, gets a statement of its own, closed
// with its rows. SQLite recompiles a kept statement by itself when the
// schema changes under it (a migration, a restore).

// maxCachedStmts bounds the statements a connection keeps: closedset's
// queries are a few hundred fixed texts, so the bound is only a guard
// against a query built with a varying text.
const maxCachedStmts = 512

// connector opens connections to dsn that keep their statements.
type connector struct {
	driver.Connector
}

func newConnector(dsn string) (driver.Connector, error) {
	c, err := sqlite.NewConnector(dsn)
	if err != nil {
		return nil, err
	}
	return connector{c}, nil
}

// Connect opens one connection.
func (c connector) Connect(ctx context.Context) (driver.Conn, error) {
	dc, err := c.Connector.Connect(ctx)
	if err != nil {
		return nil, err
	}
	return newCachingConn(dc)
}

// conn is what the driver's connection offers that database/sql uses.
type conn interface {
	driver.Conn
	driver.ConnBeginTx
	driver.ConnPrepareContext
	driver.ExecerContext
	driver.QueryerContext
	driver.Pinger
	driver.SessionResetter
	driver.Validator
}

// stmt is a driver statement that runs with a context.
type stmt interface {
	driver.Stmt
	driver.StmtExecContext
	driver.StmtQueryContext
}

// cachingConn is one connection and the statements it keeps. database/sql
// uses a connection from one goroutine at a time, closing rows included;
// mu guards the map all the same, at no cost worth counting.
type cachingConn struct {
	conn
	mu    sync.Mutex
	stmts map[string]*cachedStmt
}

type cachedStmt struct {
	stmt
	busy bool // rows of it are open
}

func newCachingConn(dc driver.Conn) (driver.Conn, error) {
	c, ok := dc.(conn)
	if !ok {
		dc.Close()
		return nil, errors.New("sqlite: the driver's connection lacks a method closedset uses")
	}
	return &cachingConn{conn: c, stmts: make(map[string]*cachedStmt)}, nil
}

// take returns the kept statement of query, marked busy, compiling it if
// it is not kept yet; nil (and no error) when it is busy, for the caller to
// run the query the driver's way.
func (c *cachingConn) take(ctx context.Context, query string) (*cachedStmt, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if s, ok := c.stmts[query]; ok {
		if s.busy {
			return nil, nil
		}
		s.busy = true
		return s, nil
	}
	ds, err := c.conn.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	st, ok := ds.(stmt)
	if !ok {
		ds.Close()
		return nil, errors.New("sqlite: the driver's statement lacks a method closedset uses")
	}
	if len(c.stmts) >= maxCachedStmts {
		for q, old := range c.stmts { // any idle one: a miss only costs a compile
			if !old.busy {
				old.Close()
				delete(c.stmts, q)
				break
			}
		}
	}
	s := &cachedStmt{stmt: st, busy: true}
	c.stmts[query] = s
	return s, nil
}

func (c *cachingConn) release(s *cachedStmt) {
	c.mu.Lock()
	s.busy = false
	c.mu.Unlock()
}

// QueryContext runs query on its kept statement; the statement is free
// again when the rows are closed.
func (c *cachingConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	s, err := c.take(ctx, query)
	if err != nil {
		return nil, err
	}
	if s == nil {
		return c.conn.QueryContext(ctx, query, args)
	}
	rows, err := s.QueryContext(ctx, args)
	if err != nil {
		c.release(s)
		return nil, err
	}
	return &cachedRows{Rows: rows, done: func() { c.release(s) }}, nil
}

// ExecContext runs query on its kept statement.
func (c *cachingConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	s, err := c.take(ctx, query)
	if err != nil {
		return nil, err
	}
	if s == nil {
		return c.conn.ExecContext(ctx, query, args)
	}
	defer c.release(s)
	return s.ExecContext(ctx, args)
}

// Close finalizes the kept statements, then closes the connection: SQLite
// would keep a connection with statements open.
func (c *cachingConn) Close() error {
	c.mu.Lock()
	var errs []error
	for q, s := range c.stmts {
		errs = append(errs, s.Close())
		delete(c.stmts, q)
	}
	c.mu.Unlock()
	return errors.Join(append(errs, c.conn.Close())...)
}

// cachedRows frees their statement when closed.
type cachedRows struct {
	driver.Rows
	done func()
}

func (r *cachedRows) Close() error {
	err := r.Rows.Close()
	if r.done != nil {
		r.done()
		r.done = nil
	}
	return err
}
