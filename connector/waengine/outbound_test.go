package waengine

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"testing"

	"go.mau.fi/whatsmeow"
	"go.mau.fi/whatsmeow/proto/waE2E"
	"go.mau.fi/whatsmeow/types"
	"google.golang.org/protobuf/encoding/prototext"
	"google.golang.org/protobuf/proto"

	wagate "github.com/wagate/wagate/shared"
)

// testPNG is a w×h PNG, half transparent on its right half.
func testPNG(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			c := color.NRGBA{R: 200, G: 30, B: 30, A: 255}
			if x >= w/2 {
				c.A = 0
			}
			img.SetNRGBA(x, y, c)
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func testJPEG(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.SetRGBA(x, y, color.RGBA{R: uint8(x), G: uint8(y), B: 128, A: 255})
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, nil); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// webpHeader is the start of a WebP file: enough for sniffing, not an image.
var webpHeader = []byte("RIFF\x24\x00\x00\x00WEBPVP8 \x18\x00\x00\x00")

func TestBuildOutbound(t *testing.T) {
	pngData := testPNG(t, 400, 200)
	quote := &waE2E.ContextInfo{StanzaID: proto.String("QUOTED1"), QuotedMessage: &waE2E.Message{Conversation: proto.String("")}}
	msg := func(typ wagate.MessageType, f func(m *wagate.Message)) *wagate.Message {
		m := &wagate.Message{WhatsAppID: "3EB0A", ChatID: "34600000000@s.whatsapp.net", Type: typ}
		if f != nil {
			f(m)
		}
		return m
	}
	tests := []struct {
		name      string
		m         *wagate.Message
		media     []byte
		want      *waE2E.Message
		thumbnail bool
	}{
		{"Text", msg(wagate.TypeText, func(m *wagate.Message) { m.Body = "hola" }), nil,
			&waE2E.Message{Conversation: proto.String("hola")}, false},
		{"TextReply", msg(wagate.TypeText, func(m *wagate.Message) { m.Body = "sí"; m.QuotedID = "QUOTED1" }), nil,
			&waE2E.Message{ExtendedTextMessage: &waE2E.ExtendedTextMessage{Text: proto.String("sí"), ContextInfo: quote}}, false},
		{"ImagePNG", msg(wagate.TypeImage, func(m *wagate.Message) {
			m.Body = "body"
			m.Media = &wagate.Media{Mimetype: "image/png", Caption: "look", Width: 1, Height: 1}
		}), pngData,
			&waE2E.Message{ImageMessage: &waE2E.ImageMessage{Mimetype: proto.String("image/png"), Caption: proto.String("look"),
				Width: proto.Uint32(400), Height: proto.Uint32(200)}}, true},
		{"ImageJPEGSniffedCaptionFromBody", msg(wagate.TypeImage, func(m *wagate.Message) {
			m.Body, m.QuotedID = "from body", "QUOTED1"
		}), testJPEG(t, 50, 100),
			&waE2E.Message{ImageMessage: &waE2E.ImageMessage{Mimetype: proto.String("image/jpeg"), Caption: proto.String("from body"),
				Width: proto.Uint32(50), Height: proto.Uint32(100), ContextInfo: quote}}, true},
		{"ImageUndecodableKeepsGivenSize", msg(wagate.TypeImage, func(m *wagate.Message) {
			m.Media = &wagate.Media{Mimetype: "image/jpg", Width: 640, Height: 480}
		}), []byte("not really a jpeg"),
			&waE2E.Message{ImageMessage: &waE2E.ImageMessage{Mimetype: proto.String("image/jpeg"),
				Width: proto.Uint32(640), Height: proto.Uint32(480)}}, false},
		{"Video", msg(wagate.TypeVideo, func(m *wagate.Message) {
			m.Media = &wagate.Media{Mimetype: "video/mp4", Caption: "clip", Seconds: 12, Width: 1280, Height: 720}
		}), []byte("video"),
			&waE2E.Message{VideoMessage: &waE2E.VideoMessage{Mimetype: proto.String("video/mp4"), Caption: proto.String("clip"),
				Seconds: proto.Uint32(12), Width: proto.Uint32(1280), Height: proto.Uint32(720)}}, false},
		{"AudioPTT", msg(wagate.TypeAudio, func(m *wagate.Message) {
			m.Media = &wagate.Media{Mimetype: "audio/ogg", PTT: true, Seconds: 3}
		}), []byte("OggS"),
			&waE2E.Message{AudioMessage: &waE2E.AudioMessage{Mimetype: proto.String("audio/ogg; codecs=opus"),
				PTT: proto.Bool(true), Seconds: proto.Uint32(3)}}, false},
		{"AudioFile", msg(wagate.TypeAudio, func(m *wagate.Message) {
			m.Body = "ignored"
			m.Media = &wagate.Media{Mimetype: "audio/mp3"}
		}), []byte("ID3"),
			&waE2E.Message{AudioMessage: &waE2E.AudioMessage{Mimetype: proto.String("audio/mpeg")}}, false},
		{"Document", msg(wagate.TypeDocument, func(m *wagate.Message) {
			m.Media = &wagate.Media{Filename: "report.pdf", Mimetype: "application/pdf", Caption: "Q3"}
		}), []byte("%PDF-1.4"),
			&waE2E.Message{DocumentMessage: &waE2E.DocumentMessage{Mimetype: proto.String("application/pdf"),
				FileName: proto.String("report.pdf"), Title: proto.String("report.pdf"), Caption: proto.String("Q3")}}, false},
		{"DocumentUnnamedSniffed", msg(wagate.TypeDocument, nil), []byte("%PDF-1.4 ..."),
			&waE2E.Message{DocumentMessage: &waE2E.DocumentMessage{Mimetype: proto.String("application/pdf"),
				FileName: proto.String("file.pdf"), Title: proto.String("file.pdf")}}, false},
		{"Sticker", msg(wagate.TypeSticker, func(m *wagate.Message) {
			m.Media = &wagate.Media{Mimetype: "image/webp", Width: 512, Height: 512}
		}), webpHeader,
			&waE2E.Message{StickerMessage: &waE2E.StickerMessage{Mimetype: proto.String("image/webp"),
				Width: proto.Uint32(512), Height: proto.Uint32(512)}}, false},
		{"Location", msg(wagate.TypeLocation, func(m *wagate.Message) {
			m.Location = &wagate.Location{Latitude: 40.4168, Longitude: -3.7038, Name: "Sol", Address: "Madrid"}
		}), nil,
			&waE2E.Message{LocationMessage: &waE2E.LocationMessage{DegreesLatitude: proto.Float64(40.4168),
				DegreesLongitude: proto.Float64(-3.7038), Name: proto.String("Sol"), Address: proto.String("Madrid")}}, false},
		{"OneContact", msg(wagate.TypeContact, func(m *wagate.Message) {
			m.Contacts = []wagate.ContactCard{{DisplayName: "Ana", VCard: "BEGIN:VCARD\nFN:Ana\nTEL;type=CELL:+34 600 00 00 00\nEND:VCARD"}}
		}), nil,
			&waE2E.Message{ContactMessage: &waE2E.ContactMessage{DisplayName: proto.String("Ana"),
				Vcard: proto.String("BEGIN:VCARD\nFN:Ana\nTEL;type=CELL;waid=34600000000:+34 600 00 00 00\nEND:VCARD")}}, false},
		{"SeveralContacts", msg(wagate.TypeContact, func(m *wagate.Message) {
			m.Contacts = []wagate.ContactCard{
				{VCard: "BEGIN:VCARD\nFN:Bob\nTEL:+44 7700 900123\nEND:VCARD"},
				{DisplayName: "Eve"},
			}
		}), nil,
			&waE2E.Message{ContactsArrayMessage: &waE2E.ContactsArrayMessage{DisplayName: proto.String("2 contacts"),
				Contacts: []*waE2E.ContactMessage{
					{DisplayName: proto.String("Bob"), Vcard: proto.String("BEGIN:VCARD\nFN:Bob\nTEL;waid=447700900123:+44 7700 900123\nEND:VCARD")},
					{DisplayName: proto.String("Eve"), Vcard: proto.String("BEGIN:VCARD\nVERSION:3.0\nFN:Eve\nEND:VCARD")},
				}}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := buildOutbound(tt.m, tt.media)
			if err != nil {
				t.Fatalf("buildOutbound: %v", err)
			}
			thumb := got.GetImageMessage().GetJPEGThumbnail()
			if (len(thumb) > 0) != tt.thumbnail {
				t.Errorf("thumbnail of %d bytes, want one: %v", len(thumb), tt.thumbnail)
			}
			if got.ImageMessage != nil {
				got.ImageMessage.JPEGThumbnail = nil
			}
			assertProto(t, got, tt.want)
		})
	}
}

func TestBuildOutbound_Refusals(t *testing.T) {
	tests := []struct {
		name  string
		m     wagate.Message
		media []byte
		code  string
	}{
		{"EmptyText", wagate.Message{Type: wagate.TypeText, Body: "  "}, nil, wagate.EINVALID},
		{"ImageWithoutBytes", wagate.Message{Type: wagate.TypeImage, Media: &wagate.Media{Mimetype: "image/png"}}, nil, wagate.EINVALID},
		{"StickerWithoutBytes", wagate.Message{Type: wagate.TypeSticker}, []byte{}, wagate.EINVALID},
		{"NoLocation", wagate.Message{Type: wagate.TypeLocation}, nil, wagate.EINVALID},
		{"LatitudeOutOfRange", wagate.Message{Type: wagate.TypeLocation, Location: &wagate.Location{Latitude: 91}}, nil, wagate.EINVALID},
		{"NoContacts", wagate.Message{Type: wagate.TypeContact}, nil, wagate.EINVALID},
		{"EmptyContact", wagate.Message{Type: wagate.TypeContact, Contacts: []wagate.ContactCard{{}}}, nil, wagate.EINVALID},
		{"Reaction", wagate.Message{Type: wagate.TypeReaction, Reaction: &wagate.Reaction{TargetID: "X", Text: "👍"}}, nil, wagate.ENOTSUPPORTED},
		{"Unknown", wagate.Message{Type: wagate.TypeUnknown}, nil, wagate.ENOTSUPPORTED},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := buildOutbound(&tt.m, tt.media); wagate.ErrorCode(err) != tt.code {
				t.Errorf("err = %v, want %s", err, tt.code)
			}
		})
	}
}

