package alerttest

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/ecdh"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"closedset/alert"
)

// PushEndpoint is a Web Push service for one subscription: an httptest
// server that decrypts each message it receives (RFC 8291, aes128gcm)
// with the subscription's private key, as a browser would, and keeps the
// plaintext. It answers 201, or Gone once Forget is called.
type PushEndpoint struct {
	Sub  alert.Subscription // what the browser would hand the server
	priv *ecdh.PrivateKey
	auth []byte
	srv  *httptest.Server
	mu   sync.Mutex
	got  []Push
	gone bool
	wake chan struct{}
}

// Push is one message a push endpoint received.
type Push struct {
	Plain         []byte // the decrypted payload
	Authorization string // the VAPID header
	Err           error  // why it did not decrypt, if it did not
}

// StartPushEndpoint starts a push endpoint with a fresh subscription.
func StartPushEndpoint(t testing.TB) *PushEndpoint {
	t.Helper()
	priv, err := ecdh.P256().GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	p := &PushEndpoint{priv: priv, auth: make([]byte, 16), wake: make(chan struct{}, 1)}
	rand.Read(p.auth)
	p.srv = httptest.NewServer(http.HandlerFunc(p.serve))
	t.Cleanup(p.srv.Close)
	b64 := base64.RawURLEncoding.EncodeToString
	p.Sub = alert.Subscription{Endpoint: p.srv.URL + "/push/" + b64(p.auth[:6]), P256dh: b64(priv.PublicKey().Bytes()), Auth: b64(p.auth)}
	return p
}

// Forget makes the endpoint answer 410 Gone from now on.
func (p *PushEndpoint) Forget() {
	p.mu.Lock()
	p.gone = true
	p.mu.Unlock()
}

func (p *PushEndpoint) serve(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	gone := p.gone
	p.mu.Unlock()
	if gone {
		http.Error(w, "gone", http.StatusGone)
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 8<<10))
	got := Push{Authorization: r.Header.Get("Authorization")}
	switch {
	case err != nil:
		got.Err = err
	case r.Header.Get("Content-Encoding") != "aes128gcm":
		got.Err = fmt.Errorf("Content-Encoding %q, want aes128gcm", r.Header.Get("Content-Encoding"))
	default:
		got.Plain, got.Err = p.decrypt(body)
	}
	p.mu.Lock()
	p.got = append(p.got, got)
	p.mu.Unlock()
	select {
	case p.wake <- struct{}{}:
	default:
	}
	w.WriteHeader(http.StatusCreated)
}

// decrypt opens one aes128gcm message (RFC 8188 framing, RFC 8291 keys).
func (p *PushEndpoint) decrypt(body []byte) ([]byte, error) {
	if len(body) < 21 {
		return nil, errors.New("message shorter than its header")
	}
	salt, rs, idlen := body[:16], binary.BigEndian.Uint32(body[16:20]), int(body[20])
	if len(body) < 21+idlen || rs < 18 {
		return nil, errors.New("bad header")
	}
	serverPub, err := ecdh.P256().NewPublicKey(body[21 : 21+idlen])
	if err != nil {
		return nil, fmt.Errorf("the sender's key: %w", err)
	}
	shared, err := p.priv.ECDH(serverPub)
	if err != nil {
		return nil, err
	}
	info := append([]byte("WebPush: info\x00"), p.priv.PublicKey().Bytes()...)
	info = append(info, serverPub.Bytes()...)
	ikm, err := hkdf.Key(sha256.New, shared, p.auth, string(info), 32)
	if err != nil {
		return nil, err
	}
	cek, err := hkdf.Key(sha256.New, ikm, salt, "Content-Encoding: aes128gcm\x00", 16)
	if err != nil {
		return nil, err
	}
	nonce, err := hkdf.Key(sha256.New, ikm, salt, "Content-Encoding: nonce\x00", 12)
	if err != nil {
		return nil, err
	}
	block, err := aes.NewCipher(cek)
	if err != nil {
		return nil, err
	}
	gcm, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	records := body[21+idlen:]
	if len(records) > int(rs) {
		return nil, errors.New("more than one record")
	}
	plain, err := gcm.Open(nil, nonce, records, nil)
	if err != nil {
		return nil, fmt.Errorf("decrypt: %w", err)
	}
	// The last record ends with the delimiter 0x02, then zero padding.
	end := strings.LastIndexByte(string(plain), 2)
	if end < 0 || strings.Trim(string(plain[end+1:]), "\x00") != "" {
		return nil, errors.New("no last-record delimiter")
	}
	return plain[:end], nil
}

// Wait returns the first n messages received, failing the test when
// fewer than n arrived within d.
func (p *PushEndpoint) Wait(t testing.TB, n int, d time.Duration) []Push {
	t.Helper()
	deadline := time.After(d)
	for {
		p.mu.Lock()
		if len(p.got) >= n {
			out := append([]Push(nil), p.got[:n]...)
			p.mu.Unlock()
			return out
		}
		have := len(p.got)
		p.mu.Unlock()
		select {
		case <-p.wake:
		case <-deadline:
			t.Fatalf("push endpoint received %d message(s) in %v, want %d", have, d, n)
		}
	}
}
