package store

import (
	"closedset"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"closedset/audit"
	"closedset/shoot"
	"closedset/textfield"
)

// The shoot day's record (issue 13). Every table here is appended to and
// never edited (migration 15's triggers); a take's state and a scene's
// pause are computed from the rows. No event carries a debrief's notes,
// sealed or not, nor a digest of them.

// AddRehearsal records a rehearsal of a scene and who was there.
func (s *SQL) AddRehearsal(ctx context.Context, by audit.Actor, r shoot.Rehearsal) (shoot.Rehearsal, error) {
	var err error
	if r.Walked, err = invalidText(textfield.Para("walked", r.Walked, textfield.MaxNote, false)); err != nil {
		return shoot.Rehearsal{}, err
	}
	if r.Changes, err = invalidText(textfield.Para("changes", r.Changes, textfield.MaxNote, false)); err != nil {
		return shoot.Rehearsal{}, err
	}
	for i, p := range r.Others {
		if r.Others[i].Name, err = text("others.name", p.Name, textfield.MaxName); err != nil {
			return shoot.Rehearsal{}, err
		}
		if r.Others[i].Role, err = optional("others.role", p.Role, textfield.MaxName); err != nil {
			return shoot.Rehearsal{}, err
		}
	}
	err = s.writeTx(ctx, by, func(tx *sql.Tx, now time.Time) (*change, error) {
		if err := mustExist(ctx, tx, "users", "user", by.ID); err != nil {
			return nil, err
		}
		prod, err := sceneProduction(ctx, tx, r.SceneID)
		if err != nil {
			return nil, err
		}
		for _, id := range r.Performers {
			if err := performerIn(ctx, tx, id, prod); err != nil {
				return nil, err
			}
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO rehearsals (scene_id, walked, changes, plan_version, by_id, at_us)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, r.SceneID, r.Walked, r.Changes, r.PlanVersion, by.ID, now.UnixMicro()).Scan(&r.ID); err != nil {
			return nil, fmt.Errorf("store: add rehearsal: %w", err)
		}
		idx := 0
		add := func(performer int64, name, role string) error {
			_, err := tx.ExecContext(ctx, `INSERT INTO rehearsal_people (rehearsal_id, idx, performer_id, name, role) VALUES ($1, $2, $3, $4, $5)`,
				r.ID, idx, performer, name, role)
			idx++
			return err
		}
		for _, id := range r.Performers {
			if err := add(id, "", ""); err != nil {
				return nil, fmt.Errorf("store: add rehearsal: %w", err)
			}
		}
		for _, p := range r.Others {
			if err := add(0, p.Name, p.Role); err != nil {
				return nil, fmt.Errorf("store: add rehearsal: %w", err)
			}
		}
		r.By, r.At = by.ID, now
		ch := (&change{action: "rehearsal.add", object: audit.Object("scene", r.SceneID), data: map[string]any{
			"scene": r.SceneID, "rehearsal": r.ID, "performers": r.Performers, "plan_version": r.PlanVersion}}).bind("rehearsals", r.ID)
		if idx > 0 {
			ch.bind("rehearsal_people", r.ID)
		}
		return ch, nil
	})
	return r, err
}

