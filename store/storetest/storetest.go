// Package storetest is the conformance suite of ops.Store, written once
// against the interface: every backend's tests run it on a real database
// of that backend (a temporary SQLite file, a throwaway PostgreSQL).
//
// Run takes a function that opens a new, empty store; every test gets its
// own, so tests are independent and may run in any order.
package storetest

import (
	"closedset"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"closedset/audit"
	"closedset/auth"
	"closedset/breakdown"
	"closedset/ops"
	"closedset/production"
	"closedset/screenplay"
	"closedset/store"
)

// Opener opens a new, empty store for one test with the options (a test
// sets the clock); it registers the store's Close (and whatever else it
// needs) with t.Cleanup.
type Opener func(t *testing.T, opts ...store.Option) ops.Store

// Run runs the whole conformance suite against stores from open.
func Run(t *testing.T, open Opener) {
	tests := []struct {
		name string
		fn   func(t *testing.T, open Opener)
	}{
		{"Users", testUsers},
		{"EmailIsCaseInsensitive", testEmailCase},
		{"InvalidUsersAreRefused", testInvalidUsers},
		{"Sessions", testSessions},
		{"Tokens", testTokens},
		{"PasswordChangeEndsSessionsAndTokens", testPasswordChangeEndsCredentials},
		{"CreatorBecomesProducer", testCreatorBecomesProducer},
		{"InvalidProductionsAreRefused", testInvalidProductions},
		{"MembersHoldSeveralRoles", testMembers},
		{"CreatorChoosesTheirRole", testCreatorChoosesRole},
		{"ICIsHeldApartFromProducerDirectorAD", testICHeldApart},
		{"InvitationsAreUsedOnce", testInvitations},
		{"DisabledUsersAreShutOut", testDisabledUsers},
		{"PerformersAreEditedAndSoftRemoved", testPerformersEditedAndRemoved},
		{"PoliciesAreAppended", testPolicies},
		{"RevisionsAreNumberedPerScript", testRevisions},
		{"ScenesKeepTheirFlags", testScenes},
		{"CurrentScenesAreOfTheLatestRevisions", testCurrentScenes},
		{"CurrentScenesAreFreshAndPrivate", testCurrentScenesFresh},
		{"LatestReviewWins", testReviews},
		{"ReviewsCarryToAnUnchangedScene", testCarriedReviews},
		{"MissingRecordsAreNotFound", testNotFound},
		{"PerformersPlayCharacters", testPerformers},
		{"BoundariesKeepEveryVersion", testBoundaries},
		{"LatestCallTimeWins", testCallTimes},
		{"PlanVersionsOnlyOnChange", testPlanVersions},
		{"SigningGivesConsentsBoundToHashes", testSigningGivesConsents},
		{"WithdrawalAppendsAndWins", testWithdrawal},
		{"ReconfirmNeverUndoesAWithdrawal", testReconfirmNeverUndoesAWithdrawal},
		{"PlanCarriesToTheNextDraft", testPlanCarriesToTheNextDraft},
		{"SafeguardsLatestNamingWins", testSafeguards},
		{"SceneRecordsAreTheSingleReads", testSceneRecordsAreTheSingleReads},
		{"ProductionRecordsAreTheSingleReads", testProductionRecordsAreTheSingleReads},
		{"CastChoicesOverTheScript", testCastChoicesOverTheScript},
		{"RequestsKeepEveryState", testRequestsKeepEveryState},
		{"ShootDaysKeepTheirSceneLists", testShootDaysKeepTheirSceneLists},
		{"ClosedSetApprovalsAreOfOneVersion", testClosedSetApprovals},
		{"ShootRecordTakesPausesAndClosure", testShootRecord},
		{"ICRecordIsAppended", testICRecordIsAppended},
		{"EveryLedgerWriteLeavesOneEvent", testLedgerEvents},
		{"ConcurrentSignAndWithdrawKeepTheChain", testConcurrentSignAndWithdraw},
		{"TxCommitsWhole", testTxCommitsWhole},
		{"TxFailingHalfwayWritesNothing", testTxFailingHalfwayWritesNothing},
		{"TxSerializesReadThenWrite", testTxSerializesReadThenWrite},
		{"EveryWriteLeavesOneEvent", testOneEventPerWrite},
		{"EventsHoldNoSecrets", testNoSecretsInEvents},
		{"ConcurrentWritersAllSucceed", testConcurrentWriters},
		{"ChangesTellOfCommits", testChangesTellOfCommits},
		{"BackupRestoresIntoAFreshStore", testBackupRoundTrip},
		{"RestoreIntoNonEmptyStoreWritesNothing", testRestoreNonEmpty},
		{"RestoreOfABadBackupWritesNothing", testRestoreBad},
		{"RestoreNeedsTheBackupKey", testRestoreNeedsItsKey},
	}
	// Every store a test leaves behind has each ledger row bound to the
	// event that wrote it: a write that forgets to bind its rows fails here.
	bound := func(t *testing.T, opts ...store.Option) ops.Store {
		s := open(t, opts...)
		t.Cleanup(func() {
			breaks, err := s.VerifyLedger(context.Background())
			if err != nil {
				t.Errorf("VerifyLedger: %v", err)
			}
			for _, b := range breaks {
				t.Errorf("VerifyLedger: %s", b.Msg)
			}
		})
		return s
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, bound) })
	}
}

