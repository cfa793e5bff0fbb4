package storetest

import (
	"bytes"
	"closedset"
	"compress/gzip"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"closedset/auth"
	"closedset/ops"
	"closedset/production"
	"closedset/seal"
)

// fixture is a store filled with a little of everything.
type fixture struct {
	users     []auth.User
	p         production.Production
	revisions []production.Revision
	token     []byte
	session   []byte
	ledger    ledgerFixture
}

// ledgerFixture is the consent ledger's part of a fixture.
type ledgerFixture struct {
	performers []production.Performer
	scenes     []int64 // scenes with plans: the first draft's, then the one carried to
	riders     []int64
	withdrawal int64
	sealed     []byte
	requests   []int64
	day        int64
}

// Populate fills s with users, a session, a token, a production with
// members, two scripts (one revised) and reviews.
func populate(t testing.TB, s ops.Store) fixture {
	t.Helper()
	ctx := context.Background()
	h, h2 := LoadHarbor(t), harborRevised(t)
	var fx fixture
	pat := addUser(t, s, "pat@example.com", "Pat")
	ida := addUser(t, s, "ida@example.com", "Ida")
	fx.users = []auth.User{pat, ida}
	fx.p = addProduction(t, s, pat, "Harbor Lights")
	for _, r := range []auth.Role{auth.IC, auth.Performer} {
		if _, err := s.AddMember(ctx, pat.Actor(), fx.p.ID, ida.ID, r); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.SetPolicy(ctx, pat.Actor(), fx.p.ID, []byte(`{"name":"sag_aftra","notice_hours":72}`)); err != nil {
		t.Fatal(err)
	}
	fx.token, fx.session = []byte("token-hash-000000000000000000000"), []byte("session-hash-0000000000000000000")
	tok, err := s.CreateToken(ctx, ida.Actor(), auth.TokenRecord{UserID: ida.ID, Name: "laptop", Hash: fx.token, Expires: time.Now().Add(1000 * 24 * time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.NoteTokenUse(ctx, tok.ID, t0.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateSession(ctx, auth.Session{Hash: fx.session, UserID: ida.ID, Created: t0, Expires: t0.Add(24 * time.Hour)}); err != nil {
		t.Fatal(err)
	}
	for _, nr := range []production.NewRevision{NewRevision(h, fx.p.ID, 0), NewRevision(h, fx.p.ID, 0)} {
		r, err := s.AddRevision(ctx, pat.Actor(), nr)
		if err != nil {
			t.Fatal(err)
		}
		fx.revisions = append(fx.revisions, r)
	}
	r, err := s.AddRevision(ctx, pat.Actor(), NewRevision(h2, fx.p.ID, fx.revisions[0].ScriptID))
	if err != nil {
		t.Fatal(err)
	}
	fx.revisions = append(fx.revisions, r)
	scenes, err := s.CurrentScenes(ctx, fx.p.ID)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, sc := range scenes {
		for _, f := range sc.Flags {
			d := production.Confirmed
			if n%2 == 1 {
				d = production.Dismissed
			}
			if _, err := s.ReviewFlag(ctx, ida.Actor(), f.ID, d, fmt.Sprintf("review %d", n)); err != nil {
				t.Fatal(err)
			}
			n++
		}
	}
	fx.ledger = populateLedger(t, s, fx)
	populateShoot(t, s, fx)
	// People: a pending invitation and a disabled account.
	if _, err := s.CreateInvitation(ctx, pat.Actor(), production.NewInvitation{ProductionID: fx.p.ID, Email: "invitee@example.com",
		Role: auth.Director, Hash: []byte("invitation-hash-0000000000000000"), Expires: time.Now().Add(production.InvitationLifetime)}); err != nil {
		t.Fatal(err)
	}
	gone := addUser(t, s, "gone@example.com", "Gone")
	if err := s.SetUserDisabled(ctx, pat.Actor(), gone.ID, true); err != nil {
		t.Fatal(err)
	}
	fx.users = append(fx.users, gone)
	return fx
}

// populateLedger adds performers with sealed boundaries, a plan carried
// from the first draft to the second, a call time, signed riders, a
// withdrawal with a sealed reason, a reconfirmation and safeguards.
func populateLedger(t testing.TB, s ops.Store, fx fixture) ledgerFixture {
	t.Helper()
	ctx := context.Background()
	pat, ida := fx.users[0], fx.users[1]
	var lf ledgerFixture
	nora := addPerformer(t, s, pat, production.NewPerformer{ProductionID: fx.p.ID, UserID: ida.ID, Name: "Ida as Nora", Email: "ida@example.com",
		DateOfBirth: date("1990-04-01"), Characters: []string{"Nora"}, Representative: "Agency"})
	june := addPerformer(t, s, pat, production.NewPerformer{ProductionID: fx.p.ID, Name: "June Actor", DateOfBirth: date("2009-06-30"), Characters: []string{"JUNE"}})
	lf.performers = []production.Performer{nora, june}
	key, err := seal.NewKey()
	if err != nil {
		t.Fatal(err)
	}
	for _, notes := range []string{"no touch: lower back", "no touch: lower back, neck"} {
		if lf.sealed, err = seal.Seal(key, []byte(notes), ops.BoundariesAAD(nora.ID)); err != nil {
			t.Fatal(err)
		}
		if _, err := s.PutBoundaries(ctx, ida.Actor(), nora.ID, lf.sealed); err != nil {
			t.Fatal(err)
		}
	}
	first, err := s.Scenes(ctx, fx.revisions[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	second, err := s.Scenes(ctx, fx.revisions[2].ID) // the same script's second draft
	if err != nil {
		t.Fatal(err)
	}
	from, to := first[9], second[9]
	putPlan(t, s, ida, from, "bath")
	putPlan(t, s, ida, from, "bath, implied nudity")
	if err := s.SetCallTime(ctx, ida.Actor(), from.ID, t0.Add(72*time.Hour)); err != nil {
		t.Fatal(err)
	}
	r := issue(t, s, ida, riderFor(t, s, nora, from))
	sign(t, s, ida, r)
	if _, err := s.CarryPlan(ctx, ida.Actor(), from.ID, to.ID); err != nil {
		t.Fatal(err)
	}
	lf.scenes = []int64{from.ID, to.ID}
	reason, err := seal.Seal(key, []byte("changed my mind"), ops.WithdrawalAAD(to.ID, nora.ID))
	if err != nil {
		t.Fatal(err)
	}
	reduced := putPlan(t, s, ida, to, "bath, shoulders only")
	if _, err := s.ReconfirmConsent(ctx, ida.Actor(), to.ID, nora.ID, reduced.Hash, to.TextHash); err != nil {
		t.Fatal(err)
	}
	if err := s.WithdrawConsent(ctx, ida.Actor(), to.ID, nora.ID, reason, false); err != nil {
		t.Fatal(err)
	}
	if c := consentOf(t, s, to.ID, nora.ID); c != nil && c.Withdrawal != nil {
		lf.withdrawal = c.Withdrawal.ID
	}
	r2 := issue(t, s, pat, riderFor(t, s, june, to))
	lf.riders = []int64{r.ID, r2.ID}
	if err := s.NameGuardian(ctx, ida.Actor(), to.ID, june.ID, "Mary Guardian"); err != nil {
		t.Fatal(err)
	}
	if err := s.NameStudioTeacher(ctx, ida.Actor(), to.ID, "Sam Teacher"); err != nil {
		t.Fatal(err)
	}
	// The shoot day: a request answered, a day whose list changed, a
	// closed-set list approved.
	req, err := s.CreateRequest(ctx, ida.Actor(), fx.p.ID, production.NewRequest{SceneID: from.ID, Department: auth.Costume, Text: "robe", Due: t0, PerformerID: nora.ID})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.SetRequestState(ctx, pat.Actor(), req.ID, production.RequestDone, "two robes"); err != nil {
		t.Fatal(err)
	}
	lf.requests = []int64{req.ID}
	day, err := s.CreateShootDay(ctx, pat.Actor(), fx.p.ID, production.Date{Year: 2026, Month: 3, Day: 6}, []int64{from.ID})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.SetShootDayScenes(ctx, pat.Actor(), day.ID, []int64{to.ID, from.ID}); err != nil {
		t.Fatal(err)
	}
	lf.day = day.ID
	putClosedSet(t, s, ida, to.ID, "Cy Robe")
	if _, err := s.ApproveClosedSet(ctx, ida.Actor(), to.ID, 1, auth.IC); err != nil {
		t.Fatal(err)
	}
	return lf
}

// dump is everything the Store reads back about the fixture, as text.
func dump(t testing.TB, s ops.Store, fx fixture) string {
	t.Helper()
	ctx := context.Background()
	var b strings.Builder
	check := func(what string, v any, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		fmt.Fprintf(&b, "%s: %s\n", what, asJSON(v))
	}
	n, err := s.CountUsers(ctx)
	check("users", n, err)
	for _, u := range fx.users {
		got, err := s.User(ctx, u.ID)
		check("user", got, err)
		ms, err := s.ProductionsOf(ctx, u.ID)
		check("productions", ms, err)
	}
	p, err := s.Production(ctx, fx.p.ID)
	check("production", p, err)
	ms, err := s.Members(ctx, fx.p.ID)
	check("members", ms, err)
	invs, err := s.Invitations(ctx, fx.p.ID)
	check("invitations", invs, err)
	if inv, err := s.InvitationByHash(ctx, []byte("invitation-hash-0000000000000000")); err != nil || inv.Email != "invitee@example.com" {
		t.Fatalf("the invitation by its hash: %+v, %v", inv, err)
	}
	pol, _, err := s.PolicyOf(ctx, fx.p.ID)
	check("policy", string(pol), err)
	scripts, err := s.Scripts(ctx, fx.p.ID)
	check("scripts", scripts, err)
	cur, err := s.CurrentScenes(ctx, fx.p.ID)
	check("current scenes", cur, err)
	for _, r := range fx.revisions {
		sc, err := s.Scenes(ctx, r.ID)
		check("scenes", sc, err)
		f, err := s.RevisionFile(ctx, r.ID)
		sum := sha256.Sum256(f)
		check("file", hex.EncodeToString(sum[:]), err)
	}
	u, tok, err := s.TokenUser(ctx, fx.token, t0)
	check("token user", fmt.Sprint(u.ID, tok), err)
	u, ss, err := s.SessionUser(ctx, fx.session, t0.Add(time.Hour))
	check("session", fmt.Sprint(u.ID, ss), err)
	dumpLedger(t, s, fx, check)
	dumpShoot(t, s, fx, check)
	for _, e := range events(t, s) {
		check("event", e, nil)
	}
	return b.String()
}

func dumpLedger(t testing.TB, s ops.Store, fx fixture, check func(string, any, error)) {
	t.Helper()
	ctx := context.Background()
	ps, err := s.Performers(ctx, fx.p.ID)
	check("performers", ps, err)
	for _, p := range fx.ledger.performers {
		b, v, err := s.Boundaries(ctx, p.ID)
		if err == nil && p.ID == fx.ledger.performers[0].ID && !bytes.Equal(b, fx.ledger.sealed) {
			t.Fatalf("sealed boundaries read back as %x, want the %x stored", b, fx.ledger.sealed)
		}
		check("boundaries", fmt.Sprint(b, v, closedset.KindOf(err)), nil)
		rs, err := s.RidersOf(ctx, p.ID)
		check("riders", rs, err)
	}
	for _, id := range fx.ledger.scenes {
		vs, err := s.PlanVersions(ctx, id)
		check("plans", vs, err)
		lin, err := s.SceneLineage(ctx, id)
		check("lineage", lin, err)
		at, ok, err := s.CallTime(ctx, id)
		check("call time", fmt.Sprint(at, ok), err)
		cs, err := s.Consents(ctx, id)
		check("consents", cs, err)
		sp, err := s.ScenePerformers(ctx, id)
		check("scene performers", sp, err)
		sg, err := s.SceneSafeguards(ctx, id)
		check("safeguards", sg, err)
	}
	reason, err := s.WithdrawalReason(ctx, fx.ledger.withdrawal)
	check("withdrawal reason", reason, err)
	for _, id := range fx.ledger.scenes {
		rs, err := s.SceneRequests(ctx, id)
		check("scene requests", rs, err)
		cs, err := s.ClosedSet(ctx, id)
		check("closed set", fmt.Sprint(asJSON(cs), closedset.KindOf(err)), nil)
	}
	for _, id := range fx.ledger.requests {
		h, err := s.RequestHistory(ctx, id)
		check("request history", h, err)
	}
	prs, err := s.ProductionRequests(ctx, fx.p.ID)
	check("production requests", prs, err)
	days, err := s.ShootDays(ctx, fx.p.ID)
	check("shoot days", days, err)
	if len(days) != 1 || days[0].ID != fx.ledger.day || days[0].Version != 2 {
		t.Fatalf("the fixture's shoot day reads back as %+v", days)
	}
}

// The backup keys of the tests: backups are made with testBackupKey.
var (
	testBackupKey  = seal.Key{1: 0xba, 2: 0xc4, 31: 0x01}
	otherBackupKey = seal.Key{1: 0x07, 31: 0x02}
)

func backupOf(t testing.TB, s ops.Store) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := s.Backup(context.Background(), &buf, testBackupKey); err != nil {
		t.Fatalf("Backup: %v", err)
	}
	return buf.Bytes()
}

func testBackupRoundTrip(t *testing.T, open Opener) {
	ctx := context.Background()
	src := open(t)
	fx := populate(t, src)
	want := dump(t, src, fx)
	anchor := verify(t, src)
	b := backupOf(t, src)

	dst := open(t)
	if err := dst.Restore(ctx, bytes.NewReader(b), testBackupKey); err != nil {
		t.Fatalf("Restore: %v", err)
	}
	if got := dump(t, dst, fx); got != want {
		t.Fatalf("the restored store differs from the original at %s", firstDiff(got, want))
	}
	if a := verify(t, dst); a != anchor {
		t.Fatalf("restored chain's anchor = %+v, want the original's %+v", a, anchor)
	}
	// New rows are numbered after the restored ones, and the chain goes on.
	u, err := dst.CreateUser(ctx, fx.users[0].Actor(), auth.NewUser{Email: "new@example.com", Name: "New", PasswordHash: fakeHash})
	if err != nil {
		t.Fatalf("CreateUser after Restore: %v", err)
	}
	if u.ID <= fx.users[len(fx.users)-1].ID {
		t.Fatalf("a user made after Restore has id %d, not after the restored ids", u.ID)
	}
	if _, err := dst.AddRevision(ctx, u.Actor(), NewRevision(LoadHarbor(t), fx.p.ID, fx.revisions[0].ScriptID)); err != nil {
		t.Fatalf("AddRevision after Restore: %v", err)
	}
	if a := verify(t, dst); a.Count != anchor.Count+2 {
		t.Fatalf("after two writes the chain has %d events, want %d", a.Count, anchor.Count+2)
	}
	// A backup of the restored store restores too.
	again := open(t)
	if err := again.Restore(ctx, bytes.NewReader(backupOf(t, dst)), testBackupKey); err != nil {
		t.Fatalf("Restore of a restored store's backup: %v", err)
	}
}

func testRestoreNonEmpty(t *testing.T, open Opener) {
	ctx := context.Background()
	src := open(t)
	populate(t, src)
	b := backupOf(t, src)
	dst := open(t)
	owner := addUser(t, dst, "own@example.com", "Owner")
	addProduction(t, dst, owner, "Mine")
	before := events(t, dst)
	err := dst.Restore(ctx, bytes.NewReader(b), testBackupKey)
	wantKind(t, "Restore into a store with data", err, closedset.Conflict)
	if n, _ := dst.CountUsers(ctx); n != 1 {
		t.Fatalf("%d users after a refused restore, want 1", n)
	}
	mustJSONEqual(t, "events after a refused restore", events(t, dst), before)
}

// Lines returns a backup's lines, uncompressed.
func lines(t testing.TB, b []byte) []string {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return strings.Split(strings.TrimSuffix(string(raw), "\n"), "\n")
}

// pack makes a backup of lines again; with reseal it rewrites the end
// line's count and the MAC under the backup key, as someone holding the
// key would: what the rest of Restore's checks must still catch.
func pack(t testing.TB, ls []string, reseal bool) []byte {
	t.Helper()
	if reseal {
		ls = resealed(t, ls, func(body []byte) string {
			m := hmac.New(sha256.New, testBackupKey[:])
			m.Write(body)
			return hex.EncodeToString(m.Sum(nil))
		})
	}
	return gzipLines(ls)
}

func gzipLines(ls []string) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	io.WriteString(zw, strings.Join(ls, "\n")+"\n")
	zw.Close()
	return buf.Bytes()
}

// resealed replaces the end and MAC lines of ls: the end line counts the
// rows again and keeps the anchor it had, and the MAC line holds mac of
// every line before it.
func resealed(t testing.TB, ls []string, mac func(body []byte) string) []string {
	t.Helper()
	var anchor string
	var body []string
	for _, l := range ls {
		switch {
		case strings.HasPrefix(l, `{"closedset_backup_end"`):
			i := strings.Index(l, `"audit":`)
			anchor = l[i : i+strings.Index(l[i:], "}")+1]
		case strings.HasPrefix(l, `{"closedset_backup_mac"`):
		default:
			body = append(body, l)
		}
	}
	if anchor == "" {
		t.Fatal("the backup has no end line")
	}
	body = append(body, fmt.Sprintf(`{"closedset_backup_end":{%s,"rows":%d}}`, anchor, len(body)-1))
	return append(body, fmt.Sprintf(`{"closedset_backup_mac":"%s"}`, mac([]byte(strings.Join(body, "\n")+"\n"))))
}

// plainSHA256 is the checksum anyone can recompute: what backups carried
// before they had a key.
func plainSHA256(body []byte) string {
	sum := sha256.Sum256(body)
	return hex.EncodeToString(sum[:])
}

// madeAdmin is a backup's lines with the user Ida made an admin.
func madeAdmin(t testing.TB, ls []string) []string {
	return edit(t, ls, `"name":"Ida"`, func(l string) string { return strings.Replace(l, `"admin":false`, `"admin":true`, 1) })
}

// edit returns ls with the first line containing match changed by f.
func edit(t testing.TB, ls []string, match string, f func(string) string) []string {
	t.Helper()
	out := append([]string(nil), ls...)
	for i, l := range out {
		if strings.Contains(l, match) {
			out[i] = f(l)
			return out
		}
	}
	t.Fatalf("no backup line contains %s", match)
	return nil
}

func without(t testing.TB, ls []string, match string) []string {
	t.Helper()
	for i, l := range ls {
		if strings.Contains(l, match) {
			return append(append([]string(nil), ls[:i]...), ls[i+1:]...)
		}
	}
	t.Fatalf("no backup line contains %s", match)
	return nil
}

// BadBackups are backups Restore must refuse, made from a good one.
func badBackups(t testing.TB, good []byte) map[string][]byte {
	ls := lines(t, good)
	flipped := bytes.Clone(good)
	flipped[len(flipped)/2] ^= 0x40
	return map[string][]byte{
		"not gzip":               []byte("closedset backup, honest"),
		"empty":                  nil,
		"gzip cut short":         good[:len(good)/2],
		"gzip byte flipped":      flipped,
		"empty gzip":             pack(t, []string{""}, false),
		"no header":              pack(t, ls[1:], false),
		"header of another":      pack(t, edit(t, ls, `"closedset_backup":2`, func(l string) string { return strings.Replace(l, `"closedset_backup":2`, `"closedset_backup":3`, 1) }), true),
		"another schema":         pack(t, edit(t, ls, `"closedset_backup":2`, func(l string) string { return strings.Replace(l, `"schema":`, `"schema":9`, 1) }), true),
		"no MAC line":            pack(t, ls[:len(ls)-1], false),
		"no end line":            pack(t, append(append([]string(nil), ls[:len(ls)-2]...), ls[len(ls)-1]), false),
		"no end or MAC line":     pack(t, ls[:len(ls)-2], false),
		"made admin, no new MAC": pack(t, madeAdmin(t, ls), false),
		"made admin, re-hashed":  gzipLines(resealed(t, madeAdmin(t, ls), plainSHA256)),
		"made admin, another key": gzipLines(resealed(t, madeAdmin(t, ls), func(b []byte) string {
			m := hmac.New(sha256.New, otherBackupKey[:])
			m.Write(b)
			return hex.EncodeToString(m.Sum(nil))
		})),
		"last event cut, resealed":    pack(t, without(t, ls, fmt.Sprintf(`"seq":%d,`, eventCount(ls))), true),
		"anchor edited, resealed":     pack(t, edit(t, ls, `{"closedset_backup_end"`, func(l string) string { return strings.Replace(l, `"count":`, `"count":1`, 1) }), true),
		"a row removed":               pack(t, without(t, ls, `"table":"members"`), false),
		"a row edited":                pack(t, edit(t, ls, `"name":"Ida"`, func(l string) string { return strings.Replace(l, `"Ida"`, `"Eve"`, 1) }), false),
		"line after the end":          pack(t, append(append([]string(nil), ls...), ls[1]), false),
		"event edited, resealed":      pack(t, edit(t, ls, `"seq":2,`, func(l string) string { return strings.Replace(l, `"actor_name":"system"`, `"actor_name":"mallory"`, 1) }), true),
		"event removed, resealed":     pack(t, without(t, ls, `"seq":2,`), true),
		"unknown table, resealed":     pack(t, edit(t, ls, `"table":"members"`, func(l string) string { return strings.Replace(l, `"members"`, `"crew"`, 1) }), true),
		"tables out of order":         pack(t, lastEventLast(ls), false),
		"null column, resealed":       pack(t, edit(t, ls, `"table":"users"`, func(l string) string { return strings.Replace(l, `"name":"Pat"`, `"name":null`, 1) }), true),
		"missing column, resealed":    pack(t, edit(t, ls, `"table":"users"`, func(l string) string { return strings.Replace(l, `"name":"Pat",`, ``, 1) }), true),
		"text for a number, resealed": pack(t, edit(t, ls, `"table":"users"`, func(l string) string { return strings.Replace(l, `"id":1,`, `"id":"1",`, 1) }), true),
		"broken reference, resealed":  pack(t, edit(t, ls, `"table":"sessions"`, func(l string) string { return strings.Replace(l, `"user_id":2,`, `"user_id":99,`, 1) }), true),
		"duplicate row, resealed":     pack(t, append(append(append([]string(nil), ls[:len(ls)-2]...), ls[len(ls)-3]), ls[len(ls)-2:]...), true),
	}
}

// lastEventLast moves the chain's last event to the end of the file,
// after the other tables: the chain before it still verifies.
func lastEventLast(ls []string) []string {
	last := 0
	for i, l := range ls {
		if strings.Contains(l, `"table":"audit_events"`) {
			last = i
		}
	}
	out := append(append([]string(nil), ls[:last]...), ls[last+1:len(ls)-2]...)
	return append(out, ls[last], ls[len(ls)-2], ls[len(ls)-1])
}

// eventCount is how many audit events a backup's lines hold.
func eventCount(ls []string) int {
	n := 0
	for _, l := range ls {
		if strings.Contains(l, `"table":"audit_events"`) {
			n++
		}
	}
	return n
}

// testRestoreNeedsItsKey: a backup restores only with the key it was made
// with; a wrong or missing key, or a file changed and re-hashed without
// the key, is refused with a message naming the key it needs, and nothing
// is written.
func testRestoreNeedsItsKey(t *testing.T, open Opener) {
	ctx := context.Background()
	src := open(t)
	populate(t, src)
	good := backupOf(t, src)
	ls := lines(t, good)
	if !strings.Contains(ls[0], `"key":"`+testBackupKey.ID()+`"`) {
		t.Fatalf("the header does not name the backup key %s: %s", testBackupKey.ID(), ls[0])
	}
	dst := open(t)
	for _, tc := range []struct {
		name string
		b    []byte
		key  seal.Key
		want string
	}{
		{"another key", good, otherBackupKey, "made with backup key " + testBackupKey.ID() + ", not with the key given (" + otherBackupKey.ID() + ")"},
		{"no key", good, seal.Key{}, "made with backup key " + testBackupKey.ID() + ", and no backup key was given"},
		{"made admin and re-hashed", gzipLines(resealed(t, madeAdmin(t, ls), plainSHA256)), testBackupKey, "does not verify under backup key " + testBackupKey.ID()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := dst.Restore(ctx, bytes.NewReader(tc.b), tc.key)
			if err == nil || !strings.Contains(err.Error(), tc.want) || !closedset.Is(err, closedset.Invalid) {
				t.Fatalf("Restore: %v, want an invalid error with %q", err, tc.want)
			}
			if n, _ := dst.CountUsers(ctx); n != 0 {
				t.Fatalf("%d users after a refused restore, want 0", n)
			}
		})
	}
	if err := dst.Restore(ctx, bytes.NewReader(good), testBackupKey); err != nil {
		t.Fatalf("Restore with the right key: %v", err)
	}
	if u, err := dst.UserByEmail(ctx, "ida@example.com"); err != nil || u.Admin {
		t.Fatalf("Ida after the restore: %+v, %v", u, err)
	}
}

func testRestoreBad(t *testing.T, open Opener) {
	ctx := context.Background()
	src := open(t)
	populate(t, src)
	good := backupOf(t, src)
	dst := open(t)
	for name, b := range badBackups(t, good) {
		t.Run(name, func(t *testing.T) {
			err := dst.Restore(ctx, bytes.NewReader(b), testBackupKey)
			if err == nil {
				t.Fatal("Restore accepted a bad backup")
			}
			t.Logf("refused: %v", err)
			if !closedset.Is(err, closedset.Invalid) {
				t.Errorf("Restore: %v (kind %q), want kind invalid", err, closedset.KindOf(err))
			}
			if n, _ := dst.CountUsers(ctx); n != 0 {
				t.Fatalf("%d users after a refused restore, want 0", n)
			}
			if ev := events(t, dst); len(ev) != 0 {
				t.Fatalf("%d events after a refused restore, want 0", len(ev))
			}
		})
	}
	if err := dst.Restore(ctx, bytes.NewReader(good), testBackupKey); err != nil {
		t.Fatalf("Restore of the good backup after the bad ones: %v", err)
	}
}

// CrossRestore fills a store of one backend, backs it up and restores the
// backup into a store of another: the format is the same for all.
func CrossRestore(t *testing.T, from, to Opener) {
	src := from(t)
	fx := populate(t, src)
	want := dump(t, src, fx)
	dst := to(t)
	if err := dst.Restore(context.Background(), bytes.NewReader(backupOf(t, src)), testBackupKey); err != nil {
		t.Fatalf("Restore: %v", err)
	}
	if got := dump(t, dst, fx); got != want {
		t.Fatalf("the restored store differs from the original at %s", firstDiff(got, want))
	}
}
