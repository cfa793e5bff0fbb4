package ops

import (
	"context"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"closedset"
	"closedset/audit"
	"closedset/auth"
	"closedset/production"
	"closedset/textfield"
)

// The people of a production and of the installation (issue 11, "roles
// and people"): members' roles, invitations by email, performers edited
// and removed, and the admin's accounts.

// SetMemberRoles makes roles the member's roles in the caller's
// production: the roles not wanted are removed first, then the new ones
// added, in one transaction, each with its event. No roles removes the
// member. Nobody adds a role to themselves (they may give roles up), and
// an IC is never also producer, director or AD.
func (o *Ops) SetMemberRoles(ctx context.Context, c Caller, userID int64, roles auth.Roles) (production.Member, error) {
	if err := c.check(auth.MemberEdit, false); err != nil {
		return production.Member{}, err
	}
	var m production.Member
	err := o.store.Tx(ctx, func(tx Store) error {
		held, err := tx.Roles(ctx, c.ProductionID, userID)
		if err != nil {
			return err
		}
		if held == 0 {
			return closedset.Errorf(closedset.NotFound, "user %d is not a member of this production", userID)
		}
		hadIC, err := hasIC(ctx, tx, c.ProductionID)
		if err != nil {
			return err
		}
		if add := roles &^ held; add != 0 {
			if err := notSelf(c, userID); err != nil {
				return err
			}
			if add.Has(auth.IC) {
				if err := o.checkNotTrainee(ctx, tx, userID); err != nil {
					return err
				}
			}
		}
		for _, r := range (held &^ roles).List() {
			if err := tx.RemoveMember(ctx, c.Actor(), c.ProductionID, userID, r); err != nil {
				return err
			}
		}
		for _, r := range (roles &^ held).List() {
			if m, err = tx.AddMember(ctx, c.Actor(), c.ProductionID, userID, r); err != nil {
				return err
			}
		}
		if err := keepAnIC(ctx, tx, c, hadIC); err != nil {
			return err
		}
		if roles == 0 {
			return nil
		}
		ms, err := tx.Members(ctx, c.ProductionID)
		for _, x := range ms {
			if x.UserID == userID {
				m = x
			}
		}
		return err
	})
	return m, err
}

// Invited is what Invite did: stored an invitation whose one-time link
// (Token) the inviter sends.
type Invited struct {
	Invitation *production.Invitation
	// Token is the invitation's one-time secret, shown to the inviter
	// once: the store keeps only its hash.
	Token string
}

// Invite asks the person with the email to join the caller's production
// in the role: an invitation, valid for production.InvitationLifetime,
// whose link makes their account or, signed in, adds the account they have
// (JoinInvitation). Whether the email has an account is never looked up:
// inviting reveals nothing about anyone, and nobody is added without
// accepting. Nobody invites themselves, and a member of the production is
// not invited to a role the IC is held apart from (auth.CheckGrant).
func (o *Ops) Invite(ctx context.Context, c Caller, email string, role auth.Role, rand io.Reader) (Invited, error) {
	if err := c.check(auth.MemberInvite, false); err != nil {
		return Invited{}, err
	}
	email, err := cleanEmail(email)
	if err != nil {
		return Invited{}, err
	}
	if _, err := auth.ParseRole(string(role)); err != nil {
		return Invited{}, err
	}
	if strings.EqualFold(email, c.User.Email) {
		return Invited{}, notSelf(c, c.User.ID)
	}
	// The members are the inviter's to see already: checking the grant
	// against them now spares an invitation that could never be accepted.
	ms, err := o.store.Members(ctx, c.ProductionID)
	if err != nil {
		return Invited{}, err
	}
	for _, m := range ms {
		if strings.EqualFold(m.Email, email) {
			if err := auth.CheckGrant(m.Roles, role); err != nil {
				return Invited{}, err
			}
		}
	}
	token, hash, err := auth.NewInvitationToken(rand)
	if err != nil {
		return Invited{}, err
	}
	// With SMTP set, the invitation's e-mail is queued with it.
	var inv production.Invitation
	err = o.store.Tx(ctx, func(tx Store) error {
		var err error
		inv, err = tx.CreateInvitation(ctx, c.Actor(), production.NewInvitation{
			ProductionID: c.ProductionID, Email: email, Role: role, Hash: hash, Expires: o.now().Add(production.InvitationLifetime),
		})
		if err != nil {
			return err
		}
		return o.in(tx).notifyInvitation(ctx, inv, token)
	})
	if err != nil {
		return Invited{}, err
	}
	return Invited{Invitation: &inv, Token: token}, nil
}