// fakeHash stands for an argon2id hash: the store keeps it as given, and
// real hashing would only slow the suite.
const fakeHash = "$argon2id$v=19$m=65536,t=2,p=1$c2FsdHNhbHRzYWx0$a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2U"

var t0 = time.Date(2026, 3, 3, 9, 0, 0, 0, time.UTC)

func addUser(t testing.TB, s ops.Store, email, name string) auth.User {
	t.Helper()
	u, err := s.CreateUser(context.Background(), audit.System, auth.NewUser{Email: email, Name: name, PasswordHash: fakeHash})
	if err != nil {
		t.Fatalf("CreateUser(%s): %v", email, err)
	}
	return u
}

func addProduction(t testing.TB, s ops.Store, by auth.User, title string) production.Production {
	t.Helper()
	return addProductionAs(t, s, by, title, auth.Producer)
}

// addProductionAs is addProduction with the creator in the role given.
func addProductionAs(t testing.TB, s ops.Store, by auth.User, title string, role auth.Role) production.Production {
	t.Helper()
	p, err := s.CreateProduction(context.Background(), by.Actor(), production.NewProduction{Title: title, Policy: "sag_aftra", TimeZone: "Europe/London", Role: role})
	if err != nil {
		t.Fatalf("CreateProduction(%s): %v", title, err)
	}
	return p
}

func wantKind(t testing.TB, what string, err error, k closedset.Kind) {
	t.Helper()
	if closedset.KindOf(err) != k {
		t.Fatalf("%s: err = %v (kind %q), want kind %q", what, err, closedset.KindOf(err), k)
	}
}

// Harbor is the twins test script read and broken down, with its bytes.
type Harbor struct {
	Data  []byte
	Draft *production.Draft
}

var (
	harborOnce sync.Once
	harbor     Harbor
	harborErr  error
)

// LoadHarbor reads screenplay/testdata/twins/harbor.fountain, found from
// the working directory up to the module's root.
func LoadHarbor(t testing.TB) Harbor {
	t.Helper()
	harborOnce.Do(func() {
		dir, err := os.Getwd()
		for err == nil {
			if _, e := os.Stat(filepath.Join(dir, "go.mod")); e == nil {
				break
			}
			parent := filepath.Dir(dir)
			if parent == dir {
				err = errors.New("no go.mod above the working directory")
			}
			dir = parent
		}
		if err != nil {
			harborErr = err
			return
		}
		harbor.Data, harborErr = os.ReadFile(filepath.Join(dir, "screenplay", "testdata", "twins", "harbor.fountain"))
		if harborErr != nil {
			return
		}
		harbor.Draft, harborErr = production.ReadDraft(context.Background(), "harbor.fountain", harbor.Data, screenplay.Options{}, breakdown.Options{})
	})
	if harborErr != nil {
		t.Fatalf("reading harbor.fountain: %v", harborErr)
	}
	return harbor
}

