// Package early gives the main goroutine its stack before the program's
// package initialisers run: import it for its side effect from a main
// package whose start-up goes deep (package inits, SQLite migrations).
//
// It imports nothing but package stack (itself only the runtime), so Go
// initialises it among the first packages (inits run in import-path order
// among the packages whose imports are ready); from then on the main
// goroutine does not grow 2 → 4 → … → 128 KiB through the deep start-up,
// each growth walking every frame on the stack (see package stack for why
// that costs resident memory).
package early

import "github.com/wagate/wagate/shared/stack"

// mainBytes moves the main goroutine to a 128 KiB stack: the size it
// reaches anyway during wagate's start-up.
const mainBytes = 100 << 10

func init() { stack.Grow(mainBytes) }
