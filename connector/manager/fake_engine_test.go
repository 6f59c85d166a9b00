package manager_test

import (
	"context"
	"sync"
	"time"

	wagate "github.com/wagate/wagate/shared"
)

// fakeEngine is a hand-written engine: tests read what the manager asked of
// it and emit engine events through its clients.
type fakeEngine struct {
	mu       sync.Mutex
	clients  map[string]*fakeClient // latest client per session
	deleted  []string               // DeleteDevice calls
	failNext error                  // next Connect fails with this
}

func newFakeEngine() *fakeEngine { return &fakeEngine{clients: map[string]*fakeClient{}} }

func (e *fakeEngine) Name() string { return "fake" }

func (e *fakeEngine) NewClient(_ context.Context, dev wagate.EngineDevice, handle func(wagate.EngineEvent)) (wagate.EngineClient, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	c := &fakeClient{engine: e, dev: dev, handle: handle}
	e.clients[dev.SessionID] = c
	return c, nil
}

func (e *fakeEngine) DeleteDevice(_ context.Context, jid string) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.deleted = append(e.deleted, jid)
	return nil
}

func (e *fakeEngine) client(sessionID string) *fakeClient {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.clients[sessionID]
}

type fakeClient struct {
	engine *fakeEngine
	dev    wagate.EngineDevice
	handle func(wagate.EngineEvent)

	mu                             sync.Mutex
	connects, disconnects, logouts int
	paired                         string
	sent                           []string
}

func (c *fakeClient) Connect(context.Context) error {
	c.engine.mu.Lock()
	err := c.engine.failNext
	c.engine.failNext = nil
	c.engine.mu.Unlock()
	c.mu.Lock()
	defer c.mu.Unlock()
	c.connects++
	return err
}

func (c *fakeClient) Disconnect() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.disconnects++
}

func (c *fakeClient) Logout(context.Context) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.logouts++
	return nil
}

func (c *fakeClient) PairPhone(_ context.Context, phone string) (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.paired = phone
	return "ABCD-EFGH", nil
}

// IsLive: connected at least once more than disconnected.
func (c *fakeClient) IsLive() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.connects > c.disconnects
}

func (c *fakeClient) counts() (connects, disconnects, logouts int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.connects, c.disconnects, c.logouts
}

func (c *fakeClient) Send(_ context.Context, m *wagate.Message, _ []byte) (time.Time, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sent = append(c.sent, m.WhatsAppID)
	return time.Now(), nil
}

func (c *fakeClient) MarkRead(context.Context, string, string, []string, time.Time) error { return nil }
