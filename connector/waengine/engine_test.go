package waengine_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coder/websocket"
	"go.mau.fi/whatsmeow/types"

	"github.com/wagate/wagate/connector/waengine"
	wagate "github.com/wagate/wagate/shared"
)

var ownJID = types.JID{User: "34600000000", Device: 7, Server: types.DefaultUserServer}

// quickEvent bounds waits for events that need no real network.
const quickEvent = 3 * time.Second

func newClient(t *testing.T, e *waengine.Engine, deviceJID string) (wagate.EngineClient, eventLog) {
	t.Helper()
	log := newEventLog()
	c, err := e.NewClient(context.Background(), wagate.EngineDevice{SessionID: "s1", DeviceJID: deviceJID}, log.handle)
	if err != nil {
		t.Fatalf("NewClient: %v", err)
	}
	t.Cleanup(c.Disconnect)
	return c, log
}

// dialerClient is an HTTP client whose every TLS dial is done by dial: it
// stands in for the route to web.whatsapp.com.
func dialerClient(dial func(ctx context.Context) (net.Conn, error)) *http.Client {
	return &http.Client{Transport: &http.Transport{
		DialTLSContext: func(ctx context.Context, _, _ string) (net.Conn, error) { return dial(ctx) },
	}}
}

// refusedClient dials a local port nobody listens on.
func refusedClient(t *testing.T) *http.Client {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close()
	return dialerClient(func(ctx context.Context) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, "tcp", addr)
	})
}

func TestEngine_Name(t *testing.T) {
	c, _ := mustContainer(t)
	if got := waengine.New(c, nil).Name(); got != "whatsmeow" {
		t.Errorf("Name = %q", got)
	}
}

func TestEngine_NewClient(t *testing.T) {
	ctx := context.Background()
	t.Run("NewDevice", func(t *testing.T) {
		container, _ := mustContainer(t)
		c, _ := newClient(t, waengine.New(container, testLogger(t)), "")
		if c.IsLive() {
			t.Error("IsLive = true before connecting")
		}
		// Unpaired and not connecting: PairPhone wants a connection first.
		if _, err := c.PairPhone(ctx, "34600000000"); wagate.ErrorCode(err) != wagate.ENOTCONNECTED {
			t.Errorf("PairPhone err = %v, want ENOTCONNECTED", err)
		}
	})
	t.Run("StoredDeviceFound", func(t *testing.T) {
		container, _ := mustContainer(t)
		mustSaveDevice(t, container, ownJID)
		c, _ := newClient(t, waengine.New(container, testLogger(t)), ownJID.String())
		if c.IsLive() {
			t.Error("IsLive = true before connecting")
		}
		// Only a paired client refuses with EINVALID.
		if _, err := c.PairPhone(ctx, "34600000000"); wagate.ErrorCode(err) != wagate.EINVALID {
			t.Errorf("PairPhone err = %v, want EINVALID (already paired)", err)
		}
	})
	t.Run("MissingDeviceIsUnpaired", func(t *testing.T) {
		container, _ := mustContainer(t)
		c, _ := newClient(t, waengine.New(container, testLogger(t)), ownJID.String())
		if _, err := c.PairPhone(ctx, "34600000000"); wagate.ErrorCode(err) != wagate.ENOTCONNECTED {
			t.Errorf("PairPhone err = %v, want ENOTCONNECTED (unpaired)", err)
		}
	})
	t.Run("ErrBadJID", func(t *testing.T) {
		container, _ := mustContainer(t)
		_, err := waengine.New(container, testLogger(t)).NewClient(ctx, wagate.EngineDevice{SessionID: "s1", DeviceJID: "1:x@s.whatsapp.net"}, func(wagate.EngineEvent) {})
		if err == nil {
			t.Fatal("NewClient accepted a malformed device JID")
		}
	})
	t.Run("ErrNilHandler", func(t *testing.T) {
		container, _ := mustContainer(t)
		if _, err := waengine.New(container, testLogger(t)).NewClient(ctx, wagate.EngineDevice{SessionID: "s1"}, nil); err == nil {
			t.Fatal("NewClient accepted a nil handler")
		}
	})
}

