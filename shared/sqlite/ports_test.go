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
