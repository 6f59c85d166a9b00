package dynamo

// Non-key attributes that indexes project or that expressions name. The
// item structs (…_item.go) carry the same names in their dynamodbav tags.
const (
	aID          = "id"   // numeric id (sessions, messages, statuses); string id (media, deliveries)
	aSessionID   = "sid"  // sessionId of the owner
	aType        = "ty"   // message type
	aFromMe      = "fm"   // message direction
	aMsgStatus   = "ms"   // message status
	aRank        = "rk"   // wagate.MessageStatus.Rank of ms: only ever grows
	aSeen        = "seen" // inbound message marked read
	aStatus      = "st"   // session or delivery status
	aAutoConnect = "ac"   // session autoConnect
	aVersion     = "ver"  // session version (optimistic locking)
	aEventType   = "et"   // delivery event type
	aExpires     = "exp"  // status expiry
	aTTL         = "ttl"  // TableSpec.TTLAttribute: expiry in epoch seconds
	aN           = "n"    // counter value
	aWaID        = "waId" // WhatsApp id (aliases point at messages and statuses with it)
	aChat        = "chat" // chat JID
	aUpdatedAt   = "updatedAt"
	aDeliveredAt = "deliveredAt"
	aNext        = "next"   // delivery: next attempt
	aLease       = "lease"  // delivery: end of the claim's lease
	aAttempts    = "att"    // delivery: attempts of this round
	aLogged      = "logged" // delivery: attempts logged in all (numbers the attempt log)
	aLastURL     = "lastUrl"
	aLastCode    = "lastCode"
	aLastError   = "lastError"

	// Chat items.
	aChatName   = "name"
	aChatGroup  = "grp"
	aChatUnread = "unread"
	aChatTotal  = "total"
	aChatLastSK = "lastSk" // sort key (timestamp#id) of the last message
	aChatLastWa = "lastWa" // WhatsApp id of the last message
)

// Attributes of a session's message counter item (skMsgCount).
const (
	cAll    = "all"    // every message
	cUnread = "unread" // inbound, not seen, not from history
	cSent   = "fm1"    // fromMe
	cRecv   = "fm0"    // not fromMe
)

// cType is the counter of one message type.
func cType(t string) string { return "ty_" + t }
