package webhook

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/wagate/wagate/events"
)

// Render returns the webhook body of ev: {"event":"<type>","data":<data>},
// in that order (the seed's shape), data being ev.Data compacted. For
// message.received whose data.message.media names a file (mediaId), media.url
// is filled with mediaURL(mediaId, filename): a fresh expiring link of ours
// that needs no API key. A nil mediaURL leaves the url as it is. The same
// input always renders the same bytes.
//
// The data of message.received is re-encoded from events.MessageData when
// its url is filled, so it carries exactly the fields of that contract.
func Render(ev events.Event, mediaURL func(mediaID, filename string) (string, error)) ([]byte, error) {
	data := []byte(ev.Data)
	if len(bytes.TrimSpace(data)) == 0 {
		data = []byte("null")
	}
	if ev.Type == events.EvMessageReceived && mediaURL != nil {
		var err error
		if data, err = withMediaURL(data, mediaURL); err != nil {
			return nil, fmt.Errorf("render event %q: %w", ev.ID, err)
		}
	}
	typ, err := json.Marshal(ev.Type)
	if err != nil {
		return nil, fmt.Errorf("render event %q: %w", ev.ID, err)
	}
	var buf bytes.Buffer
	buf.Grow(len(data) + len(typ) + 20)
	buf.WriteString(`{"event":`)
	buf.Write(typ)
	buf.WriteString(`,"data":`)
	if err := json.Compact(&buf, data); err != nil {
		return nil, fmt.Errorf("render event %q: data: %w", ev.ID, err)
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}

// withMediaURL fills data.message.media.url of message.received data.
func withMediaURL(data []byte, mediaURL func(mediaID, filename string) (string, error)) ([]byte, error) {
	var md events.MessageData
	if err := json.Unmarshal(data, &md); err != nil {
		return nil, fmt.Errorf("decode message data: %w", err)
	}
	m := md.Message.Media
	if m == nil || m.MediaID == "" {
		return data, nil
	}
	url, err := mediaURL(m.MediaID, m.Filename)
	if err != nil {
		return nil, fmt.Errorf("media link of %q: %w", m.MediaID, err)
	}
	m.URL = url
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(md); err != nil {
		return nil, fmt.Errorf("encode message data: %w", err)
	}
	return bytes.TrimRight(buf.Bytes(), "\n"), nil
}
