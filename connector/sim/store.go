package sim

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// The simulated network's linked devices: the phone-side record of a device
// and our credentials for it in one row, as whatsmeow's sqlstore keeps them
// for the real network. A row exists from pairing until logout or deletion.
const (
	createDevicesTable = `CREATE TABLE IF NOT EXISTS sim_devices (
	jid           TEXT PRIMARY KEY,
	phone         TEXT NOT NULL,
	device        INTEGER NOT NULL,
	push_name     TEXT NOT NULL,
	business_name TEXT NOT NULL DEFAULT '',
	created_at    INTEGER NOT NULL
)`
	createDevicesPhoneIndex = `CREATE INDEX IF NOT EXISTS sim_devices_phone ON sim_devices (phone, device)`

	// jidServer is the server part of a phone (device) JID.
	jidServer = "s.whatsapp.net"
)

// errNoDevice: the table has no device with that JID.
var errNoDevice = errors.New("sim: no such device")

// store reads and writes the sim_devices table.
type store struct {
	db *sql.DB
}

func openStore(db *sql.DB) (*store, error) {
	for _, q := range []string{createDevicesTable, createDevicesPhoneIndex} {
		if _, err := db.Exec(q); err != nil {
			return nil, fmt.Errorf("create sim_devices table: %w", err)
		}
	}
	return &store{db: db}, nil
}

// find returns the device with this JID, or errNoDevice.
func (s *store) find(ctx context.Context, jid string) (*device, error) {
	d := &device{JID: jid}
	err := s.db.QueryRowContext(ctx,
		`SELECT phone, push_name, business_name FROM sim_devices WHERE jid = ?`, jid,
	).Scan(&d.Phone, &d.PushName, &d.BusinessName)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errNoDevice
	} else if err != nil {
		return nil, fmt.Errorf("find device %q: %w", jid, err)
	}
	return d, nil
}

// create links a new device to phone, numbered after the phone's other
// devices like WhatsApp's companion devices ("34600000001:3@s.whatsapp.net").
func (s *store) create(ctx context.Context, phone, pushName string) (*device, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("create device for %s: begin: %w", phone, err)
	}
	defer tx.Rollback() //nolint:errcheck // no-op after Commit

	var last int
	if err := tx.QueryRowContext(ctx,
		`SELECT COALESCE(MAX(device), 0) FROM sim_devices WHERE phone = ?`, phone,
	).Scan(&last); err != nil {
		return nil, fmt.Errorf("create device for %s: number it: %w", phone, err)
	}
	d := &device{
		JID:      fmt.Sprintf("%s:%d@%s", phone, last+1, jidServer),
		Phone:    phone,
		PushName: pushName,
	}
	if _, err := tx.ExecContext(ctx,
		`INSERT INTO sim_devices (jid, phone, device, push_name, business_name, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
		d.JID, d.Phone, last+1, d.PushName, d.BusinessName, time.Now().Unix(),
	); err != nil {
		return nil, fmt.Errorf("create device %q: %w", d.JID, err)
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("create device %q: commit: %w", d.JID, err)
	}
	return d, nil
}

// delete removes the device with this JID; an unknown JID is not an error.
func (s *store) delete(ctx context.Context, jid string) error {
	if _, err := s.db.ExecContext(ctx, `DELETE FROM sim_devices WHERE jid = ?`, jid); err != nil {
		return fmt.Errorf("delete device %q: %w", jid, err)
	}
	return nil
}
