package main

import (
	"context"
	"errors"

	"closedset/store"
)

// openPostgres opens a PostgreSQL store. The store/postgres backend has not
// landed on this branch yet: until it does, a postgres:// URL is refused
// with this message rather than half-served.
func openPostgres(ctx context.Context, url string) (store.Store, error) {
	return nil, errors.New("this build has no PostgreSQL backend yet (store/postgres); use sqlite:PATH")
}
