package waengine

import (
	"testing"

	"go.mau.fi/whatsmeow/proto/waE2E"
	"go.mau.fi/whatsmeow/types"
	"google.golang.org/protobuf/proto"

	wagate "github.com/wagate/wagate/shared"
)

func TestBuildStatus(t *testing.T) {
	pngData := testPNG(t, 40, 20)
	status := func(typ wagate.MessageType, body string, media *wagate.Media) *wagate.Message {
		return &wagate.Message{WhatsAppID: "3EB0S", ChatID: "status@broadcast", Type: typ, Body: body, Media: media, QuotedID: "Q1"}
	}
	text := func(body string, bg, fg uint32, font waE2E.ExtendedTextMessage_FontType) *waE2E.Message {
		return &waE2E.Message{ExtendedTextMessage: &waE2E.ExtendedTextMessage{
			Text: proto.String(body), BackgroundArgb: proto.Uint32(bg), TextArgb: proto.Uint32(fg), Font: font.Enum()}}
	}
	tests := []struct {
		name  string
		m     *wagate.Message
		style wagate.StatusStyle
		media []byte
		want  *waE2E.Message
	}{
		{"Text", status(wagate.TypeText, "hola", nil), wagate.StatusStyle{BackgroundARGB: 0xFF112233, TextARGB: 0xFF000000, Font: 2}, nil,
			text("hola", 0xFF112233, 0xFF000000, waE2E.ExtendedTextMessage_FB_SCRIPT)},
		{"TextDefaults", status(wagate.TypeText, "hola", nil), wagate.StatusStyle{}, nil,
			text("hola", 0xFF128C7E, 0xFFFFFFFF, waE2E.ExtendedTextMessage_SYSTEM)},
		{"ImageNoQuote", status(wagate.TypeImage, "foto", &wagate.Media{Mimetype: "image/png"}), wagate.StatusStyle{Font: 3}, pngData,
			&waE2E.Message{ImageMessage: &waE2E.ImageMessage{Mimetype: proto.String("image/png"), Caption: proto.String("foto"),
				Width: proto.Uint32(40), Height: proto.Uint32(20)}}},
		{"Video", status(wagate.TypeVideo, "", &wagate.Media{Mimetype: "video/mp4", Seconds: 5}), wagate.StatusStyle{}, []byte("mp4"),
			&waE2E.Message{VideoMessage: &waE2E.VideoMessage{Mimetype: proto.String("video/mp4"), Seconds: proto.Uint32(5)}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := buildStatus(tt.m, tt.style, tt.media)
			if err != nil {
				t.Fatalf("buildStatus: %v", err)
			}
			if got.ImageMessage != nil {
				got.ImageMessage.JPEGThumbnail = nil
			}
			assertProto(t, got, tt.want)
		})
	}
}

func TestBuildStatusFonts(t *testing.T) {
	want := []waE2E.ExtendedTextMessage_FontType{
		waE2E.ExtendedTextMessage_SYSTEM, waE2E.ExtendedTextMessage_SYSTEM_TEXT, waE2E.ExtendedTextMessage_FB_SCRIPT,
		waE2E.ExtendedTextMessage_SYSTEM_BOLD, waE2E.ExtendedTextMessage_MORNINGBREEZE_REGULAR, waE2E.ExtendedTextMessage_CALISTOGA_REGULAR,
	}
	m := &wagate.Message{WhatsAppID: "3EB0S", ChatID: "status@broadcast", Type: wagate.TypeText, Body: "x"}
	for font, w := range want {
		got, err := buildStatus(m, wagate.StatusStyle{Font: font}, nil)
		if err != nil || got.GetExtendedTextMessage().GetFont() != w {
			t.Errorf("font %d → %v (%v), want %v", font, got.GetExtendedTextMessage().GetFont(), err, w)
		}
	}
}

func TestBuildStatusRefusals(t *testing.T) {
	tests := []struct {
		name  string
		m     *wagate.Message
		style wagate.StatusStyle
		media []byte
	}{
		{"ErrChat", &wagate.Message{ChatID: "34600000000@s.whatsapp.net", Type: wagate.TypeText, Body: "x"}, wagate.StatusStyle{}, nil},
		{"ErrNoText", &wagate.Message{ChatID: "status@broadcast", Type: wagate.TypeText}, wagate.StatusStyle{}, nil},
		{"ErrFont", &wagate.Message{ChatID: "status@broadcast", Type: wagate.TypeText, Body: "x"}, wagate.StatusStyle{Font: 6}, nil},
		{"ErrNegativeFont", &wagate.Message{ChatID: "status@broadcast", Type: wagate.TypeText, Body: "x"}, wagate.StatusStyle{Font: -1}, nil},
		{"ErrAudio", &wagate.Message{ChatID: "status@broadcast", Type: wagate.TypeAudio}, wagate.StatusStyle{}, []byte("OggS")},
		{"ErrNoImageBytes", &wagate.Message{ChatID: "status@broadcast", Type: wagate.TypeImage}, wagate.StatusStyle{}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := buildStatus(tt.m, tt.style, tt.media); wagate.ErrorCode(err) != wagate.EINVALID {
				t.Fatalf("err = %v, want %s", err, wagate.EINVALID)
			}
		})
	}
}

// The status goes to whatsmeow's status broadcast JID.
func TestStatusBroadcastJID(t *testing.T) {
	if types.StatusBroadcastJID.String() != "status@broadcast" {
		t.Fatalf("StatusBroadcastJID = %s", types.StatusBroadcastJID)
	}
}
