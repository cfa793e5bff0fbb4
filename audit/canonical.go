package audit

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
)

// canonicalTag starts every canonical encoding; a new encoding gets a new
// tag, so that two versions can never produce the same bytes.
const canonicalTag = "closedset-audit-v1"

// rowsTag starts the encoding of an event that names rows (see Row): events
// without rows keep the v1 encoding, so chains written before rows were
// bound verify unchanged.
const rowsTag = "closedset-audit-v2"

// Canonical returns the bytes of an event that its hash covers, apart from
// PrevHash. The encoding is fixed so that a verifier in any language can
// recompute it:
//
//	canonical(e) = "closedset-audit-v1"          18 ASCII bytes
//	               u64(Seq)
//	               i64(At as microseconds since 1970-01-01T00:00:00Z)
//	               i64(Actor.ID)
//	               str(Actor.Name)
//	               str(Action)
//	               str(Object)
//	               Digest                         32 bytes, decoded from hex
//
//	u64, i64: 8 bytes, big-endian (i64 in two's complement)
//	str(s):   u32(len(s)) followed by the UTF-8 bytes of s; u32 is 4 bytes big-endian
//
// and
//
//	Hash = lowercase hex of SHA-256(canonical(e) || PrevHash as 32 bytes)
//
// An event with Rows starts with "closedset-audit-v2" instead, and after
// Digest carries
//
//	u32(len(Rows))
//	for each row: str(Table) u64(Key) Hash  (32 bytes, decoded from hex)
//
// Every variable-length field is length-prefixed, so no two different
// events share an encoding. Canonical requires e.Digest and every row's
// Hash to be valid hashes.
func Canonical(e Event) []byte {
	b := make([]byte, 0, len(canonicalTag)+8*3+4*3+len(e.Actor.Name)+len(e.Action)+len(e.Object)+sha256.Size)
	if len(e.Rows) > 0 {
		b = append(b, rowsTag...)
	} else {
		b = append(b, canonicalTag...)
	}
	b = binary.BigEndian.AppendUint64(b, uint64(e.Seq))
	b = binary.BigEndian.AppendUint64(b, uint64(e.At.UnixMicro()))
	b = binary.BigEndian.AppendUint64(b, uint64(e.Actor.ID))
	b = appendString(b, e.Actor.Name)
	b = appendString(b, e.Action)
	b = appendString(b, e.Object)
	b = append(b, mustDecode(e.Digest)...)
	if len(e.Rows) == 0 {
		return b
	}
	b = binary.BigEndian.AppendUint32(b, uint32(len(e.Rows)))
	for _, r := range e.Rows {
		b = appendString(b, r.Table)
		b = binary.BigEndian.AppendUint64(b, uint64(r.Key))
		b = append(b, mustDecode(r.Hash)...)
	}
	return b
}

func appendString(b []byte, s string) []byte {
	b = binary.BigEndian.AppendUint32(b, uint32(len(s)))
	return append(b, s...)
}

// ComputeHash returns the hash e should carry, from its fields and PrevHash.
// e.Digest and e.PrevHash must be valid hashes.
func ComputeHash(e Event) string {
	h := sha256.New()
	h.Write(Canonical(e))
	h.Write(mustDecode(e.PrevHash))
	return hex.EncodeToString(h.Sum(nil))
}

// CanonicalJSON encodes a change the one way Digest hashes it: encoding/json
// output, then object keys sorted by their bytes, no insignificant space, no
// HTML escaping, numbers as encoding/json wrote them. Values that do not
// encode (channels, functions, NaN, cyclic values) are an error.
func CanonicalJSON(change any) ([]byte, error) {
	raw, err := json.Marshal(change)
	if err != nil {
		return nil, fmt.Errorf("audit: change does not encode as JSON: %w", err)
	}
	// Decoding into any and encoding again sorts every object's keys
	// (encoding/json writes maps in key order), whatever the order of the
	// struct fields that produced them; UseNumber keeps numbers as written.
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("audit: change does not encode as JSON: %w", err)
	}
	var out bytes.Buffer
	enc := json.NewEncoder(&out)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, fmt.Errorf("audit: change does not encode as JSON: %w", err)
	}
	return bytes.TrimSuffix(out.Bytes(), []byte("\n")), nil
}

// Digest returns the lowercase hex SHA-256 of the change's CanonicalJSON.
//
// A plain digest can be confirmed by anyone who can guess the change: a
// change with few possible values (a boundary set to "no touch") is as good
// as written in the log: give NextDigest a digest of your own for such
// changes.
func Digest(change any) (string, error) {
	b, err := CanonicalJSON(change)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:]), nil
}
