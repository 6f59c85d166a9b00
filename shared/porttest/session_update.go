package porttest

import (
	"reflect"
	"strconv"
	"testing"
	"time"

	wagate "github.com/wagate/wagate/shared"
)

func sessionUpdate(t *testing.T, open func(t *testing.T) wagate.SessionStore) {
	// update applies upd to a fresh copy of fullSession("alpha") and checks
	// the result, and a later read, against the session with change applied.
	update := func(t *testing.T, upd wagate.SessionUpdate, change func(s *wagate.Session)) {
		t.Helper()
		st := open(t)
		s := fullSession("alpha")
		must(t, st.CreateSession(t.Context(), s))
		time.Sleep(2 * timeTolerance) // so UpdatedAt can move
		got, err := st.UpdateSession(t.Context(), "alpha", upd)
		must(t, err)
		if !got.UpdatedAt.After(s.UpdatedAt) {
			t.Errorf("UpdatedAt = %v, want after %v", got.UpdatedAt, s.UpdatedAt)
		}
		want := *s
		change(&want)
		want.UpdatedAt = got.UpdatedAt
		compareSession(t, got, &want)
		again, err := st.FindSession(t.Context(), "alpha")
		must(t, err)
		compareSession(t, again, &want)
	}
	ptr := func(s string) *string { return &s }

	t.Run("OK", func(t *testing.T) {
		update(t, wagate.SessionUpdate{Name: ptr("renamed")}, func(s *wagate.Session) { s.Name = "renamed" })
	})

	t.Run("NothingSet", func(t *testing.T) {
		update(t, wagate.SessionUpdate{}, func(*wagate.Session) {})
	})

	t.Run("Webhook", func(t *testing.T) {
		events, frappe := []string{"session"}, false
		update(t, wagate.SessionUpdate{
			WebhookURL: ptr("https://crm.example/hook2"), WebhookSecret: ptr("s3cret2"),
			WebhookEvents: &events, SendToFrappe: &frappe,
		}, func(s *wagate.Session) {
			s.Webhook = wagate.WebhookConfig{URL: "https://crm.example/hook2", Secret: "s3cret2", Events: []string{"session"}}
		})
	})

	t.Run("ClearWebhook", func(t *testing.T) {
		var none []string
		update(t, wagate.SessionUpdate{WebhookURL: ptr(""), WebhookSecret: ptr(""), WebhookEvents: &none},
			func(s *wagate.Session) { s.Webhook.URL, s.Webhook.Secret, s.Webhook.Events = "", "", nil })
	})

	t.Run("LiveState", func(t *testing.T) {
		status, reason := wagate.StatusDisconnected, wagate.ReasonBanned
		expires := time.Date(2030, 1, 2, 3, 4, 5, 600_000_000, time.UTC)
		active := time.Date(2030, 2, 3, 4, 5, 6, 0, time.FixedZone("CET", 3600))
		profile := wagate.Profile{Name: "New", About: "new about", PictureURL: "https://pps.example/new.jpg", IsBusiness: true}
		auto := false
		update(t, wagate.SessionUpdate{
			Status: &status, Reason: &reason, ReasonDetail: ptr("until tomorrow"),
			QRCode: ptr("data:image/png;base64,BBBB"), QRExpiresAt: &expires, PairingCode: ptr("ABCD-EFGH"),
			DeviceJID: ptr("34600000001:2@s.whatsapp.net"), Profile: &profile, LastActivity: &active,
			AutoConnect: &auto, PhoneNumber: ptr("34600000001"),
		}, func(s *wagate.Session) {
			s.Status, s.Reason, s.ReasonDetail = status, reason, "until tomorrow"
			s.QRCode, s.QRExpiresAt, s.PairingCode = "data:image/png;base64,BBBB", expires, "ABCD-EFGH"
			s.DeviceJID, s.Profile, s.LastActivity = "34600000001:2@s.whatsapp.net", profile, active
			s.AutoConnect, s.PhoneNumber = false, "34600000001"
		})
	})

	t.Run("ClearLiveState", func(t *testing.T) {
		var zero time.Time
		status, reason := wagate.StatusConnected, wagate.ReasonNone
		update(t, wagate.SessionUpdate{
			Status: &status, Reason: &reason, ReasonDetail: ptr(""), QRCode: ptr(""), QRExpiresAt: &zero,
			PairingCode: ptr(""), LastActivity: &zero, Profile: &wagate.Profile{},
		}, func(s *wagate.Session) {
			s.Status, s.Reason, s.ReasonDetail, s.QRCode, s.QRExpiresAt = status, reason, "", "", time.Time{}
			s.PairingCode, s.LastActivity, s.Profile = "", time.Time{}, wagate.Profile{}
		})
	})

	t.Run("KeepsCreatedAt", func(t *testing.T) {
		update(t, wagate.SessionUpdate{DeviceJID: ptr("")}, func(s *wagate.Session) { s.DeviceJID = "" })
	})

	t.Run("ErrNoSession", func(t *testing.T) {
		st := open(t)
		_, err := st.UpdateSession(t.Context(), "alpha", wagate.SessionUpdate{Name: ptr("x")})
		wantCode(t, err, wagate.ENOSESSION)
		if _, total, err := st.ListSessions(t.Context(), wagate.SessionFilter{}); err != nil || total != 0 {
			t.Fatalf("ListSessions total = %d, %v after a refused update; want 0", total, err)
		}
	})

	t.Run("NotByNumericID", func(t *testing.T) {
		st := open(t)
		s := &wagate.Session{SessionID: "alpha"}
		must(t, st.CreateSession(t.Context(), s))
		// UpdateSession takes the sessionId only, unlike FindSession.
		_, err := st.UpdateSession(t.Context(), strconv.FormatInt(s.ID, 10), wagate.SessionUpdate{Name: ptr("x")})
		wantCode(t, err, wagate.ENOSESSION)
	})

	t.Run("ReturnsCopy", func(t *testing.T) {
		st := open(t)
		must(t, st.CreateSession(t.Context(), fullSession("alpha")))
		events := []string{"message", "qr"}
		got, err := st.UpdateSession(t.Context(), "alpha", wagate.SessionUpdate{WebhookEvents: &events})
		must(t, err)
		events[0] = "changed"
		got.Webhook.Events[1] = "changed"
		again, err := st.FindSession(t.Context(), "alpha")
		must(t, err)
		if !sameStrings(again.Webhook.Events, []string{"message", "qr"}) {
			t.Fatalf("Webhook.Events = %v: the store shares memory with its caller", again.Webhook.Events)
		}
	})
}

