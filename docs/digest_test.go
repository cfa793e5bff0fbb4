package docs

import (
	"bytes"
	"reflect"
	"strconv"
	"testing"
	"time"
)

func TestDigestIsStableUnderRerender(t *testing.T) {
	r := fullRider(t)
	before := Digest(r)
	var b bytes.Buffer
	if err := RenderRiderPDF(&b, r, A4); err != nil {
		t.Fatal(err)
	}
	if err := RenderRiderHTML(&b, r); err != nil {
		t.Fatal(err)
	}
	if after := Digest(r); after != before {
		t.Fatalf("digest changed by rendering: %s then %s", before, after)
	}
	if again := Digest(fullRider(t)); again != before {
		t.Fatalf("equal riders, different digests: %s and %s", before, again)
	}
	if len(before) != 64 {
		t.Fatalf("digest %q is not hex SHA-256", before)
	}
}

// TestDigestChangesWithAnyField changes every leaf of the rider in turn,
// found by reflection so that a field added later is covered too.
func TestDigestChangesWithAnyField(t *testing.T) {
	base := Digest(fullRider(t))
	n := 0
	for ; ; n++ {
		r := fullRider(t)
		k := n
		path, ok := mutateLeaf(reflect.ValueOf(&r).Elem(), "rider", &k)
		if !ok {
			break
		}
		if Digest(r) == base {
			t.Errorf("changing %s leaves the digest unchanged", path)
		}
	}
	t.Logf("%d fields changed one at a time", n)
	if n < 40 {
		t.Fatalf("only %d fields changed: the walk is broken", n)
	}
}

// mutateLeaf changes the k-th leaf (string, int, time, or a list by
// appending) in depth-first order and returns its path.
func mutateLeaf(v reflect.Value, path string, k *int) (string, bool) {
	hit := func() bool {
		if *k == 0 {
			return true
		}
		*k--
		return false
	}
	switch v.Kind() {
	case reflect.String:
		if hit() {
			v.SetString(v.String() + "·")
			return path, true
		}
	case reflect.Int, reflect.Int64:
		if hit() {
			v.SetInt(v.Int() + 1)
			return path, true
		}
	case reflect.Struct:
		if v.Type() == reflect.TypeOf(time.Time{}) {
			if hit() {
				v.Set(reflect.ValueOf(v.Interface().(time.Time).Add(time.Minute)))
				return path, true
			}
			return "", false
		}
		for j := 0; j < v.NumField(); j++ {
			if !v.Field(j).CanSet() {
				continue // unexported: how a copy is shown, not content
			}
			if p, ok := mutateLeaf(v.Field(j), path+"."+v.Type().Field(j).Name, k); ok {
				return p, true
			}
		}
	case reflect.Slice:
		if hit() {
			v.Set(reflect.Append(v, reflect.Zero(v.Type().Elem())))
			return path + "+", true
		}
		for j := 0; j < v.Len(); j++ {
			if p, ok := mutateLeaf(v.Index(j), path+"["+strconv.Itoa(j)+"]", k); ok {
				return p, true
			}
		}
	}
	return "", false
}

func TestDigestKeepsFieldBoundaries(t *testing.T) {
	a, b := fullRider(t), fullRider(t)
	a.Scenes[0].Acts = []string{"simulated kiss", ""}
	b.Scenes[0].Acts = []string{"simulated", "kiss"}
	if Digest(a) == Digest(b) {
		t.Error("moving text between list items does not change the digest")
	}
	c, d := fullRider(t), fullRider(t)
	c.Scenes[0].Heading, c.Scenes[0].Description = "INT. ROOM", "kiss"
	d.Scenes[0].Heading, d.Scenes[0].Description = "INT. ROOMkiss", ""
	if Digest(c) == Digest(d) {
		t.Error("moving text between fields does not change the digest")
	}
}

func TestDigestSeesTheTimeZone(t *testing.T) {
	a := fullRider(t)
	b := fullRider(t)
	b.IssuedAt = a.IssuedAt.In(zone(t, "Europe/London")) // the same instant, printed otherwise
	if Digest(a) == Digest(b) {
		t.Error("the same instant shown in another zone keeps the digest")
	}
}
