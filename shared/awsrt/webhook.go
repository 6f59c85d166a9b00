package awsrt

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"time"

	"github.com/wagate/wagate/events"
	wagate "github.com/wagate/wagate/shared"
	"github.com/wagate/wagate/shared/fetch"
	"github.com/wagate/wagate/shared/metrics"
	"github.com/wagate/wagate/shared/webhook"
)

// Envelope is the EventBridge event a rule hands its target (the JSON of
// aws-lambda-go's events.CloudWatchEvent): the fields the webhook function
// reads. The bus rule hands it wagate events; the schedule rule a
// "Scheduled Event" (Scheduled).
type Envelope struct {
	ID         string          `json:"id"`
	Source     string          `json:"source"`
	DetailType string          `json:"detail-type"`
	Time       time.Time       `json:"time"`
	Resources  []string        `json:"resources,omitempty"`
	Detail     json.RawMessage `json:"detail"`
}

// The Source and DetailType of the events a schedule rule sends.
const (
	ScheduledSource     = "aws.events"
	ScheduledDetailType = "Scheduled Event"
)

// Scheduled reports whether env is the schedule rule's tick (run a
// sweep) rather than a wagate event.
func (env Envelope) Scheduled() bool {
	return env.Source == ScheduledSource && env.DetailType == ScheduledDetailType
}

const (
	// webhookIdlePerHost: the function sends one event's attempts at a time.
	webhookIdlePerHost = 4
	// webhookDialTimeout bounds connecting to a CRM.
	webhookDialTimeout = 5 * time.Second
)

// ErrRetry wraps the error Handle returns when an attempt failed and the
// delivery is due again: Lambda then retries the event (its asynchronous
// retries, then the on-failure destination, the webhook DLQ), and the
// sweep (WebhookHandler.Sweep) carries the rest of the schedule.
var ErrRetry = errors.New("webhook attempt failed; retry")

// WebhookHandler delivers one bus event to its webhook targets (the
// session's webhookUrl, the Frappe URL): the aws side of the deliverer.
// With a delivery store, each (event, target) is a stored delivery with its
// attempt log, and each attempt is made under a lease of that delivery
// (ClaimDelivery), so a redelivered event and the sweep never attempt it
// at once: one delivered, dead, not due yet or held is left alone, and the
// last attempt of the Schedule makes it dead instead of asking for another
// retry. Without a store, attempts are only logged. Sweep, run on a
// schedule, makes the retries that fall due later and the replays.
type WebhookHandler struct {
	Sessions   wagate.SessionStore
	Deliveries wagate.DeliveryClaimer // nil: log attempts only
	Blobs      wagate.BlobStore       // presigned media links; nil leaves media.url as published
	Frappe     webhook.Frappe
	Sender     *webhook.Sender
	Schedule   webhook.Schedule // nil = webhook.DefaultSchedule
	PerTarget  int              // the sweep's attempts of one session at once; 0 = webhook.DefaultPerTarget
	Metrics    *metrics.Registry
	Log        *slog.Logger
	Now        func() time.Time
}

// webhookSender returns the Sender of the webhook function: the SSRF guard
// on every target, relaxed only by configuration (development).
func (rt *Runtime) webhookSender() *webhook.Sender {
	o := rt.Config.Webhook
	client := webhook.NewClient(webhookIdlePerHost)
	tr := client.Transport.(*http.Transport)
	dialer := &net.Dialer{Timeout: webhookDialTimeout, KeepAlive: 30 * time.Second, Control: fetch.Control(o.AllowLoopback, o.AllowPrivate)}
	tr.DialContext = dialer.DialContext
	tr.Proxy = nil // the guard must see the real target address
	return &webhook.Sender{
		Client: client,
		Guard:  func(u string) error { return fetch.CheckURL(u, o.AllowLoopback, o.AllowPrivate) },
	}
}

