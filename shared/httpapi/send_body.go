package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	wagate "github.com/wagate/wagate/shared"
	"github.com/wagate/wagate/shared/service"
)

// Limits of the send body.
const (
	maxTextRunes     = 4096
	maxCaptionRunes  = 1024
	maxContacts      = 50
	maxVCardBytes    = 256 << 10
	maxNameRunes     = 256  // displayName, location name and address
	maxFileNameRunes = 255  // fileName
	maxClientIDLen   = 128  // idempotency key, quotedMessageId, mediaId
	maxRefLen        = 4096 // to, url, path
)

const sendTypes = "text, image, video, audio, document, location, contact or sticker"

// sendExamples show, per type, the message object the client should send.
var sendExamples = map[wagate.MessageType]string{
	wagate.TypeText:     `"message": "Hola"`,
	wagate.TypeImage:    `"message": {"image": {"url": "https://example.com/photo.jpg"}, "caption": "…"}`,
	wagate.TypeVideo:    `"message": {"video": {"url": "https://example.com/clip.mp4"}, "caption": "…"}`,
	wagate.TypeAudio:    `"message": {"audio": {"url": "https://example.com/audio.mp3"}, "ptt": false}`,
	wagate.TypeDocument: `"message": {"document": {"url": "https://example.com/file.pdf", "fileName": "file.pdf", "mimetype": "application/pdf"}}`,
	wagate.TypeSticker:  `"message": {"sticker": {"url": "https://example.com/sticker.webp"}}`,
	wagate.TypeLocation: `"message": {"location": {"degreesLatitude": 40.4168, "degreesLongitude": -3.7038}} or "message": {"lat": 40.4168, "lng": -3.7038}`,
	wagate.TypeContact:  `"message": {"contacts": {"displayName": "…", "contacts": [{"vcard": "BEGIN:VCARD…END:VCARD"}]}}`,
}

type sendBody struct {
	To              json.RawMessage `json:"to"`
	Type            string          `json:"type"`
	Message         json.RawMessage `json:"message"`
	PTT             *bool           `json:"ptt"`
	MessageID       json.RawMessage `json:"messageId"`
	ClientMessageID json.RawMessage `json:"clientMessageId"`
	QuotedMessageID json.RawMessage `json:"quotedMessageId"`
}

type sendMessage struct {
	Text     *string         `json:"text"`
	Caption  string          `json:"caption"`
	PTT      *bool           `json:"ptt"`
	Mimetype string          `json:"mimetype"`
	FileName string          `json:"fileName"`
	Image    json.RawMessage `json:"image"`
	Video    json.RawMessage `json:"video"`
	Audio    json.RawMessage `json:"audio"`
	Document json.RawMessage `json:"document"`
	Sticker  json.RawMessage `json:"sticker"`
	Location *struct {
		Lat     json.RawMessage `json:"degreesLatitude"`
		Lng     json.RawMessage `json:"degreesLongitude"`
		Name    string          `json:"name"`
		Address string          `json:"address"`
	} `json:"location"`
	Lat      json.RawMessage `json:"lat"`
	Lng      json.RawMessage `json:"lng"`
	Name     string          `json:"name"`
	Address  string          `json:"address"`
	Contacts json.RawMessage `json:"contacts"`
}

type contactEntry struct {
	VCard       string `json:"vcard"`
	DisplayName string `json:"displayName"`
}

// decodeSendBody decodes the seed's send body forms into a SendInput and
// checks their shape; `to` is normalised later, by the service. The
// Idempotency-Key header wins over a messageId / clientMessageId in the
// body. Returns EINVALID.
func decodeSendBody(raw []byte, idempotencyHeader string) (service.SendInput, error) {
	var in service.SendInput
	if len(bytes.TrimSpace(raw)) == 0 {
		return in, invalid(`The request body must be a JSON object with to, type and message, e.g. {"to": "34600000000", "type": "text", "message": "Hola"}.`)
	}
	var b sendBody
	if err := json.Unmarshal(raw, &b); err != nil {
		return in, jsonError(err)
	}
	var err error
	if in.To, err = textField(b.To, "to", maxRefLen); err != nil {
		return in, err
	} else if in.To == "" {
		return in, invalid("to is required: a phone number with country code (e.g. 34600000000) or a JID such as 34600000000@s.whatsapp.net.")
	}
	if in.IdempotencyKey, err = idempotencyKey(idempotencyHeader, &b); err != nil {
		return in, err
	}
	if in.QuotedID, err = clientID(b.QuotedMessageID, "quotedMessageId"); err != nil {
		return in, err
	}
	msg := bytes.TrimSpace(b.Message)
	var m sendMessage
	isText := len(msg) > 0 && msg[0] == '"'
	switch {
	case len(msg) == 0 || string(msg) == "null":
		return in, invalid(`message is required: the text to send (e.g. "message": "Hola"), or for other types an object (e.g. %s).`, sendExamples[wagate.TypeImage])
	case isText:
	case msg[0] == '{':
		if err := json.Unmarshal(msg, &m); err != nil {
			return in, fieldError("message", err)
		}
	default:
		return in, invalid("message must be the text to send (a string) or, for other types, an object (e.g. %s).", sendExamples[wagate.TypeImage])
	}
	if in.Type, err = sendType(b.Type, isText, &m); err != nil {
		return in, err
	}
	if wantText := in.Type == wagate.TypeText; wantText && !isText && m.Text == nil || !wantText && isText {
		return in, invalid("For type %s, send %s.", in.Type, sendExamples[in.Type])
	}
	switch in.Type {
	case wagate.TypeText:
		err = decodeText(&in, msg, &m)
	case wagate.TypeLocation:
		err = decodeLocation(&in, &m)
	case wagate.TypeContact:
		err = decodeContacts(&in, m.Contacts)
	default:
		err = decodeMedia(&in, &m, b.PTT)
	}
	return in, err
}

