package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"closedset/auth"
	"closedset/production"
)

// The people of a production and of the installation (issue 11): member
// roles, invitations by email and the page that accepts them, performers
// edited and removed, and the admin's accounts.

func (s *Server) peopleAPIRoutes() {
	const v1 = "/api/v1"
	s.route("PUT "+v1+"/productions/{id}/members/{user_id}", auth.MemberEdit, s.productionScope("id"), s.apiSetMemberRoles)
	s.route("GET "+v1+"/productions/{id}/invitations", auth.MemberInvite, s.productionScope("id"), s.apiInvitations)
	s.route("POST "+v1+"/productions/{id}/invitations", auth.MemberInvite, s.productionScope("id"), s.apiInvite)
	s.route("DELETE "+v1+"/productions/{id}/invitations/{invitation_id}", auth.MemberInvite, s.productionScope("id"), s.apiRevokeInvitation)
	s.route("POST "+v1+"/invitations/accept", signedIn, nil, s.apiJoinInvitation)
	s.route("PUT "+v1+"/performers/{id}", auth.PerformerEdit, s.performerScope("id"), s.apiEditPerformer)
	s.route("DELETE "+v1+"/performers/{id}", auth.PerformerRemove, s.performerScope("id"), s.apiRemovePerformer)

	s.route("GET "+v1+"/users", auth.UserManage, nil, s.apiUsers)
	s.route("POST "+v1+"/users", auth.UserManage, nil, s.apiCreateUser)
	s.route("POST "+v1+"/users/{user_id}/disable", auth.UserManage, nil, s.apiSetUserDisabled(true))
	s.route("POST "+v1+"/users/{user_id}/enable", auth.UserManage, nil, s.apiSetUserDisabled(false))
	s.route("POST "+v1+"/users/{user_id}/reset", auth.UserManage, nil, s.apiResetUser)
}

func (s *Server) peoplePageRoutes() {
	s.route("POST /productions/{id}/members/{user_id}", auth.MemberEdit, s.productionScope("id"), s.pageSetMemberRoles)
	s.route("POST /productions/{id}/invitations/{invitation_id}/revoke", auth.MemberInvite, s.productionScope("id"), s.pageRevokeInvitation)
	s.route("POST /performers/{id}/edit", auth.PerformerEdit, s.performerScope("id"), s.pageEditPerformer)
	s.route("POST /performers/{id}/remove", auth.PerformerRemove, s.performerScope("id"), s.pageRemovePerformer)
	// The invitation link: no sign-in, the token is the proof.
	s.route("GET /invitations/{token}", public, nil, s.pageInvitation)
	s.route("POST /invitations/{token}", public, nil, s.pageAcceptInvitation)
	// Someone with an account joins signed in, as that account.
	s.route("POST /invitations/{token}/join", signedIn, nil, s.pageJoinInvitation)

	s.route("GET /admin/users", auth.UserManage, nil, s.pageUsers)
	s.route("POST /admin/users", auth.UserManage, nil, s.pageCreateUser)
	s.route("POST /admin/users/{user_id}/disable", auth.UserManage, nil, s.pageUserAction("disable"))
	s.route("POST /admin/users/{user_id}/enable", auth.UserManage, nil, s.pageUserAction("enable"))
	s.route("POST /admin/users/{user_id}/reset", auth.UserManage, nil, s.pageUserAction("reset"))
}

// invitationURL is the link the inviter sends: on this site, as the
// request reached it.
func (s *Server) invitationURL(r *http.Request, token string) string {
	scheme := "http"
	if s.secure || r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host + invitationPath(token)
}

func invitationPath(token string) string { return "/invitations/" + token }

type invitationOut struct {
	ID        int64     `json:"id"`
	Email     string    `json:"email"`
	Role      string    `json:"role"`
	State     string    `json:"state"`
	InvitedBy string    `json:"invited_by"`
	Created   time.Time `json:"created"`
	Expires   time.Time `json:"expires"`
	// URL is the one-time link, in the answer that made it only.
	URL string `json:"url,omitempty"`
}

func invitationJSON(inv production.Invitation, now time.Time) invitationOut {
	return invitationOut{ID: inv.ID, Email: inv.Email, Role: string(inv.Role), State: inv.State(now), InvitedBy: inv.InvitedByName,
		Created: inv.Created, Expires: inv.Expires}
}

