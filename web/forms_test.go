package web

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"closedset"
	"closedset/textfield"
)

// postForm posts a form as who (by token) and returns the answer.
func (w *world) postForm(who, path string, form url.Values) (int, string, http.Header) {
	w.t.Helper()
	got := w.do(call{method: "POST", path: path, cred: cred{token: w.tokens[who]},
		body: strings.NewReader(form.Encode()), contentType: "application/x-www-form-urlencoded"})
	return got.Code, got.Body.String(), got.Header()
}

// fieldErrorShown checks that a page shows msg next to the input with id
// input: the message element the input names in aria-describedby, the
// input marked aria-invalid, and a link to the input in the summary at the
// top of the page.
func fieldErrorShown(t *testing.T, body, input, msg string) {
	t.Helper()
	page := html.UnescapeString(body)
	m := regexp.MustCompile(`<p class="field-error" id="` + regexp.QuoteMeta(input) + `-error">(.*?)</p>`).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no error message for %s on the page:\n%s", input, errorPart(page))
	}
	if !strings.Contains(m[1], msg) {
		t.Errorf("the message for %s is %q, want it to say %q", input, m[1], msg)
	}
	tag := regexp.MustCompile(`<(?:input|select|textarea|div|p|span)\b[^>]*\bid="` + regexp.QuoteMeta(input) + `"[^>]*>`).FindString(page)
	if tag == "" {
		t.Fatalf("no element with id %s", input)
	}
	if !strings.Contains(tag, `aria-invalid="true"`) || !regexp.MustCompile(`aria-describedby="[^"]*\b`+regexp.QuoteMeta(input)+`-error\b`).MatchString(tag) {
		t.Errorf("the input %s is not marked invalid and linked to its message: %s", input, tag)
	}
	summary := regexp.MustCompile(`(?s)<div class="error-summary" role="alert".*?</div>`).FindString(page)
	if !strings.Contains(summary, `<a href="#`+input+`">`) || !strings.Contains(summary, msg) {
		t.Errorf("the summary at the top does not link to %s with the message:\n%s", input, summary)
	}
	if strings.Index(page, `class="error-summary"`) > strings.Index(page, `id="`+input+`"`) {
		t.Errorf("the summary is not above the form")
	}
}

func errorPart(page string) string {
	if i := strings.Index(page, "error"); i >= 0 {
		return page[i:min(len(page), i+1500)]
	}
	return page[:min(len(page), 1500)]
}

