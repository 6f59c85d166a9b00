package dynstore_test

import (
	"context"
	"database/sql"
	"encoding/hex"
	"fmt"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"go.mau.fi/whatsmeow/proto/waAdv"
	"go.mau.fi/whatsmeow/store"
	"go.mau.fi/whatsmeow/store/sqlstore"
	"go.mau.fi/whatsmeow/types"
	_ "modernc.org/sqlite"

	"github.com/wagate/wagate/connector/dynstore"
	"github.com/wagate/wagate/shared/ddb/ddbtest"
)

// sqliteDSN is the DSN wagate opens its SQLite file with (TOOLS.md).
const sqliteDSN = "?_pragma=foreign_keys(1)&_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)&_txlock=immediate"

// ownJID is the device every differential test saves in both stores.
var ownJID = types.NewADJID("5511900000001", 0, 7)

// newSQLContainer opens sqlstore on a fresh SQLite file: the reference.
func newSQLContainer(tb testing.TB) (*sqlstore.Container, *sql.DB) {
	tb.Helper()
	db, err := sql.Open("sqlite", "file:"+filepath.Join(tb.TempDir(), "wa.db")+sqliteDSN)
	if err != nil {
		tb.Fatalf("open sqlite: %v", err)
	}
	tb.Cleanup(func() { _ = db.Close() })
	c := sqlstore.NewWithDB(db, "sqlite", nil)
	if err := c.Upgrade(context.Background()); err != nil {
		tb.Fatalf("upgrade sqlstore: %v", err)
	}
	return c, db
}

// newClient returns a strict DynamoDB client of the AWS emulator (skipping
// the test when there is none).
func newClient(tb testing.TB) *dynamodb.Client {
	tb.Helper()
	return ddbtest.NewClient(tb, strict)
}

// newTable creates a fresh device-store table and returns its name.
func newTable(tb testing.TB, client *dynamodb.Client) string {
	tb.Helper()
	return ddbtest.NewTable(tb, client, "wagate-devices-test", dynstore.CreateTable)
}

// newDynContainer returns a container on a fresh table.
func newDynContainer(tb testing.TB) *dynstore.Container {
	tb.Helper()
	client := newClient(tb)
	return dynstore.New(client, newTable(tb, client), nil)
}

// testAccount is a well-formed (not genuinely signed) account identity.
func testAccount() *waAdv.ADVSignedDeviceIdentity {
	return &waAdv.ADVSignedDeviceIdentity{
		Details:             []byte{1, 2, 3},
		AccountSignature:    make([]byte, 64),
		AccountSignatureKey: make([]byte, 32),
		DeviceSignature:     make([]byte, 64),
	}
}

// copyKeys gives dst the key material of src, so that two containers store
// the same device.
func copyKeys(dst, src *store.Device) {
	dst.NoiseKey, dst.IdentityKey, dst.SignedPreKey = src.NoiseKey, src.IdentityKey, src.SignedPreKey
	dst.RegistrationID, dst.AdvSecretKey = src.RegistrationID, src.AdvSecretKey
}

// container is what sqlstore.Container and dynstore.Container both offer.
type container interface {
	store.DeviceContainer
	NewDevice() *store.Device
	GetDevice(ctx context.Context, jid types.JID) (*store.Device, error)
	GetAllDevices(ctx context.Context) ([]*store.Device, error)
	GetFirstDevice(ctx context.Context) (*store.Device, error)
}

var (
	_ container = (*sqlstore.Container)(nil)
	_ container = (*dynstore.Container)(nil)
)

// side is one of the two stores under comparison, with what the test
// remembers of it.
type side struct {
	name   string
	c      container
	dev    *store.Device
	preKey map[uint32][32]byte // public keys handed out, by id
	refDB  *sql.DB             // sqlstore's database (nil for dynstore)
}

// pair is sqlstore (ref) and dynstore (dyn) holding the same device.
type pair struct {
	ref, dyn *side
	refDB    *sql.DB
	dynC     *dynstore.Container
}

// newPair saves the same device (ownJID) in a fresh sqlstore and a fresh
// dynstore table.
func newPair(t testing.TB) *pair {
	t.Helper()
	ctx := context.Background()
	sc, db := newSQLContainer(t)
	dc := newDynContainer(t)
	dd := dc.NewDevice()
	sd := sc.NewDevice()
	copyKeys(sd, dd)
	for _, d := range []*store.Device{sd, dd} {
		jid := ownJID
		d.ID, d.Account, d.PushName = &jid, testAccount(), "Own"
		if err := d.Save(ctx); err != nil {
			t.Fatalf("save device: %v", err)
		}
	}
	return &pair{
		ref:   &side{name: "sqlstore", c: sc, dev: sd, preKey: map[uint32][32]byte{}, refDB: db},
		dyn:   &side{name: "dynstore", c: dc, dev: dd, preKey: map[uint32][32]byte{}},
		refDB: db, dynC: dc,
	}
}

// same runs op on both stores and fails the test unless both return the
// same value and both succeed or both fail.
func (p *pair) same(t *testing.T, what string, op func(s *side) (any, error)) any {
	t.Helper()
	refV, refErr := op(p.ref)
	dynV, dynErr := op(p.dyn)
	if (refErr == nil) != (dynErr == nil) {
		t.Fatalf("%s: sqlstore error %v, dynstore error %v", what, refErr, dynErr)
	}
	if !reflect.DeepEqual(refV, dynV) {
		t.Fatalf("%s:\n sqlstore: %#v\n dynstore: %#v", what, refV, dynV)
	}
	return refV
}

// hx describes bytes, telling nil (SQL NULL) from empty.
func hx(b []byte) string {
	if b == nil {
		return "<nil>"
	}
	return "x" + hex.EncodeToString(b)
}

// jidStr describes a JID with its device.
func jidStr(j types.JID) string { return fmt.Sprintf("%s|%d", j.String(), j.Device) }

// unix describes a time to the second (zero: "zero").
func unix(t time.Time) string {
	if t.IsZero() {
		return "zero"
	}
	return fmt.Sprint(t.Unix())
}
