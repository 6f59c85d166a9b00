package sim

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	wagate "github.com/wagate/wagate/shared"
)

// state is where a client is in its connection's life.
type state uint8

const (
	stateIdle         state = iota // not connected: new, disconnected, timed out, kicked
	stateQR                        // unpaired and connecting: QR codes follow
	stateConnecting                // paired, connecting (after Connect or pairing)
	stateConnected                 // connected and logged in
	stateReconnecting              // the connection dropped; reconnecting by itself
	stateClosed                    // replaced by a newer client: silent for good
)

// active reports whether the client holds (or is opening) a connection.
func (s state) active() bool { return s != stateIdle && s != stateClosed }

// device is a linked device as the network knows it (one sim_devices row).
type device struct {
	JID          string // "34600000001:1@s.whatsapp.net"
	Phone        string // digits with country code
	PushName     string
	BusinessName string
}

// Client is one session's connection to the simulated network.
//
// It holds no goroutine and no timer while idle or connected: a timer runs
// only while a step is pending (connecting, QR rotation, phone pairing,
// reconnecting), and events are handed to the handler by a goroutine that
// exists only while events are queued. One delivery goroutine at a time per
// client keeps the handler calls in order and never concurrent.
//
// Messages add no field here: what the network remembers about them is in
// Network.ledger (message.go), bounded whatever the number of clients.
type Client struct {
	net       *Network
	sessionID string
	handle    func(wagate.EngineEvent)

	// replaced is guarded by net.mu: set when a newer client took the session.
	replaced bool

	mu         sync.Mutex
	state      state
	epoch      uint32      // bumped by every state change; stale timers compare it
	dev        *device     // nil while unpaired
	timer      *time.Timer // the pending one-shot step, if any
	qr         *qrState    // non-nil only in stateQR
	queue      []wagate.EngineEvent
	delivering bool  // a delivery goroutine is running
	connRow    int64 // the journal's open connection interval (journal.go)
}

// Connect starts connecting and returns at once. Unpaired: QR codes follow
// (QREvent…, then QRTimeoutEvent if nobody scans). Paired: ConnectedEvent
// follows, or DisconnectedEvent{ReasonLoggedOut} if the phone unlinked the
// device meanwhile. Returns EINVALID if the client is already connecting or
// connected, and ErrReplaced if a newer client took the session.
func (c *Client) Connect(ctx context.Context) error {
	if err := c.net.host(c); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	switch c.state {
	case stateClosed:
		return fmt.Errorf("sim: connect session %q: %w", c.sessionID, ErrReplaced)
	case stateIdle:
	default:
		return wagate.Errorf(wagate.EINVALID, "Session %s is already connecting or connected.", c.sessionID)
	}
	if c.dev == nil {
		c.startQR()
		return nil
	}
	d, err := c.net.store.find(ctx, c.dev.JID)
	switch {
	case errors.Is(err, errNoDevice):
		// The phone unlinked the device: WhatsApp refuses the login.
		c.setState(stateConnecting)
		c.timer = c.after(c.net.opts.ConnectDelay, c.refuseLoggedOut)
		return nil
	case err != nil:
		return fmt.Errorf("sim: connect session %q: %w", c.sessionID, err)
	}
	c.dev = d
	c.setState(stateConnecting)
	c.timer = c.after(c.net.opts.ConnectDelay, c.finishConnect)
	return nil
}

// Disconnect closes the connection quietly: no event follows (events not
// yet handed to the handler are dropped; one being handled finishes), no
// reconnect, credentials kept. The session stops being hosted until the
// client connects again.
func (c *Client) Disconnect() {
	c.mu.Lock()
	if c.state != stateClosed {
		c.setState(stateIdle)
	}
	c.queue = nil
	c.mu.Unlock()
	c.net.unhost(c)
}

// Logout unlinks the device from the phone and deletes its credentials; no
// event follows and the next Connect shows QR codes. Like whatsmeow it needs
// a live connection: ENOTCONNECTED otherwise, EINVALID if not paired.
func (c *Client) Logout(ctx context.Context) error {
	c.mu.Lock()
	switch {
	case c.state == stateClosed:
		c.mu.Unlock()
		return fmt.Errorf("sim: logout session %q: %w", c.sessionID, ErrReplaced)
	case c.dev == nil:
		c.mu.Unlock()
		return wagate.Errorf(wagate.EINVALID, "Session %s is not linked to a phone.", c.sessionID)
	case c.state != stateConnected:
		c.mu.Unlock()
		return wagate.Errorf(wagate.ENOTCONNECTED, "Session %s is not connected.", c.sessionID)
	}
	if err := c.net.store.delete(ctx, c.dev.JID); err != nil {
		c.mu.Unlock()
		return fmt.Errorf("sim: logout session %q: %w", c.sessionID, err)
	}
	c.dev = nil
	c.setState(stateIdle)
	c.queue = nil
	c.mu.Unlock()
	c.net.unhost(c)
	return nil
}

// IsLive reports whether the client is connected and logged in.
func (c *Client) IsLive() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.state == stateConnected
}

// close silences a replaced client for good. The caller set c.replaced.
func (c *Client) close() {
	c.mu.Lock()
	c.setState(stateClosed)
	c.queue = nil
	c.mu.Unlock()
}

// setState moves the client to s and cancels whatever the old state had
// pending. c.mu is held.
func (c *Client) setState(s state) {
	c.epoch++
	if j := c.net.journal; j != nil && (c.state == stateConnected) != (s == stateConnected) {
		if s == stateConnected {
			c.connRow = j.connected(c.sessionID, c.net.opts.Logger.Warn)
		} else {
			j.disconnected(c.connRow, c.net.opts.Logger.Warn)
			c.connRow = 0
		}
	}
	c.state = s
	if c.timer != nil {
		c.timer.Stop()
		c.timer = nil
	}
	if c.qr != nil {
		c.qr.stop()
		c.qr = nil
	}
}

// after runs step with c.mu held once d has passed, unless the client
// changed state meanwhile. c.mu is held.
func (c *Client) after(d time.Duration, step func()) *time.Timer {
	epoch := c.epoch
	return time.AfterFunc(d, func() {
		c.mu.Lock()
		defer c.mu.Unlock()
		if c.epoch == epoch {
			step()
		}
	})
}

// finishConnect completes a pending connect or reconnect. c.mu is held.
func (c *Client) finishConnect() {
	c.setState(stateConnected)
	c.emit(wagate.ConnectedEvent{PushName: c.dev.PushName, PhoneNumber: c.dev.Phone})
}

// refuseLoggedOut ends a connect whose device was unlinked. c.mu is held.
func (c *Client) refuseLoggedOut() {
	c.dev = nil
	c.setState(stateIdle)
	c.emit(wagate.DisconnectedEvent{Reason: wagate.ReasonLoggedOut, CredentialsGone: true})
}

// emit queues ev for the handler, starting the delivery goroutine if none
// runs. c.mu is held.
func (c *Client) emit(ev wagate.EngineEvent) {
	if c.state == stateClosed {
		return
	}
	c.queue = append(c.queue, ev)
	if !c.delivering {
		c.delivering = true
		go c.deliver()
	}
}

// deliver hands queued events to the handler in order and exits when the
// queue is empty.
func (c *Client) deliver() {
	for {
		c.mu.Lock()
		if len(c.queue) == 0 {
			c.queue = nil
			c.delivering = false
			c.mu.Unlock()
			return
		}
		ev := c.queue[0]
		c.queue[0] = nil
		c.queue = c.queue[1:]
		c.mu.Unlock()
		c.handle(ev)
	}
}
