package sim_test

import (
	"regexp"
	"testing"
	"time"

	"github.com/wagate/wagate/connector/sim"
	wagate "github.com/wagate/wagate/shared"
)

func TestScan(t *testing.T) {
	tests := []struct {
		name, phone, pushName string
		wantPhone             *regexp.Regexp
		wantPushName          string
	}{
		{"OK", "34600000001", "Ana", regexp.MustCompile(`^34600000001$`), "Ana"},
		{"GeneratedPhoneAndName", "", "", regexp.MustCompile(`^346\d{8}$`), sim.DefaultPushName},
		{"PhoneWithPlus", "+34600000002", " Bob ", regexp.MustCompile(`^34600000002$`), "Bob"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := MustOpenNetwork(t, fastOptions())
			c, r := startClient(t, n, "s1", "")
			connect(t, c)
			expect[wagate.QREvent](t, r)
			if err := n.Scan(t.Context(), "s1", tt.phone, tt.pushName); err != nil {
				t.Fatalf("scan: %v", err)
			}
			paired := expect[wagate.PairedEvent](t, r)
			if !tt.wantPhone.MatchString(paired.PhoneNumber) || paired.PushName != tt.wantPushName {
				t.Errorf("paired = %+v, want phone %v, push name %q", paired, tt.wantPhone, tt.wantPushName)
			}
			if want := paired.PhoneNumber + ":1@s.whatsapp.net"; paired.DeviceJID != want {
				t.Errorf("device JID = %q, want %q", paired.DeviceJID, want)
			}
			connected := expect[wagate.ConnectedEvent](t, r)
			if connected.PhoneNumber != paired.PhoneNumber || connected.PushName != tt.wantPushName {
				t.Errorf("connected = %+v, want %s / %s", connected, paired.PhoneNumber, tt.wantPushName)
			}
			if !c.IsLive() {
				t.Error("not live after scan")
			}
		})
	}

	t.Run("NumbersDevicesPerPhone", func(t *testing.T) {
		n := MustOpenNetwork(t, fastOptions())
		_, _, jid1 := pairedSession(t, n, "s1", "34600000001")
		_, _, jid2 := pairedSession(t, n, "s2", "34600000001")
		if jid1 != "34600000001:1@s.whatsapp.net" || jid2 != "34600000001:2@s.whatsapp.net" {
			t.Errorf("device JIDs = %s, %s; want devices 1 and 2 of the phone", jid1, jid2)
		}
	})

	errTests := []struct {
		name  string
		setup func(t *testing.T, n *sim.Network) // leaves session "s1" in some state
		phone string
		want  string
	}{
		{"ErrUnknownSession", func(t *testing.T, n *sim.Network) {}, "", wagate.ENOTFOUND},
		{"ErrNotConnecting", func(t *testing.T, n *sim.Network) { startClient(t, n, "s1", "") }, "", wagate.EINVALID},
		{"ErrConnected", func(t *testing.T, n *sim.Network) { pairedSession(t, n, "s1", "34600000001") }, "", wagate.EINVALID},
		{"ErrDisconnected", func(t *testing.T, n *sim.Network) {
			c, r := startClient(t, n, "s1", "")
			connect(t, c)
			expect[wagate.QREvent](t, r)
			c.Disconnect()
		}, "", wagate.ENOTFOUND},
		{"ErrBadPhone", func(t *testing.T, n *sim.Network) {
			c, r := startClient(t, n, "s1", "")
			connect(t, c)
			expect[wagate.QREvent](t, r)
		}, "0034-600", wagate.EINVALID},
	}
	for _, tt := range errTests {
		t.Run(tt.name, func(t *testing.T) {
			n := MustOpenNetwork(t, fastOptions())
			tt.setup(t, n)
			wantCode(t, n.Scan(t.Context(), "s1", tt.phone, ""), tt.want)
		})
	}
}

