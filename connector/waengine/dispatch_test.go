package waengine

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"go.mau.fi/whatsmeow/proto/waSyncAction"
	"go.mau.fi/whatsmeow/store"
	"go.mau.fi/whatsmeow/types"
	"go.mau.fi/whatsmeow/types/events"
	"google.golang.org/protobuf/proto"

	wagate "github.com/wagate/wagate/shared"
)

var (
	testNow    = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	testOwnJID = types.JID{User: "34600000000", Device: 5, Server: types.DefaultUserServer}
	testOwnLID = types.JID{User: "123456789", Server: types.HiddenUserServer}
)

// fakeDevice is a hand-set deviceView.
type fakeDevice struct {
	id, lid        types.JID
	pushName       string
	businessName   string
	autoReconnects bool
}

func (f *fakeDevice) ID() types.JID        { return f.id }
func (f *fakeDevice) LID() types.JID       { return f.lid }
func (f *fakeDevice) PushName() string     { return f.pushName }
func (f *fakeDevice) BusinessName() string { return f.businessName }
func (f *fakeDevice) AutoReconnects() bool { return f.autoReconnects }

// recorder collects emitted events.
type recorder struct {
	mu     sync.Mutex
	events []wagate.EngineEvent
}

func (r *recorder) handle(ev wagate.EngineEvent) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, ev)
}

func (r *recorder) all() []wagate.EngineEvent {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]wagate.EngineEvent(nil), r.events...)
}

// fakeFetcher answers profile fetches from fields.
type fakeFetcher struct {
	about, picture string
	err            error
	calls          int
}

func (f *fakeFetcher) FetchAbout(context.Context) (string, error) {
	f.calls++
	return f.about, f.err
}

func (f *fakeFetcher) FetchPictureURL(context.Context) (string, error) { return f.picture, f.err }

func discardLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// newTestDispatcher returns a dispatcher on dev whose background tasks run
// synchronously; fetch may be nil.
func newTestDispatcher(dev deviceView, fetch profileFetcher) (*dispatcher, *recorder) {
	rec := &recorder{}
	out := &emitter{handle: rec.handle}
	pt := &profileTracker{
		log:        discardLogger(),
		out:        out,
		background: func(task func(context.Context)) { task(context.Background()) },
	}
	if fetch != nil {
		pt.fetch = fetch
	}
	return &dispatcher{
		log:     discardLogger(),
		dev:     dev,
		out:     out,
		now:     func() time.Time { return testNow },
		profile: pt,
	}, rec
}

func pairedDevice() *fakeDevice {
	return &fakeDevice{id: testOwnJID, lid: testOwnLID, pushName: "Ana", autoReconnects: true}
}