// invite runs ops.Invite for the API's two routes that invite.
func (s *Server) invite(w http.ResponseWriter, r *http.Request, rq *request) error {
	var in struct {
		Email string `json:"email"`
		Role  string `json:"role"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	role, err := auth.ParseRole(in.Role)
	if err != nil {
		return err
	}
	got, err := s.ops.Invite(r.Context(), rq.caller(), in.Email, role, s.rand)
	if err != nil {
		return err
	}
	out := invitationJSON(*got.Invitation, s.now())
	out.URL = s.invitationURL(r, got.Token)
	return writeJSON(w, http.StatusCreated, map[string]any{"invitation": out})
}

func (s *Server) apiInvite(w http.ResponseWriter, r *http.Request, rq *request) error {
	return s.invite(w, r, rq)
}

func (s *Server) apiInvitations(w http.ResponseWriter, r *http.Request, rq *request) error {
	list, err := s.ops.InvitationsOf(r.Context(), rq.caller())
	if err != nil {
		return err
	}
	out := make([]invitationOut, len(list))
	for i, inv := range list {
		out[i] = invitationJSON(inv, s.now())
	}
	return writeJSON(w, http.StatusOK, map[string]any{"invitations": out})
}

func (s *Server) apiRevokeInvitation(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := pathID(r, "invitation_id")
	if err != nil {
		return err
	}
	if err := s.ops.RevokeInvitation(r.Context(), rq.caller(), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// parseRoles reads a list of role names into a set; no names is no role.
func parseRoles(names []string) (auth.Roles, error) {
	var set auth.Roles
	for _, n := range names {
		r, err := auth.ParseRole(n)
		if err != nil {
			return 0, err
		}
		set |= auth.RolesOf(r)
	}
	return set, nil
}

func (s *Server) apiSetMemberRoles(w http.ResponseWriter, r *http.Request, rq *request) error {
	uid, err := pathID(r, "user_id")
	if err != nil {
		return err
	}
	var in struct {
		Roles []string `json:"roles"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	roles, err := parseRoles(in.Roles)
	if err != nil {
		return err
	}
	m, err := s.ops.SetMemberRoles(r.Context(), rq.caller(), uid, roles)
	if err != nil {
		return err
	}
	if roles == 0 {
		w.WriteHeader(http.StatusNoContent)
		return nil
	}
	return writeJSON(w, http.StatusOK, memberJSON(m))
}

func (s *Server) apiEditPerformer(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, _ := pathID(r, "id")
	var in performerIn
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	np, err := in.record()
	if err != nil {
		return err
	}
	p, err := s.ops.EditPerformer(r.Context(), rq.caller(), id, np)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, performerJSON(p, true))
}