// WebhookHandler returns the handler of the webhook function.
func (rt *Runtime) WebhookHandler() (*WebhookHandler, error) {
	schedule, err := webhook.ParseSchedule(rt.Config.Webhook.Schedule)
	if err != nil {
		return nil, err
	}
	deliveries, ok := rt.Stores.Deliveries.(wagate.DeliveryClaimer)
	if !ok {
		return nil, fmt.Errorf("webhook: the delivery store %T cannot claim one delivery", rt.Stores.Deliveries)
	}
	return &WebhookHandler{
		Sessions: rt.Stores.Sessions, Deliveries: deliveries, Blobs: rt.Blobs,
		Frappe: webhook.Frappe{URL: rt.Config.Webhook.FrappeURL, Secret: rt.Config.Webhook.FrappeSecret},
		Sender: rt.webhookSender(), Schedule: schedule, Metrics: rt.Metrics, Log: rt.Log,
	}, nil
}

// Handle delivers the event in env. It returns an error wrapping ErrRetry
// when an attempt failed and its delivery is due again, another error when
// the event could not be handled at all (also retried), and nil when every
// target is delivered, refused for good, gone, or not this invocation's to
// attempt (not due yet, or held by the sweep, which carries it on).
func (h *WebhookHandler) Handle(ctx context.Context, env Envelope) error {
	var ev events.Event
	if err := json.Unmarshal(env.Detail, &ev); err != nil || ev.ID == "" {
		h.Log.Error("webhook: undecodable event dropped", "eventbridge_id", env.ID, "detail_type", env.DetailType, "err", err)
		return nil
	}
	sess, err := h.Sessions.FindSession(ctx, ev.SessionID)
	switch {
	case wagate.ErrorCode(err) == wagate.ENOSESSION:
		return nil // deleted: nowhere to go
	case err != nil:
		return fmt.Errorf("find session %q of event %s: %w", ev.SessionID, ev.ID, err)
	}
	targets := webhook.Targets(ev, sess, h.Frappe)
	if len(targets) == 0 {
		return nil
	}
	ds, err := h.deliveries(ctx, ev, targets)
	if err != nil {
		return err
	}
	var retry []string
	for _, d := range ds {
		if out := h.attempt(ctx, ev, sess, d); out.Status == wagate.DeliveryPending {
			retry = append(retry, d.Target)
		}
	}
	if len(retry) > 0 {
		return fmt.Errorf("event %s to %v: %w", ev.ID, retry, ErrRetry)
	}
	return nil
}

// deliveries stores the deliveries of ev (once per target, whatever the
// redeliveries) and returns those this invocation may attempt now: claimed,
// as stored. The others are delivered, dead, not due yet (a retry the
// Schedule puts later), or held by the sweep.
func (h *WebhookHandler) deliveries(ctx context.Context, ev events.Event, targets []string) ([]*wagate.WebhookDelivery, error) {
	raw, err := json.Marshal(ev)
	if err != nil {
		return nil, fmt.Errorf("encode event %q: %w", ev.ID, err)
	}
	ds := make([]*wagate.WebhookDelivery, len(targets))
	for i, t := range targets {
		ds[i] = &wagate.WebhookDelivery{
			ID: DeliveryID(ev, t), EventID: ev.ID, EventType: ev.Type, SessionID: ev.SessionID,
			Target: t, Event: raw, Status: wagate.DeliveryPending, CreatedAt: h.now().UTC(),
		}
	}
	if h.Deliveries == nil {
		return ds, nil
	}
	if err := h.Deliveries.CreateDeliveries(ctx, ds); err != nil {
		return nil, fmt.Errorf("store deliveries of event %q: %w", ev.ID, err)
	}
	now, claimed := h.now(), ds[:0]
	for _, d := range ds {
		got, err := h.Deliveries.ClaimDelivery(ctx, d.ID, now, webhook.AttemptLease)
		if err != nil {
			return nil, fmt.Errorf("claim delivery %q: %w", d.ID, err)
		}
		if got == nil {
			h.Log.Debug("webhook: delivery not attempted here (delivered, dead, not due or held by the sweep)",
				"session_id", ev.SessionID, "event_id", ev.ID, "delivery_id", d.ID)
			continue
		}
		claimed = append(claimed, got)
	}
	return claimed, nil
}

