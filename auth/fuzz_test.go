package auth

import (
	"closedset"
	"testing"
)

// FuzzCheckPassword feeds arbitrary stored hashes and passwords to
// CheckPassword: it must never panic, and whatever it accepts to hash must
// be within the bounds (so a hostile hash never allocates more than 256 MiB).
// Seeds are in testdata/fuzz/FuzzCheckPassword.
func FuzzCheckPassword(f *testing.F) {
	f.Add("$argon2id$v=19$m=64,t=1,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "pw")
	f.Fuzz(func(t *testing.T, encoded, pw string) {
		p, _, _, perr := parsePHC(encoded)
		if perr == nil && (p.Memory > maxMemory || p.Time > maxTime || p.Threads > maxThreads ||
			uint64(p.Memory)*uint64(p.Time) > maxWork) {
			t.Fatalf("parameters out of bounds accepted: %+v", p)
		}
		ok, _, err := CheckPassword(encoded, pw)
		if ok && err != nil {
			t.Fatal("ok with an error")
		}
		if err == nil && perr != nil {
			t.Fatalf("CheckPassword accepted a hash parsePHC refuses: %v", perr)
		}
		if err != nil && !closedset.Is(err, closedset.Invalid) {
			t.Fatalf("error %v, want an invalid stored hash", err)
		}
	})
}
