package sqs

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"sync"
	"time"

	"github.com/aws/smithy-go"
)

const (
	// maxIDLen is the longest MessageGroupId / MessageDeduplicationId.
	maxIDLen = 128
	// DedupWindow is SQS's deduplication interval.
	DedupWindow = 5 * time.Minute
	// dedupSafety keeps the local memory of sent ids inside SQS's window.
	dedupSafety = 30 * time.Second
)

// GroupID returns the MessageGroupId of a session's commands: the session
// id when SQS accepts it as is (1-128 characters, ASCII letters, digits and
// punctuation), else a stable hash of it. Commands without a session share
// the group "-".
func GroupID(sessionID string) string {
	if sessionID == "" {
		return "-"
	}
	return sqsID(sessionID)
}

// DedupID returns the MessageDeduplicationId of a command id.
func DedupID(commandID string) string { return sqsID(commandID) }

func sqsID(s string) string {
	if len(s) <= maxIDLen && validID(s) {
		return s
	}
	sum := sha256.Sum256([]byte(s))
	return "sha256-" + hex.EncodeToString(sum[:])
}

// validID reports whether every byte is an ASCII letter, digit or
// punctuation mark (what SQS allows in group and deduplication ids).
func validID(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c <= ' ' || c > '~' {
			return false
		}
	}
	return s != ""
}

// recent remembers the command ids sent within the deduplication window.
type recent struct {
	mu    sync.Mutex
	at    map[string]time.Time
	prune int // size at which to drop expired entries next
}

func (r *recent) has(id string, now time.Time) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	t, ok := r.at[id]
	return ok && now.Sub(t) < DedupWindow-dedupSafety
}

func (r *recent) add(id string, now time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.at == nil {
		r.at, r.prune = map[string]time.Time{}, 1024
	}
	r.at[id] = now
	if len(r.at) >= r.prune {
		for k, t := range r.at {
			if now.Sub(t) >= DedupWindow {
				delete(r.at, k)
			}
		}
		r.prune = max(1024, 2*len(r.at))
	}
}

// apiCode returns the error code of an AWS API error, "" for others.
func apiCode(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}