// fullSession returns a session with every field set.
func fullSession(sessionID string) *wagate.Session {
	return &wagate.Session{
		SessionID:   sessionID,
		Name:        "Sales " + sessionID,
		PhoneNumber: "34600000000",
		Webhook: wagate.WebhookConfig{
			URL: "https://crm.example/hook", Secret: "s3cret",
			Events: []string{"message", "message_status"}, SendToFrappe: true,
		},
		Status:       wagate.StatusQRCode,
		Reason:       wagate.ReasonConnectionLost,
		ReasonDetail: "socket closed",
		QRCode:       "data:image/png;base64,AAAA",
		QRExpiresAt:  time.Now().Add(20 * time.Second),
		PairingCode:  "WXYZ-1234",
		DeviceJID:    "34600000000:1@s.whatsapp.net",
		Profile:      wagate.Profile{Name: "Sales", About: "hi", PictureURL: "https://pps.example/p.jpg"},
		LastActivity: time.Now().Add(-time.Minute),
		AutoConnect:  true,
	}
}

// compareSession fails t unless got matches want field by field (times
// within timeTolerance).
func compareSession(t *testing.T, got, want *wagate.Session) {
	t.Helper()
	g, w := *got, *want
	if !sameStrings(g.Webhook.Events, w.Webhook.Events) {
		t.Errorf("session %q: Webhook.Events = %q, want %q", w.SessionID, g.Webhook.Events, w.Webhook.Events)
	}
	for _, f := range []struct {
		name     string
		got, wnt time.Time
	}{
		{"QRExpiresAt", g.QRExpiresAt, w.QRExpiresAt}, {"LastActivity", g.LastActivity, w.LastActivity},
		{"CreatedAt", g.CreatedAt, w.CreatedAt}, {"UpdatedAt", g.UpdatedAt, w.UpdatedAt},
	} {
		if !sameTime(f.got, f.wnt) {
			t.Errorf("session %q: %s = %v, want %v", w.SessionID, f.name, f.got, f.wnt)
		}
	}
	g.Webhook.Events, w.Webhook.Events = nil, nil
	g.QRExpiresAt, g.LastActivity, g.CreatedAt, g.UpdatedAt = time.Time{}, time.Time{}, time.Time{}, time.Time{}
	w.QRExpiresAt, w.LastActivity, w.CreatedAt, w.UpdatedAt = time.Time{}, time.Time{}, time.Time{}, time.Time{}
	if !reflect.DeepEqual(g, w) {
		t.Errorf("session %q:\n got  %+v\n want %+v", w.SessionID, g, w)
	}
}
