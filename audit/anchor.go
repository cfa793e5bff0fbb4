package audit

import (
	"closedset"
	"fmt"
	"strconv"
	"strings"
)

// An Anchor pins a chain: its number of events and the hash of the last.
// Kept outside the database, it turns what a chain cannot show on its own
// (events cut from the end, a rewrite with fresh hashes) into a detectable
// break: see VerifyAnchor.
type Anchor struct {
	Count int64
	Hash  string
}

// String formats the anchor as "COUNT:HASH", the form ParseAnchor reads and
// `closedset audit verify` prints.
func (a Anchor) String() string {
	return fmt.Sprintf("%d:%s", a.Count, a.Hash)
}

// ParseAnchor reads an anchor written by Anchor.String; anything else is
// a closedset.Invalid error.
func ParseAnchor(s string) (Anchor, error) {
	count, hash, ok := strings.Cut(strings.TrimSpace(s), ":")
	n, err := strconv.ParseInt(count, 10, 64)
	if !ok || err != nil || n < 0 || !isHash(hash) {
		return Anchor{}, closedset.Errorf(closedset.Invalid, "audit: anchor %q is not COUNT:HASH (a count and a lowercase hex SHA-256)", s)
	}
	if n == 0 && hash != Genesis {
		return Anchor{}, closedset.Errorf(closedset.Invalid, "audit: anchor %q: an empty chain's hash is the genesis value", s)
	}
	return Anchor{Count: n, Hash: hash}, nil
}