func TestJPEGThumbnail(t *testing.T) {
	tests := []struct {
		name       string
		data       []byte
		wantW      int
		wantH      int
		wantCorner color.RGBA // top-left pixel, roughly
	}{
		{"WidePNG", testPNG(t, 400, 200), 72, 36, color.RGBA{200, 30, 30, 255}},
		{"TallJPEG", testJPEG(t, 50, 100), 36, 72, color.RGBA{0, 0, 128, 255}},
		{"SmallNotEnlarged", testPNG(t, 10, 6), 10, 6, color.RGBA{200, 30, 30, 255}},
		{"OnePixelWide", testPNG(t, 1, 500), 1, 72, color.RGBA{255, 255, 255, 255}}, // x ≥ w/2: transparent → white
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			thumb := jpegThumbnail(tt.data)
			img, err := jpeg.Decode(bytes.NewReader(thumb))
			if err != nil {
				t.Fatalf("thumbnail is no JPEG: %v", err)
			}
			if b := img.Bounds(); b.Dx() != tt.wantW || b.Dy() != tt.wantH {
				t.Errorf("thumbnail %dx%d, want %dx%d", b.Dx(), b.Dy(), tt.wantW, tt.wantH)
			}
			r, g, b, _ := img.At(0, 0).RGBA()
			if !near(r>>8, tt.wantCorner.R) || !near(g>>8, tt.wantCorner.G) || !near(b>>8, tt.wantCorner.B) {
				t.Errorf("corner = %d,%d,%d, want about %v", r>>8, g>>8, b>>8, tt.wantCorner)
			}
		})
	}
	t.Run("TransparentFlattenedOnWhite", func(t *testing.T) {
		img, err := jpeg.Decode(bytes.NewReader(jpegThumbnail(testPNG(t, 400, 200))))
		if err != nil {
			t.Fatal(err)
		}
		r, g, b, _ := img.At(70, 18).RGBA()
		if r>>8 < 240 || g>>8 < 240 || b>>8 < 240 {
			t.Errorf("transparent area = %d,%d,%d, want white", r>>8, g>>8, b>>8)
		}
	})
	for name, data := range map[string][]byte{"WebP": webpHeader, "Garbage": []byte("nope"), "Empty": nil} {
		t.Run("None"+name, func(t *testing.T) {
			if thumb := jpegThumbnail(data); thumb != nil {
				t.Errorf("thumbnail of %d bytes, want none", len(thumb))
			}
		})
	}
}

