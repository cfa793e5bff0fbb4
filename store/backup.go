package store

import (
	"bufio"
	"bytes"
	"closedset"
	"compress/gzip"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"strings"

	"closedset/audit"
	"closedset/seal"
)

// The backup format, the same for every backend (a SQLite backup restores
// into PostgreSQL): gzip'd JSON lines.
//
//	{"closedset_backup":2,"schema":11,"key":"1a2b3c4d5e6f7a8b"}
//	{"table":"audit_events","row":{"seq":1,"at_us":...,"hash":"..."}}
//	... every row of every table, tables in backupTables order ...
//	{"closedset_backup_end":{"rows":1234,"audit":{"count":40,"hash":"..."}}}
//	{"closedset_backup_mac":"..."}
//
// Bytes are base64, times microseconds since 1970 UTC, as in the schema.
// The audit chain comes first, so that Restore has verified it before it
// writes any other row; the other tables follow in the order of their
// foreign keys. The end line counts the rows and carries the chain's
// anchor (its count and last hash) as the database held it. The last line
// is an HMAC-SHA-256, under the backup key, of every line before it
// (newlines included): a cut or edited file is refused even when it is
// still valid gzip, and a file edited and re-hashed by someone without the
// key is refused too, since an unkeyed checksum anyone can recompute. The
// header names the key by its id (seal.Key.ID: the first 8 bytes of its
// SHA-256, in hex), so that a restore with another key says which key it
// needs.
const (
	backupVersion = 2
	// maxBackupLine bounds one line of a backup: a row with the largest
	// original file the store keeps, in base64, fits.
	maxBackupLine = 64 << 20
)

type colKind int

const (
	kInt colKind = iota
	kText
	kBool
	kBlob
	kFloat
)

type column struct {
	name string
	kind colKind
}

// backupTable is one table as Backup writes it and Restore reads it.
type backupTable struct {
	name  string
	order string // ORDER BY, for a stable file
	ids   bool   // has an id column the database numbers
	cols  []column
}

func cols(spec string) []column {
	kinds := map[string]colKind{"int": kInt, "text": kText, "bool": kBool, "blob": kBlob, "float": kFloat}
	var out []column
	for _, f := range strings.Fields(spec) {
		name, kind, _ := strings.Cut(f, ":")
		out = append(out, column{name, kinds[kind]})
	}
	return out
}

