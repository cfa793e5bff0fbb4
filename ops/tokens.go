package ops

import (
	"closedset"
	"context"
	"io"
	"time"

	"closedset/auth"
	"closedset/textfield"
)

// MaxTokenDays is the longest expiry a token may be given, in days.
const MaxTokenDays = 3650

// CreateToken makes an API token for the caller themself and returns it
// with its plaintext, shown once: the store keeps only its hash. A token
// with expiresInDays > 0 stops working that many days from now; 0: never.
func (o *Ops) CreateToken(ctx context.Context, c Caller, name string, expiresInDays int, rand io.Reader) (auth.Token, string, error) {
	if err := c.check(auth.TokenCreate, true); err != nil {
		return auth.Token{}, "", err
	}
	name, err := cleanText("name", name, textfield.MaxName)
	if err != nil {
		return auth.Token{}, "", err
	}
	if expiresInDays < 0 || expiresInDays > MaxTokenDays {
		return auth.Token{}, "", closedset.Errorf(closedset.Invalid, "expires_in_days: 1 to %d, or none for a token that does not expire", MaxTokenDays)
	}
	rec := auth.TokenRecord{UserID: c.User.ID, Name: name}
	if expiresInDays > 0 {
		rec.Expires = o.now().Add(time.Duration(expiresInDays) * 24 * time.Hour)
	}
	plain, hash, err := auth.NewToken(rand)
	if err != nil {
		return auth.Token{}, "", err
	}
	rec.Hash = hash
	t, err := o.store.CreateToken(ctx, c.Actor(), rec)
	return t, plain, err
}

// Tokens lists the caller's own API tokens, newest first.
func (o *Ops) Tokens(ctx context.Context, c Caller) ([]auth.Token, error) {
	if err := c.check(auth.TokenList, true); err != nil {
		return nil, err
	}
	return o.store.TokensOf(ctx, c.User.ID)
}

// RevokeToken deletes one of the caller's own API tokens at once; anyone
// else's is NotFound.
func (o *Ops) RevokeToken(ctx context.Context, c Caller, tokenID int64) error {
	if err := c.check(auth.TokenRevoke, true); err != nil {
		return err
	}
	return o.store.RevokeToken(ctx, c.Actor(), c.User.ID, tokenID)
}

// UseToken finds the user of an API token presented at now (NotFound when
// it is unknown, revoked or expired, or its user disabled) and records
// the use when the last one recorded is older than auth.TokenUseInterval,
// so a busy client writes once every few minutes, not once a request.
// Failing to record it refuses nothing: it is logged.
func (o *Ops) UseToken(ctx context.Context, hash []byte) (auth.User, error) {
	now := o.now()
	u, t, err := o.store.TokenUser(ctx, hash, now)
	if err != nil {
		return auth.User{}, err
	}
	if now.Sub(t.LastUsed) >= auth.TokenUseInterval {
		if err := o.store.NoteTokenUse(ctx, t.ID, now); err != nil {
			o.log.WarnContext(ctx, "recording a token's use failed", "token", t.ID, "err", err)
		}
	}
	return u, nil
}
