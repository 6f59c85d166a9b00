package wagate

import (
	"context"
	"encoding/json"
	"time"
)

// CommandStatus is where a request/reply command is: the API records it
// pending when it enqueues it, the connector records it done or failed.
type CommandStatus string

const (
	CommandPending CommandStatus = "pending"
	CommandDone    CommandStatus = "done"
	CommandFailed  CommandStatus = "failed"
)

// Finished reports whether the connector has answered.
func (s CommandStatus) Finished() bool { return s == CommandDone || s == CommandFailed }

// CommandResultTTL is how long a command result can be read back through
// GET /api/commands/{id}.
const CommandResultTTL = 24 * time.Hour

// CommandResult is the reply to a command that returns data (create a group,
// look up a contact, get an invite code…). Result is the type's result
// contract from package events (set when Status is done); ErrCode and
// ErrMessage are the coded error (set when Status is failed).
type CommandResult struct {
	ID          string // the command id
	SessionID   string
	Type        string // the command type (events.Cmd…)
	Status      CommandStatus
	Result      json.RawMessage
	ErrCode     string
	ErrMessage  string
	CreatedAt   time.Time
	CompletedAt time.Time // zero while pending
	ExpiresAt   time.Time
}

// Err returns the coded error of a failed command, nil otherwise.
func (r *CommandResult) Err() error {
	if r.Status != CommandFailed {
		return nil
	}
	code := r.ErrCode
	if code == "" {
		code = EINTERNAL
	}
	return &Error{Code: code, Message: r.ErrMessage}
}

// CommandResultStore keeps the replies of request/reply commands until they
// expire.
type CommandResultStore interface {
	// PutCommandResult stores r under r.ID, replacing what was stored,
	// except that a finished record (done or failed) is never replaced by a
	// pending one. Returns EINVALID without an id or with an unknown status.
	PutCommandResult(ctx context.Context, r *CommandResult) error

	// GetCommandResult returns the record of a command. Returns ENOTFOUND
	// for an unknown or expired id.
	GetCommandResult(ctx context.Context, id string) (*CommandResult, error)

	// DeleteExpiredCommandResults removes the records that expired before
	// now and returns how many.
	DeleteExpiredCommandResults(ctx context.Context, now time.Time) (int, error)
}