// TestFormErrorsAreNextToTheirFields: each form of the app, posted with a
// mistake, comes back with 4xx, what was typed kept, and a message in
// plain words beside the input it concerns (no API field paths, no Go
// formats), linked from a summary at the top.
func TestFormErrorsAreNextToTheirFields(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	prod, scene := "/productions/"+itoa(w.prod.ID), "/scenes/"+itoa(w.scene.ID)
	minor, err := w.srv.createPerformer(ctx, w.asIC(), performerIn{Name: "Young Player", DateOfBirth: "2015-06-01", Characters: []string{w.scene.Characters[0]}})
	if err != nil {
		t.Fatal(err)
	}
	k := fmt.Sprintf("p%d-", w.performer.ID)
	tests := []struct {
		name     string
		who      string
		path     string
		form     url.Values
		status   int
		input    string
		msg      string
		kept     []string // typed values the form shows again
		notShown []string // developer-speak the page must not show
	}{
		{"performer: no date of birth", "ic", prod + "/performers",
			url.Values{"name": {"Ann Typed"}, "characters": {"ANNA, MARK"}, "date_of_birth": {""}},
			400, "performer-dob", "Date of birth: enter a date like 1990-04-01", []string{"Ann Typed", "ANNA, MARK"}, []string{"date_of_birth", "YYYY-MM-DD"}},
		{"performer: date of birth in the future", "ic", prod + "/performers",
			url.Values{"name": {"Ann Typed"}, "date_of_birth": {"2031-01-01"}},
			400, "performer-dob", "Date of birth: 2031-01-01 is not before today", []string{"Ann Typed", `value="2031-01-01"`}, []string{"date_of_birth"}},
		{"performer: over 120", "ic", prod + "/performers",
			url.Values{"name": {"Ann Typed"}, "date_of_birth": {"1890-01-01"}},
			400, "performer-dob", "Date of birth: 1890-01-01 would make them over 120", []string{"Ann Typed"}, nil},
		{"performer: a character twice", "ic", prod + "/performers",
			url.Values{"name": {"Ann Typed"}, "date_of_birth": {"1990-01-01"}, "characters": {"ANNA, anna"}},
			400, "performer-characters", "Characters: ", []string{"ANNA, anna"}, []string{"characters[1]"}},
		{"member: not an email", "producer", prod + "/members",
			url.Values{"email": {"nobody at example.org"}, "role": {"ad"}},
			400, "member-email", "is not an email address", []string{`value="nobody at example.org"`}, nil},
		{"policy: notice not a number", "producer", prod + "/policy",
			url.Values{"notice_hours": {"two days"}, "studio_teacher_under": {"16"}, "pause_word": {"hold"}},
			400, "policy-notice", "Rider notice: enter a whole number of hours", nil, []string{"notice_hours"}},
		{"upload: no file", "ic", prod + "/scripts", url.Values{"script": {"new"}},
			400, "file", "Choose a script file to upload", nil, nil},
		{"call time: not a date", "ad", scene + "/schedule", url.Values{"call_time": {"tomorrow morning"}},
			400, "call_time", "Call time: enter a date and a time", []string{`value="tomorrow morning"`}, []string{"YYYY"}},
		{"safeguards: a guardian's name too long", "ic", scene + "/safeguards",
			url.Values{fmt.Sprintf("guardian-%d", minor.ID): {strings.Repeat("g", textfield.MaxName+1)}, "studio_teacher": {"Tess Teacher"}},
			400, fmt.Sprintf("guardian-%d", minor.ID), fmt.Sprintf("Guardian: make it at most %d characters", textfield.MaxName), []string{"Tess Teacher"}, []string{"guardians["}},
		{"plan: no description", "ic", scene + "/plan",
			url.Values{"description": {""}, "camera": {"Typed camera"}, k + "in": {"on"}, k + "level": {"none"}},
			400, "description", "Description: fill this in", []string{"Typed camera"}, []string{"is empty"}},
		{"plan: a performer's nudity level", "ic", scene + "/plan",
			url.Values{"description": {"Typed description"}, k + "in": {"on"}, k + "level": {"lots"}},
			400, k + "level", "Nudity for Nora Player: ", []string{"Typed description"}, []string{"performers[0]"}},
		{"plan: a bad beat line", "ic", scene + "/plan",
			url.Values{"description": {"Typed description"}, k + "in": {"on"}, k + "level": {"none"}, "beats": {"1 | Nora Player | kiss\nfirst | Nora Player | hug"}},
			400, "beats", "Beat line 2: begin the line with its order", []string{"first | Nora Player | hug"}, nil},
		{"plan: a minor's nudity", "ic", scene + "/plan",
			url.Values{"description": {"Typed description"}, fmt.Sprintf("p%d-in", minor.ID): {"on"}, fmt.Sprintf("p%d-level", minor.ID): {"partial"}},
			422, fmt.Sprintf("p%d-level", minor.ID), "Nudity for Young Player: ", []string{"Typed description"}, nil},
		{"rider: not agreed", "performer", "/riders/" + itoa(w.rider.ID) + "/sign", url.Values{"typed_name": {"Nora Typed"}},
			422, "agree", "Tick that you agree to sign electronically", []string{`value="Nora Typed"`}, nil},
		{"rider: wrong name", "performer", "/riders/" + itoa(w.rider.ID) + "/sign", url.Values{"typed_name": {"Someone Else"}, "agree": {"on"}},
			422, "typed_name", "Type your full name as it appears on the rider: Nora Player", []string{`value="Someone Else"`}, nil},
		{"withdraw: a reason too long", "performer", scene + "/consents/withdraw",
			url.Values{"performer_id": {itoa(w.performer.ID)}, "return": {"me"}, "reason": {strings.Repeat("r", textfield.MaxReason+1)}},
			400, "reason-" + itoa(w.scene.ID), fmt.Sprintf("Reason: make it at most %d characters", textfield.MaxReason), []string{strings.Repeat("r", 50)}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			status, body, _ := w.postForm(tc.who, tc.path, tc.form)
			if status != tc.status {
				t.Fatalf("status %d, want %d:\n%s", status, tc.status, errorPart(html.UnescapeString(body)))
			}
			fieldErrorShown(t, body, tc.input, tc.msg)
			page := html.UnescapeString(body)
			for _, v := range tc.kept {
				if !strings.Contains(page, v) {
					t.Errorf("the form lost what was typed: %q", v)
				}
			}
			errs := regexp.MustCompile(`(?s)<div class="error-summary".*?</div>`).FindString(page)
			for _, v := range tc.notShown {
				if strings.Contains(errs, v) {
					t.Errorf("the message shows %q:\n%s", v, errs)
				}
			}
		})
	}
}

