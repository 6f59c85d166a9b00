package manager

import (
	"context"
	"time"

	"github.com/wagate/wagate/events"
	wagate "github.com/wagate/wagate/shared"
	"github.com/wagate/wagate/shared/wire"
)

// Contacts: the store follows the engine's contact store (read whole at
// each connect and after bulk syncs, per contact on change events); live
// look-ups are request/reply commands, rate-limited per session.

const (
	// SyncTimeout bounds a background read of contacts or groups.
	SyncTimeout = time.Minute
	// GroupSyncEvery is the least time between two complete group lists
	// fetched at connect (reconnects in a burst do not refetch).
	GroupSyncEvery = 10 * time.Minute
)

// contactCheck answers contact.check.
func (m *Manager) contactCheck(ctx context.Context, h *host, c events.Command) (any, error) {
	var p events.ContactCheckPayload
	if err := decodePayload(c, &p); err != nil {
		return nil, err
	}
	dir, err := directoryOf(h)
	if err != nil {
		return nil, err
	}
	if err := m.lookupAllowed(c.SessionID); err != nil {
		return nil, err
	}
	checks, err := dir.IsOnWhatsApp(ctx, p.Phones)
	if err != nil {
		return nil, err
	}
	return wire.PhoneChecks(checks), nil
}

// contactInfo answers contact.info and caches the profile in the store.
func (m *Manager) contactInfo(ctx context.Context, h *host, c events.Command) (any, error) {
	var p events.ContactInfoPayload
	if err := decodePayload(c, &p); err != nil {
		return nil, err
	}
	dir, err := directoryOf(h)
	if err != nil {
		return nil, err
	}
	if err := m.lookupAllowed(c.SessionID); err != nil {
		return nil, err
	}
	info, err := dir.UserInfo(ctx, p.JID)
	if err != nil {
		return nil, err
	}
	if info.JID == "" {
		info.JID = p.JID
	}
	now := m.now().UTC()
	if m.Contacts != nil {
		prof := info.Profile()
		prof.FetchedAt = now
		if err := m.Contacts.SetContactProfile(ctx, c.SessionID, info.JID, prof); err != nil {
			m.log().Error("cache contact profile", "session_id", c.SessionID, "jid", info.JID, "err", err)
		}
	}
	return wire.ContactInfoResult(info, now), nil
}

// handleContacts stores changed contacts, or re-reads them all.
func (m *Manager) handleContacts(ctx context.Context, h *host, e wagate.ContactsEvent) {
	if m.Contacts == nil {
		return
	}
	if e.All {
		m.background(h, "contacts", func(ctx context.Context) { m.syncContacts(ctx, h) })
		return
	}
	m.upsertContacts(ctx, h.sessionID, e.Contacts)
}

// handleContactPicture records a picture change.
func (m *Manager) handleContactPicture(ctx context.Context, h *host, e wagate.ContactPictureEvent) {
	if m.Contacts == nil {
		return
	}
	if err := m.Contacts.SetContactPicture(ctx, h.sessionID, e.JID, e.PictureID); err != nil {
		m.log().Error("record contact picture", "session_id", h.sessionID, "jid", e.JID, "err", err)
	}
}

// syncDirectory refreshes, in the background, the contacts and (at most
// every GroupSyncEvery) the groups of a session that just connected.
func (m *Manager) syncDirectory(h *host) {
	m.background(h, "directory", func(ctx context.Context) {
		m.syncContacts(ctx, h)
		if m.groupSyncDue(h.sessionID) {
			m.syncGroups(ctx, h)
		}
	})
}

// syncContacts reads every contact of the client's store into ours.
func (m *Manager) syncContacts(ctx context.Context, h *host) {
	dir, ok := h.client.(wagate.EngineDirectory)
	if !ok || m.Contacts == nil {
		return
	}
	cs, err := dir.Contacts(ctx)
	if err != nil {
		m.log().Warn("read contacts", "session_id", h.sessionID, "err", err)
		return
	}
	m.upsertContacts(ctx, h.sessionID, cs)
}

func (m *Manager) upsertContacts(ctx context.Context, sessionID string, cs []wagate.Contact) {
	if len(cs) == 0 || !m.sessionExists(ctx, sessionID) {
		return
	}
	ptrs := make([]*wagate.Contact, len(cs))
	for i := range cs {
		cs[i].SessionID = sessionID
		ptrs[i] = &cs[i]
	}
	if err := m.Contacts.UpsertContacts(ctx, sessionID, ptrs); err != nil {
		m.log().Error("store contacts", "session_id", sessionID, "count", len(cs), "err", err)
	}
}

// groupSyncDue reports whether the session's groups should be listed now,
// and if so notes that they are.
func (m *Manager) groupSyncDue(sessionID string) bool {
	m.dir.mu.Lock()
	defer m.dir.mu.Unlock()
	now := m.now()
	if last, ok := m.dir.groupsSync[sessionID]; ok && now.Sub(last) < GroupSyncEvery {
		return false
	}
	if m.dir.groupsSync == nil {
		m.dir.groupsSync = map[string]time.Time{}
	}
	m.dir.groupsSync[sessionID] = now
	return true
}

// background runs task for h off the event loop, one per session at a time
// (a task asked for while one runs is dropped: the running one reads the
// same store).
func (m *Manager) background(h *host, what string, task func(ctx context.Context)) {
	key := h.sessionID + "\x00" + what
	m.dir.mu.Lock()
	if m.dir.syncing[key] {
		m.dir.mu.Unlock()
		return
	}
	if m.dir.syncing == nil {
		m.dir.syncing = map[string]bool{}
	}
	m.dir.syncing[key] = true
	m.dir.mu.Unlock()
	go func() {
		defer func() {
			m.dir.mu.Lock()
			delete(m.dir.syncing, key)
			m.dir.mu.Unlock()
		}()
		ctx, cancel := context.WithTimeout(context.Background(), SyncTimeout)
		defer cancel()
		task(ctx)
	}()
}

// sessionExists keeps background work from writing for a deleted session.
func (m *Manager) sessionExists(ctx context.Context, sessionID string) bool {
	_, err := m.Store.FindSession(ctx, sessionID)
	return err == nil
}

// forgetDirectory deletes a session's contacts and groups (session deleted).
func (m *Manager) forgetDirectory(ctx context.Context, sessionID string) error {
	m.dir.lookups.forget(sessionID)
	m.dir.mu.Lock()
	delete(m.dir.groupsSync, sessionID)
	m.dir.mu.Unlock()
	if m.Contacts != nil {
		if err := m.Contacts.DeleteSessionContacts(ctx, sessionID); err != nil {
			return err
		}
	}
	if m.Groups != nil {
		return m.Groups.DeleteSessionGroups(ctx, sessionID)
	}
	return nil
}