// backupTables lists every table of the schema (but schema_migrations,
// audit_head and ledger_binding, which Restore derives) in the order Restore writes them.
// The alert outbox and its scan keys (alert_outbox, alert_scans) are left
// out on purpose: they are deliveries in flight, not records. A restored
// outbox would send days-old news ("consent changed") to people who long
// had it, and a queued invitation's body holds its one-time link, a
// secret no backup should carry; a restored server's periodic scan
// queues the time-based alerts still due afresh.
var backupTables = []backupTable{
	{"audit_events", "seq", false, cols("seq:int at_us:int actor_id:int actor_name:text action:text object:text digest:text prev_hash:text hash:text bound_rows:text")},
	{"users", "id", true, cols("id:int email:text name:text password_hash:text admin:bool created_us:int disabled:bool trainer:bool")},
	{"sessions", "hash", false, cols("hash:blob user_id:int created_us:int expires_us:int")},
	{"api_tokens", "id", true, cols("id:int user_id:int name:text hash:blob created_us:int expires_us:int")},
	{"token_uses", "token_id", false, cols("token_id:int used_us:int")},
	{"calendar_feeds", "id", true, cols("id:int user_id:int name:text hash:blob created_us:int")},
	{"productions", "id", true, cols("id:int title:text policy:text time_zone:text created_by:int created_us:int")},
	{"production_policies", "id", true, cols("id:int production_id:int content:text by_id:int at_us:int")},
	{"members", "production_id, user_id, role", false, cols("production_id:int user_id:int role:text added_us:int")},
	{"invitations", "id", true, cols("id:int production_id:int email:text role:text hash:blob invited_by:int created_us:int expires_us:int accepted_us:int accepted_by:int revoked_us:int revoked_by:int")},
	{"scripts", "id", true, cols("id:int production_id:int title:text created_us:int")},
	{"revisions", "id", true, cols("id:int script_id:int seq:int title:text filename:text format:text colour:text draft_date:text sha256:text size:int uploaded_by:int uploaded_us:int scene_count:int flagged_count:int")},
	{"revision_files", "revision_id", false, cols("revision_id:int data:blob")},
	{"scenes", "id", true, cols("id:int revision_id:int idx:int number:text heading:text line:int page:int eighths:int characters:text present:text text:text text_hash:text needs_ic:bool")},
	{"flags", "id", true, cols("id:int scene_id:int idx:int category:text level:text kind:text areas:text confidence:float evidence:text characters:text situation:text")},
	{"flag_reviews", "id", true, cols("id:int flag_id:int decision:text note:text by_id:int by_name:text at_us:int carried_from_seq:int")},
	{"performers", "id", true, cols("id:int production_id:int user_id:int name:text email:text phone:text date_of_birth:text representative:text created_by:int created_us:int removed_us:int")},
	{"performer_characters", "performer_id, idx", false, cols("performer_id:int idx:int name:text")},
	{"boundaries", "id", true, cols("id:int performer_id:int version:int sealed:blob by_id:int at_us:int")},
	{"scene_lineage", "scene_id", false, cols("scene_id:int from_scene_id:int by_id:int at_us:int")},
	{"scene_cast", "id", true, cols("id:int scene_id:int performer_id:int in_scene:bool by_id:int at_us:int")},
	{"call_times", "id", true, cols("id:int scene_id:int call_us:int by_id:int at_us:int")},
	{"plan_versions", "id", true, cols("id:int scene_id:int version:int hash:text content:blob carried_from:int by_id:int at_us:int")},
	{"riders", "id", true, cols("id:int production_id:int performer_id:int digest:text content:blob issued_by:int delivered_us:int")},
	{"rider_scenes", "rider_id, idx", false, cols("rider_id:int idx:int scene_id:int plan_version:int plan_hash:text scene_text_hash:text")},
	{"rider_signatures", "rider_id", false, cols("rider_id:int user_id:int typed_name:text ip:text user_agent:text digest:text signed_us:int")},
	{"consents", "id", true, cols("id:int performer_id:int scene_id:int rider_id:int kind:text plan_hash:text scene_text_hash:text by_id:int given_us:int")},
	{"withdrawals", "id", true, cols("id:int consent_id:int scene_id:int performer_id:int on_behalf:bool by_id:int at_us:int")},
	{"withdrawal_reasons", "withdrawal_id", false, cols("withdrawal_id:int sealed:blob")},
	{"guardians", "id", true, cols("id:int scene_id:int performer_id:int name:text by_id:int at_us:int")},
	{"studio_teachers", "id", true, cols("id:int scene_id:int name:text by_id:int at_us:int")},
	{"seal_key", "id", false, cols("id:int key_id:text at_us:int")},
	{"department_requests", "id", true, cols("id:int production_id:int scene_id:int department:text text:text due_us:int performer_id:int by_id:int at_us:int")},
	{"request_states", "id", true, cols("id:int request_id:int state:text note:text by_id:int at_us:int")},
	{"shoot_days", "id", true, cols("id:int production_id:int day:text by_id:int at_us:int")},
	{"shoot_day_versions", "id", true, cols("id:int day_id:int version:int by_id:int at_us:int")},
	{"shoot_day_scenes", "version_id, idx", false, cols("version_id:int idx:int scene_id:int")},
	{"closed_set_versions", "id", true, cols("id:int scene_id:int version:int hash:text content:text by_id:int at_us:int")},
	{"closed_set_approvals", "id", true, cols("id:int version_id:int role:text by_id:int at_us:int")},
	{"rehearsals", "id", true, cols("id:int scene_id:int walked:text changes:text plan_version:int by_id:int at_us:int")},
	{"rehearsal_people", "rehearsal_id, idx", false, cols("rehearsal_id:int idx:int performer_id:int name:text role:text")},
	{"takes", "id", true, cols("id:int scene_id:int number:int plan_hash:text by_id:int at_us:int")},
	{"take_performers", "take_id, performer_id", false, cols("take_id:int performer_id:int")},
	{"check_ins", "id", true, cols("id:int take_id:int performer_id:int answer:text on_behalf:bool by_id:int at_us:int")},
	{"scene_pauses", "id", true, cols("id:int scene_id:int take_id:int performer_id:int by_id:int at_us:int")},
	{"scene_resumes", "id", true, cols("id:int scene_id:int through_pause_id:int by_id:int at_us:int")},
	{"deviations", "id", true, cols("id:int take_id:int text:text agreed_by:text incident:bool by_id:int at_us:int")},
	{"step_outs", "id", true, cols("id:int scene_id:int performer_id:int by_id:int at_us:int")},
	{"debriefs", "id", true, cols("id:int scene_id:int performer_id:int sealed:blob follow_up:bool by_id:int at_us:int")},
	{"crew_debriefs", "id", true, cols("id:int scene_id:int held_by:text held_us:int notes:text by_id:int at_us:int")},
	{"day_reports", "id", true, cols("id:int production_id:int shoot_day_id:int version:int content:blob hash:text signed_by:int signed_us:int")},
	// The IC's own record (migration 16).
	{"ic_profiles", "id", true, cols("id:int user_id:int version:int content:blob by_id:int at_us:int")},
	{"proof_files", "id", true, cols("id:int user_id:int name:text media_type:text size:int sealed:blob by_id:int at_us:int")},
	{"proof_shares", "id", true, cols("id:int user_id:int production_id:int shared:bool by_id:int at_us:int")},
	{"stage_signoffs", "id", true, cols("id:int user_id:int stage:text note:text by_id:int at_us:int")},
	{"ic_of_record", "id", true, cols("id:int production_id:int user_id:int by_id:int at_us:int")},
	// Alerts (migration 18): each user's channels and push subscriptions.
	{"alert_prefs", "user_id", false, cols("user_id:int email:bool push:bool at_us:int")},
	{"push_subscriptions", "id", true, cols("id:int user_id:int endpoint:text p256dh:text auth:text at_us:int")},
}

