package dynstore_test

import (
	"errors"
	"fmt"
	"sort"
	"testing"

	"go.mau.fi/whatsmeow/store"
	"go.mau.fi/whatsmeow/types"

	"github.com/wagate/wagate/connector/dynstore"
)

// deviceDesc describes a loaded device: every stored field.
func deviceDesc(d *store.Device) string {
	if d == nil {
		return "<nil>"
	}
	return fmt.Sprintf("id=%s lid=%s reg=%d noise=%x ident=%x spk=%x/%d/%x adv=%x acct=%x/%x/%x/%x plat=%q biz=%q push=%q lidts=%d fb=%s init=%v",
		jidStr(d.GetJID()), jidStr(d.LID), d.RegistrationID, *d.NoiseKey.Priv, *d.IdentityKey.Priv,
		*d.SignedPreKey.Priv, d.SignedPreKey.KeyID, *d.SignedPreKey.Signature, d.AdvSecretKey,
		d.Account.Details, d.Account.AccountSignature, d.Account.AccountSignatureKey, d.Account.DeviceSignature,
		d.Platform, d.BusinessName, d.PushName, d.LIDMigrationTimestamp, d.FacebookUUID, d.Initialized)
}

// storesSet reports whether every store field of d is set.
func storesSet(d *store.Device) bool {
	return d.Identities != nil && d.Sessions != nil && d.PreKeys != nil && d.SenderKeys != nil &&
		d.AppStateKeys != nil && d.AppState != nil && d.Contacts != nil && d.ChatSettings != nil &&
		d.MsgSecrets != nil && d.PrivacyTokens != nil && d.EventBuffer != nil && d.LIDs != nil && d.Container != nil
}

// TestNewDevice: a new device has its keys and every store field before it
// is saved; the device stores answer ErrDeviceNotSaved until then, and
// saving needs a JID and well-formed keys.
func TestNewDevice(t *testing.T) {
	t.Parallel()
	c := newDynContainer(t)
	d := c.NewDevice()
	if d.NoiseKey == nil || d.IdentityKey == nil || d.SignedPreKey == nil || d.SignedPreKey.KeyID != 1 || len(d.AdvSecretKey) != 32 {
		t.Fatalf("keys not set: %s", deviceDesc(&store.Device{}))
	}
	if !storesSet(d) || d.Initialized {
		t.Fatalf("stores set %v, initialized %v", storesSet(d), d.Initialized)
	}
	if _, err := d.Sessions.GetSession(bg, "1:0"); !errors.Is(err, dynstore.ErrDeviceNotSaved) {
		t.Errorf("session store before save: %v", err)
	}
	if err := d.Save(bg); !errors.Is(err, dynstore.ErrDeviceIDMustBeSet) {
		t.Errorf("save without JID: %v", err)
	}
	jid := types.NewADJID("5511911112222", 0, 3)
	d.ID = &jid
	if err := d.Save(bg); !errors.Is(err, dynstore.ErrIncompleteDevice) {
		t.Errorf("save without account: %v", err)
	}
	d.Account = testAccount()
	if err := d.Save(bg); err != nil {
		t.Fatalf("save: %v", err)
	}
	if !d.Initialized || !storesSet(d) {
		t.Fatal("saved device not initialized")
	}
	if err := d.Sessions.PutSession(bg, "1:0", []byte{1}); err != nil {
		t.Errorf("session store after save: %v", err)
	}
}

// TestDiffContainer: save, get, get all, re-save (keys kept, names
// updated), refused devices, get first.
func TestDiffContainer(t *testing.T) {
	t.Parallel()
	sc, _ := newSQLContainer(t)
	p := &pair{ref: &side{name: "sqlstore", c: sc}, dyn: &side{name: "dynstore", c: newDynContainer(t)}}
	jids := []types.JID{types.NewADJID("5511900000003", 0, 2), types.NewADJID("5511900000001", 0, 9), types.NewADJID("4470000000", 0, 1)}
	all := func(what string) {
		p.same(t, what, func(s *side) (any, error) {
			ds, err := s.c.GetAllDevices(bg)
			var out []string
			for _, d := range ds {
				out = append(out, deviceDesc(d))
			}
			sort.Strings(out)
			return out, err
		})
	}
	all("none")
	p.same(t, "first of none", func(s *side) (any, error) {
		d, err := s.c.GetFirstDevice(bg)
		return d != nil && d.ID == nil && storesSet(d) == (s == p.dyn), err
	})
	p.same(t, "get unknown", func(s *side) (any, error) {
		d, err := s.c.GetDevice(bg, jids[0])
		return d == nil, err
	})
	proto := p.dyn.c.NewDevice()
	for i, jid := range jids {
		p.same(t, fmt.Sprint("save ", jid), func(s *side) (any, error) {
			d := s.c.NewDevice()
			copyKeys(d, proto)
			d.RegistrationID += uint32(i)
			j := jid
			d.ID, d.Account, d.Platform, d.PushName = &j, testAccount(), "android", fmt.Sprint("Push ", i)
			if i == 1 {
				d.LID, d.BusinessName, d.LIDMigrationTimestamp = types.NewADJID("999", 0, 9), "Biz", 1234
				d.LID.Server = types.HiddenUserServer
			}
			err := d.Save(bg)
			return deviceDesc(d), err
		})
		p.same(t, fmt.Sprint("get ", jid), func(s *side) (any, error) {
			d, err := s.c.GetDevice(bg, jid)
			return deviceDesc(d), err
		})
	}
	all("three")
	p.same(t, "re-save", func(s *side) (any, error) {
		d, err := s.c.GetDevice(bg, jids[1])
		if err != nil {
			return nil, err
		}
		fresh := s.c.NewDevice()
		d.NoiseKey, d.IdentityKey, d.RegistrationID = fresh.NoiseKey, fresh.IdentityKey, 1
		d.PushName, d.Platform, d.BusinessName, d.LID, d.LIDMigrationTimestamp = "Renamed", "ios", "", types.EmptyJID, 99
		if err := d.Save(bg); err != nil {
			return nil, err
		}
		d, err = s.c.GetDevice(bg, jids[1])
		return deviceDesc(d), err
	})
	p.same(t, "bad signature", func(s *side) (any, error) {
		d := s.c.NewDevice()
		j := types.NewADJID("5511900000004", 0, 1)
		d.ID, d.Account = &j, testAccount()
		d.Account.DeviceSignature = []byte{1}
		return nil, s.c.PutDevice(bg, d)
	})
	all("after re-save")
	p.same(t, "first", func(s *side) (any, error) {
		d, err := s.c.GetFirstDevice(bg)
		return d != nil && d.ID != nil, err
	})
	p.same(t, "delete unsaved", func(s *side) (any, error) { return nil, s.c.DeleteDevice(bg, s.c.NewDevice()) })
	p.same(t, "delete", func(s *side) (any, error) {
		d, err := s.c.GetDevice(bg, jids[0])
		if err != nil {
			return nil, err
		}
		return nil, d.Delete(bg)
	})
	all("deleted one")
}
