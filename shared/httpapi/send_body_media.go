package httpapi

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"

	wagate "github.com/wagate/wagate/shared"
	"github.com/wagate/wagate/shared/mediatype"
	"github.com/wagate/wagate/shared/service"
)

// MaxInlineMediaBytes caps a file sent inline (base64 or buffer), decoded.
const MaxInlineMediaBytes = 16 << 20

type mediaBody struct {
	URL      string          `json:"url"`
	Path     string          `json:"path"`
	Base64   string          `json:"base64"`
	Buffer   json.RawMessage `json:"buffer"`
	MediaID  string          `json:"mediaId"`
	Mimetype string          `json:"mimetype"`
	FileName string          `json:"fileName"`
	Caption  string          `json:"caption"`
	Type     string          `json:"type"` // "Buffer": the object is itself a Node Buffer
	Data     json.RawMessage `json:"data"`
}

// decodeMedia reads an image, video, audio, document or sticker message:
// exactly one source, and an optional mimetype, fileName, caption and ptt.
func decodeMedia(in *service.SendInput, m *sendMessage, topPTT *bool) error {
	t := in.Type
	field := "message." + string(t)
	raw := map[wagate.MessageType]json.RawMessage{wagate.TypeImage: m.Image, wagate.TypeVideo: m.Video,
		wagate.TypeAudio: m.Audio, wagate.TypeDocument: m.Document, wagate.TypeSticker: m.Sticker}[t]
	raw = bytes.TrimSpace(raw)
	if !has(raw) || raw[0] != '{' {
		return invalid("%s must be an object with one of url, base64, buffer, path or mediaId: send %s.", field, sendExamples[t])
	}
	var mb mediaBody
	if err := json.Unmarshal(raw, &mb); err != nil {
		return fieldError(field, err)
	}
	src := &service.MediaInput{Mimetype: strings.TrimSpace(firstOf(mb.Mimetype, m.Mimetype)), Filename: strings.TrimSpace(firstOf(mb.FileName, m.FileName))}
	var sources []string
	if u := strings.TrimSpace(mb.URL); u != "" {
		sources, src.URL = append(sources, "url"), u
		if p, err := url.Parse(u); len(u) > maxRefLen || err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
			return invalid("%s.url must be an absolute http:// or https:// URL of at most %d characters.", field, maxRefLen)
		}
	}
	if mb.Base64 != "" {
		sources = append(sources, "base64")
		data, dataType, err := decodeBase64(field+".base64", mb.Base64)
		if err != nil {
			return err
		}
		src.Data, src.Mimetype = data, firstOf(src.Mimetype, dataType)
	}
	if has(mb.Buffer) || (mb.Type == "Buffer" && has(mb.Data)) {
		sources = append(sources, "buffer")
		buf, name := mb.Buffer, field+".buffer"
		if !has(buf) {
			buf, name = mb.Data, field+".data"
		}
		data, dataType, err := decodeBuffer(name, buf)
		if err != nil {
			return err
		}
		src.Data, src.Mimetype = data, firstOf(src.Mimetype, dataType)
	}
	if p := strings.TrimSpace(mb.Path); p != "" {
		sources, src.Path = append(sources, "path"), p
		if len(p) > maxRefLen || strings.ContainsRune(p, 0) {
			return invalid("%s.path must be a file path of at most %d characters.", field, maxRefLen)
		}
	}
	if id := strings.TrimSpace(mb.MediaID); id != "" {
		sources, src.MediaID = append(sources, "mediaId"), id
		if !printableID(id) {
			return invalid("%s.mediaId must be the id returned by the media upload (1-%d printable characters).", field, maxClientIDLen)
		}
	}
	switch len(sources) {
	case 0:
		return invalid("%s needs one of url, base64, buffer, path or mediaId.", field)
	case 1:
	default:
		return invalid("%s must have exactly one of url, base64, buffer, path or mediaId; it has %s and %s.", field, strings.Join(sources[:len(sources)-1], ", "), sources[len(sources)-1])
	}
	if src.Filename != "" && (utf8.RuneCountInString(src.Filename) > maxFileNameRunes || strings.ContainsAny(src.Filename, `/\`) || strings.ContainsFunc(src.Filename, unicode.IsControl)) {
		return invalid("%s.fileName must be a plain file name (no / or \\) of at most %d characters.", field, maxFileNameRunes)
	}
	if t == wagate.TypeAudio {
		in.PTT = (m.PTT != nil && *m.PTT) || (m.PTT == nil && topPTT != nil && *topPTT)
	}
	if src.Mimetype != "" {
		if err := mediatype.Check(t, src.Mimetype, in.PTT); err != nil {
			return err
		}
	}
	in.Text = firstOf(m.Caption, mb.Caption)
	if in.Text != "" && (t == wagate.TypeAudio || t == wagate.TypeSticker) {
		return invalid("%s messages have no caption: remove message.caption.", t)
	}
	if n := utf8.RuneCountInString(in.Text); n > maxCaptionRunes {
		return invalid("message.caption is %d characters long; the maximum is %d.", n, maxCaptionRunes)
	}
	in.Media = src
	return nil
}

// decodeBase64 decodes standard or URL-safe base64, padded or not, with
// line breaks, or a data URL ("data:image/png;base64,…"), whose mimetype is
// returned.
func decodeBase64(field, s string) ([]byte, string, error) {
	s = strings.TrimSpace(s)
	var dataType string
	if strings.HasPrefix(s, "data:") {
		header, payload, ok := strings.Cut(s, ",")
		if !ok || !strings.HasSuffix(header, ";base64") {
			return nil, "", invalid("%s: a data URL must be base64 encoded (data:<mimetype>;base64,<data>).", field)
		}
		dataType, s = strings.TrimSuffix(strings.TrimPrefix(header, "data:"), ";base64"), payload
	}
	if strings.ContainsAny(s, " \r\n\t") {
		s = strings.Join(strings.Fields(s), "")
	}
	if base64.RawStdEncoding.DecodedLen(len(strings.TrimRight(s, "="))) > MaxInlineMediaBytes {
		return nil, "", tooLargeInline(field)
	}
	enc := base64.StdEncoding
	if strings.ContainsAny(s, "-_") {
		enc = base64.URLEncoding
	}
	if len(s)%4 != 0 {
		enc = enc.WithPadding(base64.NoPadding)
	}
	data, err := enc.DecodeString(s)
	if err != nil {
		return nil, "", invalid("%s is not valid base64.", field)
	} else if len(data) == 0 {
		return nil, "", invalid("%s is empty.", field)
	}
	return data, dataType, nil
}

// decodeBuffer reads a buffer: base64 text, a byte array, or a Node Buffer
// as JSON.stringify writes it ({"type": "Buffer", "data": [1, 2, …]}).
func decodeBuffer(field string, raw json.RawMessage) ([]byte, string, error) {
	raw = bytes.TrimSpace(raw)
	switch raw[0] {
	case '"':
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return nil, "", invalid("%s must be base64 text or a Node Buffer.", field)
		}
		return decodeBase64(field, s)
	case '{':
		var nb struct {
			Type string          `json:"type"`
			Data json.RawMessage `json:"data"`
		}
		if json.Unmarshal(raw, &nb) == nil && nb.Type == "Buffer" && has(nb.Data) {
			return decodeBuffer(field+".data", nb.Data)
		}
	case '[':
		data, err := byteArray(field, raw)
		return data, "", err
	}
	return nil, "", invalid(`%s must be base64 text or a Node Buffer {"type": "Buffer", "data": [bytes]}.`, field)
}

// byteArray parses a JSON array of integers 0–255 (raw is valid JSON).
func byteArray(field string, raw []byte) ([]byte, error) {
	data := make([]byte, 0, min(len(raw)/2, MaxInlineMediaBytes))
	n, digits := 0, 0
	for _, c := range raw[1:] {
		switch {
		case c >= '0' && c <= '9' && n <= 255:
			n, digits = n*10+int(c-'0'), digits+1
		case (c == ',' || c == ']') && digits > 0 && n <= 255:
			if len(data) == MaxInlineMediaBytes {
				return nil, tooLargeInline(field)
			}
			data, n, digits = append(data, byte(n)), 0, 0
		case c == ']' && len(data) == 0:
		case c == ' ' || c == '\n' || c == '\r' || c == '\t':
		default:
			return nil, invalid("%s must be an array of byte values 0-255.", field)
		}
	}
	if len(data) == 0 {
		return nil, invalid("%s is empty.", field)
	}
	return data, nil
}

func tooLargeInline(field string) error {
	return invalid("%s is larger than %d MiB: send large files by url, or upload them to the media routes and send the mediaId.", field, MaxInlineMediaBytes>>20)
}