func (t backupTable) columnList() string {
	names := make([]string, len(t.cols))
	for i, c := range t.cols {
		names[i] = c.name
	}
	return strings.Join(names, ", ")
}

type backupHeader struct {
	Version int    `json:"closedset_backup"`
	Schema  int    `json:"schema"`
	Key     string `json:"key"`
}

type backupAnchor struct {
	Count int64  `json:"count"`
	Hash  string `json:"hash"`
}

type backupEnd struct {
	End *struct {
		Rows  int64         `json:"rows"`
		Audit *backupAnchor `json:"audit"`
	} `json:"closedset_backup_end"`
}

// ErrBackupKey is wrapped by Restore's error for a backup made with
// another key than the one given, or when none was given.
var ErrBackupKey = errors.New("store: the backup needs another backup key")

type backupMAC struct {
	MAC string `json:"closedset_backup_mac"`
}

// Backup writes every table to w in one read transaction: a consistent
// snapshot, taken while the store keeps serving (readers and writers are
// not blocked). key is the backup key the file is authenticated with
// (HMAC-SHA-256); the store keeps no key, the caller brings it.
func (s *SQL) Backup(ctx context.Context, w io.Writer, key seal.Key) error {
	if s.tx != nil {
		return errors.New("store: backup inside a write transaction")
	}
	if key == (seal.Key{}) {
		return errors.New("store: backup without a backup key")
	}
	zw := gzip.NewWriter(w)
	mac := hmac.New(sha256.New, key[:])
	bw := bufio.NewWriterSize(io.MultiWriter(zw, mac), 1<<16)
	var rows int64
	var anchor backupAnchor
	err := s.readTx(ctx, func(tx *sql.Tx) error {
		head, _ := json.Marshal(backupHeader{Version: backupVersion, Schema: SchemaVersion(), Key: key.ID()})
		bw.Write(append(head, '\n'))
		for _, t := range backupTables {
			n, err := backupRows(ctx, tx, t, bw)
			if err != nil {
				return fmt.Errorf("store: backup of %s: %w", t.name, err)
			}
			rows += n
		}
		// The anchor as the database keeps it, in the same snapshot: a
		// restore checks the chain it loads against it.
		if err := tx.QueryRowContext(ctx, `SELECT seq, hash FROM audit_head WHERE id = 1`).Scan(&anchor.Count, &anchor.Hash); err != nil {
			return fmt.Errorf("store: backup of the audit head: %w", err)
		}
		return nil
	})
	if err != nil {
		return err
	}
	end, _ := json.Marshal(map[string]any{"closedset_backup_end": map[string]any{"rows": rows, "audit": anchor}})
	bw.Write(append(end, '\n'))
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("store: backup: %w", err)
	}
	fmt.Fprintf(zw, `{"closedset_backup_mac":"%s"}`+"\n", hex.EncodeToString(mac.Sum(nil)))
	if err := zw.Close(); err != nil {
		return fmt.Errorf("store: backup: %w", err)
	}
	return nil
}

