package dynstore

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.mau.fi/whatsmeow/store"
)

// Attributes of buffered events.
const (
	aPlaintext  = "pt"  // absent once cleared (SQL NULL)
	aServerTime = "sts" // unix seconds
	aInsertTime = "its" // unix milliseconds
)

// EventBufferRetention is how long buffered events are kept: WhatsApp's
// servers buffer events for 14 days. DeleteOldBufferedHashes deletes older
// ones; the TTL attribute lets DynamoDB expire them too.
const EventBufferRetention = 14 * 24 * time.Hour

// ErrEventBuffered is returned when an event with the same ciphertext hash
// is buffered already.
var ErrEventBuffered = errors.New("event is buffered already")

// GetBufferedEvent returns the buffered event with ciphertextHash, or nil.
func (s *Store) GetBufferedEvent(ctx context.Context, ciphertextHash [32]byte) (*store.BufferedEvent, error) {
	it, err := s.t.get(ctx, s.key(eventBufSK(ciphertextHash)))
	if err != nil {
		return nil, fmt.Errorf("get buffered event %x: %w", ciphertextHash, err)
	}
	if it == nil {
		return nil, nil
	}
	sts, err := getN(it, aServerTime)
	if err != nil {
		return nil, err
	}
	its, err := getN(it, aInsertTime)
	if err != nil {
		return nil, err
	}
	return &store.BufferedEvent{Plaintext: getB(it, aPlaintext), ServerTime: time.Unix(sts, 0), InsertTime: time.UnixMilli(its)}, nil
}

// PutBufferedEvent buffers the plaintext of the event with ciphertextHash.
func (s *Store) PutBufferedEvent(ctx context.Context, ciphertextHash [32]byte, plaintext []byte, serverTimestamp time.Time) error {
	now := s.c.now()
	it := s.item(eventBufSK(ciphertextHash))
	setB(it, aPlaintext, plaintext)
	it[aServerTime] = nv(serverTimestamp.Unix())
	it[aInsertTime] = nv(now.UnixMilli())
	it[attrTTL] = nv(now.Add(EventBufferRetention).Unix())
	err := s.t.insert(ctx, it)
	if errors.Is(err, errExists) {
		err = ErrEventBuffered
	}
	if err != nil {
		return fmt.Errorf("put buffered event %x: %w", ciphertextHash, err)
	}
	return nil
}

// ClearBufferedEventPlaintext drops the plaintext of the buffered event
// with ciphertextHash, keeping its hash (the event counts as processed).
func (s *Store) ClearBufferedEventPlaintext(ctx context.Context, ciphertextHash [32]byte) error {
	_, err := s.t.edit(ctx, s.key(eventBufSK(ciphertextHash)), edit{remove: []string{aPlaintext}, mustExist: true})
	if err != nil {
		return fmt.Errorf("clear buffered event %x: %w", ciphertextHash, err)
	}
	return nil
}

// DeleteOldBufferedHashes deletes the device's buffered events older than
// EventBufferRetention. (sqlstore deletes those of every device of its
// database; each device's client calls it.)
func (s *Store) DeleteOldBufferedHashes(ctx context.Context) error {
	cutoff := s.c.now().Add(-EventBufferRetention).UnixMilli()
	all, err := s.prefixed(ctx, preEventBuf)
	if err != nil {
		return fmt.Errorf("query buffered events: %w", err)
	}
	var old []itemKey
	for _, it := range all {
		its, err := getN(it, aInsertTime)
		if err != nil {
			return err
		}
		if its < cutoff {
			old = append(old, keyOf(it))
		}
	}
	if err := s.t.delMany(ctx, old); err != nil {
		return fmt.Errorf("delete %d old buffered events: %w", len(old), err)
	}
	return nil
}

// DoDecryptionTxn runs fn, the decryption of one message, as one
// transaction: the writes fn makes through this store (sessions,
// identities, pre-keys, sender keys, the buffered event, …) are held in a
// write set carried by its context, reads inside fn see them, and they are
// committed together in one TransactWriteItems, conditioned on the items
// fn read being unchanged. If they changed (another process), fn runs
// again; if fn fails, nothing it wrote is stored. Decryptions of one
// device run one at a time in this process, as sqlstore's immediate SQLite
// transactions do. Inside an enclosing transaction fn just joins it.
func (s *Store) DoDecryptionTxn(ctx context.Context, fn func(context.Context) error) error {
	if txnFrom(ctx, s.t) != nil {
		return fn(ctx)
	}
	lock := s.c.deviceLock(s.jid)
	lock.Lock()
	defer lock.Unlock()
	return s.t.atomic(ctx, false, fn)
}
