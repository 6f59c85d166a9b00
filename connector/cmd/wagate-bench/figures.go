package main

import (
	"fmt"
	"io"
	"os"
	"time"
)

// Units of the printed figures, with the decimals each is printed with.
const (
	unitMs    = "ms"
	unitS     = "s"
	unitMiB   = "MiB"
	unitKiB   = "KiB"
	unitRPS   = "req/s"
	unitRatio = "ratio"
	unitMsgPS = "msg/s"
	unitPct   = "%"
	unitCount = "count"
)

var decimals = map[string]int{unitMs: 3, unitS: 2, unitMiB: 1, unitKiB: 1, unitRPS: 0, unitRatio: 3, unitMsgPS: 0, unitPct: 2, unitCount: 0}

// printer writes figures, one "name value unit" line each, and nothing else.
type printer struct{ w io.Writer }

func newPrinter(w io.Writer) printer { return printer{w: w} }

// figure prints one line as soon as the figure is known, so a run that
// fails later still shows what it measured.
func (p printer) figure(name string, value float64, unit string) {
	fmt.Fprintf(p.w, "%s %.*f %s\n", name, decimals[unit], value, unit)
}

// ms converts a duration to milliseconds.
func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// kibToMiB converts KiB to MiB.
func kibToMiB(kib int64) float64 { return float64(kib) / 1024 }

// progress writes a progress line to stderr.
func progress(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "wagate-bench: "+format+"\n", args...)
}
