package store

import (
	"context"
	"time"

	"closedset/audit"
	"closedset/consent"
	"closedset/production"
)

// Ledger is the consent ledger's part of the Store: what a performer is
// asked to agree to, what they signed, and what they took back.
//
// The store keeps the contents of plans and riders as opaque bytes (the
// consent and docs packages' canonical content) with the hashes their
// packages computed, and boundaries and withdrawal reasons only as bytes
// sealed by package seal: it never sees their plaintext, and no audit
// event carries them or a digest of them.
//
// History is kept: boundaries, call times and plans get new versions,
// consents and withdrawals are appended, and nothing is edited or
// deleted; the latest is the state.
//
// Plans belong to one scene of one revision. When a script is revised,
// CarryPlan carries a scene's latest plan to its matched scene in the new
// draft and links the two scenes: from then on the new scene's consents,
// call time and safeguards are read through the link (SceneLineage), and
// a consent keeps the hashes it was given to, so the consent package sees
// it go stale when the scene's text changed.
type Ledger interface {
	// Performers. A performer plays characters of the production's
	// scripts; ScenePerformers finds a scene's performers by its
	// characters, compared case-insensitively.
	CreatePerformer(ctx context.Context, by audit.Actor, p production.NewPerformer) (production.Performer, error)
	Performer(ctx context.Context, id int64) (production.Performer, error)
	Performers(ctx context.Context, productionID int64) ([]production.Performer, error)
	// PerformerByUser is the user's performer record in the production,
	// NotFound when the user plays no one in it.
	PerformerByUser(ctx context.Context, productionID, userID int64) (production.Performer, error)
	ScenePerformers(ctx context.Context, sceneID int64) ([]production.Performer, error)

	// Boundaries are sealed before they reach the store (seal.Seal with
	// BoundariesAAD). Every put is a new version; Boundaries returns the
	// latest, NotFound when none was put.
	PutBoundaries(ctx context.Context, by audit.Actor, performerID int64, sealed []byte) (version int, err error)
	Boundaries(ctx context.Context, performerID int64) (sealed []byte, version int, err error)

	// Call times: the latest set is the scene's (through its lineage).
	SetCallTime(ctx context.Context, by audit.Actor, sceneID int64, callTime time.Time) error
	CallTime(ctx context.Context, sceneID int64) (time.Time, bool, error)

	// Plans. PutPlan makes a new version only when hash differs from the
	// latest version's; otherwise it returns the latest and records
	// nothing. Plan is the latest version, NotFound when none.
	PutPlan(ctx context.Context, by audit.Actor, sceneID int64, content []byte, hash string) (consent.PlanVersion, error)
	Plan(ctx context.Context, sceneID int64) (consent.PlanVersion, error)
	PlanVersions(ctx context.Context, sceneID int64) ([]consent.PlanVersion, error)
	PlanByHash(ctx context.Context, sceneID int64, hash string) (consent.PlanVersion, error)
	// CarryPlan copies the latest plan of fromSceneID to toSceneID, a
	// scene of a later revision of the same script that has no plan yet,
	// as its version 1 with the same content and hash, and links the two
	// scenes (SceneLineage).
	CarryPlan(ctx context.Context, by audit.Actor, fromSceneID, toSceneID int64) (consent.PlanVersion, error)
	// SceneLineage is the scene and the scenes it was carried from, newest
	// first.
	SceneLineage(ctx context.Context, sceneID int64) ([]int64, error)

	// Riders. IssueRider records its delivery at the time of the call.
	IssueRider(ctx context.Context, by audit.Actor, r consent.NewRider) (consent.Rider, error)
	Rider(ctx context.Context, id int64) (consent.Rider, error)
	RidersOf(ctx context.Context, performerID int64) ([]consent.Rider, error)
	// SignRider records the performer's signature and, in the same
	// transaction, one consent per scene of the rider bound to the plan
	// hash and scene text hash the rider carries. A second signature, or
	// a digest that is not the rider's, is a Conflict and writes nothing.
	SignRider(ctx context.Context, by audit.Actor, riderID int64, sig consent.Signature) (consent.Rider, []consent.Consent, error)

	// Consents is, for each performer with a consent to the scene (through
	// its lineage), their latest consent with its withdrawal if withdrawn.
	Consents(ctx context.Context, sceneID int64) ([]consent.Consent, error)
	// WithdrawConsent appends a withdrawal of the performer's latest
	// consent to the scene, effective at once. sealedReason is the reason
	// sealed with WithdrawalAAD, or nil: the store keeps no plain reason.
	// Withdrawing what is already withdrawn changes nothing; withdrawing
	// with no consent at all is NotFound.
	WithdrawConsent(ctx context.Context, by audit.Actor, sceneID, performerID int64, sealedReason []byte, onBehalf bool) error
	// WithdrawalReason is a withdrawal's sealed reason, NotFound when none
	// was given.
	WithdrawalReason(ctx context.Context, withdrawalID int64) ([]byte, error)
	// ReconfirmConsent records the performer's consent to the scene's
	// current plan and text (given as hashes, which must be the scene's
	// latest) under the rider of their previous consent: a reduction
	// needs no new rider. The consent package decides when that is
	// allowed.
	ReconfirmConsent(ctx context.Context, by audit.Actor, sceneID, performerID int64, planHash, sceneTextHash string) (consent.Consent, error)

	// Safeguards of a scene with a minor: each minor performer's named
	// guardian and the studio teacher. The latest naming wins.
	NameGuardian(ctx context.Context, by audit.Actor, sceneID, performerID int64, name string) error
	NameStudioTeacher(ctx context.Context, by audit.Actor, sceneID int64, name string) error
	SceneSafeguards(ctx context.Context, sceneID int64) (consent.Safeguards, error)

	// A production's policy in force when it tightens its pack: opaque
	// JSON (consent.Policy), appended on every change. PolicyOf is false
	// while the production keeps its pack as published.
	SetPolicy(ctx context.Context, by audit.Actor, productionID int64, content []byte) error
	PolicyOf(ctx context.Context, productionID int64) (content []byte, ok bool, err error)
}

// BoundariesAAD is the additional data that binds a performer's sealed
// boundaries to their record: seal.Seal(key, plain, BoundariesAAD(id)).
func BoundariesAAD(performerID int64) []byte {
	return []byte(audit.Object("boundaries:performer", performerID))
}

// WithdrawalAAD binds a sealed withdrawal reason to the scene and
// performer it was given for.
func WithdrawalAAD(sceneID, performerID int64) []byte {
	return []byte(audit.Object("withdrawal:scene", sceneID) + ":" + audit.Object("performer", performerID))
}
