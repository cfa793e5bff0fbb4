// Package auth holds closedset's rules of access: who may do what in a
// production (the permission table and Can), and the secrets that prove who
// someone is (passwords hashed with argon2id, API tokens and session ids
// stored as hashes, CSRF tokens, login rate limiting).
//
// Its invariant is deny by default: an action nobody was granted in the
// table is refused to everyone, and private performer data (boundaries) is
// granted to no one but that performer and the production's ICs. The
// package is pure: clocks, randomness and keys are inputs, and it imports
// no storage or HTTP code.
package auth
