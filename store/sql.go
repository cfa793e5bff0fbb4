package store

import (
	"closedset"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"closedset/audit"
	"closedset/ops"
	"closedset/production"
)

// Config is what a backend gives Open.
type Config struct {
	Dialect Dialect
	// Read serves reads; Write serves write transactions and migrations.
	// They may be the same pool. SQLite uses one write connection, so that
	// the process's writers wait in line in Go rather than on the file
	// lock, and a pool of read connections beside it.
	Read, Write *sql.DB
	// Listen, when set, tells of the commits of every process sharing the
	// database: it runs until ctx ends, calling wake with the new head's
	// seq for each commit told (0 when it may have missed some, as after
	// it connects), and reconnecting by itself. It runs only while a
	// watcher is open (Changes).
	Listen func(ctx context.Context, wake func(seq int64))
	Options
}

// Options are the settings a caller may give a backend's Open.
type Options struct {
	// Now is the store's clock, for created times and audit events;
	// time.Now when nil. Tests set it.
	Now func() time.Time
	// Logger is told of trouble the store recovers from by itself (a
	// listener reconnecting); nil: discard.
	Logger *slog.Logger
}

// Option sets one of the Options.
type Option func(*Options)

// WithClock makes the store read the time from now.
func WithClock(now func() time.Time) Option { return func(o *Options) { o.Now = now } }

// WithLogger gives the store a logger.
func WithLogger(l *slog.Logger) Option { return func(o *Options) { o.Logger = l } }

// Apply returns the options with each Option applied.
func Apply(opts ...Option) Options {
	var o Options
	for _, f := range opts {
		f(&o)
	}
	return o
}

// SQL is the Store over database/sql, for every backend.
type SQL struct {
	d     Dialect
	read  *sql.DB
	write *sql.DB
	now   func() time.Time
	// writing lets one write transaction of this process at a time take a
	// connection: they run one at a time anyway (the head lock), and
	// writers waiting in line must not hold every pooled connection while
	// readers wait for one.
	writing chan struct{}
	// scenes keeps the current scenes of the productions read most
	// recently, scene single scenes, records and prods the readiness
	// records of the scenes and the productions: the
	// workspace's hottest reads (every page load of a production, every
	// poll of a board), by the head they were read at.
	scenes  *headCache[int64, []production.Scene]
	scene   *headCache[int64, []production.Scene] // one scene a key
	records *headCache[int64, ops.SceneRecords]
	prods   *headCache[int64, ops.ProductionRecords]
	changes *changes
	// tx is set on the Store that Tx hands its function: every read and
	// write then runs in that one transaction.
	tx *boundTx
}

// boundTx is an open write transaction and the chain's head within it.
type boundTx struct {
	tx   *sql.Tx
	head *audit.Event // the last event appended, nil for an empty chain
	now  time.Time    // the transaction's time, the same for every change in it
}

var (
	_ ops.Store   = (*SQL)(nil)
	_ ops.Watcher = (*SQL)(nil)
)

// Open migrates the database to the current schema and returns the Store
// over it. Close closes both pools.
func Open(ctx context.Context, c Config) (*SQL, error) {
	s := &SQL{d: c.Dialect, read: c.Read, write: c.Write, now: c.Now, writing: make(chan struct{}, 1), scenes: newHeadCache[int64](maxCachedProductions, copyScenes),
		scene:   newHeadCache[int64](maxCachedScenes, copyScenes),
		records: newHeadCache[int64](maxCachedScenes, copyRecords),
		prods:   newHeadCache[int64](maxCachedProductions, copyProductionRecords), changes: newChanges(c.Listen)}
	if s.now == nil {
		s.now = time.Now
	}
	if _, err := Migrate(ctx, s.write, s.d, s.now); err != nil {
		return nil, err
	}
	if err := s.bindLedger(ctx); err != nil {
		return nil, err
	}
	return s, nil
}

// Close closes the database.
func (s *SQL) Close() error {
	if s.tx != nil {
		return errors.New("store: Close inside a transaction")
	}
	s.changes.close()
	err := s.write.Close()
	if s.read != s.write {
		err = errors.Join(err, s.read.Close())
	}
	return err
}

// querier is what both *sql.DB and *sql.Tx offer.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// rd is what reads run on: the bound transaction, else the read pool.
func (s *SQL) rd() querier {
	if s.tx != nil {
		return s.tx.tx
	}
	return s.read
}

