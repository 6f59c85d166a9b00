package service

import (
	"context"
	"fmt"
	"time"

	"github.com/wagate/wagate/events"
	wagate "github.com/wagate/wagate/shared"
	"github.com/wagate/wagate/shared/ids"
)

// Sessions implements the session use cases: it validates, persists and
// enqueues commands for the connector, which owns the live state.
type Sessions struct {
	Store wagate.SessionStore
	Queue wagate.CommandQueue
	Now   func() time.Time
	// Leases, when several connector tasks share the sessions (aws), let
	// Status tell a live owner from a stale one (session_status.go).
	Leases wagate.LeaseStore

	// Waits; zero values take the package defaults.
	CreateWait     time.Duration
	DisconnectWait time.Duration
	PairWait       time.Duration
}

func (s *Sessions) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// CreateInput is what a client may give when creating a session.
type CreateInput struct {
	SessionID     string
	SessionName   string
	PhoneNumber   string
	WebhookURL    string
	WebhookSecret string
	WebhookEvents []string
	FromFrappe    bool
}

// Create validates in, stores the session, asks the connector to connect it
// and waits (bounded) for a QR code or a connection.
// Returns EINVALID, ESESSIONEXISTS.
func (s *Sessions) Create(ctx context.Context, in CreateInput) (*wagate.Session, error) {
	if err := validateCreate(&in); err != nil {
		return nil, err
	}
	now := s.now()
	if in.SessionID == "" {
		in.SessionID = ids.NewSessionID(in.SessionName, now)
	}
	if in.SessionName == "" {
		in.SessionName = in.SessionID
	}
	sess := &wagate.Session{
		SessionID:   in.SessionID,
		Name:        in.SessionName,
		PhoneNumber: in.PhoneNumber,
		Webhook: wagate.WebhookConfig{
			URL: in.WebhookURL, Secret: in.WebhookSecret,
			Events: in.WebhookEvents, SendToFrappe: in.FromFrappe,
		},
		Status:      wagate.StatusConnecting,
		AutoConnect: true,
	}
	wctx := context.WithoutCancel(ctx) // a stored session always gets its connect command
	if err := s.Store.CreateSession(wctx, sess); err != nil {
		return nil, err
	}
	if err := s.enqueue(wctx, events.CmdSessionConnect, sess.SessionID, nil); err != nil {
		return nil, err
	}
	return s.waitFor(ctx, sess.SessionID, s.wait(s.CreateWait, CreateWait), settled)
}

// Get returns the session addressed by key (numeric id or sessionId).
func (s *Sessions) Get(ctx context.Context, key string) (*wagate.Session, error) {
	return s.Store.FindSession(ctx, key)
}

// ListInput selects a page of sessions.
type ListInput struct {
	Page, Limit int
	Status      string
}

// List returns a page of sessions and the total that match.
func (s *Sessions) List(ctx context.Context, in ListInput) ([]*wagate.Session, int, error) {
	f := wagate.SessionFilter{Status: wagate.Status(in.Status)}
	if in.Status != "" && !f.Status.Valid() {
		return nil, 0, wagate.Errorf(wagate.EINVALID, "status must be one of connected, disconnected, qr_code, connecting")
	}
	f.Offset, f.Limit = (in.Page-1)*in.Limit, in.Limit
	return s.Store.ListSessions(ctx, f)
}

// QR returns the session if it is showing an unexpired QR code.
// Returns ENOSESSION, or ENOTFOUND while there is no QR code.
func (s *Sessions) QR(ctx context.Context, key string) (*wagate.Session, error) {
	sess, err := s.Store.FindSession(ctx, key)
	if err != nil {
		return nil, err
	}
	if !sess.HasQR() || (!sess.QRExpiresAt.IsZero() && s.now().After(sess.QRExpiresAt)) {
		return nil, wagate.Errorf(wagate.ENOTFOUND, "No QR code available: the session is %s.", sess.Status)
	}
	return sess, nil
}

// Connect asks the connector to connect the session (QR code if unpaired).
func (s *Sessions) Connect(ctx context.Context, key string) (*wagate.Session, error) {
	sess, err := s.Store.FindSession(ctx, key)
	if err != nil {
		return nil, err
	}
	if sess.Status == wagate.StatusConnected {
		return sess, nil
	}
	return s.command(ctx, sess, events.CmdSessionConnect, true, wagate.StatusConnecting)
}

// Restart asks the connector to drop and re-open the connection.
func (s *Sessions) Restart(ctx context.Context, key string) (*wagate.Session, error) {
	sess, err := s.Store.FindSession(ctx, key)
	if err != nil {
		return nil, err
	}
	return s.command(ctx, sess, events.CmdSessionRestart, true, wagate.StatusConnecting)
}

