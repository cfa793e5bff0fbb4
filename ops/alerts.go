package ops

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"closedset"
	"closedset/alert"
	"closedset/auth"
	"closedset/production"
)

// Mailer sends one e-mail (alert/mail.Mailer over SMTP).
type Mailer interface {
	Mail(ctx context.Context, to, subject, body string) error
}

// Pusher sends one Web Push message (alert/push.Pusher); an error
// wrapping alert.ErrGone means the subscription is to be forgotten.
type Pusher interface {
	Push(ctx context.Context, sub alert.Subscription, n alert.Notice) error
}

// Alert delivery's pace: how long a claimed message is held before
// another try may take it, how many are claimed at once, and how often
// the worker looks for due messages and the scan for due riders and
// requests when no commit wakes it.
const (
	alertLease    = 2 * time.Minute
	alertBatch    = 50
	alertPoll     = time.Second
	alertScanEach = time.Minute
	// alertAhead is how far ahead the scan looks: a rider or a request
	// due within it is alerted (once).
	alertAhead = 24 * time.Hour
)

// AlertChannels reports which channels this server delivers on: e-mail
// when an SMTP server is configured, push when VAPID keys are.
func (o *Ops) AlertChannels() (email, push bool) { return o.mailer != nil, o.pusher != nil }

// VAPIDPublicKey is the key browsers subscribe to push with; "" when
// push is off.
func (o *Ops) VAPIDPublicKey() string { return o.vapidPublic }

// AlertPrefs is the caller's choice of channels.
func (o *Ops) AlertPrefs(ctx context.Context, c Caller) (alert.Prefs, error) {
	if err := c.check(auth.AlertsRead, true); err != nil {
		return alert.Prefs{}, err
	}
	return o.store.AlertPrefs(ctx, c.User.ID)
}

// SetAlertPrefs records the caller's choice of channels.
func (o *Ops) SetAlertPrefs(ctx context.Context, c Caller, p alert.Prefs) error {
	if err := c.check(auth.AlertsWrite, true); err != nil {
		return err
	}
	return o.store.SetAlertPrefs(ctx, c.Actor(), c.User.ID, p)
}

// SubscribePush keeps a browser's push subscription for the caller.
func (o *Ops) SubscribePush(ctx context.Context, c Caller, sub alert.Subscription) error {
	if err := c.check(auth.AlertsWrite, true); err != nil {
		return err
	}
	// Kept even while push is off: it is used once the server has keys.
	if err := sub.Validate(); err != nil {
		return closedset.Errorf(closedset.Invalid, "%s", err)
	}
	return o.store.AddPushSubscription(ctx, c.Actor(), c.User.ID, sub)
}

// notifyUsers queues the notice for each user on the channels they chose
// and this server has, through o's store: inside a transaction, with the
// change that causes it. Disabled accounts get nothing.
func (o *Ops) notifyUsers(ctx context.Context, users []int64, n alert.Notice) error {
	if o.mailer == nil && o.pusher == nil {
		return nil
	}
	slices.Sort(users)
	var msgs []alert.Message
	for _, id := range slices.Compact(users) {
		if id == 0 {
			continue
		}
		u, err := o.store.User(ctx, id)
		if closedset.Is(err, closedset.NotFound) {
			continue
		}
		if err != nil {
			return err
		}
		if u.Disabled {
			continue
		}
		prefs, err := o.store.AlertPrefs(ctx, id)
		if err != nil {
			return err
		}
		m := alert.Message{UserID: id, Subject: n.Subject, Body: n.Body, URL: n.URL}
		if prefs.Email && o.mailer != nil && u.Email != "" {
			m.Channel, m.Address = alert.Email, u.Email
			msgs = append(msgs, m)
		}
		if prefs.Push && o.pusher != nil {
			subs, err := o.store.PushSubscriptions(ctx, id)
			if err != nil {
				return err
			}
			if len(subs) > 0 {
				m.Channel, m.Address = alert.Push, ""
				msgs = append(msgs, m)
			}
		}
	}
	return o.store.QueueAlerts(ctx, msgs)
}

// membersIn are the production's members holding any of the roles.
func (o *Ops) membersIn(ctx context.Context, productionID int64, roles ...auth.Role) ([]int64, error) {
	ms, err := o.store.Members(ctx, productionID)
	if err != nil {
		return nil, err
	}
	var out []int64
	for _, m := range ms {
		for _, r := range roles {
			if m.Roles.Has(r) {
				out = append(out, m.UserID)
				break
			}
		}
	}
	return out, nil
}

// sceneNotice is the notice of kind about the scene, linking to its page.
func (o *Ops) sceneNotice(ctx context.Context, kind alert.Kind, sc production.Scene, productionID int64) (alert.Notice, error) {
	p, err := o.store.Production(ctx, productionID)
	if err != nil {
		return alert.Notice{}, err
	}
	return alert.New(kind, DocSceneNumber(sc), p.Title, alert.Link(o.publicURL, "/scenes/"+strconv.FormatInt(sc.ID, 10))), nil
}

