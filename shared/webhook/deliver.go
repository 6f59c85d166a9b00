package webhook

import (
	"context"
	"encoding/json"
	"log/slog"
	"path"
	"time"

	"github.com/wagate/wagate/events"
	wagate "github.com/wagate/wagate/shared"
)

// deliver makes one attempt of d, records its outcome, logs it and returns
// it.
func (dl *Deliverer) deliver(ctx context.Context, d *wagate.WebhookDelivery) wagate.DeliveryOutcome {
	n := d.Attempts + 1
	a, v := dl.attempt(ctx, d)
	a.DeliveryID, a.N = d.ID, n
	out := wagate.DeliveryOutcome{Attempt: a}
	switch v {
	case Delivered:
		out.Status = wagate.DeliveryDelivered
	case Retry:
		if wait, ok := dl.schedule().Next(n, dl.Rand); ok {
			out.Status, out.NextAttemptAt = wagate.DeliveryPending, dl.now().Add(wait)
		} else {
			out.Status = wagate.DeliveryDead
		}
	default:
		out.Status = wagate.DeliveryDead
	}
	err := dl.Store.Record(ctx, d.ID, out)
	dl.logAttempt(d, out, err)
	return out
}

// attempt resolves d's target as the settings are now, renders the body
// and sends it.
func (dl *Deliverer) attempt(ctx context.Context, d *wagate.WebhookDelivery) (wagate.WebhookAttempt, Verdict) {
	failed := func(text string, v Verdict) (wagate.WebhookAttempt, Verdict) {
		return wagate.WebhookAttempt{At: dl.now().UTC(), Error: text}, v
	}
	var ev events.Event
	if err := json.Unmarshal(d.Event, &ev); err != nil {
		return failed("undecodable event: "+err.Error(), Refused)
	}
	sess, err := dl.Sessions.FindSession(ctx, d.SessionID)
	switch {
	case wagate.ErrorCode(err) == wagate.ENOSESSION:
		return failed("session deleted", Refused)
	case err != nil:
		return failed("find session: "+err.Error(), Retry)
	}
	url, secret, ok := Resolve(d.Target, sess, dl.Frappe)
	if !ok {
		return failed("webhook target "+d.Target+" no longer configured", Refused)
	}
	body, err := Render(ev, dl.mediaURL(ctx, ev.SessionID))
	if err != nil {
		a, v := failed(err.Error(), Retry)
		a.URL = url
		return a, v
	}
	return dl.sender.send(ctx, url, secret, ev, body)
}

func (dl *Deliverer) mediaURL(ctx context.Context, sessionID string) func(mediaID, filename string) (string, error) {
	return MediaLinks(ctx, dl.Blobs, sessionID)
}

func (dl *Deliverer) logAttempt(d *wagate.WebhookDelivery, out wagate.DeliveryOutcome, recordErr error) {
	LogAttempt(dl.log(), d, out, recordErr)
}

// MediaLinks returns the media-link minter Render needs for a session's
// events: presigned links to "media/<session>/<mediaId>" (where the
// connector keeps every media file), valid for MediaLinkTTL; nil without a
// blob store.
func MediaLinks(ctx context.Context, blobs wagate.BlobStore, sessionID string) func(mediaID, filename string) (string, error) {
	if blobs == nil {
		return nil
	}
	return func(mediaID, filename string) (string, error) {
		return blobs.PresignGet(ctx, path.Join("media", sessionID, path.Base(mediaID)), filename, MediaLinkTTL)
	}
}

// LogAttempt writes the structured log line of one attempt (both runtimes
// log the same fields).
func LogAttempt(log *slog.Logger, d *wagate.WebhookDelivery, out wagate.DeliveryOutcome, recordErr error) {
	a := out.Attempt
	level, msg := slog.LevelInfo, "webhook delivered"
	switch out.Status {
	case wagate.DeliveryPending:
		level, msg = slog.LevelWarn, "webhook attempt failed; will retry"
	case wagate.DeliveryDead:
		level, msg = slog.LevelError, "webhook delivery dead"
	}
	attrs := []slog.Attr{
		slog.String("session_id", d.SessionID), slog.String("delivery_id", d.ID), slog.String("event", d.EventType),
		slog.String("event_id", d.EventID), slog.String("target", d.Target), slog.String("url", a.URL), slog.Int("attempt", a.N),
		slog.Int("status_code", a.StatusCode), slog.Int64("latency_ms", a.Latency.Milliseconds()),
	}
	if a.Error != "" {
		attrs = append(attrs, slog.String("error", a.Error))
	}
	if out.Status == wagate.DeliveryPending {
		attrs = append(attrs, slog.Time("next_attempt_at", out.NextAttemptAt.Truncate(time.Millisecond)))
	}
	if recordErr != nil {
		// The lease ends unrecorded: the attempt is made again after it.
		level = slog.LevelError
		attrs = append(attrs, slog.String("record_error", recordErr.Error()))
	}
	log.LogAttrs(context.Background(), level, msg, attrs...)
}
