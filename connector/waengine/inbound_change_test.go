package waengine

import (
	"testing"

	"go.mau.fi/whatsmeow/proto/waCommon"
	"go.mau.fi/whatsmeow/proto/waE2E"
	"google.golang.org/protobuf/proto"

	wagate "github.com/wagate/wagate/shared"
)

func protocol(typ waE2E.ProtocolMessage_Type, target string, edited *waE2E.Message) *waE2E.Message {
	return &waE2E.Message{ProtocolMessage: &waE2E.ProtocolMessage{
		Type:          typ.Enum(),
		Key:           &waCommon.MessageKey{RemoteJID: proto.String(alicePN.String()), FromMe: proto.Bool(true), ID: proto.String(target)},
		EditedMessage: edited,
	}}
}

func TestConvertMessage_Changes(t *testing.T) {
	change := func(f func(c *wagate.MessageChangeEvent)) wagate.MessageChangeEvent {
		c := wagate.MessageChangeEvent{ChatID: alicePN.String(), TargetID: "T1", At: msgTimeZ}
		f(&c)
		return c
	}
	tests := []struct {
		name   string
		msg    *waE2E.Message
		isEdit bool // whatsmeow's flag (set when it unwrapped an EditedMessage)
		want   wagate.EngineEvent
	}{
		{"Revoke", protocol(waE2E.ProtocolMessage_REVOKE, "T1", nil), false,
			change(func(c *wagate.MessageChangeEvent) { c.Revoked = true })},
		{"RevokeInEphemeralChat", &waE2E.Message{EphemeralMessage: wrap(protocol(waE2E.ProtocolMessage_REVOKE, "T1", nil))}, false,
			change(func(c *wagate.MessageChangeEvent) { c.Revoked = true })},
		{"EditWrapped", &waE2E.Message{EditedMessage: wrap(protocol(waE2E.ProtocolMessage_MESSAGE_EDIT, "T1", text("fixed")))}, false,
			change(func(c *wagate.MessageChangeEvent) { c.NewBody = "fixed" })},
		{"EditBare", protocol(waE2E.ProtocolMessage_MESSAGE_EDIT, "T1",
			&waE2E.Message{ExtendedTextMessage: &waE2E.ExtendedTextMessage{Text: proto.String("fixed 2")}}), false,
			change(func(c *wagate.MessageChangeEvent) { c.NewBody = "fixed 2" })},
		{"EditOfCaption", protocol(waE2E.ProtocolMessage_MESSAGE_EDIT, "T1",
			&waE2E.Message{ImageMessage: &waE2E.ImageMessage{Caption: proto.String("new caption")}}), false,
			change(func(c *wagate.MessageChangeEvent) { c.NewBody = "new caption" })},
		{"EditFlaggedByWhatsmeow", text("flagged"), true,
			wagate.MessageChangeEvent{ChatID: alicePN.String(), TargetID: "E1", NewBody: "flagged", At: msgTimeZ}},
		{"EditWithoutTargetIgnored", protocol(waE2E.ProtocolMessage_MESSAGE_EDIT, "", text("x")), false, nil},
		{"OtherProtocolIgnored", protocol(waE2E.ProtocolMessage_EPHEMERAL_SETTING, "T1", nil), false, nil},
		{"HistorySyncNotificationIgnored", &waE2E.Message{ProtocolMessage: &waE2E.ProtocolMessage{
			Type: waE2E.ProtocolMessage_HISTORY_SYNC_NOTIFICATION.Enum()}}, false, nil},
		{"KeyDistributionOnlyIgnored", &waE2E.Message{SenderKeyDistributionMessage: &waE2E.SenderKeyDistributionMessage{},
			MessageContextInfo: &waE2E.MessageContextInfo{}}, false, nil},
		{"PlaceholderIgnored", &waE2E.Message{PlaceholderMessage: &waE2E.PlaceholderMessage{}}, false, nil},
		{"PollVoteIgnored", &waE2E.Message{PollUpdateMessage: &waE2E.PollUpdateMessage{}}, false, nil},
		{"EncryptedReactionIgnored", &waE2E.Message{EncReactionMessage: &waE2E.EncReactionMessage{}}, false, nil},
		{"EmptyIgnored", &waE2E.Message{}, false, nil},
		{"NilIgnored", nil, false, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			evt := fromAlice("E1", tt.msg)
			evt.IsEdit = tt.isEdit
			assertInbound(t, convertMessage(evt, testIdentities(), false), tt.want, nil)
		})
	}
}

func TestConvertMessage_History(t *testing.T) {
	t.Run("Message", func(t *testing.T) {
		got := convertMessage(fromAlice("H1", text("old")), testIdentities(), true)
		assertInbound(t, got, wagate.MessageEvent{Message: aliceMsg("H1", func(m *wagate.Message) {
			m.Type, m.Body, m.History = wagate.TypeText, "old", true
		})}, nil)
	})
	t.Run("EditedKeepsItsContent", func(t *testing.T) {
		// ParseWebMessage gives an edit the original id and the new content.
		evt := fromAlice("H2", text("new text"))
		evt.IsEdit = true
		got := convertMessage(evt, testIdentities(), true)
		assertInbound(t, got, wagate.MessageEvent{Message: aliceMsg("H2", func(m *wagate.Message) {
			m.Type, m.Body, m.History, m.Edited = wagate.TypeText, "new text", true, true
		})}, nil)
	})
	t.Run("RevokeSkipped", func(t *testing.T) {
		got := convertMessage(fromAlice("H3", protocol(waE2E.ProtocolMessage_REVOKE, "T1", nil)), testIdentities(), true)
		assertInbound(t, got, nil, nil)
	})
}
