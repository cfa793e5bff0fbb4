package web

import (
	"closedset/ops"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"sync"
	"time"
)

// Live updates (DESIGN.md invariant 2: the AD and IC see a withdrawal
// live). Every write appends an audit event, so the chain's head moving is
// "something changed", seen alike by every server sharing the database.
// One watcher per Server reads the head while anyone listens and tells
// each open stream the new seq; the stream carries nothing about what
// changed, and the page refetches what its user may see. Its event ids
// are opaque and per production (a MAC of the production and the seq), so
// a reader learns nothing of the installation's sequence of changes.
//
// The watcher reads the head as soon as the store tells of a commit
// (ops.Watcher: this server's at once, other servers' through PostgreSQL's
// LISTEN/NOTIFY), and polls it besides, slowly, for a commit that went
// untold; with a store that tells of none, it polls at LiveInterval.

// DefaultLiveInterval is how often the watcher reads the head when the
// store tells of no commit and Config.LiveInterval is 0.
const DefaultLiveInterval = 500 * time.Millisecond

// DefaultLiveFallback is how often the watcher reads the head anyway when
// the store tells of commits and Config.LiveFallback is 0: a commit told
// to no one (made while a listener reconnects, or by another process on
// SQLite) reaches the pages by then.
const DefaultLiveFallback = 5 * time.Second

// Each open stream holds a connection for as long as a page is open; they
// are bounded per user and per production, so no one user (nor one busy
// production) can take the streams of the others.
const (
	maxStreamsPerUser       = 8
	maxStreamsPerProduction = 64
)

// livePing is how often an idle stream sends a comment, so proxies keep
// it open and a vanished client is noticed.
const livePing = 15 * time.Second

// hub is the watcher and its subscribers.
type hub struct {
	store    ops.Reader
	watcher  ops.Watcher   // nil: poll only
	interval time.Duration // between reads of the head when nothing wakes the watcher
	log      func(msg string, args ...any)

	key []byte // MACs the event ids

	mu     sync.Mutex
	subs   map[*subscriber]struct{}
	byUser map[int64]int // open streams by user
	byProd map[int64]int // open streams by production
	head   int64         // the last head told (or read at the first subscription)
	stop   chan struct{} // the running watcher's; nil when none runs
	closed bool
	done   chan struct{} // closed by Close: every stream ends
}

// subscriber is one open stream: ch holds at most the latest head, so a
// slow reader never holds up the others.
type subscriber struct {
	ch         chan int64
	head       int64 // the head when it subscribed
	user, prod int64
}

// newHub returns a hub over st, woken by w when it is not nil; interval
// is the poll without w, fallback the one with it (0: their defaults).
// key (the server's secret, shared by the servers of one database) keys
// the event ids, so a browser reconnecting to another server names an id
// it knows.
func newHub(st ops.Reader, w ops.Watcher, interval, fallback time.Duration, key []byte, logf func(string, ...any)) *hub {
	if interval <= 0 {
		interval = DefaultLiveInterval
	}
	if fallback <= 0 {
		fallback = DefaultLiveFallback
	}
	if w != nil {
		interval = fallback
	}
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte("closedset live event ids"))
	return &hub{store: st, watcher: w, interval: interval, key: mac.Sum(nil), log: logf,
		subs: map[*subscriber]struct{}{}, byUser: map[int64]int{}, byProd: map[int64]int{}, done: make(chan struct{})}
}

// eventID is the id of the event telling production prod's streams of
// head seq: the same for the same two, and nothing else can be read in it.
func (h *hub) eventID(prod, seq int64) string {
	mac := hmac.New(sha256.New, h.key)
	fmt.Fprintf(mac, "%d:%d", prod, seq)
	return hex.EncodeToString(mac.Sum(nil)[:16])
}

// subscribe adds a stream of user on production prod: rate_limited past
// the user's or the production's streams. The first one reads the head
// before the watcher starts, so a change made once subscribe returns is
// always told.
func (h *hub) subscribe(ctx context.Context, user, prod int64) (*subscriber, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return nil, errorf(codeUnavailable, "the server is shutting down")
	}
	if h.byUser[user] >= maxStreamsPerUser {
		return nil, errorf(codeRateLimited, "you have %d live pages open on this server; close one and reload this page", maxStreamsPerUser)
	}
	if h.byProd[prod] >= maxStreamsPerProduction {
		return nil, errorf(codeRateLimited, "this production has %d live pages open on this server; reload this page later", maxStreamsPerProduction)
	}
	if h.stop == nil {
		// Watch before reading the head: a commit after the read is
		// then always told.
		wctx, unwatch := context.WithCancel(context.Background())
		var wake <-chan int64
		if h.watcher != nil {
			wake = h.watcher.Changes(wctx)
		}
		seq, err := h.store.Head(ctx)
		if err != nil {
			unwatch()
			return nil, &Error{Code: codeUnavailable, Message: "the store does not answer", Err: err}
		}
		h.head = seq
		h.stop = make(chan struct{})
		go h.watch(h.stop, wake, unwatch)
	}
	sub := &subscriber{ch: make(chan int64, 1), head: h.head, user: user, prod: prod}
	h.subs[sub] = struct{}{}
	h.byUser[user]++
	h.byProd[prod]++
	return sub, nil
}

