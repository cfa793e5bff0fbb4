package store

import (
	"closedset"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
	"unicode/utf8"

	"closedset/audit"
	"closedset/auth"
	"closedset/production"
	"closedset/textfield"
)

const productionColumns = `p.id, p.title, p.policy, p.time_zone, p.created_by, p.created_us`

func scanProduction(row interface{ Scan(...any) error }, p *production.Production, extra ...any) error {
	var created int64
	if err := row.Scan(append([]any{&p.ID, &p.Title, &p.Policy, &p.TimeZone, &p.CreatedBy, &created}, extra...)...); err != nil {
		return err
	}
	p.Created = fromMicros(created)
	return nil
}

// CreateProduction adds a production with its creator (by) as its first
// member in the role they chose (np.Role: ic or producer; "" is producer):
// one change, one event.
func (s *SQL) CreateProduction(ctx context.Context, by audit.Actor, np production.NewProduction) (production.Production, error) {
	title, err := text("title", np.Title, textfield.MaxTitle)
	if err != nil {
		return production.Production{}, err
	}
	if err := checkPolicy(np.Policy); err != nil {
		return production.Production{}, err
	}
	if err := checkTimeZone(np.TimeZone); err != nil {
		return production.Production{}, err
	}
	role := np.Role
	if role == "" {
		role = auth.Producer
	}
	if role != auth.IC && role != auth.Producer {
		return production.Production{}, closedset.Errorf(closedset.Invalid, "role %q: whoever creates a production is its ic or its producer", np.Role)
	}
	p := production.Production{Title: title, Policy: np.Policy, TimeZone: np.TimeZone, CreatedBy: by.ID}
	err = s.writeTx(ctx, by, func(tx *sql.Tx, now time.Time) (*change, error) {
		if err := mustExist(ctx, tx, "users", "user", by.ID); err != nil {
			return nil, err
		}
		p.Created = now
		err := tx.QueryRowContext(ctx, `INSERT INTO productions (title, policy, time_zone, created_by, created_us)
			VALUES ($1, $2, $3, $4, $5) RETURNING id`, title, np.Policy, np.TimeZone, by.ID, now.UnixMicro()).Scan(&p.ID)
		if err != nil {
			return nil, fmt.Errorf("store: create production: %w", err)
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO members (production_id, user_id, role, added_us) VALUES ($1, $2, $3, $4)`,
			p.ID, by.ID, string(role), now.UnixMicro())
		if err != nil {
			return nil, fmt.Errorf("store: create production: adding its %s: %w", role, err)
		}
		return &change{action: "production.create", object: audit.Object("production", p.ID), data: map[string]any{
			"id": p.ID, "title": title, "policy": np.Policy, "time_zone": np.TimeZone,
			string(role): by.ID}}, nil
	})
	if err != nil {
		return production.Production{}, err
	}
	return p, nil
}

// Production returns the production with the id.
func (s *SQL) Production(ctx context.Context, id int64) (production.Production, error) {
	return productionByID(ctx, s.rd(), id)
}

func productionByID(ctx context.Context, q querier, id int64) (production.Production, error) {
	var p production.Production
	err := scanProduction(q.QueryRowContext(ctx, `SELECT `+productionColumns+` FROM productions p WHERE p.id = $1`, id), &p)
	if errors.Is(err, sql.ErrNoRows) {
		return production.Production{}, closedset.Errorf(closedset.NotFound, "production %d not found", id)
	}
	if err != nil {
		return production.Production{}, fmt.Errorf("store: production %d: %w", id, err)
	}
	return p, nil
}

// ProductionsOf lists the user's productions, newest first, with the
// user's roles in each.
func (s *SQL) ProductionsOf(ctx context.Context, userID int64) ([]production.Membership, error) {
	rows, err := s.rd().QueryContext(ctx, `SELECT `+productionColumns+`, m.role
		FROM members m JOIN productions p ON p.id = m.production_id
		WHERE m.user_id = $1
		ORDER BY p.created_us DESC, p.id DESC`, userID)
	if err != nil {
		return nil, fmt.Errorf("store: productions of user %d: %w", userID, err)
	}
	defer rows.Close()
	var out []production.Membership
	for rows.Next() {
		var p production.Production
		var role string
		if err := scanProduction(rows, &p, &role); err != nil {
			return nil, fmt.Errorf("store: productions of user %d: %w", userID, err)
		}
		if n := len(out); n == 0 || out[n-1].ID != p.ID {
			out = append(out, production.Membership{Production: p})
		}
		out[len(out)-1].Roles |= auth.RolesOf(auth.Role(role))
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: productions of user %d: %w", userID, err)
	}
	return out, nil
}

// AddMember gives the user the role in the production. Giving a role the
// member already holds changes nothing and records no event. A role the
// member may not hold beside theirs (auth.CheckGrant: an IC is never also
// producer, director or AD) is a RuleViolation.
func (s *SQL) AddMember(ctx context.Context, by audit.Actor, productionID, userID int64, role auth.Role) (production.Member, error) {
	r, err := auth.ParseRole(string(role))
	if err != nil {
		return production.Member{}, closedset.Errorf(closedset.Invalid, "unknown role %q (want one of %s)", role, auth.RolesOf(auth.ProductionRoles()...))
	}
	err = s.writeTx(ctx, by, func(tx *sql.Tx, now time.Time) (*change, error) {
		if err := mustExist(ctx, tx, "productions", "production", productionID); err != nil {
			return nil, err
		}
		if err := mustExist(ctx, tx, "users", "user", userID); err != nil {
			return nil, err
		}
		held, err := rolesIn(ctx, tx, productionID, userID)
		if err != nil {
			return nil, err
		}
		if err := auth.CheckGrant(held, r); err != nil {
			return nil, err
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO members (production_id, user_id, role, added_us) VALUES ($1, $2, $3, $4)
			ON CONFLICT DO NOTHING`, productionID, userID, string(r), now.UnixMicro())
		if err != nil {
			return nil, fmt.Errorf("store: add member: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return nil, fmt.Errorf("store: add member: %w", err)
		} else if n == 0 {
			return nil, nil // already held
		}
		return &change{action: "member.add", object: audit.Object("production", productionID), data: map[string]any{"production": productionID, "user": userID, "role": string(r)}}, nil
	})
	if err != nil {
		return production.Member{}, err
	}
	return s.member(ctx, productionID, userID)
}

// RemoveMember takes one role from the member, or every role when role is
// "". A role the user does not hold is NotFound.
func (s *SQL) RemoveMember(ctx context.Context, by audit.Actor, productionID, userID int64, role auth.Role) error {
	query := `DELETE FROM members WHERE production_id = $1 AND user_id = $2`
	args := []any{productionID, userID}
	if role != "" {
		r, err := auth.ParseRole(string(role))
		if err != nil {
			return closedset.Errorf(closedset.Invalid, "unknown role %q (want one of %s)", role, auth.RolesOf(auth.ProductionRoles()...))
		}
		role = r
		query += ` AND role = $3`
		args = append(args, string(r))
	}
	return s.writeTx(ctx, by, func(tx *sql.Tx, now time.Time) (*change, error) {
		if err := mustExist(ctx, tx, "productions", "production", productionID); err != nil {
			return nil, err
		}
		res, err := tx.ExecContext(ctx, query, args...)
		if err != nil {
			return nil, fmt.Errorf("store: remove member: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return nil, fmt.Errorf("store: remove member: %w", err)
		} else if n == 0 {
			if role != "" {
				return nil, closedset.Errorf(closedset.NotFound, "user %d is not %s in production %d", userID, role, productionID)
			}
			return nil, closedset.Errorf(closedset.NotFound, "user %d is not a member of production %d", userID, productionID)
		}
		removed := "all"
		if role != "" {
			removed = string(role)
		}
		return &change{action: "member.remove", object: audit.Object("production", productionID), data: map[string]any{"production": productionID, "user": userID, "role": removed}}, nil
	})
}

const memberQuery = `SELECT m.production_id, m.user_id, u.email, u.name, m.role, m.added_us
	FROM members m JOIN users u ON u.id = m.user_id`

// scanMembers folds rows of memberQuery, ordered by user, into members.
func scanMembers(rows *sql.Rows) ([]production.Member, error) {
	defer rows.Close()
	var out []production.Member
	for rows.Next() {
		var m production.Member
		var role string
		var added int64
		if err := rows.Scan(&m.ProductionID, &m.UserID, &m.Email, &m.Name, &role, &added); err != nil {
			return nil, err
		}
		if n := len(out); n == 0 || out[n-1].UserID != m.UserID {
			m.Added = fromMicros(added)
			m.Since = map[auth.Role]time.Time{}
			out = append(out, m)
		}
		last := &out[len(out)-1]
		last.Roles |= auth.RolesOf(auth.Role(role))
		last.Since[auth.Role(role)] = fromMicros(added)
		if t := fromMicros(added); t.Before(last.Added) {
			last.Added = t
		}
	}
	return out, rows.Err()
}

// member returns one member as it is now.
func (s *SQL) member(ctx context.Context, productionID, userID int64) (production.Member, error) {
	rows, err := s.rd().QueryContext(ctx, memberQuery+` WHERE m.production_id = $1 AND m.user_id = $2`, productionID, userID)
	if err != nil {
		return production.Member{}, fmt.Errorf("store: member: %w", err)
	}
	ms, err := scanMembers(rows)
	if err != nil {
		return production.Member{}, fmt.Errorf("store: member: %w", err)
	}
	if len(ms) == 0 {
		return production.Member{}, closedset.Errorf(closedset.NotFound, "user %d is not a member of production %d", userID, productionID)
	}
	return ms[0], nil
}

// Members lists the production's members by name, each with their roles
// and when they first joined.
func (s *SQL) Members(ctx context.Context, productionID int64) ([]production.Member, error) {
	var out []production.Member
	err := s.readTx(ctx, func(tx *sql.Tx) error {
		if err := mustExist(ctx, tx, "productions", "production", productionID); err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, memberQuery+` WHERE m.production_id = $1 ORDER BY u.name, m.user_id`, productionID)
		if err != nil {
			return fmt.Errorf("store: members of production %d: %w", productionID, err)
		}
		if out, err = scanMembers(rows); err != nil {
			return fmt.Errorf("store: members of production %d: %w", productionID, err)
		}
		return nil
	})
	return out, err
}

// Roles returns the user's roles in the production in one indexed query:
// none for a stranger (or a production that does not exist).
func (s *SQL) Roles(ctx context.Context, productionID, userID int64) (auth.Roles, error) {
	return rolesIn(ctx, s.rd(), productionID, userID)
}

func rolesIn(ctx context.Context, q querier, productionID, userID int64) (auth.Roles, error) {
	rows, err := q.QueryContext(ctx, `SELECT role FROM members WHERE production_id = $1 AND user_id = $2`, productionID, userID)
	if err != nil {
		return 0, fmt.Errorf("store: roles: %w", err)
	}
	defer rows.Close()
	var roles auth.Roles
	for rows.Next() {
		var r string
		if err := rows.Scan(&r); err != nil {
			return 0, fmt.Errorf("store: roles: %w", err)
		}
		roles |= auth.RolesOf(auth.Role(r))
	}
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("store: roles: %w", err)
	}
	return roles, nil
}

