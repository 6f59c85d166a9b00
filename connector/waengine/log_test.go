package waengine

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"
)

func TestWALogger(t *testing.T) {
	type line struct {
		Level, Msg, Module string
	}
	parse := func(t *testing.T, buf *bytes.Buffer) []line {
		t.Helper()
		var lines []line
		for _, raw := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
			if raw == "" {
				continue
			}
			var l struct {
				Level  string `json:"level"`
				Msg    string `json:"msg"`
				Module string `json:"module"`
			}
			if err := json.Unmarshal([]byte(raw), &l); err != nil {
				t.Fatalf("bad log line %q: %v", raw, err)
			}
			lines = append(lines, line{l.Level, l.Msg, l.Module})
		}
		return lines
	}
	newLogger := func(debug bool) (*waLogger, *bytes.Buffer) {
		var buf bytes.Buffer
		h := slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug})
		return newWALogger(slog.New(h), "Client", debug), &buf
	}

	t.Run("LevelsAndModules", func(t *testing.T) {
		l, buf := newLogger(false)
		l.Errorf("bad %d", 1)
		l.Warnf("careful %s", "now")
		l.Sub("Socket").Infof("dialing")
		l.Debugf("frame")
		got := parse(t, buf)
		want := []line{
			{"ERROR", "bad 1", "Client"},
			{"WARN", "careful now", "Client"},
			{"INFO", "dialing", "Client/Socket"},
		}
		if len(got) != len(want) {
			t.Fatalf("got %v, want %v", got, want)
		}
		for i := range want {
			if got[i] != want[i] {
				t.Errorf("line %d = %v, want %v", i, got[i], want[i])
			}
		}
	})
	t.Run("DebugWhenEnabled", func(t *testing.T) {
		l, buf := newLogger(true)
		l.Sub("Recv").Debugf("<iq id=%q/>", "1")
		got := parse(t, buf)
		if len(got) != 1 || got[0] != (line{"DEBUG", `<iq id="1"/>`, "Client/Recv"}) {
			t.Errorf("got %v", got)
		}
	})
	t.Run("BelowHandlerLevelSkipped", func(t *testing.T) {
		var buf bytes.Buffer
		l := newWALogger(slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelWarn})), "Client", true)
		l.Infof("x")
		l.Debugf("y")
		if buf.Len() != 0 {
			t.Errorf("logged %q", buf.String())
		}
	})
}
