package waengine_test

import (
	"context"
	"testing"

	"github.com/wagate/wagate/connector/waengine"
	wagate "github.com/wagate/wagate/shared"
)

// Posting needs WhatsApp; offline only the refusals can be checked.
func TestClient_PostStatusRefusals(t *testing.T) {
	container, _ := mustContainer(t)
	c, _ := newClient(t, waengine.New(container, testLogger(t)), "")
	poster, ok := c.(wagate.StatusPoster)
	if !ok {
		t.Fatal("the whatsmeow client does not post statuses")
	}
	status := func(typ wagate.MessageType, body string) *wagate.Message {
		return &wagate.Message{WhatsAppID: "3EB0S", ChatID: "status@broadcast", Type: typ, Body: body}
	}
	tests := []struct {
		name  string
		m     *wagate.Message
		media []byte
		code  string
	}{
		{"ErrNoMessage", nil, nil, wagate.EINVALID},
		{"ErrNoID", &wagate.Message{ChatID: "status@broadcast", Type: wagate.TypeText, Body: "x"}, nil, wagate.EINVALID},
		{"ErrChat", &wagate.Message{WhatsAppID: "3EB0S", ChatID: "34611111111@s.whatsapp.net", Type: wagate.TypeText, Body: "x"}, nil, wagate.EINVALID},
		{"ErrType", status(wagate.TypeDocument, ""), []byte("%PDF"), wagate.EINVALID},
		{"ErrNotConnectedText", status(wagate.TypeText, "hola"), nil, wagate.ENOTCONNECTED},
		{"ErrNotConnectedImage", status(wagate.TypeImage, ""), []byte("img"), wagate.ENOTCONNECTED},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := poster.PostStatus(context.Background(), tt.m, wagate.StatusStyle{}, tt.media); wagate.ErrorCode(err) != tt.code {
				t.Errorf("PostStatus err = %v, want %s", err, tt.code)
			}
		})
	}
}
