package docs

import (
	"bytes"
	"reflect"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // the zones these tests use, on any host
)

func notice(t testing.TB) ClosedSetNotice {
	london, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Fatal(err)
	}
	return ClosedSetNotice{
		Production: "Harbor Lights", Number: "12", Heading: "INT. BEDROOM - NIGHT", Version: 2,
		CallTime:   time.Date(2026, 6, 15, 7, 30, 0, 0, london),
		OnSet:      []NoticePerson{{"Zoë Ødegård", "director"}, {"Bo Operator", "camera operator"}},
		AtMonitors: []NoticePerson{{"Дарья Соколова", "script supervisor"}},
		Monitors:   []string{"video village behind flat B"},
		RobePerson: "Cy Robe", Approved: true,
		Approvals: []NoticeApproval{{"Intimacy coordinator", "Ida IC", time.Date(2026, 6, 14, 9, 0, 0, 0, london)},
			{"Assistant director", "Al AD", time.Date(2026, 6, 14, 10, 0, 0, 0, london)}},
		PreparedAt: time.Date(2026, 6, 14, 11, 0, 0, 0, london),
	}
}

func TestClosedSetNoticePDFCarriesEveryField(t *testing.T) {
	n := notice(t)
	var b bytes.Buffer
	if err := RenderClosedSetPDF(&b, n, A4); err != nil {
		t.Fatal(err)
	}
	text := flat(pdfText(t, b.Bytes()))
	for _, w := range []string{"Closed set — Scene 12 — INT. BEDROOM - NIGHT", noticeRule, whenText(n.CallTime),
		"Zoë Ødegård — director", "Bo Operator — camera operator", "Дарья Соколова — script supervisor",
		"video village behind flat B", noticeNoDevices, noticeStillsNo, "Cy Robe",
		"Intimacy coordinator: Ida IC", "Assistant director: Al AD", "version 2"} {
		if !strings.Contains(text, w) {
			t.Errorf("notice PDF lacks %q", w)
		}
	}
	if strings.Contains(text, "DRAFT") {
		t.Error("an approved notice says DRAFT")
	}
}

func TestClosedSetNoticeNotApprovedIsADraft(t *testing.T) {
	n := notice(t)
	n.Approved, n.Approvals, n.Stills = false, n.Approvals[:1], true
	var pdf, html bytes.Buffer
	if err := RenderClosedSetPDF(&pdf, n, Letter); err != nil {
		t.Fatal(err)
	}
	if err := RenderClosedSetHTML(&html, n); err != nil {
		t.Fatal(err)
	}
	text := flat(pdfText(t, pdf.Bytes()))
	for name, doc := range map[string]string{"PDF": text, "HTML": html.String()} {
		for _, w := range []string{"DRAFT", noticeStillsYes, "Zoë Ødegård"} {
			if !strings.Contains(doc, w) {
				t.Errorf("%s of an unapproved notice lacks %q", name, w)
			}
		}
	}
	if strings.Contains(html.String(), "<script") {
		t.Error("the notice carries a script")
	}
}

func TestClosedSetNoticeRefusesAnIncompleteNotice(t *testing.T) {
	n := notice(t)
	n.Version = 0
	var b bytes.Buffer
	if RenderClosedSetPDF(&b, n, A4) == nil || RenderClosedSetHTML(&b, n) == nil || b.Len() != 0 {
		t.Errorf("a notice without a version rendered %d bytes", b.Len())
	}
}

// TestClosedSetNoticeHasNoPlaceForPrivateData: the notice goes on a door;
// its types hold names and jobs, nothing of a performer's.
func TestClosedSetNoticeHasNoPlaceForPrivateData(t *testing.T) {
	for _, typ := range []reflect.Type{reflect.TypeOf(ClosedSetNotice{}), reflect.TypeOf(NoticePerson{}), reflect.TypeOf(NoticeApproval{})} {
		for i := 0; i < typ.NumField(); i++ {
			name := strings.ToLower(typ.Field(i).Name)
			for _, bad := range []string{"boundar", "reason", "note", "private", "withdraw", "birth", "email", "phone", "health", "touch", "nudity"} {
				if strings.Contains(name, bad) {
					t.Errorf("%s.%s: a notice field named like private data", typ.Name(), typ.Field(i).Name)
				}
			}
		}
	}
}