// Disconnect closes the connection and keeps the credentials; the session
// stays down (also across restarts) until connected again.
func (s *Sessions) Disconnect(ctx context.Context, key string) (*wagate.Session, error) {
	sess, err := s.Store.FindSession(ctx, key)
	if err != nil {
		return nil, err
	}
	if _, err := s.command(ctx, sess, events.CmdSessionDisconnect, false, ""); err != nil {
		return nil, err
	}
	return s.waitFor(ctx, sess.SessionID, s.wait(s.DisconnectWait, DisconnectWait), func(x *wagate.Session) bool {
		return x.Status == wagate.StatusDisconnected
	})
}

// Delete removes the session: the record now, the connection and the
// credentials (unlinking the device) in the connector.
func (s *Sessions) Delete(ctx context.Context, key string) (*wagate.Session, error) {
	sess, err := s.Store.FindSession(ctx, key)
	if err != nil {
		return nil, err
	}
	if err := s.enqueue(ctx, events.CmdSessionDelete, sess.SessionID, events.DeletePayload{DeviceJID: sess.DeviceJID}); err != nil {
		return nil, err
	}
	if err := s.Store.DeleteSession(ctx, sess.SessionID); err != nil {
		return nil, err
	}
	return sess, nil
}

// PairPhone asks for a pairing code to link the session by phone number
// instead of a QR code, and waits for it.
func (s *Sessions) PairPhone(ctx context.Context, key, phone string) (*wagate.Session, error) {
	phone = digitsOnly(phone)
	if err := validatePhone(phone, true); err != nil {
		return nil, err
	}
	sess, err := s.Store.FindSession(ctx, key)
	if err != nil {
		return nil, err
	}
	if sess.DeviceJID != "" {
		return nil, wagate.Errorf(wagate.EINVALID, "Session %s is already linked to a phone; delete it or log out first.", sess.SessionID)
	}
	empty := ""
	if _, err := s.Store.UpdateSession(ctx, sess.SessionID, wagate.SessionUpdate{PairingCode: &empty}); err != nil {
		return nil, err
	}
	if err := s.enqueue(ctx, events.CmdSessionPairPhone, sess.SessionID, events.PairPhonePayload{PhoneNumber: phone}); err != nil {
		return nil, err
	}
	return s.waitFor(ctx, sess.SessionID, s.wait(s.PairWait, PairWait), func(x *wagate.Session) bool {
		return x.PairingCode != "" || x.Status == wagate.StatusConnected
	})
}

// command records the desired state, enqueues typ and returns the session
// as the client should see it now (status shown optimistically).
func (s *Sessions) command(ctx context.Context, sess *wagate.Session, typ string, autoConnect bool, show wagate.Status) (*wagate.Session, error) {
	upd := wagate.SessionUpdate{AutoConnect: &autoConnect}
	if _, err := s.Store.UpdateSession(ctx, sess.SessionID, upd); err != nil {
		return nil, err
	}
	if err := s.enqueue(ctx, typ, sess.SessionID, nil); err != nil {
		return nil, err
	}
	out := *sess
	out.AutoConnect = autoConnect
	if show != "" {
		out.Status = show
	}
	return &out, nil
}

func (s *Sessions) enqueue(ctx context.Context, typ, sessionID string, payload any) error {
	cmd, err := events.NewCommand(ids.New(), typ, sessionID, s.now(), payload)
	if err != nil {
		return fmt.Errorf("build %s command: %w", typ, err)
	}
	if err := s.Queue.Enqueue(ctx, cmd); err != nil {
		return fmt.Errorf("enqueue %s for %q: %w", typ, sessionID, err)
	}
	return nil
}

// settled is true once the connector has shown a QR code, connected, or
// given up.
func settled(x *wagate.Session) bool {
	return x.HasQR() || x.Status == wagate.StatusConnected || x.Status == wagate.StatusDisconnected
}

// waitFor re-reads the session until done holds or d passes, and returns the
// last state read (a timeout is not an error: the state is reported as is).
func (s *Sessions) waitFor(ctx context.Context, sessionID string, d time.Duration, done func(*wagate.Session) bool) (*wagate.Session, error) {
	deadline := time.Now().Add(d)
	tick := time.NewTicker(PollEvery)
	defer tick.Stop()
	for {
		sess, err := s.Store.FindSession(ctx, sessionID)
		if err != nil || done(sess) || time.Now().After(deadline) {
			return sess, err
		}
		select {
		case <-ctx.Done():
			return sess, nil
		case <-tick.C:
		}
	}
}

func (s *Sessions) wait(d, def time.Duration) time.Duration {
	if d > 0 {
		return d
	}
	return def
}
