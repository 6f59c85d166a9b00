package porttest

import (
	"testing"
	"time"

	wagate "github.com/wagate/wagate/shared"
)

func messageUpdate(t *testing.T, open func(t *testing.T) wagate.MessageStore) {
	// seed stores an outbound message in the given status.
	seed := func(t *testing.T, status wagate.MessageStatus) (wagate.MessageStore, *wagate.Message) {
		t.Helper()
		st := open(t)
		m := newMsg(msgSpec{session: "s1", id: "A", chat: "c1", sec: 1, fromMe: true})
		m.Status = status
		return st, insert(t, st, m)
	}
	// step applies status at time at and checks changed and the result.
	step := func(t *testing.T, st wagate.MessageStore, status wagate.MessageStatus, at time.Time, wantChanged bool, want *wagate.Message) {
		t.Helper()
		got, changed, err := st.UpdateMessage(t.Context(), "s1", "A", wagate.MessageUpdate{Status: &status, At: at})
		must(t, err)
		if changed != wantChanged {
			t.Fatalf("UpdateMessage(status %s) changed = %v, want %v", status, changed, wantChanged)
		}
		compareMessage(t, got, want)
		found, err := st.FindMessage(t.Context(), "s1", "A")
		must(t, err)
		compareMessage(t, found, want)
	}

	t.Run("ForwardChain", func(t *testing.T) {
		st, m := seed(t, wagate.StatusPending)
		want := *m
		for i, s := range []wagate.MessageStatus{wagate.StatusSent, wagate.StatusDelivered, wagate.StatusRead, wagate.StatusPlayed} {
			when := at(10 * (i + 1))
			want.Status = s
			switch s {
			case wagate.StatusSent:
				want.SentAt = when
			case wagate.StatusDelivered:
				want.DeliveredAt = when
			case wagate.StatusRead:
				want.ReadAt = when
			case wagate.StatusPlayed:
				want.PlayedAt = when
			}
			step(t, st, s, when, true, &want)
		}
	})

	t.Run("ReadThenDeliveredStaysRead", func(t *testing.T) {
		st, m := seed(t, wagate.StatusSent)
		want := *m
		want.Status, want.ReadAt = wagate.StatusRead, at(20)
		step(t, st, wagate.StatusRead, at(20), true, &want)
		step(t, st, wagate.StatusDelivered, at(30), false, &want)
	})

	t.Run("SentThenFailedStaysSent", func(t *testing.T) {
		st, m := seed(t, wagate.StatusSent)
		step(t, st, wagate.StatusFailed, at(20), false, m)
	})

	t.Run("PendingToFailed", func(t *testing.T) {
		st, m := seed(t, wagate.StatusPending)
		failed, reason := wagate.StatusFailed, "not on WhatsApp"
		got, changed, err := st.UpdateMessage(t.Context(), "s1", "A", wagate.MessageUpdate{Status: &failed, Error: &reason, At: at(5)})
		must(t, err)
		want := *m
		want.Status, want.Error = wagate.StatusFailed, reason
		if !changed {
			t.Fatal("pending → failed: changed = false")
		}
		compareMessage(t, got, &want)
		step(t, st, wagate.StatusPending, at(6), false, &want)
	})

	t.Run("SameStatusAgain", func(t *testing.T) {
		st, m := seed(t, wagate.StatusDelivered)
		step(t, st, wagate.StatusDelivered, at(20), false, m)
	})

	t.Run("EditRevokeMedia", func(t *testing.T) {
		st, m := seed(t, wagate.StatusSent)
		body, yes := "edited text", true
		media := &wagate.Media{BlobKey: "media/x", Filename: "x.pdf", Mimetype: "application/pdf", Size: 10}
		got, changed, err := st.UpdateMessage(t.Context(), "s1", "A", wagate.MessageUpdate{Body: &body, Edited: &yes, Media: media})
		must(t, err)
		want := *m
		want.Body, want.Edited, want.Media = body, true, &wagate.Media{BlobKey: "media/x", Filename: "x.pdf", Mimetype: "application/pdf", Size: 10}
		if !changed {
			t.Fatal("edit: changed = false")
		}
		compareMessage(t, got, &want)
		media.Filename = "changed after the call"
		got, changed, err = st.UpdateMessage(t.Context(), "s1", "A", wagate.MessageUpdate{Revoked: &yes})
		must(t, err)
		want.Revoked = true
		if !changed {
			t.Fatal("revoke: changed = false")
		}
		compareMessage(t, got, &want)
	})

	t.Run("NothingChanges", func(t *testing.T) {
		st, m := seed(t, wagate.StatusSent)
		body := m.Body
		for _, upd := range []wagate.MessageUpdate{{}, {Body: &body}} {
			got, changed, err := st.UpdateMessage(t.Context(), "s1", "A", upd)
			must(t, err)
			if changed {
				t.Fatalf("UpdateMessage(%+v) changed = true, want false", upd)
			}
			compareMessage(t, got, m)
		}
	})

	t.Run("InboundUnchangedElsewhere", func(t *testing.T) {
		st := open(t)
		insert(t, st, newMsg(msgSpec{session: "s1", id: "A", chat: "c1", sec: 1}))
		insert(t, st, newMsg(msgSpec{session: "s1", id: "B", chat: "c1", sec: 2}))
		body := "edited"
		_, _, err := st.UpdateMessage(t.Context(), "s1", "A", wagate.MessageUpdate{Body: &body})
		must(t, err)
		b, err := st.FindMessage(t.Context(), "s1", "B")
		must(t, err)
		if b.Body == body {
			t.Fatal("updating A changed B")
		}
		expectTotals(t, st, "s1", "c1", 2, 2)
	})

	t.Run("ErrNotFound", func(t *testing.T) {
		st, _ := seed(t, wagate.StatusSent)
		read := wagate.StatusRead
		for _, key := range [][2]string{{"s1", "B"}, {"s2", "A"}} {
			_, _, err := st.UpdateMessage(t.Context(), key[0], key[1], wagate.MessageUpdate{Status: &read})
			wantCode(t, err, wagate.ENOTFOUND)
		}
	})
}
