package auth

import (
	"closedset"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"io"
	"strconv"
	"strings"

	"golang.org/x/crypto/argon2"
)

// Argon2Params are the argon2id parameters of a password hash.
type Argon2Params struct {
	Memory  uint32 // KiB
	Time    uint32 // passes
	Threads uint8
	SaltLen int // bytes
	KeyLen  int // bytes
}

// DefaultParams are the parameters of new password hashes: RFC 9106's
// second recommended option (64 MiB, 3 passes) with 2 lanes for a small
// server. On the 2-core development machine one hash takes about 80 ms and
// 64 MiB; the web layer should bound concurrent logins (a semaphore of a
// few) so that a burst costs a known amount of memory. Stored hashes carry
// their parameters, so these may rise later; CheckPassword then reports
// needsRehash.
var DefaultParams = Argon2Params{Memory: 64 << 10, Time: 3, Threads: 2, SaltLen: 16, KeyLen: 32}

// Bounds on parameters read from a stored hash: a hostile or corrupted
// hash must not make a login allocate gigabytes or run for minutes.
const (
	maxMemory    = 256 << 10 // KiB: 256 MiB
	maxTime      = 10
	maxWork      = 4 * (64 << 10) * 3 // Memory*Time: four times the default's work
	maxThreads   = 16
	minSaltLen   = 8
	maxSaltLen   = 64
	minKeyLen    = 16
	maxKeyLen    = 64
	maxEncoded   = 256 // bytes of the whole PHC string
	argon2Prefix = "$argon2id$v=19$"
)

// MinPassword is the shortest password a person may choose, in
// characters: long enough that a passphrase is the easy way to meet it.
const MinPassword = 12

// MaxPassword is the longest password accepted, in bytes: far beyond any
// passphrase, short enough that hashing it costs nothing extra.
const MaxPassword = 1024

// checkPasswordInput rejects what is never a password: empty, or so long
// that hashing it is a way to spend the server's time.
func checkPasswordInput(pw string) error {
	switch {
	case pw == "":
		return closedset.Errorf(closedset.Invalid, "password is empty")
	case len(pw) > MaxPassword:
		return closedset.Errorf(closedset.Invalid, "password is %d bytes, over the %d-byte limit", len(pw), MaxPassword)
	}
	return nil
}

// HashPassword hashes pw with argon2id and DefaultParams, with a salt read
// from rand, and returns it as a PHC string:
//
//	$argon2id$v=19$m=65536,t=3,p=2$<salt>$<key>
//
// salt and key in unpadded standard base64. Passwords are hashed as the
// bytes given (no Unicode normalisation). Pass crypto/rand.Reader in
// production.
func HashPassword(pw string, rand io.Reader) (string, error) {
	if err := checkPasswordInput(pw); err != nil {
		return "", err
	}
	p := DefaultParams
	salt := make([]byte, p.SaltLen)
	if _, err := io.ReadFull(rand, salt); err != nil {
		return "", fmt.Errorf("auth: reading a salt: %w", err)
	}
	key := argon2.IDKey([]byte(pw), salt, p.Time, p.Memory, p.Threads, uint32(p.KeyLen))
	return encodePHC(p, salt, key), nil
}

func encodePHC(p Argon2Params, salt, key []byte) string {
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("%sm=%d,t=%d,p=%d$%s$%s", argon2Prefix, p.Memory, p.Time, p.Threads,
		b64.EncodeToString(salt), b64.EncodeToString(key))
}

// CheckPassword reports whether pw matches the stored hash, comparing in
// constant time, and whether the hash should be replaced by a new one made
// with DefaultParams (after a successful login). A wrong password is ok ==
// false with a nil error; err is for input that is never a password, and
// for hashes that cannot be read or whose parameters are out of bounds.
func CheckPassword(encoded, pw string) (ok, needsRehash bool, err error) {
	if err := checkPasswordInput(pw); err != nil {
		return false, false, err
	}
	p, salt, key, err := parsePHC(encoded)
	if err != nil {
		return false, false, err
	}
	got := argon2.IDKey([]byte(pw), salt, p.Time, p.Memory, p.Threads, uint32(len(key)))
	if subtle.ConstantTimeCompare(got, key) != 1 {
		return false, false, nil
	}
	return true, p != DefaultParams, nil
}

// dummyHash is a valid hash of no one's password, made with DefaultParams.
var dummyHash = encodePHC(DefaultParams, make([]byte, DefaultParams.SaltLen), make([]byte, DefaultParams.KeyLen))

// CheckNoUser spends the time of a CheckPassword when the account does not
// exist, so that a login's timing does not tell which emails have
// accounts. It always reports false.
func CheckNoUser(pw string) bool {
	CheckPassword(dummyHash, pw)
	return false
}

// parsePHC reads an argon2id PHC string, bounding every parameter before
// anything is allocated from it.
func parsePHC(s string) (p Argon2Params, salt, key []byte, err error) {
	bad := func(why string) (Argon2Params, []byte, []byte, error) {
		return Argon2Params{}, nil, nil, closedset.Errorf(closedset.Invalid, "stored password hash: %s", why)
	}
	if len(s) > maxEncoded {
		return bad("too long")
	}
	rest, ok := strings.CutPrefix(s, argon2Prefix)
	if !ok {
		return bad("not an argon2id v19 hash")
	}
	parts := strings.Split(rest, "$")
	if len(parts) != 3 {
		return bad("want $argon2id$v=19$m=...,t=...,p=...$salt$key")
	}
	fields := strings.Split(parts[0], ",")
	if len(fields) != 3 {
		return bad("want parameters m, t and p")
	}
	var vals [3]uint64
	for i, name := range []string{"m=", "t=", "p="} {
		v, ok := strings.CutPrefix(fields[i], name)
		n, err := strconv.ParseUint(v, 10, 32)
		if !ok || err != nil || v != strconv.FormatUint(n, 10) {
			return bad("parameter " + strings.TrimSuffix(name, "=") + " is not a number")
		}
		vals[i] = n
	}
	m, t, threads := vals[0], vals[1], vals[2]
	switch {
	case threads < 1 || threads > maxThreads:
		return bad(fmt.Sprintf("p=%d out of 1..%d", threads, maxThreads))
	case m < 8*threads || m > maxMemory:
		return bad(fmt.Sprintf("m=%d out of %d..%d KiB", m, 8*threads, maxMemory))
	case t < 1 || t > maxTime:
		return bad(fmt.Sprintf("t=%d out of 1..%d", t, maxTime))
	case m*t > maxWork:
		return bad(fmt.Sprintf("m*t=%d over %d", m*t, maxWork))
	}
	b64 := base64.RawStdEncoding.Strict()
	if salt, err = b64.DecodeString(parts[1]); err != nil || len(salt) < minSaltLen || len(salt) > maxSaltLen {
		return bad(fmt.Sprintf("salt must be %d to %d bytes of unpadded base64", minSaltLen, maxSaltLen))
	}
	if key, err = b64.DecodeString(parts[2]); err != nil || len(key) < minKeyLen || len(key) > maxKeyLen {
		return bad(fmt.Sprintf("key must be %d to %d bytes of unpadded base64", minKeyLen, maxKeyLen))
	}
	p = Argon2Params{Memory: uint32(m), Time: uint32(t), Threads: uint8(threads), SaltLen: len(salt), KeyLen: len(key)}
	return p, salt, key, nil
}
