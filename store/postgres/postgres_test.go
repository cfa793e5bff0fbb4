package postgres_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"

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
