package dynstore_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"go.mau.fi/whatsmeow/store"
	"go.mau.fi/whatsmeow/util/keys"
)

// Slices are cloned for each side: sqlstore deduplicates some of its
// arguments in place.

// randPreKeyOp: one pre-key, a mark, a removal (below the largest id),
// a get or a count.
func randPreKeyOp(r *rand.Rand, m *model) (string, func(*side) (any, error)) {
	switch r.IntN(5) {
	case 0:
		if m.maxPreKey > 34 {
			break
		}
		return "gen one pre-key", func(s *side) (any, error) {
			k, err := s.dev.PreKeys.GenOnePreKey(bg)
			if err != nil {
				return nil, err
			}
			return preKeyIDs(s, []*keys.PreKey{k}), nil
		}
	case 1:
		up := uint32(r.IntN(int(m.maxPreKey) + 3))
		return fmt.Sprint("mark pre-keys ", up), func(s *side) (any, error) { return nil, s.dev.PreKeys.MarkPreKeysAsUploaded(bg, up) }
	case 2:
		if m.maxPreKey > 1 {
			id := 1 + uint32(r.IntN(int(m.maxPreKey-1)))
			return fmt.Sprint("remove pre-key ", id), func(s *side) (any, error) { return nil, s.dev.PreKeys.RemovePreKey(bg, id) }
		}
	case 3:
		id := uint32(r.IntN(int(m.maxPreKey) + 2))
		return fmt.Sprint("get pre-key ", id), func(s *side) (any, error) {
			k, err := s.dev.PreKeys.GetPreKey(bg, id)
			if k == nil || err != nil {
				return "-", err
			}
			return fmt.Sprint(k.KeyID, *k.Pub == s.preKey[id]), nil
		}
	}
	return "count uploaded", func(s *side) (any, error) { return s.dev.PreKeys.UploadedPreKeyCount(bg) }
}

// randAppStateOp: sync keys, versions, mutation MACs (a fresh version per
// put, so no MAC is stored twice — sqlstore refuses that, dynstore
// overwrites).
func randAppStateOp(r *rand.Rand, m *model) (string, func(*side) (any, error)) {
	name := pick(r, poolASNames)
	switch r.IntN(6) {
	case 0, 1:
		id, ts, data := pick(r, poolSyncIDs), int64(r.IntN(1000)), randBytes(r, 2)
		return fmt.Sprint("put sync key ", id, ts), func(s *side) (any, error) {
			return nil, s.dev.AppStateKeys.PutAppStateSyncKey(bg, id, store.AppStateSyncKey{Data: data, Fingerprint: data[:1], Timestamp: ts})
		}
	case 2:
		v := uint64(r.IntN(100))
		var h [128]byte
		h[0] = byte(v)
		return fmt.Sprint("put version ", name, v), func(s *side) (any, error) { return nil, s.dev.AppState.PutAppStateVersion(bg, name, v, h) }
	case 3:
		if r.IntN(3) == 0 {
			return "delete version " + name, func(s *side) (any, error) { return nil, s.dev.AppState.DeleteAppStateVersion(bg, name) }
		}
		idx := [][]byte{mac(byte(1 + r.IntN(4)))}
		return "delete MACs " + name, func(s *side) (any, error) { return nil, s.dev.AppState.DeleteAppStateMutationMACs(bg, name, idx) }
	}
	var ms []store.AppStateMutationMAC
	for _, i := range r.Perm(4)[:1+r.IntN(3)] {
		ms = append(ms, store.AppStateMutationMAC{IndexMAC: mac(byte(i + 1)), ValueMAC: mac(byte(r.IntN(200)))})
	}
	v := uint64(m.step)
	return fmt.Sprint("put MACs ", name, v, len(ms)), func(s *side) (any, error) {
		return nil, s.dev.AppState.PutAppStateMutationMACs(bg, name, v, slices.Clone(ms))
	}
}

