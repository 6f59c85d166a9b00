package dynstore

import (
	"encoding/hex"
	"fmt"
)

// Item layout (docs/aws-devicestore.md). Everything a device owns lives in
// its partition devicePK(jid), so deleting a device is one Query and batch
// deletes. The device list and the LID↔phone map are global partitions.
//
// A "#" separates key parts; JIDs, Signal addresses, app-state names and
// message ids never contain one, and binary parts are hex.
const (
	pkDevices = "DEVICES" // registry: one item per device, sk = device JID

	skDevice      = "DEVICE"    // the device record, under devicePK
	skPreKeyCtr   = "PREKEYCTR" // pre-key id counter and upload watermark
	skLIDMap      = "MAP"       // one side of a LID↔phone mapping
	preIdentity   = "IDENT#"    // + their Signal address
	preSession    = "SESS#"     // + their Signal address
	prePreKey     = "PREKEY#"   // + 8-digit key id
	preSenderKey  = "SKEY#"     // + sender address + "#" + chat
	preSyncKey    = "ASKEY#"    // + hex key id
	preASVersion  = "ASVER#"    // + app-state name
	preASMAC      = "ASMAC#"    // + name + "#" + hex index MAC + "#" + 20-digit version
	preContact    = "CONTACT#"  // + their JID
	preChat       = "CHATSET#"  // + chat JID
	preMsgSecret  = "MSGSEC#"   // + chat + "#" + sender + "#" + message id
	prePrivacy    = "PRIVTOK#"  // + their (non-AD) JID
	preEventBuf   = "EVBUF#"    // + hex ciphertext hash
	pkLIDPrefix   = "LIDMAP#LID#"
	pkPNPrefix    = "LIDMAP#PN#"
	maxPreKeyID   = 16777215 // sqlstore's CHECK (key_id < 16777216)
	preKeyIDWidth = 8
)

func devicePK(jid string) string { return "DEV#" + jid }

func registryKey(jid string) itemKey { return itemKey{pkDevices, jid} }
func deviceKey(jid string) itemKey   { return itemKey{devicePK(jid), skDevice} }

func identitySK(addr string) string { return preIdentity + addr }
func sessionSK(addr string) string  { return preSession + addr }
func preKeySK(id uint32) string     { return fmt.Sprintf("%s%0*d", prePreKey, preKeyIDWidth, id) }
func senderKeySK(sender, chat string) string {
	return preSenderKey + sender + "#" + chat
}
func syncKeySK(id []byte) string         { return preSyncKey + hex.EncodeToString(id) }
func asVersionSK(name string) string     { return preASVersion + name }
func asMACNamePrefix(name string) string { return preASMAC + name + "#" }
func asMACIndexPrefix(name string, indexMAC []byte) string {
	return asMACNamePrefix(name) + hex.EncodeToString(indexMAC) + "#"
}
func asMACSK(name string, indexMAC []byte, version uint64) string {
	return fmt.Sprintf("%s%020d", asMACIndexPrefix(name, indexMAC), version)
}
func contactSK(jid string) string { return preContact + jid }
func chatSK(jid string) string    { return preChat + jid }
func msgSecretSK(chat, sender, id string) string {
	return preMsgSecret + chat + "#" + sender + "#" + id
}
func privacySK(jid string) string       { return prePrivacy + jid }
func eventBufSK(hash [32]byte) string   { return preEventBuf + hex.EncodeToString(hash[:]) }
func lidMapKeyByLID(lid string) itemKey { return itemKey{pkLIDPrefix + lid, skLIDMap} }
func lidMapKeyByPN(pn string) itemKey   { return itemKey{pkPNPrefix + pn, skLIDMap} }
