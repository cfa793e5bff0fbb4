package main

import (
	"closedset"
	"context"
	"crypto/rand"
	"encoding/base32"
	"fmt"
	"io"
	"strings"
	"time"

	"closedset/audit"
	"closedset/auth"
	"closedset/breakdown"
	"closedset/cmd/closedset/demo"
	"closedset/consent"
	"closedset/production"
	"closedset/screenplay"
	"closedset/store"
)

// The account the first start creates.
const (
	firstAdminEmail = "admin@localhost"
	firstAdminName  = "Admin"
)

// firstStart sets up an installation whose store has no users: an admin
// with a one-time password, shown once on the terminal (w), and the demo
// production with the admin as its IC and producer, so a newcomer signs in
// to a breakdown ready to review. With any user present it does nothing.
func firstStart(ctx context.Context, st store.Store, url string, w io.Writer) error {
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
		if closedset.KindOf(err) == closedset.Conflict {
			return nil // another server on the same database made it first
		}
		return fmt.Errorf("create the first admin: %w", err)
	}
	prod, err := loadDemo(ctx, st, admin.Actor())
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
  "Harbour Lights" in two revisions (white, then blue); the admin is its IC
  and producer, so you can review its flags and see what the blue pages
  changed. Its cast is on the Consents page, with scene 7 planned and
  waiting for riders.

`, url, firstAdminEmail, pw, firstAdminEmail, prod.Title, prod.ID)
	return nil
}

// oneTimePassword is 20 characters of base32 (100 bits) in four groups of
// five, easy to read off a terminal and type.
func oneTimePassword(rand io.Reader) (string, error) {
	b := make([]byte, 15)
	if _, err := io.ReadFull(rand, b); err != nil {
		return "", fmt.Errorf("make a password: %w", err)
	}
	s := strings.ToLower(base32.StdEncoding.EncodeToString(b))[:20]
	return s[0:5] + "-" + s[5:10] + "-" + s[10:15] + "-" + s[15:20], nil
}

// loadDemo creates the demo production and uploads the demo script's
// revisions through the same path as a web upload (production.ReadDraft,
// then AddRevision).
func loadDemo(ctx context.Context, st store.Store, by audit.Actor) (production.Production, error) {
	p, err := st.CreateProduction(ctx, by, production.NewProduction{Title: demo.Title, Policy: demo.Policy, TimeZone: demo.TimeZone})
	if err != nil {
		return production.Production{}, fmt.Errorf("create the demo production: %w", err)
	}
	if _, err := st.AddMember(ctx, by, p.ID, by.ID, auth.IC); err != nil {
		return production.Production{}, fmt.Errorf("make the admin the demo's IC: %w", err)
	}
	var scriptID int64
	for _, d := range demo.Drafts() {
		r, err := addDraft(ctx, st, by, p.ID, scriptID, d.Filename, d.Data)
		if err != nil {
			return production.Production{}, fmt.Errorf("upload the demo script %s: %w", d.Filename, err)
		}
		scriptID = r.ScriptID
	}
	if err := castDemo(ctx, st, by, p); err != nil {
		return production.Production{}, fmt.Errorf("cast the demo: %w", err)
	}
	return p, nil
}

// castDemo adds the demo's performers and plans one scene of the current
// draft, with a call time a week out, through the same rules as the app
// (consent.Plan.Validate, the canonical hash).
func castDemo(ctx context.Context, st store.Store, by audit.Actor, p production.Production) error {
	byCharacter := map[string]int64{}
	people := map[int64]production.Performer{}
	for _, c := range demo.Cast() {
		dob, err := production.ParseDate(c.DateOfBirth)
		if err != nil {
			return err
		}
		pf, err := st.CreatePerformer(ctx, by, production.NewPerformer{ProductionID: p.ID, Name: c.Name, DateOfBirth: dob, Characters: c.Characters})
		if err != nil {
			return err
		}
		people[pf.ID] = pf
		for _, ch := range c.Characters {
			byCharacter[ch] = pf.ID
		}
	}
	scenes, err := st.CurrentScenes(ctx, p.ID)
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
		tz, err := time.LoadLocation(p.TimeZone)
		if err != nil {
			return err
		}
		call := time.Now().In(tz).AddDate(0, 0, 7)
		call = time.Date(call.Year(), call.Month(), call.Day(), 7, 30, 0, 0, tz)
		policy, err := consent.PolicyByName(p.Policy)
		if err != nil {
			return err
		}
		if err := plan.Validate(policy, people, production.ShootDay(call, tz)); err != nil {
			return err
		}
		if _, err := st.PutPlan(ctx, by, sc.ID, plan.Canonical(), plan.Hash()); err != nil {
			return err
		}
		return st.SetCallTime(ctx, by, sc.ID, call)
	}
	return fmt.Errorf("the demo script has no scene %s", demo.PlannedScene)
}

// addDraft reads a script file and stores it as a revision.
func addDraft(ctx context.Context, st store.Store, by audit.Actor, productionID, scriptID int64, filename string, data []byte) (production.Revision, error) {
	d, err := production.ReadDraft(ctx, filename, data, screenplay.Options{}, breakdown.Options{})
	if err != nil {
		return production.Revision{}, err
	}
	return st.AddRevision(ctx, by, production.DraftRevision(d, productionID, scriptID, filename, data))
}
