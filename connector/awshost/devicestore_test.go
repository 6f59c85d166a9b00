package awshost_test

import (
	"bytes"
	"io"
	"log/slog"
	"reflect"
	"testing"

	"go.mau.fi/whatsmeow/proto/waAdv"
	"go.mau.fi/whatsmeow/types"

	"github.com/wagate/wagate/connector/awshost"
	"github.com/wagate/wagate/connector/dynstore"
	"github.com/wagate/wagate/connector/waengine"
	wagate "github.com/wagate/wagate/shared"
	"github.com/wagate/wagate/shared/awsconf"
	"github.com/wagate/wagate/shared/awsres"
	"github.com/wagate/wagate/shared/awsrt"
	"github.com/wagate/wagate/shared/awstest"
	"github.com/wagate/wagate/shared/dynamo"
	"github.com/wagate/wagate/shared/provision"
)

// TestDeviceTableSpec: the provisioner and the CDK app create the device
// table from dynamo.DeviceTableSpec (they do not import the connector); it
// must be the table dynstore defines.
func TestDeviceTableSpec(t *testing.T) {
	const name = "wagate-dev-devices"
	if got, want := dynamo.DeviceTableSpec.CreateTableInput(name), dynstore.CreateTableInput(name); !reflect.DeepEqual(got, want) {
		t.Errorf("dynamo.DeviceTableSpec makes\n %+v\ndynstore.CreateTableInput\n %+v", got, want)
	}
	if dynamo.DeviceTableSpec.TTLAttribute != dynstore.TTLAttribute {
		t.Errorf("TTL attribute %q, dynstore's %q", dynamo.DeviceTableSpec.TTLAttribute, dynstore.TTLAttribute)
	}
}

// TestWhatsmeowOnDynamoDB builds the whatsmeow engine as Run does with
// WAGATE_ENGINE=whatsmeow, in two connector "tasks" of one provisioned
// stage, and moves a device from one to the other through the DynamoDB
// device store — without any WhatsApp connection: a new session's client
// is unpaired; the device that pairing would save in task A is what task
// B's client for that device JID loads (paired); deleting it through task
// B leaves task A a session that must pair again, and none of its data.
func TestWhatsmeowOnDynamoDB(t *testing.T) {
	awscfg := awstest.Config(t)
	ctx := awstest.Context(t)
	names := awsres.MustNames(awstest.Unique("wa"))
	res, err := (&provision.Provisioner{Clients: awsconf.NewClients(awscfg), Names: names, Log: slog.New(slog.DiscardHandler)}).Run(ctx)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := awsrt.LoadConfig(func(k string) string {
		return map[string]string{"WAGATE_STAGE": names.Stage, "WAGATE_API_KEY": "k1", "WAGATE_ENGINE": "whatsmeow"}[k]
	})
	if err != nil {
		t.Fatal(err)
	}
	if cfg.DeviceTable != res.DeviceTable {
		t.Fatalf("the connector's device table %q, the provisioner's %q", cfg.DeviceTable, res.DeviceTable)
	}
	task := func() (*dynstore.Container, *waengine.Engine) {
		rt, err := awsrt.OpenWith(ctx, cfg, awscfg, "connector", io.Discard)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = rt.Close() })
		devices := awshost.DeviceStore(rt)
		if devices.TableName() != res.DeviceTable {
			t.Fatalf("device store on %q, want %q", devices.TableName(), res.DeviceTable)
		}
		return devices, waengine.New(devices, rt.Log)
	}
	storeA, engineA := task()
	storeB, engineB := task()
	pairs := func(e *waengine.Engine, deviceJID string) bool {
		t.Helper()
		c, err := e.NewClient(ctx, wagate.EngineDevice{SessionID: "s1", DeviceJID: deviceJID}, func(wagate.EngineEvent) {})
		if err != nil {
			t.Fatalf("NewClient(%q): %v", deviceJID, err)
		}
		defer c.Disconnect()
		// Offline, PairPhone tells the two apart: an unpaired client
		// wants a connection first, a paired one refuses.
		_, err = c.PairPhone(ctx, "34600000000")
		switch wagate.ErrorCode(err) {
		case wagate.ENOTCONNECTED:
			return false
		case wagate.EINVALID:
			return true
		}
		t.Fatalf("PairPhone(%q): %v", deviceJID, err)
		return false
	}

	if pairs(engineA, "") {
		t.Fatal("a new session's client is paired")
	}
	// What pairing stores (keys are real, the account signature is not).
	jid := types.JID{User: "34600000001", Device: 7, Server: types.DefaultUserServer}
	const peer = "34611111111.0:0"
	dev := storeA.NewDevice()
	dev.ID, dev.PushName = &jid, "Ana"
	dev.Account = &waAdv.ADVSignedDeviceIdentity{Details: []byte{1}, AccountSignature: make([]byte, 64),
		AccountSignatureKey: make([]byte, 32), DeviceSignature: make([]byte, 64)}
	if err := dev.Save(ctx); err != nil {
		t.Fatalf("save device: %v", err)
	}
	if err := dev.Sessions.PutSession(ctx, peer, []byte("signal session")); err != nil {
		t.Fatal(err)
	}

	// Task B finds the device by JID, with its keys and state.
	got, err := storeB.GetDevice(ctx, jid)
	if err != nil || got == nil {
		t.Fatalf("task B: GetDevice = %v, %v", got, err)
	}
	if *got.NoiseKey.Priv != *dev.NoiseKey.Priv || *got.IdentityKey.Priv != *dev.IdentityKey.Priv ||
		got.RegistrationID != dev.RegistrationID || !bytes.Equal(got.AdvSecretKey, dev.AdvSecretKey) || got.PushName != "Ana" {
		t.Errorf("task B loaded a different device: reg %d push %q", got.RegistrationID, got.PushName)
	}
	if sess, err := got.Sessions.GetSession(ctx, peer); err != nil || string(sess) != "signal session" {
		t.Errorf("task B: session %q, %v", sess, err)
	}
	if !pairs(engineB, jid.String()) {
		t.Fatal("task B's client for the stored device is not paired")
	}

	// Deleting it (logout) through task B removes it for every task.
	if err := engineB.DeleteDevice(ctx, jid.String()); err != nil {
		t.Fatalf("DeleteDevice: %v", err)
	}
	if again, err := storeA.GetDevice(ctx, jid); err != nil || again != nil {
		t.Errorf("task A after the delete: GetDevice = %v, %v; want nil", again, err)
	}
	if sess, err := dev.Sessions.GetSession(ctx, peer); err != nil || sess != nil {
		t.Errorf("task A after the delete: session %q, %v; want none", sess, err)
	}
	if pairs(engineA, jid.String()) {
		t.Error("task A's client for the deleted device is paired")
	}
	if err := engineA.DeleteDevice(ctx, jid.String()); err != nil {
		t.Errorf("deleting a deleted device: %v", err)
	}
}
