package store

import (
	"bytes"
	"closedset"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"

	"closedset/audit"
	"closedset/credentials"
	"closedset/production"
	"closedset/textfield"
)

// The IC's own record (issue 16): profile versions, sealed proof files,
// proof shares, stage sign-offs and each production's IC of record, all
// appended, never edited. Events name who and what (a stage, a
// production), never a profile's content nor a proof's bytes.

// MaxProofSealed bounds a sealed proof file: the proof limit and the
// seal's overhead.
const MaxProofSealed = credentials.MaxProof + 4096

// PutICProfile stores the user's profile (credentials.Profile's JSON) as
// its next version, unless it is the latest already: that records
// nothing and returns the latest version.
func (s *SQL) PutICProfile(ctx context.Context, by audit.Actor, userID int64, content []byte) (int, error) {
	if err := checkBytes("profile", content, credentials.MaxProfile); err != nil {
		return 0, err
	}
	var version int
	err := s.writeTx(ctx, by, func(tx *sql.Tx, now time.Time) (*change, error) {
		if err := mustExist(ctx, tx, "users", "user", userID); err != nil {
			return nil, err
		}
		latest, v, err := icProfile(ctx, tx, userID)
		if err != nil && !closedset.Is(err, closedset.NotFound) {
			return nil, err
		}
		if err == nil && bytes.Equal(latest, content) {
			version = v
			return nil, nil
		}
		version = v + 1
		var id int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO ic_profiles (user_id, version, content, by_id, at_us) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
			userID, version, content, by.ID, now.UnixMicro()).Scan(&id); err != nil {
			return nil, fmt.Errorf("store: put IC profile: %w", err)
		}
		return (&change{action: "credentials.put", object: audit.Object("user", userID), data: map[string]any{
			"user": userID, "version": version}}).bind("ic_profiles", id), nil
	})
	return version, err
}

// ICProfile is the user's latest profile and its version, NotFound when
// they never kept one.
func (s *SQL) ICProfile(ctx context.Context, userID int64) ([]byte, int, error) {
	return icProfile(ctx, s.rd(), userID)
}

func icProfile(ctx context.Context, q querier, userID int64) ([]byte, int, error) {
	var content []byte
	var v int
	err := q.QueryRowContext(ctx, `SELECT content, version FROM ic_profiles WHERE user_id = $1 ORDER BY version DESC LIMIT 1`, userID).Scan(&content, &v)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, 0, closedset.Errorf(closedset.NotFound, "user %d keeps no IC profile", userID)
	}
	if err != nil {
		return nil, 0, fmt.Errorf("store: IC profile: %w", err)
	}
	return content, v, nil
}

// AddProofFile keeps a proof file of the user, its bytes sealed by the
// caller.
func (s *SQL) AddProofFile(ctx context.Context, by audit.Actor, p credentials.ProofFile) (credentials.ProofFile, error) {
	if err := checkBytes("sealed proof", p.Sealed, MaxProofSealed); err != nil {
		return credentials.ProofFile{}, err
	}
	name, err := text("name", p.Name, textfield.MaxFilename)
	if err != nil {
		return credentials.ProofFile{}, err
	}
	if !slices.Contains(credentials.ProofTypes, p.MediaType) {
		return credentials.ProofFile{}, closedset.FieldErrorf(closedset.Invalid, "media_type", "%q is not a proof file's type", p.MediaType)
	}
	p.Name = name
	err = s.writeTx(ctx, by, func(tx *sql.Tx, now time.Time) (*change, error) {
		if err := mustExist(ctx, tx, "users", "user", p.UserID); err != nil {
			return nil, err
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO proof_files (user_id, name, media_type, size, sealed, by_id, at_us)
			VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, p.UserID, p.Name, p.MediaType, p.Size, p.Sealed, by.ID, now.UnixMicro()).Scan(&p.ID); err != nil {
			return nil, fmt.Errorf("store: add proof file: %w", err)
		}
		p.By, p.At = by.ID, now
		return (&change{action: "proof.add", object: audit.Object("user", p.UserID), data: map[string]any{
			"user": p.UserID, "proof": p.ID, "media_type": p.MediaType, "size": p.Size}}).bind("proof_files", p.ID), nil
	})
	return p, err
}

// ProofFile is one proof file with its sealed bytes.
func (s *SQL) ProofFile(ctx context.Context, id int64) (credentials.ProofFile, error) {
	var p credentials.ProofFile
	var at int64
	err := s.rd().QueryRowContext(ctx, `SELECT id, user_id, name, media_type, size, sealed, by_id, at_us FROM proof_files WHERE id = $1`, id).
		Scan(&p.ID, &p.UserID, &p.Name, &p.MediaType, &p.Size, &p.Sealed, &p.By, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return credentials.ProofFile{}, closedset.Errorf(closedset.NotFound, "proof file %d not found", id)
	}
	if err != nil {
		return credentials.ProofFile{}, fmt.Errorf("store: proof file %d: %w", id, err)
	}
	p.At = fromMicros(at)
	return p, nil
}

