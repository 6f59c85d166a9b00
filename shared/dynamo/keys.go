package dynamo

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Keys of every item type. A "#" separates the parts of a key; session ids,
// WhatsApp ids and JIDs never contain one. docs/aws-dynamo.md has the table.

// Base-table keys.
const (
	skSession    = "SESSION"    // session record, under sessionPK
	skAlias      = "ALIAS"      // numeric session id → sessionId, under sessionAliasPK
	skMsgCount   = "MSGCOUNT"   // message counters of a session, under sessionPK
	skMediaCount = "MEDIACOUNT" // media counter of a session, under sessionPK
	skMedia      = "MEDIA"      // media file, under mediaPK
	skDelivery   = "DELIVERY"   // webhook delivery, under deliveryPK
	skDedupe     = "DEDUPE"     // (event, target) uniqueness, under dedupePK
	skCounter    = "COUNTER"    // id allocator, under counterPK
	skCommand    = "COMMAND"    // command result, under commandPK
)

// Prefixes of the sort keys under sessionPK.
const (
	preMessage      = "MSG#"        // + WhatsApp id: the message
	preMessageAlias = "MSGID#"      // + padded numeric id → WhatsApp id
	preIdem         = "IDEM#"       // + idempotency key → WhatsApp id
	preChat         = "CHAT#"       // + chat JID: the chat
	preStatus       = "STATUS#"     // + WhatsApp id: the status post
	preStatusAlias  = "STATUSID#"   // + padded numeric id → WhatsApp id
	preAttempt      = "ATTEMPT#"    // + padded attempt number, under deliveryPK
	preContact      = "CONTACT#"    // + JID: the contact
	preContactKey   = "CONTACTKEY#" // + LID or phone → the contact's JID
	preGroup        = "GROUP#"      // + group JID: the group
	// preContactItems begins the sort keys of contacts and their aliases.
	preContactItems = "CONTACT"
)

func sessionPK(sessionID string) string { return "SESSION#" + sessionID }
func sessionAliasPK(id int64) string    { return "SESSIONID#" + strconv.FormatInt(id, 10) }
func mediaPK(id string) string          { return "MEDIA#" + id }
func deliveryPK(id string) string       { return "DELIVERY#" + id }
func counterPK(name string) string      { return "COUNTER#" + name }
func commandPK(id string) string        { return "COMMAND#" + keyPart(id) }
func contactSK(jid string) string       { return preContact + keyPart(jid) }
func contactKeySK(key string) string    { return preContactKey + keyPart(key) }
func groupSK(jid string) string         { return preGroup + keyPart(jid) }
func messageSK(waID string) string      { return preMessage + waID }
func messageAliasSK(id int64) string    { return preMessageAlias + padID(id) }
func idemSK(key string) string          { return preIdem + keyPart(key) }
func chatSK(chatID string) string       { return preChat + chatID }
func statusSK(waID string) string       { return preStatus + waID }
func statusAliasSK(id int64) string     { return preStatusAlias + padID(id) }
func attemptSK(n int) string            { return fmt.Sprintf("%s%06d", preAttempt, n) }
func dedupePK(eventID, target string) string {
	return "DLVEVENT#" + target + "#" + keyPart(eventID)
}

// Partition values of the indexes.
const (
	gkSessions      = "SESSIONS"  // gsi1: every session, sk = padded id
	gkMsgCounters   = "MSGCOUNTS" // gsi1: every session's message counters, sk = sessionId
	gkStatusExpiry  = "STATUSEXP" // gsi2: every status, sk = expiry
	gkAllDeliveries = "DLV"       // gsi3: every delivery, sk = created
	gkDue           = "DUE"       // gsi4 (sparse): pending deliveries, sk = due
	gkUnread        = "UNREAD"    // gsi5 (sparse): unread messages, sk = timestamp
	gkCommandExpiry = "CMDEXP"    // gsi2: every command result, sk = expiry
)