// Tx runs fn in one write transaction: everything fn reads through tx sees
// its own writes, and every write fn makes through tx commits together
// with its audit events when fn returns nil, or none of it does. One user
// action is one call of Tx, however many records it writes. fn must use
// only tx (a write through the outer Store would wait for this one).
func (s *SQL) Tx(ctx context.Context, fn func(tx ops.Store) error) error {
	if s.tx != nil {
		return fn(s) // already inside one: the outer transaction holds it all
	}
	tx, head, end, err := s.beginWrite(ctx)
	if err != nil {
		return err
	}
	defer end()
	bound := *s
	bound.tx = &boundTx{tx: tx, head: head, now: s.clock()}
	if err := fn(&bound); err != nil {
		return err
	}
	moved := bound.tx.head != nil && (head == nil || bound.tx.head.Seq != head.Seq)
	if moved && s.d.Notify != "" {
		// Inside the transaction: the others are told on commit, and
		// never of a write rolled back.
		if _, err := tx.ExecContext(ctx, s.d.Notify, strconv.FormatInt(bound.tx.head.Seq, 10)); err != nil {
			return fmt.Errorf("store: telling the other servers of the change: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store: commit: %w", err)
	}
	if moved {
		s.changes.wake(bound.tx.head.Seq)
	}
	return nil
}

// Changes returns a channel that receives the new head's seq soon after
// each commit, until ctx ends (it is then closed): this process's commits
// always, and those of the other servers sharing the database when the
// backend can tell of them (PostgreSQL). It holds only the latest value,
// and 0 means "maybe something changed". A watcher still reads the head
// now and then: a commit of another process on SQLite, or one made while
// a listener reconnects, is not told.
func (s *SQL) Changes(ctx context.Context) <-chan int64 { return s.changes.watch(ctx) }

// clock returns the store's time, as the database keeps it: UTC, whole
// microseconds.
func (s *SQL) clock() time.Time { return s.now().UTC().Truncate(time.Microsecond) }

func fromMicros(us int64) time.Time { return time.UnixMicro(us).UTC() }

// change is what a write did, for its audit event. A write that changed
// nothing returns a nil *change and records no event.
type change struct {
	action string
	object string
	data   any // digested into the event; never secrets
	// actor, when set, is who the event names instead of the writer's
	// actor: the user signing in, known only inside the transaction.
	actor *audit.Actor
	// rows are the ledger rows the write made (ledgerKeys): the event
	// commits to their contents.
	rows []ledgerRef
}

// bind adds ledger rows to the change's event.
func (c *change) bind(table string, keys ...int64) *change {
	for _, k := range keys {
		c.rows = append(c.rows, ledgerRef{table, k})
	}
	return c
}

// writeTx runs fn in one write transaction and appends fn's audit event in
// the same transaction: either both are committed or neither. The chain's
// head is read and locked first, so write transactions run one at a time
// everywhere, and fn sees every earlier write. now is the transaction's
// time, the same for the change and its event.
func (s *SQL) writeTx(ctx context.Context, by audit.Actor, fn func(tx *sql.Tx, now time.Time) (*change, error)) error {
	if s.tx != nil {
		return s.writeInTx(ctx, by, fn)
	}
	return s.Tx(ctx, func(tx ops.Store) error { return tx.(*SQL).writeInTx(ctx, by, fn) })
}

// beginWrite waits for this process's turn to write, begins a write
// transaction and locks the chain's head in it: write transactions run one
// at a time everywhere, and each sees every earlier write. end rolls back
// what was not committed and lets the next writer in.
func (s *SQL) beginWrite(ctx context.Context) (tx *sql.Tx, head *audit.Event, end func(), err error) {
	release, err := s.startWrite(ctx)
	if err != nil {
		return nil, nil, nil, err
	}
	if tx, err = s.write.BeginTx(ctx, nil); err != nil {
		release()
		return nil, nil, nil, fmt.Errorf("store: begin: %w", err)
	}
	end = func() { tx.Rollback(); release() }
	if head, err = s.lockHead(ctx, tx); err != nil {
		end()
		return nil, nil, nil, err
	}
	return tx, head, end, nil
}

// writeInTx is writeTx inside Tx's transaction: the change and its event
// join it, and the event becomes the head the next change chains to.
func (s *SQL) writeInTx(ctx context.Context, by audit.Actor, fn func(tx *sql.Tx, now time.Time) (*change, error)) error {
	b := s.tx
	c, err := fn(b.tx, b.now)
	if err != nil || c == nil {
		return err
	}
	if c.actor != nil {
		by = *c.actor
	}
	e, err := s.appendEvent(ctx, b.tx, b.head, b.now, by, c)
	if err != nil {
		return err
	}
	b.head = &e
	return nil
}

// startWrite waits for this process's turn to write.
func (s *SQL) startWrite(ctx context.Context) (release func(), err error) {
	select {
	case s.writing <- struct{}{}:
		return func() { <-s.writing }, nil
	case <-ctx.Done():
		return nil, fmt.Errorf("store: waiting to write: %w", ctx.Err())
	}
}

// lockHead reads the chain's head under the dialect's write lock.
func (s *SQL) lockHead(ctx context.Context, tx *sql.Tx) (*audit.Event, error) {
	var head audit.Event
	if err := tx.QueryRowContext(ctx, s.d.LockHead).Scan(&head.Seq, &head.Hash); err != nil {
		return nil, fmt.Errorf("store: locking the audit head: %w", err)
	}
	if head.Seq == 0 {
		return nil, nil
	}
	return &head, nil
}

// appendEvent is the only writer of audit_events, and it only inserts:
// nothing in closedset updates or deletes an event (a correction is a new
// event), and the database's triggers refuse to.
func (s *SQL) appendEvent(ctx context.Context, tx *sql.Tx, prev *audit.Event, now time.Time, by audit.Actor, c *change) (audit.Event, error) {
	d, err := audit.Digest(c.data)
	if err != nil {
		return audit.Event{}, fmt.Errorf("store: %s %s: %w", c.action, c.object, err)
	}
	rows, err := ledgerRows(ctx, tx, c.rows)
	if err != nil {
		return audit.Event{}, err
	}
	e, err := audit.NextRows(prev, now, by, c.action, c.object, d, rows)
	if err != nil {
		return audit.Event{}, fmt.Errorf("store: %s %s: %w", c.action, c.object, err)
	}
	if err := insertEvent(ctx, tx, e); err != nil {
		return audit.Event{}, err
	}
	return e, setHead(ctx, tx, e.Seq, e.Hash)
}

func insertEvent(ctx context.Context, q querier, e audit.Event) error {
	_, err := q.ExecContext(ctx, `INSERT INTO audit_events
		(seq, at_us, actor_id, actor_name, action, object, digest, prev_hash, hash, bound_rows)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
		e.Seq, e.At.UnixMicro(), e.Actor.ID, e.Actor.Name, e.Action, e.Object, e.Digest, e.PrevHash, e.Hash, audit.FormatRows(e.Rows))
	if err != nil {
		return fmt.Errorf("store: appending audit event %d: %w", e.Seq, err)
	}
	return nil
}

func setHead(ctx context.Context, q querier, seq int64, hash string) error {
	if _, err := q.ExecContext(ctx, `UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1`, seq, hash); err != nil {
		return fmt.Errorf("store: moving the audit head: %w", err)
	}
	return nil
}

// readTx runs fn in a read transaction that sees one state of the whole
// database, for reads of more than one query.
func (s *SQL) readTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	if s.tx != nil {
		return fn(s.tx.tx)
	}
	tx, err := s.read.BeginTx(ctx, &s.d.Snapshot)
	if err != nil {
		return fmt.Errorf("store: begin read: %w", err)
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store: end read: %w", err)
	}
	return nil
}

// exists reports whether a row of table has the id; table is one of ours,
// never input.
func exists(ctx context.Context, q querier, table string, id int64) (bool, error) {
	var one int
	err := q.QueryRowContext(ctx, `SELECT 1 FROM `+table+` WHERE id = $1`, id).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("store: looking up %s %d: %w", table, id, err)
	}
	return true, nil
}

// mustExist is exists with the NotFound error a caller shows: "production
// 42 not found".
func mustExist(ctx context.Context, q querier, table, what string, id int64) error {
	ok, err := exists(ctx, q, table, id)
	if err != nil {
		return err
	}
	if !ok {
		return closedset.Errorf(closedset.NotFound, "%s %d not found", what, id)
	}
	return nil
}
