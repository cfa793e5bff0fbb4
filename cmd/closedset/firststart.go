package main

import (
	"closedset"
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"time"

	"closedset/auth"
	"closedset/cmd/closedset/demo"
	"closedset/consent"
	"closedset/ops"
	"closedset/production"
)

// The account the first start creates.
const (
	firstAdminEmail = "admin@localhost"
	firstAdminName  = "Admin"
)

// firstStart sets up an installation whose store has no users: an admin
// with a one-time password, shown once on the terminal (w), and the demo
// production with the admin as its IC, so a newcomer signs in to a
// breakdown ready to review. The admin is made as `closedset user
// create` makes one, by the operator; the demo is built by the admin through
// the operations the web app calls (o). With any user present it does
// nothing.
func firstStart(ctx context.Context, st ops.Store, o *ops.Ops, url string, w io.Writer) error {
	n, err := st.CountUsers(ctx)
	if err != nil {
		return fmt.Errorf("count users: %w", err)
	}
	if n > 0 {
		return nil
	}
	pw, err := oneTimePassword(rand.Reader)
	if err != nil {
		return err
	}
	hash, err := auth.HashPassword(pw, rand.Reader)
	if err != nil {
		return err
	}
	admin, err := st.CreateUser(ctx, operator("serve (first start)"), auth.NewUser{
		Email: firstAdminEmail, Name: firstAdminName, PasswordHash: hash, Admin: true,
	})
	if err != nil {
		if closedset.Is(err, closedset.Conflict) {
			return nil // another server on the same database made it first
		}
		return fmt.Errorf("create the first admin: %w", err)
	}
	prod, err := loadDemo(ctx, o, admin)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, `
  closedset is set up. Sign in at %s
    email:     %s
    password:  %s
  This password is shown once, here, and is not logged: keep it, or set
  your own with: closedset user password --email %s

  The demo production %q (id %d) holds the sample script
  "Harbour Lights" in two revisions (white, then blue); the admin is its IC,
  so you can review its flags and see what the blue pages changed, and
  invite a producer. Its cast is on the Consents page, with scene 7
  planned and waiting for riders; its costume request is done and its
  closed-set list waits for an AD's approval.

`, url, firstAdminEmail, pw, firstAdminEmail, prod.Title, prod.ID)
	return nil
}

// oneTimePassword is auth.OneTimePassword: 100 bits in four groups of
// five characters.
func oneTimePassword(rand io.Reader) (string, error) { return auth.OneTimePassword(rand) }

// loadDemo creates the demo production as the admin would in the web
// app: the production with the admin as its IC (their own choice, as any
// creator's), both drafts of the demo script (the second carrying reviews
// and plans like any revision), the cast and one scene's plan, each
// through its operation. The call time is a producer's or an AD's to set:
// the demo has neither until the admin invites one.
func loadDemo(ctx context.Context, o *ops.Ops, admin auth.User) (production.Production, error) {
	c := ops.Caller{User: admin}
	p, err := o.CreateProduction(ctx, c, production.NewProduction{Title: demo.Title, Policy: demo.Policy, TimeZone: demo.TimeZone, Role: auth.IC})
	if err != nil {
		return production.Production{}, fmt.Errorf("create the demo production: %w", err)
	}
	c.ProductionID, c.Roles = p.ID, auth.RolesOf(auth.IC)
	var scriptID int64
	for _, d := range demo.Drafts() {
		r, err := o.UploadScript(ctx, c, scriptID, d.Filename, d.Data)
		if err != nil {
			return production.Production{}, fmt.Errorf("upload the demo script %s: %w", d.Filename, err)
		}
		scriptID = r.ScriptID
	}
	if err := castDemo(ctx, o, c, p); err != nil {
		return production.Production{}, fmt.Errorf("cast the demo: %w", err)
	}
	return p, nil
}

