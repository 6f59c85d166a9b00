// Package sim is the simulated WhatsApp network (DESIGN.md §8): an in-process
// engine that behaves like WhatsApp where wagate can observe it, so the
// connector above it runs the same code paths as with whatsmeow.
//
// What it simulates:
//   - linked devices, kept in the sim_devices SQLite table so a paired device
//     survives a restart like whatsmeow's sqlstore credentials do;
//   - QR codes that rotate (60 s, then 20 s each, 6 codes) and time out;
//   - pairing by QR scan or by phone code, then connecting;
//   - connection drops with automatic reconnect, logout by the phone, and the
//     disconnect reasons WhatsApp gives up on (replaced, banned, outdated…);
//   - sending (each message id reaches the recipient once), delivery and
//     read receipts, read receipts we send, and inbound messages of every
//     type, in chats, groups and statuses, live or from history sync.
//
// The per-client state lives in Client (client.go); what the network keeps
// about messages lives in a bounded ledger shared by all clients, so a
// connected client costs no more for having sent messages. Each concern has
// its own file: network.go (engine, hosting), client.go (one session's
// connection), qr.go (QR codes and phone pairing), control.go (SimControl:
// the phone's side), store.go (the device table), message.go (sending,
// receipts, the ledger), inbound.go (messages from contacts), directory.go
// (contacts, look-ups), groups.go and group_ops.go (the network's groups).
package sim

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	wagate "github.com/wagate/wagate/shared"
)

// Defaults for Options; each zero Option takes the default of the same name.
const (
	// DefaultQRFirstTimeout is how long the first QR code is valid (WhatsApp: 60 s).
	DefaultQRFirstTimeout = 60 * time.Second
	// DefaultQRNextTimeout is how long each following QR code is valid (WhatsApp: 20 s).
	DefaultQRNextTimeout = 20 * time.Second
	// DefaultQRCodes is how many codes are shown before QRTimeoutEvent (WhatsApp: 6).
	DefaultQRCodes = 6
	// DefaultConnectDelay is how long connecting (or the first QR code) takes.
	DefaultConnectDelay = 5 * time.Millisecond
	// DefaultReconnectDelay is how long a client takes to reconnect after a drop.
	DefaultReconnectDelay = 200 * time.Millisecond
	// DefaultPairPhoneDelay is how long the simulated user takes to type a
	// phone pairing code into the phone.
	DefaultPairPhoneDelay = 2 * time.Second
	// DefaultPushName is the push name of a phone that did not give one.
	DefaultPushName = "Sim User"
	// DefaultLedgerSize is how many sent messages, and separately how many
	// read receipts, the network remembers (across all sessions) before it
	// forgets the oldest: some 40 MB when full of short texts.
	DefaultLedgerSize = 100_000

	// storeTimeout bounds table writes made by timers, which have no caller context.
	storeTimeout = 10 * time.Second
)

// ErrReplaced is returned by the methods of a client whose session got a
// newer client from NewClient (or whose newer sibling connected since).
var ErrReplaced = errors.New("sim: client replaced by a newer client of the same session")

// Options tunes the simulated network. Tests set the durations tiny.
type Options struct {
	QRFirstTimeout time.Duration // lifetime of the first QR code
	QRNextTimeout  time.Duration // lifetime of each following QR code
	QRCodes        int           // codes shown before QRTimeoutEvent
	ConnectDelay   time.Duration // Connect (or pairing) to ConnectedEvent / first QR code
	ReconnectDelay time.Duration // Drop to ConnectedEvent
	PairPhoneDelay time.Duration // PairPhone to PairedEvent (the user typing the code)
	SendDelay      time.Duration // latency of Send (default 0)
	AutoDeliver    time.Duration // > 0: a delivered receipt follows each new send after this long (default 0: off)
	LedgerSize     int           // sent messages and read receipts remembered (default DefaultLedgerSize)
	// PushNameEvents emits a ContactsEvent when someone writes to an account
	// for the first time or with a new push name, as whatsmeow's PushName
	// does (default off: message tests then see message events only).
	PushNameEvents bool
	Logger         *slog.Logger // default slog.Default()
	// Journal, when set, names this process in the journal (journal.go,
	// test only): submissions and connection intervals are recorded in the
	// database, for tests whose processes share it.
	Journal string
}