func backupRows(ctx context.Context, tx *sql.Tx, t backupTable, w *bufio.Writer) (int64, error) {
	rows, err := tx.QueryContext(ctx, `SELECT `+t.columnList()+` FROM `+t.name+` ORDER BY `+t.order)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	vals := make([]any, len(t.cols))
	for i, c := range t.cols {
		vals[i] = newValue(c.kind)
	}
	var n int64
	var line []byte
	for rows.Next() {
		if err := rows.Scan(vals...); err != nil {
			return n, err
		}
		line = append(line[:0], `{"table":"`+t.name+`","row":`...)
		if line, err = appendRowJSON(line, t, vals); err != nil {
			return n, err
		}
		if _, err := w.Write(append(line, "}\n"...)); err != nil {
			return n, err
		}
		n++
	}
	return n, rows.Err()
}

// appendRowJSON appends a row's columns as a backup line's row object:
// {"col":value,...} in the table's column order. vals hold the values or
// pointers to them, of each column's kind. The same bytes on every backend:
// a ledger row's hash is of them too.
func appendRowJSON(b []byte, t backupTable, vals []any) ([]byte, error) {
	b = append(b, '{')
	for i, c := range t.cols {
		if i > 0 {
			b = append(b, ',')
		}
		v, err := json.Marshal(vals[i])
		if err != nil {
			return b, fmt.Errorf("column %s: %w", c.name, err)
		}
		b = append(b, `"`+c.name+`":`...)
		b = append(b, v...)
	}
	return append(b, '}'), nil
}

// deref returns the value a newValue pointer holds.
func deref(p any) any {
	switch v := p.(type) {
	case *int64:
		return *v
	case *string:
		return *v
	case *bool:
		return *v
	case *[]byte:
		return *v
	case *float64:
		return *v
	}
	return p
}

// newValue returns a pointer to hold a column of the kind, for Scan and
// json.Unmarshal alike.
func newValue(k colKind) any {
	switch k {
	case kInt:
		return new(int64)
	case kText:
		return new(string)
	case kBool:
		return new(bool)
	case kBlob:
		return new([]byte)
	default:
		return new(float64)
	}
}