// TestBoundaryErrorIsBesideItsRow: a touch rule whose "by whom" the form
// could not read is reported beside that rule's row, in words.
func TestBoundaryErrorIsBesideItsRow(t *testing.T) {
	w := newWorld(t)
	form := url.Values{"t0-area": {"lips"}, "t0-rule": {"allowed"}, "t0-by": {"the whole crew"}, "notes": {"Typed note"}}
	status, body, _ := w.postForm("ic", "/performers/"+itoa(w.performer.ID)+"/boundaries", form)
	if status != http.StatusBadRequest {
		t.Fatalf("status %d, want 400", status)
	}
	// The rule is the first touch rule on lips; the form lays its row out
	// in the vocabulary's order, so find its index in the page.
	m := regexp.MustCompile(`name="(t\d+)-area" value="lips"`).FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no touch row for lips")
	}
	fieldErrorShown(t, body, m[1]+"-by", "Touch on lips: say who may touch")
	if !strings.Contains(body, "Typed note") {
		t.Error("the notes typed are lost")
	}
}

// TestSignInErrorKeepsTheEmail: a wrong password answers 401 with the
// email kept and the message in the summary.
func TestSignInErrorKeepsTheEmail(t *testing.T) {
	e := newEnv(t)
	e.user("ada@example.org", "Ada Lee", false)
	got := e.do(call{method: "POST", path: "/signin", body: strings.NewReader(url.Values{"email": {"ada@example.org"}, "password": {"wrong"}}.Encode()),
		contentType: "application/x-www-form-urlencoded"})
	body := got.Body.String()
	if got.Code != http.StatusUnauthorized || !strings.Contains(body, `value="ada@example.org"`) || !strings.Contains(body, `class="error-summary" role="alert"`) {
		t.Fatalf("sign-in with a wrong password: %d\n%s", got.Code, errorPart(body))
	}
}

// TestFutureDateOfBirthRefusedByTheAPI: the API refuses what the page
// refuses, naming the field.
func TestFutureDateOfBirthRefusedByTheAPI(t *testing.T) {
	w := newWorld(t)
	for _, dob := range []string{"2031-01-01", "1800-05-05", ""} {
		got := w.do(call{method: "POST", path: "/api/v1/productions/" + itoa(w.prod.ID) + "/performers", cred: cred{token: w.tokens["ic"]},
			body: jsonBody(map[string]any{"name": "Future Person", "date_of_birth": dob})})
		if code, msg := errorCode(t, got); got.Code != http.StatusBadRequest || code != "bad_request" || !strings.HasPrefix(msg, "date_of_birth: ") {
			t.Errorf("date of birth %q: %d %s %q, want 400 naming date_of_birth", dob, got.Code, code, msg)
		}
	}
}

// TestPlainMessages: the rewriting of field errors into plain words.
func TestPlainMessages(t *testing.T) {
	dob := formField{Input: "dob", Label: "Date of birth", Hint: "enter a date like 1990-04-01"}
	for _, tc := range []struct {
		f    formField
		err  *closedset.Error
		want string
	}{
		{dob, closedset.FieldErrorf(closedset.Invalid, "date_of_birth", `date "" is not YYYY-MM-DD`), "Date of birth: enter a date like 1990-04-01"},
		{dob, closedset.FieldErrorf(closedset.Invalid, "date_of_birth", "required (YYYY-MM-DD)"), "Date of birth: enter a date like 1990-04-01"},
		{formField{Label: "Name"}, closedset.FieldErrorf(closedset.Invalid, "name", "is empty"), "Name: fill this in"},
		{formField{Label: "Name"}, closedset.FieldErrorf(closedset.Invalid, "name", "is 201 characters, over 200"), "Name: make it at most 200 characters (it has 201)"},
		{formField{Label: "Rider notice"}, closedset.FieldErrorf(closedset.RuleViolation, "notice_period", "notice_period: 24h is shorter than 48h"), "Rider notice: 24h is shorter than 48h"},
		{formField{}, closedset.FieldErrorf(closedset.Invalid, "guardian_name", "is empty"), "Guardian name: fill this in"},
	} {
		if got := formErrorsOf(tc.err, nil, tc.f); len(got) != 1 || got[0].Message != tc.want {
			t.Errorf("%v: %+v, want %q", tc.err, got, tc.want)
		}
	}
}
