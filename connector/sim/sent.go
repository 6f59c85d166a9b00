package sim

import (
	"context"

	wagate "github.com/wagate/wagate/shared"
)

// Carried is SimControl.Carried: the unique messages the network carried for
// the session, with how often each id was submitted.
func (n *Network) Carried(_ context.Context, sessionID string) ([]wagate.SimSent, error) {
	sent := n.Sent(sessionID)
	out := make([]wagate.SimSent, 0, len(sent))
	for _, m := range sent {
		out = append(out, wagate.SimSent{WhatsAppID: m.WhatsAppID, ChatID: m.ChatID, Type: m.Type, Body: m.Body, Submissions: n.SendCount(sessionID, m.WhatsAppID)})
	}
	return out, nil
}
