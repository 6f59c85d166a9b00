package awsrt

import (
	"encoding/json"
	"net/http"
	"net/http/httputil"
	"net/url"
	"strings"
	"time"

	wagate "github.com/wagate/wagate/shared"
)

// simPrefix starts the routes of the simulated network's control.
const simPrefix = "/api/_sim/"

// withSim forwards the /api/_sim/ routes to the connector's sim control
// (Config.SimURL, WAGATE_SIM_URL) when one is configured: with the sim
// engine the simulated network lives in the connector's process, so the
// api function cannot serve these routes itself. The connector's server
// checks the API key and answers; everything else goes to h. Without
// SimURL (production) the routes stay unknown (404).
func (rt *Runtime) withSim(h http.Handler) http.Handler {
	if rt.Config.SimURL == "" {
		return h
	}
	target, err := url.Parse(rt.Config.SimURL)
	if err != nil { // LoadConfig validated it
		return h
	}
	proxy := &httputil.ReverseProxy{
		Rewrite: func(pr *httputil.ProxyRequest) { pr.SetURL(target) },
		ErrorHandler: func(w http.ResponseWriter, r *http.Request, err error) {
			rt.Log.Error("sim control unreachable", "url", rt.Config.SimURL, "path", r.URL.Path, "err", err)
			msg := "The sim control of the connector is not reachable."
			b, _ := json.Marshal(map[string]any{"success": false, "error": msg, "message": msg,
				"code": wagate.EUNAVAILABLE, "timestamp": time.Now().UTC().Format("2006-01-02T15:04:05.000Z07:00")})
			w.Header().Set("Content-Type", "application/json; charset=utf-8")
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = w.Write(b)
		},
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, simPrefix) {
			proxy.ServeHTTP(w, r)
			return
		}
		h.ServeHTTP(w, r)
	})
}
