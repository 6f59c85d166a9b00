package waengine

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"go.mau.fi/whatsmeow"
	"go.mau.fi/whatsmeow/store"

	wagate "github.com/wagate/wagate/shared"
)

// Client is one session's whatsmeow client. Its methods are safe for
// concurrent use. The event handler it was built with must not call back
// into the client synchronously.
type Client struct {
	wa        *whatsmeow.Client
	sessionID string
	log       *slog.Logger
	out       *emitter
	dev       deviceView

	mu sync.Mutex // serialises Connect, Disconnect and Logout
	// cur is the current connect attempt, nil when there is none. Event
	// handlers read it without taking mu: they run under whatsmeow's
	// handler lock, which Connect takes (GetQRChannel) while holding mu.
	cur atomic.Pointer[attempt]
}

var _ wagate.EngineClient = (*Client)(nil)

// attempt is one Connect. Its context carries whatsmeow's connection loops
// (reading, keep-alive, auto-reconnect, QR codes) and ends with
// Disconnect, Logout, a failed dial or the next Connect.
type attempt struct {
	ctx     context.Context
	cancel  context.CancelFunc
	qrReady chan struct{} // closed at the first QR code
	qrOnce  sync.Once
	dialing atomic.Bool // whatsmeow's Connect has not returned yet
}

func newAttempt(parent context.Context) *attempt {
	// The connection outlives the request that started it.
	ctx, cancel := context.WithCancel(context.WithoutCancel(parent))
	return &attempt{ctx: ctx, cancel: cancel, qrReady: make(chan struct{})}
}

func (a *attempt) live() bool   { return a.ctx.Err() == nil }
func (a *attempt) markQRReady() { a.qrOnce.Do(func() { close(a.qrReady) }) }

func newClient(device *store.Device, sessionID string, log *slog.Logger, opts options, handle func(wagate.EngineEvent)) *Client {
	wa := whatsmeow.NewClient(device, newWALogger(log, "Client", opts.debugLogs))
	wa.EnableAutoReconnect = true
	// Acknowledge messages only once the connector stored them, and keep
	// their plaintext until then for the redelivery (see receive.go).
	wa.SynchronousAck = true
	wa.EnableDecryptedEventBuffer = true
	if opts.httpClient != nil {
		wa.SetWebsocketHTTPClient(opts.httpClient)
		wa.SetPreLoginHTTPClient(opts.httpClient)
	}
	c := &Client{wa: wa, sessionID: sessionID, log: log, out: &emitter{handle: handle}}
	c.dev = storeView{store: device, autoReconnects: func() bool {
		return wa.EnableAutoReconnect && wa.Store.ID != nil
	}}
	d := &dispatcher{
		log: log,
		dev: c.dev,
		out: c.out,
		now: time.Now,
		profile: &profileTracker{
			log:        log,
			out:        c.out,
			fetch:      waProfileFetcher{wa: wa},
			background: c.background,
		},
	}
	r := &receiver{
		log:         log,
		out:         c.out,
		wa:          wa,
		ids:         storeIdentities(wa, c.dev, log),
		stopped:     c.stopped,
		handledWait: handledTimeout,
	}
	wa.AddEventHandlerWithSuccessStatus(route(r, d))
	// Contacts and groups (directory_watch.go).
	wa.AddEventHandler((&watcher{log: log, out: c.out, dev: c.dev, src: storeContacts{device}}).handle)
	return c
}

// Connect starts connecting and returns at once; the outcome follows as
// events. Unpaired, QR codes follow; a failed dial gives a DisconnectedEvent
// (connect_failed). Paired, a failed dial counts as a lost connection and
// whatsmeow keeps retrying. Connecting a client that is connected or
// dialing does nothing.
func (c *Client) Connect(ctx context.Context) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if cur := c.cur.Load(); (cur != nil && cur.live() && cur.dialing.Load()) || c.wa.IsConnected() {
		return nil
	}
	if old := c.cur.Load(); old != nil {
		old.cancel() // stops a previous attempt's auto-reconnect loop
	}
	a := newAttempt(ctx)
	paired := c.wa.Store.ID != nil
	if !paired {
		ch, err := c.wa.GetQRChannel(a.ctx)
		if err != nil {
			a.cancel()
			return fmt.Errorf("connect session %q: get QR channel: %w", c.sessionID, err)
		}
		go c.consumeQR(a, ch)
	}
	c.cur.Store(a)
	c.wa.InitialAutoReconnect = paired
	a.dialing.Store(true)
	go c.dial(a)
	return nil
}

func (c *Client) dial(a *attempt) {
	err := c.wa.ConnectContext(a.ctx)
	a.dialing.Store(false)
	if err == nil || errors.Is(err, whatsmeow.ErrAlreadyConnected) || !a.live() {
		return
	}
	c.log.Warn("connect failed", "error", err)
	c.out.emitIf(a.live, wagate.DisconnectedEvent{Reason: wagate.ReasonConnectFailed, Detail: err.Error()})
	a.cancel()
}

