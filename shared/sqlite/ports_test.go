package sqlite_test

import (
	"testing"

	wagate "github.com/wagate/wagate/shared"
	"github.com/wagate/wagate/shared/porttest"
	"github.com/wagate/wagate/shared/sqlite"
)

func TestSessionStore(t *testing.T) {
	t.Parallel()
	porttest.SessionStore(t, func(t *testing.T) wagate.SessionStore {
		return sqlite.NewSessionStore(MustOpenDB(t))
	})
}

func TestCommandQueue(t *testing.T) {
	t.Parallel()
	porttest.CommandQueue(t, func(t *testing.T) wagate.CommandQueue {
		return sqlite.NewCommandQueue(MustOpenDB(t))
	})
}

func TestOutbox(t *testing.T) {
	t.Parallel()
	porttest.Outbox(t, func(t *testing.T) wagate.Outbox {
		return sqlite.NewOutbox(MustOpenDB(t))
	})
}

func TestMessageStore(t *testing.T) {
	t.Parallel()
	porttest.MessageStore(t, func(t *testing.T) wagate.MessageStore {
		return sqlite.NewMessageStore(MustOpenDB(t))
	})
}

func TestStatusStore(t *testing.T) {
	t.Parallel()
	porttest.StatusStore(t, func(t *testing.T) wagate.StatusStore {
		return sqlite.NewStatusStore(MustOpenDB(t))
	})
}

func TestMediaStore(t *testing.T) {
	t.Parallel()
	porttest.MediaStore(t, func(t *testing.T) wagate.MediaStore {
		return sqlite.NewMediaStore(MustOpenDB(t))
	})
}

func TestDeliveryStore(t *testing.T) {
	t.Parallel()
	porttest.DeliveryStore(t, func(t *testing.T) wagate.DeliveryStore { return sqlite.NewDeliveryStore(MustOpenDB(t)) })
}

func TestDeliveryClaimer(t *testing.T) {
	t.Parallel()
	porttest.DeliveryClaimer(t, func(t *testing.T) wagate.DeliveryClaimer { return sqlite.NewDeliveryStore(MustOpenDB(t)) })
}
