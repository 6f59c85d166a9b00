package dynstore

import (
	"context"
	"fmt"
	"strings"

	"go.mau.fi/whatsmeow/store"
	"go.mau.fi/whatsmeow/types"
)

// aSender holds the sender JID of a message secret.
const aSender = "sender"

func (s *Store) msgSecretItem(chat, sender types.JID, id types.MessageID, secret []byte) item {
	c, snd := chat.ToNonAD().String(), sender.ToNonAD().String()
	it := s.item(msgSecretSK(c, snd, id))
	setB(it, aKey, secret)
	it[aSender] = sv(snd)
	return it
}

// PutMessageSecrets stores message secrets; a secret already stored for a
// message is kept.
func (s *Store) PutMessageSecrets(ctx context.Context, inserts []store.MessageSecretInsert) error {
	if len(inserts) == 0 {
		return nil
	}
	items := make([]item, len(inserts))
	for i, in := range inserts {
		if in.Secret == nil {
			return fmt.Errorf("put message secret %s: %w", in.ID, errNullKey)
		}
		items[i] = s.msgSecretItem(in.Chat, in.Sender, in.ID, in.Secret)
	}
	if err := s.t.putNewMany(ctx, items); err != nil {
		return fmt.Errorf("put %d message secrets: %w", len(inserts), err)
	}
	return nil
}

// PutMessageSecret stores the secret of message id, unless it has one.
func (s *Store) PutMessageSecret(ctx context.Context, chat, sender types.JID, id types.MessageID, secret []byte) error {
	if secret == nil {
		return fmt.Errorf("put message secret %s: %w", id, errNullKey)
	}
	if _, err := s.t.putNew(ctx, s.msgSecretItem(chat, sender, id, secret)); err != nil {
		return fmt.Errorf("put message secret %s: %w", id, err)
	}
	return nil
}

// GetMessageSecret returns the secret of message id and its real sender.
// Like sqlstore, chat and sender also match their other identity (phone
// number ↔ LID) through the LID map.
func (s *Store) GetMessageSecret(ctx context.Context, chat, sender types.JID, id types.MessageID) ([]byte, types.JID, error) {
	chats, err := s.withAlt(ctx, chat.ToNonAD().String())
	if err != nil {
		return nil, types.JID{}, fmt.Errorf("get message secret %s: %w", id, err)
	}
	senders, err := s.withAlt(ctx, sender.ToNonAD().String())
	if err != nil {
		return nil, types.JID{}, fmt.Errorf("get message secret %s: %w", id, err)
	}
	var keys []itemKey
	for _, c := range chats {
		for _, snd := range senders {
			keys = append(keys, s.key(msgSecretSK(c, snd, id)))
		}
	}
	found, err := s.t.getMany(ctx, keys)
	if err != nil {
		return nil, types.JID{}, fmt.Errorf("get message secret %s: %w", id, err)
	}
	for _, k := range keys {
		if it, ok := found[k]; ok {
			realSender, err := types.ParseJID(getS(it, aSender))
			if err != nil {
				return nil, types.JID{}, fmt.Errorf("message secret %s: sender: %w", k, err)
			}
			return getB(it, aKey), realSender, nil
		}
	}
	return nil, types.JID{}, nil
}

// withAlt returns jid and, when the LID map knows it, its other identity:
// the phone-number JID of a LID, or the LID of a phone-number JID (the SQL
// CASE of sqlstore's message-secret and privacy-token queries).
func (s *Store) withAlt(ctx context.Context, jid string) ([]string, error) {
	var k itemKey
	var attr, server string
	switch {
	case strings.HasSuffix(jid, "@"+types.HiddenUserServer):
		k, attr, server = lidMapKeyByLID(strings.TrimSuffix(jid, "@"+types.HiddenUserServer)), aMapPN, types.DefaultUserServer
	case strings.HasSuffix(jid, "@"+types.DefaultUserServer):
		k, attr, server = lidMapKeyByPN(strings.TrimSuffix(jid, "@"+types.DefaultUserServer)), aMapLID, types.HiddenUserServer
	default:
		return []string{jid}, nil
	}
	it, err := s.t.get(ctx, k)
	if err != nil {
		return nil, err
	}
	if other := getS(it, attr); other != "" {
		return []string{jid, other + "@" + server}, nil
	}
	return []string{jid}, nil
}