// notifyCrew queues a notice about the scene for the production's ICs
// and ADs: a withdrawal or a pause, which they must know at once.
func (o *Ops) notifyCrew(ctx context.Context, kind alert.Kind, sceneID, productionID int64) error {
	if o.mailer == nil && o.pusher == nil {
		return nil
	}
	sc, err := o.store.Scene(ctx, sceneID)
	if err != nil {
		return err
	}
	n, err := o.sceneNotice(ctx, kind, sc, productionID)
	if err != nil {
		return err
	}
	users, err := o.membersIn(ctx, productionID, auth.IC, auth.AD)
	if err != nil {
		return err
	}
	return o.notifyUsers(ctx, users, n)
}

// notifyInvitation queues the invitation's e-mail to its address, with
// its one-time link: only when SMTP is configured.
func (o *Ops) notifyInvitation(ctx context.Context, inv production.Invitation, token string) error {
	if o.mailer == nil {
		return nil
	}
	p, err := o.store.Production(ctx, inv.ProductionID)
	if err != nil {
		return err
	}
	n := alert.New(alert.Invitation, string(inv.Role), p.Title, alert.Link(o.publicURL, "/invitations/"+token))
	n.Body = fmt.Sprintf("You are invited to join %s on closedset as %s.\n\nOpen this link to accept (it works once, until %s):\n\n%s\n",
		p.Title, inv.Role, inv.Expires.UTC().Format("2 January 2006 15:04 MST"), n.URL)
	return o.store.QueueAlerts(ctx, []alert.Message{{Channel: alert.Email, Address: inv.Email, Subject: n.Subject, Body: n.Body, URL: n.URL}})
}

// ScanAlerts queues the time-based alerts: each latest rider unsigned
// whose deadline (the earliest call time of its scenes less the notice
// period) falls within the next 24 hours, to its performer and the
// production's ICs; each department request due within 24 hours and not
// done, to that department. Each is queued once, however often the scan
// runs (and on however many servers).
func (o *Ops) ScanAlerts(ctx context.Context) (queued int, err error) {
	if o.mailer == nil && o.pusher == nil {
		return 0, nil
	}
	now := o.now()
	riders, err := o.store.UnsignedRiders(ctx)
	if err != nil {
		return 0, err
	}
	for _, r := range riders {
		n, err := o.scanRider(ctx, r, now)
		if err != nil {
			return queued, err
		}
		queued += n
	}
	reqs, err := o.store.OpenRequestsDue(ctx, now.Add(alertAhead))
	if err != nil {
		return queued, err
	}
	for _, rq := range reqs {
		sc, err := o.store.Scene(ctx, rq.SceneID)
		if err != nil {
			return queued, err
		}
		p, err := o.store.Production(ctx, rq.ProductionID)
		if err != nil {
			return queued, err
		}
		n := alert.New(alert.RequestDue, string(rq.Department), p.Title, alert.Link(o.publicURL, "/scenes/"+strconv.FormatInt(sc.ID, 10)))
		users, err := o.membersIn(ctx, rq.ProductionID, rq.Department)
		if err != nil {
			return queued, err
		}
		ok, err := o.queueOnce(ctx, "request_due:"+strconv.FormatInt(rq.ID, 10), users, n)
		if err != nil {
			return queued, err
		}
		if ok {
			queued++
		}
	}
	return queued, nil
}

func (o *Ops) scanRider(ctx context.Context, r RiderDue, now time.Time) (int, error) {
	prod, err := o.store.Production(ctx, r.ProductionID)
	if err != nil {
		return 0, err
	}
	pol, err := o.Policy(ctx, prod)
	if err != nil {
		return 0, err
	}
	var first time.Time
	var firstScene int64
	for _, id := range r.SceneIDs {
		at, ok, err := o.store.CallTime(ctx, id)
		if err != nil {
			return 0, err
		}
		if ok && at.After(now) && (first.IsZero() || at.Before(first)) {
			first, firstScene = at, id
		}
	}
	if first.IsZero() || first.Add(-pol.NoticePeriod).Sub(now) > alertAhead {
		return 0, nil
	}
	perf, err := o.store.Performer(ctx, r.PerformerID)
	if err != nil {
		return 0, err
	}
	sc, err := o.store.Scene(ctx, firstScene)
	if err != nil {
		return 0, err
	}
	n := alert.New(alert.RiderDue, DocSceneNumber(sc), prod.Title, alert.Link(o.publicURL, "/riders/"+strconv.FormatInt(r.RiderID, 10)))
	users, err := o.membersIn(ctx, r.ProductionID, auth.IC)
	if err != nil {
		return 0, err
	}
	ok, err := o.queueOnce(ctx, "rider_due:"+strconv.FormatInt(r.RiderID, 10), append(users, perf.UserID), n)
	if !ok || err != nil {
		return 0, err
	}
	return 1, nil
}