// Rehearsals lists the scene's rehearsals, oldest first.
func (s *SQL) Rehearsals(ctx context.Context, sceneID int64) ([]shoot.Rehearsal, error) {
	var out []shoot.Rehearsal
	err := s.readTx(ctx, func(tx *sql.Tx) error {
		if err := mustExist(ctx, tx, "scenes", "scene", sceneID); err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, `SELECT id, walked, changes, plan_version, by_id, at_us FROM rehearsals WHERE scene_id = $1 ORDER BY id`, sceneID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			r := shoot.Rehearsal{SceneID: sceneID}
			var at int64
			if err := rows.Scan(&r.ID, &r.Walked, &r.Changes, &r.PlanVersion, &r.By, &at); err != nil {
				return err
			}
			r.At = fromMicros(at)
			out = append(out, r)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		for i := range out {
			if err := rehearsalPeople(ctx, tx, &out[i]); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, wrapStore(err, "rehearsals of scene %d", sceneID)
	}
	return out, nil
}

func rehearsalPeople(ctx context.Context, q querier, r *shoot.Rehearsal) error {
	rows, err := q.QueryContext(ctx, `SELECT performer_id, name, role FROM rehearsal_people WHERE rehearsal_id = $1 ORDER BY idx`, r.ID)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var p shoot.Person
		if err := rows.Scan(&id, &p.Name, &p.Role); err != nil {
			return err
		}
		if id != 0 {
			r.Performers = append(r.Performers, id)
		} else {
			r.Others = append(r.Others, p)
		}
	}
	return rows.Err()
}

// LogTake logs the scene's next take.
func (s *SQL) LogTake(ctx context.Context, by audit.Actor, sceneID int64, performers []int64, planHash string) (shoot.Take, error) {
	if err := checkHash("plan hash", planHash); err != nil {
		return shoot.Take{}, err
	}
	t := shoot.Take{SceneID: sceneID, PlanHash: planHash, Performers: slices.Sorted(slices.Values(performers))}
	t.Performers = slices.Compact(t.Performers)
	err := s.writeTx(ctx, by, func(tx *sql.Tx, now time.Time) (*change, error) {
		if err := mustExist(ctx, tx, "users", "user", by.ID); err != nil {
			return nil, err
		}
		prod, err := sceneProduction(ctx, tx, sceneID)
		if err != nil {
			return nil, err
		}
		for _, id := range t.Performers {
			if err := performerIn(ctx, tx, id, prod); err != nil {
				return nil, err
			}
		}
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(number), 0) + 1 FROM takes WHERE scene_id = $1`, sceneID).Scan(&t.Number); err != nil {
			return nil, fmt.Errorf("store: log take: %w", err)
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO takes (scene_id, number, plan_hash, by_id, at_us) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
			sceneID, t.Number, planHash, by.ID, now.UnixMicro()).Scan(&t.ID); err != nil {
			return nil, fmt.Errorf("store: log take: %w", err)
		}
		for _, id := range t.Performers {
			if _, err := tx.ExecContext(ctx, `INSERT INTO take_performers (take_id, performer_id) VALUES ($1, $2)`, t.ID, id); err != nil {
				return nil, fmt.Errorf("store: log take: %w", err)
			}
		}
		t.By, t.At = by.ID, now
		ch := (&change{action: "take.log", object: audit.Object("scene", sceneID), data: map[string]any{
			"scene": sceneID, "take": t.ID, "number": t.Number, "performers": t.Performers, "plan": planHash}}).bind("takes", t.ID)
		if len(t.Performers) > 0 {
			ch.bind("take_performers", t.ID)
		}
		return ch, nil
	})
	return t, err
}

const takeColumns = `id, scene_id, number, plan_hash, by_id, at_us`

func scanTake(sc interface{ Scan(...any) error }) (shoot.Take, error) {
	var t shoot.Take
	var at int64
	err := sc.Scan(&t.ID, &t.SceneID, &t.Number, &t.PlanHash, &t.By, &at)
	t.At = fromMicros(at)
	return t, err
}

// Take returns a take with its performers, check-ins and deviations.
func (s *SQL) Take(ctx context.Context, id int64) (shoot.Take, error) {
	var t shoot.Take
	err := s.readTx(ctx, func(tx *sql.Tx) error {
		var err error
		t, err = scanTake(tx.QueryRowContext(ctx, `SELECT `+takeColumns+` FROM takes WHERE id = $1`, id))
		if errors.Is(err, sql.ErrNoRows) {
			return closedset.Errorf(closedset.NotFound, "take %d not found", id)
		}
		if err != nil {
			return err
		}
		return fillTake(ctx, tx, &t)
	})
	if err != nil {
		return shoot.Take{}, wrapStore(err, "take %d", id)
	}
	return t, nil
}

// Takes lists the scene's takes in order.
func (s *SQL) Takes(ctx context.Context, sceneID int64) ([]shoot.Take, error) {
	var out []shoot.Take
	err := s.readTx(ctx, func(tx *sql.Tx) error {
		if err := mustExist(ctx, tx, "scenes", "scene", sceneID); err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, `SELECT `+takeColumns+` FROM takes WHERE scene_id = $1 ORDER BY number`, sceneID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			t, err := scanTake(rows)
			if err != nil {
				return err
			}
			out = append(out, t)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		rows.Close()
		for i := range out {
			if err := fillTake(ctx, tx, &out[i]); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, wrapStore(err, "takes of scene %d", sceneID)
	}
	return out, nil
}

// fillTake reads a take's performers, check-ins and deviations.
func fillTake(ctx context.Context, q querier, t *shoot.Take) error {
	rows, err := q.QueryContext(ctx, `SELECT performer_id FROM take_performers WHERE take_id = $1 ORDER BY performer_id`, t.ID)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return err
		}
		t.Performers = append(t.Performers, id)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	rows.Close()
	if rows, err = q.QueryContext(ctx, `SELECT id, performer_id, answer, on_behalf, by_id, at_us FROM check_ins WHERE take_id = $1 ORDER BY id`, t.ID); err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		c := shoot.CheckIn{TakeID: t.ID}
		var at int64
		if err := rows.Scan(&c.ID, &c.PerformerID, &c.Answer, &c.OnBehalf, &c.By, &at); err != nil {
			return err
		}
		c.At = fromMicros(at)
		t.CheckIns = append(t.CheckIns, c)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	rows.Close()
	if rows, err = q.QueryContext(ctx, `SELECT id, text, agreed_by, incident, by_id, at_us FROM deviations WHERE take_id = $1 ORDER BY id`, t.ID); err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		d := shoot.Deviation{TakeID: t.ID}
		var agreed string
		var at int64
		if err := rows.Scan(&d.ID, &d.Text, &agreed, &d.Incident, &d.By, &at); err != nil {
			return err
		}
		d.At = fromMicros(at)
		if d.AgreedBy, err = parseIDs(agreed); err != nil {
			return fmt.Errorf("deviation %d: %w", d.ID, err)
		}
		t.Deviations = append(t.Deviations, d)
	}
	return rows.Err()
}

// takeOf reads a take's scene and performers in the action, NotFound for
// no such take.
func takeOf(ctx context.Context, q querier, takeID int64) (shoot.Take, error) {
	t, err := scanTake(q.QueryRowContext(ctx, `SELECT `+takeColumns+` FROM takes WHERE id = $1`, takeID))
	if errors.Is(err, sql.ErrNoRows) {
		return shoot.Take{}, closedset.Errorf(closedset.NotFound, "take %d not found", takeID)
	}
	if err != nil {
		return shoot.Take{}, fmt.Errorf("store: take %d: %w", takeID, err)
	}
	if err := fillTake(ctx, q, &t); err != nil {
		return shoot.Take{}, fmt.Errorf("store: take %d: %w", takeID, err)
	}
	return t, nil
}

// CheckIn records a performer's answer on a take.
func (s *SQL) CheckIn(ctx context.Context, by audit.Actor, c shoot.CheckIn) (shoot.CheckIn, error) {
	switch c.Answer {
	case shoot.AnswerYes, shoot.AnswerPause, shoot.AnswerStop:
	default:
		return shoot.CheckIn{}, closedset.Errorf(closedset.Invalid, "answer %q: want yes, pause or stop", clip(string(c.Answer), 40))
	}
	err := s.writeTx(ctx, by, func(tx *sql.Tx, now time.Time) (*change, error) {
		t, err := takeInAction(ctx, tx, by, c.TakeID, c.PerformerID)
		if err != nil {
			return nil, err
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO check_ins (take_id, performer_id, answer, on_behalf, by_id, at_us)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, c.TakeID, c.PerformerID, string(c.Answer), c.OnBehalf, by.ID, now.UnixMicro()).Scan(&c.ID); err != nil {
			return nil, fmt.Errorf("store: check in: %w", err)
		}
		c.By, c.At = by.ID, now
		return (&change{action: "take.check_in", object: audit.Object("scene", t.SceneID), data: map[string]any{
			"scene": t.SceneID, "take": t.ID, "performer": c.PerformerID, "answer": c.Answer, "on_behalf": c.OnBehalf}}).bind("check_ins", c.ID), nil
	})
	return c, err
}

// PauseScene records a pause of the take's scene.
func (s *SQL) PauseScene(ctx context.Context, by audit.Actor, takeID, performerID int64) (shoot.Pause, error) {
	p := shoot.Pause{TakeID: takeID, PerformerID: performerID}
	err := s.writeTx(ctx, by, func(tx *sql.Tx, now time.Time) (*change, error) {
		t, err := takeInAction(ctx, tx, by, takeID, performerID)
		if err != nil {
			return nil, err
		}
		p.SceneID = t.SceneID
		if err := tx.QueryRowContext(ctx, `INSERT INTO scene_pauses (scene_id, take_id, performer_id, by_id, at_us)
			VALUES ($1, $2, $3, $4, $5) RETURNING id`, t.SceneID, takeID, performerID, by.ID, now.UnixMicro()).Scan(&p.ID); err != nil {
			return nil, fmt.Errorf("store: pause scene %d: %w", t.SceneID, err)
		}
		p.By, p.At = by.ID, now
		return (&change{action: "scene.pause", object: audit.Object("scene", t.SceneID), data: map[string]any{
			"scene": t.SceneID, "take": takeID, "performer": performerID, "pause": p.ID}}).bind("scene_pauses", p.ID), nil
	})
	return p, err
}

// ResumeScene ends every pause holding the scene.
func (s *SQL) ResumeScene(ctx context.Context, by audit.Actor, sceneID int64) (int, error) {
	var n int
	err := s.writeTx(ctx, by, func(tx *sql.Tx, now time.Time) (*change, error) {
		if err := mustExist(ctx, tx, "users", "user", by.ID); err != nil {
			return nil, err
		}
		if err := mustExist(ctx, tx, "scenes", "scene", sceneID); err != nil {
			return nil, err
		}
		var last int64
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM scene_pauses WHERE scene_id = $1`, sceneID).Scan(&last); err != nil {
			return nil, fmt.Errorf("store: resume scene %d: %w", sceneID, err)
		}
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM scene_pauses WHERE scene_id = $1 AND id > (
			SELECT COALESCE(MAX(through_pause_id), 0) FROM scene_resumes WHERE scene_id = $1)`, sceneID).Scan(&n); err != nil {
			return nil, fmt.Errorf("store: resume scene %d: %w", sceneID, err)
		}
		if n == 0 {
			return nil, nil // nothing holds it
		}
		var id int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO scene_resumes (scene_id, through_pause_id, by_id, at_us) VALUES ($1, $2, $3, $4) RETURNING id`,
			sceneID, last, by.ID, now.UnixMicro()).Scan(&id); err != nil {
			return nil, fmt.Errorf("store: resume scene %d: %w", sceneID, err)
		}
		return (&change{action: "scene.resume", object: audit.Object("scene", sceneID), data: map[string]any{
			"scene": sceneID, "resume": id, "through_pause": last, "pauses": n}}).bind("scene_resumes", id), nil
	})
	return n, err
}

