package dynamo_test

import (
	"testing"

	wagate "github.com/wagate/wagate/shared"
	"github.com/wagate/wagate/shared/dynamo"
	"github.com/wagate/wagate/shared/porttest"
)

func TestSessionStore(t *testing.T) {
	t.Parallel()
	porttest.SessionStore(t, func(t *testing.T) wagate.SessionStore {
		return dynamo.NewSessionStore(MustOpenTable(t))
	})
}

func TestMessageStore(t *testing.T) {
	t.Parallel()
	porttest.MessageStore(t, func(t *testing.T) wagate.MessageStore {
		return dynamo.NewMessageStore(MustOpenTable(t))
	})
}

func TestStatusStore(t *testing.T) {
	t.Parallel()
	porttest.StatusStore(t, func(t *testing.T) wagate.StatusStore {
		return dynamo.NewStatusStore(MustOpenTable(t))
	})
}

func TestMediaStore(t *testing.T) {
	t.Parallel()
	porttest.MediaStore(t, func(t *testing.T) wagate.MediaStore {
		return dynamo.NewMediaStore(MustOpenTable(t))
	})
}

func TestDeliveryStore(t *testing.T) {
	t.Parallel()
	porttest.DeliveryStore(t, func(t *testing.T) wagate.DeliveryStore {
		return dynamo.NewDeliveryStore(MustOpenTable(t))
	})
}

func TestContactStore(t *testing.T) {
	t.Parallel()
	porttest.ContactStore(t, func(t *testing.T) wagate.ContactStore {
		return dynamo.NewContactStore(MustOpenTable(t))
	})
}

func TestGroupStore(t *testing.T) {
	t.Parallel()
	porttest.GroupStore(t, func(t *testing.T) wagate.GroupStore {
		return dynamo.NewGroupStore(MustOpenTable(t))
	})
}

func TestCommandResultStore(t *testing.T) {
	t.Parallel()
	porttest.CommandResultStore(t, func(t *testing.T) wagate.CommandResultStore {
		return dynamo.NewCommandResultStore(MustOpenTable(t))
	})
}

func TestDeliveryClaimer(t *testing.T) {
	t.Parallel()
	porttest.DeliveryClaimer(t, func(t *testing.T) wagate.DeliveryClaimer {
		return dynamo.NewDeliveryStore(MustOpenTable(t))
	})
}
