package httpapi

import (
	"encoding/base64"
	"reflect"
	"testing"

	wagate "github.com/wagate/wagate/shared"
	"github.com/wagate/wagate/shared/service"
)

func TestDecodeStatusBody(t *testing.T) {
	png := []byte("\x89PNG\r\n\x1a\n0000")
	b64 := base64.StdEncoding.EncodeToString(png)
	tests := []struct {
		name string
		body string
		key  string
		want service.StatusInput
		err  bool
	}{
		{name: "SeedImage", body: `{"type": "image", "mediaUrl": "https://ejemplo.com/imagen.jpg", "caption": "Mi estado"}`,
			want: service.StatusInput{Type: wagate.TypeImage, Text: "Mi estado", Media: &service.MediaInput{URL: "https://ejemplo.com/imagen.jpg"}}},
		{name: "Text", body: `{"type": "text", "text": "Hola", "backgroundColor": "#128c7e", "font": 3}`, key: " k1 ",
			want: service.StatusInput{Type: wagate.TypeText, Text: "Hola", IdempotencyKey: "k1", Style: wagate.StatusStyle{BackgroundARGB: 0xFF128C7E, Font: 3}}},
		{name: "TextFromCaptionNoType", body: `{"caption": "Hola", "textColor": "80FFFFFF"}`,
			want: service.StatusInput{Type: wagate.TypeText, Text: "Hola", Style: wagate.StatusStyle{TextARGB: 0x80FFFFFF}}},
		{name: "TextAndCaptionSame", body: `{"text": "a", "caption": "a"}`, want: service.StatusInput{Type: wagate.TypeText, Text: "a"}},
		{name: "Base64Video", body: `{"type": "VIDEO", "base64": "` + b64 + `", "mimetype": "video/mp4", "fileName": "a.mp4"}`,
			want: service.StatusInput{Type: wagate.TypeVideo, Media: &service.MediaInput{Data: png, Mimetype: "video/mp4", Filename: "a.mp4"}}},
		{name: "DataURL", body: `{"type": "image", "base64": "data:image/png;base64,` + b64 + `"}`,
			want: service.StatusInput{Type: wagate.TypeImage, Media: &service.MediaInput{Data: png, Mimetype: "image/png"}}},
		{name: "MediaID", body: `{"type": "image", "mediaId": "0193abc"}`,
			want: service.StatusInput{Type: wagate.TypeImage, Media: &service.MediaInput{MediaID: "0193abc"}}},
		{name: "AudioPassesToService", body: `{"type": "audio", "mediaId": "x"}`,
			want: service.StatusInput{Type: wagate.TypeAudio, Media: &service.MediaInput{MediaID: "x"}}},

		{name: "ErrEmpty", body: ``, err: true},
		{name: "ErrNotObject", body: `[1]`, err: true},
		{name: "ErrTextAndCaptionDiffer", body: `{"text": "a", "caption": "b"}`, err: true},
		{name: "ErrFileWithoutType", body: `{"mediaUrl": "https://x.example/a.jpg"}`, err: true},
		{name: "ErrTextWithFile", body: `{"type": "text", "text": "a", "mediaId": "x"}`, err: true},
		{name: "ErrTwoFiles", body: `{"type": "image", "mediaId": "x", "mediaUrl": "https://x.example/a.jpg"}`, err: true},
		{name: "ErrBadURL", body: `{"type": "image", "mediaUrl": "ftp://x.example/a.jpg"}`, err: true},
		{name: "ErrBadBase64", body: `{"type": "image", "base64": "!!!"}`, err: true},
		{name: "ErrBadMediaID", body: `{"type": "image", "mediaId": "a\u0001b"}`, err: true},
		{name: "ErrBadFileName", body: `{"type": "image", "mediaId": "x", "fileName": "../a.png"}`, err: true},
		{name: "ErrTypeWithoutFile", body: `{"mimetype": "image/png"}`, err: true},
		{name: "ErrFontHigh", body: `{"text": "a", "font": 6}`, err: true},
		{name: "ErrFontNegative", body: `{"text": "a", "font": -1}`, err: true},
		{name: "ErrFontNotNumber", body: `{"text": "a", "font": "bold"}`, err: true},
		{name: "ErrColourName", body: `{"text": "a", "backgroundColor": "red"}`, err: true},
		{name: "ErrColourShort", body: `{"text": "a", "backgroundColor": "#fff"}`, err: true},
		{name: "ErrColourTransparent", body: `{"text": "a", "backgroundColor": "#00112233"}`, err: true},
		{name: "ErrStyleOnImage", body: `{"type": "image", "mediaId": "x", "font": 1}`, err: true},
		{name: "ErrLongKey", body: `{"text": "a"}`, key: string(make([]byte, maxClientIDLen+1)), err: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := decodeStatusBody([]byte(tt.body), tt.key)
			if tt.err {
				if wagate.ErrorCode(err) != wagate.EINVALID {
					t.Fatalf("err = %v, want %s", err, wagate.EINVALID)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("got %+v (media %+v)\nwant %+v (media %+v)", got, got.Media, tt.want, tt.want.Media)
			}
		})
	}
}

func TestParseColor(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want uint32
		err  bool
	}{
		{"", 0, false}, {"#000000", 0xFF000000, false}, {"ffffff", 0xFFFFFFFF, false}, {"#7f123456", 0x7F123456, false},
		{"#12345", 0, true}, {"#1234567", 0, true}, {"#gggggg", 0, true}, {"#00ffffff", 0, true},
	} {
		t.Run(tt.in, func(t *testing.T) {
			got, err := parseColor("c", tt.in)
			if (err != nil) != tt.err || got != tt.want {
				t.Fatalf("parseColor(%q) = %#x, %v", tt.in, got, err)
			}
		})
	}
}
