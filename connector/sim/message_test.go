package sim_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"runtime"
	"testing"
	"time"

	"github.com/wagate/wagate/connector/sim"
	wagate "github.com/wagate/wagate/shared"
)

const (
	ana     = "34600000001"
	bobJID  = "34600000009@s.whatsapp.net"
	groupID = "120363000000000001@g.us"
)

func textTo(chatID, id, body string) *wagate.Message {
	return &wagate.Message{WhatsAppID: id, ChatID: chatID, Type: wagate.TypeText, Body: body}
}

func TestSend(t *testing.T) {
	image := &wagate.Message{WhatsAppID: "3EB0IMG", ChatID: bobJID, Type: wagate.TypeImage, Body: "look",
		Media: &wagate.Media{Mimetype: "image/png", Filename: "a.png"}}
	tests := []struct {
		name  string
		live  bool
		msg   *wagate.Message
		media []byte
		want  string
		sent  sim.SentMessage // without Timestamp
	}{
		{"Text", true, textTo(bobJID, "3EB0A", "hola"), nil, "",
			sim.SentMessage{WhatsAppID: "3EB0A", ChatID: bobJID, Type: wagate.TypeText, Body: "hola"}},
		{"Image", true, image, []byte("png!"), "",
			sim.SentMessage{WhatsAppID: "3EB0IMG", ChatID: bobJID, Type: wagate.TypeImage, Body: "look", Filename: "a.png", Mimetype: "image/png", MediaSize: 4}},
		{"Location", true, &wagate.Message{WhatsAppID: "3EB0L", ChatID: groupID, Type: wagate.TypeLocation, Body: "Sol", Location: &wagate.Location{Latitude: 40.4, Longitude: -3.7, Name: "Sol"}}, nil, "",
			sim.SentMessage{WhatsAppID: "3EB0L", ChatID: groupID, Type: wagate.TypeLocation, Body: "Sol", Location: &wagate.Location{Latitude: 40.4, Longitude: -3.7, Name: "Sol"}}},
		{"ErrNotConnected", false, textTo(bobJID, "3EB0A", "hola"), nil, wagate.ENOTCONNECTED, sim.SentMessage{}},
		{"ErrNoID", true, textTo(bobJID, "", "hola"), nil, wagate.EINVALID, sim.SentMessage{}},
		{"ErrNoChat", true, textTo("", "3EB0A", "hola"), nil, wagate.EINVALID, sim.SentMessage{}},
		{"ErrNilMessage", true, nil, nil, wagate.EINVALID, sim.SentMessage{}},
		{"ErrMediaWithoutBytes", true, image, nil, wagate.EINVALID, sim.SentMessage{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := MustOpenNetwork(t, fastOptions())
			c, _ := startClient(t, n, "s1", "")
			if tt.live {
				c, _, _ = pairedSession(t, n, "s1", ana)
			}
			before := time.Now().UTC().Truncate(time.Second)
			at, err := c.Send(t.Context(), tt.msg, tt.media)
			wantCode(t, err, tt.want)
			sent := n.Sent("s1")
			if err != nil {
				if len(sent) != 0 {
					t.Errorf("sent = %+v after an error", sent)
				}
				return
			}
			if at.Before(before) || at.After(time.Now()) || at.Location() != time.UTC || at.Nanosecond() != 0 {
				t.Errorf("server timestamp %v, want now in whole UTC seconds", at)
			}
			tt.sent.Timestamp = at
			if len(sent) != 1 || !reflect.DeepEqual(sent[0], tt.sent) {
				t.Errorf("sent = %+v, want [%+v]", sent, tt.sent)
			}
		})
	}
}

func TestSendOnce(t *testing.T) {
	n := MustOpenNetwork(t, fastOptions())
	c, r, _ := pairedSession(t, n, "s1", ana)
	_, _, _ = pairedSession(t, n, "s2", "34600000002")
	first, err := c.Send(t.Context(), textTo(bobJID, "3EB0DUP", "one"), nil)
	if err != nil {
		t.Fatalf("send: %v", err)
	}
	time.Sleep(1100 * time.Millisecond) // a later second
	again, err := c.Send(t.Context(), textTo(bobJID, "3EB0DUP", "two"), nil)
	if err != nil {
		t.Fatalf("send again: %v", err)
	}
	if !again.Equal(first) {
		t.Errorf("second send timestamp %v, want the first's %v", again, first)
	}
	if sent := n.Sent("s1"); len(sent) != 1 || sent[0].Body != "one" {
		t.Errorf("recipient got %+v, want the first copy only", sent)
	}
	for _, tt := range []struct {
		session, id string
		want        int
	}{{"s1", "3EB0DUP", 2}, {"s1", "3EB0NEVER", 0}, {"s2", "3EB0DUP", 0}} {
		if got := n.SendCount(tt.session, tt.id); got != tt.want {
			t.Errorf("SendCount(%s, %s) = %d, want %d", tt.session, tt.id, got, tt.want)
		}
	}
	r.quiet(t, 20*time.Millisecond) // no AutoDeliver by default
}

