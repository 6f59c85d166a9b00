package dynstore

import (
	"context"
	"errors"
	"fmt"
	mathrand "math/rand/v2"
	"sync"
	"time"

	"go.mau.fi/util/random"
	"go.mau.fi/whatsmeow/store"
	"go.mau.fi/whatsmeow/types"
	"go.mau.fi/whatsmeow/util/keys"
	waLog "go.mau.fi/whatsmeow/util/log"
)

// Container holds the whatsmeow devices of one DynamoDB table, like
// sqlstore.Container holds those of one database.
type Container struct {
	t   *table
	log waLog.Logger
	// LIDMap is the LID↔phone-number map shared by every device.
	LIDMap *LIDMap

	locksMu sync.Mutex
	locks   map[string]*sync.Mutex // per device JID: its decryption transactions

	clock func() time.Time // time.Now; tests move it
}

var _ store.DeviceContainer = (*Container)(nil)

// ErrDeviceIDMustBeSet is returned by PutDevice and DeleteDevice for a
// device whose JID is not known yet (sqlstore.ErrDeviceIDMustBeSet).
var ErrDeviceIDMustBeSet = errors.New("device JID must be known before accessing database")

// ErrDeviceNotSaved is what the stores of a device return until the device
// is saved (they need its JID).
var ErrDeviceNotSaved = errors.New("device store is not usable before the device is saved")

// New returns the container of the device-store table named tableName (see
// CreateTable) reached through api. log may be nil.
func New(api API, tableName string, log waLog.Logger) *Container {
	if log == nil {
		log = waLog.Noop
	}
	t := &table{api: api, name: tableName}
	return &Container{t: t, log: log, LIDMap: &LIDMap{t: t}, locks: map[string]*sync.Mutex{}, clock: time.Now}
}

// TableName returns the name of the container's table.
func (c *Container) TableName() string { return c.t.name }

// NewDevice creates a device with fresh keys, as sqlstore's NewDevice does.
// Nothing is stored before Save. Its stores are set already: the LID map
// works, the device-specific stores return ErrDeviceNotSaved until Save
// gives them the device's JID.
func (c *Container) NewDevice() *store.Device {
	notSaved := &store.NoopStore{Error: ErrDeviceNotSaved}
	device := &store.Device{
		Log:       c.log,
		Container: c,

		NoiseKey:       keys.NewKeyPair(),
		IdentityKey:    keys.NewKeyPair(),
		RegistrationID: mathrand.Uint32(),
		AdvSecretKey:   random.Bytes(32),

		Identities:    notSaved,
		Sessions:      notSaved,
		PreKeys:       notSaved,
		SenderKeys:    notSaved,
		AppStateKeys:  notSaved,
		AppState:      notSaved,
		Contacts:      notSaved,
		ChatSettings:  notSaved,
		MsgSecrets:    notSaved,
		PrivacyTokens: notSaved,
		EventBuffer:   notSaved,
		LIDs:          c.LIDMap,
	}
	device.SignedPreKey = device.IdentityKey.CreateSignedPreKey(1)
	return device
}

// PutDevice stores device (normally through device.Save()). A device saved
// before keeps its keys, registration id and account; its LID, platform,
// names and LID migration time are updated. The first save gives the
// device its stores.
func (c *Container) PutDevice(ctx context.Context, device *store.Device) error {
	if device.ID == nil {
		return ErrDeviceIDMustBeSet
	}
	err := checkDevice(device)
	if err == nil {
		jid := device.ID.String()
		err = c.t.atomic(ctx, false, func(ctx context.Context) error {
			if _, err := c.t.edit(ctx, deviceKey(jid), deviceEdit(device)); err != nil {
				return err
			}
			return c.t.put(ctx, item{attrPK: sv(pkDevices), attrSK: sv(jid), aJID: sv(jid)})
		})
		if err != nil {
			err = fmt.Errorf("save device %s: %w", jid, err)
		}
	}
	if !device.Initialized {
		c.initializeDevice(device)
	}
	return err
}