func TestDispatcher_Events(t *testing.T) {
	outdated := "WhatsApp rejected client version " + store.GetWAVersion().String()
	tests := []struct {
		name string
		dev  *fakeDevice
		evt  any
		want []wagate.EngineEvent
	}{
		{"Connected", pairedDevice(), &events.Connected{}, []wagate.EngineEvent{
			wagate.ConnectedEvent{PushName: "Ana", PhoneNumber: "34600000000"},
			wagate.ProfileEvent{Profile: wagate.Profile{Name: "Ana"}},
		}},
		{"KeepAliveRestored", pairedDevice(), &events.KeepAliveRestored{}, []wagate.EngineEvent{
			wagate.ConnectedEvent{PushName: "Ana", PhoneNumber: "34600000000"},
		}},
		{"DisconnectedReconnecting", pairedDevice(), &events.Disconnected{}, []wagate.EngineEvent{
			wagate.DisconnectedEvent{Reason: wagate.ReasonConnectionLost, Reconnecting: true},
		}},
		{"DisconnectedNoAutoReconnect", &fakeDevice{id: testOwnJID}, &events.Disconnected{}, []wagate.EngineEvent{
			wagate.DisconnectedEvent{Reason: wagate.ReasonConnectionLost},
		}},
		{"DisconnectedWhilePairing", &fakeDevice{}, &events.Disconnected{}, nil},
		{"LoggedOutWhileConnected", pairedDevice(), &events.LoggedOut{Reason: events.ConnectFailureLoggedOut}, []wagate.EngineEvent{
			wagate.DisconnectedEvent{Reason: wagate.ReasonLoggedOut, Detail: "device was unlinked while connected", CredentialsGone: true},
		}},
		{"LoggedOutOnConnect", pairedDevice(), &events.LoggedOut{OnConnect: true, Reason: events.ConnectFailureLoggedOut}, []wagate.EngineEvent{
			wagate.DisconnectedEvent{Reason: wagate.ReasonLoggedOut, Detail: "device was unlinked: 401: logged out from another device", CredentialsGone: true},
		}},
		{"LoggedOutOnConnectMainDeviceGone", pairedDevice(), &events.LoggedOut{OnConnect: true, Reason: events.ConnectFailureMainDeviceGone}, []wagate.EngineEvent{
			wagate.DisconnectedEvent{Reason: wagate.ReasonLoggedOut, Detail: "device was unlinked: 403: primary device was logged out", CredentialsGone: true},
		}},
		{"StreamReplaced", pairedDevice(), &events.StreamReplaced{}, []wagate.EngineEvent{
			wagate.DisconnectedEvent{Reason: wagate.ReasonReplaced, Detail: "another client connected with the same credentials"},
		}},
		{"TemporaryBan", pairedDevice(), &events.TemporaryBan{Code: events.TempBanSentToTooManyPeople, Expire: 24 * time.Hour}, []wagate.EngineEvent{
			wagate.DisconnectedEvent{Reason: wagate.ReasonBanned, Detail: "temporary ban 101: you sent too many messages to people who don't have you in their address books; expires in 24h0m0s (2026-01-03T03:04:05Z)"},
		}},
		{"TemporaryBanNoExpiry", pairedDevice(), &events.TemporaryBan{Code: 999}, []wagate.EngineEvent{
			wagate.DisconnectedEvent{Reason: wagate.ReasonBanned, Detail: "temporary ban 999: you may have violated the terms of service (unknown error)"},
		}},
		{"ConnectFailureLoggedOut", pairedDevice(), &events.ConnectFailure{Reason: events.ConnectFailureLoggedOut}, []wagate.EngineEvent{
			wagate.DisconnectedEvent{Reason: wagate.ReasonLoggedOut, Detail: "401: logged out from another device", CredentialsGone: true},
		}},
		{"ConnectFailureUnknownLogout", pairedDevice(), &events.ConnectFailure{Reason: events.ConnectFailureUnknownLogout}, []wagate.EngineEvent{
			wagate.DisconnectedEvent{Reason: wagate.ReasonLoggedOut, Detail: "406: logged out for unknown reason", CredentialsGone: true},
		}},
		{"ConnectFailureTempBanned", pairedDevice(), &events.ConnectFailure{Reason: events.ConnectFailureTempBanned}, []wagate.EngineEvent{
			wagate.DisconnectedEvent{Reason: wagate.ReasonBanned, Detail: "402: account temporarily banned"},
		}},
		{"ConnectFailureClientOutdated", pairedDevice(), &events.ConnectFailure{Reason: events.ConnectFailureClientOutdated}, []wagate.EngineEvent{
			wagate.DisconnectedEvent{Reason: wagate.ReasonClientOutdated, Detail: "405: client is out of date"},
		}},
		{"ConnectFailureBadUserAgent", pairedDevice(), &events.ConnectFailure{Reason: events.ConnectFailureBadUserAgent}, []wagate.EngineEvent{
			wagate.DisconnectedEvent{Reason: wagate.ReasonConnectFailed, Detail: "409: client user agent was rejected"},
		}},
		{"ConnectFailureUnknownWithMessage", pairedDevice(), &events.ConnectFailure{Reason: 418, Message: "nope"}, []wagate.EngineEvent{
			wagate.DisconnectedEvent{Reason: wagate.ReasonConnectFailed, Detail: "418: unknown error (nope)"},
		}},
		{"ConnectFailureServiceUnavailable", pairedDevice(), &events.ConnectFailure{Reason: events.ConnectFailureServiceUnavailable}, []wagate.EngineEvent{
			wagate.DisconnectedEvent{Reason: wagate.ReasonConnectFailed, Detail: "503: unknown error", Reconnecting: true},
		}},
		{"ClientOutdated", pairedDevice(), &events.ClientOutdated{}, []wagate.EngineEvent{
			wagate.DisconnectedEvent{Reason: wagate.ReasonClientOutdated, Detail: outdated},
		}},
		{"KeepAliveTimeoutFirst", pairedDevice(), &events.KeepAliveTimeout{ErrorCount: 1, LastSuccess: testNow.Add(-30 * time.Second)}, []wagate.EngineEvent{
			wagate.DisconnectedEvent{Reason: wagate.ReasonKeepAlive, Detail: "1 keep-alive pings unanswered; last answer 30s ago", Reconnecting: true},
		}},
		{"KeepAliveTimeoutHandBuilt", pairedDevice(), &events.KeepAliveTimeout{}, []wagate.EngineEvent{
			wagate.DisconnectedEvent{Reason: wagate.ReasonKeepAlive, Detail: "1 keep-alive pings unanswered", Reconnecting: true},
		}},
		{"KeepAliveTimeoutRepeated", pairedDevice(), &events.KeepAliveTimeout{ErrorCount: 2}, nil},
		{"KeepAliveTimeoutWhilePairing", &fakeDevice{}, &events.KeepAliveTimeout{ErrorCount: 1}, nil},
		{"KeepAliveRestoredWhilePairing", &fakeDevice{}, &events.KeepAliveRestored{}, nil},
		{"PairSuccess", &fakeDevice{id: testOwnJID}, &events.PairSuccess{ID: testOwnJID, LID: testOwnLID, BusinessName: "Acme", Platform: "android"}, []wagate.EngineEvent{
			wagate.PairedEvent{DeviceJID: "34600000000:5@s.whatsapp.net", PhoneNumber: "34600000000", BusinessName: "Acme"},
			wagate.ProfileEvent{Profile: wagate.Profile{IsBusiness: true}},
		}},
		{"PairSuccessPersonal", &fakeDevice{id: testOwnJID}, &events.PairSuccess{ID: testOwnJID}, []wagate.EngineEvent{
			wagate.PairedEvent{DeviceJID: "34600000000:5@s.whatsapp.net", PhoneNumber: "34600000000"},
		}},
		{"PairError", &fakeDevice{}, &events.PairError{ID: testOwnJID, Error: errors.New("boom")}, []wagate.EngineEvent{
			wagate.DisconnectedEvent{Reason: wagate.ReasonConnectFailed, Detail: "pairing failed: boom"},
		}},
		{"QRScannedWithoutMultidevice", &fakeDevice{}, &events.QRScannedWithoutMultidevice{}, nil},
		{"QR", &fakeDevice{}, &events.QR{Codes: []string{"a", "b"}}, nil},
		{"StreamError", pairedDevice(), &events.StreamError{Code: "999"}, nil},
		{"PushNameSetting", pairedDevice(), &events.PushNameSetting{Action: &waSyncAction.PushNameSetting{Name: proto.String("Bob")}}, []wagate.EngineEvent{
			wagate.ProfileEvent{Profile: wagate.Profile{Name: "Bob"}},
		}},
		{"UserAboutOwn", pairedDevice(), &events.UserAbout{JID: testOwnJID.ToNonAD(), Status: "busy"}, []wagate.EngineEvent{
			wagate.ProfileEvent{Profile: wagate.Profile{About: "busy"}},
		}},
		{"UserAboutOwnLID", pairedDevice(), &events.UserAbout{JID: testOwnLID, Status: "busy"}, []wagate.EngineEvent{
			wagate.ProfileEvent{Profile: wagate.Profile{About: "busy"}},
		}},
		{"UserAboutOther", pairedDevice(), &events.UserAbout{JID: types.NewJID("34699999999", types.DefaultUserServer), Status: "x"}, nil},
		{"BusinessNameOwn", pairedDevice(), &events.BusinessName{JID: testOwnJID.ToNonAD(), NewBusinessName: "Acme"}, []wagate.EngineEvent{
			wagate.ProfileEvent{Profile: wagate.Profile{IsBusiness: true}},
		}},
		{"PictureRemovedUnchanged", pairedDevice(), &events.Picture{JID: testOwnJID.ToNonAD(), Remove: true}, nil},
		{"Unrelated", pairedDevice(), &events.Message{}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, rec := newTestDispatcher(tt.dev, nil)
			d.handle(tt.evt)
			assertEvents(t, rec.all(), tt.want)
		})
	}
}