func TestEngine_DeleteDevice(t *testing.T) {
	ctx := context.Background()
	container, db := mustContainer(t)
	dev := mustSaveDevice(t, container, ownJID)
	if err := dev.Identities.PutIdentity(ctx, "34611111111.0:0", [32]byte{1}); err != nil {
		t.Fatal(err)
	}
	e := waengine.New(container, testLogger(t))
	if err := e.DeleteDevice(ctx, ownJID.String()); err != nil {
		t.Fatalf("DeleteDevice: %v", err)
	}
	if got, err := container.GetDevice(ctx, ownJID); err != nil || got != nil {
		t.Errorf("GetDevice after delete = %v, %v; want nil, nil", got, err)
	}
	var n int
	if err := db.QueryRow(`SELECT count(*) FROM whatsmeow_identity_keys`).Scan(&n); err != nil || n != 0 {
		t.Errorf("identity keys left = %d (%v), want 0", n, err)
	}
	if err := e.DeleteDevice(ctx, ownJID.String()); err != nil {
		t.Errorf("DeleteDevice of a deleted device: %v", err)
	}
	if err := e.DeleteDevice(ctx, "1:x@s.whatsapp.net"); err == nil {
		t.Error("DeleteDevice accepted a malformed JID")
	}
}

func TestClient_Logout(t *testing.T) {
	ctx := context.Background()
	t.Run("UnconnectedDeletesCredentials", func(t *testing.T) {
		container, _ := mustContainer(t)
		mustSaveDevice(t, container, ownJID)
		c, log := newClient(t, waengine.New(container, testLogger(t)), ownJID.String())
		if err := c.Logout(ctx); err != nil {
			t.Fatalf("Logout: %v", err)
		}
		if got, err := container.GetDevice(ctx, ownJID); err != nil || got != nil {
			t.Errorf("GetDevice after logout = %v, %v; want nil, nil", got, err)
		}
		if c.IsLive() {
			t.Error("IsLive = true after logout")
		}
		log.none(t, 50*time.Millisecond)
	})
	t.Run("Unpaired", func(t *testing.T) {
		container, _ := mustContainer(t)
		c, _ := newClient(t, waengine.New(container, testLogger(t)), "")
		if err := c.Logout(ctx); err != nil {
			t.Fatalf("Logout: %v", err)
		}
	})
}

func TestClient_ConnectFailure(t *testing.T) {
	ctx := context.Background()
	t.Run("UnpairedRefused", func(t *testing.T) {
		container, _ := mustContainer(t)
		c, log := newClient(t, waengine.New(container, testLogger(t), waengine.WithHTTPClient(refusedClient(t))), "")
		if err := c.Connect(ctx); err != nil {
			t.Fatalf("Connect: %v", err)
		}
		ev, ok := log.next(t, quickEvent).(wagate.DisconnectedEvent)
		if !ok || ev.Reason != wagate.ReasonConnectFailed || ev.Reconnecting || ev.CredentialsGone || !strings.Contains(ev.Detail, "refused") {
			t.Errorf("event = %#v, want connect_failed (refused)", ev)
		}
		if c.IsLive() {
			t.Error("IsLive = true")
		}
		if _, err := c.PairPhone(ctx, "34600000000"); wagate.ErrorCode(err) != wagate.ENOTCONNECTED {
			t.Errorf("PairPhone after failed connect err = %v, want ENOTCONNECTED", err)
		}
	})
	t.Run("PairedRefusedReconnects", func(t *testing.T) {
		container, _ := mustContainer(t)
		mustSaveDevice(t, container, ownJID)
		c, log := newClient(t, waengine.New(container, testLogger(t), waengine.WithHTTPClient(refusedClient(t))), ownJID.String())
		if err := c.Connect(ctx); err != nil {
			t.Fatalf("Connect: %v", err)
		}
		want := wagate.DisconnectedEvent{Reason: wagate.ReasonConnectionLost, Reconnecting: true}
		if ev := log.next(t, quickEvent); ev != want {
			t.Errorf("event = %#v, want %#v", ev, want)
		}
		c.Disconnect() // stops the auto-reconnect loop
		if c.IsLive() {
			t.Error("IsLive = true")
		}
	})
	t.Run("FakeEndpointBadHandshake", func(t *testing.T) {
		var hits atomic.Int32
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			hits.Add(1)
			if r.URL.Path != "/ws/chat" || r.Header.Get("Origin") != "https://web.whatsapp.com" {
				t.Errorf("request %s with Origin %q", r.URL.Path, r.Header.Get("Origin"))
			}
			conn, err := websocket.Accept(w, r, &websocket.AcceptOptions{InsecureSkipVerify: true})
			if err != nil {
				t.Errorf("accept: %v", err)
				return
			}
			defer conn.CloseNow()
			_, hello, err := conn.Read(r.Context())
			if err != nil || !strings.HasPrefix(string(hello), "WA") {
				t.Errorf("first frame %q, %v; want the WA header and a client hello", hello, err)
			}
			// A frame that is no handshake response.
			_ = conn.Write(r.Context(), websocket.MessageBinary, []byte{0, 0, 2, 0xff, 0xff})
			_, _, _ = conn.Read(r.Context())
		}))
		defer srv.Close()
		hc := dialerClient(func(ctx context.Context) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, "tcp", srv.Listener.Addr().String())
		})
		container, _ := mustContainer(t)
		c, log := newClient(t, waengine.New(container, testLogger(t), waengine.WithHTTPClient(hc)), "")
		if err := c.Connect(ctx); err != nil {
			t.Fatalf("Connect: %v", err)
		}
		ev, ok := log.next(t, quickEvent).(wagate.DisconnectedEvent)
		if !ok || ev.Reason != wagate.ReasonConnectFailed || !strings.Contains(ev.Detail, "handshake") {
			t.Errorf("event = %#v, want connect_failed (handshake)", ev)
		}
		if hits.Load() != 1 {
			t.Errorf("endpoint hit %d times, want 1", hits.Load())
		}
	})
	t.Run("DisconnectWhileDialingIsSilent", func(t *testing.T) {
		var dials atomic.Int32
		hc := dialerClient(func(ctx context.Context) (net.Conn, error) {
			dials.Add(1)
			<-ctx.Done()
			return nil, ctx.Err()
		})
		container, _ := mustContainer(t)
		c, log := newClient(t, waengine.New(container, testLogger(t), waengine.WithHTTPClient(hc)), "")
		for range 2 { // the second Connect joins the first
			if err := c.Connect(ctx); err != nil {
				t.Fatalf("Connect: %v", err)
			}
		}
		deadline := time.Now().Add(quickEvent)
		for dials.Load() == 0 && time.Now().Before(deadline) {
			time.Sleep(5 * time.Millisecond)
		}
		c.Disconnect()
		log.none(t, 100*time.Millisecond)
		if n := dials.Load(); n != 1 {
			t.Errorf("dialed %d times, want 1", n)
		}
		// A Connect right after Disconnect dials again.
		if err := c.Connect(ctx); err != nil {
			t.Fatalf("Connect after Disconnect: %v", err)
		}
		for dials.Load() < 2 && time.Now().Before(deadline) {
			time.Sleep(5 * time.Millisecond)
		}
		if n := dials.Load(); n != 2 {
			t.Errorf("dialed %d times after reconnecting, want 2", n)
		}
	})
	t.Run("ConnectCancelledContextStillConnects", func(t *testing.T) {
		// The request context only starts the attempt; the connection (and
		// its failure event) outlive it.
		container, _ := mustContainer(t)
		c, log := newClient(t, waengine.New(container, testLogger(t), waengine.WithHTTPClient(refusedClient(t))), "")
		reqCtx, cancel := context.WithCancel(ctx)
		if err := c.Connect(reqCtx); err != nil {
			t.Fatalf("Connect: %v", err)
		}
		cancel()
		ev, ok := log.next(t, quickEvent).(wagate.DisconnectedEvent)
		if !ok || !strings.Contains(ev.Detail, "refused") {
			t.Errorf("event = %#v, want the refused dial, not a cancellation", ev)
		}
	})
}

