package sqlite_test

import (
	"testing"

	wagate "github.com/wagate/wagate/shared"
	"github.com/wagate/wagate/shared/porttest"
	"github.com/wagate/wagate/shared/sqlite"
)

func TestCommandResultStore(t *testing.T) {
	t.Parallel()
	porttest.CommandResultStore(t, func(t *testing.T) wagate.CommandResultStore {
		return sqlite.NewCommandResultStore(MustOpenDB(t))
	})
}

func TestContactStore(t *testing.T) {
	t.Parallel()
	porttest.ContactStore(t, func(t *testing.T) wagate.ContactStore {
		return sqlite.NewContactStore(MustOpenDB(t))
	})
}

func TestGroupStore(t *testing.T) {
	t.Parallel()
	porttest.GroupStore(t, func(t *testing.T) wagate.GroupStore {
		return sqlite.NewGroupStore(MustOpenDB(t))
	})
}
