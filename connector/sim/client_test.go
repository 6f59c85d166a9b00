package sim_test

import (
	"runtime"
	"testing"
	"time"

	"github.com/wagate/wagate/connector/sim"
	wagate "github.com/wagate/wagate/shared"
)

func TestRestart(t *testing.T) {
	t.Run("PairedDeviceConnectsWithoutQR", func(t *testing.T) {
		dir := t.TempDir()
		db1 := MustOpenDB(t, dir)
		n1, err := sim.New(db1, fastOptions())
		if err != nil {
			t.Fatalf("new network: %v", err)
		}
		c1, _, jid := pairedSession(t, n1, "s1", "34600000001")
		c1.Disconnect()
		if err := db1.Close(); err != nil {
			t.Fatalf("close db: %v", err)
		}

		n2, err := sim.New(MustOpenDB(t, dir), fastOptions())
		if err != nil {
			t.Fatalf("new network after restart: %v", err)
		}
		c2, r := startClient(t, n2, "s1", jid)
		connect(t, c2)
		want := wagate.ConnectedEvent{PushName: "Ana", PhoneNumber: "34600000001"}
		if got := expect[wagate.ConnectedEvent](t, r); got != want {
			t.Errorf("connected = %+v, want %+v", got, want)
		}
	})

	t.Run("UnknownDeviceShowsQR", func(t *testing.T) {
		n := MustOpenNetwork(t, fastOptions())
		c, r := startClient(t, n, "s1", "34699999999:7@s.whatsapp.net")
		connect(t, c)
		expect[wagate.QREvent](t, r)
	})
}

