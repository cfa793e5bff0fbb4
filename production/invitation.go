package production

import (
	"time"

	"closedset/auth"
)

// InvitationLifetime is how long an invitation link may be used.
const InvitationLifetime = 7 * 24 * time.Hour

// NewInvitation is an invitation to store: the hash of its one-time
// token (auth.NewInvitationToken), never the token.
type NewInvitation struct {
	ProductionID int64
	Email        string
	Role         auth.Role
	Hash         []byte
	Expires      time.Time
}

// Invitation asks someone without an account to join a production in a
// role: the link made from its token lets them set their name and
// password once, before it expires.
type Invitation struct {
	ID            int64
	ProductionID  int64
	Email         string
	Role          auth.Role
	InvitedBy     int64
	InvitedByName string
	Created       time.Time
	Expires       time.Time
	Accepted      time.Time // zero until accepted
	AcceptedBy    int64     // the account the acceptance made
	Revoked       time.Time // zero unless revoked
}

// The states of an invitation.
const (
	InvitationPending  = "pending"
	InvitationAccepted = "accepted"
	InvitationRevoked  = "revoked"
	InvitationExpired  = "expired"
)

// State is the invitation's state at now.
func (i Invitation) State(now time.Time) string {
	switch {
	case !i.Accepted.IsZero():
		return InvitationAccepted
	case !i.Revoked.IsZero():
		return InvitationRevoked
	case !now.Before(i.Expires):
		return InvitationExpired
	}
	return InvitationPending
}
