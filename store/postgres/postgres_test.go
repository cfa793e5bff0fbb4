package postgres_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	_ "github.com/jackc/pgx/v5/stdlib"

	"closedset/audit"
	"closedset/auth"
	"closedset/ops"
	"closedset/store"
	"closedset/store/postgres"
	"closedset/store/postgres/pgtest"
	"closedset/store/sqlite"
	"closedset/store/storetest"
)

func open(t *testing.T, opts ...store.Option) ops.Store {
	t.Helper()
	s, err := postgres.Open(context.Background(), pgtest.Database(t), opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestConformance(t *testing.T) {
	storetest.Run(t, open)
}

func TestTamperedChainIsNamed(t *testing.T) {
	storetest.RunTamper(t, func(t *testing.T) (ops.Store, storetest.Raw) {
		u := pgtest.Database(t)
		s, err := postgres.Open(context.Background(), u)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		db := rawDB(t, u)
		return s, storetest.Raw{
			Exec: func(q string, args ...any) error {
				_, err := db.Exec(q, args...)
				return err
			},
			DropGuards:       `DROP TRIGGER audit_events_no_update ON audit_events; DROP TRIGGER audit_events_no_truncate ON audit_events`,
			DropLedgerGuards: `DROP TRIGGER consents_no_update ON consents; DROP TRIGGER withdrawals_no_update ON withdrawals; DROP TRIGGER withdrawal_reasons_no_update ON withdrawal_reasons; DROP TRIGGER rider_signatures_no_update ON rider_signatures`,
		}
	})
}

// rawDB connects as the database's owner would, without the store.
func rawDB(t *testing.T, u string) *sql.DB {
	t.Helper()
	db, err := sql.Open("pgx", u)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestMigrationsApplyOnceToAnEmptyDatabase(t *testing.T) {
	storetest.TestMigrations(t, rawDB(t, pgtest.Database(t)), postgres.Dialect)
}

func TestScenesStoredBeforePresenceKeepTheirSpeakers(t *testing.T) {
	storetest.TestScenePresentMigration(t, rawDB(t, pgtest.Database(t)), postgres.Dialect)
}

// TestServersShareOneChain opens the database twice, as two servers
// would, and writes through both at once: the chain stays one chain.
func TestServersShareOneChain(t *testing.T) {
	u := pgtest.Database(t)
	var stores []ops.Store
	for range 2 {
		s, err := postgres.Open(context.Background(), u)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		stores = append(stores, s)
	}
	storetest.SharedWriters(t, stores)
}

func TestAPasswordStaysOutOfErrors(t *testing.T) {
	_, err := postgres.Open(context.Background(), "postgres://user:hunter2@127.0.0.1:1/db?connect_timeout=1")
	if err == nil {
		t.Fatal("connected to nothing")
	}
	if got := err.Error(); strings.Contains(got, "hunter2") {
		t.Fatalf("the error shows the password: %s", got)
	}
}

func TestSQLiteBackupRestoresIntoPostgreSQL(t *testing.T) {
	pgtest.Server(t)
	storetest.CrossRestore(t, func(t *testing.T, opts ...store.Option) ops.Store {
		s, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "closedset.db"), opts...)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}, open)
}

func TestLedgerRowsWrittenBeforeTheBindingAreBound(t *testing.T) {
	storetest.TestLedgerBindingMigration(t, rawDB(t, pgtest.Database(t)), postgres.Dialect)
}

// TestServersTellEachOtherOfCommits: a commit through one server is told
// to the other's watcher, through NOTIFY.
func TestServersTellEachOtherOfCommits(t *testing.T) {
	writer, watched := open2(t, pgtest.Database(t))
	storetest.SharedChanges(t, watched, writer)
}

// TestNotificationsCarryOnlyTheHead: anyone who may connect to the
// database may LISTEN, so a notification says which seq the head moved
// to and nothing of the change.
func TestNotificationsCarryOnlyTheHead(t *testing.T) {
	u := pgtest.Database(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, u)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	if _, err := conn.Exec(ctx, "LISTEN "+postgres.Channel); err != nil {
		t.Fatal(err)
	}
	st, err := postgres.Open(ctx, u)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if _, err := st.CreateUser(ctx, audit.System, auth.NewUser{Email: "ida@example.com", Name: "Ida Okafor", PasswordHash: testHash}); err != nil {
		t.Fatal(err)
	}
	head, err := st.Head(ctx)
	if err != nil {
		t.Fatal(err)
	}
	n, err := conn.WaitForNotification(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if want := strconv.FormatInt(head, 10); n.Payload != want {
		t.Fatalf("payload %q, want the head %q and nothing else", n.Payload, want)
	}
}

// TestTheListenerReconnects: when the listener's connection is cut (a
// failover, an administrator's pg_terminate_backend), it connects again,
// and the next commit of another server is told.
func TestTheListenerReconnects(t *testing.T) {
	u := pgtest.Database(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	watched, writer := open2(t, u)
	ch := watched.(ops.Watcher).Changes(ctx)
	next := func(what string) int64 {
		t.Helper()
		select {
		case seq, ok := <-ch:
			if !ok {
				t.Fatalf("the channel closed waiting for %s", what)
			}
			return seq
		case <-ctx.Done():
			t.Fatalf("not told of %s", what)
		}
		return 0
	}
	if seq := next("the listener taking hold"); seq != 0 {
		t.Fatalf("told of head %d before any write", seq)
	}
	db := rawDB(t, u)
	var cut int
	if err := db.QueryRowContext(ctx, `SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity
		WHERE datname = current_database() AND query = 'LISTEN `+postgres.Channel+`'`).Scan(&cut); err != nil || cut != 1 {
		t.Fatalf("cutting the listener's connection: %d cut, %v", cut, err)
	}
	if seq := next("the listener taking hold again"); seq != 0 {
		t.Fatalf("told of head %d before any write", seq)
	}
	if _, err := writer.CreateUser(ctx, audit.System, auth.NewUser{Email: "ida@example.com", Name: "Ida Okafor", PasswordHash: testHash}); err != nil {
		t.Fatal(err)
	}
	head, err := writer.Head(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if seq := next("the write"); seq != head {
		t.Fatalf("told of head %d, want %d", seq, head)
	}
}

// open2 opens the database twice, as two servers would.
func open2(t *testing.T, u string) (ops.Store, ops.Store) {
	t.Helper()
	var stores []ops.Store
	for range 2 {
		s, err := postgres.Open(context.Background(), u)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		stores = append(stores, s)
	}
	return stores[0], stores[1]
}

// testHash is a well-formed password hash of no password.
const testHash = "$argon2id$v=19$m=65536,t=2,p=1$c2FsdHNhbHRzYWx0$a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2U"
