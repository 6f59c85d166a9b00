package dynamo

// Non-key attributes that indexes project or that expressions name. The
// item structs (…_item.go) carry the same names in their dynamodbav tags.
const (
	aID          = "id"   // numeric id (sessions, messages, statuses); string id (media, deliveries)
	aSessionID   = "sid"  // sessionId of the owner
	aType        = "ty"   // message type; command type (command results)
	aFromMe      = "fm"   // message direction
	aMsgStatus   = "ms"   // message status
	aRank        = "rk"   // wagate.MessageStatus.Rank of ms: only ever grows
	aSeen        = "seen" // inbound message marked read
	aStatus      = "st"   // session, delivery or command status
	aAutoConnect = "ac"   // session autoConnect
	aVersion     = "ver"  // session version (optimistic locking)
	aEventType   = "et"   // delivery event type
	aExpires     = "exp"  // status or command result expiry
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

	// Contact and group items.
	aJID        = "jid"
	aPhone      = "phone"
	aName       = "name"
	aSearch     = "q"  // contact: lower-cased names and JID, "\n"-separated (search filter)
	aWAContact  = "wa" // contact: known to be on WhatsApp
	aPictureID  = "pictureId"
	aPictureURL = "pictureUrl"
	aProfileAt  = "profileAt"
	aInvite     = "invite" // group invite code

	// Command results.
	aResult      = "result"
	aErrCode     = "errCode"
	aErrMessage  = "errMessage"
	aCreatedAt   = "createdAt"
	aCompletedAt = "completedAt"
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
