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
	Contacts   wagate.ContactStore
	Groups     wagate.GroupStore
	Results    wagate.CommandResultStore // replies of request/reply commands
	// Leases keep session ownership across connector tasks (docs/scale-out.md).
	Leases wagate.LeaseStore
}

// openStores returns the dynamo stores on t.
func openStores(t *dynamo.Table) Stores {
	return Stores{
		Sessions:   dynamo.NewSessionStore(t),
		Messages:   dynamo.NewMessageStore(t),
		Statuses:   dynamo.NewStatusStore(t),
		Media:      dynamo.NewMediaStore(t),
		Deliveries: dynamo.NewDeliveryStore(t),
		Contacts:   dynamo.NewContactStore(t),
		Groups:     dynamo.NewGroupStore(t),
		Results:    dynamo.NewCommandResultStore(t),
		Leases:     dynamo.NewLeaseStore(t),
	}
}
