package postgres

import (
	"fmt"
	"net/url"

	"github.com/jackc/pgx/v5"
)

func pgconnConfig(u string) (*pgx.ConnConfig, error) {
	cfg, err := pgx.ParseConfig(u)
	if err != nil {
		// pgx's message may quote the URL, password and all.
		return nil, fmt.Errorf("postgres: %s is not a PostgreSQL URL", redact(u))
	}
	return cfg, nil
}

// redact is the URL without its password, for messages and logs.
func redact(s string) string {
	u, err := url.Parse(s)
	if err != nil || u.Scheme == "" {
		return "the database URL"
	}
	if _, has := u.User.Password(); has {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.Redacted()
}
