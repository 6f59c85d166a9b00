// Package waengine is the whatsmeow adapter of wagate.Engine: it runs one
// whatsmeow client per hosted session on a whatsmeow device store and turns
// whatsmeow's events into wagate engine events.
//
// Files: engine.go (the Engine and its options), store.go (the device
// store interface, and the sqlstore on SQLite), client.go (one session's
// client), qr.go (QR channel), dispatch.go (the whatsmeow event switch),
// reason.go (pure event → reason mapping), profile.go (own profile),
// log.go (whatsmeow logs → slog).
//
// Messages: outbound.go builds the waE2E messages to send (with vcard.go and
// thumbnail.go), send.go uploads and sends them; inbound.go converts
// received messages and receipt.go receipts, receive.go does the I/O around
// them (waiting for the connector before acknowledging, history sync, media
// downloads). The conversions are pure; the I/O files are thin.
//
// Contacts and groups: contacts.go and groups.go do the look-ups and group
// requests, contacts_conv.go and groups_conv.go convert (pure), and
// directory_watch.go turns contact and group events into engine events.
package waengine

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"go.mau.fi/whatsmeow"
	"go.mau.fi/whatsmeow/proto/waCompanionReg"
	"go.mau.fi/whatsmeow/store"
	"go.mau.fi/whatsmeow/types"
	"google.golang.org/protobuf/proto"

	wagate "github.com/wagate/wagate/shared"
)

// Limits and fixed names of this package.
const (
	// EngineName is what Engine.Name returns.
	EngineName = "whatsmeow"

	// deviceOSName is the name the phone shows for the linked device.
	deviceOSName = "wagate"
	// pairClientDisplayName is sent with phone pairing codes; WhatsApp only
	// accepts "Browser (OS)" pairs it knows.
	pairClientDisplayName = "Chrome (Linux)"
	pairClientType        = whatsmeow.PairClientChrome

	// pairPhoneWait bounds how long PairPhone waits for the connection to be
	// ready for a pairing code (whatsmeow wants the first QR code first).
	pairPhoneWait = 15 * time.Second
	// logoutTimeout bounds the unlink request of Logout; the local
	// credentials are deleted after it in any case.
	logoutTimeout = 10 * time.Second
	// profileFetchTimeout bounds the background fetch of the own profile.
	profileFetchTimeout = 15 * time.Second
)

// Engine is the whatsmeow engine. It is safe for concurrent use.
type Engine struct {
	mu        sync.Mutex  // guards container while open may still fill it
	container Devices     // nil until open succeeds (NewDeferred)
	open      OpenDevices // nil for New
	log       *slog.Logger
	opts      options
}

var _ wagate.Engine = (*Engine)(nil)

type options struct {
	debugLogs  bool
	httpClient *http.Client
}

// Option configures an Engine.
type Option func(*options)

// WithDebugLogs passes whatsmeow's debug logs (every frame sent and
// received) to slog at debug level. Off by default: they are very verbose.
func WithDebugLogs(on bool) Option { return func(o *options) { o.debugLogs = on } }

// WithHTTPClient makes clients open WhatsApp's websocket with hc (for a
// proxy, or for tests that point the client at a local endpoint).
func WithHTTPClient(hc *http.Client) Option { return func(o *options) { o.httpClient = hc } }

var devicePropsOnce sync.Once

// New returns an engine whose devices live in container: the sqlstore of
// OpenContainer (local runtime), or connector/dynstore's Container (aws
// runtime). log may be nil.
func New(container Devices, log *slog.Logger, opts ...Option) *Engine {
	if log == nil {
		log = slog.Default()
	}
	e := &Engine{container: container, log: log.With("engine", EngineName)}
	for _, opt := range opts {
		opt(&e.opts)
	}
	devicePropsOnce.Do(func() {
		// Global in whatsmeow: what the phone shows under "Linked devices".
		store.DeviceProps.Os = proto.String(deviceOSName)
		store.DeviceProps.PlatformType = waCompanionReg.DeviceProps_CHROME.Enum()
	})
	return e
}

// Name reports "whatsmeow".
func (e *Engine) Name() string { return EngineName }

// NewClient prepares a whatsmeow client for dev. An empty dev.DeviceJID, or
// one the store no longer holds, gives an unpaired client (QR codes on
// Connect). It does no network I/O.
func (e *Engine) NewClient(ctx context.Context, dev wagate.EngineDevice, handle func(wagate.EngineEvent)) (wagate.EngineClient, error) {
	if handle == nil {
		return nil, fmt.Errorf("new client for session %q: nil event handler", dev.SessionID)
	}
	log := e.log.With("session_id", dev.SessionID)
	device, err := e.device(ctx, dev.DeviceJID, log)
	if err != nil {
		return nil, fmt.Errorf("new client for session %q: %w", dev.SessionID, err)
	}
	return newClient(device, dev.SessionID, log, e.opts, handle), nil
}

func (e *Engine) device(ctx context.Context, deviceJID string, log *slog.Logger) (*store.Device, error) {
	container, err := e.devices(ctx)
	if err != nil {
		return nil, err
	}
	if deviceJID == "" {
		return container.NewDevice(), nil
	}
	jid, err := types.ParseJID(deviceJID)
	if err != nil {
		return nil, fmt.Errorf("parse device jid %q: %w", deviceJID, err)
	}
	device, err := container.GetDevice(ctx, jid)
	if err != nil {
		return nil, fmt.Errorf("get device %q: %w", deviceJID, err)
	}
	if device == nil {
		log.Warn("device not in the store; the session must pair again", "device_jid", deviceJID)
		return container.NewDevice(), nil
	}
	return device, nil
}

// DeleteDevice removes the stored credentials and all other store data of a
// device. Deleting a device the store does not hold is not an error.
func (e *Engine) DeleteDevice(ctx context.Context, deviceJID string) error {
	jid, err := types.ParseJID(deviceJID)
	if err != nil {
		return fmt.Errorf("delete device: parse jid %q: %w", deviceJID, err)
	}
	container, err := e.devices(ctx)
	if err != nil {
		return fmt.Errorf("delete device %q: %w", deviceJID, err)
	}
	device, err := container.GetDevice(ctx, jid)
	if err != nil {
		return fmt.Errorf("delete device %q: %w", deviceJID, err)
	} else if device == nil {
		return nil
	}
	if err := device.Delete(ctx); err != nil {
		return fmt.Errorf("delete device %q: %w", deviceJID, err)
	}
	return nil
}
