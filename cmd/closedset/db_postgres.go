package main

import (
	"context"

	"closedset/ops"
	"closedset/store"
	"closedset/store/postgres"
)

// openPostgres opens a PostgreSQL store, applying its migrations.
func openPostgres(ctx context.Context, url string, opts ...store.Option) (ops.Store, error) {
	return postgres.Open(ctx, url, opts...)
}
