package sim_test

import (
	"time"

	"testing"

	"github.com/wagate/wagate/connector/sim"
	wagate "github.com/wagate/wagate/shared"
)

// waitFor returns the next event of type T, skipping events of other types.
func waitFor[T wagate.EngineEvent](tb testing.TB, r *recorder) T {
	tb.Helper()
	for {
		if ev, ok := r.next(tb).(T); ok {
			return ev
		}
	}
}

func TestDirectory(t *testing.T) {
	opts := fastOptions()
	opts.PushNameEvents = true
	n := MustOpenNetwork(t, opts)

	t.Run("ErrNotPaired", func(t *testing.T) {
		c, _ := startClient(t, n, "unpaired", "")
		_, err := c.(wagate.EngineDirectory).Contacts(t.Context())
		wantCode(t, err, wagate.ENOTCONNECTED)
	})

	c, r, _ := pairedSession(t, n, "s1", "34600000001")
	dir := c.(wagate.EngineDirectory)

	t.Run("SeededContacts", func(t *testing.T) {
		cs, err := dir.Contacts(t.Context())
		wantCode(t, err, "")
		if len(cs) != len(sim.SeedContacts) {
			t.Fatalf("%d contacts, want the %d seeded: %+v", len(cs), len(sim.SeedContacts), cs)
		}
	})

	t.Run("SendersBecomeContacts", func(t *testing.T) {
		if _, err := n.Inbound(t.Context(), "s1", wagate.SimInbound{From: "34611111111", FromLID: "999@lid", PushName: "Zoe", Type: wagate.TypeText, Content: "hola"}); err != nil {
			t.Fatal(err)
		}
		expect[wagate.MessageEvent](t, r)
		ev := expect[wagate.ContactsEvent](t, r)
		if len(ev.Contacts) != 1 || ev.Contacts[0].JID != "34611111111@s.whatsapp.net" || ev.Contacts[0].PushName != "Zoe" || ev.Contacts[0].LID != "999@lid" {
			t.Fatalf("contacts event %+v", ev)
		}
		// the same name again is no news
		if _, err := n.Inbound(t.Context(), "s1", wagate.SimInbound{From: "34611111111", PushName: "Zoe", Type: wagate.TypeText, Content: "otra"}); err != nil {
			t.Fatal(err)
		}
		expect[wagate.MessageEvent](t, r)
		r.quiet(t, 20*time.Millisecond)
		cs, _ := dir.Contacts(t.Context())
		if len(cs) != len(sim.SeedContacts)+1 {
			t.Fatalf("%d contacts after a new sender, want %d", len(cs), len(sim.SeedContacts)+1)
		}
	})

	t.Run("IsOnWhatsApp", func(t *testing.T) {
		got, err := dir.IsOnWhatsApp(t.Context(), []string{"34600000103", "34600000404", "12"})
		wantCode(t, err, "")
		want := []wagate.PhoneCheck{
			{Phone: "34600000103", JID: "34600000103@s.whatsapp.net", Exists: true, BusinessName: "Tienda Carla SL"},
			{Phone: "34600000404"}, {Phone: "12"},
		}
		for i := range want {
			if got[i] != want[i] {
				t.Fatalf("check %d = %+v, want %+v", i, got[i], want[i])
			}
		}
	})

	t.Run("UserInfo", func(t *testing.T) {
		info, err := dir.UserInfo(t.Context(), "34600000103@s.whatsapp.net")
		wantCode(t, err, "")
		if info.BusinessName != "Tienda Carla SL" || info.PictureURL == "" || info.Business == nil || info.About != "Abierto de 9 a 21" {
			t.Fatalf("business user: %+v", info)
		}
		plain, err := dir.UserInfo(t.Context(), "34600000777")
		wantCode(t, err, "")
		if plain.About != sim.DefaultAbout || plain.PictureURL != "" {
			t.Fatalf("plain user: %+v", plain)
		}
		byLID, err := dir.UserInfo(t.Context(), "999@lid")
		wantCode(t, err, "")
		if byLID.JID != "34611111111@s.whatsapp.net" || byLID.LID != "999@lid" {
			t.Fatalf("by LID: %+v", byLID)
		}
		for _, j := range []string{"34600000404", "123@lid"} {
			_, err := dir.UserInfo(t.Context(), j)
			wantCode(t, err, wagate.ENOTFOUND)
		}
	})

	t.Run("ErrNotConnected", func(t *testing.T) {
		c.Disconnect()
		_, err := dir.UserInfo(t.Context(), "34600000777")
		wantCode(t, err, wagate.ENOTCONNECTED)
		_, err = dir.IsOnWhatsApp(t.Context(), []string{"34600000777"})
		wantCode(t, err, wagate.ENOTCONNECTED)
	})
}