func TestLogout(t *testing.T) {
	tests := []struct {
		name   string
		logout func(t *testing.T, n *sim.Network, c wagate.EngineClient, r *recorder, jid string)
	}{
		{"ByPhone", func(t *testing.T, n *sim.Network, c wagate.EngineClient, r *recorder, jid string) {
			if err := n.Logout(t.Context(), "s1"); err != nil {
				t.Fatalf("logout: %v", err)
			}
			want := wagate.DisconnectedEvent{Reason: wagate.ReasonLoggedOut, CredentialsGone: true}
			if got := expect[wagate.DisconnectedEvent](t, r); got != want {
				t.Errorf("disconnected = %+v, want %+v", got, want)
			}
			connect(t, c) // the same client pairs again
			expect[wagate.QREvent](t, r)
		}},
		{"ByClient", func(t *testing.T, n *sim.Network, c wagate.EngineClient, r *recorder, jid string) {
			if err := c.Logout(t.Context()); err != nil {
				t.Fatalf("logout: %v", err)
			}
			r.quiet(t, 20*time.Millisecond)
		}},
		{"ByPhoneWhileOffline", func(t *testing.T, n *sim.Network, c wagate.EngineClient, r *recorder, jid string) {
			c.Disconnect()
			c2, r2 := startClient(t, n, "s1", jid) // hosted, not connected
			if err := n.Logout(t.Context(), "s1"); err != nil {
				t.Fatalf("logout: %v", err)
			}
			r2.quiet(t, 20*time.Millisecond)
			connect(t, c2) // WhatsApp refuses the unlinked device
			want := wagate.DisconnectedEvent{Reason: wagate.ReasonLoggedOut, CredentialsGone: true}
			if got := expect[wagate.DisconnectedEvent](t, r2); got != want {
				t.Errorf("disconnected = %+v, want %+v", got, want)
			}
			connect(t, c2)
			expect[wagate.QREvent](t, r2)
		}},
		{"DeleteDevice", func(t *testing.T, n *sim.Network, c wagate.EngineClient, r *recorder, jid string) {
			c.Disconnect()
			if err := n.DeleteDevice(t.Context(), jid); err != nil {
				t.Fatalf("delete device: %v", err)
			}
			if err := n.DeleteDevice(t.Context(), jid); err != nil {
				t.Fatalf("delete device again: %v", err)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := MustOpenNetwork(t, fastOptions())
			c, r, jid := pairedSession(t, n, "s1", "34600000001")
			tt.logout(t, n, c, r, jid)
			if c.IsLive() {
				t.Error("live after logout")
			}
			// Whoever hosts the session next with the old device sees QR codes.
			c3, r3 := startClient(t, n, "s1", jid)
			connect(t, c3)
			expect[wagate.QREvent](t, r3)
		})
	}

	errTests := []struct {
		name   string
		logout func(t *testing.T, n *sim.Network) error
		want   string
	}{
		{"ErrPhoneUnknownSession", func(t *testing.T, n *sim.Network) error {
			return n.Logout(t.Context(), "nope")
		}, wagate.ENOTFOUND},
		{"ErrPhoneNotPaired", func(t *testing.T, n *sim.Network) error {
			c, r := startClient(t, n, "s1", "")
			connect(t, c)
			expect[wagate.QREvent](t, r)
			return n.Logout(t.Context(), "s1")
		}, wagate.EINVALID},
		{"ErrClientNotPaired", func(t *testing.T, n *sim.Network) error {
			c, _ := startClient(t, n, "s1", "")
			return c.Logout(t.Context())
		}, wagate.EINVALID},
		{"ErrClientNotConnected", func(t *testing.T, n *sim.Network) error {
			_, _, jid := pairedSession(t, n, "s1", "34600000001")
			c, _ := startClient(t, n, "s1", jid)
			return c.Logout(t.Context())
		}, wagate.ENOTCONNECTED},
		{"ErrDeleteNoJID", func(t *testing.T, n *sim.Network) error {
			return n.DeleteDevice(t.Context(), "")
		}, wagate.EINVALID},
	}
	for _, tt := range errTests {
		t.Run(tt.name, func(t *testing.T) {
			wantCode(t, tt.logout(t, MustOpenNetwork(t, fastOptions())), tt.want)
		})
	}
}

func TestConnect(t *testing.T) {
	t.Run("ErrAlreadyConnected", func(t *testing.T) {
		n := MustOpenNetwork(t, fastOptions())
		c, _, _ := pairedSession(t, n, "s1", "34600000001")
		wantCode(t, c.Connect(t.Context()), wagate.EINVALID)
	})

	t.Run("ReplacedClientIsSilent", func(t *testing.T) {
		n := MustOpenNetwork(t, fastOptions())
		old, oldEvents := startClient(t, n, "s1", "")
		connect(t, old)
		expect[wagate.QREvent](t, oldEvents)

		c, r := startClient(t, n, "s1", "")
		oldEvents.quiet(t, 20*time.Millisecond)
		connect(t, c)
		expect[wagate.QREvent](t, r)
		if err := n.Scan(t.Context(), "s1", "34600000001", ""); err != nil {
			t.Fatalf("scan: %v", err)
		}
		expect[wagate.PairedEvent](t, r)
		expect[wagate.ConnectedEvent](t, r)
		oldEvents.quiet(t, 20*time.Millisecond)

		wantErrorIs(t, old.Connect(t.Context()), sim.ErrReplaced)
		_, err := old.PairPhone(t.Context(), "34600000001")
		wantCode(t, err, wagate.EINVALID)
		if old.IsLive() {
			t.Error("replaced client is live")
		}
		old.Disconnect() // must not unhost the new client
		if !c.IsLive() {
			t.Error("new client not live")
		}
		if err := n.Drop(t.Context(), "s1"); err != nil {
			t.Errorf("drop after the old client's Disconnect: %v", err)
		}
	})
}

func TestDisconnect(t *testing.T) {
	showQR := func(t *testing.T, n *sim.Network, _ string) (wagate.EngineClient, *recorder) {
		c, r := startClient(t, n, "s1", "")
		connect(t, c)
		expect[wagate.QREvent](t, r)
		return c, r
	}
	connected := func(t *testing.T, n *sim.Network, jid string) (wagate.EngineClient, *recorder) {
		c, r := startClient(t, n, "s1", jid)
		connect(t, c)
		expect[wagate.ConnectedEvent](t, r)
		return c, r
	}
	tests := []struct {
		name         string
		connectDelay time.Duration
		start        func(t *testing.T, n *sim.Network, jid string) (wagate.EngineClient, *recorder)
	}{
		{"Idle", 0, func(t *testing.T, n *sim.Network, jid string) (wagate.EngineClient, *recorder) {
			return startClient(t, n, "s1", jid)
		}},
		{"Connecting", time.Minute, func(t *testing.T, n *sim.Network, jid string) (wagate.EngineClient, *recorder) {
			c, r := startClient(t, n, "s1", jid)
			connect(t, c)
			return c, r
		}},
		{"ShowingQR", 0, showQR},
		{"PairingByPhone", 0, func(t *testing.T, n *sim.Network, jid string) (wagate.EngineClient, *recorder) {
			c, r := showQR(t, n, jid)
			if _, err := c.PairPhone(t.Context(), "34600000002"); err != nil {
				t.Fatalf("pair phone: %v", err)
			}
			return c, r
		}},
		{"Connected", 0, connected},
		{"Reconnecting", 0, func(t *testing.T, n *sim.Network, jid string) (wagate.EngineClient, *recorder) {
			c, r := connected(t, n, jid)
			if err := n.Drop(t.Context(), "s1"); err != nil {
				t.Fatalf("drop: %v", err)
			}
			expect[wagate.DisconnectedEvent](t, r)
			return c, r
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := fastOptions()
			opts.ReconnectDelay, opts.PairPhoneDelay = time.Minute, time.Minute
			if tt.connectDelay > 0 {
				opts.ConnectDelay = tt.connectDelay
			}
			n := MustOpenNetwork(t, opts)
			jid, err := sim.SeedDevice(t.Context(), n, "34600000001", "Ana")
			if err != nil {
				t.Fatalf("seed device: %v", err)
			}
			baseline := runtime.NumGoroutine()

			c, r := tt.start(t, n, jid)
			c.Disconnect()
			c.Disconnect() // idempotent
			waitGoroutines(t, baseline)
			r.quiet(t, 20*time.Millisecond)
			if c.IsLive() {
				t.Error("live after Disconnect")
			}
			wantCode(t, n.Scan(t.Context(), "s1", "", ""), wagate.ENOTFOUND)
		})
	}
}