// sendType reads type, or infers it from the message when absent.
func sendType(given string, isText bool, m *sendMessage) (wagate.MessageType, error) {
	s := strings.ToLower(strings.TrimSpace(given))
	if s == "contacts" {
		s = string(wagate.TypeContact)
	}
	if s == "" {
		if isText {
			return wagate.TypeText, nil
		}
		var found []wagate.MessageType
		for t, present := range map[wagate.MessageType]bool{
			wagate.TypeText: m.Text != nil, wagate.TypeImage: has(m.Image), wagate.TypeVideo: has(m.Video),
			wagate.TypeAudio: has(m.Audio), wagate.TypeDocument: has(m.Document), wagate.TypeSticker: has(m.Sticker),
			wagate.TypeLocation: m.Location != nil || has(m.Lat) || has(m.Lng), wagate.TypeContact: has(m.Contacts),
		} {
			if present {
				found = append(found, t)
			}
		}
		if len(found) != 1 {
			return "", invalid("type is required: one of %s.", sendTypes)
		}
		return found[0], nil
	}
	if t := wagate.MessageType(s); t.Sendable() {
		return t, nil
	}
	return "", invalid("type must be one of %s; got %s.", sendTypes, echo(given))
}

func decodeText(in *service.SendInput, msg []byte, m *sendMessage) error {
	if m.Text != nil {
		in.Text = *m.Text
	} else if err := json.Unmarshal(msg, &in.Text); err != nil {
		return jsonError(err)
	}
	if strings.TrimSpace(in.Text) == "" {
		return invalid(`message must not be empty: send the text, e.g. "message": "Hola".`)
	}
	if n := utf8.RuneCountInString(in.Text); n > maxTextRunes {
		return invalid("message is %d characters long; the maximum is %d.", n, maxTextRunes)
	}
	return nil
}

func decodeLocation(in *service.SendInput, m *sendMessage) error {
	lat, lng, name, address, field := m.Lat, m.Lng, m.Name, m.Address, "message"
	if l := m.Location; l != nil {
		lat, lng, name, address, field = l.Lat, l.Lng, firstOf(l.Name, m.Name), firstOf(l.Address, m.Address), "message.location"
	}
	if !has(lat) || !has(lng) {
		return invalid("message needs a latitude and a longitude: send %s.", sendExamples[wagate.TypeLocation])
	}
	la, err := coordinate(lat, field, "degreesLatitude", "lat", 90)
	if err != nil {
		return err
	}
	lo, err := coordinate(lng, field, "degreesLongitude", "lng", 180)
	if err != nil {
		return err
	}
	if utf8.RuneCountInString(name) > maxNameRunes || utf8.RuneCountInString(address) > maxNameRunes {
		return invalid("The location name and address must be at most %d characters each.", maxNameRunes)
	}
	in.Location = &wagate.Location{Latitude: la, Longitude: lo, Name: name, Address: address}
	return nil
}

// coordinate reads a latitude or longitude, a JSON number or numeric text,
// and checks it lies within ±limit.
func coordinate(raw json.RawMessage, field, full, short string, limit float64) (float64, error) {
	name := field + "." + short
	if field != "message" {
		name = field + "." + full
	}
	s := strings.Trim(string(bytes.TrimSpace(raw)), `"`)
	v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, invalid("%s must be a number.", name)
	} else if v < -limit || v > limit {
		return 0, invalid("%s must be between -%g and %g; got %g.", name, limit, limit, v)
	}
	return v, nil
}

