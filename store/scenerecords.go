package store

import (
	"closedset"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"closedset/auth"
	"closedset/consent"
	"closedset/ops"
	"closedset/production"
)

// SceneRecords reads what readiness looks at for each of the scenes, in
// one read transaction and one query per kind of record whatever the
// number of scenes: a day board reads its dozen scenes as readiness reads
// one. The lineages come first; each kind is then read over all of them
// at once (the latest row of each scene, where the latest counts) and
// shared out in Go, each scene taking the newest of its own lineage.
// Records read at the head of now are kept until it moves: readiness is
// polled by everyone on set, and between two writes its records are the
// same.
func (s *SQL) SceneRecords(ctx context.Context, sceneIDs []int64) ([]ops.SceneRecords, error) {
	if len(sceneIDs) == 0 {
		return nil, nil
	}
	out := make([]ops.SceneRecords, len(sceneIDs))
	err := s.readTx(ctx, func(tx *sql.Tx) error {
		// The head first, in the snapshot the records are read in; inside
		// a write transaction, no cache.
		cache := s.tx == nil
		var head int64
		var missing []int64
		if cache {
			var err error
			if head, err = headIn(ctx, tx); err != nil {
				return err
			}
		}
		for i, id := range sceneIDs {
			var ok bool
			if cache {
				out[i], ok = s.records.get(id, head)
			}
			if !ok && !slices.Contains(missing, id) {
				missing = append(missing, id)
			}
		}
		if len(missing) == 0 {
			return nil
		}
		read, err := sceneRecords(ctx, tx, missing)
		if err != nil {
			return err
		}
		for j, id := range missing {
			if cache {
				s.records.put(id, head, read[j])
			}
			for i := range sceneIDs {
				if sceneIDs[i] == id {
					out[i] = copyRecords(read[j])
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// headIn reads the chain's head in q's snapshot.
func headIn(ctx context.Context, q querier) (int64, error) {
	var head int64
	if err := q.QueryRowContext(ctx, `SELECT seq FROM audit_head WHERE id = 1`).Scan(&head); err != nil {
		return 0, fmt.Errorf("store: reading the chain head: %w", err)
	}
	return head, nil
}

// recordBatch is the scenes of one SceneRecords read: each distinct
// scene's records as they are filled, and the lineages they draw on.
type recordBatch struct {
	roots []int64                      // distinct scenes asked, in order
	recs  map[int64]*ops.SceneRecords  // by scene
	of    map[int64]map[int64]struct{} // each scene's lineage, as a set
	all   []int64                      // every scene of every lineage, once
}

// in reports whether scene id is of root's lineage.
func (b *recordBatch) in(root, id int64) bool {
	_, ok := b.of[root][id]
	return ok
}

func sceneRecords(ctx context.Context, q querier, sceneIDs []int64) ([]ops.SceneRecords, error) {
	b := &recordBatch{recs: map[int64]*ops.SceneRecords{}, of: map[int64]map[int64]struct{}{}}
	for _, id := range sceneIDs {
		if _, ok := b.recs[id]; !ok {
			b.roots = append(b.roots, id)
			b.recs[id] = &ops.SceneRecords{}
		}
	}
	steps := []struct {
		what string
		read func(context.Context, querier, *recordBatch) error
	}{
		{"lineages", readLineages},
		{"cast", readCasts},
		{"call times", readCallTimes},
		{"plans", readPlans},
		{"consents", readConsents},
		{"safeguards", readSafeguards},
		{"requests", readRequests},
		{"closed-set lists", readClosedSets},
		{"pauses", readPauses},
	}
	for _, st := range steps {
		if err := st.read(ctx, q, b); err != nil {
			return nil, wrapStore(err, "%s of scenes %v", st.what, b.roots)
		}
	}
	out := make([]ops.SceneRecords, len(sceneIDs))
	for i, id := range sceneIDs {
		out[i] = *b.recs[id]
	}
	return out, nil
}

// readLineages reads every scene's lineage, newest first, in one query;
// a scene missing is NotFound.
func readLineages(ctx context.Context, q querier, b *recordBatch) error {
	in, args := inList(b.roots, 1)
	rows, err := q.QueryContext(ctx, `WITH RECURSIVE l (root, id, depth) AS (
			SELECT id, id, 0 FROM scenes WHERE id IN (`+in+`)
			UNION ALL
			SELECT l.root, sl.from_scene_id, l.depth + 1 FROM scene_lineage sl JOIN l ON sl.scene_id = l.id WHERE l.depth < $`+fmt.Sprint(len(args)+1)+`
		) SELECT root, id FROM l ORDER BY root, depth`, append(args, maxLineage-1)...)
	if err != nil {
		return err
	}
	defer rows.Close()
	seen := map[int64]bool{}
	for rows.Next() {
		var root, id int64
		if err := rows.Scan(&root, &id); err != nil {
			return err
		}
		r := b.recs[root]
		r.Lineage = append(r.Lineage, id)
		if b.of[root] == nil {
			b.of[root] = map[int64]struct{}{}
		}
		b.of[root][id] = struct{}{}
		if !seen[id] {
			seen[id] = true
			b.all = append(b.all, id)
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for _, id := range b.roots {
		if len(b.recs[id].Lineage) == 0 {
			return closedset.Errorf(closedset.NotFound, "scene %d not found", id)
		}
	}
	return nil
}

// readCasts reads each scene's performers (as ScenePerformers: those who
// play a character present, or whom the IC cast by hand), then the
// riders and latest boundaries of all of them, one query each.
func readCasts(ctx context.Context, q querier, b *recordBatch) error {
	in, args := inList(b.roots, 1)
	present := map[int64][]string{}
	prodOf := map[int64]int64{}
	rows, err := q.QueryContext(ctx, `SELECT sc.id, s.production_id, sc.present FROM scenes sc
		JOIN revisions r ON r.id = sc.revision_id JOIN scripts s ON s.id = r.script_id WHERE sc.id IN (`+in+`)`, args...)
	if err != nil {
		return err
	}
	for rows.Next() {
		var id, prod int64
		var raw string
		if err := rows.Scan(&id, &prod, &raw); err != nil {
			rows.Close()
			return err
		}
		chars, err := scanJSON[[]string]("scene present", raw)
		if err != nil {
			rows.Close()
			return err
		}
		for i, c := range chars {
			chars[i] = strings.ToUpper(c)
		}
		present[id], prodOf[id] = chars, prod
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	choices := map[int64]map[int64]bool{}
	rows, err = q.QueryContext(ctx, `SELECT scene_id, performer_id, in_scene FROM scene_cast WHERE scene_id IN (`+in+`) ORDER BY id`, args...)
	if err != nil {
		return err
	}
	for rows.Next() {
		var scene, performer int64
		var inScene bool
		if err := rows.Scan(&scene, &performer, &inScene); err != nil {
			rows.Close()
			return err
		}
		if choices[scene] == nil {
			choices[scene] = map[int64]bool{}
		}
		choices[scene][performer] = inScene
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	// The performers of the productions of the scenes that have anyone
	// to cast.
	var prods []int64
	for _, id := range b.roots {
		if (len(present[id]) > 0 || len(choices[id]) > 0) && !slices.Contains(prods, prodOf[id]) {
			prods = append(prods, prodOf[id])
		}
	}
	if len(prods) == 0 {
		return nil
	}
	pin, pargs := inList(prods, 1)
	all, err := loadPerformers(ctx, q, `p.production_id IN (`+pin+`)`+onCast, pargs...)
	if err != nil {
		return err
	}
	var castIDs []int64
	for _, id := range b.roots {
		if len(present[id]) == 0 && len(choices[id]) == 0 {
			continue
		}
		var theirs []production.Performer
		for _, p := range all {
			if p.ProductionID == prodOf[id] {
				theirs = append(theirs, p)
			}
		}
		r := b.recs[id]
		r.Cast = applyCast(theirs, present[id], choices[id])
		for _, p := range r.Cast {
			if !slices.Contains(castIDs, p.ID) {
				castIDs = append(castIDs, p.ID)
			}
		}
	}
	if len(castIDs) == 0 {
		return nil
	}
	riders, bounds, err := castRecords(ctx, q, castIDs)
	if err != nil {
		return err
	}
	for _, id := range b.roots {
		r := b.recs[id]
		if len(r.Cast) == 0 {
			continue
		}
		// By performer in the cast's order, each's oldest first, as
		// RidersOf gives them one by one.
		r.Riders = make([]consent.Rider, 0, len(riders))
		r.Boundaries = make(map[int64]ops.SealedBoundaries, len(r.Cast))
		for _, p := range r.Cast {
			for _, ri := range riders {
				if ri.PerformerID == p.ID {
					r.Riders = append(r.Riders, ri)
				}
			}
			if sb, ok := bounds[p.ID]; ok {
				r.Boundaries[p.ID] = sb
			}
		}
	}
	return nil
}

// castRecords reads the riders of the performers, oldest first, and their
// latest sealed boundaries.
func castRecords(ctx context.Context, q querier, ids []int64) ([]consent.Rider, map[int64]ops.SealedBoundaries, error) {
	in, args := inList(ids, 1)
	riders, err := loadRiders(ctx, q, `ri.performer_id IN (`+in+`)`, args...)
	if err != nil {
		return nil, nil, err
	}
	rows, err := q.QueryContext(ctx, `SELECT b.performer_id, b.sealed, b.version FROM boundaries b
		WHERE b.performer_id IN (`+in+`)
		AND b.version = (SELECT MAX(b2.version) FROM boundaries b2 WHERE b2.performer_id = b.performer_id)`, args...)
	if err != nil {
		return nil, nil, fmt.Errorf("boundaries of the cast: %w", err)
	}
	defer rows.Close()
	bounds := make(map[int64]ops.SealedBoundaries, len(ids))
	for rows.Next() {
		var id int64
		var sb ops.SealedBoundaries
		if err := rows.Scan(&id, &sb.Sealed, &sb.Version); err != nil {
			return nil, nil, fmt.Errorf("boundaries of the cast: %w", err)
		}
		bounds[id] = sb
	}
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("boundaries of the cast: %w", err)
	}
	return riders, bounds, nil
}

// newest tells the scenes whose lineage holds scene that its row id is
// their newest so far: set is called for each whose best (by scene) id
// is beaten, in the order the rows come.
func (b *recordBatch) newest(best map[int64]int64, scene, id int64, set func(root int64)) {
	for _, root := range b.roots {
		if id > best[root] && b.in(root, scene) {
			best[root] = id
			set(root)
		}
	}
}

// allIn is an IN list of every scene of the batch's lineages.
func (b *recordBatch) allIn() (string, []any) { return inList(b.all, 1) }

// readCallTimes gives each scene the latest call time set for any scene
// of its lineage.
func readCallTimes(ctx context.Context, q querier, b *recordBatch) error {
	in, args := b.allIn()
	rows, err := q.QueryContext(ctx, `SELECT id, scene_id, call_us FROM call_times
		WHERE id IN (SELECT MAX(id) FROM call_times WHERE scene_id IN (`+in+`) GROUP BY scene_id)`, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	best := map[int64]int64{}
	for rows.Next() {
		var id, scene, us int64
		if err := rows.Scan(&id, &scene, &us); err != nil {
			return err
		}
		b.newest(best, scene, id, func(root int64) {
			at := fromMicros(us)
			b.recs[root].CallTime = &at
		})
	}
	return rows.Err()
}

// readPlans gives each scene its own latest plan version.
func readPlans(ctx context.Context, q querier, b *recordBatch) error {
	in, args := inList(b.roots, 1)
	rows, err := q.QueryContext(ctx, `SELECT p.scene_id, p.version, p.hash, p.content, p.carried_from, p.by_id, p.at_us
		FROM plan_versions p WHERE p.scene_id IN (`+in+`)
		AND p.version = (SELECT MAX(p2.version) FROM plan_versions p2 WHERE p2.scene_id = p.scene_id)`, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var pv consent.PlanVersion
		if err := scanPlan(rows, &pv); err != nil {
			return err
		}
		b.recs[pv.SceneID].Plan = &pv
	}
	return rows.Err()
}

// readConsents gives each scene each performer's latest consent to any
// scene of its lineage, by performer, as Consents does.
func readConsents(ctx context.Context, q querier, b *recordBatch) error {
	in, args := b.allIn()
	all, err := loadConsents(ctx, q, `c.id IN (SELECT MAX(c2.id) FROM consents c2 WHERE c2.scene_id IN (`+in+`)
		GROUP BY c2.scene_id, c2.performer_id)`, args...)
	if err != nil {
		return err
	}
	for _, root := range b.roots {
		best := map[int64]int64{} // by performer
		for _, c := range all {
			if b.in(root, c.SceneID) && c.ID > best[c.PerformerID] {
				best[c.PerformerID] = c.ID
			}
		}
		r := b.recs[root]
		for _, c := range all {
			if best[c.PerformerID] == c.ID {
				r.Consents = append(r.Consents, c)
			}
		}
	}
	return nil
}

// readSafeguards gives each scene the guardians (the latest per
// performer) and studio teacher named for any scene of its lineage.
func readSafeguards(ctx context.Context, q querier, b *recordBatch) error {
	in, args := b.allIn()
	rows, err := q.QueryContext(ctx, `SELECT id, scene_id, performer_id, name, by_id, at_us FROM guardians
		WHERE id IN (SELECT MAX(id) FROM guardians WHERE scene_id IN (`+in+`) GROUP BY scene_id, performer_id)
		ORDER BY performer_id, id`, args...)
	if err != nil {
		return err
	}
	type named struct {
		id, scene int64
		g         consent.Guardian
	}
	var all []named
	for rows.Next() {
		var n named
		var at int64
		if err := rows.Scan(&n.id, &n.scene, &n.g.PerformerID, &n.g.Name, &n.g.By, &at); err != nil {
			rows.Close()
			return err
		}
		n.g.At = fromMicros(at)
		all = append(all, n)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, root := range b.roots {
		best := map[int64]int64{} // by performer
		for _, n := range all {
			if b.in(root, n.scene) && n.id > best[n.g.PerformerID] {
				best[n.g.PerformerID] = n.id
			}
		}
		sg := &b.recs[root].Safeguards
		sg.SceneID = root
		for _, n := range all {
			if best[n.g.PerformerID] == n.id {
				sg.Guardians = append(sg.Guardians, n.g)
			}
		}
	}
	rows, err = q.QueryContext(ctx, `SELECT id, scene_id, name FROM studio_teachers
		WHERE id IN (SELECT MAX(id) FROM studio_teachers WHERE scene_id IN (`+in+`) GROUP BY scene_id)`, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	best := map[int64]int64{}
	for rows.Next() {
		var id, scene int64
		var name string
		if err := rows.Scan(&id, &scene, &name); err != nil {
			return err
		}
		b.newest(best, scene, id, func(root int64) { b.recs[root].Safeguards.StudioTeacher = name })
	}
	return rows.Err()
}

// readRequests gives each scene the department requests raised for any
// scene of its lineage, by due time.
func readRequests(ctx context.Context, q querier, b *recordBatch) error {
	in, args := b.allIn()
	all, err := loadRequests(ctx, q, `r.scene_id IN (`+in+`)`, args...)
	if err != nil {
		return err
	}
	for _, root := range b.roots {
		r := b.recs[root]
		for _, dr := range all {
			if b.in(root, dr.SceneID) {
				r.Requests = append(r.Requests, dr)
			}
		}
	}
	return nil
}

// readClosedSets gives each scene the latest closed-set list of its
// lineage (the highest version, then the newest), with its approvals.
func readClosedSets(ctx context.Context, q querier, b *recordBatch) error {
	in, args := b.allIn()
	rows, err := q.QueryContext(ctx, `SELECT id, scene_id, version, hash, content, by_id, at_us FROM (
			SELECT id, scene_id, version, hash, content, by_id, at_us,
			ROW_NUMBER() OVER (PARTITION BY scene_id ORDER BY version DESC, id DESC) AS n
			FROM closed_set_versions WHERE scene_id IN (`+in+`)) v WHERE n = 1`, args...)
	if err != nil {
		return err
	}
	type stored struct {
		id int64
		v  production.ClosedSetVersion
	}
	var all []stored
	for rows.Next() {
		var st stored
		var at int64
		var content string
		if err := rows.Scan(&st.id, &st.v.SceneID, &st.v.Version, &st.v.Hash, &content, &st.v.By, &at); err != nil {
			rows.Close()
			return err
		}
		st.v.At = fromMicros(at)
		if st.v.List, err = scanJSON[production.ClosedSet]("closed-set list", content); err != nil {
			rows.Close()
			return err
		}
		all = append(all, st)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	chosen := map[int64]int{} // root -> index in all
	var vids []int64
	for _, root := range b.roots {
		best := -1
		for i, st := range all {
			if !b.in(root, st.v.SceneID) {
				continue
			}
			if best < 0 || st.v.Version > all[best].v.Version || st.v.Version == all[best].v.Version && st.id > all[best].id {
				best = i
			}
		}
		if best >= 0 {
			chosen[root] = best
			if !slices.Contains(vids, all[best].id) {
				vids = append(vids, all[best].id)
			}
		}
	}
	if len(vids) == 0 {
		return nil
	}
	vin, vargs := inList(vids, 1)
	rows, err = q.QueryContext(ctx, `SELECT a.version_id, a.role, a.by_id, u.name, a.at_us FROM closed_set_approvals a
		JOIN users u ON u.id = a.by_id WHERE a.version_id IN (`+vin+`) ORDER BY a.id`, vargs...)
	if err != nil {
		return err
	}
	defer rows.Close()
	approvals := map[int64][]production.ClosedSetApproval{}
	for rows.Next() {
		var vid, at int64
		var a production.ClosedSetApproval
		var role string
		if err := rows.Scan(&vid, &role, &a.By, &a.ByName, &at); err != nil {
			return err
		}
		a.Role, a.At = auth.Role(role), fromMicros(at)
		approvals[vid] = append(approvals[vid], a)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for root, i := range chosen {
		v := all[i].v // each scene its own copy
		for _, a := range approvals[all[i].id] {
			a.Version = v.Version
			v.Approvals = append(v.Approvals, a)
		}
		b.recs[root].ClosedSet = &v
	}
	return nil
}

// readPauses gives each scene its own pauses.
func readPauses(ctx context.Context, q querier, b *recordBatch) error {
	all, err := loadPauses(ctx, q, b.roots)
	if err != nil {
		return err
	}
	for _, p := range all {
		r := b.recs[p.SceneID]
		r.Pauses = append(r.Pauses, p)
	}
	return nil
}

// ProductionRecords reads what readiness looks at of a production in one
// read transaction, kept like SceneRecords until the head moves.
func (s *SQL) ProductionRecords(ctx context.Context, productionID int64) (ops.ProductionRecords, error) {
	return readCached(ctx, s, s.prods, productionID, nil, func(tx *sql.Tx) (ops.ProductionRecords, error) {
		return productionRecords(ctx, tx, productionID)
	})
}

// readCached reads key's value in one read transaction: from c when it
// was kept at the head read in the same snapshot, else with read, and
// keeps it then (when keep, if set, says so). Inside a write transaction
// nothing is kept or served: its head may never be committed.
func readCached[K comparable, V any](ctx context.Context, s *SQL, c *headCache[K, V], key K, keep func(V) bool, read func(*sql.Tx) (V, error)) (V, error) {
	var out V
	err := s.readTx(ctx, func(tx *sql.Tx) error {
		cache := s.tx == nil
		var head int64
		if cache {
			var err error
			if head, err = headIn(ctx, tx); err != nil {
				return err
			}
			var ok bool
			if out, ok = c.get(key, head); ok {
				return nil
			}
		}
		var err error
		if out, err = read(tx); err != nil {
			return err
		}
		if cache && (keep == nil || keep(out)) {
			c.put(key, head, out)
		}
		return nil
	})
	return out, err
}

func productionRecords(ctx context.Context, q querier, productionID int64) (ops.ProductionRecords, error) {
	var r ops.ProductionRecords
	var err error
	if r.Production, err = productionByID(ctx, q, productionID); err != nil {
		return r, err
	}
	if content, ok, err := policyOf(ctx, q, productionID); err != nil {
		return r, err
	} else if ok {
		r.Policy = content
	}
	uid, ok, err := icOfRecord(ctx, q, productionID)
	if err != nil || !ok {
		return r, err
	}
	l := &ops.LeadRecords{}
	if l.User, err = userByID(ctx, q, uid); err != nil {
		return r, err
	}
	if l.Profile, _, err = icProfile(ctx, q, uid); closedset.Is(err, closedset.NotFound) {
		l.Profile = nil
	} else if err != nil {
		return r, err
	} else if l.Profile == nil {
		l.Profile = []byte{} // kept, if empty
	}
	if l.SignOffs, err = signOffs(ctx, q, uid); err != nil {
		return r, err
	}
	if l.WorkedDays, err = workedDays(ctx, q, uid); err != nil {
		return r, err
	}
	r.Lead = l
	return r, nil
}
