package service_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/wagate/wagate/events"
	wagate "github.com/wagate/wagate/shared"
	"github.com/wagate/wagate/shared/service"
)

func TestStatuses_PostValidation(t *testing.T) {
	w := newWorld(t)
	w.session(t, "s1", wagate.StatusConnected)
	w.session(t, "down", wagate.StatusDisconnected)
	svc := &service.Statuses{Messages: w.msgs, Store: w.statuses}
	img := &service.MediaInput{Data: []byte("not an image at all")}
	tests := []struct {
		name, session string
		in            service.StatusInput
		code          string
	}{
		{"ErrNoSession", "nope", service.StatusInput{Type: wagate.TypeText, Text: "hi"}, wagate.ENOSESSION},
		{"ErrNotConnected", "down", service.StatusInput{Type: wagate.TypeText, Text: "hi"}, wagate.ENOTCONNECTED},
		{"ErrType", "s1", service.StatusInput{Type: wagate.TypeAudio, Media: img}, wagate.EINVALID},
		{"ErrNoText", "s1", service.StatusInput{Type: wagate.TypeText}, wagate.EINVALID},
		{"ErrTextTooLong", "s1", service.StatusInput{Type: wagate.TypeText, Text: strings.Repeat("a", service.MaxStatusTextRunes+1)}, wagate.EINVALID},
		{"ErrFont", "s1", service.StatusInput{Type: wagate.TypeText, Text: "hi", Style: wagate.StatusStyle{Font: 6}}, wagate.EINVALID},
		{"ErrTextWithFile", "s1", service.StatusInput{Type: wagate.TypeText, Text: "hi", Media: img}, wagate.EINVALID},
		{"ErrNoFile", "s1", service.StatusInput{Type: wagate.TypeImage, Text: "caption"}, wagate.EINVALID},
		{"ErrBadFile", "s1", service.StatusInput{Type: wagate.TypeImage, Media: img}, wagate.EINVALID},
		{"ErrUnknownMediaID", "s1", service.StatusInput{Type: wagate.TypeVideo, Media: &service.MediaInput{MediaID: "nope"}}, wagate.ENOTFOUND},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := svc.Post(context.Background(), tt.session, tt.in)
			wantCode(t, err, tt.code)
		})
	}
	if list, total, _ := w.statuses.ListStatuses(context.Background(), "s1", false, time.Now(), 0, 10); total != 0 {
		t.Fatalf("a refused post left %d statuses: %+v", total, list)
	}
}

func TestStatuses_Post(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	w.session(t, "s1", wagate.StatusConnected)
	svc := &service.Statuses{Messages: w.msgs, Store: w.statuses}

	t.Run("Text", func(t *testing.T) {
		post, msg, err := svc.Post(ctx, "s1", service.StatusInput{Type: wagate.TypeText, Text: "hola", Style: wagate.StatusStyle{BackgroundARGB: 0xFF112233, Font: 3}, IdempotencyKey: "k1"})
		if err != nil {
			t.Fatal(err)
		}
		if msg.ChatID != "status@broadcast" || !msg.FromMe || msg.Status != wagate.StatusPending || msg.Body != "hola" {
			t.Fatalf("message %+v", msg)
		}
		if post.ID == 0 || !post.FromMe || post.WhatsAppID != msg.WhatsAppID || post.SenderJID != "34600000001@s.whatsapp.net" ||
			!post.ExpiresAt.Equal(post.Timestamp.Add(wagate.StatusTTL)) {
			t.Fatalf("status %+v", post)
		}
		cmds := w.commands(t)
		if len(cmds) != 1 || cmds[0].Type != events.CmdStatusPost || cmds[0].ID != "status-s1-"+msg.WhatsAppID {
			t.Fatalf("commands %+v", cmds)
		}
		var p events.StatusPostPayload
		payloadOf(t, cmds[0], &p)
		want := events.StatusPostPayload{MessageID: msg.ID, WhatsAppMessageID: msg.WhatsAppID, BackgroundARGB: 0xFF112233, TextARGB: service.DefaultStatusText, Font: 3}
		if p != want {
			t.Fatalf("payload %+v, want %+v", p, want)
		}

		again, msg2, err := svc.Post(ctx, "s1", service.StatusInput{Type: wagate.TypeText, Text: "hola", IdempotencyKey: "k1"})
		if err != nil || again.ID != post.ID || msg2.WhatsAppID != msg.WhatsAppID {
			t.Fatalf("repeat: %+v %+v %v", again, msg2, err)
		}
	})
	t.Run("DefaultLook", func(t *testing.T) {
		if _, _, err := svc.Post(ctx, "s1", service.StatusInput{Type: wagate.TypeText, Text: "plain"}); err != nil {
			t.Fatal(err)
		}
		var p events.StatusPostPayload
		cmds := w.commands(t)
		payloadOf(t, cmds[len(cmds)-1], &p)
		if p.BackgroundARGB != service.DefaultStatusBackground || p.TextARGB != service.DefaultStatusText || p.Font != 0 {
			t.Fatalf("payload %+v", p)
		}
	})
	t.Run("Image", func(t *testing.T) {
		post, msg, err := svc.Post(ctx, "s1", service.StatusInput{Type: wagate.TypeImage, Text: "foto", Media: &service.MediaInput{Data: pngFile}})
		if err != nil {
			t.Fatal(err)
		}
		if msg.Media == nil || msg.Media.BlobKey == "" || msg.Media.Mimetype != "image/png" || post.Media == nil || post.Body != "foto" {
			t.Fatalf("image status %+v %+v", post, msg)
		}
	})
	t.Run("ErrKeyOfAMessage", func(t *testing.T) {
		if _, err := w.msgs.Send(ctx, "s1", service.SendInput{To: "34611111111", Type: wagate.TypeText, Text: "hi", IdempotencyKey: "msg-key"}); err != nil {
			t.Fatal(err)
		}
		_, _, err := svc.Post(ctx, "s1", service.StatusInput{Type: wagate.TypeText, Text: "hi", IdempotencyKey: "msg-key"})
		wantCode(t, err, wagate.EINVALID)
	})
}

