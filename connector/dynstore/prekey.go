package dynstore

import (
	"context"
	"fmt"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"go.mau.fi/whatsmeow/util/keys"

	"github.com/wagate/wagate/shared/ddb"
)

// Attributes of pre-keys and of their counter item (skPreKeyCtr).
const (
	aUploaded  = "up" // pre-key uploaded to WhatsApp
	aCounter   = "n"  // last pre-key id allocated
	aWatermark = "wm" // every pre-key with an id up to this one is uploaded
)

// Pre-key ids come from an atomic counter (UpdateItem ADD), so concurrent
// generators never hand out the same id and ids are never reused, even
// after the newest keys are removed. The counter item also keeps an upload
// watermark: the keys still to upload all have larger ids, so finding them
// reads only the keys above it.

// allocPreKeyIDs reserves n consecutive ids and returns the first.
func (s *Store) allocPreKeyIDs(ctx context.Context, n uint32) (uint32, error) {
	var e ddb.Expr
	out, err := s.t.api.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName: aws.String(s.t.name), Key: s.key(skPreKeyCtr).av(),
		UpdateExpression:          aws.String(ddb.NewUpdate(&e).Add(aCounter, nv(int64(n))).String()),
		ExpressionAttributeNames:  e.Names(),
		ExpressionAttributeValues: e.Values(),
		ReturnValues:              types.ReturnValueUpdatedNew,
	})
	if err != nil {
		return 0, fmt.Errorf("allocate %d pre-key ids: %w", n, err)
	}
	last, err := getU(out.Attributes, aCounter)
	if err != nil {
		return 0, fmt.Errorf("allocate %d pre-key ids: %w", n, err)
	}
	if last > maxPreKeyID {
		return 0, fmt.Errorf("allocate %d pre-key ids: counter %d beyond the largest id %d", n, last, maxPreKeyID)
	}
	return uint32(last) - n + 1, nil
}

// preKeyCounter returns the counter and the upload watermark.
func (s *Store) preKeyCounter(ctx context.Context) (counter, watermark uint32, err error) {
	it, err := s.t.getItem(ctx, s.key(skPreKeyCtr))
	if err != nil {
		return 0, 0, err
	}
	n, err := getU(it, aCounter)
	if err != nil {
		return 0, 0, err
	}
	wm, err := getU(it, aWatermark)
	return uint32(n), uint32(wm), err
}

func (s *Store) preKeyItem(key *keys.PreKey, uploaded bool) item {
	it := s.item(preKeySK(key.KeyID))
	it[aKey] = bv(key.Priv[:])
	it[aUploaded] = boolv(uploaded)
	return it
}

func decodePreKey(it item) (*keys.PreKey, error) {
	priv := getB(it, aKey)
	if len(priv) != 32 {
		return nil, ErrInvalidLength
	}
	id, err := strconv.ParseUint(getS(it, attrSK)[len(prePreKey):], 10, 32)
	if err != nil {
		return nil, fmt.Errorf("pre-key %s: %w", keyOf(it), err)
	}
	return &keys.PreKey{KeyPair: *keys.NewKeyPairFromPrivateKey([32]byte(priv)), KeyID: uint32(id)}, nil
}

// GenOnePreKey generates one pre-key, stored as uploaded already.
func (s *Store) GenOnePreKey(ctx context.Context) (*keys.PreKey, error) {
	s.preKeyLock.Lock()
	defer s.preKeyLock.Unlock()
	id, err := s.allocPreKeyIDs(ctx, 1)
	if err != nil {
		return nil, err
	}
	key := keys.NewPreKey(id)
	if err := s.t.put(ctx, s.preKeyItem(key, true)); err != nil {
		return nil, fmt.Errorf("put pre-key %d: %w", id, err)
	}
	return key, nil
}