// InvitationsOf lists the caller's production's invitations, newest first.
func (o *Ops) InvitationsOf(ctx context.Context, c Caller) ([]production.Invitation, error) {
	if err := c.check(auth.MemberInvite, false); err != nil {
		return nil, err
	}
	return o.store.Invitations(ctx, c.ProductionID)
}

// RevokeInvitation makes an invitation of the caller's production
// unusable (revoking it twice changes nothing).
func (o *Ops) RevokeInvitation(ctx context.Context, c Caller, id int64) error {
	if err := c.check(auth.MemberInvite, false); err != nil {
		return err
	}
	inv, err := o.store.Invitation(ctx, id)
	if closedset.Is(err, closedset.NotFound) || err == nil && inv.ProductionID != c.ProductionID {
		return closedset.Errorf(closedset.NotFound, "no invitation %d in this production", id)
	} else if err != nil {
		return err
	}
	return o.store.RevokeInvitation(ctx, c.Actor(), id)
}

// errInvitationGone is the one answer to a link that cannot be used: it
// does not say whether it never existed, was used or was revoked.
var errInvitationGone = closedset.Errorf(closedset.NotFound, "this invitation link is not valid: it was used, revoked, or has expired; ask whoever invited you for a new one")

// OpenInvitation finds the pending invitation of a link's token, with its
// production, for the page where the invitee accepts it. No sign-in is
// needed: the token is the proof.
func (o *Ops) OpenInvitation(ctx context.Context, token string) (production.Invitation, production.Production, error) {
	hash, err := auth.ParseToken(token, auth.InvitationPrefix)
	if err != nil {
		return production.Invitation{}, production.Production{}, errInvitationGone
	}
	inv, err := o.store.InvitationByHash(ctx, hash)
	if closedset.Is(err, closedset.NotFound) || err == nil && inv.State(o.now()) != production.InvitationPending {
		return production.Invitation{}, production.Production{}, errInvitationGone
	} else if err != nil {
		return production.Invitation{}, production.Production{}, err
	}
	p, err := o.store.Production(ctx, inv.ProductionID)
	return inv, p, err
}

// Accepted is what accepting an invitation made: the account, signed in
// with a new session whose id (SessionID) goes into the cookie.
type Accepted struct {
	User       auth.User
	Invitation production.Invitation
	SessionID  string
	Session    auth.Session
}

// AcceptInvitation accepts the invitation of a link's token: in one
// transaction it creates the account with the name and password the
// invitee chose, makes them a member in the invitation's role, links the
// production's performer records with their email to the account (as
// performers), consumes the invitation and starts a session of
// sessionLifetime.
func (o *Ops) AcceptInvitation(ctx context.Context, token, name, password string, sessionLifetime time.Duration, rand io.Reader) (Accepted, error) {
	inv, _, err := o.OpenInvitation(ctx, token)
	if err != nil {
		return Accepted{}, err
	}
	name, err = cleanText("name", name, textfield.MaxName)
	if err != nil {
		return Accepted{}, err
	}
	if n := utf8.RuneCountInString(password); n < auth.MinPassword {
		return Accepted{}, closedset.Errorf(closedset.Invalid, "password: at least %d characters, please (a few words make a good one)", auth.MinPassword)
	}
	// The slow hash runs before the write transaction, not inside it.
	hash, err := auth.HashPassword(password, rand)
	if err != nil {
		return Accepted{}, err
	}
	sid, shash, err := auth.NewSessionID(rand)
	if err != nil {
		return Accepted{}, err
	}
	var a Accepted
	err = o.store.Tx(ctx, func(tx Store) error {
		u, err := tx.CreateUser(ctx, audit.Actor{Name: "invitation " + inv.Email}, auth.NewUser{Email: inv.Email, Name: name, PasswordHash: hash})
		if closedset.Is(err, closedset.Conflict) {
			return closedset.Errorf(closedset.Conflict, "an account with the email %s exists already: sign in with it, then open this link again to join", inv.Email)
		} else if err != nil {
			return err
		}
		if _, err := join(ctx, tx, inv, u); err != nil {
			return err
		}
		now := o.now()
		a.Session = auth.Session{Hash: shash, UserID: u.ID, Created: now, Expires: now.Add(sessionLifetime)}
		if err := tx.CreateSession(ctx, a.Session); err != nil {
			return err
		}
		a.User, a.Invitation, a.SessionID = u, inv, sid
		return nil
	})
	return a, err
}

