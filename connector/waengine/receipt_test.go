package waengine

import (
	"reflect"
	"testing"

	"go.mau.fi/whatsmeow/types"
	"go.mau.fi/whatsmeow/types/events"

	wagate "github.com/wagate/wagate/shared"
)

func TestConvertReceipt(t *testing.T) {
	receipt := func(typ types.ReceiptType, src types.MessageSource, ids ...types.MessageID) *events.Receipt {
		return &events.Receipt{MessageSource: src, MessageIDs: ids, Timestamp: msgTime, Type: typ, MessageSender: testOwnJID.ToNonAD()}
	}
	direct := types.MessageSource{Chat: alicePN, Sender: device(alicePN, 1), SenderAlt: device(aliceLID, 1)}
	directLID := types.MessageSource{Chat: aliceLID, Sender: aliceLID, SenderAlt: alicePN}
	inGroup := types.MessageSource{Chat: testGroup, Sender: device(bobLID, 2), IsGroup: true, AddressingMode: types.AddressingModeLID}
	fromMe := types.MessageSource{Chat: alicePN, Sender: device(testOwnJID, 3), IsFromMe: true}
	want := func(chat string, reader string, status wagate.MessageStatus, ids ...string) wagate.ReceiptEvent {
		return wagate.ReceiptEvent{ChatID: chat, SenderJID: reader, IDs: ids, Status: status, At: msgTimeZ}
	}
	tests := []struct {
		name string
		evt  *events.Receipt
		want *wagate.ReceiptEvent
	}{
		{"Delivered", receipt(types.ReceiptTypeDelivered, direct, "M1"),
			new(want(alicePN.String(), alicePN.String(), wagate.StatusDelivered, "M1"))},
		{"ReadSeveral", receipt(types.ReceiptTypeRead, direct, "M1", "M2", "M3"),
			new(want(alicePN.String(), alicePN.String(), wagate.StatusRead, "M1", "M2", "M3"))},
		{"Played", receipt(types.ReceiptTypePlayed, direct, "M1"),
			new(want(alicePN.String(), alicePN.String(), wagate.StatusPlayed, "M1"))},
		{"LIDChatWithPhoneAlternative", receipt(types.ReceiptTypeRead, directLID, "M1"),
			new(want(alicePN.String(), alicePN.String(), wagate.StatusRead, "M1"))},
		{"GroupReaderFromStore", receipt(types.ReceiptTypeRead, inGroup, "M1"),
			new(want(testGroup.String(), bobPN.String(), wagate.StatusRead, "M1"))},
		{"ReadSelfIgnored", receipt(types.ReceiptTypeReadSelf, direct, "M1"), nil},
		{"PlayedSelfIgnored", receipt(types.ReceiptTypePlayedSelf, direct, "M1"), nil},
		{"SenderIgnored", receipt(types.ReceiptTypeSender, fromMe, "M1"), nil},
		{"RetryIgnored", receipt(types.ReceiptTypeRetry, direct, "M1"), nil},
		{"InactiveIgnored", receipt(types.ReceiptTypeInactive, direct, "M1"), nil},
		{"PeerMsgIgnored", receipt(types.ReceiptTypePeerMsg, fromMe, "M1"), nil},
		{"ServerErrorIgnored", receipt(types.ReceiptTypeServerError, direct, "M1"), nil},
		{"HistSyncIgnored", receipt(types.ReceiptTypeHistorySync, fromMe, "M1"), nil},
		{"OwnDeviceReadIgnored", receipt(types.ReceiptTypeRead, fromMe, "M1"), nil},
		{"NoIDsIgnored", receipt(types.ReceiptTypeRead, direct), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := convertReceipt(tt.evt, testIdentities())
			if tt.want == nil {
				if ok {
					t.Errorf("got %#v, want none", got)
				}
				return
			}
			if !ok || !reflect.DeepEqual(got, *tt.want) {
				t.Errorf("got %#v (%v)\nwant %#v", got, ok, *tt.want)
			}
		})
	}
}