// GetOrGenPreKeys returns count pre-keys not uploaded yet, lowest ids
// first, generating as many new ones as are missing.
func (s *Store) GetOrGenPreKeys(ctx context.Context, count uint32) ([]*keys.PreKey, error) {
	s.preKeyLock.Lock()
	defer s.preKeyLock.Unlock()
	_, wm, err := s.preKeyCounter(ctx)
	if err != nil {
		return nil, fmt.Errorf("read pre-key counter: %w", err)
	}
	above, err := s.t.items(ctx, rangeQ{pk: s.pk, prefix: prePreKey, lo: preKeySK(wm)})
	if err != nil {
		return nil, fmt.Errorf("query pre-keys: %w", err)
	}
	out := make([]*keys.PreKey, 0, count)
	for _, it := range above {
		if uint32(len(out)) == count {
			break
		}
		if getBool(it, aUploaded) {
			continue
		}
		key, err := decodePreKey(it)
		if err != nil {
			return nil, err
		}
		out = append(out, key)
	}
	missing := count - uint32(len(out))
	if missing == 0 {
		return out, nil
	}
	first, err := s.allocPreKeyIDs(ctx, missing)
	if err != nil {
		return nil, err
	}
	fresh := make([]item, 0, missing)
	for id := first; id < first+missing; id++ {
		key := keys.NewPreKey(id)
		out = append(out, key)
		fresh = append(fresh, s.preKeyItem(key, false))
	}
	if err := s.t.putMany(ctx, fresh); err != nil {
		return nil, fmt.Errorf("put %d pre-keys: %w", missing, err)
	}
	return out, nil
}

// GetPreKey returns the pre-key id, or nil.
func (s *Store) GetPreKey(ctx context.Context, id uint32) (*keys.PreKey, error) {
	it, err := s.t.get(ctx, s.key(preKeySK(id)))
	if err != nil {
		return nil, fmt.Errorf("get pre-key %d: %w", id, err)
	}
	if it == nil {
		return nil, nil
	}
	return decodePreKey(it)
}

// RemovePreKey deletes the pre-key id.
func (s *Store) RemovePreKey(ctx context.Context, id uint32) error {
	if err := s.t.del(ctx, s.key(preKeySK(id))); err != nil {
		return fmt.Errorf("delete pre-key %d: %w", id, err)
	}
	return nil
}

// MarkPreKeysAsUploaded marks every pre-key with an id up to upToID as
// uploaded.
func (s *Store) MarkPreKeysAsUploaded(ctx context.Context, upToID uint32) error {
	s.preKeyLock.Lock()
	defer s.preKeyLock.Unlock()
	counter, wm, err := s.preKeyCounter(ctx)
	if err != nil {
		return fmt.Errorf("read pre-key counter: %w", err)
	}
	if upToID <= wm {
		return nil
	}
	pending, err := s.t.items(ctx, rangeQ{pk: s.pk, prefix: prePreKey, lo: preKeySK(wm), hi: preKeySK(min(upToID, maxPreKeyID))})
	if err != nil {
		return fmt.Errorf("query pre-keys: %w", err)
	}
	var ks []itemKey
	var eds []edit
	for _, it := range pending {
		if !getBool(it, aUploaded) {
			ks = append(ks, keyOf(it))
			eds = append(eds, edit{set: item{aUploaded: boolv(true)}, mustExist: true})
		}
	}
	if err := s.t.editMany(ctx, ks, eds); err != nil {
		return fmt.Errorf("mark pre-keys uploaded: %w", err)
	}
	// Keys get ids up to the counter only: a watermark above it would hide
	// keys generated later. Inside a transaction the marks may still be
	// discarded, so the watermark stays.
	if next := min(upToID, counter); next > wm && txnFrom(ctx, s.t) == nil {
		var e ddb.Expr
		cond := "attribute_not_exists(" + e.Name(aWatermark) + ") OR " + e.Name(aWatermark) + " < " + e.Value(uv(uint64(next)))
		_, err := s.t.api.UpdateItem(ctx, &dynamodb.UpdateItemInput{
			TableName: aws.String(s.t.name), Key: s.key(skPreKeyCtr).av(),
			UpdateExpression:         aws.String(ddb.NewUpdate(&e).Set(aWatermark, uv(uint64(next))).String()),
			ConditionExpression:      aws.String(cond),
			ExpressionAttributeNames: e.Names(), ExpressionAttributeValues: e.Values(),
		})
		if err != nil && !ddb.IsCondFailed(err) {
			return fmt.Errorf("raise pre-key upload watermark: %w", err)
		}
	}
	return nil
}

// UploadedPreKeyCount returns the number of uploaded pre-keys.
func (s *Store) UploadedPreKeyCount(ctx context.Context) (int, error) {
	all, err := s.prefixed(ctx, prePreKey)
	if err != nil {
		return 0, fmt.Errorf("query pre-keys: %w", err)
	}
	n := 0
	for _, it := range all {
		if getBool(it, aUploaded) {
			n++
		}
	}
	return n, nil
}
