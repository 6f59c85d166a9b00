package localrt

import (
	"fmt"
	"io"
	"log/slog"
	"net"
)

// newLogger builds the process logger: text for people, JSON on request.
func newLogger(cfg Config, out io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: cfg.LogLevel}
	if cfg.LogJSON {
		return slog.New(slog.NewJSONHandler(out, opts))
	}
	return slog.New(slog.NewTextHandler(out, opts))
}

// printBanner tells a person how to use the running server.
func printBanner(out io.Writer, cfg Config, addr net.Addr) {
	port := addr.(*net.TCPAddr).Port
	base := fmt.Sprintf("http://localhost:%d", port)
	key := "$WAGATE_API_KEY" // given by the operator: not echoed
	if cfg.APIKeyFile != "" {
		key = cfg.APIKey // generated: the operator learns it here (kept in APIKeyFile)
	}
	fmt.Fprintf(out, `
wagate is running on %s (engine: %s, data: %s)
  API key:  %s
  Console:  %s/console/ (sign in with the API key)
  Health:   curl %s/health
  Sessions: curl -H 'X-API-Key: %s' %s/api/sessions
  Link a number: curl -X POST -H 'X-API-Key: %s' -H 'Content-Type: application/json' \
                   -d '{"sessionName":"my-number"}' %s/api/sessions
                 then open the qrCode data URL and scan it with WhatsApp > Linked devices.
`, base, cfg.Engine, cfg.DataDir, key, base, base, key, base, key, base)
	if cfg.Engine == EngineSim {
		fmt.Fprintf(out, "  Simulated network: POST %s/api/_sim/sessions/{id}/scan acts as the phone.\n", base)
	}
	fmt.Fprintln(out)
}