func TestStatuses_ListViewReactSweep(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	w.session(t, "s1", wagate.StatusConnected)
	now := time.Now().UTC()
	svc := &service.Statuses{Messages: w.msgs, Store: w.statuses, Now: func() time.Time { return now }}
	for _, p := range []*wagate.StatusPost{
		{SessionID: "s1", WhatsAppID: "OLD", SenderJID: "34611111111@s.whatsapp.net", Type: wagate.TypeText, Body: "old", Timestamp: now.Add(-25 * time.Hour)},
		{SessionID: "s1", WhatsAppID: "NEW", SenderJID: "34611111111@s.whatsapp.net", Type: wagate.TypeText, Body: "new", Timestamp: now.Add(-time.Hour)},
		{SessionID: "s1", WhatsAppID: "MINE", FromMe: true, Type: wagate.TypeText, Body: "mine", Timestamp: now.Add(-time.Minute)},
	} {
		if _, _, err := w.statuses.InsertStatus(ctx, p); err != nil {
			t.Fatal(err)
		}
	}

	t.Run("List", func(t *testing.T) {
		for _, tt := range []struct {
			name   string
			active bool
			want   []string
		}{{"All", false, []string{"MINE", "NEW", "OLD"}}, {"Active", true, []string{"MINE", "NEW"}}} {
			t.Run(tt.name, func(t *testing.T) {
				list, total, err := svc.List(ctx, "s1", tt.active, 1, 20)
				if err != nil || total != len(tt.want) {
					t.Fatalf("total %d err %v", total, err)
				}
				for i, p := range list {
					if p.WhatsAppID != tt.want[i] {
						t.Fatalf("order: got %s at %d, want %v", p.WhatsAppID, i, tt.want)
					}
				}
			})
		}
		_, _, err := svc.List(ctx, "nope", false, 1, 20)
		wantCode(t, err, wagate.ENOSESSION)
	})
	t.Run("View", func(t *testing.T) {
		p, err := svc.View(ctx, "s1", "NEW")
		if err != nil || !p.Viewed {
			t.Fatalf("view: %+v %v", p, err)
		}
		cmds := w.commands(t)
		if len(cmds) != 1 || cmds[0].Type != events.CmdChatRead {
			t.Fatalf("commands %+v", cmds)
		}
		var rp events.ChatReadPayload
		payloadOf(t, cmds[0], &rp)
		if rp.ChatID != "status@broadcast" || len(rp.Receipts) != 1 || rp.Receipts[0].SenderJID != "34611111111@s.whatsapp.net" || rp.Receipts[0].IDs[0] != "NEW" {
			t.Fatalf("receipt %+v", rp)
		}
		if _, err := svc.View(ctx, "s1", "MINE"); err != nil {
			t.Fatal(err)
		}
		if cmds := w.commands(t); len(cmds) != 0 {
			t.Fatalf("viewing one's own status sent %+v", cmds)
		}
		_, err = svc.View(ctx, "s1", "NOPE")
		wantCode(t, err, wagate.ENOTFOUND)
		_, err = svc.View(ctx, "nope", "NEW")
		wantCode(t, err, wagate.ENOSESSION)
	})
	t.Run("React", func(t *testing.T) {
		wantCode(t, svc.React(ctx), wagate.ENOTSUPPORTED)
	})
	t.Run("Sweep", func(t *testing.T) {
		n, err := svc.SweepExpired(ctx)
		if err != nil || n != 1 {
			t.Fatalf("swept %d, %v", n, err)
		}
		_, total, _ := svc.List(ctx, "s1", false, 1, 20)
		if total != 2 {
			t.Fatalf("%d statuses left, want 2", total)
		}
	})
}