// unsubscribe removes a stream; the last one out stops the watcher.
func (h *hub) unsubscribe(sub *subscriber) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if _, ok := h.subs[sub]; !ok {
		return
	}
	delete(h.subs, sub)
	if h.byUser[sub.user]--; h.byUser[sub.user] <= 0 {
		delete(h.byUser, sub.user)
	}
	if h.byProd[sub.prod]--; h.byProd[sub.prod] <= 0 {
		delete(h.byProd, sub.prod)
	}
	if len(h.subs) == 0 && h.stop != nil {
		close(h.stop)
		h.stop = nil
	}
}

// close ends every stream and refuses new ones, for a graceful shutdown.
func (h *hub) close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return
	}
	h.closed = true
	close(h.done)
	if h.stop != nil {
		close(h.stop)
		h.stop = nil
	}
}

// watch reads the head on each wake and each tick until stop is closed,
// telling every subscriber each new value; unwatch ends the wakes.
func (h *hub) watch(stop chan struct{}, wake <-chan int64, unwatch func()) {
	defer unwatch()
	t := time.NewTicker(h.interval)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
		case _, ok := <-wake:
			if !ok {
				wake = nil // the store closed: the ticks go on
			}
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		seq, err := h.store.Head(ctx)
		cancel()
		if err != nil {
			// The next tick tries again; streams stay open meanwhile.
			h.log("live: read the audit head", "err", err)
			continue
		}
		h.mu.Lock()
		if h.stop != stop {
			h.mu.Unlock()
			return // stopped while reading
		}
		if seq != h.head {
			h.head = seq
			for sub := range h.subs {
				sub.tell(seq)
			}
		}
		h.mu.Unlock()
	}
}

// tell leaves seq as the subscriber's latest value without blocking: an
// older value not yet read is replaced. Only the watcher sends, under the
// hub's lock, so the channel is empty after the drain.
func (sub *subscriber) tell(seq int64) {
	select {
	case sub.ch <- seq:
		return
	default:
	}
	select {
	case <-sub.ch:
	default:
	}
	select {
	case sub.ch <- seq:
	default:
	}
}

// Close ends the open event streams and refuses new ones, so a graceful
// shutdown does not wait on pages left open. Wire it to
// http.Server.RegisterOnShutdown.
func (s *Server) Close() {
	s.live.close()
}

// apiEvents streams "changed" events while the production's page is
// open: an opaque id and nothing else.
func (s *Server) apiEvents(w http.ResponseWriter, r *http.Request, rq *request) error {
	sub, err := s.live.subscribe(r.Context(), rq.User.ID, rq.ProductionID)
	if err != nil {
		return err
	}
	defer s.live.unsubscribe(sub)

	rc := http.NewResponseController(w)
	// A stream outlives the server's read timeout: without this the
	// connection's read deadline would cut it after ReadTimeout. (Not
	// every writer supports it; the stream then ends early and the
	// browser reconnects.)
	_ = rc.SetReadDeadline(time.Time{})
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no") // tell buffering proxies to pass events at once
	w.WriteHeader(http.StatusOK)
	// A reconnecting browser names the last id it was told: a change it
	// missed while away (or an id of another key) is told at once.
	first := ": open\n\n"
	if last := r.Header.Get("Last-Event-ID"); last != "" && last != s.live.eventID(sub.prod, sub.head) {
		first = changedEvent(s.live.eventID(sub.prod, sub.head))
	}
	if _, err := fmt.Fprint(w, first); err != nil {
		return nil // the client has gone
	}
	if err := rc.Flush(); err != nil {
		return nil
	}
	ping := time.NewTicker(livePing)
	defer ping.Stop()
	for {
		var msg string
		select {
		case <-r.Context().Done():
			return nil
		case <-s.live.done:
			return nil
		case seq := <-sub.ch:
			msg = changedEvent(s.live.eventID(sub.prod, seq))
		case <-ping.C:
			msg = ": ping\n\n"
		}
		if _, err := fmt.Fprint(w, msg); err != nil {
			return nil
		}
		if err := rc.Flush(); err != nil {
			return nil
		}
	}
}

// changedEvent is one "changed" event; its id lets a reconnecting browser
// say what it last saw. Its data is empty (an event needs a data line to
// reach the page).
func changedEvent(id string) string {
	return "id: " + id + "\nevent: changed\ndata: {}\n\n"
}

// liveURL is the event stream a page of production id listens to.
func liveURL(productionID int64) string {
	return fmt.Sprintf("/api/v1/productions/%d/events", productionID)
}
