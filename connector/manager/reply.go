package manager

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"time"

	"github.com/wagate/wagate/events"
	wagate "github.com/wagate/wagate/shared"
)

// Request/reply commands (DESIGN §4): the API records the command pending
// and waits for the result the connector writes here under the command id.
const (
	// ReplyTimeout bounds the WhatsApp work of one request/reply command.
	ReplyTimeout = 30 * time.Second
	// sweepEvery is how often finished commands trigger the removal of
	// expired command results.
	sweepEvery = time.Hour
)

// DefaultLookupPacing limits the WhatsApp look-ups (is on WhatsApp, user
// info) of one session: bursts of 10, then one every two seconds. Over it a
// look-up fails at once with RATE_LIMIT_EXCEEDED (the API then answers
// from its cache when it can): mass look-ups are a ban risk.
var DefaultLookupPacing = Pacing{PerSecond: 0.5, Burst: 10}

// replyFunc does the work of a request/reply command on a live host and
// returns its result contract (events.*Result).
type replyFunc func(ctx context.Context, h *host, c events.Command) (any, error)

// directory is the manager's state for contacts, groups and replies.
type directory struct {
	lookups pacers // per-session look-up buckets

	mu         sync.Mutex
	syncing    map[string]bool      // sessions with a background sync running
	groupsSync map[string]time.Time // last complete group list fetched, per session
	sweptAt    time.Time
}

// reply runs a request/reply command and records its result. A command
// already answered (redelivered after a crash) is not run again; a session
// that is not live fails at once (the API is waiting). It never asks for a
// retry: the outcome, success or failure, is the reply.
func (m *Manager) reply(ctx context.Context, d wagate.Delivery, fn replyFunc) (time.Duration, error) {
	c := d.Command
	if m.Results == nil {
		return 0, wagate.Errorf(wagate.ENOTSUPPORTED, "no command result store for %s", c.Type)
	}
	if prev, err := m.Results.GetCommandResult(ctx, c.ID); err == nil && prev.Status.Finished() {
		return 0, nil
	}
	var (
		res any
		err error
	)
	if h := m.get(c.SessionID); h == nil || !h.client.IsLive() {
		err = wagate.Errorf(wagate.ENOTCONNECTED, "Session %s is not connected.", c.SessionID)
	} else {
		wctx, cancel := context.WithTimeout(ctx, ReplyTimeout)
		res, err = fn(wctx, h, c)
		cancel()
	}
	m.finish(ctx, c, res, err)
	return 0, nil
}

// finish records the outcome of a request/reply command.
func (m *Manager) finish(ctx context.Context, c events.Command, res any, err error) {
	now := m.now().UTC()
	rec := &wagate.CommandResult{
		ID: c.ID, SessionID: c.SessionID, Type: c.Type, Status: wagate.CommandDone,
		CreatedAt: c.CreatedAt, CompletedAt: now, ExpiresAt: now.Add(wagate.CommandResultTTL),
	}
	if err == nil {
		if rec.Result, err = json.Marshal(res); err != nil {
			err = fmt.Errorf("encode %s result: %w", c.Type, err)
		}
	}
	log := m.log().With("session_id", c.SessionID, "command_id", c.ID, "command", c.Type)
	if err != nil {
		rec.Status, rec.Result = wagate.CommandFailed, nil
		rec.ErrCode, rec.ErrMessage = wagate.ErrorCode(err), wagate.ErrorMessage(err)
		if rec.ErrCode == wagate.EINTERNAL {
			log.Error("command failed", "err", err)
		} else {
			log.Info("command refused", "code", rec.ErrCode, "err", err)
		}
	}
	if err := m.Results.PutCommandResult(ctx, rec); err != nil {
		log.Error("record command result", "err", err)
	}
	m.sweepResults(ctx, now)
}

// sweepResults removes expired command results, at most once per sweepEvery.
func (m *Manager) sweepResults(ctx context.Context, now time.Time) {
	m.dir.mu.Lock()
	due := now.Sub(m.dir.sweptAt) >= sweepEvery
	if due {
		m.dir.sweptAt = now
	}
	m.dir.mu.Unlock()
	if !due {
		return
	}
	if n, err := m.Results.DeleteExpiredCommandResults(ctx, now); err != nil {
		m.log().Warn("delete expired command results", "err", err)
	} else if n > 0 {
		m.log().Info("expired command results deleted", "count", n)
	}
}

// lookupAllowed takes a look-up token of the session, or refuses.
func (m *Manager) lookupAllowed(sessionID string) error {
	cfg := m.Lookups
	if cfg == (Pacing{}) {
		cfg = DefaultLookupPacing
	}
	if wait := m.dir.lookups.delay(cfg, sessionID, m.now()); wait > 0 {
		return wagate.Errorf(wagate.ERATELIMIT, "Too many WhatsApp look-ups for session %s; try again in %s.", sessionID, max(wait, time.Second).Round(time.Second))
	}
	return nil
}

// directoryOf returns the host's client as an EngineDirectory.
func directoryOf(h *host) (wagate.EngineDirectory, error) {
	d, ok := h.client.(wagate.EngineDirectory)
	if !ok {
		return nil, wagate.Errorf(wagate.ENOTSUPPORTED, "This WhatsApp engine cannot look up contacts.")
	}
	return d, nil
}

// groupsOf returns the host's client as an EngineGroups.
func groupsOf(h *host) (wagate.EngineGroups, error) {
	g, ok := h.client.(wagate.EngineGroups)
	if !ok {
		return nil, wagate.Errorf(wagate.ENOTSUPPORTED, "This WhatsApp engine cannot manage groups.")
	}
	return g, nil
}
