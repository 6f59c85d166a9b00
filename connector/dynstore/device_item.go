package dynstore

import (
	"errors"
	"fmt"

	"github.com/google/uuid"
	"go.mau.fi/whatsmeow/proto/waAdv"
	"go.mau.fi/whatsmeow/store"
	"go.mau.fi/whatsmeow/types"
	"go.mau.fi/whatsmeow/util/keys"
)

// Attributes of the device record (skDevice). Those in deviceFixed are
// written when the device is first saved and never changed afterwards, as
// sqlstore's upsert keeps them.
const (
	aJID       = "jid"
	aLID       = "lid"
	aRegID     = "rid"
	aNoise     = "nk"
	aIdentity  = "ik"
	aSPK       = "spk"
	aSPKID     = "spkid"
	aSPKSig    = "spks"
	aAdvKey    = "adv"
	aAdvDet    = "advd"
	aAdvAccSig = "advas"
	aAdvAccKey = "advak"
	aAdvDevSig = "advds"
	aPlatform  = "plat"
	aBizName   = "biz"
	aPushName  = "push"
	aFBUUID    = "fb"
	aLIDMigTS  = "lidts"
)

// ErrInvalidLength is returned when a stored key has the wrong length
// (sqlstore.ErrInvalidLength).
var ErrInvalidLength = errors.New("device store returned byte array with illegal length")

// ErrIncompleteDevice is returned by PutDevice for a device whose keys or
// account are missing or malformed (sqlstore's NOT NULL and CHECK
// constraints refuse the same devices).
var ErrIncompleteDevice = errors.New("device is missing keys or account signatures")

// checkDevice refuses what sqlstore's schema refuses.
func checkDevice(d *store.Device) error {
	switch {
	case d.NoiseKey == nil || d.NoiseKey.Priv == nil, d.IdentityKey == nil || d.IdentityKey.Priv == nil:
		return fmt.Errorf("%w: noise or identity key", ErrIncompleteDevice)
	case d.SignedPreKey == nil || d.SignedPreKey.Priv == nil || d.SignedPreKey.Signature == nil:
		return fmt.Errorf("%w: signed pre-key", ErrIncompleteDevice)
	case d.SignedPreKey.KeyID >= 1<<24:
		return fmt.Errorf("%w: signed pre-key id %d", ErrIncompleteDevice, d.SignedPreKey.KeyID)
	case d.AdvSecretKey == nil:
		return fmt.Errorf("%w: adv secret key", ErrIncompleteDevice)
	case d.Account == nil || d.Account.Details == nil:
		return fmt.Errorf("%w: account", ErrIncompleteDevice)
	case len(d.Account.AccountSignature) != 64, len(d.Account.AccountSignatureKey) != 32, len(d.Account.DeviceSignature) != 64:
		return fmt.Errorf("%w: account signature lengths", ErrIncompleteDevice)
	}
	return nil
}

// deviceEdit is the upsert of d's record: the fields sqlstore's
// "ON CONFLICT (jid) DO UPDATE" changes are set, the others only written
// when the record is new.
func deviceEdit(d *store.Device) edit {
	lid := ""
	if !d.LID.IsEmpty() {
		lid = d.LID.String()
	}
	fixed := item{
		aJID:       sv(d.ID.String()),
		aRegID:     uv(uint64(d.RegistrationID)),
		aNoise:     bv(d.NoiseKey.Priv[:]),
		aIdentity:  bv(d.IdentityKey.Priv[:]),
		aSPK:       bv(d.SignedPreKey.Priv[:]),
		aSPKID:     uv(uint64(d.SignedPreKey.KeyID)),
		aSPKSig:    bv(d.SignedPreKey.Signature[:]),
		aAdvKey:    bv(d.AdvSecretKey),
		aAdvDet:    bv(d.Account.Details),
		aAdvAccSig: bv(d.Account.AccountSignature),
		aAdvAccKey: bv(d.Account.AccountSignatureKey),
		aAdvDevSig: bv(d.Account.DeviceSignature),
	}
	if d.FacebookUUID != uuid.Nil {
		fixed[aFBUUID] = sv(d.FacebookUUID.String())
	}
	return edit{
		set: item{
			aLID:      sv(lid),
			aPlatform: sv(d.Platform),
			aBizName:  sv(d.BusinessName),
			aPushName: sv(d.PushName),
			aLIDMigTS: nv(d.LIDMigrationTimestamp),
		},
		setIfNone: fixed,
	}
}

// decodeDevice reads a device record (without its stores).
func decodeDevice(it item) (*store.Device, error) {
	var d store.Device
	id, err := types.ParseJID(getS(it, aJID))
	if err != nil {
		return nil, fmt.Errorf("device record %s: jid: %w", keyOf(it), err)
	}
	d.ID = &id
	if lid := getS(it, aLID); lid != "" {
		if d.LID, err = types.ParseJID(lid); err != nil {
			return nil, fmt.Errorf("device record %s: lid: %w", keyOf(it), err)
		}
	}
	regID, err := getU(it, aRegID)
	if err != nil {
		return nil, err
	}
	spkID, err := getU(it, aSPKID)
	if err != nil {
		return nil, err
	}
	if d.LIDMigrationTimestamp, err = getN(it, aLIDMigTS); err != nil {
		return nil, err
	}
	noise, ident, spk, spkSig := getB(it, aNoise), getB(it, aIdentity), getB(it, aSPK), getB(it, aSPKSig)
	if len(noise) != 32 || len(ident) != 32 || len(spk) != 32 || len(spkSig) != 64 {
		return nil, fmt.Errorf("device record %s: %w", keyOf(it), ErrInvalidLength)
	}
	d.RegistrationID = uint32(regID)
	d.NoiseKey = keys.NewKeyPairFromPrivateKey([32]byte(noise))
	d.IdentityKey = keys.NewKeyPairFromPrivateKey([32]byte(ident))
	d.SignedPreKey = &keys.PreKey{
		KeyPair:   *keys.NewKeyPairFromPrivateKey([32]byte(spk)),
		KeyID:     uint32(spkID),
		Signature: (*[64]byte)(spkSig),
	}
	d.AdvSecretKey = getB(it, aAdvKey)
	d.Account = &waAdv.ADVSignedDeviceIdentity{
		Details:             getB(it, aAdvDet),
		AccountSignature:    getB(it, aAdvAccSig),
		AccountSignatureKey: getB(it, aAdvAccKey),
		DeviceSignature:     getB(it, aAdvDevSig),
	}
	d.Platform, d.BusinessName, d.PushName = getS(it, aPlatform), getS(it, aBizName), getS(it, aPushName)
	if fb := getS(it, aFBUUID); fb != "" {
		if d.FacebookUUID, err = uuid.Parse(fb); err != nil {
			return nil, fmt.Errorf("device record %s: facebook uuid: %w", keyOf(it), err)
		}
	}
	return &d, nil
}
