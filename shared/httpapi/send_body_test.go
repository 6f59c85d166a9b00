package httpapi

import (
	"encoding/base64"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	wagate "github.com/wagate/wagate/shared"
	"github.com/wagate/wagate/shared/service"
)

const seedSendTo = "34657032985@s.whatsapp.net"

// seedSendExamples are the send bodies of seed-api.md (MENSAJES 1–7), verbatim.
var seedSendExamples = []struct {
	name string
	body string
	want service.SendInput
	err  string // the seed's base64 example is elided ("...")
}{
	{name: "Text", body: `{
  "to": "34657032985@s.whatsapp.net",
  "message": "Hola, este es un mensaje de prueba",
  "type": "text"
}`, want: service.SendInput{To: seedSendTo, Type: wagate.TypeText, Text: "Hola, este es un mensaje de prueba"}},
	{name: "Image", body: `{
  "to": "34657032985@s.whatsapp.net",
  "message": {
    "image": {
      "url": "https://ejemplo.com/imagen.jpg"
    },
    "caption": "Descripción de la imagen"
  },
  "type": "image"
}`, want: service.SendInput{To: seedSendTo, Type: wagate.TypeImage, Text: "Descripción de la imagen",
		Media: &service.MediaInput{URL: "https://ejemplo.com/imagen.jpg"}}},
	{name: "ImageBase64Elided", body: `{
  "to": "34657032985@s.whatsapp.net",
  "message": {
    "image": {
      "base64": "iVBORw0KGgoAAAANSUhEUgAA...",
      "mimetype": "image/jpeg"
    },
    "caption": "Imagen desde base64"
  },
  "type": "image"
}`, err: "message.image.base64 is not valid base64"},
	{name: "Video", body: `{
  "to": "34657032985@s.whatsapp.net",
  "message": {
    "video": {
      "url": "https://ejemplo.com/video.mp4"
    },
    "caption": "Descripción del video"
  },
  "type": "video"
}`, want: service.SendInput{To: seedSendTo, Type: wagate.TypeVideo, Text: "Descripción del video",
		Media: &service.MediaInput{URL: "https://ejemplo.com/video.mp4"}}},
	{name: "Audio", body: `{
  "to": "34657032985@s.whatsapp.net",
  "message": {
    "audio": {
      "url": "https://ejemplo.com/audio.mp3"
    },
    "ptt": false
  },
  "type": "audio"
}`, want: service.SendInput{To: seedSendTo, Type: wagate.TypeAudio, Media: &service.MediaInput{URL: "https://ejemplo.com/audio.mp3"}}},
	{name: "Document", body: `{
  "to": "34657032985@s.whatsapp.net",
  "message": {
    "document": {
      "url": "https://ejemplo.com/documento.pdf",
      "fileName": "documento.pdf",
      "mimetype": "application/pdf"
    },
    "caption": "Descripción del documento"
  },
  "type": "document"
}`, want: service.SendInput{To: seedSendTo, Type: wagate.TypeDocument, Text: "Descripción del documento",
		Media: &service.MediaInput{URL: "https://ejemplo.com/documento.pdf", Filename: "documento.pdf", Mimetype: "application/pdf"}}},
	{name: "Location", body: `{
  "to": "34657032985@s.whatsapp.net",
  "message": {
    "location": {
      "degreesLatitude": 40.4168,
      "degreesLongitude": -3.7038,
      "name": "Madrid",
      "address": "Plaza Mayor, Madrid"
    }
  },
  "type": "location"
}`, want: service.SendInput{To: seedSendTo, Type: wagate.TypeLocation,
		Location: &wagate.Location{Latitude: 40.4168, Longitude: -3.7038, Name: "Madrid", Address: "Plaza Mayor, Madrid"}}},
	{name: "LocationSimplified", body: `{
  "to": "34657032985@s.whatsapp.net",
  "message": {
    "lat": 40.4168,
    "lng": -3.7038,
    "name": "Madrid"
  },
  "type": "location"
}`, want: service.SendInput{To: seedSendTo, Type: wagate.TypeLocation,
		Location: &wagate.Location{Latitude: 40.4168, Longitude: -3.7038, Name: "Madrid"}}},
	{name: "Contact", body: `{
  "to": "34657032985@s.whatsapp.net",
  "message": {
    "contacts": {
      "displayName": "Juan Pérez",
      "contacts": [
        {
          "vcard": "BEGIN:VCARD\nVERSION:3.0\nFN:Juan Pérez\nTEL;TYPE=CELL:+34612345678\nEND:VCARD"
        }
      ]
    }
  },
  "type": "contact"
}`, want: service.SendInput{To: seedSendTo, Type: wagate.TypeContact, ContactsName: "Juan Pérez",
		Contacts: []wagate.ContactCard{{DisplayName: "Juan Pérez", VCard: "BEGIN:VCARD\nVERSION:3.0\nFN:Juan Pérez\nTEL;TYPE=CELL:+34612345678\nEND:VCARD"}}}},
}

