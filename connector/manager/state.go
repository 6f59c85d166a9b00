package manager

import (
	"context"
	"errors"
	"time"

	"github.com/wagate/wagate/events"
	wagate "github.com/wagate/wagate/shared"
	"github.com/wagate/wagate/shared/ids"
)

// update writes a session change; a deleted session is not an error.
// When several tasks run, the write is fenced by the session's lease: a
// session this task does not own is not written, and a refused write stops
// the session here (ownership.go).
func (m *Manager) update(ctx context.Context, sessionID string, upd wagate.SessionUpdate) (*wagate.Session, error) {
	var (
		sess *wagate.Session
		err  error
	)
	f, on, ok := m.fenced(sessionID)
	fs, canFence := m.Store.(wagate.FencedSessionStore)
	switch {
	case !on || !canFence:
		sess, err = m.Store.UpdateSession(ctx, sessionID, upd)
	case !ok:
		m.log().Debug("session state not written: not owned here", "session_id", sessionID)
		return nil, nil
	default:
		sess, err = fs.UpdateSessionFenced(ctx, sessionID, f, upd)
		if errors.Is(err, wagate.ErrLeaseLost) {
			m.lose(sessionID, err)
			return nil, nil
		}
	}
	if wagate.ErrorCode(err) == wagate.ENOSESSION {
		return nil, nil
	}
	return sess, err
}

// setDown marks the session disconnected for reason and publishes it.
// credentialsGone also forgets the device (it must pair again).
func (m *Manager) setDown(ctx context.Context, sessionID string, reason wagate.Reason, detail string, credentialsGone bool) {
	st := wagate.StatusDisconnected
	upd := wagate.SessionUpdate{
		Status: &st, Reason: &reason, ReasonDetail: &detail,
		QRCode: new(string), QRExpiresAt: new(time.Time), PairingCode: new(string),
	}
	if reason != wagate.ReasonHostStopped {
		no := false
		upd.AutoConnect = &no
	}
	typ := events.EvSessionDisconnected
	if credentialsGone {
		upd.DeviceJID = new(string)
		typ = events.EvSessionLoggedOut
	}
	m.record(ctx, sessionID, upd, typ)
}

// record writes upd and, when typ is not empty, publishes a session event
// with the resulting state. Failures are logged: the engine goes on.
func (m *Manager) record(ctx context.Context, sessionID string, upd wagate.SessionUpdate, typ string) *wagate.Session {
	sess, err := m.update(ctx, sessionID, upd)
	if err != nil {
		m.log().Error("write session state", "session_id", sessionID, "err", err)
		return nil
	}
	if sess == nil || typ == "" || m.Bus == nil {
		return sess
	}
	data := events.SessionEvent{
		SessionID: sess.SessionID, SessionDBID: sess.ID, Status: string(sess.Status),
		Reason: string(sess.Reason), ReasonDetail: sess.ReasonDetail, PhoneNumber: sess.PhoneNumber,
	}
	if typ == events.EvSessionQR {
		data.QRCode = sess.QRCode
		exp := sess.QRExpiresAt.UTC()
		data.ExpiresAt = &exp
	}
	ev, err := events.NewEvent(ids.New(), typ, sess.SessionID, sess.ID, m.now(), data)
	if err == nil {
		err = m.Bus.Publish(ctx, ev)
	}
	if err != nil {
		m.log().Error("publish session event", "session_id", sessionID, "event", typ, "err", err)
	}
	return sess
}