func (s *Server) apiRemovePerformer(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, _ := pathID(r, "id")
	if err := s.ops.RemovePerformer(r.Context(), rq.caller(), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// The admin's accounts.

func (s *Server) apiUsers(w http.ResponseWriter, r *http.Request, rq *request) error {
	us, err := s.ops.Accounts(r.Context(), rq.caller())
	if err != nil {
		return err
	}
	out := make([]userOut, len(us))
	for i, u := range us {
		out[i] = userJSON(u)
	}
	return writeJSON(w, http.StatusOK, map[string]any{"users": out})
}

func (s *Server) apiCreateUser(w http.ResponseWriter, r *http.Request, rq *request) error {
	var in struct {
		Email string `json:"email"`
		Name  string `json:"name"`
		Admin bool   `json:"admin"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	u, pw, err := s.ops.CreateUser(r.Context(), rq.caller(), in.Email, in.Name, in.Admin, s.rand)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, map[string]any{"user": userJSON(u), "password": pw})
}

func (s *Server) apiSetUserDisabled(disabled bool) handler {
	return func(w http.ResponseWriter, r *http.Request, rq *request) error {
		id, err := pathID(r, "user_id")
		if err != nil {
			return err
		}
		if err := s.ops.SetUserDisabled(r.Context(), rq.caller(), id, disabled); err != nil {
			return err
		}
		u, err := s.ops.User(r.Context(), id)
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, map[string]any{"user": userJSON(u)})
	}
}

func (s *Server) apiResetUser(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := pathID(r, "user_id")
	if err != nil {
		return err
	}
	pw, err := s.ops.ResetUser(r.Context(), rq.caller(), id, s.rand)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"password": pw})
}

// The pages.

// pageSetMemberRoles saves a member's roles from the checkboxes of the
// members list (none checked removes them).
func (s *Server) pageSetMemberRoles(w http.ResponseWriter, r *http.Request, rq *request) error {
	uid, err := pathID(r, "user_id")
	if err != nil {
		return err
	}
	r.ParseForm()
	roles, err := parseRoles(r.PostForm["role"])
	if err == nil {
		_, err = s.ops.SetMemberRoles(r.Context(), rq.caller(), uid, roles)
	}
	if err == nil {
		return redirect(w, r, fmt.Sprintf("/productions/%d#members", rq.ProductionID))
	}
	if e := asError(err); statusOf(e.Code) < 500 {
		return s.renderProduction(w, r, rq, statusOf(e.Code), productionForms{member: memberForm{Role: string(auth.Performer)}, membersError: e.Message})
	}
	return err
}

func (s *Server) pageRevokeInvitation(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := pathID(r, "invitation_id")
	if err != nil {
		return err
	}
	if err := s.ops.RevokeInvitation(r.Context(), rq.caller(), id); err != nil {
		if e := asError(err); statusOf(e.Code) < 500 {
			return s.renderProduction(w, r, rq, statusOf(e.Code), productionForms{member: memberForm{Role: string(auth.Performer)}, membersError: e.Message})
		}
		return err
	}
	return redirect(w, r, fmt.Sprintf("/productions/%d#invitations", rq.ProductionID))
}

func (s *Server) pageEditPerformer(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, _ := pathID(r, "id")
	f := performerForm{Name: r.PostFormValue("name"), Email: r.PostFormValue("email"), DateOfBirth: r.PostFormValue("date_of_birth"),
		Characters: r.PostFormValue("characters"), Phone: r.PostFormValue("phone"), Representative: r.PostFormValue("representative")}
	np, err := f.in().record()
	if err == nil {
		_, err = s.ops.EditPerformer(r.Context(), rq.caller(), id, np)
	}
	return s.afterPerformerForm(w, r, rq, err)
}

func (s *Server) pageRemovePerformer(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, _ := pathID(r, "id")
	return s.afterPerformerForm(w, r, rq, s.ops.RemovePerformer(r.Context(), rq.caller(), id))
}

func (s *Server) afterPerformerForm(w http.ResponseWriter, r *http.Request, rq *request, err error) error {
	if err == nil {
		return redirect(w, r, fmt.Sprintf("/productions/%d#performers", rq.ProductionID))
	}
	if e := asError(err); statusOf(e.Code) < 500 {
		return s.renderProduction(w, r, rq, statusOf(e.Code), productionForms{member: memberForm{Role: string(auth.Performer)}, performerEditError: e.Message})
	}
	return err
}

// invitationPage is the page of an invitation link.
type invitationPage struct {
	Token      string
	Production string
	Role       auth.Role
	Email      string
	Expires    time.Time
	Name       string // as typed
	Error      string
	// SignedInAs is the account of whoever opened the link signed in;
	// Matches says it has the invitation's email, so it may join.
	SignedInAs string
	Matches    bool
}

func (s *Server) pageInvitation(w http.ResponseWriter, r *http.Request, rq *request) error {
	return s.renderInvitation(w, r, rq, http.StatusOK, "", "")
}

func (s *Server) renderInvitation(w http.ResponseWriter, r *http.Request, rq *request, status int, name, msg string) error {
	token := r.PathValue("token")
	inv, p, err := s.ops.OpenInvitation(r.Context(), token)
	if err != nil {
		return err
	}
	page := invitationPage{Token: token, Production: p.Title, Role: inv.Role, Email: inv.Email, Expires: inv.Expires, Name: name, Error: msg,
		SignedInAs: rq.User.Email, Matches: rq.User.ID != 0 && strings.EqualFold(rq.User.Email, inv.Email)}
	return renderPage(w, status, "invitation", s.view(rq, "Join "+p.Title, page))
}

// pageAcceptInvitation makes the account from the form, signs it in and
// opens its production. Attempts are rate-limited like sign-ins, per link
// and per client address.
func (s *Server) pageAcceptInvitation(w http.ResponseWriter, r *http.Request, rq *request) error {
	token := r.PathValue("token")
	name := r.PostFormValue("name")
	if err := s.limiter.Attempt("invitation:"+token, s.clientAddr(r), s.now()); err != nil {
		return err
	}
	password := r.PostFormValue("password")
	if password != r.PostFormValue("password2") {
		return s.renderInvitation(w, r, rq, http.StatusBadRequest, name, "The two passwords differ: type the same one twice.")
	}
	if len(password) > auth.MaxPassword {
		return s.renderInvitation(w, r, rq, http.StatusBadRequest, name, fmt.Sprintf("password: at most %d bytes", auth.MaxPassword))
	}
	a, err := s.ops.AcceptInvitation(r.Context(), token, name, password, sessionLifetime, s.rand)
	if err != nil {
		if e := asError(err); statusOf(e.Code) < 500 && e.Code != codeNotFound {
			return s.renderInvitation(w, r, rq, statusOf(e.Code), name, e.Message)
		}
		return err
	}
	s.limiter.Succeeded("invitation:"+token, s.clientAddr(r))
	s.setSessionCookie(w, a.SessionID, a.Session.Expires)
	return redirect(w, r, fmt.Sprintf("/productions/%d", a.Invitation.ProductionID))
}

// pageJoinInvitation adds the signed-in account to the invitation's
// production and opens it.
func (s *Server) pageJoinInvitation(w http.ResponseWriter, r *http.Request, rq *request) error {
	token := r.PathValue("token")
	if err := s.limiter.Attempt("invitation:"+token, s.clientAddr(r), s.now()); err != nil {
		return err
	}
	m, err := s.ops.JoinInvitation(r.Context(), rq.caller(), token)
	if err != nil {
		if e := asError(err); statusOf(e.Code) < 500 && e.Code != codeNotFound {
			return s.renderInvitation(w, r, rq, statusOf(e.Code), "", e.Message)
		}
		return err
	}
	s.limiter.Succeeded("invitation:"+token, s.clientAddr(r))
	return redirect(w, r, fmt.Sprintf("/productions/%d", m.ProductionID))
}

// apiJoinInvitation is pageJoinInvitation for API clients: {token}
// answers the membership made.
func (s *Server) apiJoinInvitation(w http.ResponseWriter, r *http.Request, rq *request) error {
	var in struct {
		Token string `json:"token"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if err := s.limiter.Attempt("invitation:"+in.Token, s.clientAddr(r), s.now()); err != nil {
		return err
	}
	m, err := s.ops.JoinInvitation(r.Context(), rq.caller(), in.Token)
	if err != nil {
		return err
	}
	s.limiter.Succeeded("invitation:"+in.Token, s.clientAddr(r))
	return writeJSON(w, http.StatusCreated, memberJSON(m))
}

// usersPage is the admin's page of accounts.
type usersPage struct {
	Users []auth.User
	Self  int64
	Form  struct {
		Email, Name string
		Admin       bool
	}
	Error string
	// Shown once: the one-time password of an account just made or reset.
	ShownFor, Password string
}

func (s *Server) pageUsers(w http.ResponseWriter, r *http.Request, rq *request) error {
	return s.renderUsers(w, r, rq, http.StatusOK, usersPage{})
}

func (s *Server) renderUsers(w http.ResponseWriter, r *http.Request, rq *request, status int, page usersPage) error {
	us, err := s.ops.Accounts(r.Context(), rq.caller())
	if err != nil {
		return err
	}
	page.Users, page.Self = us, rq.User.ID
	return renderPage(w, status, "users", s.view(rq, "Users", page))
}

func (s *Server) pageCreateUser(w http.ResponseWriter, r *http.Request, rq *request) error {
	var page usersPage
	page.Form.Email, page.Form.Name = strings.TrimSpace(r.PostFormValue("email")), r.PostFormValue("name")
	page.Form.Admin = r.PostFormValue("admin") == "on"
	u, pw, err := s.ops.CreateUser(r.Context(), rq.caller(), page.Form.Email, page.Form.Name, page.Form.Admin, s.rand)
	if err != nil {
		if e := asError(err); statusOf(e.Code) < 500 {
			page.Error = e.Message
			return s.renderUsers(w, r, rq, statusOf(e.Code), page)
		}
		return err
	}
	// The password is shown on this answer only: no redirect, so that it
	// is in no URL and no history.
	w.Header().Set("Cache-Control", "no-store")
	return s.renderUsers(w, r, rq, http.StatusOK, usersPage{ShownFor: u.Email, Password: pw})
}

func (s *Server) pageUserAction(action string) handler {
	return func(w http.ResponseWriter, r *http.Request, rq *request) error {
		id, err := pathID(r, "user_id")
		if err != nil {
			return err
		}
		ctx := r.Context()
		var pw string
		switch action {
		case "disable", "enable":
			err = s.ops.SetUserDisabled(ctx, rq.caller(), id, action == "disable")
		case "reset":
			pw, err = s.ops.ResetUser(ctx, rq.caller(), id, s.rand)
		}
		if err != nil {
			if e := asError(err); statusOf(e.Code) < 500 {
				return s.renderUsers(w, r, rq, statusOf(e.Code), usersPage{Error: e.Message})
			}
			return err
		}
		if pw == "" {
			return redirect(w, r, "/admin/users#user-"+strconv.FormatInt(id, 10))
		}
		u, err := s.ops.User(ctx, id)
		if err != nil {
			return err
		}
		w.Header().Set("Cache-Control", "no-store")
		return s.renderUsers(w, r, rq, http.StatusOK, usersPage{ShownFor: u.Email, Password: pw})
	}
}

// invitedView is what the production page shows after an invitation: the
// link to send, once.
type invitedView struct {
	Email, Role, URL string
}

// invitationsPart is the production page's pending invitations, for those
// who invite.
func (s *Server) invitationsPart(r *http.Request, rq *request) ([]invitationOut, error) {
	if !rq.Can(auth.MemberInvite) {
		return nil, nil
	}
	list, err := s.ops.InvitationsOf(r.Context(), rq.caller())
	if err != nil {
		return nil, err
	}
	var out []invitationOut
	for _, inv := range list {
		if st := inv.State(s.now()); st == production.InvitationPending {
			out = append(out, invitationJSON(inv, s.now()))
		}
	}
	return out, nil
}