func TestDrop(t *testing.T) {
	t.Run("Reconnects", func(t *testing.T) {
		n := MustOpenNetwork(t, fastOptions())
		c, r, _ := pairedSession(t, n, "s1", "34600000001")
		if err := n.Drop(t.Context(), "s1"); err != nil {
			t.Fatalf("drop: %v", err)
		}
		want := wagate.DisconnectedEvent{Reason: wagate.ReasonConnectionLost, Reconnecting: true}
		if got := expect[wagate.DisconnectedEvent](t, r); got != want {
			t.Errorf("disconnected = %+v, want %+v", got, want)
		}
		if got := expect[wagate.ConnectedEvent](t, r); got.PhoneNumber != "34600000001" || got.PushName != "Ana" {
			t.Errorf("connected = %+v", got)
		}
		if !c.IsLive() {
			t.Error("not live after reconnecting")
		}
	})

	t.Run("DisconnectWhileReconnecting", func(t *testing.T) {
		opts := fastOptions()
		opts.ReconnectDelay = 20 * time.Millisecond
		n := MustOpenNetwork(t, opts)
		c, r, _ := pairedSession(t, n, "s1", "34600000001")
		if err := n.Drop(t.Context(), "s1"); err != nil {
			t.Fatalf("drop: %v", err)
		}
		c.Disconnect()
		// The drop event may or may not have reached the handler first.
		select {
		case ev := <-r.events:
			if _, ok := ev.(wagate.DisconnectedEvent); !ok {
				t.Fatalf("got %T, want nothing or the drop", ev)
			}
		case <-time.After(10 * time.Millisecond):
		}
		r.quiet(t, 3*opts.ReconnectDelay)
		if c.IsLive() {
			t.Error("live after Disconnect")
		}
	})

	errTests := []struct {
		name  string
		setup func(t *testing.T, n *sim.Network)
		want  string
	}{
		{"ErrUnknownSession", func(t *testing.T, n *sim.Network) {}, wagate.ENOTFOUND},
		{"ErrShowingQR", func(t *testing.T, n *sim.Network) {
			c, r := startClient(t, n, "s1", "")
			connect(t, c)
			expect[wagate.QREvent](t, r)
		}, wagate.EINVALID},
		{"ErrReconnecting", func(t *testing.T, n *sim.Network) {
			pairedSession(t, n, "s1", "34600000001")
			if err := n.Drop(t.Context(), "s1"); err != nil {
				t.Fatalf("drop: %v", err)
			}
		}, wagate.EINVALID},
	}
	for _, tt := range errTests {
		t.Run(tt.name, func(t *testing.T) {
			opts := fastOptions()
			opts.ReconnectDelay = time.Minute
			n := MustOpenNetwork(t, opts)
			tt.setup(t, n)
			wantCode(t, n.Drop(t.Context(), "s1"), tt.want)
		})
	}
}

func TestKick(t *testing.T) {
	tests := []struct {
		name            string
		reason          wagate.Reason
		reconnecting    bool
		credentialsGone bool
	}{
		{"StreamReplaced", wagate.ReasonReplaced, false, false},
		{"TemporaryBan", wagate.ReasonBanned, false, false},
		{"ClientOutdated", wagate.ReasonClientOutdated, false, false},
		{"PasskeyRequired", wagate.ReasonPasskeyRequired, false, false},
		{"ConnectFailed", wagate.ReasonConnectFailed, false, false},
		{"KeepAliveTimeout", wagate.ReasonKeepAlive, true, false},
		{"ConnectionLost", wagate.ReasonConnectionLost, true, false},
		{"LoggedOut", wagate.ReasonLoggedOut, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := MustOpenNetwork(t, fastOptions())
			c, r, _ := pairedSession(t, n, "s1", "34600000001")
			if err := n.Kick(t.Context(), "s1", tt.reason, "until 2030-01-01"); err != nil {
				t.Fatalf("kick: %v", err)
			}
			want := wagate.DisconnectedEvent{Reason: tt.reason, Detail: "until 2030-01-01", Reconnecting: tt.reconnecting, CredentialsGone: tt.credentialsGone}
			if got := expect[wagate.DisconnectedEvent](t, r); got != want {
				t.Errorf("disconnected = %+v, want %+v", got, want)
			}
			switch {
			case tt.reconnecting:
				expect[wagate.ConnectedEvent](t, r)
			case tt.credentialsGone:
				r.quiet(t, 20*time.Millisecond)
				connect(t, c)
				expect[wagate.QREvent](t, r)
			default:
				r.quiet(t, 20*time.Millisecond)
				if c.IsLive() {
					t.Error("live after kick")
				}
				connect(t, c) // credentials kept
				expect[wagate.ConnectedEvent](t, r)
			}
		})
	}

	errTests := []struct {
		name      string
		sessionID string
		reason    wagate.Reason
		want      string
	}{
		{"ErrUnknownSession", "nope", wagate.ReasonReplaced, wagate.ENOTFOUND},
		{"ErrUserRequest", "s1", wagate.ReasonUserRequest, wagate.EINVALID},
		{"ErrQRTimeout", "s1", wagate.ReasonQRTimeout, wagate.EINVALID},
		{"ErrNoReason", "s1", wagate.ReasonNone, wagate.EINVALID},
	}
	for _, tt := range errTests {
		t.Run(tt.name, func(t *testing.T) {
			n := MustOpenNetwork(t, fastOptions())
			pairedSession(t, n, "s1", "34600000001")
			wantCode(t, n.Kick(t.Context(), tt.sessionID, tt.reason, ""), tt.want)
		})
	}

	t.Run("ErrNotConnected", func(t *testing.T) {
		n := MustOpenNetwork(t, fastOptions())
		startClient(t, n, "s1", "")
		wantCode(t, n.Kick(t.Context(), "s1", wagate.ReasonBanned, ""), wagate.EINVALID)
	})
}