// queueOnce queues the notice for the users in one transaction keyed by
// key: a second call with the key queues nothing.
func (o *Ops) queueOnce(ctx context.Context, key string, users []int64, n alert.Notice) (bool, error) {
	var queued bool
	err := o.store.Tx(ctx, func(tx Store) error {
		// Collect the messages through a store that only records them,
		// then queue them all under the key.
		rec := &recordingStore{Store: tx}
		if err := o.in(rec).notifyUsers(ctx, users, n); err != nil {
			return err
		}
		var err error
		queued, err = tx.QueueAlertsOnce(ctx, key, rec.msgs)
		return err
	})
	return queued, err
}

// recordingStore is a Store whose QueueAlerts keeps the messages instead.
type recordingStore struct {
	Store
	msgs []alert.Message
}

func (r *recordingStore) QueueAlerts(_ context.Context, msgs []alert.Message) error {
	r.msgs = append(r.msgs, msgs...)
	return nil
}

// RiderDue is an unsigned rider the scan looks at: the latest of its
// performer, with its scenes.
type RiderDue struct {
	RiderID, ProductionID, PerformerID int64
	SceneIDs                           []int64
}

// DeliverAlerts claims the messages due now and delivers each once,
// recording the outcome: sent; failed, due again after alert.Backoff;
// or given up after alert.MaxAttempts. A push to a subscription its
// service forgot forgets it. It returns how many were sent.
func (o *Ops) DeliverAlerts(ctx context.Context) (sent int, err error) {
	msgs, err := o.store.ClaimAlerts(ctx, o.now(), alertLease, alertBatch)
	if err != nil {
		return 0, err
	}
	for _, m := range msgs {
		derr := o.deliver(ctx, m)
		if ctx.Err() != nil {
			return sent, ctx.Err() // the lease brings it back after a restart
		}
		var retry time.Time
		text := ""
		if derr != nil {
			text = derr.Error()
			if m.Attempts < alert.MaxAttempts {
				retry = o.now().Add(alert.Backoff(m.Attempts))
			}
			o.log.Warn("alert not delivered", "id", m.ID, "channel", m.Channel, "attempt", m.Attempts, "err", text)
		} else {
			sent++
		}
		if err := o.store.FinishAlert(ctx, m.ID, derr == nil, retry, text); err != nil {
			return sent, err
		}
	}
	return sent, nil
}

func (o *Ops) deliver(ctx context.Context, m alert.Message) error {
	n := alert.Notice{Subject: m.Subject, Body: m.Body, URL: m.URL}
	switch m.Channel {
	case alert.Email:
		if o.mailer == nil {
			return errors.New("e-mail is off on this server (no --smtp)")
		}
		return o.mailer.Mail(ctx, m.Address, m.Subject, m.Body)
	case alert.Push:
		if o.pusher == nil {
			return errors.New("push is off on this server")
		}
		subs, err := o.store.PushSubscriptions(ctx, m.UserID)
		if err != nil {
			return err
		}
		var errs []error
		for _, sub := range subs {
			err := o.pusher.Push(ctx, sub, n)
			if errors.Is(err, alert.ErrGone) {
				err = o.store.ForgetPushSubscription(ctx, sub.Endpoint)
			}
			if err != nil {
				errs = append(errs, err)
			}
		}
		return errors.Join(errs...)
	}
	return fmt.Errorf("unknown channel %q", m.Channel)
}

// RunAlerts delivers queued alerts and scans for time-based ones until
// ctx ends: at once after each commit the store tells of (a withdrawal
// reaches the ICs and ADs within seconds), and every alertPoll
// otherwise. Nothing is lost when it stops: queued messages wait in the
// database for the next run.
func (o *Ops) RunAlerts(ctx context.Context) {
	if o.mailer == nil && o.pusher == nil {
		return
	}
	var changes <-chan int64
	if w := o.Watcher(); w != nil {
		changes = w.Changes(ctx)
	}
	tick := time.NewTicker(alertPoll)
	defer tick.Stop()
	var lastScan time.Time
	for {
		if time.Since(lastScan) >= alertScanEach {
			if _, err := o.ScanAlerts(ctx); err != nil && ctx.Err() == nil {
				o.log.Warn("alert scan failed", "err", err)
			}
			lastScan = time.Now()
		}
		if _, err := o.DeliverAlerts(ctx); err != nil && ctx.Err() == nil {
			o.log.Warn("alert delivery failed", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-changes:
		case <-tick.C:
		}
	}
}
