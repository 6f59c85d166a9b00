package sqlite

import (
	"database/sql"
	"encoding/json"
	"fmt"

	wagate "github.com/wagate/wagate/shared"
)

// The structured parts of messages and statuses are stored as JSON documents
// with their own tags, so renaming a Go field never breaks stored rows. A
// nil part is SQL NULL.

type mediaDoc struct {
	BlobKey   string `json:"blobKey,omitempty"`
	SourceURL string `json:"sourceUrl,omitempty"`
	Filename  string `json:"filename,omitempty"`
	Mimetype  string `json:"mimetype,omitempty"`
	Size      int64  `json:"size,omitempty"`
	PTT       bool   `json:"ptt,omitempty"`
	Width     int    `json:"width,omitempty"`
	Height    int    `json:"height,omitempty"`
	Seconds   int    `json:"seconds,omitempty"`
	Caption   string `json:"caption,omitempty"`
}

type locationDoc struct {
	Latitude  float64 `json:"lat"`
	Longitude float64 `json:"lng"`
	Name      string  `json:"name,omitempty"`
	Address   string  `json:"address,omitempty"`
	URL       string  `json:"url,omitempty"`
}

type contactDoc struct {
	DisplayName string `json:"displayName,omitempty"`
	VCard       string `json:"vcard,omitempty"`
}

type reactionDoc struct {
	TargetID     string `json:"targetId,omitempty"`
	TargetChatID string `json:"targetChatId,omitempty"`
	TargetFromMe bool   `json:"targetFromMe,omitempty"`
	Text         string `json:"text,omitempty"`
}

// encodeMedia returns the media column of m.
func encodeMedia(m *wagate.Media) (sql.NullString, error) {
	if m == nil {
		return sql.NullString{}, nil
	}
	return encodeDoc("media", mediaDoc(*m))
}

func decodeMedia(s sql.NullString) (*wagate.Media, error) {
	var d *mediaDoc
	if err := decodeDoc("media", s, &d); err != nil || d == nil {
		return nil, err
	}
	m := wagate.Media(*d)
	return &m, nil
}

func encodeLocation(l *wagate.Location) (sql.NullString, error) {
	if l == nil {
		return sql.NullString{}, nil
	}
	return encodeDoc("location", locationDoc(*l))
}

func decodeLocation(s sql.NullString) (*wagate.Location, error) {
	var d *locationDoc
	if err := decodeDoc("location", s, &d); err != nil || d == nil {
		return nil, err
	}
	l := wagate.Location(*d)
	return &l, nil
}

// encodeContacts stores an empty list as NULL; it reads back as nil.
func encodeContacts(cs []wagate.ContactCard) (sql.NullString, error) {
	if len(cs) == 0 {
		return sql.NullString{}, nil
	}
	docs := make([]contactDoc, len(cs))
	for i, c := range cs {
		docs[i] = contactDoc(c)
	}
	return encodeDoc("contacts", docs)
}

func decodeContacts(s sql.NullString) ([]wagate.ContactCard, error) {
	var docs []contactDoc
	if err := decodeDoc("contacts", s, &docs); err != nil || len(docs) == 0 {
		return nil, err
	}
	cs := make([]wagate.ContactCard, len(docs))
	for i, d := range docs {
		cs[i] = wagate.ContactCard(d)
	}
	return cs, nil
}

func encodeReaction(r *wagate.Reaction) (sql.NullString, error) {
	if r == nil {
		return sql.NullString{}, nil
	}
	return encodeDoc("reaction", reactionDoc(*r))
}

func decodeReaction(s sql.NullString) (*wagate.Reaction, error) {
	var d *reactionDoc
	if err := decodeDoc("reaction", s, &d); err != nil || d == nil {
		return nil, err
	}
	r := wagate.Reaction(*d)
	return &r, nil
}

func encodeDoc(what string, v any) (sql.NullString, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return sql.NullString{}, fmt.Errorf("encode %s: %w", what, err)
	}
	return sql.NullString{String: string(b), Valid: true}, nil
}

// decodeDoc leaves dst alone for NULL.
func decodeDoc(what string, s sql.NullString, dst any) error {
	if !s.Valid || s.String == "" {
		return nil
	}
	if err := json.Unmarshal([]byte(s.String), dst); err != nil {
		return fmt.Errorf("decode %s: %w", what, err)
	}
	return nil
}