func decodeContacts(in *service.SendInput, raw json.RawMessage) error {
	var body struct {
		DisplayName string         `json:"displayName"`
		Contacts    []contactEntry `json:"contacts"`
	}
	raw = bytes.TrimSpace(raw)
	var err error
	switch {
	case !has(raw):
		return invalid("message.contacts is required: send %s.", sendExamples[wagate.TypeContact])
	case raw[0] == '[': // the list alone
		err = json.Unmarshal(raw, &body.Contacts)
	default:
		err = json.Unmarshal(raw, &body)
	}
	if err != nil {
		return fieldError("message.contacts", err)
	}
	if len(body.Contacts) == 0 || len(body.Contacts) > maxContacts {
		return invalid("message.contacts.contacts must list 1 to %d contacts, each {\"vcard\": \"BEGIN:VCARD…END:VCARD\"}.", maxContacts)
	}
	in.ContactsName = strings.TrimSpace(body.DisplayName)
	if utf8.RuneCountInString(in.ContactsName) > maxNameRunes {
		return invalid("message.contacts.displayName must be at most %d characters.", maxNameRunes)
	}
	for i, c := range body.Contacts {
		v := strings.TrimSpace(c.VCard)
		if len(v) > maxVCardBytes || !strings.HasPrefix(strings.ToUpper(v), "BEGIN:VCARD") || !strings.HasSuffix(strings.ToUpper(v), "END:VCARD") {
			return invalid("message.contacts.contacts[%d].vcard must be a vCard of at most %d KiB, from BEGIN:VCARD to END:VCARD.", i, maxVCardBytes>>10)
		}
		name := firstOf(strings.TrimSpace(c.DisplayName), vcardName(v))
		in.Contacts = append(in.Contacts, wagate.ContactCard{DisplayName: name, VCard: v})
	}
	return nil
}

// vcardName returns the formatted name (FN) of a vCard.
func vcardName(v string) string {
	for _, line := range strings.Split(v, "\n") {
		line = strings.TrimSpace(line)
		if u := strings.ToUpper(line); strings.HasPrefix(u, "FN:") || strings.HasPrefix(u, "FN;") {
			_, name, _ := strings.Cut(line, ":")
			return strings.TrimSpace(name)
		}
	}
	return ""
}

// idempotencyKey takes the Idempotency-Key header, else a client message id
// in the body.
func idempotencyKey(header string, b *sendBody) (string, error) {
	if h := strings.TrimSpace(header); h != "" {
		if !printableID(h) {
			return "", invalid("The Idempotency-Key header must be 1-%d printable ASCII characters (e.g. a UUID).", maxClientIDLen)
		}
		return h, nil
	}
	if id, err := clientID(b.MessageID, "messageId"); id != "" || err != nil {
		return id, err
	}
	return clientID(b.ClientMessageID, "clientMessageId")
}

// clientID reads an optional id field: text or a number, printable ASCII.
func clientID(raw json.RawMessage, name string) (string, error) {
	id, err := textField(raw, name, maxClientIDLen)
	if err == nil && id != "" && !printableID(id) {
		err = invalid("%s must be 1-%d printable ASCII characters.", name, maxClientIDLen)
	}
	return id, err
}

// textField reads an optional JSON string or number as trimmed text.
func textField(raw json.RawMessage, name string, maxLen int) (string, error) {
	raw = bytes.TrimSpace(raw)
	if !has(raw) {
		return "", nil
	}
	var s string
	if raw[0] == '"' {
		if err := json.Unmarshal(raw, &s); err != nil {
			return "", invalid("Field %q must be a JSON string.", name)
		}
	} else if _, err := strconv.ParseFloat(string(raw), 64); err == nil && raw[0] != '-' {
		s = string(raw)
	} else {
		return "", invalid("Field %q must be a JSON string.", name)
	}
	if s = strings.TrimSpace(s); len(s) > maxLen {
		return "", invalid("%s must be at most %d characters.", name, maxLen)
	}
	return s, nil
}

func printableID(s string) bool {
	if s == "" || len(s) > maxClientIDLen {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			return false
		}
	}
	return true
}

// fieldError names a nested field in a JSON type error.
func fieldError(prefix string, err error) error {
	var typeErr *json.UnmarshalTypeError
	if errors.As(err, &typeErr) {
		field := prefix
		if typeErr.Field != "" {
			field += "." + typeErr.Field
		}
		return invalid("Field %q must be a JSON %s.", field, jsonKind(typeErr.Type.Kind().String()))
	}
	return jsonError(err)
}

// has reports whether a raw JSON value is present and not null.
func has(raw json.RawMessage) bool {
	raw = bytes.TrimSpace(raw)
	return len(raw) > 0 && string(raw) != "null"
}

func firstOf(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func invalid(format string, args ...any) error {
	return wagate.Errorf(wagate.EINVALID, format, args...)
}

// echo quotes at most 64 bytes of a client's input for an error message.
func echo(s string) string {
	if len(s) > 64 {
		s = strings.ToValidUTF8(s[:64], "") + "…"
	}
	return strconv.Quote(s)
}
