package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"closedset/audit"
)

func runAudit(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "verify" {
		return usageError("want: closedset audit verify [--anchor COUNT:HASH] [--db URL]")
	}
	fs := newFlags("audit verify", stderr)
	anchor := fs.String("anchor", "", "also require the chain to extend an anchor printed by an earlier verify (`COUNT:HASH`)")
	db := dbFlag(fs)
	fs.Usage = func() {
		fmt.Fprintln(stderr, `Usage: closedset audit verify [--anchor COUNT:HASH] [--db URL]

Walks the whole audit chain and checks every event's hash and link, then
recomputes every ledger row (consents, withdrawals, signatures, plans,
boundaries, ...) against the event that wrote it. Exit 0 with a summary
if both hold; exit 1 naming the first bad event or row. A chain alone cannot show events cut from its end or a rewrite with
fresh hashes: keep the printed anchor somewhere the database's writers
cannot change, and pass it with --anchor next time.`)
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args[1:]); err != nil {
		return err
	}
	if fs.NArg() != 0 {
		return usageError("unexpected argument %q", fs.Arg(0))
	}
	var want *audit.Anchor
	if *anchor != "" {
		a, err := audit.ParseAnchor(*anchor)
		if err != nil {
			return usageError("--anchor: %v", err)
		}
		want = &a
	}
	ctx := context.Background()
	st, _, err := openFlagged(ctx, db, mustExist)
	if err != nil {
		return err
	}
	defer st.Close()
	var head audit.Anchor
	if want != nil {
		head, err = audit.VerifyAnchor(st.AuditEvents(ctx), *want)
	} else {
		head, err = audit.Verify(st.AuditEvents(ctx))
	}
	var be *audit.BrokenError
	if errors.As(err, &be) {
		return fmt.Errorf("audit chain broken at event %d: %s; %s", be.Seq, be.Kind, be.Msg)
	}
	if err != nil {
		return fmt.Errorf("verify the audit chain: %w", err)
	}
	// The head every write chains to must be where the walk ended: events
	// cut off the end (or added around closedset) leave them apart.
	kept, err := st.HeadAnchor(ctx)
	if err != nil {
		return fmt.Errorf("verify the audit chain: %w", err)
	}
	if kept.Count != head.Count || kept.Count > 0 && kept.Hash != head.Hash {
		return fmt.Errorf("audit chain broken at its end: the chain ends at event %d (hash %s) but the store's head is event %d (hash %s): events were cut off or added outside closedset",
			head.Count, short(head.Hash), kept.Count, short(kept.Hash))
	}
	// The ledger's rows must be the ones the events wrote: a withdrawal
	// deleted behind closedset's back leaves the chain whole but not them.
	breaks, err := st.VerifyLedger(ctx)
	if err != nil {
		return fmt.Errorf("verify the ledger: %w", err)
	}
	if len(breaks) > 0 {
		for _, b := range breaks[1:] {
			fmt.Fprintf(stderr, "also: %s\n", b.Msg)
		}
		return fmt.Errorf("ledger broken: %s (%d rows do not match the audit chain)", breaks[0].Msg, len(breaks))
	}
	fmt.Fprintf(stdout, "audit chain intact: %d events, last hash %s\n", head.Count, short(head.Hash))
	fmt.Fprintf(stdout, "anchor: %s\n", head)
	return nil
}

// short is the first 12 hex digits of a hash and an ellipsis.
func short(h string) string {
	if len(h) > 12 {
		return h[:12] + "…"
	}
	return h
}
