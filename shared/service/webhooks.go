package service

import (
	"context"
	"time"

	wagate "github.com/wagate/wagate/shared"
)

// WebhookTester sends a signed test ping to a session's webhook.
type WebhookTester interface {
	Test(ctx context.Context, sess *wagate.Session) (wagate.WebhookAttempt, error)
}

// Webhooks implements the delivery log: listing, inspecting, replaying.
type Webhooks struct {
	Sessions wagate.SessionStore
	Store    wagate.DeliveryStore
	Tester   WebhookTester
	Now      func() time.Time
}

func (s *Webhooks) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// DeliveryQuery filters the delivery log.
type DeliveryQuery struct {
	SessionKey  string
	Status      string
	Event       string
	Since       time.Time
	Until       time.Time
	Page, Limit int
}

func (s *Webhooks) filter(ctx context.Context, q DeliveryQuery) (wagate.DeliveryFilter, error) {
	f := wagate.DeliveryFilter{Status: wagate.DeliveryStatus(q.Status), EventType: q.Event, Since: q.Since, Until: q.Until,
		Offset: (q.Page - 1) * q.Limit, Limit: q.Limit}
	switch f.Status {
	case "", wagate.DeliveryPending, wagate.DeliveryDelivered, wagate.DeliveryDead:
	default:
		return f, wagate.Errorf(wagate.EINVALID, "status must be pending, delivered or dead.")
	}
	if q.SessionKey != "" {
		sess, err := s.Sessions.FindSession(ctx, q.SessionKey)
		if err != nil {
			return f, err
		}
		f.SessionID = sess.SessionID
	}
	return f, nil
}

// List returns a page of deliveries, newest first.
func (s *Webhooks) List(ctx context.Context, q DeliveryQuery) ([]*wagate.WebhookDelivery, int, error) {
	f, err := s.filter(ctx, q)
	if err != nil {
		return nil, 0, err
	}
	return s.Store.ListDeliveries(ctx, f)
}

// Get returns a delivery and its attempt log.
func (s *Webhooks) Get(ctx context.Context, id string) (*wagate.WebhookDelivery, []wagate.WebhookAttempt, error) {
	return s.Store.FindDelivery(ctx, id)
}

// Replay sends a delivery again now (whatever its status).
func (s *Webhooks) Replay(ctx context.Context, id string) (*wagate.WebhookDelivery, error) {
	return s.Store.Replay(ctx, id, s.now())
}

// ReplayDead sends every dead-lettered delivery of a session and/or time
// range again; returns how many.
func (s *Webhooks) ReplayDead(ctx context.Context, q DeliveryQuery) (int, error) {
	q.Status = string(wagate.DeliveryDead)
	f, err := s.filter(ctx, q)
	if err != nil {
		return 0, err
	}
	f.Offset, f.Limit = 0, 0
	return s.Store.ReplayDead(ctx, f, s.now())
}

// Test sends a signed ping to the session's webhook and reports the attempt.
func (s *Webhooks) Test(ctx context.Context, sessionKey string) (*wagate.Session, wagate.WebhookAttempt, error) {
	sess, err := s.Sessions.FindSession(ctx, sessionKey)
	if err != nil {
		return nil, wagate.WebhookAttempt{}, err
	}
	if sess.Webhook.URL == "" {
		return nil, wagate.WebhookAttempt{}, wagate.Errorf(wagate.EINVALID, "Session %s has no webhookUrl: set one with PUT /api/sessions/%s/webhook.", sess.SessionID, sess.SessionID)
	}
	a, err := s.Tester.Test(ctx, sess)
	return sess, a, err
}
