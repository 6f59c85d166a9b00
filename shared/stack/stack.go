// Package stack gives a long-lived goroutine the stack it will need in one
// step, before it goes deep.
//
// A goroutine starts with a 2 KiB stack. Each time it runs out, the runtime
// copies the stack to one twice as large and, to fix up the pointers,
// walks every frame on it, reading each function's tables in the
// executable (pc-value tables, stack maps). The loops that call SQLite
// through modernc.org/sqlite (transpiled C: deep calls, large frames) grow
// 2 → 4 → 8 → 16 KiB while dozens of SQLite frames are on the stack, so each
// growth reads tables scattered across the binary; the kernel maps every
// page it touches (and its neighbours) into the process for good.
//
// Reserve, called first thing in such a loop, grows the stack to that size
// while only its own frames are on it: the same copies, but each walks
// one small function's tables instead of dozens of SQLite frames. Measured on bin/wagate
// (docs/benchmarks.md, "Idle memory"): with Reserve in the SQLite loops and
// package early for main, 1.5 MiB less resident memory after start-up, but
// only ≈ 0.3 MiB less once the collector has run: it shrinks the stacks of
// parked goroutines, and their next deep call regrows them, walking again.
package stack

import "runtime"

// frameBytes is the frame of each step of grow: small enough that growing
// by it never overshoots by more than a step.
const frameBytes = 4 << 10

// reserveBytes is what Reserve makes room for: with the runtime's guard and
// the caller's frames, a fresh goroutine moves to a 16 KiB stack, what a
// SQLite call needs.
const reserveBytes = 12 << 10

// Reserve grows the calling goroutine's stack to 16 KiB while only its own
// frames are on it. On a goroutine whose stack is already that large it
// costs a memclr of 12 KiB.
func Reserve() { Grow(reserveBytes) }

// Grow makes room for n more bytes on the calling goroutine's stack, the
// growth walking only Grow's own frames (one function's tables).
func Grow(n int) { grow(n/frameBytes - 1) }

// grow recurses depth more times, each with a frame of frameBytes, which
// the runtime must make room for before it runs; go:noinline keeps each
// frame its own.
//
//go:noinline
func grow(depth int) {
	var frame [frameBytes]byte
	frame[0] = 1
	if depth > 0 {
		grow(depth - 1)
	}
	runtime.KeepAlive(frame[len(frame)-1])
}