// randContactOp: names (push, business, contact, bulk), redacted phones
// and chat settings.
func randContactOp(r *rand.Rand, m *model) (string, func(*side) (any, error)) {
	u, name := pick(r, poolUsers), pick(r, []string{"", "Ana", "Bia", "Caio"})
	switch r.IntN(7) {
	case 0:
		return "push name " + u.String(), func(s *side) (any, error) {
			ch, prev, err := s.dev.Contacts.PutPushName(bg, u, name)
			return fmt.Sprint(ch, prev), err
		}
	case 1:
		return "business name " + u.String(), func(s *side) (any, error) {
			ch, prev, err := s.dev.Contacts.PutBusinessName(bg, u, name)
			return fmt.Sprint(ch, prev), err
		}
	case 2:
		full := pick(r, []string{"", "Full A", "Full B"})
		return "contact name " + u.String(), func(s *side) (any, error) { return nil, s.dev.Contacts.PutContactName(bg, u, name, full) }
	case 3:
		var es []store.ContactEntry
		for range 1 + r.IntN(3) {
			es = append(es, store.ContactEntry{JID: pick(r, poolUsers), FirstName: pick(r, []string{"", "X", "Y"}), FullName: pick(r, []string{"", "X Y"})})
		}
		return fmt.Sprint("all contact names ", len(es)), func(s *side) (any, error) { return nil, s.dev.Contacts.PutAllContactNames(bg, slices.Clone(es)) }
	case 4:
		es := []store.RedactedPhoneEntry{{JID: u, RedactedPhone: pick(r, []string{"", "+55∙∙∙1", "+1∙∙∙2"})}}
		return "redacted phone " + u.String(), func(s *side) (any, error) { return nil, s.dev.Contacts.PutManyRedactedPhones(bg, slices.Clone(es)) }
	case 5:
		until := pick(r, []time.Time{{}, store.MutedForever, time.Unix(int64(1_800_000_000+r.IntN(1000)), 0)})
		return "mute " + u.String(), func(s *side) (any, error) { return nil, s.dev.ChatSettings.PutMutedUntil(bg, u, until) }
	}
	on := r.IntN(2) == 0
	if r.IntN(2) == 0 {
		return fmt.Sprint("pin ", u, on), func(s *side) (any, error) { return nil, s.dev.ChatSettings.PutPinned(bg, u, on) }
	}
	return fmt.Sprint("archive ", u, on), func(s *side) (any, error) { return nil, s.dev.ChatSettings.PutArchived(bg, u, on) }
}

// randMiscOp: message secrets, privacy tokens (fresh timestamps), the
// event buffer and the LID map.
func randMiscOp(r *rand.Rand, m *model) (string, func(*side) (any, error)) {
	switch r.IntN(8) {
	case 0:
		id := pick(r, poolMsgIDs)
		cs, sec := secretKeys[id], randBytes(r, 4)
		return "message secret " + id, func(s *side) (any, error) {
			return nil, s.dev.MsgSecrets.PutMessageSecrets(bg, []store.MessageSecretInsert{{Chat: cs[0], Sender: cs[1], ID: id, Secret: sec}})
		}
	case 1:
		tok := store.PrivacyToken{User: pick(r, poolUsers), Token: randBytes(r, 3), Timestamp: time.Unix(int64(m.step), 0)}
		return "privacy token " + tok.User.String(), func(s *side) (any, error) { return nil, s.dev.PrivacyTokens.PutPrivacyTokens(bg, tok) }
	case 2, 3:
		h, pt := pick(r, poolHashes), randBytes(r, r.IntN(3))
		return "buffer event", func(s *side) (any, error) {
			return nil, s.dev.EventBuffer.PutBufferedEvent(bg, h, pt, time.Unix(int64(m.step), 0))
		}
	case 4:
		h := pick(r, poolHashes)
		return "clear event", func(s *side) (any, error) { return nil, s.dev.EventBuffer.ClearBufferedEventPlaintext(bg, h) }
	case 5:
		lid, pn := lidJID(pick(r, poolLIDs)), pnJID(pick(r, poolPNs))
		return "map " + lid.User + " " + pn.User, func(s *side) (any, error) { return nil, s.lids().PutLIDMapping(bg, lid, pn) }
	case 6:
		var ms []store.LIDMapping
		for range 1 + r.IntN(3) {
			ms = append(ms, store.LIDMapping{LID: lidJID(pick(r, poolLIDs)), PN: pnJID(pick(r, poolPNs))})
		}
		return fmt.Sprint("map many ", ms), func(s *side) (any, error) { return nil, s.lids().PutManyLIDMappings(bg, slices.Clone(ms)) }
	}
	c, snd, id := pick(r, poolUsers), pick(r, poolUsers[:3]), pick(r, poolMsgIDs)
	return "get message secret " + id, func(s *side) (any, error) {
		sec, real, err := s.dev.MsgSecrets.GetMessageSecret(bg, c, snd, id)
		return hx(sec) + " " + jidStr(real), err
	}
}
