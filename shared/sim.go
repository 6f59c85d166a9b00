package wagate

import "context"

// SimControl drives the simulated WhatsApp network. It exists only when the
// sim engine is active; the API exposes it under /api/_sim/.
type SimControl interface {
	// Scan acts as a phone scanning the session's current QR code.
	// Returns ENOTFOUND if the session is not hosted, EINVALID if it shows
	// no QR code. phone and pushName may be empty (generated).
	Scan(ctx context.Context, sessionID, phone, pushName string) error

	// Drop cuts the session's connection; the client reconnects by itself.
	Drop(ctx context.Context, sessionID string) error

	// Logout acts as the phone unlinking the device.
	Logout(ctx context.Context, sessionID string) error
}