// initializeDevice gives device its stores.
func (c *Container) initializeDevice(device *store.Device) {
	s := newStore(c, *device.ID)
	device.Identities = s
	device.Sessions = s
	device.PreKeys = s
	device.SenderKeys = s
	device.AppStateKeys = s
	device.AppState = s
	device.Contacts = s
	device.ChatSettings = s
	device.MsgSecrets = s
	device.PrivacyTokens = s
	device.EventBuffer = s
	device.LIDs = c.LIDMap
	device.Container = c
	device.Initialized = true
}

// GetDevice returns the device with jid (usually an AD-JID), or nil.
func (c *Container) GetDevice(ctx context.Context, jid types.JID) (*store.Device, error) {
	it, err := c.t.get(ctx, deviceKey(jid.String()))
	if err != nil {
		return nil, fmt.Errorf("get device %s: %w", jid, err)
	}
	if it == nil {
		return nil, nil
	}
	return c.loadDevice(it)
}

func (c *Container) loadDevice(it item) (*store.Device, error) {
	device, err := decodeDevice(it)
	if err != nil {
		return nil, err
	}
	device.Log = c.log
	c.initializeDevice(device)
	return device, nil
}

// GetAllDevices returns every device, ordered by JID.
func (c *Container) GetAllDevices(ctx context.Context) ([]*store.Device, error) {
	reg, err := c.t.items(ctx, rangeQ{pk: pkDevices})
	if err != nil {
		return nil, fmt.Errorf("list devices: %w", err)
	}
	keys := make([]itemKey, len(reg))
	for i, r := range reg {
		keys[i] = deviceKey(getS(r, attrSK))
	}
	found, err := c.t.getMany(ctx, keys)
	if err != nil {
		return nil, fmt.Errorf("load devices: %w", err)
	}
	devices := make([]*store.Device, 0, len(keys))
	for _, k := range keys {
		it, ok := found[k]
		if !ok {
			continue // being deleted
		}
		d, err := c.loadDevice(it)
		if err != nil {
			return devices, err
		}
		devices = append(devices, d)
	}
	return devices, nil
}

// GetFirstDevice returns the first device, or a new one when there is none.
func (c *Container) GetFirstDevice(ctx context.Context) (*store.Device, error) {
	devices, err := c.GetAllDevices(ctx)
	if err != nil {
		return nil, err
	}
	if len(devices) == 0 {
		return c.NewDevice(), nil
	}
	return devices[0], nil
}

// DeleteDevice deletes device and everything it owns: the registry entry
// and the device record first (in one transaction), then every other item
// of its partition. Deleting again finishes an interrupted deletion.
func (c *Container) DeleteDevice(ctx context.Context, device *store.Device) error {
	if device.ID == nil {
		return ErrDeviceIDMustBeSet
	}
	jid := device.ID.String()
	err := c.t.atomic(ctx, false, func(ctx context.Context) error {
		if err := c.t.del(ctx, registryKey(jid)); err != nil {
			return err
		}
		return c.t.del(ctx, deviceKey(jid))
	})
	if err != nil {
		return fmt.Errorf("delete device %s: %w", jid, err)
	}
	rest, err := c.t.query(ctx, rangeQ{pk: devicePK(jid)})
	if err != nil {
		return fmt.Errorf("delete device %s: %w", jid, err)
	}
	keys := make([]itemKey, len(rest))
	for i, it := range rest {
		keys[i] = keyOf(it)
	}
	if err := c.t.batchWrite(ctx, nil, keys); err != nil {
		return fmt.Errorf("delete data of device %s: %w", jid, err)
	}
	return nil
}

func (c *Container) now() time.Time { return c.clock() }

// deviceLock returns the lock of jid's decryption transactions.
func (c *Container) deviceLock(jid string) *sync.Mutex {
	c.locksMu.Lock()
	defer c.locksMu.Unlock()
	l, ok := c.locks[jid]
	if !ok {
		l = &sync.Mutex{}
		c.locks[jid] = l
	}
	return l
}