// JoinInvitation accepts an invitation of a link's token with the account
// the caller is signed in with, which must have the invitation's email:
// the link alone is not the account's consent, nor the account the link's
// proof.
func (o *Ops) JoinInvitation(ctx context.Context, c Caller, token string) (production.Member, error) {
	inv, _, err := o.OpenInvitation(ctx, token)
	if err != nil {
		return production.Member{}, err
	}
	if !strings.EqualFold(inv.Email, c.User.Email) {
		return production.Member{}, closedset.Errorf(closedset.Forbidden, "this invitation is for %s, and you are signed in as %s: sign in with that account to join", inv.Email, c.User.Email)
	}
	var m production.Member
	err = o.store.Tx(ctx, func(tx Store) error {
		if inv.Role == auth.IC {
			if err := o.checkNotTrainee(ctx, tx, c.User.ID); err != nil {
				return err
			}
		}
		m, err = join(ctx, tx, inv, c.User)
		return err
	})
	return m, err
}

// join makes the invited account a member, in the invitation's role, and
// consumes the invitation, in the caller's transaction.
func join(ctx context.Context, tx Store, inv production.Invitation, u auth.User) (production.Member, error) {
	by := u.Actor()
	if err := tx.AcceptInvitation(ctx, by, inv.ID, u.ID); err != nil {
		return production.Member{}, err
	}
	m, err := tx.AddMember(ctx, by, inv.ProductionID, u.ID, inv.Role)
	if err != nil {
		return production.Member{}, err
	}
	// Linking gives the account the record's private data, so only an
	// invitation an IC sent links: a producer who sent one (and saw its
	// link) cannot make themselves a performer's account.
	inviter, err := tx.Roles(ctx, inv.ProductionID, inv.InvitedBy)
	if err != nil {
		return production.Member{}, err
	}
	if inviter.Has(auth.IC) {
		if err := linkPerformers(ctx, tx, by, inv.ProductionID, u); err != nil {
			return production.Member{}, err
		}
	}
	return m, nil
}

// linkPerformers links the production's performer records with the
// user's email and no account yet to the user, who becomes a member as
// performer.
func linkPerformers(ctx context.Context, tx Store, by audit.Actor, productionID int64, u auth.User) error {
	ps, err := tx.Performers(ctx, productionID)
	if err != nil {
		return err
	}
	for _, p := range ps {
		if p.UserID != 0 || !strings.EqualFold(p.Email, u.Email) {
			continue
		}
		np := newPerformerOf(p)
		np.UserID = u.ID
		if _, err := tx.UpdatePerformer(ctx, by, p.ID, np); err != nil {
			return wrap(err, "link performer %d", p.ID)
		}
		if _, err := tx.AddMember(ctx, by, productionID, u.ID, auth.Performer); err != nil {
			return wrap(err, "make performer %d a member", p.ID)
		}
		return nil // one performer record per account and production
	}
	return nil
}

func newPerformerOf(p production.Performer) production.NewPerformer {
	return production.NewPerformer{ProductionID: p.ProductionID, UserID: p.UserID, Name: p.Name, Email: p.Email, Phone: p.Phone,
		DateOfBirth: p.DateOfBirth, Characters: p.Characters, Representative: p.Representative}
}

// EditPerformer changes a performer's name, contact, date of birth,
// representative and characters. When an IC edits it, a record without an
// account is linked to the account with its (new) email, as CreatePerformer
// links; a producer's edit links nothing (the record may hold private data).
func (o *Ops) EditPerformer(ctx context.Context, c Caller, performerID int64, np production.NewPerformer) (production.Performer, error) {
	if err := c.check(auth.PerformerEdit, false); err != nil {
		return production.Performer{}, err
	}
	old, err := o.PerformerInProduction(ctx, c, performerID)
	if err != nil {
		return production.Performer{}, err
	}
	np.UserID = old.UserID
	if err := o.checkPerformer(ctx, c, &np); err != nil {
		return production.Performer{}, err
	}
	var p production.Performer
	err = o.store.Tx(ctx, func(tx Store) error {
		link := false
		// Linking an existing record gives the account its boundaries,
		// reasons and riders: an IC's call only.
		if np.UserID == 0 && np.Email != "" && c.Roles.Has(auth.IC) {
			u, err := tx.UserByEmail(ctx, np.Email)
			switch {
			case err == nil:
				if err := notSelf(c, u.ID); err != nil {
					return err
				}
				np.UserID, link = u.ID, true
			case !closedset.Is(err, closedset.NotFound):
				return err
			}
		}
		var err error
		if p, err = tx.UpdatePerformer(ctx, c.Actor(), performerID, np); err != nil {
			return err
		}
		if link {
			if _, err := tx.AddMember(ctx, c.Actor(), c.ProductionID, np.UserID, auth.Performer); err != nil {
				return wrap(err, "make performer %d a member", p.ID)
			}
		}
		return nil
	})
	return p, err
}