// Pauses lists the scene's pauses, oldest first, each with the resume
// that ended it.
func (s *SQL) Pauses(ctx context.Context, sceneID int64) ([]shoot.Pause, error) {
	var out []shoot.Pause
	err := s.readTx(ctx, func(tx *sql.Tx) error {
		if err := mustExist(ctx, tx, "scenes", "scene", sceneID); err != nil {
			return err
		}
		var err error
		out, err = pausesOf(ctx, tx, sceneID)
		return err
	})
	if err != nil {
		return nil, wrapStore(err, "pauses of scene %d", sceneID)
	}
	return out, nil
}

// pausesOf reads the scene's pauses with their resumes.
func pausesOf(ctx context.Context, q querier, sceneID int64) ([]shoot.Pause, error) {
	return loadPauses(ctx, q, []int64{sceneID})
}

// loadPauses reads the pauses of the scenes with their resumes, oldest
// first.
func loadPauses(ctx context.Context, q querier, sceneIDs []int64) ([]shoot.Pause, error) {
	in, args := inList(sceneIDs, 1)
	rows, err := q.QueryContext(ctx, `SELECT p.id, p.scene_id, p.take_id, p.performer_id, p.by_id, p.at_us,
		COALESCE((SELECT r.at_us FROM scene_resumes r WHERE r.scene_id = p.scene_id AND r.through_pause_id >= p.id ORDER BY r.id LIMIT 1), 0),
		COALESCE((SELECT r.by_id FROM scene_resumes r WHERE r.scene_id = p.scene_id AND r.through_pause_id >= p.id ORDER BY r.id LIMIT 1), 0)
		FROM scene_pauses p WHERE p.scene_id IN (`+in+`) ORDER BY p.id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []shoot.Pause
	for rows.Next() {
		var p shoot.Pause
		var at, resumed int64
		if err := rows.Scan(&p.ID, &p.SceneID, &p.TakeID, &p.PerformerID, &p.By, &at, &resumed, &p.ResumedBy); err != nil {
			return nil, err
		}
		p.At = fromMicros(at)
		if resumed != 0 {
			p.ResumedAt = fromMicros(resumed)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// AddDeviation records a deviation on a take.
func (s *SQL) AddDeviation(ctx context.Context, by audit.Actor, d shoot.Deviation) (shoot.Deviation, error) {
	var err error
	if d.Text, err = invalidText(textfield.Para("text", d.Text, textfield.MaxNote, true)); err != nil {
		return shoot.Deviation{}, err
	}
	err = s.writeTx(ctx, by, func(tx *sql.Tx, now time.Time) (*change, error) {
		t, err := takeInAction(ctx, tx, by, d.TakeID, d.AgreedBy...)
		if err != nil {
			return nil, err
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO deviations (take_id, text, agreed_by, incident, by_id, at_us)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, d.TakeID, d.Text, formatIDs(d.AgreedBy), d.Incident, by.ID, now.UnixMicro()).Scan(&d.ID); err != nil {
			return nil, fmt.Errorf("store: add deviation: %w", err)
		}
		d.By, d.At = by.ID, now
		return (&change{action: "take.deviation", object: audit.Object("scene", t.SceneID), data: map[string]any{
			"scene": t.SceneID, "take": t.ID, "deviation": d.ID, "agreed_by": d.AgreedBy, "incident": d.Incident}}).bind("deviations", d.ID), nil
	})
	return d, err
}

// StepOut records a performer's step-out of the scene.
func (s *SQL) StepOut(ctx context.Context, by audit.Actor, sceneID, performerID int64) (shoot.StepOut, error) {
	so := shoot.StepOut{SceneID: sceneID, PerformerID: performerID}
	err := s.writeTx(ctx, by, func(tx *sql.Tx, now time.Time) (*change, error) {
		if err := mustExist(ctx, tx, "users", "user", by.ID); err != nil {
			return nil, err
		}
		prod, err := sceneProduction(ctx, tx, sceneID)
		if err != nil {
			return nil, err
		}
		if err := performerIn(ctx, tx, performerID, prod); err != nil {
			return nil, err
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO step_outs (scene_id, performer_id, by_id, at_us) VALUES ($1, $2, $3, $4) RETURNING id`,
			sceneID, performerID, by.ID, now.UnixMicro()).Scan(&so.ID); err != nil {
			return nil, fmt.Errorf("store: step out: %w", err)
		}
		so.By, so.At = by.ID, now
		return (&change{action: "scene.step_out", object: audit.Object("scene", sceneID), data: map[string]any{
			"scene": sceneID, "performer": performerID, "step_out": so.ID}}).bind("step_outs", so.ID), nil
	})
	return so, err
}