func near(got uint32, want uint8) bool {
	d := int(got) - int(want)
	return d > -24 && d < 24
}

func TestAttachUpload(t *testing.T) {
	up := whatsmeow.UploadResponse{URL: "https://mmg.whatsapp.net/x", DirectPath: "/v/x", MediaKey: []byte{1},
		FileEncSHA256: []byte{2}, FileSHA256: []byte{3}, FileLength: 42}
	for _, typ := range []wagate.MessageType{wagate.TypeImage, wagate.TypeVideo, wagate.TypeAudio, wagate.TypeDocument, wagate.TypeSticker} {
		t.Run(string(typ), func(t *testing.T) {
			msg, err := buildOutbound(&wagate.Message{Type: typ}, []byte("data"))
			if err != nil {
				t.Fatal(err)
			}
			attachUpload(msg, up, 1700000000)
			part, ok := whatsmeow.DownloadableMessage(nil), false
			switch {
			case msg.ImageMessage != nil:
				part, ok = msg.ImageMessage, msg.ImageMessage.GetURL() == up.URL && msg.ImageMessage.GetFileLength() == 42 && msg.ImageMessage.GetMediaKeyTimestamp() == 1700000000
			case msg.VideoMessage != nil:
				part, ok = msg.VideoMessage, msg.VideoMessage.GetURL() == up.URL && msg.VideoMessage.GetFileLength() == 42
			case msg.AudioMessage != nil:
				part, ok = msg.AudioMessage, msg.AudioMessage.GetURL() == up.URL && msg.AudioMessage.GetFileLength() == 42
			case msg.DocumentMessage != nil:
				part, ok = msg.DocumentMessage, msg.DocumentMessage.GetURL() == up.URL && msg.DocumentMessage.GetFileLength() == 42
			case msg.StickerMessage != nil:
				part, ok = msg.StickerMessage, msg.StickerMessage.GetURL() == up.URL && msg.StickerMessage.GetFileLength() == 42
			}
			if part == nil || !ok {
				t.Fatalf("upload not attached: %v", msg)
			}
			if part.GetDirectPath() != up.DirectPath || !bytes.Equal(part.GetMediaKey(), up.MediaKey) ||
				!bytes.Equal(part.GetFileEncSHA256(), up.FileEncSHA256) || !bytes.Equal(part.GetFileSHA256(), up.FileSHA256) {
				t.Errorf("upload fields not attached: %v", msg)
			}
			// The part's media type is the one uploaded with (stickers: image).
			if got := whatsmeow.GetMediaType(part); got != uploadMediaType(typ) {
				t.Errorf("download media type %q, upload media type %q", got, uploadMediaType(typ))
			}
		})
	}
}