// Restore loads a backup into this store, which must be empty. It reads
// the whole backup in one write transaction and commits only at its end,
// after the MAC under key, the row count and the audit anchor match: on
// any error nothing is written. A backup made with another key is refused
// at its header, naming the id of the key it needs; one whose MAC fails
// (changed after it was made, or re-hashed by someone without the key) is
// refused at its end. The audit chain, first in the file, is verified
// (audit.Verifier) before any other row is written, and must end at the
// anchor the backup carries. Ids are kept as they were.
//
// Restore writes no event of its own: the restored chain is the backup's,
// whose anchor (audit.Verify) matches the one taken from the original.
func (s *SQL) Restore(ctx context.Context, r io.Reader, key seal.Key) error {
	if s.tx != nil {
		return errors.New("store: restore inside a write transaction")
	}
	zr, err := gzip.NewReader(r)
	if err != nil {
		return closedset.Errorf(closedset.Invalid, "restore: not a closedset backup (not gzip: %v)", err)
	}
	rd := &backupReader{sc: bufio.NewScanner(zr), key: key, h: hmac.New(sha256.New, key[:])}
	rd.sc.Buffer(make([]byte, 0, 1<<16), maxBackupLine)
	if err := rd.header(); err != nil {
		return err
	}
	tx, _, end, err := s.beginWrite(ctx)
	if err != nil {
		return fmt.Errorf("store: restore: %w", err)
	}
	defer end()
	var users, events int64
	if err := tx.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM users), (SELECT COUNT(*) FROM audit_events)`).Scan(&users, &events); err != nil {
		return fmt.Errorf("store: restore: %w", err)
	}
	if users > 0 || events > 0 {
		return closedset.Errorf(closedset.Conflict, "restore: this store is not empty (%d users, %d audit events): restore only into a new database", users, events)
	}
	head, err := rd.rows(ctx, tx)
	if err != nil {
		return err
	}
	if err := setHead(ctx, tx, head.Count, head.Hash); err != nil {
		return err
	}
	if s.d.ResetID != "" {
		for _, t := range backupTables {
			if t.ids {
				if _, err := tx.ExecContext(ctx, fmt.Sprintf(s.d.ResetID, t.name)); err != nil {
					return fmt.Errorf("store: restore: renumbering %s: %w", t.name, err)
				}
			}
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store: restore: commit: %w", err)
	}
	return nil
}

// backupReader reads a backup line by line, hashing what it reads with
// the backup key.
type backupReader struct {
	sc   *bufio.Scanner
	key  seal.Key
	h    hash.Hash
	line int
}

func (b *backupReader) errorf(format string, args ...any) error {
	return closedset.Errorf(closedset.Invalid, "restore: backup line %d: %s", b.line, fmt.Sprintf(format, args...))
}

// next returns the next line, or nil at the end of the file.
func (b *backupReader) next() ([]byte, error) {
	if !b.sc.Scan() {
		err := b.sc.Err()
		b.line++
		switch {
		case errors.Is(err, bufio.ErrTooLong):
			return nil, b.errorf("longer than %d bytes", maxBackupLine)
		case err != nil:
			return nil, b.errorf("%v", err)
		}
		return nil, nil
	}
	b.line++
	return b.sc.Bytes(), nil
}

func (b *backupReader) hashLine(l []byte) {
	b.h.Write(l)
	b.h.Write([]byte{'\n'})
}

func (b *backupReader) header() error {
	l, err := b.next()
	if err != nil {
		return err
	}
	var h backupHeader
	if err := strictJSON(l, &h); err != nil || h.Version == 0 {
		return b.errorf("not a closedset backup header")
	}
	if h.Version != backupVersion {
		return b.errorf("backup format %d, this closedset reads format %d", h.Version, backupVersion)
	}
	if h.Schema != SchemaVersion() {
		return b.errorf("the backup has schema %d, this closedset schema %d: restore with the closedset that made it", h.Schema, SchemaVersion())
	}
	var kerr *closedset.Error
	switch {
	case b.key == (seal.Key{}):
		kerr = closedset.Errorf(closedset.Invalid, "restore: the backup was made with backup key %s, and no backup key was given: restore with that key", h.Key)
	case h.Key != b.key.ID():
		kerr = closedset.Errorf(closedset.Invalid, "restore: the backup was made with backup key %s, not with the key given (%s): restore with key %s", h.Key, b.key.ID(), h.Key)
	}
	if kerr != nil {
		kerr.Err = ErrBackupKey
		return kerr
	}
	b.hashLine(l)
	return nil
}

type backupLine struct {
	Table string                     `json:"table"`
	Row   map[string]json.RawMessage `json:"row"`
}

// rows inserts every row of the backup up to its last line, and returns
// the head of the verified audit chain.
func (b *backupReader) rows(ctx context.Context, tx *sql.Tx) (audit.Anchor, error) {
	var chain audit.Verifier
	stmts := map[string]*sql.Stmt{}
	defer func() {
		for _, st := range stmts {
			st.Close()
		}
	}()
	current, verified := 0, false
	var n int64
	for {
		l, err := b.next()
		if err != nil {
			return audit.Anchor{}, err
		}
		if l == nil {
			return audit.Anchor{}, b.errorf("the backup ends without its last line: it was cut short")
		}
		if bytes.HasPrefix(l, []byte(`{"closedset_backup_end"`)) {
			return b.end(l, n, &chain)
		}
		if bytes.HasPrefix(l, []byte(`{"closedset_backup_mac"`)) {
			return audit.Anchor{}, b.errorf("the backup has a MAC line but no end line")
		}
		b.hashLine(l)
		var bl backupLine
		if err := strictJSON(l, &bl); err != nil {
			return audit.Anchor{}, b.errorf("%v", err)
		}
		ti := tableIndex(bl.Table)
		if ti < 0 {
			return audit.Anchor{}, b.errorf("unknown table %q", bl.Table)
		}
		if ti < current {
			return audit.Anchor{}, b.errorf("table %s after %s: tables are out of order", bl.Table, backupTables[current].name)
		}
		current = ti
		t := backupTables[ti]
		if ti > 0 && !verified {
			if _, err := chain.Finish(); err != nil {
				return audit.Anchor{}, b.errorf("the audit chain does not verify: %v", err)
			}
			verified = true
		}
		vals, err := rowValues(t, bl.Row)
		if err != nil {
			return audit.Anchor{}, b.errorf("%s: %v", t.name, err)
		}
		if ti == 0 {
			e, err := eventOf(vals)
			if err != nil {
				return audit.Anchor{}, b.errorf("the audit chain does not verify: %v", err)
			}
			if err := chain.Add(e); err != nil {
				return audit.Anchor{}, b.errorf("the audit chain does not verify: %v", err)
			}
		}
		st := stmts[t.name]
		if st == nil {
			ph := make([]string, len(t.cols))
			for i := range ph {
				ph[i] = fmt.Sprintf("$%d", i+1)
			}
			st, err = tx.PrepareContext(ctx, `INSERT INTO `+t.name+` (`+t.columnList()+`) VALUES (`+strings.Join(ph, ", ")+`)`)
			if err != nil {
				return audit.Anchor{}, fmt.Errorf("store: restore %s: %w", t.name, err)
			}
			stmts[t.name] = st
		}
		if _, err := st.ExecContext(ctx, vals...); err != nil {
			return audit.Anchor{}, b.errorf("%s: %v", t.name, err)
		}
		n++
	}
}

// end checks the end line and the MAC line after it against what was
// read, and that nothing follows them. The MAC is checked first: a file
// changed by someone without the key is reported as such, whatever else
// in it no longer adds up.
func (b *backupReader) end(l []byte, n int64, chain *audit.Verifier) (audit.Anchor, error) {
	b.hashLine(l)
	want := b.h.Sum(nil)
	ml, err := b.next()
	if err != nil {
		return audit.Anchor{}, err
	}
	var m backupMAC
	if ml == nil || strictJSON(ml, &m) != nil || m.MAC == "" {
		return audit.Anchor{}, b.errorf("the backup ends without its MAC line: it was cut short")
	}
	if got, err := hex.DecodeString(m.MAC); err != nil || !hmac.Equal(got, want) {
		return audit.Anchor{}, closedset.Errorf(closedset.Invalid, "restore: the backup does not verify under backup key %s: it was changed after it was made, or it was not made by closedset with that key", b.key.ID())
	}
	var e backupEnd
	if err := strictJSON(l, &e); err != nil || e.End == nil || e.End.Audit == nil {
		return audit.Anchor{}, b.errorf("not a valid end line")
	}
	if e.End.Rows != n {
		return audit.Anchor{}, b.errorf("the backup counts %d rows but holds %d", e.End.Rows, n)
	}
	if more, err := b.next(); err != nil {
		return audit.Anchor{}, err
	} else if more != nil {
		return audit.Anchor{}, b.errorf("data after the last line")
	}
	// Finish again is harmless when the chain was verified at the end of
	// its table; here it covers a backup of audit events alone.
	head, err := chain.Finish()
	if err != nil {
		return audit.Anchor{}, b.errorf("the audit chain does not verify: %v", err)
	}
	if anchor := (audit.Anchor{Count: e.End.Audit.Count, Hash: e.End.Audit.Hash}); head != anchor {
		return audit.Anchor{}, b.errorf("the audit chain ends at event %d (hash %.12s) but the backup's anchor is event %d (hash %.12s): the chain was cut or rewritten", head.Count, head.Hash, anchor.Count, anchor.Hash)
	}
	return head, nil
}

func tableIndex(name string) int {
	for i, t := range backupTables {
		if t.name == name {
			return i
		}
	}
	return -1
}

// rowValues decodes a row's columns, each of its kind: every column of
// the table, no other, none null.
func rowValues(t backupTable, row map[string]json.RawMessage) ([]any, error) {
	if len(row) != len(t.cols) {
		return nil, fmt.Errorf("the row has %d columns, want %d (%s)", len(row), len(t.cols), t.columnList())
	}
	vals := make([]any, len(t.cols))
	for i, c := range t.cols {
		raw, ok := row[c.name]
		if !ok {
			return nil, fmt.Errorf("column %s is missing", c.name)
		}
		if bytes.Equal(bytes.TrimSpace(raw), []byte("null")) {
			return nil, fmt.Errorf("column %s is null", c.name)
		}
		p := newValue(c.kind)
		if err := json.Unmarshal(raw, p); err != nil {
			return nil, fmt.Errorf("column %s: %v", c.name, err)
		}
		vals[i] = deref(p)
	}
	return vals, nil
}

// eventOf makes an audit event of an audit_events row's values, in the
// order of backupTables[0].
func eventOf(v []any) (audit.Event, error) {
	rows, err := audit.ParseRows(v[9].(string))
	return audit.Event{
		Seq: v[0].(int64), At: fromMicros(v[1].(int64)),
		Actor:  audit.Actor{ID: v[2].(int64), Name: v[3].(string)},
		Action: v[4].(string), Object: v[5].(string), Digest: v[6].(string),
		PrevHash: v[7].(string), Hash: v[8].(string), Rows: rows,
	}, err
}

// strictJSON decodes one JSON value that must fill v exactly: no unknown
// fields, nothing after it.
func strictJSON(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return errors.New("more than one JSON value on the line")
	}
	return nil
}
