package web

import (
	"bytes"
	"net/http"
	"strings"
	"testing"
)

// FuzzAPIBodies sends arbitrary bodies to every JSON-decoding route, as a
// producer and IC of the production (a rider's signature as its
// performer): no panic, no 5xx.
func FuzzAPIBodies(f *testing.F) {
	for _, seed := range []string{
		`{"title": "T", "policy": "sag_aftra"}`,
		`{"email": "ic@example.org", "role": "ic"}`,
		`{"decision": "confirmed", "note": "ok"}`,
		`{"name": "ci"}`,
		`{"title": "\u0000", "policy": "custom", "time_zone": "Europe/London"}`,
		`{"email": "x", "password": "y"}`,
		`[]`, `null`, `{"a":`, `{} {}`, `{"title": 1e999}`,
		// The consent ledger's bodies.
		`{"description": "d", "performers": [{"performer_id": 1, "nudity": {"level": "partial", "areas": ["buttocks"], "angles": ["rear"]}, "acts": ["simulated intercourse"], "garments": ["strapless thong"]}], "barriers": ["barrier cushion"], "beats": [{"order": 1, "performers": [1], "action": "a", "contact_areas": ["neck"], "count": "8"}]}`,
		`{"touch": [{"area": "back", "by": "scene partner", "allowed": true}], "no_touch": ["face"], "exposure": [{"area": "buttocks", "angles": ["rear"], "allowed": false}], "garments": ["robe"], "notes": "n"}`,
		`{"typed_name": "Nora Player", "agree": true}`,
		`{"performer_id": 1, "reason": "r"}`,
		`{"call_time": "2026-04-01T07:00"}`,
		`{"guardians": [{"performer_id": 1, "name": "g"}], "studio_teacher": "t"}`,
		`{"name": "n", "date_of_birth": "2008-02-29", "characters": ["ANNA"], "email": "a@b.c"}`,
		// The shoot day's bodies.
		`{"department": "costume", "text": "two nude thongs, size S", "due": "2026-03-05T07:00", "performer_id": 1}`,
		`{"state": "done", "note": "fitted"}`,
		`{"date": "2026-06-15", "scene_ids": [1, 2]}`,
		`{"people": [{"name": "A", "role": "director", "where": "monitor"}], "monitors": [{"where": "v"}], "no_personal_devices": true, "stills": true, "robe_person": "R"}`,
		`{"version": 1}`,
		`{"performers": [1], "others": [{"name": "D", "role": "director"}], "walked": "w", "changes": "c", "plan": {"description": "d"}}`,
		`{}`,
		`{"performer_id": 1, "answer": "time out"}`,
		`{"text": "t", "agreed_by": [1, 1, -3]}`,
		`{"performer_id": 1, "notes": "n", "follow_up_offered": true}`,
		`{"held_by": "h", "held_at": "2026-04-01T18:00", "notes": "n"}`,
		`{"hash": "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"}`,
		// The IC's own record.
		`{"trainings": [{"area": "consent", "provider": "IPA", "completed_on": "2025-01-01", "proof_file_id": 1}], "mhfa": {"completed_on": "2025-01-01", "expires_on": "2028-01-01"}, "background_check": {"on": "2025-02-01", "scope": "national"}, "set_days": [{"on": "2024-02-29", "production": "P", "proof_file_id": 1}], "certification": {"body": "IPA", "issued_on": "2025-03-01"}}`,
		`{"stage": "module_3", "note": "n"}`,
		`{"trainer": true}`,
		`{"user_id": 1}`,
		`{"shared": true}`,
		// A shooting schedule (CSV).
		"Scene,Date,Call\r\n5,2026-04-01,07:00\r\n6A,2026-04-02,18:30\r\n",
		// Alerts.
		`{"email": true, "push": false}`,
		`{"endpoint": "https://push.example/send/1", "keys": {"p256dh": "BKey", "auth": "secret"}, "expirationTime": null}`,
	} {
		for route := range 35 {
			f.Add(uint8(route), []byte(seed))
		}
	}
	w := newWorld(f)
	w.withTake(f)
	paths := []string{
		"/api/v1/productions",
		"/api/v1/productions/" + itoa(w.prod.ID) + "/members",
		"/api/v1/flags/" + itoa(w.flag.ID) + "/review",
		"/api/v1/tokens",
		"/api/v1/session",
		"/api/v1/productions/" + itoa(w.prod.ID) + "/scripts?filename=f.fountain",
		"PUT /api/v1/scenes/" + itoa(w.scene.ID) + "/plan",
		"PUT /api/v1/performers/" + itoa(w.performer.ID) + "/boundaries",
		"/api/v1/riders/" + itoa(w.rider.ID) + "/sign",
		"/api/v1/scenes/" + itoa(w.scene.ID) + "/consents/withdraw",
		"/api/v1/scenes/" + itoa(w.scene.ID) + "/consents/reconfirm",
		"PUT /api/v1/scenes/" + itoa(w.scene.ID) + "/schedule",
		"PUT /api/v1/scenes/" + itoa(w.scene.ID) + "/safeguards",
		"/api/v1/productions/" + itoa(w.prod.ID) + "/performers",
		"/api/v1/scenes/" + itoa(w.scene.ID) + "/requests",
		"/api/v1/requests/" + itoa(w.request.ID) + "/state",
		"/api/v1/productions/" + itoa(w.prod.ID) + "/shoot-days",
		"PUT /api/v1/scenes/" + itoa(w.scene.ID) + "/closed-set",
		"/api/v1/scenes/" + itoa(w.scene.ID) + "/closed-set/approve",
		"/api/v1/scenes/" + itoa(w.scene.ID) + "/rehearsals",
		"/api/v1/scenes/" + itoa(w.scene.ID) + "/takes",
		"/api/v1/takes/" + itoa(w.take.ID) + "/check-ins",
		"/api/v1/takes/" + itoa(w.take.ID) + "/deviations",
		"/api/v1/scenes/" + itoa(w.scene.ID) + "/step-outs",
		"/api/v1/scenes/" + itoa(w.scene.ID) + "/debriefs",
		"/api/v1/scenes/" + itoa(w.scene.ID) + "/crew-debriefs",
		"/api/v1/shoot-days/" + itoa(w.day.ID) + "/report/sign",
		"PUT /api/v1/me/ic-profile",
		"/api/v1/users/" + itoa(w.target.ID) + "/pathway/signoffs",
		"PUT /api/v1/users/" + itoa(w.target.ID) + "/trainer",
		"PUT /api/v1/productions/" + itoa(w.prod.ID) + "/ic-of-record",
		"PUT /api/v1/productions/" + itoa(w.prod.ID) + "/proof-share",
		"/api/v1/productions/" + itoa(w.prod.ID) + "/schedule",
		"PUT /api/v1/me/alerts",
		"/api/v1/me/push-subscriptions",
	}
	f.Fuzz(func(t *testing.T, route uint8, body []byte) {
		path := paths[int(route)%len(paths)]
		method := "POST"
		if m, p, ok := strings.Cut(path, " "); ok {
			method, path = m, p
		}
		// The IC reaches every write but the schedule, the producer's; an
		// IC is never also the producer.
		who := "ic"
		if strings.HasSuffix(path, "/schedule") || strings.HasSuffix(path, "/shoot-days") || strings.HasSuffix(path, "/ic-of-record") {
			who = "producer"
		}
		switch {
		case strings.HasSuffix(path, "/signoffs"):
			who = "trainer"
		case strings.HasSuffix(path, "/trainer"):
			who = "admin"
		}
		if strings.HasSuffix(path, "/sign") || strings.HasSuffix(path, "/reconfirm") {
			who = "performer" // nobody else signs or re-confirms
		}
		r := newRequest(call{method: method, path: path, body: bytes.NewReader(body)})
		r.Header.Set("Content-Type", "application/json")
		r.Header.Set("Authorization", "Bearer "+w.tokens[who])
		res := serve(w.env, r)
		if res.Code >= 500 || res.Code < 200 {
			t.Fatalf("POST %s %q: status %d: %s", path, body, res.Code, res.Body)
		}
		if res.Code == http.StatusTooManyRequests && path != "/api/v1/session" {
			t.Fatalf("POST %s: 429", path)
		}
	})
}