// castDemo adds the demo's performers and plans one scene of the current
// draft.
func castDemo(ctx context.Context, o *ops.Ops, c ops.Caller, p production.Production) error {
	byCharacter := map[string]int64{}
	for _, cm := range demo.Cast() {
		dob, err := production.ParseDate(cm.DateOfBirth)
		if err != nil {
			return err
		}
		pf, err := o.CreatePerformer(ctx, c, production.NewPerformer{Name: cm.Name, DateOfBirth: dob, Characters: cm.Characters})
		if err != nil {
			return err
		}
		for _, ch := range cm.Characters {
			byCharacter[ch] = pf.ID
		}
	}
	scenes, err := o.CurrentScenes(ctx, p.ID)
	if err != nil {
		return err
	}
	for _, sc := range scenes {
		if sc.Number != demo.PlannedScene {
			continue
		}
		mara, tomas := byCharacter["MARA"], byCharacter["TOMAS"]
		plan := consent.Plan{
			Description:  "Mara and Tomas kiss at the end of the harbour wall and hold each other. Clothed; closed-mouth kiss.",
			FinalPicture: "A wide two-shot, then a close two-shot of the kiss.",
			Performers: []consent.PerformerPlan{
				{PerformerID: mara, Nudity: consent.Nudity{Level: "none"}, Contact: []string{"kissing: lips", "hands: face, hair"}},
				{PerformerID: tomas, Nudity: consent.Nudity{Level: "none"}, Contact: []string{"kissing: lips", "hands: back"}},
			},
			Beats: []consent.Beat{
				{Order: 1, Performers: []int64{tomas, mara}, Action: "Tomas tucks a strand of hair behind Mara's ear.", ContactAreas: []string{"hair", "face"}, Count: "4"},
				{Order: 2, Performers: []int64{mara, tomas}, Action: "Mara kisses him; he kisses her back; they hold each other.", ContactAreas: []string{"lips", "back"}, Count: "8"},
			},
			Camera:        "Two cameras: wide from the quay, long lens two-shot.",
			FootageLimits: "Not for use in trailers or marketing without the performers' consent.",
		}
		if _, err := o.PutPlan(ctx, c, sc.ID, plan); err != nil {
			return err
		}
		return prepareDemoScene(ctx, o, c, sc.ID, mara)
	}
	return fmt.Errorf("the demo script has no scene %s", demo.PlannedScene)
}

// prepareDemoScene gives the planned scene what the shoot day asks of it
// beyond consent: a costume request, closed by the IC (who may answer for
// any department while the production has no costume head yet), and a
// closed-set list the IC approved; the AD's approval awaits the AD the
// admin invites.
func prepareDemoScene(ctx context.Context, o *ops.Ops, c ops.Caller, sceneID, mara int64) error {
	r, err := o.RaiseRequest(ctx, c, production.NewRequest{SceneID: sceneID, Department: auth.Costume,
		Text: "A warm coat for Mara between takes on the harbour wall.", Due: o.Now().Add(7 * 24 * time.Hour), PerformerID: mara})
	if err != nil {
		return fmt.Errorf("the demo's request: %w", err)
	}
	if _, err := o.SetRequestState(ctx, c, r.ID, production.RequestDone, "Long wool coat, fitted."); err != nil {
		return fmt.Errorf("the demo's request: %w", err)
	}
	list := production.ClosedSet{People: []production.ClosedSetPerson{
		{Name: "The director", Role: "director", Where: production.WhereMonitor},
		{Name: "The camera operator", Role: "camera operator", Where: production.WhereSet},
	}, Monitors: []production.Monitor{{Where: "video village on the quay"}}, RobePerson: "The costume standby"}
	if _, err := o.PutClosedSet(ctx, c, sceneID, list); err != nil {
		return fmt.Errorf("the demo's closed set: %w", err)
	}
	if _, err := o.ApproveClosedSet(ctx, c, sceneID, 0); err != nil {
		return fmt.Errorf("the demo's closed set: %w", err)
	}
	return nil
}