func TestDispatcher_Profile(t *testing.T) {
	t.Run("ConnectedFetchesOnce", func(t *testing.T) {
		fetch := &fakeFetcher{about: "hi", picture: "https://pps.example/p.jpg"}
		d, rec := newTestDispatcher(pairedDevice(), fetch)
		d.handle(&events.Connected{})
		d.handle(&events.Connected{})
		assertEvents(t, rec.all(), []wagate.EngineEvent{
			wagate.ConnectedEvent{PushName: "Ana", PhoneNumber: "34600000000"},
			wagate.ProfileEvent{Profile: wagate.Profile{Name: "Ana"}},
			wagate.ProfileEvent{Profile: wagate.Profile{Name: "Ana", About: "hi", PictureURL: "https://pps.example/p.jpg"}},
			wagate.ConnectedEvent{PushName: "Ana", PhoneNumber: "34600000000"},
		})
		if fetch.calls != 1 {
			t.Errorf("fetches = %d, want 1", fetch.calls)
		}
	})
	t.Run("FetchErrorRetriedOnNextConnect", func(t *testing.T) {
		fetch := &fakeFetcher{err: errors.New("offline")}
		d, _ := newTestDispatcher(pairedDevice(), fetch)
		d.handle(&events.Connected{})
		d.handle(&events.Connected{})
		if fetch.calls != 2 {
			t.Errorf("fetches = %d, want 2", fetch.calls)
		}
	})
	t.Run("PictureChangedAndRemoved", func(t *testing.T) {
		fetch := &fakeFetcher{picture: "https://pps.example/new.jpg"}
		d, rec := newTestDispatcher(pairedDevice(), fetch)
		d.handle(&events.Picture{JID: testOwnJID.ToNonAD(), PictureID: "2"})
		d.handle(&events.Picture{JID: types.NewJID("34699999999", types.DefaultUserServer), PictureID: "3"})
		d.handle(&events.Picture{JID: testOwnJID.ToNonAD(), Remove: true})
		assertEvents(t, rec.all(), []wagate.EngineEvent{
			wagate.ProfileEvent{Profile: wagate.Profile{PictureURL: "https://pps.example/new.jpg"}},
			wagate.ProfileEvent{Profile: wagate.Profile{}},
		})
	})
	t.Run("ProfileEventCarriesWholeProfile", func(t *testing.T) {
		d, rec := newTestDispatcher(pairedDevice(), nil)
		d.handle(&events.PushNameSetting{Action: &waSyncAction.PushNameSetting{Name: proto.String("Bob")}})
		d.handle(&events.UserAbout{JID: testOwnJID, Status: "busy"})
		d.handle(&events.UserAbout{JID: testOwnJID, Status: "busy"}) // unchanged: no event
		assertEvents(t, rec.all(), []wagate.EngineEvent{
			wagate.ProfileEvent{Profile: wagate.Profile{Name: "Bob"}},
			wagate.ProfileEvent{Profile: wagate.Profile{Name: "Bob", About: "busy"}},
		})
	})
}

func assertEvents(t *testing.T, got, want []wagate.EngineEvent) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d events %#v, want %d %#v", len(got), got, len(want), want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("event %d = %#v, want %#v", i, got[i], want[i])
		}
	}
}
