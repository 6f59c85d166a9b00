package sqlite

import (
	"database/sql"
	"fmt"
	"time"
)

// timeLayout is RFC 3339 in UTC with fixed-width nanoseconds, so stored
// times sort as text and read back equal to what was written.
const timeLayout = "2006-01-02T15:04:05.000000000Z07:00"

// formatTime encodes t for a NOT NULL time column.
func formatTime(t time.Time) string { return t.UTC().Format(timeLayout) }

// nullTime encodes t for a nullable time column: the zero time is NULL.
func nullTime(t time.Time) sql.NullString {
	if t.IsZero() {
		return sql.NullString{}
	}
	return sql.NullString{String: formatTime(t), Valid: true}
}

// parseTime decodes a time column; NULL and "" are the zero time.
func parseTime(s sql.NullString) (time.Time, error) {
	if !s.Valid || s.String == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339Nano, s.String)
	if err != nil {
		return time.Time{}, fmt.Errorf("parse time %q: %w", s.String, err)
	}
	return t.UTC(), nil
}

// canonicalTime is what a time reads back as after a round trip: UTC, no
// monotonic reading.
func canonicalTime(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return t.UTC()
}