func TestParseChat(t *testing.T) {
	tests := []struct {
		in   string
		want types.JID
		code string
	}{
		{"34600000000@s.whatsapp.net", types.NewJID("34600000000", types.DefaultUserServer), ""},
		{"34600000000:3@s.whatsapp.net", types.NewJID("34600000000", types.DefaultUserServer), ""},
		{"+34 600 000 000", types.NewJID("34600000000", types.DefaultUserServer), ""},
		{"123456789012345@lid", types.NewJID("123456789012345", types.HiddenUserServer), ""},
		{"120363000000000000@g.us", types.NewJID("120363000000000000", types.GroupServer), ""},
		{"status@broadcast", types.EmptyJID, wagate.EINVALID},
		{"x@newsletter", types.EmptyJID, wagate.EINVALID},
		{"", types.EmptyJID, wagate.EINVALID},
	}
	for _, tt := range tests {
		got, err := parseChat(tt.in)
		if wagate.ErrorCode(err) != tt.code || got != tt.want {
			t.Errorf("parseChat(%q) = %v, %v; want %v, %s", tt.in, got, err, tt.want, tt.code)
		}
	}
}

// assertProto fails the test unless got equals want.
func assertProto(t *testing.T, got, want proto.Message) {
	t.Helper()
	if !proto.Equal(got, want) {
		t.Errorf("got  %s\nwant %s", prototext.Format(got), prototext.Format(want))
	}
}
