package httpapi

import (
	"bytes"
	"encoding/json"
	"net/url"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	wagate "github.com/wagate/wagate/shared"
	"github.com/wagate/wagate/shared/service"
)

// statusBody is the body of POST /api/status/sessions/{sessionId}: a text
// status {type: "text", text|caption, backgroundColor?, textColor?, font?}
// or a media status {type: "image"|"video", mediaUrl|base64|mediaId,
// caption?, mimetype?, fileName?}.
type statusBody struct {
	Type            string `json:"type"`
	Text            string `json:"text"`
	Caption         string `json:"caption"`
	BackgroundColor string `json:"backgroundColor"`
	TextColor       string `json:"textColor"`
	Font            *int   `json:"font"`
	MediaURL        string `json:"mediaUrl"`
	Base64          string `json:"base64"`
	MediaID         string `json:"mediaId"`
	Mimetype        string `json:"mimetype"`
	FileName        string `json:"fileName"`
}

const statusExamples = `{"type": "text", "text": "Hola", "backgroundColor": "#128C7E", "font": 1} or {"type": "image", "mediaUrl": "https://example.com/photo.jpg", "caption": "…"}`

// decodeStatusBody checks the shape of a status body and returns the
// status to post; the service checks what depends on the type (lengths,
// font range, file type). Returns EINVALID.
func decodeStatusBody(raw []byte, idempotencyKey string) (service.StatusInput, error) {
	var in service.StatusInput
	if len(bytes.TrimSpace(raw)) == 0 {
		return in, invalid("The request body must be a JSON object, e.g. %s.", statusExamples)
	}
	var b statusBody
	if err := json.Unmarshal(raw, &b); err != nil {
		return in, jsonError(err)
	}
	if b.Text != "" && b.Caption != "" && b.Text != b.Caption {
		return in, invalid("Give the text in text or caption, not both.")
	}
	in.Text, in.IdempotencyKey = firstOf(b.Text, b.Caption), strings.TrimSpace(idempotencyKey)
	if len(in.IdempotencyKey) > maxClientIDLen {
		return in, invalid("Idempotency-Key must be at most %d characters.", maxClientIDLen)
	}
	media, err := statusMedia(&b)
	if err != nil {
		return in, err
	}
	switch t := strings.ToLower(strings.TrimSpace(b.Type)); {
	case t != "":
		in.Type = wagate.MessageType(t)
	case media != nil:
		return in, invalid("type is required for a status with a file: image or video.")
	default:
		in.Type = wagate.TypeText
	}
	if in.Type == wagate.TypeText {
		if media != nil {
			return in, invalid("A text status has no file: remove mediaUrl/base64/mediaId, or use type image or video.")
		}
		if in.Style, err = statusStyle(&b); err != nil {
			return in, err
		}
	} else if b.BackgroundColor != "" || b.TextColor != "" || b.Font != nil {
		return in, invalid("backgroundColor, textColor and font apply to text statuses only.")
	}
	in.Media = media
	return in, nil
}

// statusMedia reads the one file source of a media status (nil for none).
func statusMedia(b *statusBody) (*service.MediaInput, error) {
	src := &service.MediaInput{Mimetype: strings.TrimSpace(b.Mimetype), Filename: strings.TrimSpace(b.FileName)}
	var sources []string
	if u := strings.TrimSpace(b.MediaURL); u != "" {
		sources, src.URL = append(sources, "mediaUrl"), u
		if p, err := url.Parse(u); len(u) > maxRefLen || err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
			return nil, invalid("mediaUrl must be an absolute http:// or https:// URL of at most %d characters.", maxRefLen)
		}
	}
	if b.Base64 != "" {
		sources = append(sources, "base64")
		data, dataType, err := decodeBase64("base64", b.Base64)
		if err != nil {
			return nil, err
		}
		src.Data, src.Mimetype = data, firstOf(src.Mimetype, dataType)
	}
	if id := strings.TrimSpace(b.MediaID); id != "" {
		sources, src.MediaID = append(sources, "mediaId"), id
		if !printableID(id) {
			return nil, invalid("mediaId must be the id returned by the media upload (1-%d printable characters).", maxClientIDLen)
		}
	}
	switch len(sources) {
	case 0:
		if src.Mimetype != "" || src.Filename != "" {
			return nil, invalid("mimetype and fileName describe a file: give it as mediaUrl, base64 or mediaId.")
		}
		return nil, nil
	case 1:
	default:
		return nil, invalid("A status has one file: give only one of mediaUrl, base64 or mediaId (got %s).", strings.Join(sources, " and "))
	}
	if src.Filename != "" && (utf8.RuneCountInString(src.Filename) > maxFileNameRunes || strings.ContainsAny(src.Filename, `/\`) || strings.ContainsFunc(src.Filename, unicode.IsControl)) {
		return nil, invalid("fileName must be a plain file name (no / or \\) of at most %d characters.", maxFileNameRunes)
	}
	return src, nil
}

// statusStyle reads the look of a text status; zero colours take the
// service's defaults.
func statusStyle(b *statusBody) (wagate.StatusStyle, error) {
	var st wagate.StatusStyle
	var err error
	if st.BackgroundARGB, err = parseColor("backgroundColor", b.BackgroundColor); err != nil {
		return st, err
	}
	if st.TextARGB, err = parseColor("textColor", b.TextColor); err != nil {
		return st, err
	}
	if b.Font != nil {
		if *b.Font < 0 || *b.Font > wagate.MaxStatusFont {
			return st, invalid("font must be a number from 0 to %d.", wagate.MaxStatusFont)
		}
		st.Font = *b.Font
	}
	return st, nil
}

// parseColor reads "#RRGGBB" (opaque) or "#AARRGGBB", the '#' optional, as
// 0xAARRGGBB; "" is 0 (the default).
func parseColor(field, v string) (uint32, error) {
	s := strings.TrimPrefix(strings.TrimSpace(v), "#")
	if s == "" {
		return 0, nil
	}
	n, err := strconv.ParseUint(s, 16, 32)
	if err != nil || (len(s) != 6 && len(s) != 8) {
		return 0, invalid("%s must be a colour like #128C7E (or #AARRGGBB with alpha).", field)
	}
	if len(s) == 6 {
		n |= 0xFF000000
	}
	if n>>24 == 0 {
		return 0, invalid("%s is fully transparent (alpha 00): use #RRGGBB for an opaque colour.", field)
	}
	return uint32(n), nil
}