// ProofFiles lists the user's proof files, oldest first, without their
// bytes.
func (s *SQL) ProofFiles(ctx context.Context, userID int64) ([]credentials.ProofFile, error) {
	rows, err := s.rd().QueryContext(ctx, `SELECT id, user_id, name, media_type, size, by_id, at_us FROM proof_files WHERE user_id = $1 ORDER BY id`, userID)
	if err != nil {
		return nil, fmt.Errorf("store: proof files: %w", err)
	}
	defer rows.Close()
	out := []credentials.ProofFile{}
	for rows.Next() {
		var p credentials.ProofFile
		var at int64
		if err := rows.Scan(&p.ID, &p.UserID, &p.Name, &p.MediaType, &p.Size, &p.By, &at); err != nil {
			return nil, fmt.Errorf("store: proof files: %w", err)
		}
		p.At = fromMicros(at)
		out = append(out, p)
	}
	return out, rows.Err()
}

// ShareProofs records whether the user shares their proofs with the
// production's producers; the same as the latest records nothing.
func (s *SQL) ShareProofs(ctx context.Context, by audit.Actor, userID, productionID int64, shared bool) error {
	return s.writeTx(ctx, by, func(tx *sql.Tx, now time.Time) (*change, error) {
		if err := mustExist(ctx, tx, "productions", "production", productionID); err != nil {
			return nil, err
		}
		was, err := proofsShared(ctx, tx, userID, productionID)
		if err != nil {
			return nil, err
		}
		if was == shared {
			return nil, nil
		}
		var id int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO proof_shares (user_id, production_id, shared, by_id, at_us) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
			userID, productionID, shared, by.ID, now.UnixMicro()).Scan(&id); err != nil {
			return nil, fmt.Errorf("store: share proofs: %w", err)
		}
		return (&change{action: "proof.share", object: audit.Object("production", productionID), data: map[string]any{
			"user": userID, "production": productionID, "shared": shared}}).bind("proof_shares", id), nil
	})
}

// ProofsShared reports whether the user shares their proofs with the
// production now.
func (s *SQL) ProofsShared(ctx context.Context, userID, productionID int64) (bool, error) {
	return proofsShared(ctx, s.rd(), userID, productionID)
}

func proofsShared(ctx context.Context, q querier, userID, productionID int64) (bool, error) {
	var shared bool
	err := q.QueryRowContext(ctx, `SELECT shared FROM proof_shares WHERE user_id = $1 AND production_id = $2 ORDER BY id DESC LIMIT 1`, userID, productionID).Scan(&shared)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("store: proof shares: %w", err)
	}
	return shared, nil
}

