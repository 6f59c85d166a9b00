package waengine

import (
	"context"
	"fmt"
	"log/slog"

	waLog "go.mau.fi/whatsmeow/util/log"
)

// waLogger adapts whatsmeow's printf-style logger to log/slog. whatsmeow's
// module path ("Client/Socket") goes into the "module" attribute. Debug
// messages are dropped unless debug is set, whatever slog's level.
type waLogger struct {
	log    *slog.Logger
	module string
	debug  bool
}

var _ waLog.Logger = (*waLogger)(nil)

func newWALogger(log *slog.Logger, module string, debug bool) *waLogger {
	return &waLogger{log: log, module: module, debug: debug}
}

func (l *waLogger) Errorf(msg string, args ...any) { l.logf(slog.LevelError, msg, args) }
func (l *waLogger) Warnf(msg string, args ...any)  { l.logf(slog.LevelWarn, msg, args) }
func (l *waLogger) Infof(msg string, args ...any)  { l.logf(slog.LevelInfo, msg, args) }

func (l *waLogger) Debugf(msg string, args ...any) {
	if l.debug {
		l.logf(slog.LevelDebug, msg, args)
	}
}

// Sub returns the logger of a submodule.
func (l *waLogger) Sub(module string) waLog.Logger {
	return &waLogger{log: l.log, module: l.module + "/" + module, debug: l.debug}
}

func (l *waLogger) logf(level slog.Level, msg string, args []any) {
	ctx := context.Background()
	if !l.log.Enabled(ctx, level) {
		return
	}
	l.log.Log(ctx, level, fmt.Sprintf(msg, args...), "module", l.module)
}
