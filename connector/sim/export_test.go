package sim

import "context"

// SeedDevice links a device to phone without a client, as if paired earlier.
func SeedDevice(ctx context.Context, n *Network, phone, pushName string) (string, error) {
	d, err := n.store.create(ctx, phone, pushName)
	if err != nil {
		return "", err
	}
	return d.JID, nil
}
