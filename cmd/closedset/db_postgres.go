package main

import (
	"context"

	"closedset/store"
	"closedset/store/postgres"
)

// openPostgres opens a PostgreSQL store, applying its migrations.
func openPostgres(ctx context.Context, url string) (store.Store, error) {
	return postgres.Open(ctx, url)
}
