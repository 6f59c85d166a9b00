package waengine

import (
	"go.mau.fi/whatsmeow/types"
	"go.mau.fi/whatsmeow/types/events"

	wagate "github.com/wagate/wagate/shared"
)

// Receipts, pure: whatsmeow's events.Receipt → wagate.ReceiptEvent.

// receiptStatus maps the receipt types that move our messages forward.
// The others are ignored: read-self and played-self (we read something on
// another device of ours), sender (our other devices got our message),
// retry (a recipient could not decrypt; whatsmeow resends), inactive,
// peer_msg, server-error and hist_sync.
func receiptStatus(t types.ReceiptType) (wagate.MessageStatus, bool) {
	switch t {
	case types.ReceiptTypeDelivered:
		return wagate.StatusDelivered, true
	case types.ReceiptTypeRead:
		return wagate.StatusRead, true
	case types.ReceiptTypePlayed:
		return wagate.StatusPlayed, true
	}
	return "", false
}

// convertReceipt converts a receipt from someone else about messages we
// sent; ok is false for the receipts the port does not report. Receipts
// from our own devices (IsFromMe) are about messages others sent us, which
// we read elsewhere: they are ignored too.
func convertReceipt(evt *events.Receipt, ids identities) (wagate.ReceiptEvent, bool) {
	status, ok := receiptStatus(evt.Type)
	if !ok || evt.IsFromMe || len(evt.MessageIDs) == 0 {
		return wagate.ReceiptEvent{}, false
	}
	// In a direct chat the chat is the reader, whose other address is
	// SenderAlt. (Not ids.chat: a receipt about our broadcast list message
	// belongs to the list.)
	alt := types.EmptyJID
	if evt.Chat.ToNonAD() == evt.Sender.ToNonAD() {
		alt = evt.SenderAlt
	}
	chatID, _ := ids.resolve(evt.Chat, alt)
	// Sender is who sent the receipt: the recipient in a direct chat, the
	// participant in a group. (MessageSender is the author of the
	// messages, that is us.)
	reader, _ := ids.resolve(evt.Sender, evt.SenderAlt)
	out := wagate.ReceiptEvent{
		ChatID:    chatID,
		SenderJID: reader,
		IDs:       make([]string, len(evt.MessageIDs)),
		Status:    status,
		At:        evt.Timestamp.UTC(),
	}
	for i, id := range evt.MessageIDs {
		out.IDs[i] = string(id)
	}
	return out, true
}