// MaxPolicy bounds a production's policy content.
const MaxPolicy = 4 << 10

// SetPolicy appends the production's policy in force. The content is the
// web layer's, already checked against the pack's floor (consent.Tighten).
func (s *SQL) SetPolicy(ctx context.Context, by audit.Actor, productionID int64, content []byte) error {
	if len(content) == 0 || len(content) > MaxPolicy || !utf8.Valid(content) {
		return closedset.Errorf(closedset.Invalid, "a policy must be 1 to %d bytes of UTF-8", MaxPolicy)
	}
	return s.writeTx(ctx, by, func(tx *sql.Tx, now time.Time) (*change, error) {
		if err := mustExist(ctx, tx, "productions", "production", productionID); err != nil {
			return nil, err
		}
		if err := mustExist(ctx, tx, "users", "user", by.ID); err != nil {
			return nil, err
		}
		var last string
		err := tx.QueryRowContext(ctx, `SELECT content FROM production_policies WHERE production_id = $1 ORDER BY id DESC LIMIT 1`,
			productionID).Scan(&last)
		if err == nil && last == string(content) {
			return nil, nil // unchanged: no new row, no event
		}
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return nil, fmt.Errorf("store: policy of production %d: %w", productionID, err)
		}
		var id int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO production_policies (production_id, content, by_id, at_us) VALUES ($1, $2, $3, $4) RETURNING id`,
			productionID, string(content), by.ID, now.UnixMicro()).Scan(&id); err != nil {
			return nil, fmt.Errorf("store: set policy of production %d: %w", productionID, err)
		}
		return (&change{action: "policy.set", object: audit.Object("production", productionID), data: map[string]any{"production": productionID, "policy": string(content)}}).bind("production_policies", id), nil
	})
}

// PolicyOf returns the production's latest policy content, false when it
// has set none.
func (s *SQL) PolicyOf(ctx context.Context, productionID int64) ([]byte, bool, error) {
	return policyOf(ctx, s.rd(), productionID)
}

func policyOf(ctx context.Context, q querier, productionID int64) ([]byte, bool, error) {
	var content string
	err := q.QueryRowContext(ctx, `SELECT content FROM production_policies WHERE production_id = $1 ORDER BY id DESC LIMIT 1`,
		productionID).Scan(&content)
	if errors.Is(err, sql.ErrNoRows) {
		if _, err := productionByID(ctx, q, productionID); err != nil {
			return nil, false, err
		}
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("store: policy of production %d: %w", productionID, err)
	}
	return []byte(content), true, nil
}