// SignOffStage records a trainer's sign-off of the user's stage; a stage
// signed off already is a Conflict.
func (s *SQL) SignOffStage(ctx context.Context, by audit.Actor, userID int64, stage, note string) (credentials.SignOff, error) {
	note, err := invalidText(textfield.Para("note", note, textfield.MaxNote, false))
	if err != nil {
		return credentials.SignOff{}, err
	}
	so := credentials.SignOff{UserID: userID, Stage: stage, Note: note, By: by.ID, ByName: by.Name}
	err = s.writeTx(ctx, by, func(tx *sql.Tx, now time.Time) (*change, error) {
		if err := mustExist(ctx, tx, "users", "user", userID); err != nil {
			return nil, err
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM stage_signoffs WHERE user_id = $1 AND stage = $2`, userID, stage).Scan(&n); err != nil {
			return nil, fmt.Errorf("store: sign off: %w", err)
		}
		if n > 0 {
			return nil, closedset.Errorf(closedset.Conflict, "stage %s of user %d is signed off already", stage, userID)
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO stage_signoffs (user_id, stage, note, by_id, at_us) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
			userID, stage, note, by.ID, now.UnixMicro()).Scan(&so.ID); err != nil {
			return nil, fmt.Errorf("store: sign off: %w", err)
		}
		so.At, so.On = now, production.DateOf(now.UTC())
		return (&change{action: "pathway.signoff", object: audit.Object("user", userID), data: map[string]any{
			"user": userID, "stage": stage}}).bind("stage_signoffs", so.ID), nil
	})
	return so, err
}

// SignOffs lists the user's stage sign-offs, oldest first, with the
// trainer's name.
func (s *SQL) SignOffs(ctx context.Context, userID int64) ([]credentials.SignOff, error) {
	return signOffs(ctx, s.rd(), userID)
}

func signOffs(ctx context.Context, q querier, userID int64) ([]credentials.SignOff, error) {
	rows, err := q.QueryContext(ctx, `SELECT so.id, so.stage, so.note, so.by_id, u.name, so.at_us
		FROM stage_signoffs so JOIN users u ON u.id = so.by_id WHERE so.user_id = $1 ORDER BY so.id`, userID)
	if err != nil {
		return nil, fmt.Errorf("store: sign-offs: %w", err)
	}
	defer rows.Close()
	var out []credentials.SignOff
	for rows.Next() {
		so := credentials.SignOff{UserID: userID}
		var at int64
		if err := rows.Scan(&so.ID, &so.Stage, &so.Note, &so.By, &so.ByName, &at); err != nil {
			return nil, fmt.Errorf("store: sign-offs: %w", err)
		}
		so.At = fromMicros(at)
		so.On = production.DateOf(so.At.UTC())
		out = append(out, so)
	}
	return out, rows.Err()
}

// NameICOfRecord records the production's lead IC of record, who must be
// an IC member of it (a Conflict otherwise); naming the one named
// records nothing.
func (s *SQL) NameICOfRecord(ctx context.Context, by audit.Actor, productionID, userID int64) error {
	return s.writeTx(ctx, by, func(tx *sql.Tx, now time.Time) (*change, error) {
		if err := mustExist(ctx, tx, "productions", "production", productionID); err != nil {
			return nil, err
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM members WHERE production_id = $1 AND user_id = $2 AND role = 'ic'`, productionID, userID).Scan(&n); err != nil {
			return nil, fmt.Errorf("store: IC of record: %w", err)
		}
		if n == 0 {
			return nil, closedset.FieldErrorf(closedset.Conflict, "user_id", "user %d is not an IC of production %d", userID, productionID)
		}
		cur, ok, err := icOfRecord(ctx, tx, productionID)
		if err != nil {
			return nil, err
		}
		if ok && cur == userID {
			return nil, nil
		}
		var id int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO ic_of_record (production_id, user_id, by_id, at_us) VALUES ($1, $2, $3, $4) RETURNING id`,
			productionID, userID, by.ID, now.UnixMicro()).Scan(&id); err != nil {
			return nil, fmt.Errorf("store: IC of record: %w", err)
		}
		return (&change{action: "icofrecord.name", object: audit.Object("production", productionID), data: map[string]any{
			"production": productionID, "user": userID}}).bind("ic_of_record", id), nil
	})
}

// ICOfRecord is the user named the production's lead IC of record last;
// false when none was named.
func (s *SQL) ICOfRecord(ctx context.Context, productionID int64) (int64, bool, error) {
	return icOfRecord(ctx, s.rd(), productionID)
}

func icOfRecord(ctx context.Context, q querier, productionID int64) (int64, bool, error) {
	var uid int64
	err := q.QueryRowContext(ctx, `SELECT user_id FROM ic_of_record WHERE production_id = $1 ORDER BY id DESC LIMIT 1`, productionID).Scan(&uid)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, fmt.Errorf("store: IC of record: %w", err)
	}
	return uid, true, nil
}

// WorkedDays are the shoot days of the productions the user is a member
// of as IC or trainee, from the day they were added: the set days this
// installation knows of, by date, each once, oldest first.
func (s *SQL) WorkedDays(ctx context.Context, userID int64) ([]production.Date, error) {
	return workedDays(ctx, s.rd(), userID)
}

func workedDays(ctx context.Context, q querier, userID int64) ([]production.Date, error) {
	rows, err := q.QueryContext(ctx, `SELECT d.day, m.added_us FROM shoot_days d
		JOIN members m ON m.production_id = d.production_id
		WHERE m.user_id = $1 AND m.role IN ('ic', 'trainee')`, userID)
	if err != nil {
		return nil, fmt.Errorf("store: worked days: %w", err)
	}
	defer rows.Close()
	var out []production.Date
	for rows.Next() {
		var day string
		var added int64
		if err := rows.Scan(&day, &added); err != nil {
			return nil, fmt.Errorf("store: worked days: %w", err)
		}
		d, err := production.ParseDate(day)
		if err != nil {
			return nil, fmt.Errorf("store: worked days: %w", err)
		}
		if d.Compare(production.DateOf(fromMicros(added).UTC())) >= 0 && !slices.Contains(out, d) {
			out = append(out, d)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: worked days: %w", err)
	}
	slices.SortFunc(out, production.Date.Compare)
	return out, nil
}

// SetTrainer grants or ends the user's trainer role; setting what is set
// records nothing.
func (s *SQL) SetTrainer(ctx context.Context, by audit.Actor, userID int64, trainer bool) error {
	return s.writeTx(ctx, by, func(tx *sql.Tx, now time.Time) (*change, error) {
		var was bool
		err := tx.QueryRowContext(ctx, `SELECT trainer FROM users WHERE id = $1`, userID).Scan(&was)
		if errors.Is(err, sql.ErrNoRows) {
			return nil, closedset.Errorf(closedset.NotFound, "user %d not found", userID)
		}
		if err != nil {
			return nil, fmt.Errorf("store: trainer %d: %w", userID, err)
		}
		if was == trainer {
			return nil, nil
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET trainer = $1 WHERE id = $2`, trainer, userID); err != nil {
			return nil, fmt.Errorf("store: trainer %d: %w", userID, err)
		}
		return &change{action: "user.trainer", object: audit.Object("user", userID), data: map[string]any{"user": userID, "trainer": trainer}}, nil
	})
}