func TestDecodeSendBodySeed(t *testing.T) {
	for _, tc := range seedSendExamples {
		t.Run(tc.name, func(t *testing.T) {
			checkSendDecode(t, tc.body, "", tc.want, tc.err)
		})
	}
}

// seedPNGHead is the complete part of the seed's elided base64 example.
const seedPNGHead = "iVBORw0KGgoAAAANSUhEUgAA"

var seedPNGBytes, _ = base64.StdEncoding.DecodeString(seedPNGHead)

func TestDecodeSendBody(t *testing.T) {
	vcard := func(name string) string { return `BEGIN:VCARD\nVERSION:3.0\nFN:` + name + `\nEND:VCARD` }
	card := func(name string) wagate.ContactCard {
		return wagate.ContactCard{DisplayName: name, VCard: "BEGIN:VCARD\nVERSION:3.0\nFN:" + name + "\nEND:VCARD"}
	}
	img := func(src string) service.SendInput {
		return service.SendInput{To: "34600000000", Type: wagate.TypeImage, Media: &service.MediaInput{Data: seedPNGBytes, Mimetype: src}}
	}
	for _, tc := range []struct {
		name, body, header string
		want               service.SendInput
	}{
		{"TextTypeDefaults", `{"to":"34600000000","message":"Hola"}`, "",
			service.SendInput{To: "34600000000", Type: wagate.TypeText, Text: "Hola"}},
		{"TextObject", `{"to":"34600000000","type":"text","message":{"text":"Hola"}}`, "",
			service.SendInput{To: "34600000000", Type: wagate.TypeText, Text: "Hola"}},
		{"TextMaxRunes", `{"to":"34600000000","message":"` + strings.Repeat("ñ", 4096) + `"}`, "",
			service.SendInput{To: "34600000000", Type: wagate.TypeText, Text: strings.Repeat("ñ", 4096)}},
		{"ToNumber", `{"to":34600000000,"message":"Hola"}`, "",
			service.SendInput{To: "34600000000", Type: wagate.TypeText, Text: "Hola"}},
		{"TypeCaseAndSpace", `{"to":"34600000000","type":" Text ","message":"Hola"}`, "",
			service.SendInput{To: "34600000000", Type: wagate.TypeText, Text: "Hola"}},
		{"IdempotencyHeaderWins", `{"to":"34600000000","message":"Hola","messageId":"body-id"}`, " header-id ",
			service.SendInput{To: "34600000000", Type: wagate.TypeText, Text: "Hola", IdempotencyKey: "header-id"}},
		{"MessageID", `{"to":"34600000000","message":"Hola","messageId":"body-id","clientMessageId":"other"}`, "",
			service.SendInput{To: "34600000000", Type: wagate.TypeText, Text: "Hola", IdempotencyKey: "body-id"}},
		{"ClientMessageID", `{"to":"34600000000","message":"Hola","clientMessageId":12345}`, "",
			service.SendInput{To: "34600000000", Type: wagate.TypeText, Text: "Hola", IdempotencyKey: "12345"}},
		{"Quoted", `{"to":"34600000000","message":"Sí","quotedMessageId":"3EB0DECC554F433B2DE158"}`, "",
			service.SendInput{To: "34600000000", Type: wagate.TypeText, Text: "Sí", QuotedID: "3EB0DECC554F433B2DE158"}},
		{"ImageBase64", `{"to":"34600000000","type":"image","message":{"image":{"base64":"` + seedPNGHead + `","mimetype":"image/png"}}}`, "", img("image/png")},
		{"ImageBase64Unpadded", `{"to":"34600000000","type":"image","message":{"image":{"base64":"` + strings.TrimRight(base64.StdEncoding.EncodeToString([]byte("ab")), "=") + `"}}}`, "",
			service.SendInput{To: "34600000000", Type: wagate.TypeImage, Media: &service.MediaInput{Data: []byte("ab")}}},
		{"ImageBase64Wrapped", `{"to":"34600000000","type":"image","message":{"image":{"base64":"` + seedPNGHead[:12] + `\r\n` + seedPNGHead[12:] + `"}}}`, "", img("")},
		{"ImageDataURL", `{"to":"34600000000","type":"image","message":{"image":{"base64":"data:image/png;base64,` + seedPNGHead + `"}}}`, "", img("image/png")},
		{"ImageBufferBase64", `{"to":"34600000000","type":"image","message":{"image":{"buffer":"` + seedPNGHead + `"}}}`, "", img("")},
		{"ImageBufferNode", `{"to":"34600000000","type":"image","message":{"image":{"buffer":{"type":"Buffer","data":` + nodeByteList(seedPNGBytes) + `}}}}`, "", img("")},
		{"ImageNodeBufferItself", `{"to":"34600000000","message":{"image":{"type":"Buffer","data":` + nodeByteList(seedPNGBytes) + `}}}`, "", img("")},
		{"ImageMediaID", `{"to":"34600000000","type":"image","message":{"image":{"mediaId":"m_01"},"caption":"Foto"}}`, "",
			service.SendInput{To: "34600000000", Type: wagate.TypeImage, Text: "Foto", Media: &service.MediaInput{MediaID: "m_01"}}},
		{"ImagePathInferredType", `{"to":"34600000000","message":{"image":{"path":"fotos/a.jpg","mimetype":"image/jpg"}}}`, "",
			service.SendInput{To: "34600000000", Type: wagate.TypeImage, Media: &service.MediaInput{Path: "fotos/a.jpg", Mimetype: "image/jpg"}}},
		{"AudioPTT", `{"to":"34600000000","type":"audio","message":{"audio":{"url":"https://e.com/a.ogg","mimetype":"audio/ogg; codecs=opus"},"ptt":true}}`, "",
			service.SendInput{To: "34600000000", Type: wagate.TypeAudio, PTT: true, Media: &service.MediaInput{URL: "https://e.com/a.ogg", Mimetype: "audio/ogg; codecs=opus"}}},
		{"AudioPTTTopLevel", `{"to":"34600000000","type":"audio","ptt":true,"message":{"audio":{"url":"https://e.com/a.ogg"}}}`, "",
			service.SendInput{To: "34600000000", Type: wagate.TypeAudio, PTT: true, Media: &service.MediaInput{URL: "https://e.com/a.ogg"}}},
		{"AudioPTTMessageWins", `{"to":"34600000000","type":"audio","ptt":true,"message":{"audio":{"url":"https://e.com/a.mp3"},"ptt":false}}`, "",
			service.SendInput{To: "34600000000", Type: wagate.TypeAudio, Media: &service.MediaInput{URL: "https://e.com/a.mp3"}}},
		{"DocumentBaileysShape", `{"to":"34600000000","type":"document","message":{"document":{"url":"https://e.com/x"},"mimetype":"application/pdf","fileName":"Factura 12.pdf"}}`, "",
			service.SendInput{To: "34600000000", Type: wagate.TypeDocument, Media: &service.MediaInput{URL: "https://e.com/x", Mimetype: "application/pdf", Filename: "Factura 12.pdf"}}},
		{"Sticker", `{"to":"34600000000","type":"sticker","message":{"sticker":{"url":"https://e.com/s.webp","mimetype":"image/webp"}}}`, "",
			service.SendInput{To: "34600000000", Type: wagate.TypeSticker, Media: &service.MediaInput{URL: "https://e.com/s.webp", Mimetype: "image/webp"}}},
		{"LocationStrings", `{"to":"34600000000","type":"location","message":{"lat":"-90","lng":" 180 "}}`, "",
			service.SendInput{To: "34600000000", Type: wagate.TypeLocation, Location: &wagate.Location{Latitude: -90, Longitude: 180}}},
		{"ContactsSeveral", `{"to":"34600000000","type":"contacts","message":{"contacts":{"contacts":[{"vcard":"` + vcard("Ana") + `"},{"vcard":"` + vcard("Luis") + `","displayName":"Luisito"}]}}}`, "",
			service.SendInput{To: "34600000000", Type: wagate.TypeContact, Contacts: []wagate.ContactCard{card("Ana"), {DisplayName: "Luisito", VCard: card("Luis").VCard}}}},
		{"ContactsListAlone", `{"to":"34600000000","message":{"contacts":[{"vcard":"` + vcard("Ana") + `"}]}}`, "",
			service.SendInput{To: "34600000000", Type: wagate.TypeContact, Contacts: []wagate.ContactCard{card("Ana")}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			checkSendDecode(t, tc.body, tc.header, tc.want, "")
		})
	}
}