// StepOuts lists the scene's step-outs, oldest first.
func (s *SQL) StepOuts(ctx context.Context, sceneID int64) ([]shoot.StepOut, error) {
	var out []shoot.StepOut
	err := s.readTx(ctx, func(tx *sql.Tx) error {
		if err := mustExist(ctx, tx, "scenes", "scene", sceneID); err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, `SELECT id, performer_id, by_id, at_us FROM step_outs WHERE scene_id = $1 ORDER BY id`, sceneID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			so := shoot.StepOut{SceneID: sceneID}
			var at int64
			if err := rows.Scan(&so.ID, &so.PerformerID, &so.By, &at); err != nil {
				return err
			}
			so.At = fromMicros(at)
			out = append(out, so)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, wrapStore(err, "step-outs of scene %d", sceneID)
	}
	return out, nil
}

// AddDebrief keeps a performer's debrief with its sealed notes. Its event
// names the scene and the performer, never the notes or their digest.
func (s *SQL) AddDebrief(ctx context.Context, by audit.Actor, d shoot.Debrief) (shoot.Debrief, error) {
	if len(d.Sealed) > 0 { // notes are optional
		if err := checkBytes("sealed debrief notes", d.Sealed, MaxSealed); err != nil {
			return shoot.Debrief{}, err
		}
	}
	err := s.writeTx(ctx, by, func(tx *sql.Tx, now time.Time) (*change, error) {
		if err := mustExist(ctx, tx, "users", "user", by.ID); err != nil {
			return nil, err
		}
		prod, err := sceneProduction(ctx, tx, d.SceneID)
		if err != nil {
			return nil, err
		}
		if err := performerIn(ctx, tx, d.PerformerID, prod); err != nil {
			return nil, err
		}
		sealed := d.Sealed
		if sealed == nil {
			sealed = []byte{}
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO debriefs (scene_id, performer_id, sealed, follow_up, by_id, at_us)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, d.SceneID, d.PerformerID, sealed, d.FollowUpOffered, by.ID, now.UnixMicro()).Scan(&d.ID); err != nil {
			return nil, fmt.Errorf("store: add debrief: %w", err)
		}
		d.By, d.At = by.ID, now
		return (&change{action: "debrief.add", object: audit.Object("scene", d.SceneID), data: map[string]any{
			"scene": d.SceneID, "performer": d.PerformerID, "debrief": d.ID, "follow_up_offered": d.FollowUpOffered}}).bind("debriefs", d.ID), nil
	})
	return d, err
}

// Debriefs lists the scene's performer debriefs, oldest first, notes
// sealed.
func (s *SQL) Debriefs(ctx context.Context, sceneID int64) ([]shoot.Debrief, error) {
	var out []shoot.Debrief
	err := s.readTx(ctx, func(tx *sql.Tx) error {
		if err := mustExist(ctx, tx, "scenes", "scene", sceneID); err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, `SELECT id, performer_id, sealed, follow_up, by_id, at_us FROM debriefs WHERE scene_id = $1 ORDER BY id`, sceneID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			d := shoot.Debrief{SceneID: sceneID}
			var at int64
			if err := rows.Scan(&d.ID, &d.PerformerID, &d.Sealed, &d.FollowUpOffered, &d.By, &at); err != nil {
				return err
			}
			if len(d.Sealed) == 0 {
				d.Sealed = nil
			}
			d.At = fromMicros(at)
			out = append(out, d)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, wrapStore(err, "debriefs of scene %d", sceneID)
	}
	return out, nil
}

// AddCrewDebrief records a crew debrief of a scene.
func (s *SQL) AddCrewDebrief(ctx context.Context, by audit.Actor, d shoot.CrewDebrief) (shoot.CrewDebrief, error) {
	var err error
	if d.HeldBy, err = text("held_by", d.HeldBy, textfield.MaxName); err != nil {
		return shoot.CrewDebrief{}, err
	}
	if d.Notes, err = invalidText(textfield.Para("notes", d.Notes, textfield.MaxNote, false)); err != nil {
		return shoot.CrewDebrief{}, err
	}
	err = s.writeTx(ctx, by, func(tx *sql.Tx, now time.Time) (*change, error) {
		if err := mustExist(ctx, tx, "users", "user", by.ID); err != nil {
			return nil, err
		}
		if err := mustExist(ctx, tx, "scenes", "scene", d.SceneID); err != nil {
			return nil, err
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO crew_debriefs (scene_id, held_by, held_us, notes, by_id, at_us)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, d.SceneID, d.HeldBy, d.HeldAt.UnixMicro(), d.Notes, by.ID, now.UnixMicro()).Scan(&d.ID); err != nil {
			return nil, fmt.Errorf("store: add crew debrief: %w", err)
		}
		d.By, d.At, d.HeldAt = by.ID, now, d.HeldAt.UTC().Truncate(time.Microsecond)
		return (&change{action: "crew_debrief.add", object: audit.Object("scene", d.SceneID), data: map[string]any{
			"scene": d.SceneID, "crew_debrief": d.ID, "held_by": d.HeldBy, "held_us": d.HeldAt.UnixMicro()}}).bind("crew_debriefs", d.ID), nil
	})
	return d, err
}

// CrewDebriefs lists the scene's crew debriefs, oldest first.
func (s *SQL) CrewDebriefs(ctx context.Context, sceneID int64) ([]shoot.CrewDebrief, error) {
	var out []shoot.CrewDebrief
	err := s.readTx(ctx, func(tx *sql.Tx) error {
		if err := mustExist(ctx, tx, "scenes", "scene", sceneID); err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, `SELECT id, held_by, held_us, notes, by_id, at_us FROM crew_debriefs WHERE scene_id = $1 ORDER BY id`, sceneID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			d := shoot.CrewDebrief{SceneID: sceneID}
			var held, at int64
			if err := rows.Scan(&d.ID, &d.HeldBy, &held, &d.Notes, &d.By, &at); err != nil {
				return err
			}
			d.HeldAt, d.At = fromMicros(held), fromMicros(at)
			out = append(out, d)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, wrapStore(err, "crew debriefs of scene %d", sceneID)
	}
	return out, nil
}

// SignDayReport stores a report as the shoot day's next signed version.
func (s *SQL) SignDayReport(ctx context.Context, by audit.Actor, productionID, shootDayID int64, content []byte, hash string) (shoot.SignedReport, error) {
	if err := checkHash("report hash", hash); err != nil {
		return shoot.SignedReport{}, err
	}
	if err := checkBytes("report", content, MaxSealed); err != nil {
		return shoot.SignedReport{}, err
	}
	sr := shoot.SignedReport{ShootDayID: shootDayID, Hash: hash}
	err := s.writeTx(ctx, by, func(tx *sql.Tx, now time.Time) (*change, error) {
		if err := mustExist(ctx, tx, "users", "user", by.ID); err != nil {
			return nil, err
		}
		if err := mustExist(ctx, tx, "productions", "production", productionID); err != nil {
			return nil, err
		}
		// No foreign key holds day_reports to shoot_days (migration 15):
		// the day is checked here, in the write's transaction.
		day, err := dayByID(ctx, tx, shootDayID)
		if err != nil {
			return nil, err
		}
		if day.ProductionID != productionID {
			return nil, closedset.Errorf(closedset.NotFound, "shoot day %d not found in production %d", shootDayID, productionID)
		}
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) + 1 FROM day_reports WHERE shoot_day_id = $1`, shootDayID).Scan(&sr.Version); err != nil {
			return nil, fmt.Errorf("store: sign day report: %w", err)
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO day_reports (production_id, shoot_day_id, version, content, hash, signed_by, signed_us)
			VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, productionID, shootDayID, sr.Version, content, hash, by.ID, now.UnixMicro()).Scan(&sr.ID); err != nil {
			return nil, fmt.Errorf("store: sign day report: %w", err)
		}
		sr.SignedBy, sr.SignerName, sr.SignedAt = by.ID, by.Name, now
		return (&change{action: "report.sign", object: audit.Object("shoot_day", shootDayID), data: map[string]any{
			"shoot_day": shootDayID, "version": sr.Version, "hash": hash}}).bind("day_reports", sr.ID), nil
	})
	if err != nil {
		return shoot.SignedReport{}, err
	}
	sr.Content = content
	return sr, nil
}

// DayReports lists a shoot day's signed versions, oldest first.
func (s *SQL) DayReports(ctx context.Context, shootDayID int64) ([]shoot.SignedReport, error) {
	rows, err := s.rd().QueryContext(ctx, `SELECT r.id, r.version, r.content, r.hash, r.signed_by, u.name, r.signed_us
		FROM day_reports r JOIN users u ON u.id = r.signed_by WHERE r.shoot_day_id = $1 ORDER BY r.version`, shootDayID)
	if err != nil {
		return nil, fmt.Errorf("store: reports of shoot day %d: %w", shootDayID, err)
	}
	defer rows.Close()
	var out []shoot.SignedReport
	for rows.Next() {
		sr := shoot.SignedReport{ShootDayID: shootDayID}
		var content []byte
		var at int64
		if err := rows.Scan(&sr.ID, &sr.Version, &content, &sr.Hash, &sr.SignedBy, &sr.SignerName, &at); err != nil {
			return nil, fmt.Errorf("store: reports of shoot day %d: %w", shootDayID, err)
		}
		sr.SignedAt, sr.Content = fromMicros(at), content
		out = append(out, sr)
	}
	return out, rows.Err()
}

func formatIDs(ids []int64) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(s, ",")
}

func parseIDs(s string) ([]int64, error) {
	if s == "" {
		return nil, nil
	}
	var out []int64
	for _, f := range strings.Split(s, ",") {
		id, err := strconv.ParseInt(f, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("stored ids %q: %w", clip(s, 40), err)
		}
		out = append(out, id)
	}
	return out, nil
}

// wrapStore adds context to a backend failure, leaving kinded errors.
func wrapStore(err error, format string, args ...any) error {
	if closedset.KindOf(err) != "" {
		return err
	}
	return fmt.Errorf("store: "+format+": %w", append(args, err)...)
}

// takeInAction reads a take for a write by the actor, checking that the
// actor's account exists and that each performer named is in the take's
// action.
func takeInAction(ctx context.Context, tx *sql.Tx, by audit.Actor, takeID int64, performers ...int64) (shoot.Take, error) {
	if err := mustExist(ctx, tx, "users", "user", by.ID); err != nil {
		return shoot.Take{}, err
	}
	t, err := takeOf(ctx, tx, takeID)
	if err != nil {
		return shoot.Take{}, err
	}
	for _, id := range performers {
		if !t.InAction(id) {
			return shoot.Take{}, closedset.Errorf(closedset.Invalid, "performer %d is not in the action of take %d", id, t.Number)
		}
	}
	return t, nil
}
