// Package seal encrypts performer-private data (boundaries, withdrawal
// reasons) before it reaches the store, with AES-256-GCM under a key kept
// outside the database.
//
// Its invariant: what leaves Seal can be read only with the same key and
// the same additional data. The additional data names the row the bytes
// belong to ("boundaries:performer:42"), so sealed bytes moved to another
// row do not open. A Key never prints: its String, GoString and LogValue
// say "redacted".
package seal

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
)

// Key is an AES-256 key.
type Key [32]byte

// The format of sealed bytes:
//
//	version (1 byte) | key id (8 bytes) | nonce (12 bytes) | ciphertext and GCM tag
//
// The key id is the first 8 bytes of the key's SHA-256: it names the key
// without revealing it, so that bytes sealed with another key say so. The
// header is authenticated with the caller's additional data.
const (
	version    = 1
	idSize     = 8
	nonceSize  = 12
	headerSize = 1 + idSize + nonceSize
	// Overhead is how many bytes Seal adds to the plaintext.
	Overhead = headerSize + 16
)

// ErrAnotherKey is returned by Open for bytes sealed with another key.
var ErrAnotherKey = errors.New("seal: sealed with another key")

// ErrBroken is returned by Open for bytes that are not sealed data of this
// key and additional data: cut, changed, or sealed for another row.
var ErrBroken = errors.New("seal: the sealed data is damaged or belongs to another record")

// ID is the key's id as sealed bytes carry it, in hex: safe to show.
func (k Key) ID() string {
	id := k.id()
	return hex.EncodeToString(id[:])
}

func (k Key) id() [idSize]byte {
	sum := sha256.Sum256(k[:])
	return [idSize]byte(sum[:idSize])
}

// String hides the key.
func (k Key) String() string { return "seal.Key(redacted, id " + k.ID() + ")" }

// GoString hides the key from %#v.
func (k Key) GoString() string { return k.String() }

// LogValue hides the key from log/slog.
func (k Key) LogValue() slog.Value { return slog.StringValue(k.String()) }

// Seal encrypts plaintext under key, bound to aad.
func Seal(key Key, plaintext, aad []byte) ([]byte, error) {
	aead, err := gcm(key)
	if err != nil {
		return nil, err
	}
	out := make([]byte, headerSize, headerSize+len(plaintext)+aead.Overhead())
	out[0] = version
	id := key.id()
	copy(out[1:], id[:])
	if _, err := rand.Read(out[1+idSize : headerSize]); err != nil {
		return nil, fmt.Errorf("seal: reading a random nonce: %w", err)
	}
	return aead.Seal(out, out[1+idSize:headerSize], plaintext, additional(out[:headerSize], aad)), nil
}

// Open decrypts what Seal made with the same key and aad. It returns
// ErrAnotherKey when another key sealed it, ErrBroken when the bytes were
// changed or belong to another aad, and never panics.
func Open(key Key, sealed, aad []byte) ([]byte, error) {
	if len(sealed) < Overhead {
		return nil, fmt.Errorf("%w (%d bytes, shorter than the %d of an empty sealed record)", ErrBroken, len(sealed), Overhead)
	}
	if sealed[0] != version {
		return nil, fmt.Errorf("%w (format version %d, this closedset reads %d)", ErrBroken, sealed[0], version)
	}
	if id := key.id(); !bytes.Equal(sealed[1:1+idSize], id[:]) {
		return nil, fmt.Errorf("%w (key id %x; the key in use has id %s)", ErrAnotherKey, sealed[1:1+idSize], key.ID())
	}
	aead, err := gcm(key)
	if err != nil {
		return nil, err
	}
	plain, err := aead.Open(nil, sealed[1+idSize:headerSize], sealed[headerSize:], additional(sealed[:headerSize], aad))
	if err != nil {
		return nil, ErrBroken
	}
	return plain, nil
}

func gcm(key Key) (cipher.AEAD, error) {
	block, err := aes.NewCipher(key[:])
	if err != nil {
		return nil, fmt.Errorf("seal: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("seal: %w", err)
	}
	return aead, nil
}

// additional is the header and the caller's aad, length-prefixed so that
// no two (header, aad) pairs give the same bytes.
func additional(header, aad []byte) []byte {
	out := make([]byte, 0, len(header)+8+len(aad))
	out = append(out, header...)
	n := uint64(len(aad))
	out = append(out, byte(n>>56), byte(n>>48), byte(n>>40), byte(n>>32), byte(n>>24), byte(n>>16), byte(n>>8), byte(n))
	return append(out, aad...)
}