func gkSessionsByStatus(s string) string { return "SESSIONS#STATUS#" + s }
func gkSessionsByAuto(on bool) string {
	if on {
		return "SESSIONS#AUTO#1"
	}
	return "SESSIONS#AUTO#0"
}
func gkMessages(sessionID string) string { return "MSGS#" + sessionID }
func gkChatMessages(sessionID, chat string) string {
	return "CHATMSGS#" + sessionID + "#" + chat
}
func gkTypeMessages(sessionID, typ string) string { return "MSGTYPE#" + sessionID + "#" + typ }
func gkChatUnread(sessionID, chat string) string  { return "UNREAD#" + sessionID + "#" + chat }
func gkChats(sessionID string) string             { return "CHATS#" + sessionID }
func gkStatuses(sessionID string) string          { return "STATUSES#" + sessionID }
func gkMedia(sessionID string) string             { return "SESSIONMEDIA#" + sessionID }
func gkDeliveries(sessionID string) string        { return "DLVS#" + sessionID }
func gkDeliveriesByStatus(s string) string        { return "DLVSTATUS#" + s }
func gkContacts(sessionID string) string          { return "CONTACTS#" + sessionID }
func gkGroups(sessionID string) string            { return "GROUPS#" + sessionID }

// timeLayout writes times in UTC with fixed-width nanoseconds, so that they
// sort as strings and read back equal to what was written.
const timeLayout = "2006-01-02T15:04:05.000000000Z"

// fmtTime encodes t; the zero time is "".
func fmtTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(timeLayout)
}

// parseTime decodes fmtTime's output; "" is the zero time.
func parseTime(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("parse time %q: %w", s, err)
	}
	return t.UTC(), nil
}

// padID writes a numeric id with a fixed width, so ids sort as strings.
func padID(id int64) string { return fmt.Sprintf("%020d", id) }

// timeID is the sort key of something stamped t with numeric id: by time,
// then by id.
func timeID(t time.Time, id int64) string { return fmtTime(t) + "#" + padID(id) }

// timeStr is the sort key of something stamped t with string id.
func timeStr(t time.Time, id string) string { return fmtTime(t) + "#" + id }

// Sort-key bounds of a time range, for keys that start with fmtTime. Both
// bounds are inclusive of the instants given: every key stamped since sorts
// at or after fmtTime(since), and every key stamped until sorts before
// fmtTime(until + 1ns) (no key equals that bare timestamp: keys carry a
// "#id" suffix).
func timeLo(since time.Time) string {
	if since.IsZero() {
		return ""
	}
	return fmtTime(since)
}

func timeHi(until time.Time) string {
	if until.IsZero() {
		return ""
	}
	return fmtTime(until.Add(time.Nanosecond))
}

// parseID reads a canonical positive decimal id ("7", not "07" or "+7").
func parseID(key string) (int64, bool) {
	id, err := strconv.ParseInt(key, 10, 64)
	if err != nil || id <= 0 || strconv.FormatInt(id, 10) != key {
		return 0, false
	}
	return id, true
}

// maxKeyPart bounds a caller-given string inside a key (DynamoDB allows
// 1024 bytes in a sort key); longer ones are replaced by their hash.
const maxKeyPart = 256

func keyPart(s string) string {
	if len(s) <= maxKeyPart {
		return s
	}
	sum := sha256.Sum256([]byte(s))
	return "sha256:" + hex.EncodeToString(sum[:])
}

// maxNameKey bounds the name part of a nameKey (index sort keys may hold
// 1024 bytes).
const maxNameKey = 200

// nameKey is the sort key of something listed by name (contacts by display
// name, groups by subject), then by JID: the lower-cased name without
// control characters, at most maxNameKey bytes, "\x01" and the JID. The
// separator sorts before every character a name keeps, so "ana" comes
// before "ana b", as ORDER BY name, jid has it.
func nameKey(name, jid string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(name) {
		if r < 0x20 || r == 0x7f {
			continue
		}
		if b.Len()+utf8.RuneLen(r) > maxNameKey {
			break
		}
		b.WriteRune(r)
	}
	return b.String() + "\x01" + keyPart(jid)
}
