package main

import (
	"context"

	"closedset/ops"
	"closedset/store/postgres"
)

// openPostgres opens a PostgreSQL store, applying its migrations.
func openPostgres(ctx context.Context, url string) (ops.Store, error) {
	return postgres.Open(ctx, url)
}
