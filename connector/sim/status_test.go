package sim_test

import (
	"reflect"
	"testing"
	"time"

	wagate "github.com/wagate/wagate/shared"
)

const statusChat = "status@broadcast"

func TestPostStatus(t *testing.T) {
	style := wagate.StatusStyle{BackgroundARGB: 0xFF112233, TextARGB: 0xFFFFFFFF, Font: 2}
	tests := []struct {
		name  string
		m     *wagate.Message
		media []byte
		want  *wagate.StatusStyle // recorded style; nil: refused
		code  string
	}{
		{"Text", textTo(statusChat, "3EB0S1", "hola"), nil, &style, ""},
		{"Image", &wagate.Message{WhatsAppID: "3EB0S2", ChatID: statusChat, Type: wagate.TypeImage, Body: "pic", Media: &wagate.Media{Mimetype: "image/png"}},
			[]byte("png"), &wagate.StatusStyle{}, ""},
		{"ErrChat", textTo(bobJID, "3EB0S3", "hola"), nil, nil, wagate.EINVALID},
		{"ErrType", &wagate.Message{WhatsAppID: "3EB0S4", ChatID: statusChat, Type: wagate.TypeAudio, Media: &wagate.Media{}}, []byte("ogg"), nil, wagate.EINVALID},
		{"ErrNoText", textTo(statusChat, "3EB0S5", ""), nil, nil, wagate.EINVALID},
		{"ErrNoBytes", &wagate.Message{WhatsAppID: "3EB0S6", ChatID: statusChat, Type: wagate.TypeVideo}, nil, nil, wagate.EINVALID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := MustOpenNetwork(t, fastOptions())
			c, _, _ := pairedSession(t, n, "s1", ana)
			poster := c.(wagate.StatusPoster)
			ts, err := poster.PostStatus(t.Context(), tt.m, style, tt.media)
			wantCode(t, err, tt.code)
			sent := n.Sent("s1")
			if tt.want == nil {
				if len(sent) != 0 {
					t.Fatalf("refused status recorded: %+v", sent)
				}
				return
			}
			if ts.IsZero() || len(sent) != 1 || sent[0].ChatID != statusChat || sent[0].Body != tt.m.Body || !reflect.DeepEqual(sent[0].Style, tt.want) {
				t.Fatalf("recorded %+v (style %+v), want style %+v", sent, sent[0].Style, tt.want)
			}
		})
	}
}

func TestSendRefusesStatusChat(t *testing.T) {
	n := MustOpenNetwork(t, fastOptions())
	c, _, _ := pairedSession(t, n, "s1", ana)
	_, err := c.Send(t.Context(), textTo(statusChat, "3EB0X", "hola"), nil)
	wantCode(t, err, wagate.EINVALID)
}

func TestReads(t *testing.T) {
	n := MustOpenNetwork(t, fastOptions())
	c, _, _ := pairedSession(t, n, "s1", ana)
	at := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	if err := c.MarkRead(t.Context(), statusChat, bobJID, []string{"ST1"}, at); err != nil {
		t.Fatal(err)
	}
	got, err := n.Reads(t.Context(), "s1")
	want := []wagate.SimRead{{ChatID: statusChat, SenderJID: bobJID, IDs: []string{"ST1"}, At: at}}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("Reads = %+v, %v; want %+v", got, err, want)
	}
	if got, _ := n.Reads(t.Context(), "other"); len(got) != 0 {
		t.Fatalf("another session's reads: %+v", got)
	}
}
