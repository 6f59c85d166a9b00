package waengine

import (
	"context"
	"errors"
	"testing"
	"time"

	"go.mau.fi/whatsmeow"

	wagate "github.com/wagate/wagate/shared"
)

func TestQRItemEvent(t *testing.T) {
	tests := []struct {
		name   string
		item   whatsmeow.QRChannelItem
		want   wagate.EngineEvent // nil: no event
		ending bool
	}{
		{"FirstCode", whatsmeow.QRChannelItem{Event: whatsmeow.QRChannelEventCode, Code: "2@abc", Timeout: 60 * time.Second},
			wagate.QREvent{Code: "2@abc", ExpiresAt: testNow.Add(60 * time.Second)}, false},
		{"NextCode", whatsmeow.QRChannelItem{Event: whatsmeow.QRChannelEventCode, Code: "2@def", Timeout: 20 * time.Second},
			wagate.QREvent{Code: "2@def", ExpiresAt: testNow.Add(20 * time.Second)}, false},
		{"Timeout", whatsmeow.QRChannelTimeout, wagate.QRTimeoutEvent{}, true},
		// The dispatcher reports these from the whatsmeow event behind them.
		{"Success", whatsmeow.QRChannelSuccess, nil, true},
		{"Error", whatsmeow.QRChannelItem{Event: whatsmeow.QRChannelEventError, Error: errors.New("boom")}, nil, true},
		{"ClientOutdated", whatsmeow.QRChannelClientOutdated, nil, true},
		{"UnexpectedState", whatsmeow.QRChannelErrUnexpectedEvent, nil, true},
		{"ScannedWithoutMultidevice", whatsmeow.QRChannelScannedWithoutMultidevice, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := qrItemEvent(tt.item, testNow)
			if ok != (tt.want != nil) || got != tt.want {
				t.Errorf("qrItemEvent = %#v, %v; want %#v", got, ok, tt.want)
			}
			if ends := qrItemEnds(tt.item); ends != tt.ending {
				t.Errorf("qrItemEnds = %v, want %v", ends, tt.ending)
			}
		})
	}
}

// newQRTestClient is a Client with just what consumeQR uses.
func newQRTestClient(dev deviceView) (*Client, *recorder) {
	rec := &recorder{}
	return &Client{log: discardLogger(), out: &emitter{handle: rec.handle}, dev: dev}, rec
}

// runConsumer feeds items to consumeQR and waits for it to return.
func runConsumer(t *testing.T, c *Client, a *attempt, items []whatsmeow.QRChannelItem, closeCh bool) {
	t.Helper()
	ch := make(chan whatsmeow.QRChannelItem, len(items))
	for _, it := range items {
		ch <- it
	}
	if closeCh {
		close(ch)
	}
	done := make(chan struct{})
	go func() { c.consumeQR(a, ch); close(done) }()
	select {
	case <-done:
	case <-time.After(2 * time.Second):
		t.Fatal("consumeQR did not return")
	}
}

func code(s string) whatsmeow.QRChannelItem {
	return whatsmeow.QRChannelItem{Event: whatsmeow.QRChannelEventCode, Code: s, Timeout: time.Minute}
}

func TestConsumeQR(t *testing.T) {
	t.Run("CodesThenTimeout", func(t *testing.T) {
		c, rec := newQRTestClient(&fakeDevice{})
		a := newAttempt(context.Background())
		before := time.Now()
		runConsumer(t, c, a, []whatsmeow.QRChannelItem{code("a"), code("b"), whatsmeow.QRChannelTimeout}, false)
		got := rec.all()
		if len(got) != 3 {
			t.Fatalf("got %#v, want 2 codes and a timeout", got)
		}
		for i, want := range []string{"a", "b"} {
			qr, ok := got[i].(wagate.QREvent)
			if !ok || qr.Code != want || qr.ExpiresAt.Before(before.Add(time.Minute)) {
				t.Errorf("event %d = %#v, want code %q expiring a minute from now", i, got[i], want)
			}
		}
		if got[2] != (wagate.QRTimeoutEvent{}) {
			t.Errorf("last event = %#v, want QRTimeoutEvent", got[2])
		}
		select {
		case <-a.qrReady:
		default:
			t.Error("qrReady not closed after a code")
		}
	})
	t.Run("SuccessEndsSilently", func(t *testing.T) {
		c, rec := newQRTestClient(&fakeDevice{})
		runConsumer(t, c, newAttempt(context.Background()), []whatsmeow.QRChannelItem{whatsmeow.QRChannelSuccess, code("late")}, false)
		assertEvents(t, rec.all(), nil)
	})
	t.Run("ScannedWithoutMultideviceContinues", func(t *testing.T) {
		c, rec := newQRTestClient(&fakeDevice{})
		runConsumer(t, c, newAttempt(context.Background()), []whatsmeow.QRChannelItem{whatsmeow.QRChannelScannedWithoutMultidevice, whatsmeow.QRChannelTimeout}, false)
		assertEvents(t, rec.all(), []wagate.EngineEvent{wagate.QRTimeoutEvent{}})
	})
	t.Run("CodeAfterPairingDropped", func(t *testing.T) {
		c, rec := newQRTestClient(&fakeDevice{id: testOwnJID})
		runConsumer(t, c, newAttempt(context.Background()), []whatsmeow.QRChannelItem{code("a"), whatsmeow.QRChannelSuccess}, false)
		assertEvents(t, rec.all(), nil)
	})
	t.Run("ClosedWithoutFinalItem", func(t *testing.T) {
		c, rec := newQRTestClient(&fakeDevice{})
		runConsumer(t, c, newAttempt(context.Background()), nil, true)
		assertEvents(t, rec.all(), []wagate.EngineEvent{wagate.QRTimeoutEvent{}})
	})
	t.Run("CancelledAttemptSilent", func(t *testing.T) {
		c, rec := newQRTestClient(&fakeDevice{})
		a := newAttempt(context.Background())
		a.cancel()
		runConsumer(t, c, a, nil, false)
		assertEvents(t, rec.all(), nil)
	})
}
