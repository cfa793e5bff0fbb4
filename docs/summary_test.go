package docs

import (
	"bytes"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

func TestSummaryPDFCarriesEveryField(t *testing.T) {
	s := fullSummary(t)
	var b bytes.Buffer
	if err := RenderSummaryPDF(&b, s, A4); err != nil {
		t.Fatal(err)
	}
	pages := pdfText(t, b.Bytes())
	text := flat(pages)
	want := []string{"Top-line summary — Harbor Lights", s.Policy, whenText(s.PreparedAt),
		"Zoë Ødegård as Mara", "Nguyễn Thị Lan as Дарья", "Дарья Соколова",
		"Closed set yes", "Closed set no", "Call time not scheduled", "Hair and makeup"}
	for _, sc := range s.Scenes {
		want = append(want, sceneTitle(sc.Number, sc.Heading), pagesText(sc.Pages), sc.WhatHappens)
		if !sc.CallTime.IsZero() {
			want = append(want, whenText(sc.CallTime))
		}
		for _, l := range [][]string{sc.Costume, sc.Props, sc.HMU, sc.Camera, sc.Stunts} {
			want = append(want, l...)
		}
	}
	for _, w := range want {
		if !strings.Contains(text, w) {
			t.Errorf("summary PDF lacks %q", w)
		}
	}
	for i, p := range pages {
		if foot := fmt.Sprintf("page %d of %d", i+1, len(pages)); !strings.Contains(p, foot) {
			t.Errorf("page %d lacks %q", i+1, foot)
		}
	}
}

func TestSummaryHTMLCarriesEveryField(t *testing.T) {
	s := fullSummary(t)
	var b bytes.Buffer
	if err := RenderSummaryHTML(&b, s); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, sc := range s.Scenes {
		for _, w := range append([]string{sc.WhatHappens, pagesText(sc.Pages)}, sc.Costume...) {
			if !strings.Contains(out, w) {
				t.Errorf("summary HTML lacks %q", w)
			}
		}
	}
	if !strings.Contains(out, `<dd class="closed">yes</dd>`) {
		t.Error("the closed set is not marked")
	}
}

// TestSummaryHasNoPlaceForPrivateData walks the summary's types: a field that
// could hold a boundary, a reason, a note or a withdrawal has no business in a
// document that departments read.
func TestSummaryHasNoPlaceForPrivateData(t *testing.T) {
	forbidden := []string{"boundar", "reason", "note", "private", "withdraw", "consent", "birth", "age", "email", "phone", "health", "touch"}
	seen := map[reflect.Type]bool{}
	var walk func(reflect.Type, string)
	walk = func(typ reflect.Type, path string) {
		switch typ.Kind() {
		case reflect.Slice, reflect.Pointer:
			walk(typ.Elem(), path)
			return
		case reflect.Struct:
		default:
			return
		}
		if seen[typ] || typ.PkgPath() != reflect.TypeOf(Summary{}).PkgPath() {
			return
		}
		seen[typ] = true
		for i := 0; i < typ.NumField(); i++ {
			f := typ.Field(i)
			name := strings.ToLower(f.Name)
			for _, bad := range forbidden {
				if strings.Contains(name, bad) && name != "pages" {
					t.Errorf("%s.%s: a summary field named like private data (%q)", path, f.Name, bad)
				}
			}
			walk(f.Type, path+"."+f.Name)
		}
	}
	walk(reflect.TypeOf(Summary{}), "Summary")
	if len(seen) < 3 {
		t.Fatalf("walked %d types: the walk is broken", len(seen))
	}
}

func TestSummaryRefusesAnIncompleteSummary(t *testing.T) {
	s := fullSummary(t)
	s.Scenes[0].Number = ""
	var b bytes.Buffer
	if err := RenderSummaryPDF(&b, s, A4); err == nil || !strings.Contains(err.Error(), "scene 1 has no number") {
		t.Errorf("got %v, want an error naming scene 1", err)
	}
	if err := RenderSummaryHTML(&b, s); err == nil {
		t.Error("HTML rendered a scene without a number")
	}
	if b.Len() != 0 {
		t.Errorf("wrote %d bytes", b.Len())
	}
}
