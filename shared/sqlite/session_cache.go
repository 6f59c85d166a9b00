package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"sync"

	wagate "github.com/wagate/wagate/shared"
)

// sessionCache holds every session of the file, loaded at open and updated
// after each committed write (the DB write lock orders the updates). The
// status route reads a session on every request; serving it from memory keeps
// that route close to the cost of a bare handler.
//
// Entries are never handed out: readers get clones.
type sessionCache struct {
	mu    sync.RWMutex
	byID  map[int64]*wagate.Session
	bySID map[string]*wagate.Session
	ids   []int64 // ascending; ids are allocated in increasing order
}

func newSessionCache() *sessionCache {
	return &sessionCache{byID: map[int64]*wagate.Session{}, bySID: map[string]*wagate.Session{}}
}

// load reads all sessions from the table.
func (c *sessionCache) load(ctx context.Context, db *sql.DB) error {
	rows, err := db.QueryContext(ctx, `SELECT `+sessionColumns+` FROM sessions ORDER BY id`)
	if err != nil {
		return fmt.Errorf("load sessions: %w", err)
	}
	defer rows.Close()
	c.mu.Lock()
	defer c.mu.Unlock()
	for rows.Next() {
		s, err := scanSession(rows)
		if err != nil {
			return fmt.Errorf("load sessions: %w", err)
		}
		c.byID[s.ID] = s
		c.bySID[s.SessionID] = s
		c.ids = append(c.ids, s.ID)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("load sessions: %w", err)
	}
	return nil
}

// find returns a clone of the session whose sessionId is key or, failing
// that, whose numeric id is key written in canonical decimal form.
func (c *sessionCache) find(key string) (*wagate.Session, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if s, ok := c.bySID[key]; ok {
		return s.Clone(), true
	}
	if id, err := strconv.ParseInt(key, 10, 64); err == nil && strconv.FormatInt(id, 10) == key {
		if s, ok := c.byID[id]; ok {
			return s.Clone(), true
		}
	}
	return nil, false
}

// bySessionID returns a clone of the session with this sessionId.
func (c *sessionCache) bySessionID(sessionID string) (*wagate.Session, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	s, ok := c.bySID[sessionID]
	if !ok {
		return nil, false
	}
	return s.Clone(), true
}

// list returns clones of the sessions matching f, ordered by id, and the
// number that match ignoring Offset and Limit.
func (c *sessionCache) list(f wagate.SessionFilter) ([]*wagate.Session, int) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	var out []*wagate.Session
	total := 0
	for _, id := range c.ids {
		s := c.byID[id]
		if (f.Status != "" && s.Status != f.Status) || (f.AutoConnect != nil && s.AutoConnect != *f.AutoConnect) {
			continue
		}
		total++
		if total <= f.Offset || (f.Limit > 0 && len(out) >= f.Limit) {
			continue
		}
		out = append(out, s.Clone())
	}
	return out, total
}

// put inserts or replaces s (the cache keeps s itself: pass a clone).
func (c *sessionCache) put(s *wagate.Session) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.byID[s.ID]; !ok {
		i, _ := slices.BinarySearch(c.ids, s.ID)
		c.ids = slices.Insert(c.ids, i, s.ID)
	}
	c.byID[s.ID] = s
	c.bySID[s.SessionID] = s
}

// remove drops the session with this numeric id.
func (c *sessionCache) remove(id int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	s, ok := c.byID[id]
	if !ok {
		return
	}
	delete(c.byID, id)
	delete(c.bySID, s.SessionID)
	if i, found := slices.BinarySearch(c.ids, id); found {
		c.ids = slices.Delete(c.ids, i, i+1)
	}
}