// Disconnect closes the connection, stops reconnecting and keeps the
// credentials. It emits no event.
func (c *Client) Disconnect() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.disconnect()
}

func (c *Client) disconnect() {
	if a := c.cur.Swap(nil); a != nil {
		a.cancel()
	}
	c.wa.Disconnect()
}

// Logout unlinks the device from the phone when live, then deletes its
// credentials in any case: when not connected, or when WhatsApp does not
// answer, only the local credentials go (the phone drops the stale link by
// itself after a while). Only a failure to delete them is an error. It
// emits no event.
func (c *Client) Logout(ctx context.Context) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.wa.Store.ID == nil {
		c.disconnect()
		return nil
	}
	if c.IsLive() {
		lctx, cancel := context.WithTimeout(ctx, logoutTimeout)
		err := c.wa.Logout(lctx)
		cancel()
		if err == nil {
			c.disconnect()
			c.log.Info("device unlinked")
			return nil
		}
		c.log.Warn("unlink device on WhatsApp failed; deleting its credentials anyway", "error", err)
	}
	c.disconnect()
	if c.wa.Store.ID == nil {
		return nil
	}
	jid := c.wa.Store.ID.String()
	if err := c.wa.Store.Delete(ctx); err != nil {
		return fmt.Errorf("logout session %q: delete device %q: %w", c.sessionID, jid, err)
	}
	c.log.Info("device credentials deleted", "device_jid", jid)
	return nil
}

// PairPhone asks WhatsApp for a pairing code for phone. The client must be
// connecting and unpaired; it waits (up to pairPhoneWait) until the
// connection is ready for it. Returns EINVALID for a paired session or a bad
// number, ENOTCONNECTED when not connecting, ERATELIMIT or EWHATSAPP when
// WhatsApp refuses.
func (c *Client) PairPhone(ctx context.Context, phone string) (string, error) {
	if !c.dev.ID().IsEmpty() {
		return "", wagate.Errorf(wagate.EINVALID, "The session is already paired.")
	}
	a := c.cur.Load()
	if a == nil || !a.live() {
		return "", wagate.Errorf(wagate.ENOTCONNECTED, "The session is not connecting; connect it first.")
	}
	wait := time.NewTimer(pairPhoneWait)
	defer wait.Stop()
	select {
	case <-a.qrReady:
	case <-a.ctx.Done():
		return "", wagate.Errorf(wagate.ENOTCONNECTED, "The connection ended before a pairing code could be requested.")
	case <-wait.C:
		return "", wagate.Errorf(wagate.EUNAVAILABLE, "WhatsApp was not ready for pairing in time; try again.")
	case <-ctx.Done():
		return "", fmt.Errorf("pair phone for session %q: %w", c.sessionID, ctx.Err())
	}
	code, err := c.wa.PairPhone(ctx, phone, true, pairClientType, pairClientDisplayName)
	if err != nil {
		return "", c.pairPhoneError(err)
	}
	c.log.Info("pairing code issued")
	return code, nil
}

func (c *Client) pairPhoneError(err error) error {
	var iqErr *whatsmeow.IQError
	switch {
	case errors.Is(err, whatsmeow.ErrPhoneNumberTooShort), errors.Is(err, whatsmeow.ErrPhoneNumberIsNotInternational):
		return wagate.Errorf(wagate.EINVALID, "The phone number must be digits with the country code.")
	case errors.Is(err, whatsmeow.ErrIQRateOverLimit):
		err = fmt.Errorf("%w: %w", wagate.Errorf(wagate.ERATELIMIT, "WhatsApp refused more pairing codes for now; try later."), err)
	case errors.As(err, &iqErr):
		err = fmt.Errorf("%w: %w", wagate.Errorf(wagate.EWHATSAPP, "WhatsApp refused the pairing code request."), err)
	}
	c.log.Warn("pairing code request failed", "error", err)
	return fmt.Errorf("pair phone for session %q: %w", c.sessionID, err)
}

// IsLive reports whether the client is connected and logged in.
func (c *Client) IsLive() bool {
	return c.wa.IsConnected() && c.wa.IsLoggedIn()
}

// closedChan is a channel that is always closed.
var closedChan = func() chan struct{} { ch := make(chan struct{}); close(ch); return ch }()

// stopped is closed when the current connect attempt ends (Disconnect,
// Logout, a failed dial); without an attempt the client is stopped.
func (c *Client) stopped() <-chan struct{} {
	if a := c.cur.Load(); a != nil {
		return a.ctx.Done()
	}
	return closedChan
}

// background runs task on its own goroutine, bounded by the current
// attempt and profileFetchTimeout; without an attempt it does nothing.
func (c *Client) background(task func(ctx context.Context)) {
	a := c.cur.Load()
	if a == nil || !a.live() {
		return
	}
	go func() {
		ctx, cancel := context.WithTimeout(a.ctx, profileFetchTimeout)
		defer cancel()
		task(ctx)
	}()
}
