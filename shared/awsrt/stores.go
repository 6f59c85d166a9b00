package awsrt

import (
	wagate "github.com/wagate/wagate/shared"
	"github.com/wagate/wagate/shared/dynamo"
)

// Stores are the store ports of the aws runtime, all on the single table.
type Stores struct {
	Sessions   wagate.SessionStore
	Messages   wagate.MessageStore
	Statuses   wagate.StatusStore
	Media      wagate.MediaStore
	Deliveries wagate.DeliveryStore
	// Contacts, Groups and Results are nil until the dynamo package has
	// them: the API then serves no /api/contacts, /api/groups and
	// /api/commands routes, and the connector keeps no contacts, groups or
	// command replies.
	Contacts wagate.ContactStore
	Groups   wagate.GroupStore
	Results  wagate.CommandResultStore
}

// openStores returns the dynamo stores on t.
func openStores(t *dynamo.Table) Stores {
	return Stores{
		Sessions:   dynamo.NewSessionStore(t),
		Messages:   dynamo.NewMessageStore(t),
		Statuses:   dynamo.NewStatusStore(t),
		Media:      dynamo.NewMediaStore(t),
		Deliveries: dynamo.NewDeliveryStore(t),
	}
}