// NewRevision is the harbor draft as a revision of the script (0: a new
// script) of the production.
func NewRevision(h Harbor, productionID, scriptID int64) production.NewRevision {
	return production.DraftRevision(h.Draft, productionID, scriptID, "harbor.fountain", h.Data)
}

// events returns the whole chain, failing the test on a read error.
func events(t testing.TB, s ops.Store) []audit.Event {
	t.Helper()
	var out []audit.Event
	for e, err := range s.AuditEvents(context.Background()) {
		if err != nil {
			t.Fatalf("AuditEvents: %v", err)
		}
		out = append(out, e)
	}
	return out
}

func verify(t testing.TB, s ops.Store) audit.Anchor {
	t.Helper()
	a, err := audit.Verify(s.AuditEvents(context.Background()))
	if err != nil {
		t.Fatalf("audit.Verify: %v", err)
	}
	// The head the store keeps is where the chain ends.
	if h, err := s.HeadAnchor(context.Background()); err != nil || h.Count != a.Count || a.Count > 0 && h.Hash != a.Hash {
		t.Fatalf("HeadAnchor = %v, %v; the chain ends at %v", h, err, a)
	}
	return a
}

func norm[T any](s []T) []T {
	if len(s) == 0 {
		return nil
	}
	return s
}

// sameScenes compares stored scenes with the draft's, field by field,
// flags with their evidence.
func sameScenes(t testing.TB, got []production.Scene, want []production.DraftScene) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%d scenes, want %d", len(got), len(want))
	}
	for i, g := range got {
		w := want[i]
		if g.Index != w.Index || g.Number != w.Number || g.Heading != w.Heading || g.Line != w.Line || g.Page != w.Page ||
			g.Eighths != w.Eighths || g.Text != w.Text || g.TextHash != w.TextHash || g.NeedsIC != w.NeedsIC ||
			!slices.Equal(g.Speaking, w.Speaking) || !slices.Equal(g.Present, w.Present) || !slices.Equal(g.Characters, w.Present) {
			t.Fatalf("scene %d:\n got %+v\nwant %+v", i+1, g, w)
		}
		if len(g.Flags) != len(w.Flags) {
			t.Fatalf("scene %d: %d flags, want %d", i+1, len(g.Flags), len(w.Flags))
		}
		for j, f := range g.Flags {
			wf := w.Flags[j]
			if f.SceneID != g.ID || f.Category != wf.Category || f.Level != wf.Level || f.Kind != wf.Kind ||
				f.Confidence != wf.Confidence || f.Situation != wf.Situation || !slices.Equal(norm(f.Areas), norm(wf.Areas)) ||
				!slices.Equal(norm(f.Characters), norm(wf.Characters)) || !slices.Equal(norm(f.Evidence), norm(wf.Evidence)) {
				t.Fatalf("scene %d flag %d:\n got %+v\nwant %+v", i+1, j+1, f.Flag, wf)
			}
		}
	}
}

func mustJSONEqual(t testing.TB, what string, got, want any) {
	t.Helper()
	if g, w := asJSON(got), asJSON(want); g != w {
		t.Fatalf("%s:\n got %s\nwant %s", what, g, w)
	}
}

// asJSON shows a value with what its pointers point to.
func asJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprintf("(%v) %+v", err, v)
	}
	return string(b)
}

// firstDiff shows where two multi-line texts first differ, shortened.
func firstDiff(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := 0; i < len(g) || i < len(w); i++ {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			return fmt.Sprintf("line %d:\n got %.600s\nwant %.600s", i+1, gl, wl)
		}
	}
	return "no difference"
}

// date reads a YYYY-MM-DD date of the test data.
func date(s string) production.Date {
	d, err := production.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}