func TestSendDelay(t *testing.T) {
	opts := fastOptions()
	opts.SendDelay = 30 * time.Millisecond
	n := MustOpenNetwork(t, opts)
	c, _, _ := pairedSession(t, n, "s1", ana)

	start := time.Now()
	if _, err := c.Send(t.Context(), textTo(bobJID, "3EB0A", "hola"), nil); err != nil {
		t.Fatalf("send: %v", err)
	}
	if d := time.Since(start); d < opts.SendDelay {
		t.Errorf("send took %v, want ≥ %v", d, opts.SendDelay)
	}

	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := c.Send(ctx, textTo(bobJID, "3EB0B", "hola"), nil); !errors.Is(err, context.Canceled) {
		t.Errorf("send with a canceled context: %v, want context.Canceled", err)
	}
	if got := n.SendCount("s1", "3EB0B"); got != 0 {
		t.Errorf("canceled send recorded %d times", got)
	}
}

func TestAutoDeliver(t *testing.T) {
	opts := fastOptions()
	opts.AutoDeliver = 5 * time.Millisecond
	n := MustOpenNetwork(t, opts)
	c, r, _ := pairedSession(t, n, "s1", ana)
	for _, m := range []*wagate.Message{textTo(bobJID, "3EB0A", "a"), textTo(groupID, "3EB0B", "b"), textTo(bobJID, "3EB0A", "again")} {
		if _, err := c.Send(t.Context(), m, nil); err != nil {
			t.Fatalf("send %s: %v", m.WhatsAppID, err)
		}
	}
	got := map[string]wagate.ReceiptEvent{}
	for range 2 {
		ev := expect[wagate.ReceiptEvent](t, r)
		got[ev.IDs[0]] = ev
	}
	r.quiet(t, 4*opts.AutoDeliver) // the repeated id is not delivered twice
	for id, want := range map[string]wagate.ReceiptEvent{
		"3EB0A": {ChatID: bobJID, SenderJID: bobJID, IDs: []string{"3EB0A"}, Status: wagate.StatusDelivered},
		"3EB0B": {ChatID: groupID, IDs: []string{"3EB0B"}, Status: wagate.StatusDelivered},
	} {
		ev := got[id]
		if time.Since(ev.At) > eventTimeout {
			t.Errorf("receipt of %s at %v, want now", id, ev.At)
		}
		ev.At = time.Time{}
		if !reflect.DeepEqual(ev, want) {
			t.Errorf("receipt = %+v, want %+v", ev, want)
		}
	}
}

func TestReceipt(t *testing.T) {
	tests := []struct {
		name    string
		session string
		id      string
		status  wagate.MessageStatus
		live    bool
		want    string
	}{
		{"Delivered", "s1", "3EB0A", wagate.StatusDelivered, true, ""},
		{"Read", "s1", "3EB0A", wagate.StatusRead, true, ""},
		{"Played", "s1", "3EB0A", wagate.StatusPlayed, true, ""},
		{"ErrUnknownID", "s1", "3EB0NEVER", wagate.StatusRead, true, wagate.ENOTFOUND},
		{"ErrOtherSession", "s2", "3EB0A", wagate.StatusRead, true, wagate.ENOTFOUND},
		{"ErrStatusSent", "s1", "3EB0A", wagate.StatusSent, true, wagate.EINVALID},
		{"ErrStatusEmpty", "s1", "3EB0A", "", true, wagate.EINVALID},
		{"ErrNotConnected", "s1", "3EB0A", wagate.StatusRead, false, wagate.ENOTCONNECTED},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := fastOptions()
			opts.ReconnectDelay = time.Minute
			n := MustOpenNetwork(t, opts)
			c, r, _ := pairedSession(t, n, "s1", ana)
			if _, err := c.Send(t.Context(), textTo(bobJID, "3EB0A", "hola"), nil); err != nil {
				t.Fatalf("send: %v", err)
			}
			if !tt.live {
				if err := n.Drop(t.Context(), "s1"); err != nil {
					t.Fatalf("drop: %v", err)
				}
				expect[wagate.DisconnectedEvent](t, r)
			}
			wantCode(t, n.Receipt(t.Context(), tt.session, tt.id, tt.status), tt.want)
			if tt.want != "" {
				r.quiet(t, 20*time.Millisecond)
				return
			}
			ev := expect[wagate.ReceiptEvent](t, r)
			ev.At = time.Time{}
			want := wagate.ReceiptEvent{ChatID: bobJID, SenderJID: bobJID, IDs: []string{tt.id}, Status: tt.status}
			if !reflect.DeepEqual(ev, want) {
				t.Errorf("receipt = %+v, want %+v", ev, want)
			}
		})
	}
}

