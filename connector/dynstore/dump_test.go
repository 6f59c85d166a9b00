package dynstore_test

import (
	"fmt"
	"sort"
	"strings"

	"go.mau.fi/whatsmeow/types"
)

// The values the randomised and deletion tests draw from, and that dump
// reads back. They overlap on purpose: "111:*" and "1110:0" (prefix
// exactness), PN 111 ↔ LID 999 (migration, alternate identities).
var (
	poolAddrs   = []string{"111:0", "111:1", "1110:0", "222:0", "222:3", "999_1:0", "999_1:1", "333:0"}
	poolGroups  = []string{"g1@g.us", "g2@g.us"}
	poolUsers   = []types.JID{pnJID("111"), pnJID("222"), lidJID("999"), pnJID("333"), types.NewJID("123-456", types.GroupServer)}
	poolPNs     = []string{"111", "222", "333"}
	poolLIDs    = []string{"999", "998", "997"}
	poolASNames = []string{"regular", "critical_block"}
	poolMsgIDs  = []string{"M1", "M2"}
	poolSyncIDs = [][]byte{{1}, {2}, {3}}
	poolHashes  = [][32]byte{key32(1), key32(2), key32(3), key32(4)}
	maxDumpKey  = uint32(40)
)

// dump reads everything a device holds for the pool values through the
// store interfaces, one section per store. The LID map (global, not the
// device's) is left out.
func dump(s *side) (map[string]string, error) {
	out := map[string]string{}
	var err error
	add := func(section string, f func() (any, error)) {
		if err != nil {
			return
		}
		var v any
		if v, err = f(); err == nil {
			out[section] = fmt.Sprint(v)
		}
	}
	add("sessions", func() (any, error) { return sessionState(s, poolAddrs) })
	add("identities", func() (any, error) {
		var r []string
		for _, a := range poolAddrs {
			tr, err := s.dev.Identities.IsTrustedIdentity(bg, a, key32(200))
			if err != nil {
				return nil, err
			}
			r = append(r, fmt.Sprint(tr))
		}
		return r, nil
	})
	add("sender keys", func() (any, error) {
		var r []string
		for _, g := range poolGroups {
			for _, a := range poolAddrs {
				k, err := s.dev.SenderKeys.GetSenderKey(bg, g, a)
				if err != nil {
					return nil, err
				}
				r = append(r, hx(k))
			}
		}
		return r, nil
	})
	add("pre-keys", func() (any, error) { return preKeyState(s, maxDumpKey) })
	add("sync keys", func() (any, error) {
		var r []string
		for _, id := range poolSyncIDs {
			k, err := s.dev.AppStateKeys.GetAppStateSyncKey(bg, id)
			if err != nil {
				return nil, err
			}
			if k == nil {
				r = append(r, "-")
			} else {
				r = append(r, fmt.Sprint(hx(k.Data), hx(k.Fingerprint), k.Timestamp))
			}
		}
		latest, err := s.dev.AppStateKeys.GetLatestAppStateSyncKeyID(bg)
		return fmt.Sprint(r, hx(latest)), err
	})
	add("app state", func() (any, error) {
		var r []string
		for _, n := range poolASNames {
			v, h, err := s.dev.AppState.GetAppStateVersion(bg, n)
			if err != nil {
				return nil, err
			}
			r = append(r, fmt.Sprint(v, h[0]))
			for i := byte(1); i <= 4; i++ {
				m, err := s.dev.AppState.GetAppStateMutationMAC(bg, n, mac(i))
				if err != nil {
					return nil, err
				}
				r = append(r, hx(m))
			}
		}
		return r, nil
	})
	add("contacts", func() (any, error) { return contactState(s, poolUsers) })
	add("chat settings", func() (any, error) {
		var r []string
		for _, u := range poolUsers {
			cs, err := s.dev.ChatSettings.GetChatSettings(bg, u)
			if err != nil {
				return nil, err
			}
			r = append(r, fmt.Sprint(cs.Found, unix(cs.MutedUntil), cs.Pinned, cs.Archived))
		}
		return r, nil
	})
	add("message secrets", func() (any, error) {
		var r []string
		for _, c := range poolUsers {
			for _, snd := range poolUsers[:3] {
				for _, id := range poolMsgIDs {
					sec, real, err := s.dev.MsgSecrets.GetMessageSecret(bg, c, snd, id)
					if err != nil {
						return nil, err
					}
					r = append(r, hx(sec)+" "+jidStr(real))
				}
			}
		}
		return r, nil
	})
	add("privacy tokens", func() (any, error) {
		var r []string
		for _, u := range poolUsers {
			tok, err := s.dev.PrivacyTokens.GetPrivacyToken(bg, u)
			if err != nil {
				return nil, err
			}
			if tok == nil {
				r = append(r, "-")
			} else {
				r = append(r, fmt.Sprint(jidStr(tok.User), hx(tok.Token), unix(tok.Timestamp)))
			}
		}
		return r, nil
	})
	add("event buffer", func() (any, error) {
		var r []string
		for _, h := range poolHashes {
			ev, err := s.dev.EventBuffer.GetBufferedEvent(bg, h)
			if err != nil {
				return nil, err
			}
			if ev == nil {
				r = append(r, "-")
			} else {
				r = append(r, hx(ev.Plaintext)+" "+unix(ev.ServerTime))
			}
		}
		return r, nil
	})
	return out, err
}

// diffDumps lists the sections where a and b differ.
func diffDumps(a, b map[string]string) string {
	var d []string
	for k, v := range a {
		if b[k] != v {
			d = append(d, fmt.Sprintf("%s:\n  %s\n  %s", k, v, b[k]))
		}
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			d = append(d, k+": missing")
		}
	}
	sort.Strings(d)
	return strings.Join(d, "\n")
}