// RemovePerformer takes a performer off the caller's production's cast.
// The record stays, marked removed, with its riders, consents and
// withdrawals (the ledger is append-only); the performer's account loses
// its performer role in the production, in the same transaction.
func (o *Ops) RemovePerformer(ctx context.Context, c Caller, performerID int64) error {
	if err := c.check(auth.PerformerRemove, false); err != nil {
		return err
	}
	p, err := o.PerformerInProduction(ctx, c, performerID)
	if err != nil {
		return err
	}
	return o.store.Tx(ctx, func(tx Store) error {
		if err := tx.RemovePerformer(ctx, c.Actor(), performerID); err != nil {
			return err
		}
		if p.UserID == 0 {
			return nil
		}
		err := tx.RemoveMember(ctx, c.Actor(), c.ProductionID, p.UserID, auth.Performer)
		if closedset.Is(err, closedset.NotFound) {
			return nil
		}
		return err
	})
}

// The admin's accounts.

// Accounts lists every account of the installation: the admin only.
func (o *Ops) Accounts(ctx context.Context, c Caller) ([]auth.User, error) {
	if err := c.check(auth.UserManage, false); err != nil {
		return nil, err
	}
	return o.store.Users(ctx)
}

// CreateUser makes an account with a one-time password, returned to be
// shown to the admin once.
func (o *Ops) CreateUser(ctx context.Context, c Caller, email, name string, admin bool, rand io.Reader) (auth.User, string, error) {
	if err := c.check(auth.UserManage, false); err != nil {
		return auth.User{}, "", err
	}
	email, err := cleanEmail(email)
	if err != nil {
		return auth.User{}, "", err
	}
	if name, err = cleanText("name", name, textfield.MaxName); err != nil {
		return auth.User{}, "", err
	}
	pw, hash, err := oneTimePassword(rand)
	if err != nil {
		return auth.User{}, "", err
	}
	u, err := o.store.CreateUser(ctx, c.Actor(), auth.NewUser{Email: email, Name: name, PasswordHash: hash, Admin: admin})
	return u, pw, err
}

// SetUserDisabled disables an account (it cannot sign in; its sessions
// and tokens stop working at once) or enables it again. The admin cannot
// disable themself.
func (o *Ops) SetUserDisabled(ctx context.Context, c Caller, userID int64, disabled bool) error {
	if err := c.check(auth.UserManage, false); err != nil {
		return err
	}
	if disabled && userID == c.User.ID {
		return closedset.Errorf(closedset.Conflict, "you cannot disable your own account")
	}
	return o.store.SetUserDisabled(ctx, c.Actor(), userID, disabled)
}

// ResetUser gives an account a new one-time password, returned to be
// shown to the admin once, and ends every session and token of it, in one
// transaction.
func (o *Ops) ResetUser(ctx context.Context, c Caller, userID int64, rand io.Reader) (string, error) {
	if err := c.check(auth.UserManage, false); err != nil {
		return "", err
	}
	pw, hash, err := oneTimePassword(rand)
	if err != nil {
		return "", err
	}
	// SetPassword ends the sessions and tokens in its transaction.
	if err := o.store.SetPassword(ctx, c.Actor(), userID, hash); err != nil {
		return "", err
	}
	return pw, nil
}

func oneTimePassword(rand io.Reader) (plain, hash string, err error) {
	if plain, err = auth.OneTimePassword(rand); err != nil {
		return "", "", err
	}
	if hash, err = auth.HashPassword(plain, rand); err != nil {
		return "", "", err
	}
	return plain, hash, nil
}