func TestMarkRead(t *testing.T) {
	at := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	tests := []struct {
		name      string
		live      bool
		chatID    string
		senderJID string
		ids       []string
		want      string
	}{
		{"Chat", true, bobJID, "", []string{"AAA", "BBB"}, ""},
		{"Group", true, groupID, bobJID, []string{"CCC"}, ""},
		{"ErrNotConnected", false, bobJID, "", []string{"AAA"}, wagate.ENOTCONNECTED},
		{"ErrNoIDs", true, bobJID, "", nil, wagate.EINVALID},
		{"ErrNoChat", true, "", "", []string{"AAA"}, wagate.EINVALID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := MustOpenNetwork(t, fastOptions())
			c, _ := startClient(t, n, "s1", "")
			if tt.live {
				c, _, _ = pairedSession(t, n, "s1", ana)
			}
			wantCode(t, c.MarkRead(t.Context(), tt.chatID, tt.senderJID, tt.ids, at), tt.want)
			var want []sim.ReadRecord
			if tt.want == "" {
				want = []sim.ReadRecord{{ChatID: tt.chatID, SenderJID: tt.senderJID, IDs: tt.ids, At: at}}
			}
			if got := n.ReadReceipts("s1"); !reflect.DeepEqual(got, want) {
				t.Errorf("read receipts = %+v, want %+v", got, want)
			}
		})
	}
}

func TestLedgerIsBounded(t *testing.T) {
	opts := fastOptions()
	opts.LedgerSize = 3
	n := MustOpenNetwork(t, opts)
	c, _, _ := pairedSession(t, n, "s1", ana)
	for i := range 5 {
		id := fmt.Sprintf("3EB0%d", i)
		if _, err := c.Send(t.Context(), textTo(bobJID, id, id), nil); err != nil {
			t.Fatalf("send %s: %v", id, err)
		}
		if err := c.MarkRead(t.Context(), bobJID, "", []string{id}, time.Now()); err != nil {
			t.Fatalf("mark read %s: %v", id, err)
		}
	}
	var ids []string
	for _, m := range n.Sent("s1") {
		ids = append(ids, m.WhatsAppID)
	}
	if want := []string{"3EB02", "3EB03", "3EB04"}; !reflect.DeepEqual(ids, want) {
		t.Errorf("remembered sends %v, want %v", ids, want)
	}
	if reads := n.ReadReceipts("s1"); len(reads) != 3 || reads[0].IDs[0] != "3EB02" {
		t.Errorf("remembered read receipts %+v, want the last 3", reads)
	}
	if got := n.SendCount("s1", "3EB00"); got != 0 {
		t.Errorf("SendCount of a forgotten id = %d, want 0", got)
	}
	wantCode(t, n.Receipt(t.Context(), "s1", "3EB00", wagate.StatusRead), wagate.ENOTFOUND)
}

func TestMessagesLeaveNoGoroutine(t *testing.T) {
	opts := fastOptions()
	opts.AutoDeliver = time.Millisecond
	opts.SendDelay = time.Millisecond
	n := MustOpenNetwork(t, opts)
	baseline := runtime.NumGoroutine()

	c, r, _ := pairedSession(t, n, "s1", ana)
	for i := range 20 {
		id := fmt.Sprintf("3EB0%02d", i)
		if _, err := c.Send(t.Context(), textTo(bobJID, id, "x"), nil); err != nil {
			t.Fatalf("send: %v", err)
		}
		if _, err := n.Inbound(t.Context(), "s1", wagate.SimInbound{From: "34600000009", Type: wagate.TypeImage,
			Media: &wagate.SimMedia{Data: []byte("jpeg")}}); err != nil {
			t.Fatalf("inbound: %v", err)
		}
		if err := n.Receipt(t.Context(), "s1", id, wagate.StatusRead); err != nil {
			t.Fatalf("receipt: %v", err)
		}
	}
	for range 20 * 3 { // delivered, image, read for each
		r.next(t)
	}
	c.Disconnect()
	waitGoroutines(t, baseline)
}