func (o Options) withDefaults() Options {
	if o.QRFirstTimeout <= 0 {
		o.QRFirstTimeout = DefaultQRFirstTimeout
	}
	if o.QRNextTimeout <= 0 {
		o.QRNextTimeout = DefaultQRNextTimeout
	}
	if o.QRCodes <= 0 {
		o.QRCodes = DefaultQRCodes
	}
	if o.ConnectDelay <= 0 {
		o.ConnectDelay = DefaultConnectDelay
	}
	if o.ReconnectDelay <= 0 {
		o.ReconnectDelay = DefaultReconnectDelay
	}
	if o.PairPhoneDelay <= 0 {
		o.PairPhoneDelay = DefaultPairPhoneDelay
	}
	if o.LedgerSize <= 0 {
		o.LedgerSize = DefaultLedgerSize
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	return o
}

// Network is the simulated WhatsApp network. It is the engine (clients for
// the connector) and the phone side (SimControl) at once.
type Network struct {
	opts    Options
	store   *store
	journal *journal // nil unless Options.Journal

	// mu guards hosts and Client.replaced. It is never held together with
	// a Client.mu.
	mu    sync.Mutex
	hosts map[string]*Client // sessionID → the client hosting it

	ledger ledger         // sent messages and read receipts (message.go)
	dir    directoryState // who wrote to which account (directory.go)
	groups groupState     // the groups of the network (groups.go)
}

var (
	_ wagate.Engine       = (*Network)(nil)
	_ wagate.SimControl   = (*Network)(nil)
	_ wagate.EngineClient = (*Client)(nil)
)

// New opens the simulated network on db (a modernc.org/sqlite handle that
// may hold other tables), creating the sim_devices table if needed.
func New(db *sql.DB, opts Options) (*Network, error) {
	if db == nil {
		return nil, errors.New("sim: new network: nil database")
	}
	st, err := openStore(db)
	if err != nil {
		return nil, fmt.Errorf("sim: new network: %w", err)
	}
	j, err := openJournal(db, opts.Journal)
	if err != nil {
		return nil, fmt.Errorf("sim: new network: %w", err)
	}
	n := &Network{opts: opts.withDefaults(), store: st, journal: j, hosts: make(map[string]*Client)}
	n.ledger.init(n.opts.LedgerSize)
	return n, nil
}

// Name is "sim".
func (n *Network) Name() string { return "sim" }

// NewClient prepares the client of a session; it replaces, silently, any
// client the session had. A DeviceJID the network does not know (never
// paired, deleted, logged out) gives an unpaired client that shows QR codes,
// as a fresh whatsmeow device would.
func (n *Network) NewClient(ctx context.Context, dev wagate.EngineDevice, handle func(wagate.EngineEvent)) (wagate.EngineClient, error) {
	if dev.SessionID == "" {
		return nil, wagate.Errorf(wagate.EINVALID, "Session id is required.")
	}
	if handle == nil {
		return nil, fmt.Errorf("sim: new client for session %q: nil event handler", dev.SessionID)
	}
	c := &Client{net: n, sessionID: dev.SessionID, handle: handle}
	if dev.DeviceJID != "" {
		d, err := n.store.find(ctx, dev.DeviceJID)
		switch {
		case errors.Is(err, errNoDevice):
			// Unpaired, like a device missing from whatsmeow's store.
		case err != nil:
			return nil, fmt.Errorf("sim: new client for session %q: %w", dev.SessionID, err)
		default:
			c.dev = d
		}
	}
	if err := n.host(c); err != nil {
		return nil, err
	}
	return c, nil
}

// DeleteDevice removes a device's credentials without telling the phone.
// Deleting an unknown device is not an error. A hosted client running as
// the device stays as it is until it connects again, when it is refused as
// logged out.
func (n *Network) DeleteDevice(ctx context.Context, deviceJID string) error {
	if deviceJID == "" {
		return wagate.Errorf(wagate.EINVALID, "Device JID is required.")
	}
	if err := n.store.delete(ctx, deviceJID); err != nil {
		return fmt.Errorf("sim: delete device: %w", err)
	}
	return nil
}

// host makes c the client of its session, closing the client it replaces.
func (n *Network) host(c *Client) error {
	n.mu.Lock()
	if c.replaced {
		n.mu.Unlock()
		return fmt.Errorf("sim: session %q: %w", c.sessionID, ErrReplaced)
	}
	old := n.hosts[c.sessionID]
	n.hosts[c.sessionID] = c
	if old != nil && old != c {
		old.replaced = true
	}
	n.mu.Unlock()
	if old != nil && old != c {
		old.close()
	}
	return nil
}

// unhost forgets c if it still hosts its session.
func (n *Network) unhost(c *Client) {
	n.mu.Lock()
	if n.hosts[c.sessionID] == c {
		delete(n.hosts, c.sessionID)
	}
	n.mu.Unlock()
}

// client returns the client hosting sessionID, or ENOTFOUND.
func (n *Network) client(sessionID string) (*Client, error) {
	n.mu.Lock()
	c := n.hosts[sessionID]
	n.mu.Unlock()
	if c == nil {
		return nil, wagate.Errorf(wagate.ENOTFOUND, "Session %q is not hosted by the simulated network.", sessionID)
	}
	return c, nil
}
