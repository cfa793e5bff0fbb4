// Package store keeps closedset's records: users and their sessions and
// tokens, productions and their members, scripts with every revision and
// its scenes and flags, and the audit chain.
//
// Its invariant: every write happens in one transaction together with the
// audit event that records it, so there is never a change without its event
// and never an event without its change; and a write that returned nil has
// been made durable (synchronous commit) before the caller acknowledges it.
//
// One SQL implementation serves both backends (store/sqlite, store/postgres);
// a backend supplies only what truly differs, as a Dialect value.
// store/storetest holds the conformance suite every backend passes.
package store
