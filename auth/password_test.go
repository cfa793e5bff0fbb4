package auth

import (
	"bytes"
	"closedset"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/argon2"
)

// zeros is a fixed "random" source: tests choose their randomness.
func zeros() *bytes.Reader { return bytes.NewReader(make([]byte, 1024)) }

func TestPasswordHashAndCheck(t *testing.T) {
	h, err := HashPassword("correct horse battery staple", rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=65536,t=3,p=2$") {
		t.Errorf("hash %q does not carry the default parameters", h)
	}
	ok, rehash, err := CheckPassword(h, "correct horse battery staple")
	if !ok || rehash || err != nil {
		t.Errorf("right password: ok %v rehash %v err %v", ok, rehash, err)
	}
	for _, wrong := range []string{"correct horse battery stapl", "Correct horse battery staple", "correct horse battery staple "} {
		if ok, _, err := CheckPassword(h, wrong); ok || err != nil {
			t.Errorf("wrong password %q: ok %v err %v", wrong, ok, err)
		}
	}
}

func TestPasswordSaltComesFromRand(t *testing.T) {
	a, _ := HashPassword("pw", zeros())
	b, _ := HashPassword("pw", zeros())
	c, _ := HashPassword("pw", rand.Reader)
	if a != b || a == c {
		t.Errorf("same salt must give the same hash, another salt another:\n%s\n%s\n%s", a, b, c)
	}
	if !strings.Contains(a, "$AAAAAAAAAAAAAAAAAAAAAA$") {
		t.Errorf("the zero salt is not in %s", a)
	}
	if _, err := HashPassword("pw", bytes.NewReader(nil)); err == nil {
		t.Error("a failing random source was ignored")
	}
}

func TestPasswordLengthLimits(t *testing.T) {
	long := strings.Repeat("p", MaxPassword)
	h, err := HashPassword(long, zeros())
	if err != nil {
		t.Fatalf("a %d-byte password was refused: %v", MaxPassword, err)
	}
	for _, pw := range []string{"", long + "p"} {
		if _, err := HashPassword(pw, zeros()); !closedset.Is(err, closedset.Invalid) {
			t.Errorf("HashPassword(%d bytes) err = %v, want invalid", len(pw), err)
		}
		if ok, _, err := CheckPassword(h, pw); ok || !closedset.Is(err, closedset.Invalid) {
			t.Errorf("CheckPassword(%d bytes) = %v, %v, want invalid", len(pw), ok, err)
		}
	}
}

// TestOlderParametersAskForARehash: a hash made with weaker parameters
// still logs in, and says it should be replaced.
func TestOlderParametersAskForARehash(t *testing.T) {
	old := Argon2Params{Memory: 19 << 10, Time: 2, Threads: 1, SaltLen: 16, KeyLen: 32}
	salt := make([]byte, 16)
	h := encodePHC(old, salt, argon2.IDKey([]byte("pw"), salt, old.Time, old.Memory, old.Threads, 32))
	ok, rehash, err := CheckPassword(h, "pw")
	if !ok || !rehash || err != nil {
		t.Errorf("ok %v rehash %v err %v; want a match that needs a rehash", ok, rehash, err)
	}
}

// TestHostileHashesAreRefusedCheaply: parameters from a stored hash are
// bounded before anything is allocated.
func TestHostileHashesAreRefusedCheaply(t *testing.T) {
	salt := base64.RawStdEncoding.EncodeToString(make([]byte, 16))
	key := base64.RawStdEncoding.EncodeToString(make([]byte, 32))
	hash := func(params string) string { return "$argon2id$v=19$" + params + "$" + salt + "$" + key }
	cases := map[string]string{
		"4 GiB of memory":       hash("m=4194304,t=1,p=1"),
		"maximum uint32 memory": hash("m=4294967295,t=1,p=1"),
		"a thousand passes":     hash("m=65536,t=1000,p=1"),
		"memory times passes":   hash("m=262144,t=10,p=1"),
		"255 threads":           hash("m=65536,t=1,p=255"),
		"zero threads":          hash("m=65536,t=1,p=0"),
		"zero passes":           hash("m=65536,t=0,p=1"),
		"too little memory":     hash("m=8,t=1,p=2"),
		"leading zeros":         hash("m=065536,t=3,p=2"),
		"signed number":         hash("m=+65536,t=3,p=2"),
		"parameters reordered":  hash("t=3,m=65536,p=2"),
		"extra parameter":       hash("m=65536,t=3,p=2,x=1"),
		"argon2i":               strings.Replace(hash("m=65536,t=3,p=2"), "argon2id", "argon2i", 1),
		"version 16":            strings.Replace(hash("m=65536,t=3,p=2"), "v=19", "v=16", 1),
		"bcrypt":                "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy",
		"short salt":            "$argon2id$v=19$m=65536,t=3,p=2$AAAA$" + key,
		"padded salt":           "$argon2id$v=19$m=65536,t=3,p=2$" + salt + "==$" + key,
		"short key":             "$argon2id$v=19$m=65536,t=3,p=2$" + salt + "$AAAA",
		"huge key":              "$argon2id$v=19$m=65536,t=3,p=2$" + salt + "$" + strings.Repeat("A", 200),
		"extra field":           hash("m=65536,t=3,p=2") + "$x",
		"empty":                 "",
		"very long":             hash("m=65536,t=3,p=2") + strings.Repeat("A", 1<<20),
	}
	start := time.Now()
	for name, h := range cases {
		ok, _, err := CheckPassword(h, "pw")
		var e *closedset.Error
		if ok || !errors.As(err, &e) || e.Kind != closedset.Invalid {
			t.Errorf("%s: ok %v err %v, want invalid", name, ok, err)
		}
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("refusing %d bad hashes took %s: something was hashed", len(cases), d)
	}
}

func TestCheckNoUserSaysNo(t *testing.T) {
	if CheckNoUser("anything") {
		t.Error("CheckNoUser said yes")
	}
	if _, _, _, err := parsePHC(dummyHash); err != nil {
		t.Errorf("the dummy hash does not parse, so it spends no time: %v", err)
	}
}

// BenchmarkCheckPassword is the cost of one login: about 80 ms and 64 MiB
// on the 2-core development machine.
//
//	go test ./auth -run '^$' -bench CheckPassword -benchmem
func BenchmarkCheckPassword(b *testing.B) {
	h, _ := HashPassword("correct horse battery staple", rand.Reader)
	for b.Loop() {
		CheckPassword(h, "correct horse battery staple")
	}
}
