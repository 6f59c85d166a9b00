package dynstore_test

import (
	"fmt"
	"testing"
	"time"

	"go.mau.fi/whatsmeow/store"
	"go.mau.fi/whatsmeow/types"
)

// TestDiffMessageSecrets: put (the first secret of a message is kept),
// get, and the phone-number ↔ LID matching of chat and sender through the
// LID map.
func TestDiffMessageSecrets(t *testing.T) {
	t.Parallel()
	p := newPair(t)
	group := types.NewJID("123-456", types.GroupServer)
	adSender := types.NewADJID("111", 0, 3)
	get := func(what string, chat, sender types.JID, id string) {
		p.same(t, what, func(s *side) (any, error) {
			sec, real, err := s.dev.MsgSecrets.GetMessageSecret(bg, chat, sender, id)
			return fmt.Sprint(hx(sec), " ", jidStr(real)), err
		})
	}
	get("unknown", pnJID("111"), pnJID("111"), "M0")
	p.same(t, "put", func(s *side) (any, error) {
		return nil, s.dev.MsgSecrets.PutMessageSecret(bg, pnJID("111"), adSender, "M1", []byte("s1"))
	})
	p.same(t, "put again", func(s *side) (any, error) {
		return nil, s.dev.MsgSecrets.PutMessageSecret(bg, pnJID("111"), pnJID("111"), "M1", []byte("other"))
	})
	p.same(t, "put many", func(s *side) (any, error) {
		return nil, s.dev.MsgSecrets.PutMessageSecrets(bg, []store.MessageSecretInsert{
			{Chat: group, Sender: lidJID("998"), ID: "M2", Secret: []byte("s2")},
			{Chat: group, Sender: lidJID("998"), ID: "M2", Secret: []byte("dup")},
			{Chat: lidJID("999"), Sender: lidJID("999"), ID: "M3", Secret: []byte("s3")},
		})
	})
	p.same(t, "put NULL", func(s *side) (any, error) { return nil, s.dev.MsgSecrets.PutMessageSecret(bg, group, group, "M9", nil) })
	get("exact", pnJID("111"), adSender, "M1")
	get("group", group, lidJID("998"), "M2")
	get("lid chat before mapping", lidJID("999"), lidJID("999"), "M1")
	p.same(t, "map", func(s *side) (any, error) {
		return nil, p.lids(s).PutManyLIDMappings(bg, []store.LIDMapping{{LID: lidJID("999"), PN: pnJID("111")}, {LID: lidJID("998"), PN: pnJID("222")}})
	})
	get("lid chat and sender", lidJID("999"), lidJID("999"), "M1")
	get("lid chat, pn sender", lidJID("999"), pnJID("111"), "M1")
	get("pn chat and sender of a lid secret", pnJID("111"), pnJID("111"), "M3")
	get("group, pn sender", group, pnJID("222"), "M2")
	get("wrong id", group, pnJID("222"), "M1")
}

// TestDiffPrivacyTokens: put (the last token of a repeated user wins),
// get, and the newest token of a user or its other identity.
func TestDiffPrivacyTokens(t *testing.T) {
	t.Parallel()
	p := newPair(t)
	users := []types.JID{pnJID("111"), lidJID("999"), types.NewADJID("222", 0, 4), pnJID("333")}
	state := func(what string) {
		p.same(t, what, func(s *side) (any, error) {
			var out []string
			for _, u := range users {
				tok, err := s.dev.PrivacyTokens.GetPrivacyToken(bg, u)
				if err != nil {
					return nil, err
				}
				if tok == nil {
					out = append(out, "-")
					continue
				}
				out = append(out, fmt.Sprint(jidStr(tok.User), hx(tok.Token), unix(tok.Timestamp)))
			}
			return out, nil
		})
	}
	at := func(s int64) time.Time { return time.Unix(s, 0) }
	state("none")
	p.same(t, "put", func(s *side) (any, error) {
		return nil, s.dev.PrivacyTokens.PutPrivacyTokens(bg,
			store.PrivacyToken{User: users[0], Token: []byte("t111"), Timestamp: at(100)},
			store.PrivacyToken{User: users[2], Token: []byte("t222"), Timestamp: at(50)},
			store.PrivacyToken{User: types.NewADJID("222", 0, 9), Token: []byte("t222b"), Timestamp: at(60)},
		)
	})
	// sqlstore fails on no tokens (its SQL has no VALUES); dynstore stores nothing.
	if err := p.dyn.dev.PrivacyTokens.PutPrivacyTokens(bg); err != nil {
		t.Errorf("put no tokens: %v", err)
	}
	state("put")
	p.same(t, "lid token", func(s *side) (any, error) {
		return nil, s.dev.PrivacyTokens.PutPrivacyTokens(bg, store.PrivacyToken{User: users[1], Token: []byte("t999"), Timestamp: at(200)})
	})
	state("lid unmapped")
	p.same(t, "map", func(s *side) (any, error) { return nil, p.lids(s).PutLIDMapping(bg, lidJID("999"), pnJID("111")) })
	state("lid mapped: newest of both")
	p.same(t, "newer pn", func(s *side) (any, error) {
		return nil, s.dev.PrivacyTokens.PutPrivacyTokens(bg, store.PrivacyToken{User: users[0], Token: []byte("t111new"), Timestamp: at(300)})
	})
	state("pn newer")
}
