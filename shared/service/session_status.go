package service

import (
	"context"

	wagate "github.com/wagate/wagate/shared"
)

// Status returns the session as GET /api/sessions/{id}/status reports it.
// The record mirrors the live state its owner writes (DESIGN §3); with
// several connector tasks (Leases set) the lease is read with it, and a
// live-looking state whose lease is stale — the owner's heartbeat expired,
// or nobody holds it any more — reads as disconnected (reason
// host_stopped): a dead owner's last word is never trusted. A session still
// connecting that no task has taken yet stays connecting.
func (s *Sessions) Status(ctx context.Context, key string) (*wagate.Session, error) {
	sess, err := s.Store.FindSession(ctx, key)
	if err != nil || s.Leases == nil || sess.Status == wagate.StatusDisconnected {
		return sess, err
	}
	lease, err := s.Leases.Lease(ctx, sess.SessionID)
	if err != nil {
		return nil, err
	}
	if lease == nil || lease.Owner == "" {
		if sess.Status == wagate.StatusConnecting {
			return sess, nil
		}
		return staleSession(sess), nil
	}
	tasks, err := s.Leases.Tasks(ctx)
	if err != nil {
		return nil, err
	}
	now := s.now()
	for _, t := range tasks {
		if t.ID == lease.Owner && t.Live(now) {
			return sess, nil
		}
	}
	return staleSession(sess), nil
}

// staleSession is a copy of sess reported disconnected.
func staleSession(sess *wagate.Session) *wagate.Session {
	out := *sess
	out.Status, out.Reason, out.ReasonDetail = wagate.StatusDisconnected, wagate.ReasonHostStopped, ""
	out.QRCode, out.PairingCode = "", ""
	return &out
}