// attempt sends d once, records and logs the outcome.
func (h *WebhookHandler) attempt(ctx context.Context, ev events.Event, sess *wagate.Session, d *wagate.WebhookDelivery) wagate.DeliveryOutcome {
	n := d.Attempts + 1
	a, verdict := h.send(ctx, ev, sess, d.Target)
	a.DeliveryID, a.N = d.ID, n
	out := wagate.DeliveryOutcome{Attempt: a, Status: wagate.DeliveryDead}
	switch verdict {
	case webhook.Delivered:
		out.Status = wagate.DeliveryDelivered
	case webhook.Retry:
		if wait, ok := h.schedule().Next(n, nil); ok {
			out.Status, out.NextAttemptAt = wagate.DeliveryPending, h.now().Add(wait)
		}
	}
	var recordErr error
	if h.Deliveries != nil {
		recordErr = h.Deliveries.Record(ctx, d.ID, out)
		if recordErr != nil && out.Status != wagate.DeliveryDelivered {
			out.Status = wagate.DeliveryPending // unrecorded: try again
		}
	}
	if h.Metrics != nil {
		metrics.CountAttempt(h.Metrics, out.Status == wagate.DeliveryDelivered)
	}
	webhook.LogAttempt(h.Log, d, out, recordErr)
	return out
}

// send resolves the target as the settings are now, renders the body and
// makes one signed POST.
func (h *WebhookHandler) send(ctx context.Context, ev events.Event, sess *wagate.Session, target string) (wagate.WebhookAttempt, webhook.Verdict) {
	now := h.now().UTC()
	dest, secret, ok := webhook.Resolve(target, sess, h.Frappe)
	if !ok {
		return wagate.WebhookAttempt{At: now, Error: "webhook target " + target + " no longer configured"}, webhook.Refused
	}
	if u, err := url.Parse(dest); err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return wagate.WebhookAttempt{At: now, URL: dest, Error: "invalid target URL"}, webhook.Refused
	}
	if h.Sender.Guard != nil {
		if err := h.Sender.Guard(dest); err != nil {
			return wagate.WebhookAttempt{At: now, URL: dest, Error: "target refused: " + err.Error()}, webhook.Refused
		}
	}
	body, err := webhook.Render(ev, webhook.MediaLinks(ctx, h.Blobs, ev.SessionID))
	if err != nil {
		return wagate.WebhookAttempt{At: now, URL: dest, Error: err.Error()}, webhook.Retry
	}
	a := h.Sender.Send(ctx, dest, secret, ev, body)
	return a, webhook.Classify(a.StatusCode)
}

// DeliveryID is the id of the delivery of ev to target: stable, so an
// event EventBridge hands over again maps to the same delivery, and
// time-ordered like ids.New (6 bytes of the event's milliseconds, then 7
// bytes of a hash).
func DeliveryID(ev events.Event, target string) string {
	var b [13]byte
	var ms [8]byte
	binary.BigEndian.PutUint64(ms[:], uint64(ev.Time.UnixMilli()))
	copy(b[:6], ms[2:])
	sum := sha256.Sum256([]byte(ev.ID + "\x00" + target))
	copy(b[6:], sum[:7])
	return hex.EncodeToString(b[:])
}

func (h *WebhookHandler) schedule() webhook.Schedule {
	if h.Schedule != nil {
		return h.Schedule
	}
	return webhook.DefaultSchedule
}

func (h *WebhookHandler) now() time.Time {
	if h.Now != nil {
		return h.Now()
	}
	return time.Now()
}
