package porttest

import (
	"bytes"
	"context"
	"encoding/json"
	"slices"
	"testing"
	"time"

	wagate "github.com/wagate/wagate/shared"
)

// timeTolerance is how far a stored time may drift from the one written
// (adapters may keep only milliseconds).
const timeTolerance = time.Millisecond

// wantCode fails t unless err carries the wagate error code.
func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if got := wagate.ErrorCode(err); got != code {
		t.Fatalf("error code = %q (err %v), want %q", got, err, code)
	}
}

// must fails t on err.
func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// sameTime reports whether a and b are the same instant within tolerance
// (both zero counts as the same).
func sameTime(a, b time.Time) bool {
	if a.IsZero() || b.IsZero() {
		return a.IsZero() == b.IsZero()
	}
	return a.Sub(b).Abs() <= timeTolerance
}

// sameJSON reports whether a and b hold the same JSON value (an adapter may
// re-encode it); two empty values are the same.
func sameJSON(a, b []byte) bool {
	if len(a) == 0 || len(b) == 0 {
		return len(a) == len(b)
	}
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return bytes.Equal(a, b)
	}
	xb, _ := json.Marshal(x)
	yb, _ := json.Marshal(y)
	return bytes.Equal(xb, yb)
}

// sameStrings compares string lists, nil equal to empty.
func sameStrings(a, b []string) bool {
	return len(a) == 0 && len(b) == 0 || slices.Equal(a, b)
}

// waitTimeout bounds every wait in the suites that is expected to succeed.
const waitTimeout = 10 * time.Second

// ctxTimeout returns a context that ends after d and is canceled with the test.
func ctxTimeout(t *testing.T, d time.Duration) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), d)
	t.Cleanup(cancel)
	return ctx
}
