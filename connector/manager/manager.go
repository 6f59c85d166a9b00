package manager

import (
	"context"
	"log/slog"
	"sync"
	"time"

	wagate "github.com/wagate/wagate/shared"
)

// Manager hosts sessions. Set the fields, then call Run.
type Manager struct {
	Engine   wagate.Engine
	Store    wagate.SessionStore
	Queue    wagate.CommandQueue
	Bus      wagate.EventBus
	Messages wagate.MessageStore
	Statuses wagate.StatusStore
	Media    wagate.MediaStore
	Blobs    wagate.BlobStore
	// Contacts, Groups and Results keep contacts, groups and the replies of
	// request/reply commands (reply.go, directory.go, groups.go); nil
	// stores skip what they would keep.
	Contacts wagate.ContactStore
	Groups   wagate.GroupStore
	Results  wagate.CommandResultStore
	// Lookups limits each session's WhatsApp look-ups (zero: DefaultLookupPacing).
	Lookups Pacing
	// Fetch downloads media given by URL (SSRF-guarded); nil refuses URLs.
	Fetch   func(ctx context.Context, url string) (data []byte, contentType string, err error)
	Pacing  Pacing
	Log     *slog.Logger
	Workers int
	Now     func() time.Time
	// Visibility is how long a received command stays hidden from other
	// consumers while it is handled (zero: the package's Visibility).
	Visibility time.Duration
	// Ownership, when set, makes this manager one of several connector
	// tasks (ownership.go); nil hosts every session here.
	Ownership *Ownership

	mu     sync.Mutex
	hosted map[string]*host
	pacers pacers
	dir    directory
	own    *owner
}

// host is one hosted session: its client and the goroutine that applies the
// client's events, in order, to the store and the bus.
type host struct {
	sessionID string
	client    wagate.EngineClient
	events    chan wagate.EngineEvent
	stop      chan struct{}
	done      chan struct{}
}

func (m *Manager) now() time.Time {
	if m.Now != nil {
		return m.Now()
	}
	return time.Now()
}

func (m *Manager) log() *slog.Logger {
	if m.Log != nil {
		return m.Log
	}
	return slog.Default()
}

// Hosted returns how many sessions have a client.
func (m *Manager) Hosted() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.hosted)
}

func (m *Manager) get(sessionID string) *host {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.hosted[sessionID]
}

// start builds a client for sess and the goroutine that applies its events.
func (m *Manager) start(ctx context.Context, sess *wagate.Session) (*host, error) {
	h := &host{
		sessionID: sess.SessionID,
		events:    make(chan wagate.EngineEvent, EventBuffer),
		stop:      make(chan struct{}),
		done:      make(chan struct{}),
	}
	client, err := m.Engine.NewClient(ctx, wagate.EngineDevice{SessionID: sess.SessionID, DeviceJID: sess.DeviceJID}, func(ev wagate.EngineEvent) {
		select {
		case h.events <- ev:
		case <-h.stop:
		}
	})
	if err != nil {
		return nil, err
	}
	h.client = client
	m.mu.Lock()
	if m.hosted == nil {
		m.hosted = map[string]*host{}
	}
	m.hosted[sess.SessionID] = h
	m.mu.Unlock()
	go m.loop(h)
	return h, nil
}

// loop applies h's events until h is stopped or its client gives up.
func (m *Manager) loop(h *host) {
	defer close(h.done)
	for {
		select {
		case ev := <-h.events:
			if !m.apply(h, ev) {
				return
			}
		case <-h.stop:
			return
		}
	}
}

// detach removes h from the hosted set and stops its event loop without
// waiting (safe from inside the loop).
func (m *Manager) detach(h *host) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.hosted[h.sessionID] != h {
		return false
	}
	delete(m.hosted, h.sessionID)
	close(h.stop)
	return true
}

// stopHost detaches the session's host, waits for its event loop to end and
// returns it (nil if the session was not hosted). The client is not closed.
func (m *Manager) stopHost(sessionID string) *host {
	h := m.get(sessionID)
	if h == nil || !m.detach(h) {
		return nil
	}
	<-h.done
	return h
}

// Shutdown disconnects every hosted client, keeping credentials, and marks
// the sessions as waiting for a host (they reconnect when one starts).
func (m *Manager) Shutdown(ctx context.Context) {
	m.mu.Lock()
	ids := make([]string, 0, len(m.hosted))
	for id := range m.hosted {
		ids = append(ids, id)
	}
	m.mu.Unlock()
	var wg sync.WaitGroup
	sem := make(chan struct{}, ResumeWorkers)
	for _, id := range ids {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			if h := m.stopHost(id); h != nil {
				h.client.Disconnect()
				m.setDown(ctx, id, wagate.ReasonHostStopped, "", false)
			}
		}()
	}
	wg.Wait()
}