func TestClient_PairPhoneWhileDialing(t *testing.T) {
	hc := dialerClient(func(ctx context.Context) (net.Conn, error) {
		<-ctx.Done()
		return nil, ctx.Err()
	})
	container, _ := mustContainer(t)
	c, _ := newClient(t, waengine.New(container, testLogger(t), waengine.WithHTTPClient(hc)), "")
	if err := c.Connect(context.Background()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err := c.PairPhone(ctx, "34600000000")
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("PairPhone err = %v, want the caller's deadline while no QR code is there", err)
	}
}

// TestEngine_NewDeferred: the device store opens at the first call that
// needs it, once; a failed open is reported and tried again.
func TestEngine_NewDeferred(t *testing.T) {
	container, _ := mustContainer(t)
	var opens atomic.Int32
	fail := atomic.Bool{}
	fail.Store(true)
	e := waengine.NewDeferred(func(context.Context) (waengine.Devices, error) {
		opens.Add(1)
		if fail.Load() {
			return nil, errors.New("disk on fire")
		}
		return container, nil
	}, testLogger(t))
	if e.Name() != "whatsmeow" || opens.Load() != 0 {
		t.Fatalf("opened %d times before any use", opens.Load())
	}
	_, err := e.NewClient(context.Background(), wagate.EngineDevice{SessionID: "s1"}, func(wagate.EngineEvent) {})
	if err == nil || !strings.Contains(err.Error(), "disk on fire") {
		t.Fatalf("NewClient err = %v, want the open error", err)
	}
	fail.Store(false)
	newClient(t, e, "")
	mustSaveDevice(t, container, ownJID)
	newClient(t, e, ownJID.String())
	if err := e.DeleteDevice(context.Background(), ownJID.String()); err != nil {
		t.Fatalf("DeleteDevice: %v", err)
	}
	if n := opens.Load(); n != 2 {
		t.Fatalf("opened %d times, want 2 (the failure, then once)", n)
	}
}