func TestDecodeSendBodyErrors(t *testing.T) {
	const to = `"to":"34600000000",`
	many := func(n int) string {
		return `[` + strings.TrimSuffix(strings.Repeat(`{"vcard":"BEGIN:VCARD\nEND:VCARD"},`, n), ",") + `]`
	}
	for _, tc := range []struct{ name, body, header, mention string }{
		{"Empty", ``, "", "JSON object with to, type and message"},
		{"NotJSON", `{"to":`, "", "not valid JSON"},
		{"Array", `[]`, "", "must be a JSON object"},
		{"ToMissing", `{"message":"Hola"}`, "", "to is required"},
		{"ToBlank", `{"to":"  ","message":"Hola"}`, "", "to is required"},
		{"ToObject", `{"to":{},"message":"Hola"}`, "", `Field "to" must be a JSON string`},
		{"ToNegative", `{"to":-34600000000,"message":"Hola"}`, "", `Field "to"`},
		{"TypeNotString", `{` + to + `"type":1,"message":"Hola"}`, "", `Field "type" must be a JSON string`},
		{"TypeUnknown", `{` + to + `"type":"poll","message":"Hola"}`, "", "text, image, video, audio, document, location, contact or sticker"},
		{"TypeReaction", `{` + to + `"type":"reaction","message":{"text":"👍"}}`, "", "type must be one of"},
		{"TypeNotInferable", `{` + to + `"message":{"caption":"x"}}`, "", "type is required"},
		{"TypeAmbiguous", `{` + to + `"message":{"image":{"url":"https://e.com/a"},"video":{"url":"https://e.com/b"}}}`, "", "type is required"},
		{"MessageMissing", `{` + to + `"type":"text"}`, "", "message is required"},
		{"MessageNumber", `{` + to + `"message":5}`, "", "message must be the text to send"},
		{"TextEmpty", `{` + to + `"message":"  "}`, "", "must not be empty"},
		{"TextTooLong", `{` + to + `"message":"` + strings.Repeat("ñ", 4097) + `"}`, "", "4097 characters long; the maximum is 4096"},
		{"TextTypeWithObject", `{` + to + `"type":"text","message":{"image":{"url":"https://e.com/a"}}}`, "", `For type text, send "message": "Hola"`},
		{"ImageWithString", `{` + to + `"type":"image","message":"https://e.com/a.jpg"}`, "", `For type image, send "message": {"image": {"url"`},
		{"ImageMissing", `{` + to + `"type":"image","message":{"caption":"x"}}`, "", "message.image must be an object"},
		{"ImageNoSource", `{` + to + `"type":"image","message":{"image":{"mimetype":"image/png"}}}`, "", "message.image needs one of url, base64, buffer, path or mediaId"},
		{"ImageTwoSources", `{` + to + `"type":"image","message":{"image":{"url":"https://e.com/a","base64":"` + seedPNGHead + `"}}}`, "", "exactly one of url, base64, buffer, path or mediaId; it has url and base64"},
		{"ImageURLScheme", `{` + to + `"type":"image","message":{"image":{"url":"file:///etc/passwd"}}}`, "", "message.image.url must be an absolute http"},
		{"ImageURLRelative", `{` + to + `"type":"image","message":{"image":{"url":"/a.jpg"}}}`, "", "message.image.url must be an absolute http"},
		{"ImageURLNotString", `{` + to + `"type":"image","message":{"image":{"url":5}}}`, "", `Field "message.image.url" must be a JSON string`},
		{"CaptionNotString", `{` + to + `"type":"image","message":{"image":{"url":"https://e.com/a"},"caption":5}}`, "", `Field "message.caption" must be a JSON string`},
		{"ImageBadBase64", `{` + to + `"type":"image","message":{"image":{"base64":"%%%%"}}}`, "", "message.image.base64 is not valid base64"},
		{"ImageBase64DataURLNotBase64", `{` + to + `"type":"image","message":{"image":{"base64":"data:image/png,abcd"}}}`, "", "data URL must be base64"},
		{"ImageBufferOutOfRange", `{` + to + `"type":"image","message":{"image":{"buffer":{"type":"Buffer","data":[1,256]}}}}`, "", "message.image.buffer.data must be an array of byte values 0-255"},
		{"ImageBufferFloat", `{` + to + `"type":"image","message":{"image":{"buffer":[1.5]}}}`, "", "array of byte values"},
		{"ImageBufferNegative", `{` + to + `"type":"image","message":{"image":{"buffer":[-1]}}}`, "", "array of byte values"},
		{"ImageBufferEmpty", `{` + to + `"type":"image","message":{"image":{"buffer":{"type":"Buffer","data":[]}}}}`, "", "is empty"},
		{"ImageBufferWrongObject", `{` + to + `"type":"image","message":{"image":{"buffer":{"type":"Blob","data":[1]}}}}`, "", "Node Buffer"},
		{"ImageGIF", `{` + to + `"type":"image","message":{"image":{"url":"https://e.com/a.gif","mimetype":"image/gif"}}}`, "", "image messages must be image/jpeg or image/png"},
		{"ImageDataURLGIF", `{` + to + `"type":"image","message":{"image":{"base64":"data:image/gif;base64,R0lGODlh"}}}`, "", "image/gif"},
		{"StickerPNG", `{` + to + `"type":"sticker","message":{"sticker":{"url":"https://e.com/a.png","mimetype":"image/png"}}}`, "", "sticker messages must be image/webp"},
		{"PTTNotOgg", `{` + to + `"type":"audio","message":{"audio":{"url":"https://e.com/a.mp3","mimetype":"audio/mpeg"},"ptt":true}}`, "", "voice note (ptt: true) must be audio/ogg"},
		{"AudioCaption", `{` + to + `"type":"audio","message":{"audio":{"url":"https://e.com/a.mp3"},"caption":"x"}}`, "", "audio messages have no caption"},
		{"CaptionTooLong", `{` + to + `"type":"image","message":{"image":{"url":"https://e.com/a"},"caption":"` + strings.Repeat("a", 1025) + `"}}`, "", "message.caption is 1025 characters long; the maximum is 1024"},
		{"FileNameSlash", `{` + to + `"type":"document","message":{"document":{"url":"https://e.com/a","fileName":"../../etc/passwd"}}}`, "", "fileName must be a plain file name"},
		{"MediaIDControl", `{` + to + `"type":"image","message":{"image":{"mediaId":"a\u0000b"}}}`, "", "mediaId must be the id"},
		{"LocationMissing", `{` + to + `"type":"location","message":{"name":"Madrid"}}`, "", "latitude and a longitude"},
		{"LocationNoLng", `{` + to + `"type":"location","message":{"location":{"degreesLatitude":40}}}`, "", "latitude and a longitude"},
		{"LatOutOfRange", `{` + to + `"type":"location","message":{"location":{"degreesLatitude":90.5,"degreesLongitude":0}}}`, "", "message.location.degreesLatitude must be between -90 and 90"},
		{"LngOutOfRange", `{` + to + `"type":"location","message":{"lat":0,"lng":-180.01}}`, "", "message.lng must be between -180 and 180"},
		{"LatNotNumber", `{` + to + `"type":"location","message":{"lat":true,"lng":0}}`, "", "message.lat must be a number"},
		{"LatNaN", `{` + to + `"type":"location","message":{"lat":"NaN","lng":0}}`, "", "message.lat must be a number"},
		{"LocationNameTooLong", `{` + to + `"type":"location","message":{"lat":1,"lng":1,"name":"` + strings.Repeat("a", 257) + `"}}`, "", "at most 256 characters"},
		{"ContactsMissing", `{` + to + `"type":"contact","message":{"displayName":"x"}}`, "", "message.contacts is required"},
		{"ContactsNone", `{` + to + `"type":"contact","message":{"contacts":{"displayName":"x","contacts":[]}}}`, "", "1 to 50 contacts"},
		{"ContactsTooMany", `{` + to + `"type":"contact","message":{"contacts":` + many(51) + `}}`, "", "1 to 50 contacts"},
		{"ContactsBadVCard", `{` + to + `"type":"contact","message":{"contacts":{"contacts":[{"vcard":"BEGIN:VCARD\nFN:x"}]}}}`, "", "contacts[0].vcard must be a vCard"},
		{"ContactsNotList", `{` + to + `"type":"contact","message":{"contacts":{"contacts":{"vcard":"x"}}}}`, "", `Field "message.contacts.contacts" must be a JSON array`},
		{"IdempotencyHeaderTooLong", `{` + to + `"message":"Hola"}`, strings.Repeat("k", 129), "Idempotency-Key header must be 1-128"},
		{"IdempotencyHeaderNonASCII", `{` + to + `"message":"Hola"}`, "clé", "Idempotency-Key header"},
		{"MessageIDTooLong", `{` + to + `"message":"Hola","messageId":"` + strings.Repeat("k", 129) + `"}`, "", "messageId must be at most 128"},
		{"MessageIDControl", `{` + to + `"message":"Hola","clientMessageId":"a\tb"}`, "", "clientMessageId must be 1-128 printable"},
		{"QuotedNotString", `{` + to + `"message":"Hola","quotedMessageId":{}}`, "", `Field "quotedMessageId"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			checkSendDecode(t, tc.body, tc.header, service.SendInput{}, tc.mention)
		})
	}
}

func TestDecodeSendBodyInlineLimit(t *testing.T) {
	over := strings.Repeat("A", (MaxInlineMediaBytes/3+1)*4)
	body := `{"to":"34600000000","type":"document","message":{"document":{"base64":"` + over + `"}}}`
	checkSendDecode(t, body, "", service.SendInput{}, "larger than 16 MiB")

	at := strings.Repeat("A", MaxInlineMediaBytes/3*4)
	in, err := decodeSendBody([]byte(`{"to":"34600000000","type":"document","message":{"document":{"base64":"`+at+`"}}}`), "")
	if err != nil || len(in.Media.Data) != MaxInlineMediaBytes/3*3 {
		t.Fatalf("at the limit: %v", err)
	}
}

// checkSendDecode decodes body and compares with want, or, when mention is set,
// expects a VALIDATION_ERROR whose message contains it.
func checkSendDecode(t *testing.T, body, header string, want service.SendInput, mention string) {
	t.Helper()
	got, err := decodeSendBody([]byte(body), header)
	if mention != "" {
		if wagate.ErrorCode(err) != wagate.EINVALID {
			t.Fatalf("decodeSendBody = %+v, %v; want VALIDATION_ERROR", got, err)
		}
		if msg := wagate.ErrorMessage(err); !strings.Contains(msg, mention) {
			t.Fatalf("message %q does not mention %q", msg, mention)
		}
		return
	}
	if err != nil {
		t.Fatalf("decodeSendBody: %v", err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("decodeSendBody =\n%s\nwant\n%s", dumpSendInput(got), dumpSendInput(want))
	}
}

func dumpSendInput(in service.SendInput) string {
	s := fmt.Sprintf("%+v", in)
	if in.Media != nil {
		s += fmt.Sprintf("\nmedia %+v", *in.Media)
	}
	if in.Location != nil {
		s += fmt.Sprintf("\nlocation %+v", *in.Location)
	}
	return s
}

func nodeByteList(b []byte) string {
	parts := make([]string, len(b))
	for i, c := range b {
		parts[i] = fmt.Sprint(c)
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

func FuzzDecodeSendBody(f *testing.F) {
	for _, tc := range seedSendExamples {
		f.Add([]byte(tc.body), "")
	}
	for _, s := range []string{
		`{"to":"1","message":{"image":{"buffer":{"type":"Buffer","data":[1,2,3]}}}}`,
		`{"to":"1","message":{"audio":{"base64":"data:audio/ogg;base64,T2dnUw=="},"ptt":true}}`,
		`{"to":"1","type":"contacts","message":{"contacts":[{"vcard":"BEGIN:VCARD\nEND:VCARD"}]}}`,
		`{"to":1,"message":{"lat":"1","lng":"2"},"messageId":3}`,
	} {
		f.Add([]byte(s), "key")
	}
	f.Fuzz(func(t *testing.T, body []byte, header string) {
		in, err := decodeSendBody(body, header)
		if err != nil {
			if wagate.ErrorCode(err) != wagate.EINVALID {
				t.Fatalf("error code %s: %v", wagate.ErrorCode(err), err)
			}
			return
		}
		if !in.Type.Sendable() || strings.TrimSpace(in.To) == "" {
			t.Fatalf("accepted with type %q, to %q", in.Type, in.To)
		}
		if len(in.IdempotencyKey) > maxClientIDLen || len(in.QuotedID) > maxClientIDLen {
			t.Fatalf("id too long: %q / %q", in.IdempotencyKey, in.QuotedID)
		}
		switch {
		case in.Type == wagate.TypeText:
			if n := utf8.RuneCountInString(in.Text); n == 0 || n > maxTextRunes {
				t.Fatalf("text of %d runes", n)
			}
		case in.Type.HasMedia():
			m := in.Media
			if m == nil || oneIf(m.URL != "")+oneIf(m.Data != nil)+oneIf(m.Path != "")+oneIf(m.MediaID != "") != 1 {
				t.Fatalf("media sources: %+v", m)
			}
			if len(m.Data) > MaxInlineMediaBytes || utf8.RuneCountInString(in.Text) > maxCaptionRunes {
				t.Fatalf("media over limits")
			}
		case in.Type == wagate.TypeLocation:
			l := in.Location
			if l == nil || l.Latitude < -90 || l.Latitude > 90 || l.Longitude < -180 || l.Longitude > 180 {
				t.Fatalf("location %+v", l)
			}
		case in.Type == wagate.TypeContact:
			if len(in.Contacts) == 0 || len(in.Contacts) > maxContacts {
				t.Fatalf("%d contacts", len(in.Contacts))
			}
		}
	})
}

func oneIf(b bool) int {
	if b {
		return 1
	}
	return 0
}
