package service

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/wagate/wagate/events"
	wagate "github.com/wagate/wagate/shared"
	"github.com/wagate/wagate/shared/ids"
)

// CommandWaitDefault bounds how long a request/reply command waits for the
// connector before the API answers 202 with the command id.
const CommandWaitDefault = 8 * time.Second

// Commands runs request/reply commands (DESIGN §4): it records the command
// pending, enqueues it and waits, bounded, for the result the connector
// writes under the command id.
type Commands struct {
	Results wagate.CommandResultStore
	Queue   wagate.CommandQueue
	Now     func() time.Time

	// Wait bounds the wait for the connector (zero: CommandWaitDefault;
	// negative: answer at once, the result is read later).
	Wait time.Duration
}

func (c *Commands) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}

// Request enqueues a command of typ for sessionID with a fresh id, records
// it pending and waits for the connector's reply. It returns the record:
// done, failed, or still pending when the wait ran out. Once the command is
// queued no error is returned: the client can always read it back by id.
func (c *Commands) Request(ctx context.Context, sessionID, typ string, payload any) (*wagate.CommandResult, error) {
	now := c.now().UTC()
	cmd, err := events.NewCommand(ids.New(), typ, sessionID, now, payload)
	if err != nil {
		return nil, fmt.Errorf("build %s command: %w", typ, err)
	}
	rec := &wagate.CommandResult{
		ID: cmd.ID, SessionID: sessionID, Type: typ, Status: wagate.CommandPending,
		CreatedAt: now, ExpiresAt: now.Add(wagate.CommandResultTTL),
	}
	if err := c.Results.PutCommandResult(ctx, rec); err != nil {
		return nil, err
	}
	if err := c.Queue.Enqueue(ctx, cmd); err != nil {
		return nil, fmt.Errorf("enqueue %s for %q: %w", typ, sessionID, err)
	}
	return c.await(ctx, rec), nil
}

// await re-reads the record until the connector finished it or the wait
// ends, and returns the last state read.
func (c *Commands) await(ctx context.Context, rec *wagate.CommandResult) *wagate.CommandResult {
	wait := c.Wait
	if wait == 0 {
		wait = CommandWaitDefault
	}
	deadline := time.Now().Add(wait)
	delay := time.Millisecond
	for time.Now().Before(deadline) {
		select {
		case <-ctx.Done():
			return rec
		case <-time.After(min(delay, time.Until(deadline))):
		}
		cur, err := c.Results.GetCommandResult(ctx, rec.ID)
		if err == nil {
			rec = cur
			if cur.Status.Finished() {
				return cur
			}
		}
		delay = min(delay*2, 25*time.Millisecond)
	}
	return rec
}

// Get returns the record of a command. Returns ENOTFOUND.
func (c *Commands) Get(ctx context.Context, id string) (*wagate.CommandResult, error) {
	return c.Results.GetCommandResult(ctx, id)
}

// call runs a command and decodes its result into a T. A failed command
// comes back as its coded error; one still running as pending (T nil).
func call[T any](ctx context.Context, c *Commands, sessionID, typ string, payload any) (*T, *wagate.CommandResult, error) {
	rec, err := c.Request(ctx, sessionID, typ, payload)
	if err != nil {
		return nil, nil, err
	}
	out, err := Decode[T](rec)
	switch {
	case err != nil:
		return nil, nil, err
	case out == nil:
		return nil, rec, nil
	}
	return out, nil, nil
}

// Decode reads the result of a finished command: its value when done, its
// coded error when failed, and nil, nil while pending.
func Decode[T any](rec *wagate.CommandResult) (*T, error) {
	switch rec.Status {
	case wagate.CommandFailed:
		return nil, rec.Err()
	case wagate.CommandDone:
		var out T
		if len(rec.Result) > 0 {
			if err := json.Unmarshal(rec.Result, &out); err != nil {
				return nil, fmt.Errorf("decode %s result of command %s: %w", rec.Type, rec.ID, err)
			}
		}
		return &out, nil
	}
	return nil, nil
}
