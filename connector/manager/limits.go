package manager

import "time"

const (
	// Visibility is how long a received command stays hidden from other
	// consumers while it is handled.
	Visibility = 60 * time.Second
	// DefaultWorkers is how many commands (of different sessions) run at once.
	DefaultWorkers = 16
	// ResumeWorkers is how many sessions reconnect at once on start.
	ResumeWorkers = 32
	// MaxAttempts is how often a command that failed for an internal reason
	// is tried before it is dropped (and logged).
	MaxAttempts = 5
	// RetryDelay is the delay before a failed command is tried again.
	RetryDelay = 2 * time.Second
	// EventBuffer is the per-session queue of engine events awaiting the store.
	EventBuffer = 64
	// PairRetryFor is how long a pairing-code request keeps trying while the
	// client is still opening its connection.
	PairRetryFor = 10 * time.Second
	// StopTimeout bounds the handling of in-flight commands at shutdown.
	StopTimeout = 20 * time.Second
)
