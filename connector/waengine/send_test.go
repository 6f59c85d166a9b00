package waengine_test

import (
	"context"
	"testing"
	"time"

	"github.com/wagate/wagate/connector/waengine"
	wagate "github.com/wagate/wagate/shared"
)

// Sending needs WhatsApp; offline only the refusals can be checked.
func TestClient_SendRefusals(t *testing.T) {
	container, _ := mustContainer(t)
	c, _ := newClient(t, waengine.New(container, testLogger(t)), "")
	text := func(chat string) *wagate.Message {
		return &wagate.Message{WhatsAppID: "3EB0AAAA", ChatID: chat, Type: wagate.TypeText, Body: "hi"}
	}
	tests := []struct {
		name string
		m    *wagate.Message
		code string
	}{
		{"ErrNoMessage", nil, wagate.EINVALID},
		{"ErrNoID", &wagate.Message{ChatID: "34611111111@s.whatsapp.net", Type: wagate.TypeText}, wagate.EINVALID},
		{"ErrBadChat", text("s.whatsapp.net"), wagate.EINVALID},
		{"ErrNoMediaBytes", &wagate.Message{WhatsAppID: "3EB0AAAA", ChatID: "34611111111@s.whatsapp.net", Type: wagate.TypeImage}, wagate.EINVALID},
		{"ErrEmptyText", &wagate.Message{WhatsAppID: "3EB0AAAA", ChatID: "34611111111@s.whatsapp.net", Type: wagate.TypeText}, wagate.EINVALID},
		{"ErrReactionNotSupported", &wagate.Message{WhatsAppID: "3EB0AAAA", ChatID: "34611111111@s.whatsapp.net", Type: wagate.TypeReaction}, wagate.ENOTSUPPORTED},
		{"ErrBroadcastChat", text("status@broadcast"), wagate.EINVALID},
		{"ErrNotConnectedLID", text("123456789012345@lid"), wagate.ENOTCONNECTED},
		{"ErrNotConnectedGroup", text("120363000000000000@g.us"), wagate.ENOTCONNECTED},
		{"ErrNotConnectedImage", &wagate.Message{WhatsAppID: "3EB0AAAA", ChatID: "34611111111@s.whatsapp.net", Type: wagate.TypeImage,
			Media: &wagate.Media{Mimetype: "image/jpeg"}}, wagate.ENOTCONNECTED},
		{"ErrNotConnected", text("34611111111@s.whatsapp.net"), wagate.ENOTCONNECTED},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var media []byte
			if tt.m != nil && tt.m.Media != nil {
				media = []byte("file bytes")
			}
			if _, err := c.Send(context.Background(), tt.m, media); wagate.ErrorCode(err) != tt.code {
				t.Errorf("Send err = %v, want %s", err, tt.code)
			}
		})
	}
}

func TestClient_MarkReadRefusals(t *testing.T) {
	container, _ := mustContainer(t)
	c, _ := newClient(t, waengine.New(container, testLogger(t)), "")
	ctx, now := context.Background(), time.Now()
	tests := []struct {
		name         string
		chat, sender string
		ids          []string
		code         string
	}{
		{"ErrNoIDs", "34611111111@s.whatsapp.net", "", nil, wagate.EINVALID},
		{"ErrBadChat", "s.whatsapp.net", "", []string{"A"}, wagate.EINVALID},
		{"ErrBadSender", "120363000000000000@g.us", "1:x@s.whatsapp.net", []string{"A"}, wagate.EINVALID},
		{"ErrNotConnected", "120363000000000000@g.us", "34611111111@s.whatsapp.net", []string{"A"}, wagate.ENOTCONNECTED},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := c.MarkRead(ctx, tt.chat, tt.sender, tt.ids, now); wagate.ErrorCode(err) != tt.code {
				t.Errorf("MarkRead err = %v, want %s", err, tt.code)
			}
		})
	}
}
